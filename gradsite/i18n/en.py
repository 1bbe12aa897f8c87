"""The interface's words in English: the reference catalogue.

Every other language has exactly these keys, with the same ``{placeholders}``
(tests/test_i18n.py). A key ending in ``.one`` or ``.other`` is one form of a
count's phrase: the code picks the form by the language's plural rule. In a
text with ``{link}`` and ``{/link}``, what is between them is a link.
"""

WORDS: dict[str, str] = {
    # Every page
    "page.skip": "Skip to content",
    "page.built_with": "Built with {generator}",
    "search.label": "Search the course",
    "search.placeholder": "Search",
    "search.close": "Close",
    "search.results": "Search results",
    "search.loading": "Loading search\u2026",
    "search.failed": "Search could not be loaded. Reload the page to try again.",
    "search.none": "No results for \u201c{query}\u201d",
    "search.count.one": "{count} result",
    "search.count.other": "{count} results",
    # Course home and menus
    "home.eyebrow": "Course",
    "home.review": "{link}Review questions{/link} answered wrongly or not yet tried",
    "home.print": "Print the whole course",
    "label.section": "Section {section}",
    "label.chapter": "Section {section}. Chapter {chapter}",
    "nav.course": "Course",
    "nav.menu": "Menu",
    "nav.home": "Course home",
    "progress.summary": "{done} of {total} chapters completed ({percent})",
    "progress.reset": "Reset progress",
    "progress.export": "Export progress",
    "progress.import": "Import progress",
    "progress.reset_confirm": "Reset your progress in this course? Your answers and completed "
                              "chapters in this browser will be forgotten.",
    "progress.reset_done": "Progress reset.",
    "progress.reset_here": "Progress reset on this page only.",
    "progress.saved_as": "Progress saved as {file}.",
    "progress.unsaved": "Your progress can\u2019t be saved in this browser (storage is blocked "
                        "or full); it lasts until you leave this page.",
    "progress.storage": "Progress storage",
    "transfer.unreadable": "Could not read {file}.",
    "transfer.not_progress": "{file} is not a progress file of this site (or of an older "
                             "version): nothing was changed.",
    "transfer.other_course": "{file} holds the progress of another course: nothing was changed.",
    "transfer.no_chapter": "{file} holds no chapter of this course ({ignored}): nothing was "
                           "changed.",
    "transfer.chapters.one": "{count} chapter",
    "transfer.chapters.other": "{count} chapters",
    "transfer.ignored.one": "{count} chapter not in this course was ignored",
    "transfer.ignored.other": "{count} chapters not in this course were ignored",
    "transfer.both": "{chapters}; {ignored}",
    "transfer.imported": "Progress imported from {file} ({chapters}).",
    "transfer.not_saved": "Progress from {file} ({chapters}) is shown on this page but was "
                          "not saved.",
    # Chapter pages
    "toc.title": "On this page",
    "chapter.draft": "Draft",
    "chapter.end": "Chapter progress",
    "chapter.mark_done": "Mark chapter as done",
    "chapter.completed": "Chapter completed",
    "chapter.completed_note": "(completed)",
    "clarity.question": "Everything was clear?",
    "clarity.yes": "Yes",
    "clarity.no": "No",
    "clarity.tell": "Tell the author",
    "clarity.thanks_yes": "Thanks!",
    "clarity.thanks_no": "Thanks.",
    "clarity.saved": "Your answer is saved in this browser.",
    "clarity.tell_more": "Tell the author what was unclear with the link above.",
    "pager.label": "Previous and next chapter",
    "pager.previous": "Previous",
    "pager.next": "Next",
    "heading.link": "Link to section: {heading}",
    "footnote.back": "Back to the text of footnote {number}",
    "chapter.notebook": "Download notebook",
    "chapter.copy_ai": "Copy this chapter for an AI assistant",
    "chapter.copy_ai_link": "This chapter as Markdown, for an AI assistant",
    "chapter.copy_ai_done": "Copied: paste it into your AI assistant\u2019s chat.",
    "chapter.copy_ai_failed": "Copying failed: open the Markdown and copy it by hand.",
    "code.copy": "Copy",
    "code.copy_what": "code",
    "code.copied": "Copied",
    "code.copied_note": "Code copied to clipboard",
    "code.copy_failed": "Copying failed: select the code and copy it by hand",
    # Numbered things: the word before a number ("Figure 1.2.1", "Theorem 1.3.1")
    "kind.figure": "Figure",
    "kind.table": "Table",
    "kind.definition": "Definition",
    "kind.theorem": "Theorem",
    "kind.lemma": "Lemma",
    "kind.proposition": "Proposition",
    "kind.corollary": "Corollary",
    "kind.example": "Example",
    "kind.remark": "Remark",
    "kind.exercise": "Exercise",
    "kind.proof": "Proof",
    "proof.end": "End of proof",
    "exercise.solution": "Show solution",
    "exercise.hint": "Show hint",
    "exercise.hint_numbered": "Show hint {number}",
    "exercise.viewed": "Viewed",
    # Call-outs (!!! note) without a title of their own
    "admonition.note": "Note",
    "admonition.tip": "Tip",
    "admonition.warning": "Warning",
    "admonition.important": "Important",
    "admonition.caution": "Caution",
    "admonition.danger": "Danger",
    "admonition.info": "Info",
    # The chapter's notebook and its Markdown copy (llms.txt)
    "notebook.setup": "As the course's site runs this chapter's cells: with its declared "
                      "functions and their gradients, the site's style of figures, and seeded "
                      "random numbers.",
    "notebook.functions_intro": "The functions this chapter declares; the next cell defines "
                                "them in Python, each with its gradient:",
    "notebook.interactive": "On the course's page, this figure is interactive.",
    "copy.question": "Question.",
    "copy.image": "Image",
    "copy.interactive": "Interactive figure",
    "copy.macros": "The formulas use these LaTeX macros:",
    "llms.about": "Each chapter below links to a plain Markdown copy of its page: math as "
                  "LaTeX, code with its printed output, figures by their captions and "
                  "descriptions, and questions without their answers.",
    # Figures and function cards
    # A plot's legend (descent and curve plots)
    "plot.descent": "gradient descent",
    "plot.start": "start {point}",
    "plot.end.one": "end after {count} step {point}",
    "plot.end.other": "end after {count} steps {point}",
    "plot.outside": "{point}, outside the plot",
    "plot.tangent": "tangent at {variable} = {at}, slope {slope}",
    # Figures' descriptions for screen readers, when the author wrote no alt
    "alt.over": "for {ranges}",
    "alt.range": "{variable} from {low} to {high}",
    "alt.and": "{first} and {last}",
    "alt.quiver": "Quiver plot of the gradient of {function} {over}: each arrow points uphill, "
                  "in the direction of steepest ascent, and its length and colour show how "
                  "steep the function is there.",
    "alt.contour": "Contour plot of {function} {over}: level sets of the function, with "
                   "gradient arrows that cross them at right angles and point uphill.",
    "alt.surface": "Surface plot of {function} {over}, coloured by height.",
    "alt.surface_values": "Surface plot of {function} {over}, coloured by height; the values "
                          "range from {low} to {high}.",
    "alt.curve": "Graph of {function} {over}.",
    "alt.curve_tangents": "Graph of {function} {over}, with tangent lines at {variable} = "
                          "{points}.",
    "alt.momentum": ", momentum {momentum}",
    "alt.descent.one": "Contour plot of {function} {over} with the path of gradient descent "
                       "from {start}, learning rate {rate}{momentum}, for {count} step, ending "
                       "at {end} where {name} = {value}.",
    "alt.descent.other": "Contour plot of {function} {over} with the path of gradient descent "
                         "from {start}, learning rate {rate}{momentum}, for {count} steps, "
                         "ending at {end} where {name} = {value}.",
    "alt.diverged.one": "Contour plot of {function} {over} with the path of gradient descent "
                        "from {start}, learning rate {rate}{momentum}: the iterates diverge, "
                        "leaving every bound after {count} step.",
    "alt.diverged.other": "Contour plot of {function} {over} with the path of gradient descent "
                          "from {start}, learning rate {rate}{momentum}: the iterates diverge, "
                          "leaving every bound after {count} steps.",
    "alt.left_view.one": "Contour plot of {function} {over} with the path of gradient descent "
                         "from {start}, learning rate {rate}{momentum}: the iterates leave the "
                         "view after {count} step.",
    "alt.left_view.other": "Contour plot of {function} {over} with the path of gradient "
                           "descent from {start}, learning rate {rate}{momentum}: the iterates "
                           "leave the view after {count} steps.",
    "alt.tangent": "Graph of {function} {over}, with its tangent line at {variable} = {point}, "
                   "of slope {slope}.",
    "alt.gradient": "Contour plot of {function} {over}, with the gradient arrow at {start} and "
                    "a direction at {direction} degrees from the {variable} axis.",
    "figure.default_alt": "Figure drawn by the code above",
    "cards.label": "Functions in this chapter",
    "cards.function": "Function {function}",
    "cards.checked": "gradient checked",
    "cards.numerical": "numerical gradient",
    # Questions
    "quiz.heading": "Check your understanding",
    "quiz.single": "Select the correct answer",
    "quiz.multiple": "Select all that apply",
    "quiz.numeric": "Enter a number",
    "quiz.within": "answers within {tolerance} are accepted",
    "quiz.exact": "the exact value is expected",
    "quiz.your_answer": "Your answer",
    "quiz.nojs": "Checking answers needs JavaScript: open \u201c{show_answer}\u201d to compare.",
    "quiz.check": "Check",
    "quiz.show_answer": "Show answer",
    "quiz.try_another": "Try another",
    "quiz.variant": "Variant {number} of {count}",
    "quiz.hint": "Show a hint ({number} of {count})",
    "quiz.answer": "Answer:",
    "quiz.correct": "Correct",
    "quiz.incorrect": "Incorrect",
    "quiz.correct_answer": "Correct answer",
    "quiz.not_a_number": "Please enter a number, such as 0.5 or 1/2",
    "quiz.choose_first": "Choose an answer first",
    "quiz.select_exactly": "Select every correct choice, and only those.",
    "quiz.separator": "{typed} can be read as {whole} or as {decimal}: type the one you mean "
                      "as shown here",
    # Review page
    "review.title": "Review",
    "review.intro": "The questions you answered wrongly and have not yet answered correctly, "
                    "and those you have not tried yet, chapter by chapter. The list comes from "
                    "your progress in this browser.",
    "review.nojs": "The review is made from your progress, which this browser keeps: it needs "
                   "JavaScript, which is turned off. The questions are in the chapters, from "
                   "the {link}course home{/link}.",
    "review.empty": "Nothing to review: every question is answered correctly.",
    "review.wrong": "Answered wrongly",
    "review.untried": "Not tried yet",
    "review.summary_wrong.one": "{count} question answered wrongly.",
    "review.summary_wrong.other": "{count} questions answered wrongly.",
    "review.summary_untried.one": "{count} question not tried yet.",
    "review.summary_untried.other": "{count} questions not tried yet.",
    "review.summary_both.one": "{wrong} question answered wrongly and {untried} not tried yet.",
    "review.summary_both.other": "{wrong} questions answered wrongly and {untried} not tried "
                                 "yet.",
    # Page not found
    "print.howto": "Every chapter of the course on one page, without the answers, hints and "
                   "solutions. To print it or save it as a PDF, use your browser's Print command "
                   "and choose a printer, or \u201cSave as PDF\u201d.",
    "print.contents": "Contents",
    "notfound.title": "Page not found",
    "notfound.text": "The page you were looking for isn\u2019t here. It may have been moved or "
                     "renamed, or the address may be mistyped.",
    "notfound.home": "Go to the course home",
    # Explorers
    "explore.rate": "Learning rate",
    "explore.steps": "Steps",
    "explore.momentum": "Momentum",
    "explore.direction": "Direction",
    "explore.degrees": "{value} degrees",
    "explore.last_iterate": "Last iterate",
    "explore.value_there": "{function} there",
    "explore.norm_there": "\u2016\u2207{function}\u2016 there",
    "explore.steps_taken": "Steps taken",
    "explore.slope": "Slope {function}\u2032({variables})",
    "explore.point": "Point",
    "explore.directional": "Directional derivative",
    "explore.angle": "Angle to the gradient",
    "explore.diverged.one": "Diverged: the iterates left the view after {count} step.",
    "explore.diverged.other": "Diverged: the iterates left the view after {count} steps.",
    "explore.diverged_at_once": "Diverged: the first step already left the view.",
    "explore.nojs": "Moving this figure needs JavaScript; without it, the figure shows the "
                   "settings above.",
    "explore.start_point": "Start point",
    "explore.graph_point": "Point on the graph",
    "explore.graph": "Interactive graph: drag the point, or use the arrow keys (Shift for "
                     "larger steps)",
    "explore.plot": "Interactive plot: drag the point, or use the arrow keys (Shift for "
                    "larger steps)",
}
