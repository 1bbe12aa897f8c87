"""Quiz questions to HTML (spec section 6): render stage, pure functions.

A question becomes a ``<form class="question">`` following the theme's DOM
contract (docs/questions-contract.md): a fieldset whose legend is the
question, radio buttons, checkboxes or a decimal text input, a "Check" button
and a live verdict for the script, and a ``details.answer-key`` disclosure
that keeps the answer readable without JavaScript. gradsite.js grades in the
browser; everything it needs (which choices are correct, the numeric answer
and its tolerance) is written here as data attributes.

Every text an author wrote goes through ``render_fragment`` (Markdown and
math, raw HTML escaped) with the location of its YAML value, so a LaTeX
mistake in a choice is reported at that choice's line. Placement: a
```` ```quiz ```` block whose body is a question's id shows the question
there; the others follow the chapter in a "Check your understanding" section.
"""

from __future__ import annotations

import hashlib
import html
import random
import re
from dataclasses import dataclass, replace

from ..diagnostics import Diagnostic, Location
from ..i18n import ENGLISH_WORDS, Words
from ..model import Block, Chapter, Marks, Question, Reference
from ..params import Variant, substitute, variant_text
from .markdown import render_fragment
from .mathtext import plain_with_math

QUIZ_HEADING_ID = "quiz-heading"
# In English, for what is made without the course's words (the page has them).
_BLOCK_START = ("<p>", "<p ", "<div", "<ul", "<ol", "<dl", "<table", "<blockquote", "<h")


@dataclass(frozen=True)
class TextLocations:
    """Where each text of one question starts in its chapter file."""

    question: Location
    explanation: Location
    choices: tuple[Location, ...]
    feedback: tuple[Location, ...]
    hints: tuple[Location, ...] = ()


@dataclass(frozen=True)
class QuestionInputs:
    """One question with what rendering it needs: its variants, their computed answers
    and its texts' places."""

    question: Question
    # Numeric questions: the values evaluate_answers computed, one per variant;
    # () when the answer's expression failed (the check stage said why).
    answers: tuple[float, ...]
    where: TextLocations
    variants: tuple[Variant, ...] = ((),)


@dataclass(frozen=True)
class QuizInputs:
    """A chapter's questions as the render stage gets them (part of its cache key)."""

    chapter_key: str  # "section-slug/chapter-slug": seeds shuffling
    questions: tuple[QuestionInputs, ...] = ()
    macros: str = ""  # the course's macro definitions, for the texts' math
    references: tuple[Reference, ...] = ()  # the labels the chapter refers to


def text_locations(question: Question, marks: Marks) -> TextLocations:
    path = question.key_path
    count = len(question.choices)
    return TextLocations(
        question=_text_at(marks, f"{path}.question", question.question),
        explanation=_text_at(marks, f"{path}.explanation", question.explanation),
        choices=tuple(_text_at(marks, f"{path}.choices[{i}].text", question.choices[i].text)
                      for i in range(count)),
        feedback=tuple(_text_at(marks, f"{path}.choices[{i}].feedback",
                                question.choices[i].feedback) for i in range(count)),
        hints=tuple(_text_at(marks, f"{path}.hints[{i}]", hint)
                    for i, hint in enumerate(question.hints)),
    )


def quiz_inputs(
    chapter: Chapter, chapter_key: str, answers: dict[str, tuple[float, ...]],
    variants: dict[str, tuple[Variant, ...]], macros: str = "",
    references: tuple[Reference, ...] = (),
) -> QuizInputs:
    """The render stage's view of a chapter's quiz: questions, their variants and
    computed answers, the texts' locations."""
    return QuizInputs(chapter_key, tuple(
        QuestionInputs(q, answers.get(q.id, ()), text_locations(q, chapter.marks),
                       variants.get(q.id, ((),)))
        for q in chapter.quiz
    ), macros, references)


def _text_at(marks: Marks, path: str, text: str) -> Location:
    # A one-line text held as it is in the file has the column of its first character;
    # only a block scalar (| or >) keeps a line break, and its text starts on the line
    # after the indicator that the YAML mark points at.
    if path in marks.texts:
        return marks.texts[path]
    where = marks.at(path)
    return Location(where.path, where.line + (1 if "\n" in text and where.line else 0))


def render_quiz(
    quiz: QuizInputs, blocks: tuple[Block, ...], words: Words = ENGLISH_WORDS,
) -> tuple[dict[int, str], str, list[Diagnostic]]:
    """HTML of each placed quiz block (by block index) and the end-of-chapter section.

    The section holds the questions no block placed; it is "" when there are none.
    Placement mistakes were reported by the check stage; a block that names
    no question renders nothing here.
    """
    rendered: dict[str, str] = {}
    problems: list[Diagnostic] = []
    for item in quiz.questions:
        html_text, found = render_question(item, quiz.chapter_key, quiz.macros,
                                           quiz.references, words)
        problems.extend(found)
        rendered[item.question.id] = html_text
    placed: dict[int, str] = {}
    for block in blocks:
        qid = block.source.strip()
        if block.kind == "quiz" and qid in rendered and qid not in placed.values():
            placed[block.index] = qid
    unplaced = [rendered[q.question.id] for q in quiz.questions
                if q.question.id not in placed.values()]
    section = ""
    if unplaced:
        section = (f'<section class="quiz" aria-labelledby="{QUIZ_HEADING_ID}">\n'
                   f'<h2 id="{QUIZ_HEADING_ID}">{html.escape(words("quiz.heading"))}</h2>\n'
                   + "\n".join(unplaced) + "\n</section>")
    return {index: rendered[qid] for index, qid in placed.items()}, section, problems


_LEGEND = re.compile(r'<legend class="question-text">(.*?)</legend>', re.DOTALL)


def question_texts(body_html: str, ids: list[str]) -> tuple[tuple[str, str], ...]:
    """Each question of a chapter's page, in page order, with the text of its first
    variant as plain text (each formula written linearly), read from the page's
    HTML: the legend of its form ``question-ID``. A question not on the page (its
    texts failed to render) is left out."""
    found = []
    for qid in ids:
        start = body_html.find(f'<form class="question" id="question-{_attr(qid)}"')
        legend = _LEGEND.search(body_html, start) if start >= 0 else None
        if legend is not None:
            found.append((start, qid, plain_with_math(legend.group(1))))
    return tuple((qid, text) for _, qid, text in sorted(found))


def question_ids(quiz: QuizInputs) -> list[str]:
    """The element ids a chapter's questions use at their top level (for clash checks)."""
    return [f"question-{q.question.id}" for q in quiz.questions]


# --- one question ------------------------------------------------------------------


@dataclass(frozen=True)
class _Texts:
    question: str
    explanation: str
    choices: tuple[str, ...]
    feedback: tuple[str, ...]
    hints: tuple[str, ...] = ()


def _render_texts(
    question: Question, where: TextLocations, macros: str,
    references: tuple[Reference, ...] = (), variant: Variant = (),
) -> tuple[_Texts, list[Diagnostic]]:
    """The HTML of a question's texts, in one variant (its ``{{name}}`` replaced)."""
    problems: list[Diagnostic] = []

    def fragment(text: str, location: Location) -> str:
        if not text:
            return ""
        result, found = render_fragment(substitute(text, variant), location, macros, references)
        if variant and found:
            which = f"in the variant {variant_text(variant)}: "
            found = [replace(problem, message=which + problem.message) for problem in found]
        problems.extend(found)
        return result

    texts = _Texts(
        question=fragment(question.question, where.question),
        explanation=fragment(question.explanation, where.explanation),
        choices=tuple(fragment(c.text, w) for c, w in zip(question.choices, where.choices,
                                                           strict=True)),
        feedback=tuple(fragment(c.feedback, w) for c, w in zip(question.choices, where.feedback,
                                                               strict=True)),
        hints=tuple(fragment(h, w) for h, w in zip(question.hints, where.hints, strict=True)),
    )
    return texts, problems


def question_texts_html(
    question: Question, where: TextLocations, macros: str = "",
    variants: tuple[Variant, ...] = ((),),
) -> list[str]:
    """The HTML of every text of a question in every variant (for the math font)."""
    html_texts = []
    for variant in variants:
        texts, _ = _render_texts(question, where, macros, variant=variant)
        html_texts += [texts.question, texts.explanation, *texts.choices, *texts.feedback,
                       *texts.hints]
    return html_texts


def choice_order(question: Question, chapter_key: str) -> list[int]:
    """The order choices are shown in: as written, or shuffled the same way on every build."""
    order = list(range(len(question.choices)))
    if question.shuffle:
        digest = hashlib.sha256(f"{chapter_key}\0{question.id}".encode()).digest()
        random.Random(int.from_bytes(digest[:8], "big")).shuffle(order)
    return order


def render_question(
    item: QuestionInputs, chapter_key: str, macros: str = "",
    references: tuple[Reference, ...] = (), words: Words = ENGLISH_WORDS,
) -> tuple[str, list[Diagnostic]]:
    """One question as a form (docs/questions-contract.md), or the problems in its texts.

    A question with parameters is one form per variant in a ``question-variants``
    group: the first shows, the others wait hidden for "Try another".
    """
    question = item.question
    if question.kind == "numeric" and len(item.answers) != len(item.variants):
        return "", []  # its expression failed; the check stage reported why
    forms: list[str] = []
    problems: list[Diagnostic] = []
    for number, variant in enumerate(item.variants):
        texts, found = _render_texts(question, item.where, macros, references, variant)
        problems.extend(found)
        if not found:
            answer = item.answers[number] if question.kind == "numeric" else None
            forms.append(_form(question, texts, answer, chapter_key, number,
                               len(item.variants), words))
    if problems:
        return "", problems
    if len(forms) == 1:
        return forms[0], []
    return (f'<div class="question-variants" data-question="{_attr(question.id)}" '
            f'data-variants="{len(forms)}">\n' + "\n".join(forms) + "\n</div>"), []


def _form(question: Question, texts: _Texts, answer: float | None, chapter_key: str,
          number: int, count: int, words: Words = ENGLISH_WORDS) -> str:
    """The form of one variant (``number`` from 0 of ``count``); the first has the
    question's own ids, a later one ``-v2``, ``-v3``, ... appended, and is hidden."""
    kind = question.kind
    base = f"question-{question.id}" + (f"-v{number + 1}" if number else "")
    if answer is not None:
        inputs, key = _numeric_html(question, answer, base, words)
    else:
        inputs = _choices_html(question, texts, base, chapter_key)
        key = _choice_key(question, texts, words)
    explanation = ""
    key_explanation = ""
    if texts.explanation:
        paragraphs = _paragraphs(texts.explanation)
        explanation = f'<div class="explanation" hidden>{paragraphs}</div>\n'
        key_explanation = f'\n<div class="answer-key-explanation">{paragraphs}</div>'
    variant = ""
    if count > 1:
        variant = f' data-variant="{number}"' + (' hidden' if number else "")
    another = ('<button type="button" class="another-button" hidden>'
               f'{_text(words("quiz.try_another"))}</button>\n' if count > 1 else "")
    show_answer = _text(words("quiz.show_answer"))
    # method="dialog": without JavaScript, Enter in the text box submits nothing
    # (the page is not reloaded); the script grades on "submit" and cancels it.
    return (
        f'<form class="question{" question-variant" if number else ""}" id="{base}" '
        f'data-question="{_attr(question.id)}"{variant} '
        f'data-kind="{kind}" method="dialog" novalidate>\n'
        f'<fieldset{_name(texts.question)} aria-describedby="{base}-prompt">\n'
        f'<legend class="question-text">{_phrasing(texts.question)}</legend>\n'
        f'<p class="question-prompt" id="{base}-prompt">{_text(_prompt(question, words))}</p>\n'
        f"{inputs}\n"
        "</fieldset>\n"
        f"{_hints_html(texts.hints, words)}"
        '<div class="question-actions">\n'
        f'<button type="submit" class="check-button" hidden>{_text(words("quiz.check"))}</button>\n'
        f'<button type="button" class="reveal-button" hidden>{show_answer}</button>\n'
        f"{another}"
        "</div>\n"
        '<div class="verdict" role="status" aria-live="polite"></div>\n'
        f"{explanation}"
        f'<details class="answer-key">\n<summary>{show_answer}</summary>\n'
        f"{key}{key_explanation}\n"
        "</details>\n"
        "</form>"
    )


def _hints_html(hints: tuple[str, ...], words: Words = ENGLISH_WORDS) -> str:
    """Hints as nested disclosures: the second opens from inside the first, so they
    come one at a time, with or without the script."""
    html_text = ""
    for i in reversed(range(len(hints))):
        summary = _text(words("quiz.hint", number=i + 1, count=len(hints)))
        html_text = (f'<details class="hint" data-hint="{i}"><summary>{summary}</summary>\n'
                     f'<div class="hint-text">{_paragraphs(hints[i])}'
                     f"</div>\n{html_text}</details>\n")
    return html_text


def _numeric_html(question: Question, answer: float, base: str,
                  words: Words = ENGLISH_WORDS) -> tuple[str, str]:
    """The text input with the answer and tolerance for the script, and the answer key."""
    tolerance = question.tolerance
    if tolerance is None:
        tolerance = 1e-6 * max(1.0, abs(answer))  # spec section 6
    inputs = (
        f'<label for="{base}-input" class="numeric-label">{_text(words("quiz.your_answer"))}'
        "</label>\n"
        f'<input type="text" inputmode="decimal" autocomplete="off" id="{base}-input" '
        f'name="{base}" class="numeric-input" data-answer="{_attr(repr(answer))}" '
        f'data-tolerance="{_attr(repr(tolerance))}">'
    )
    # Without the script the box cannot be checked: said in the page (shown only
    # where scripting is off, CSS), not left for the reader to find out.
    note = words("quiz.nojs", show_answer=words("quiz.show_answer"))
    inputs += f'\n<p class="nojs-note">{_text(note)}</p>'
    shown = words.number(format_number(answer, tolerance))
    key = f"<p>{_text(words('quiz.answer'))} {_text(shown)}"
    if question.tolerance is not None:
        key += f" ({_text(_within(question.tolerance, words))})"
    return inputs, key + "</p>"


def _within(tolerance: float, words: Words = ENGLISH_WORDS) -> str:
    if tolerance == 0:
        return words("quiz.exact")
    return words("quiz.within", tolerance=words.number(format_number(tolerance, 0.0)))


def _prompt(question: Question, words: Words = ENGLISH_WORDS) -> str:
    """The line under a question; a numeric one with a tolerance says how close counts,
    so a reader who rounded to two decimals is not told "Incorrect" without a clue."""
    prompt = words(f"quiz.{question.kind}")
    if question.kind == "numeric" and question.tolerance is not None:
        within = _within(question.tolerance, words)
        prompt += f" ({within})"
    return prompt


def _choice_key(question: Question, texts: _Texts, words: Words = ENGLISH_WORDS) -> str:
    """The answer key of a choice question: the correct choice, or a list of them."""
    correct = [texts.choices[i] for i, c in enumerate(question.choices) if c.correct]
    label = _text(words("quiz.answer"))
    if question.kind == "multiple":
        return (f'<p>{label}</p>\n<ul class="answer-list">\n'
                + "".join(f"<li>{c}</li>\n" for c in correct) + "</ul>")
    if _is_block(correct[0]):
        return f"<p>{label}</p>\n{correct[0]}"
    return f"<p>{label} {correct[0]}</p>"


def _choices_html(question: Question, texts: _Texts, base: str, chapter_key: str) -> str:
    kind = "radio" if question.kind == "single" else "checkbox"
    rows = []
    for i in choice_order(question, chapter_key):
        choice_id = f"{base}-c{i}"
        correct = "true" if question.choices[i].correct else "false"
        row = (f'<div class="choice">\n'
               f'<input type="{kind}" id="{choice_id}" name="{base}" value="{i}" '
               f'data-correct="{correct}"{_name(texts.choices[i])}>\n'
               f'<label for="{choice_id}">{_phrasing(texts.choices[i])}</label>\n')
        if texts.feedback[i]:
            tag = "div" if _is_block(texts.feedback[i]) else "p"
            row += (f'<{tag} class="choice-feedback" id="{choice_id}-feedback" hidden>'
                    f"{texts.feedback[i]}</{tag}>\n")
        rows.append(row + "</div>")
    return '<div class="choices">\n' + "\n".join(rows) + "\n</div>"


def format_number(value: float, tolerance: float) -> str:
    """A number as a reader would type it: the fewest digits (at least 6) within the tolerance."""
    value += 0.0  # -0.0 -> 0.0
    for digits in range(6, 18):
        text = f"{value:.{digits}g}"
        if abs(float(text) - value) <= tolerance / 2:
            return text
    return repr(value)


def _is_block(fragment: str) -> bool:
    return fragment.lstrip().startswith(_BLOCK_START)


def _name(fragment: str) -> str:
    """An aria-label for the control a fragment names, if the fragment holds math.

    Browsers take no name from MathML content ("What is ?"): such a legend or
    label gets the same text with each formula written out (markup/mathtext.py).
    """
    if "<math" not in fragment:
        return ""
    return f' aria-label="{_attr(plain_with_math(fragment))}"'


def _phrasing(fragment: str) -> str:
    """A fragment fit for a legend or a label, which hold phrasing content only.

    One paragraph already comes back bare; several become block-displayed spans,
    as does display math. (Lists and tables in a question or a choice stay as they
    are: browsers show them, though a validator objects.)
    """
    if not _is_block(fragment):
        return fragment
    fragment = re.sub(r"<p>(.*?)</p>", r'<span class="para">\1</span>', fragment, flags=re.DOTALL)
    return re.sub(r'<div class="math-display">(.*?)</div>', r'<span class="math-display">\1</span>',
                  fragment, flags=re.DOTALL)


def _paragraphs(fragment: str) -> str:
    """A fragment as block HTML: one paragraph comes back from render_fragment bare."""
    return fragment if _is_block(fragment) else f"<p>{fragment}</p>"


def _attr(value: str) -> str:
    return html.escape(value, quote=True)


def _text(value: str) -> str:
    """An interface word as HTML text (an author's override may hold any character)."""
    return html.escape(value, quote=False)
