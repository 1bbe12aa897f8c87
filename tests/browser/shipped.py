"""The shipped course as the browser tests expect to see it, and its one build.

Expected values come from the course's own files (front matter, code fences),
read with gradsite's loader and answer evaluator: the tests never hard-code an
answer the UI computes. ``build_site`` builds a course once per test session
(the browser tests and the HTML validity test share the build).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from gradsite.check.answers import evaluate_answers
from gradsite.check.cells import parse_cell
from gradsite.check.functions import check_functions
from gradsite.diagnostics import Location
from gradsite.layout import chapter_key, chapter_page
from gradsite.load import load_course
from gradsite.params import draw_variants, substitute
from gradsite.pipeline import BuildOptions, build
from gradsite.scan import scan_body
from gradsite.site import course_key

REPO = Path(__file__).resolve().parents[2]
CONTENT = REPO / "content"
NODE_MODULES = REPO / "node_modules"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
NPM_HINT = "run `npm ci` in the repository root (it installs axe-core and vnu-jar)"


@dataclass(frozen=True)
class ExpectedChoice:
    index: int  # the choice's position in the front matter: its input's value
    text: str
    correct: bool
    feedback: str


@dataclass(frozen=True)
class ExpectedQuestion:
    id: str
    kind: str  # single, multiple or numeric
    choices: tuple[ExpectedChoice, ...]
    answer: float | None  # numeric questions: the evaluated answer (of the first variant)
    tolerance: float | None  # numeric: the effective tolerance (contract default applied)
    explanation: str
    answers: tuple[float, ...] = ()  # numeric questions: the answer of each variant
    variants: int = 1  # how many variants the page holds (forms)
    hints: int = 0

    @property
    def form(self) -> str:
        return f"#question-{self.id}"

    def variant_form(self, index: int) -> str:
        """The form of variant ``index`` (from 0): the first has the question's id."""
        return self.form + (f"-v{index + 1}" if index else "")

    @property
    def correct_indexes(self) -> frozenset[int]:
        return frozenset(c.index for c in self.choices if c.correct)

    @property
    def wrong_indexes(self) -> tuple[int, ...]:
        return tuple(c.index for c in self.choices if not c.correct)


@dataclass(frozen=True)
class ExpectedChapter:
    key: str
    page: str  # path in the site: section-slug/chapter-slug.html
    title: str
    questions: tuple[ExpectedQuestion, ...]
    code: tuple[str, ...]  # the code of every shown code block, in page order
    placed: tuple[str, ...]  # ids of the questions placed in the text by a quiz fence


@dataclass(frozen=True)
class ExpectedCourse:
    key: str
    title: str
    chapters: tuple[ExpectedChapter, ...]

    @property
    def storage_key(self) -> str:
        return f"gradsite:progress:{self.key}"

    def chapter(self, key: str) -> ExpectedChapter:
        return next(ch for ch in self.chapters if ch.key == key)

    def with_questions(self, kind: str | None = None) -> list[ExpectedChapter]:
        return [ch for ch in self.chapters
                if ch.questions and (kind is None or any(q.kind == kind for q in ch.questions))]


def default_tolerance(answer: float) -> float:
    return 1e-6 * max(1.0, abs(answer))


def expected_course(content: Path = CONTENT) -> ExpectedCourse:
    course, problems = load_course(content)
    errors = [p.format() for p in problems if p.is_error]
    assert course is not None and not errors, errors
    chapters = []
    for section in course.sections:
        for chapter in section.chapters:
            functions, found = check_functions(chapter)
            assert not [p for p in found if p.is_error], [p.format() for p in found]
            key = chapter_key(section, chapter)
            # The page shows a question's first variant (a question without parameters
            # has one, the empty variant).
            variants = {q.id: draw_variants(q.params, q.variants, f"{key}\0{q.id}")
                        for q in chapter.quiz}
            answers, found = evaluate_answers(chapter, functions, variants)
            assert not found, [p.format() for p in found]
            questions = []
            for q in chapter.quiz:
                first = variants[q.id][0]
                answer = answers[q.id][0] if q.id in answers else None
                tolerance = None
                if answer is not None:
                    tolerance = q.tolerance if q.tolerance is not None else default_tolerance(
                        answer)
                questions.append(ExpectedQuestion(
                    id=q.id,
                    kind=q.kind,
                    choices=tuple(ExpectedChoice(i, substitute(c.text, first), c.correct,
                                                 substitute(c.feedback, first))
                                  for i, c in enumerate(q.choices)),
                    answer=answer,
                    tolerance=tolerance,
                    explanation=substitute(q.explanation, first),
                    answers=answers.get(q.id, ()),
                    variants=len(variants[q.id]),
                    hints=len(q.hints),
                ))
            chapters.append(ExpectedChapter(
                key=chapter_key(section, chapter),
                page=chapter_page(section, chapter),
                title=chapter.title,
                questions=tuple(questions),
                code=_shown_code(chapter.body, chapter.display_path),
                placed=_placed_questions(chapter.body, chapter.display_path),
            ))
    return ExpectedCourse(course_key(course), course.info.title, tuple(chapters))


def _shown_code(body: str, path: str) -> tuple[str, ...]:
    scanned, _ = scan_body(body, Location(path, 1))
    code = []
    for block in scanned.blocks:
        if block.kind == "code":
            code.append(block.source)
        elif block.kind == "cell":
            cell, _ = parse_cell(block)
            if cell.options.echo:
                code.append(cell.code)
    return tuple(code)


def _placed_questions(body: str, path: str) -> tuple[str, ...]:
    scanned, _ = scan_body(body, Location(path, 1))
    return tuple(b.source.strip() for b in scanned.blocks if b.kind == "quiz")


# --- numbers as a reader may type them --------------------------------------


def plain(value: float) -> str:
    """The shortest decimal spelling: 2, 5.6, -0.008."""
    text = repr(float(value))
    if "e" in text:
        text = format(value, "f").rstrip("0").rstrip(".")
    return text.removesuffix(".0")


def spellings(answer: float, tolerance: float) -> list[str]:
    """Different ways to type ``answer`` that the contract accepts, each within tolerance."""
    short = plain(answer)
    forms = [short, f"  {short}  "]
    if "." not in short:
        forms.append(f"{short}.0")  # 2 -> 2.0
    else:
        forms.append(short.replace(".", ","))  # 0.2 -> 0,2 (decimal comma)
        if short.startswith("0."):
            forms.append(short[1:])  # 0.2 -> .2
    forms.append(format(answer, ".6e"))  # 2.000000e+00
    mantissa = format(answer, ".0e")  # -8e-03 -> -8e-3
    if abs(float(mantissa) - answer) <= tolerance:
        m, exp = mantissa.split("e")
        forms.append(f"{m}e{int(exp)}")
    fraction = Fraction(answer).limit_denominator(1000)
    if abs(float(fraction) - answer) <= tolerance:
        num, den = fraction.numerator, fraction.denominator
        if den == 1:
            num, den = 2 * num, 2  # 2 -> 4/2: still a fraction of two numbers
        forms.append(f"{num}/{den}")
    for form in forms:
        assert abs(_parse_for_check(form) - answer) <= tolerance, form
    return forms


def _parse_for_check(text: str) -> float:
    text = text.strip().replace(",", ".")
    if "/" in text:
        num, den = text.split("/")
        return float(num) / float(den)
    return float(text)


def wrong_number(answer: float, tolerance: float) -> str:
    """A number clearly outside the tolerance (and not the answer's negative)."""
    value = answer + max(1.0, 100 * tolerance, abs(answer))
    assert abs(value - answer) > tolerance and not math.isclose(value, -answer)
    return plain(value)


# --- the build ----------------------------------------------------------------

_built: dict[Path, Path] = {}


def build_site(content: Path, out: Path, cache_dir: Path) -> Path:
    """Build ``content`` into ``out`` once per session; later calls return ``out``."""
    key = out.resolve()
    if key not in _built:
        build(BuildOptions(content=content, out=out, cache_dir=cache_dir, quiet=True))
        _built[key] = out
    return _built[key]


def shipped_site(base_temp: Path) -> Path:
    """The shipped course, built into ``<pytest's base temp>/www/course``.

    The folder named ``course`` lets the same files be served under a sub-path.
    """
    return build_site(CONTENT, base_temp / "shipped" / "www" / "course",
                      base_temp / "shipped" / "cache")
