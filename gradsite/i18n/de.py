"""The interface's words in German (the keys and placeholders of en.py)."""

WORDS: dict[str, str] = {
    "page.skip": "Zum Inhalt springen",
    "page.built_with": "Erstellt mit {generator}",
    "search.label": "Kurs durchsuchen",
    "search.placeholder": "Suchen",
    "search.close": "Schließen",
    "search.results": "Suchergebnisse",
    "search.loading": "Suche wird geladen\u2026",
    "search.failed": "Die Suche konnte nicht geladen werden. Laden Sie die Seite neu, um es "
                     "noch einmal zu versuchen.",
    "search.none": "Keine Ergebnisse für \u201e{query}\u201c",
    "search.count.one": "{count} Ergebnis",
    "search.count.other": "{count} Ergebnisse",
    "home.eyebrow": "Kurs",
    "home.review": "{link}Fragen wiederholen{/link}, die falsch beantwortet oder noch nicht "
                   "versucht wurden",
    "home.print": "Den ganzen Kurs drucken",
    "label.section": "Teil {section}",
    "label.chapter": "Teil {section}. Kapitel {chapter}",
    "nav.course": "Kurs",
    "nav.menu": "Menü",
    "nav.home": "Kursübersicht",
    "progress.summary": "{done} von {total} Kapiteln abgeschlossen ({percent})",
    "progress.reset": "Fortschritt zurücksetzen",
    "progress.export": "Fortschritt exportieren",
    "progress.import": "Fortschritt importieren",
    "progress.reset_confirm": "Ihren Fortschritt in diesem Kurs zurücksetzen? Ihre Antworten "
                              "und abgeschlossenen Kapitel in diesem Browser gehen verloren.",
    "progress.reset_done": "Fortschritt zurückgesetzt.",
    "progress.reset_here": "Fortschritt nur auf dieser Seite zurückgesetzt.",
    "progress.saved_as": "Fortschritt gespeichert als {file}.",
    "progress.unsaved": "Ihr Fortschritt kann in diesem Browser nicht gespeichert werden (der "
                        "Speicher ist gesperrt oder voll); er bleibt nur, bis Sie diese Seite "
                        "verlassen.",
    "progress.storage": "Speicher für den Fortschritt",
    "transfer.unreadable": "{file} konnte nicht gelesen werden.",
    "transfer.not_progress": "{file} ist keine Fortschrittsdatei dieser Website (oder stammt "
                             "aus einer älteren Version): Es wurde nichts geändert.",
    "transfer.other_course": "{file} enthält den Fortschritt eines anderen Kurses: Es wurde "
                             "nichts geändert.",
    "transfer.no_chapter": "{file} enthält kein Kapitel dieses Kurses ({ignored}): Es wurde "
                           "nichts geändert.",
    "transfer.chapters.one": "{count} Kapitel",
    "transfer.chapters.other": "{count} Kapitel",
    "transfer.ignored.one": "{count} Kapitel, das nicht zu diesem Kurs gehört, wurde ignoriert",
    "transfer.ignored.other": "{count} Kapitel, die nicht zu diesem Kurs gehören, wurden "
                              "ignoriert",
    "transfer.both": "{chapters}; {ignored}",
    "transfer.imported": "Fortschritt aus {file} importiert ({chapters}).",
    "transfer.not_saved": "Der Fortschritt aus {file} ({chapters}) wird auf dieser Seite "
                          "angezeigt, wurde aber nicht gespeichert.",
    "toc.title": "Auf dieser Seite",
    "chapter.draft": "Entwurf",
    "chapter.end": "Kapitelfortschritt",
    "chapter.mark_done": "Kapitel als erledigt markieren",
    "chapter.completed": "Kapitel abgeschlossen",
    "chapter.completed_note": "(abgeschlossen)",
    "clarity.question": "War alles verständlich?",
    "clarity.yes": "Ja",
    "clarity.no": "Nein",
    "clarity.tell": "Dem Autor schreiben",
    "clarity.thanks_yes": "Danke!",
    "clarity.thanks_no": "Danke.",
    "clarity.saved": "Ihre Antwort ist in diesem Browser gespeichert.",
    "clarity.tell_more": "Über den Link oben können Sie dem Autor schreiben, was unklar war.",
    "pager.label": "Vorheriges und nächstes Kapitel",
    "pager.previous": "Zurück",
    "pager.next": "Weiter",
    "heading.link": "Link zum Abschnitt: {heading}",
    "footnote.back": "Zurück zum Text von Fußnote {number}",
    "chapter.notebook": "Notebook herunterladen",
    "chapter.copy_ai": "Dieses Kapitel für einen KI-Assistenten kopieren",
    "chapter.copy_ai_link": "Dieses Kapitel als Markdown, für einen KI-Assistenten",
    "chapter.copy_ai_done": "Kopiert: Fügen Sie es in den Chat Ihres KI-Assistenten ein.",
    "chapter.copy_ai_failed": "Kopieren fehlgeschlagen: Öffnen Sie das Markdown und kopieren Sie "
                              "es von Hand.",
    "code.copy": "Kopieren",
    "code.copy_what": "Code",
    "code.copied": "Kopiert",
    "code.copied_note": "Code in die Zwischenablage kopiert",
    "code.copy_failed": "Kopieren fehlgeschlagen: Markieren Sie den Code und kopieren Sie ihn "
                        "von Hand",
    "kind.figure": "Abbildung",
    "kind.table": "Tabelle",
    "kind.definition": "Definition",
    "kind.theorem": "Satz",
    "kind.lemma": "Lemma",
    "kind.proposition": "Proposition",
    "kind.corollary": "Korollar",
    "kind.example": "Beispiel",
    "kind.remark": "Bemerkung",
    "kind.exercise": "Aufgabe",
    "kind.proof": "Beweis",
    "proof.end": "Ende des Beweises",
    "exercise.solution": "Lösung anzeigen",
    "exercise.hint": "Hinweis anzeigen",
    "exercise.hint_numbered": "Hinweis {number} anzeigen",
    "exercise.viewed": "Angesehen",
    "admonition.note": "Hinweis",
    "admonition.tip": "Tipp",
    "admonition.warning": "Warnung",
    "admonition.important": "Wichtig",
    "admonition.caution": "Vorsicht",
    "admonition.danger": "Gefahr",
    "admonition.info": "Info",
    # The chapter's notebook and its Markdown copy (llms.txt)
    "notebook.setup": "So, wie die Website des Kurses die Zellen dieses Kapitels ausführt: mit "
                      "den deklarierten Funktionen und ihren Gradienten, dem Abbildungsstil der "
                      "Website und Zufallszahlen mit festem Startwert.",
    "notebook.functions_intro": "Die Funktionen dieses Kapitels; die nächste Zelle definiert "
                                "sie in Python, jede mit ihrem Gradienten:",
    "notebook.interactive": "Auf der Seite des Kurses ist diese Abbildung interaktiv.",
    "copy.question": "Frage.",
    "copy.image": "Bild",
    "copy.interactive": "Interaktive Abbildung",
    "copy.macros": "Die Formeln verwenden diese LaTeX-Makros:",
    "llms.about": "Jedes Kapitel unten verweist auf eine reine Markdown-Kopie seiner Seite: "
                  "Mathematik als LaTeX, Code mit seiner Ausgabe, Abbildungen über ihre "
                  "Bildunterschriften und Beschreibungen, Fragen ohne ihre Antworten.",
    "plot.descent": "Gradientenverfahren",
    "plot.start": "Start {point}",
    "plot.end.one": "Ende nach {count} Schritt {point}",
    "plot.end.other": "Ende nach {count} Schritten {point}",
    "plot.outside": "{point}, außerhalb des Bildes",
    "plot.tangent": "Tangente bei {variable} = {at}, Steigung {slope}",
    "alt.over": "für {ranges}",
    "alt.range": "{variable} von {low} bis {high}",
    "alt.and": "{first} und {last}",
    "alt.quiver": "Vektorfeld des Gradienten von {function} {over}: Jeder Pfeil zeigt "
                  "bergauf, in Richtung des steilsten Anstiegs, und seine Länge und Farbe "
                  "zeigen, wie steil die Funktion dort ist.",
    "alt.contour": "Höhenlinienbild von {function} {over}: Niveaumengen der Funktion, mit "
                   "Gradientenpfeilen, die sie im rechten Winkel kreuzen und bergauf zeigen.",
    "alt.surface": "Flächendarstellung von {function} {over}, nach Höhe eingefärbt.",
    "alt.surface_values": "Flächendarstellung von {function} {over}, nach Höhe eingefärbt; "
                          "die Werte reichen von {low} bis {high}.",
    "alt.curve": "Graph von {function} {over}.",
    "alt.curve_tangents": "Graph von {function} {over}, mit Tangenten bei {variable} = "
                          "{points}.",
    "alt.momentum": ", Momentum {momentum}",
    "alt.descent.one": "Höhenlinienbild von {function} {over} mit dem Pfad des "
                       "Gradientenverfahrens ab {start}, Lernrate {rate}{momentum}, über "
                       "{count} Schritt, mit Ende bei {end}, wo {name} = {value}.",
    "alt.descent.other": "Höhenlinienbild von {function} {over} mit dem Pfad des "
                         "Gradientenverfahrens ab {start}, Lernrate {rate}{momentum}, über "
                         "{count} Schritte, mit Ende bei {end}, wo {name} = {value}.",
    "alt.diverged.one": "Höhenlinienbild von {function} {over} mit dem Pfad des "
                        "Gradientenverfahrens ab {start}, Lernrate {rate}{momentum}: Die "
                        "Iterierten divergieren und verlassen nach {count} Schritt jede "
                        "Schranke.",
    "alt.diverged.other": "Höhenlinienbild von {function} {over} mit dem Pfad des "
                          "Gradientenverfahrens ab {start}, Lernrate {rate}{momentum}: Die "
                          "Iterierten divergieren und verlassen nach {count} Schritten jede "
                          "Schranke.",
    "alt.left_view.one": "Höhenlinienbild von {function} {over} mit dem Pfad des "
                         "Gradientenverfahrens ab {start}, Lernrate {rate}{momentum}: Die "
                         "Iterierten verlassen den Ausschnitt nach {count} Schritt.",
    "alt.left_view.other": "Höhenlinienbild von {function} {over} mit dem Pfad des "
                           "Gradientenverfahrens ab {start}, Lernrate {rate}{momentum}: Die "
                           "Iterierten verlassen den Ausschnitt nach {count} Schritten.",
    "alt.tangent": "Graph von {function} {over}, mit seiner Tangente bei {variable} = "
                   "{point}, mit Steigung {slope}.",
    "alt.gradient": "Höhenlinienbild von {function} {over}, mit dem Gradientenpfeil bei "
                    "{start} und einer Richtung von {direction} Grad zur {variable}-Achse.",
    "figure.default_alt": "Vom Code oben gezeichnete Abbildung",
    "cards.label": "Funktionen in diesem Kapitel",
    "cards.function": "Funktion {function}",
    "cards.checked": "Gradient geprüft",
    "cards.numerical": "numerischer Gradient",
    "quiz.heading": "Verständnis prüfen",
    "quiz.single": "Wählen Sie die richtige Antwort",
    "quiz.multiple": "Wählen Sie alle zutreffenden Antworten",
    "quiz.numeric": "Geben Sie eine Zahl ein",
    "quiz.within": "Antworten mit einer Abweichung bis {tolerance} werden akzeptiert",
    "quiz.exact": "der exakte Wert wird erwartet",
    "quiz.your_answer": "Ihre Antwort",
    "quiz.nojs": "Zum Prüfen der Antworten wird JavaScript benötigt: Öffnen Sie "
                 "\u201e{show_answer}\u201c, um zu vergleichen.",
    "quiz.check": "Prüfen",
    "quiz.show_answer": "Antwort anzeigen",
    "quiz.try_another": "Andere Variante",
    "quiz.variant": "Variante {number} von {count}",
    "quiz.hint": "Hinweis anzeigen ({number} von {count})",
    "quiz.answer": "Antwort:",
    "quiz.correct": "Richtig",
    "quiz.incorrect": "Falsch",
    "quiz.correct_answer": "Richtige Antwort",
    "quiz.not_a_number": "Bitte geben Sie eine Zahl ein, z.\u00a0B. 0,5 oder 1/2",
    "quiz.choose_first": "Wählen Sie zuerst eine Antwort",
    "quiz.select_exactly": "Wählen Sie alle richtigen Antworten, und nur diese.",
    "quiz.separator": "{typed} lässt sich als {whole} oder als {decimal} lesen: Geben Sie die "
                      "gemeinte Zahl so ein, wie sie hier steht",
    "review.title": "Wiederholen",
    "review.intro": "Die Fragen, die Sie falsch und noch nicht richtig beantwortet haben, und "
                    "die, die Sie noch nicht versucht haben, Kapitel für Kapitel. Die Liste "
                    "stammt aus Ihrem Fortschritt in diesem Browser.",
    "review.nojs": "Die Wiederholung entsteht aus Ihrem Fortschritt, den dieser Browser "
                   "speichert: Sie braucht JavaScript, das ausgeschaltet ist. Die Fragen finden "
                   "Sie in den Kapiteln, ausgehend von der {link}Kursübersicht{/link}.",
    "review.empty": "Nichts zu wiederholen: Alle Fragen sind richtig beantwortet.",
    "review.wrong": "Falsch beantwortet",
    "review.untried": "Noch nicht versucht",
    "review.summary_wrong.one": "{count} Frage falsch beantwortet.",
    "review.summary_wrong.other": "{count} Fragen falsch beantwortet.",
    "review.summary_untried.one": "{count} Frage noch nicht versucht.",
    "review.summary_untried.other": "{count} Fragen noch nicht versucht.",
    "review.summary_both.one": "{wrong} Frage falsch beantwortet und {untried} noch nicht "
                               "versucht.",
    "review.summary_both.other": "{wrong} Fragen falsch beantwortet und {untried} noch nicht "
                                 "versucht.",
    "print.howto": "Alle Kapitel des Kurses auf einer Seite, ohne Antworten, Hinweise und "
                   "Lösungen. Zum Drucken oder Speichern als PDF verwenden Sie den Druckbefehl "
                   "Ihres Browsers und wählen einen Drucker oder \u201eAls PDF speichern\u201c.",
    "print.contents": "Inhalt",
    "notfound.title": "Seite nicht gefunden",
    "notfound.text": "Die gesuchte Seite gibt es hier nicht. Vielleicht wurde sie verschoben "
                     "oder umbenannt, oder die Adresse enthält einen Tippfehler.",
    "notfound.home": "Zur Kursübersicht",
    "explore.rate": "Lernrate",
    "explore.steps": "Schritte",
    "explore.momentum": "Momentum",
    "explore.direction": "Richtung",
    "explore.degrees": "{value} Grad",
    "explore.last_iterate": "Letzte Iterierte",
    "explore.value_there": "{function} dort",
    "explore.norm_there": "\u2016\u2207{function}\u2016 dort",
    "explore.steps_taken": "Ausgeführte Schritte",
    "explore.slope": "Steigung {function}\u2032({variables})",
    "explore.point": "Punkt",
    "explore.directional": "Richtungsableitung",
    "explore.angle": "Winkel zum Gradienten",
    "explore.diverged.one": "Divergiert: Die Iterierten haben den Ausschnitt nach {count} "
                            "Schritt verlassen.",
    "explore.diverged.other": "Divergiert: Die Iterierten haben den Ausschnitt nach {count} "
                              "Schritten verlassen.",
    "explore.diverged_at_once": "Divergiert: Schon der erste Schritt hat den Ausschnitt "
                                 "verlassen.",
    "explore.nojs": "Diese Abbildung lässt sich nur mit JavaScript bewegen; ohne JavaScript "
                   "zeigt sie die Einstellungen oben.",
    "explore.start_point": "Startpunkt",
    "explore.graph_point": "Punkt auf dem Graphen",
    "explore.graph": "Interaktiver Graph: Ziehen Sie den Punkt oder verwenden Sie die "
                     "Pfeiltasten (mit Umschalt für größere Schritte)",
    "explore.plot": "Interaktive Grafik: Ziehen Sie den Punkt oder verwenden Sie die "
                    "Pfeiltasten (mit Umschalt für größere Schritte)",
}
