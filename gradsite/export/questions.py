"""The course's questions as an LMS export sees them: plain, frozen data that the
QTI and Moodle writers turn into files.

A question with parameters is a family: one LMS question per variant, each
with its own texts (``{{name}}`` replaced), answer and title ("1.2
one-step-rate (a = 3)"). Texts are simple HTML with TeX math (lmstext.py).

Numbers are decimals: the site's answer and tolerance are binary floats, and
an LMS reads the text written here. A float written by ``repr`` and read back
as a decimal is its shortest exact spelling, and the range bounds are computed
in decimal from it, so ``upper - answer`` is the tolerance to the last digit
(Canvas reads the margin back that way).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from ..layout import chapter_key, chapter_page
from ..model import CheckedChapter, Course, Macro, Question, QuestionKind, Reference
from ..params import Variant, substitute, variant_text
from ..resolve import CourseFacts
from .lmstext import NO_REFERENCES, lms_html, lms_plain


@dataclass(frozen=True)
class LmsChoice:
    html: str
    correct: bool
    feedback_html: str = ""


@dataclass(frozen=True)
class LmsQuestion:
    """One question as an LMS takes it: a question without parameters, or one variant."""

    key: str  # "section/chapter/question-id", "/v2" appended from the second variant on
    title: str  # "1.2 one-step-rate (a = 3)"
    kind: QuestionKind
    text_html: str
    explanation_html: str = ""
    hints_html: tuple[str, ...] = ()
    choices: tuple[LmsChoice, ...] = ()
    shuffle: bool = False
    answer: Decimal | None = None  # numeric questions
    tolerance: Decimal | None = None  # absolute, as on the site (its default filled in)
    variant: Variant = ()

    @property
    def bounds(self) -> tuple[Decimal, Decimal]:
        """The accepted range of a numeric answer, ends included."""
        assert self.answer is not None and self.tolerance is not None
        return self.answer - self.tolerance, self.answer + self.tolerance


@dataclass(frozen=True)
class LmsFamily:
    """An authored question: its variants, one for a question without parameters."""

    id: str
    key: str  # "section/chapter/question-id"
    variants: tuple[LmsQuestion, ...]


@dataclass(frozen=True)
class LmsChapter:
    key: str  # "section/chapter", as readers' progress names it: survives renumbering
    position: str  # "1.2"
    title: str  # plain text, math as TeX
    summary_html: str
    families: tuple[LmsFamily, ...]

    @property
    def questions(self) -> tuple[LmsQuestion, ...]:
        return tuple(q for family in self.families for q in family.variants)


@dataclass(frozen=True)
class LmsCourse:
    title: str
    chapters: tuple[LmsChapter, ...]  # those with questions, in course order

    @property
    def questions(self) -> tuple[LmsQuestion, ...]:
        return tuple(q for chapter in self.chapters for q in chapter.questions)


def lms_course(
    course: Course, checked: tuple[CheckedChapter, ...], facts: CourseFacts,
) -> LmsCourse:
    """The questions of ``checked`` (those chapters, in course order; a chapter without
    questions is left out), their references numbered as ``facts`` say."""
    macros = course.info.macros
    chapters = []
    for one in checked:
        if not one.chapter.quiz:
            continue
        page = chapter_page(one.section, one.chapter)
        references = {r.name: r for r in facts.of(page).references}
        chapters.append(lms_chapter(one, macros, references))
    return LmsCourse(lms_plain(course.info.title, macros), tuple(chapters))


def select_chapters(
    checked: tuple[CheckedChapter, ...], wanted: list[str] | None,
) -> tuple[tuple[CheckedChapter, ...], list[str]]:
    """The chapters ``--chapters`` names, in course order (``2``: every chapter of
    section 2; ``1.3``: chapter 3 of section 1), and the names that match none.
    None selects them all."""
    if wanted is None:
        return checked, []
    unknown = [name for name in wanted
               if not any(_selects(name, one.position) for one in checked)]
    chosen = tuple(one for one in checked if any(_selects(name, one.position) for name in wanted))
    return chosen, unknown


def _selects(name: str, position: str) -> bool:
    return position == name or position.split(".")[0] == name


def lms_chapter(
    one: CheckedChapter, macros: tuple[Macro, ...] = (),
    references: Mapping[str, Reference] = NO_REFERENCES,
) -> LmsChapter:
    """One chapter's questions, each with its variants; ``references``: the labels the
    chapter refers to, by name."""
    key = chapter_key(one.section, one.chapter)
    families = []
    for question in one.chapter.quiz:
        if question.kind == "numeric" and question.id not in one.answers:
            continue  # its answer failed: the check stage said why, and nothing is exported
        family_key = f"{key}/{question.id}"
        variants = one.variants.get(question.id, ((),))
        answers = one.answers.get(question.id, ())
        families.append(LmsFamily(question.id, family_key, tuple(
            _variant(question, f"{one.position} {question.id}",
                     family_key + (f"/v{number + 1}" if number else ""), variant,
                     answers[number] if answers else None, macros, references)
            for number, variant in enumerate(variants))))
    return LmsChapter(key, one.position, lms_plain(one.chapter.title, macros),
                      lms_html(one.chapter.summary, macros), tuple(families))


def _variant(
    question: Question, title: str, key: str, variant: Variant, value: float | None,
    macros: tuple[Macro, ...], references: Mapping[str, Reference],
) -> LmsQuestion:
    """A question in one variant: its texts with the variant's values, its answer."""

    def html(text: str) -> str:
        return lms_html(substitute(text, variant), macros, references)

    answer = tolerance = None
    if value is not None:
        answer, tolerance = numeric_answer(value, question.tolerance)
    return LmsQuestion(
        key=key,
        title=f"{title} ({variant_text(variant)})" if variant else title,
        kind=question.kind,
        text_html=html(question.question),
        explanation_html=html(question.explanation),
        hints_html=tuple(html(hint) for hint in question.hints),
        choices=tuple(LmsChoice(html(c.text), c.correct, html(c.feedback))
                      for c in question.choices),
        shuffle=question.shuffle,
        answer=answer,
        tolerance=tolerance,
        variant=variant,
    )


def numeric_answer(value: float, tolerance: float | None) -> tuple[Decimal, Decimal]:
    """A numeric question's answer and absolute tolerance as decimals; without a
    tolerance, the site's default (``1e-6 * max(1, |answer|)``)."""
    value += 0.0  # -0.0 -> 0.0
    if tolerance is None:
        tolerance = 1e-6 * max(1.0, abs(value))  # as the page computes it (markup/questions.py)
    return Decimal(repr(value)), Decimal(repr(float(tolerance)))


def decimal_text(value: Decimal) -> str:
    """A decimal written out in full, without an exponent: ``0.00000001``, ``-2.5``."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
