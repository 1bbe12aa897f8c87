"""The interface's words in French (the keys and placeholders of en.py).

French typography: a no-break space before a colon and inside guillemets, a
narrow no-break space before ; ! and ?.
"""

WORDS: dict[str, str] = {
    "page.skip": "Aller au contenu",
    "page.built_with": "Créé avec {generator}",
    "search.label": "Rechercher dans le cours",
    "search.placeholder": "Rechercher",
    "search.close": "Fermer",
    "search.results": "Résultats de la recherche",
    "search.loading": "Chargement de la recherche\u2026",
    "search.failed": "La recherche n\u2019a pas pu être chargée. Rechargez la page pour "
                     "réessayer.",
    "search.none": "Aucun résultat pour «\u00a0{query}\u00a0»",
    "search.count.one": "{count} résultat",
    "search.count.other": "{count} résultats",
    "home.eyebrow": "Cours",
    "home.review": "{link}Revoir les questions{/link} auxquelles vous avez mal répondu ou pas "
                   "encore répondu",
    "home.print": "Imprimer tout le cours",
    "label.section": "Partie {section}",
    "label.chapter": "Partie {section}. Chapitre {chapter}",
    "nav.course": "Cours",
    "nav.menu": "Menu",
    "nav.home": "Accueil du cours",
    "progress.summary": "Chapitres terminés\u00a0: {done} sur {total} ({percent})",
    "progress.reset": "Réinitialiser la progression",
    "progress.export": "Exporter la progression",
    "progress.import": "Importer une progression",
    "progress.reset_confirm": "Réinitialiser votre progression dans ce cours\u202f? Vos "
                              "réponses et les chapitres terminés dans ce navigateur seront "
                              "oubliés.",
    "progress.reset_done": "Progression réinitialisée.",
    "progress.reset_here": "Progression réinitialisée sur cette page seulement.",
    "progress.saved_as": "Progression enregistrée sous {file}.",
    "progress.unsaved": "Votre progression ne peut pas être enregistrée dans ce navigateur "
                        "(le stockage est bloqué ou plein)\u202f; elle sera perdue quand vous "
                        "quitterez cette page.",
    "progress.storage": "Stockage de la progression",
    "transfer.unreadable": "Impossible de lire {file}.",
    "transfer.not_progress": "{file} n\u2019est pas un fichier de progression de ce site (ou "
                             "vient d\u2019une version plus ancienne)\u00a0: rien n\u2019a été "
                             "modifié.",
    "transfer.other_course": "{file} contient la progression d\u2019un autre cours\u00a0: rien "
                             "n\u2019a été modifié.",
    "transfer.no_chapter": "{file} ne contient aucun chapitre de ce cours ({ignored})\u00a0: "
                           "rien n\u2019a été modifié.",
    "transfer.chapters.one": "{count} chapitre",
    "transfer.chapters.other": "{count} chapitres",
    "transfer.ignored.one": "{count} chapitre absent de ce cours a été ignoré",
    "transfer.ignored.other": "{count} chapitres absents de ce cours ont été ignorés",
    "transfer.both": "{chapters}\u202f; {ignored}",
    "transfer.imported": "Progression importée depuis {file} ({chapters}).",
    "transfer.not_saved": "La progression de {file} ({chapters}) est affichée sur cette page "
                          "mais n\u2019a pas été enregistrée.",
    "toc.title": "Sur cette page",
    "chapter.draft": "Brouillon",
    "chapter.end": "Progression du chapitre",
    "chapter.mark_done": "Marquer le chapitre comme terminé",
    "chapter.completed": "Chapitre terminé",
    "chapter.completed_note": "(terminé)",
    "clarity.question": "Tout était clair\u202f?",
    "clarity.yes": "Oui",
    "clarity.no": "Non",
    "clarity.tell": "Écrire à l\u2019auteur",
    "clarity.thanks_yes": "Merci\u202f!",
    "clarity.thanks_no": "Merci.",
    "clarity.saved": "Votre réponse est enregistrée dans ce navigateur.",
    "clarity.tell_more": "Dites à l\u2019auteur ce qui n\u2019était pas clair avec le lien "
                         "ci-dessus.",
    "pager.label": "Chapitre précédent et suivant",
    "pager.previous": "Précédent",
    "pager.next": "Suivant",
    "heading.link": "Lien vers la section\u00a0: {heading}",
    "footnote.back": "Retour au texte de la note {number}",
    "chapter.notebook": "Télécharger le notebook",
    "chapter.copy_ai": "Copier ce chapitre pour un assistant IA",
    "chapter.copy_ai_link": "Ce chapitre en Markdown, pour un assistant IA",
    "chapter.copy_ai_done": "Copié\u00a0: collez-le dans la conversation de votre assistant IA.",
    "chapter.copy_ai_failed": "La copie a échoué\u00a0: ouvrez le Markdown et copiez-le à la main.",
    "code.copy": "Copier",
    "code.copy_what": "le code",
    "code.copied": "Copié",
    "code.copied_note": "Code copié dans le presse-papiers",
    "code.copy_failed": "La copie a échoué\u00a0: sélectionnez le code et copiez-le à la main",
    "kind.figure": "Figure",
    "kind.table": "Tableau",
    "kind.definition": "Définition",
    "kind.theorem": "Théorème",
    "kind.lemma": "Lemme",
    "kind.proposition": "Proposition",
    "kind.corollary": "Corollaire",
    "kind.example": "Exemple",
    "kind.remark": "Remarque",
    "kind.exercise": "Exercice",
    "kind.proof": "Démonstration",
    "proof.end": "Fin de la démonstration",
    "exercise.solution": "Afficher la solution",
    "exercise.hint": "Afficher l\u2019indice",
    "exercise.hint_numbered": "Afficher l\u2019indice {number}",
    "exercise.viewed": "Consultée",
    "admonition.note": "Note",
    "admonition.tip": "Astuce",
    "admonition.warning": "Avertissement",
    "admonition.important": "Important",
    "admonition.caution": "Attention",
    "admonition.danger": "Danger",
    "admonition.info": "Info",
    # The chapter's notebook and its Markdown copy (llms.txt)
    "notebook.setup": "Comme le site du cours exécute les cellules de ce chapitre\u00a0: avec "
                      "les fonctions déclarées et leurs gradients, le style de figures du site "
                      "et des nombres aléatoires à graine fixe.",
    "notebook.functions_intro": "Les fonctions que déclare ce chapitre\u202f; la cellule "
                                "suivante les définit en Python, chacune avec son "
                                "gradient\u00a0:",
    "notebook.interactive": "Sur la page du cours, cette figure est interactive.",
    "copy.question": "Question.",
    "copy.image": "Image",
    "copy.interactive": "Figure interactive",
    "copy.macros": "Les formules utilisent ces macros LaTeX\u00a0:",
    "llms.about": "Chaque chapitre ci-dessous renvoie à une copie Markdown de sa page\u00a0: "
                  "les mathématiques en LaTeX, le code avec sa sortie, les figures par leur "
                  "légende et leur description, et les questions sans leurs réponses.",
    "plot.descent": "descente de gradient",
    "plot.start": "départ {point}",
    "plot.end.one": "fin après {count} itération {point}",
    "plot.end.other": "fin après {count} itérations {point}",
    "plot.outside": "{point}, hors du graphique",
    "plot.tangent": "tangente en {variable} = {at}, pente {slope}",
    "alt.over": "pour {ranges}",
    "alt.range": "{variable} de {low} à {high}",
    "alt.and": "{first} et {last}",
    "alt.quiver": "Champ de vecteurs du gradient de {function} {over}\u00a0: chaque flèche "
                  "monte, dans la direction de la plus forte pente, et sa longueur et sa "
                  "couleur montrent la raideur de la fonction en ce point.",
    "alt.contour": "Courbes de niveau de {function} {over}\u00a0: les lignes de niveau de la "
                   "fonction, avec des flèches du gradient qui les coupent à angle droit et "
                   "montent.",
    "alt.surface": "Surface de {function} {over}, colorée selon la hauteur.",
    "alt.surface_values": "Surface de {function} {over}, colorée selon la hauteur\u202f; les "
                          "valeurs vont de {low} à {high}.",
    "alt.curve": "Courbe de {function} {over}.",
    "alt.curve_tangents": "Courbe de {function} {over}, avec ses tangentes en {variable} = "
                          "{points}.",
    "alt.momentum": ", inertie {momentum}",
    "alt.descent.one": "Courbes de niveau de {function} {over} avec le chemin de la descente "
                       "de gradient depuis {start}, taux d\u2019apprentissage "
                       "{rate}{momentum}, sur {count} itération, jusqu\u2019à {end}, où "
                       "{name} = {value}.",
    "alt.descent.other": "Courbes de niveau de {function} {over} avec le chemin de la "
                         "descente de gradient depuis {start}, taux d\u2019apprentissage "
                         "{rate}{momentum}, sur {count} itérations, jusqu\u2019à {end}, où "
                         "{name} = {value}.",
    "alt.diverged.one": "Courbes de niveau de {function} {over} avec le chemin de la "
                        "descente de gradient depuis {start}, taux d\u2019apprentissage "
                        "{rate}{momentum}\u00a0: les itérés divergent et sortent de toute "
                        "borne après {count} itération.",
    "alt.diverged.other": "Courbes de niveau de {function} {over} avec le chemin de la "
                          "descente de gradient depuis {start}, taux d\u2019apprentissage "
                          "{rate}{momentum}\u00a0: les itérés divergent et sortent de toute "
                          "borne après {count} itérations.",
    "alt.left_view.one": "Courbes de niveau de {function} {over} avec le chemin de la "
                         "descente de gradient depuis {start}, taux d\u2019apprentissage "
                         "{rate}{momentum}\u00a0: les itérés quittent la vue après {count} "
                         "itération.",
    "alt.left_view.other": "Courbes de niveau de {function} {over} avec le chemin de la "
                           "descente de gradient depuis {start}, taux d\u2019apprentissage "
                           "{rate}{momentum}\u00a0: les itérés quittent la vue après {count} "
                           "itérations.",
    "alt.tangent": "Courbe de {function} {over}, avec sa tangente en {variable} = {point}, "
                   "de pente {slope}.",
    "alt.gradient": "Courbes de niveau de {function} {over}, avec la flèche du gradient en "
                    "{start} et une direction à {direction} degrés de l\u2019axe {variable}.",
    "figure.default_alt": "Figure tracée par le code ci-dessus",
    "cards.label": "Fonctions de ce chapitre",
    "cards.function": "Fonction {function}",
    "cards.checked": "gradient vérifié",
    "cards.numerical": "gradient numérique",
    "quiz.heading": "Vérifiez votre compréhension",
    "quiz.single": "Choisissez la bonne réponse",
    "quiz.multiple": "Choisissez toutes les bonnes réponses",
    "quiz.numeric": "Saisissez un nombre",
    "quiz.within": "les réponses à {tolerance} près sont acceptées",
    "quiz.exact": "la valeur exacte est attendue",
    "quiz.your_answer": "Votre réponse",
    "quiz.nojs": "La vérification des réponses nécessite JavaScript\u00a0: ouvrez "
                 "«\u00a0{show_answer}\u00a0» pour comparer.",
    "quiz.check": "Vérifier",
    "quiz.show_answer": "Afficher la réponse",
    "quiz.try_another": "Une autre variante",
    "quiz.variant": "Variante {number} sur {count}",
    "quiz.hint": "Afficher un indice ({number} sur {count})",
    "quiz.answer": "Réponse\u00a0:",
    "quiz.correct": "Correct",
    "quiz.incorrect": "Incorrect",
    "quiz.correct_answer": "Bonne réponse",
    "quiz.not_a_number": "Saisissez un nombre, par exemple 0,5 ou 1/2",
    "quiz.choose_first": "Choisissez d\u2019abord une réponse",
    "quiz.select_exactly": "Choisissez toutes les bonnes réponses, et seulement celles-ci.",
    "quiz.separator": "{typed} peut se lire {whole} ou {decimal}\u00a0: saisissez le nombre "
                      "voulu tel qu\u2019il est écrit ici",
    "review.title": "Révision",
    "review.intro": "Les questions auxquelles vous avez mal répondu sans avoir encore trouvé "
                    "la bonne réponse, et celles que vous n\u2019avez pas encore essayées, "
                    "chapitre par chapitre. La liste vient de votre progression dans ce "
                    "navigateur.",
    "review.nojs": "La révision se fait à partir de votre progression, que ce navigateur "
                   "conserve\u00a0: elle a besoin de JavaScript, qui est désactivé. Les "
                   "questions se trouvent dans les chapitres, depuis "
                   "l\u2019{link}accueil du cours{/link}.",
    "review.empty": "Rien à revoir\u00a0: toutes les questions ont une bonne réponse.",
    "review.wrong": "Mauvaise réponse",
    "review.untried": "Pas encore essayée",
    "review.summary_wrong.one": "{count} question avec une mauvaise réponse.",
    "review.summary_wrong.other": "{count} questions avec une mauvaise réponse.",
    "review.summary_untried.one": "{count} question pas encore essayée.",
    "review.summary_untried.other": "{count} questions pas encore essayées.",
    "review.summary_both.one": "{wrong} question avec une mauvaise réponse et {untried} sans "
                               "réponse.",
    "review.summary_both.other": "{wrong} questions avec une mauvaise réponse et {untried} "
                                 "sans réponse.",
    "print.howto": "Tous les chapitres du cours sur une seule page, sans les réponses, les "
                   "indices ni les solutions. Pour l\u2019imprimer ou l\u2019enregistrer en PDF, "
                   "utilisez la commande Imprimer de votre navigateur et choisissez une "
                   "imprimante, ou «\u00a0Enregistrer au format PDF\u00a0».",
    "print.contents": "Sommaire",
    "notfound.title": "Page introuvable",
    "notfound.text": "La page que vous cherchez n\u2019est pas ici. Elle a peut-être été "
                     "déplacée ou renommée, ou l\u2019adresse contient une faute de frappe.",
    "notfound.home": "Aller à l\u2019accueil du cours",
    "explore.rate": "Taux d\u2019apprentissage",
    "explore.steps": "Itérations",
    "explore.momentum": "Inertie",
    "explore.direction": "Direction",
    "explore.degrees": "{value} degrés",
    "explore.last_iterate": "Dernier itéré",
    "explore.value_there": "{function} en ce point",
    "explore.norm_there": "\u2016\u2207{function}\u2016 en ce point",
    "explore.steps_taken": "Itérations effectuées",
    "explore.slope": "Pente {function}\u2032({variables})",
    "explore.point": "Point",
    "explore.directional": "Dérivée directionnelle",
    "explore.angle": "Angle avec le gradient",
    "explore.diverged.one": "Divergence\u00a0: les itérés ont quitté la vue après {count} "
                            "itération.",
    "explore.diverged.other": "Divergence\u00a0: les itérés ont quitté la vue après {count} "
                              "itérations.",
    "explore.diverged_at_once": "Divergence\u00a0: la première itération a déjà quitté la "
                                 "vue.",
    "explore.nojs": "Faire bouger cette figure nécessite JavaScript\u00a0; sans lui, elle "
                   "montre les réglages ci-dessus.",
    "explore.start_point": "Point de départ",
    "explore.graph_point": "Point sur la courbe",
    "explore.graph": "Graphique interactif\u00a0: faites glisser le point ou utilisez les "
                     "flèches du clavier (Maj pour des pas plus grands)",
    "explore.plot": "Figure interactive\u00a0: faites glisser le point ou utilisez les "
                    "flèches du clavier (Maj pour des pas plus grands)",
}
