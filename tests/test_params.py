"""Question parameters and hints (spec section 13), the build's side: reading params,
drawing variants, ``{{name}}`` in every text, an answer per variant, and the checks
that keep a broken variant from any page.

The reader's side (hints one at a time, "Try another", progress) is in the browser
tests.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gradsite.check.answers import evaluate_answers
from gradsite.check.functions import check_functions
from gradsite.diagnostics import Location
from gradsite.load import load_chapter
from gradsite.model import Param
from gradsite.params import combinations, draw_variants, substitute, variant_text
from tests.coursekit import build_problems, build_site, chapter, make_course, only, where

CH = "content/01-a/01-b.md"
HERE = Location(CH, 1)


def loaded(tmp_path: Path, quiz: str, functions: str = ""):  # type: ignore[no-untyped-def]
    path = tmp_path / CH
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\ntitle: T\n{functions}quiz:\n{quiz}---\nText.\n", encoding="utf-8")
    return load_chapter(path, 1, "b")


def problems_of(tmp_path: Path, quiz: str, functions: str = "") -> list[tuple[str, str, str]]:
    _, problems = loaded(tmp_path, quiz, functions)
    return [(where(p), p.message, p.hint) for p in problems]


# --- reading ----------------------------------------------------------------------------


def test_the_three_ways_to_write_values(tmp_path: Path) -> None:
    read, problems = loaded(tmp_path, (
        "  - question: 'Q {{a}} {{b}} {{c}} {{d}}'\n    answer: a + b + c\n"
        "    params:\n      a: [1, 4]\n      b: {choices: [0.5, 2, 10]}\n"
        "      c: {range: [-1, 1], step: 0.1}\n      d: {choices: [convex, concave]}\n"
        "    variants: 50\n    hints: ['Add them.', 'All {{a}} of them.']\n"))
    assert problems == [] and read is not None
    (question,) = read.quiz
    values = {p.name: p.values for p in question.params}
    assert values["a"] == (1, 2, 3, 4)
    assert values["b"] == (0.5, 2, 10)
    assert values["c"][:4] == (-1, -0.9, -0.8, -0.7) and values["c"][10] == 0
    assert len(values["c"]) == 21 and values["c"][-1] == 1
    assert values["d"] == ("convex", "concave")
    assert (question.variants, question.hints) == (50, ("Add them.", "All {{a}} of them."))


def test_a_question_without_params_has_one_variant(tmp_path: Path) -> None:
    read, problems = loaded(tmp_path, "  - question: Q\n    answer: 2\n")
    assert problems == [] and read is not None
    assert (read.quiz[0].params, read.quiz[0].variants) == ((), 1)


@pytest.mark.parametrize(("quiz", "line", "message", "hint"), [
    ("  - question: 'Q {{b}}'\n    answer: 1\n    params:\n      a: [1, 20]\n", 6,
     "quiz[0].question: '{{b}}' names no parameter", "valid parameters: a"),
    ("  - question: Q\n    answer: 1\n    params:\n      alpha: [1, 20]\n"
     "    explanation: 'With {{alpa}}.'\n", 10,
     "quiz[0].explanation: '{{alpa}}' names no parameter", "did you mean 'alpha'?"),
    ("  - question: Q\n    answer: a\n    params:\n      a: [5, 1]\n", 9,
     "quiz[0].params.a: the low end 5 is not below the high end 1", ""),
    ("  - question: Q\n    answer: a\n    params:\n      a: {range: [2, 2], step: 0.5}\n", 9,
     "quiz[0].params.a.range: the low end 2 is not below the high end 2", ""),
    ("  - question: Q\n    answer: a\n    params:\n      a: [1, 100]\n    variants: 60\n", 10,
     "quiz[0].variants: expected a whole number from 1 to 50, got 60", ""),
    ("  - question: Q\n    answer: a\n    params:\n      a: [1, 100]\n    variants: 0\n", 10,
     "quiz[0].variants: expected a whole number from 1 to 50, got 0", ""),
    ("  - question: Q\n    answer: 1\n    variants: 5\n", 8,
     "quiz[0].variants: only a question with 'params' has variants", ""),
    ("  - question: Q\n    answer: a\n    params:\n      a: [1, 3]\n", 9,
     "quiz[0]: the parameters give 3 distinct variants, fewer than the default of 10 variants",
     "write variants: 3, or give the parameters more values"),
    ("  - question: Q\n    answer: a*b\n    params:\n      a: [1, 2]\n      b: [1, 3]\n"
     "    variants: 7\n", 11,
     "quiz[0]: the parameters give 6 distinct variants, fewer than variants: 7", ""),
    ("  - question: Q\n    answer: f(1)\n    params:\n      f: [1, 20]\n", 9,
     "quiz[0].params.f: 'f' is already a function the chapter declares", ""),
    ("  - question: Q\n    answer: 1\n    params:\n      sin: [1, 20]\n", 9,
     "quiz[0].params.sin: 'sin' is already a function of the expression language", ""),
    ("  - question: Q\n    answer: 1\n    params:\n      pi: [1, 20]\n", 9,
     "quiz[0].params.pi: 'pi' is already a name of the expression language", ""),
    ("  - question: Q\n    answer: 1\n    params:\n      a: [1.5, 20]\n", 9,
     "quiz[0].params.a: a range of integers is [low, high], got [1.5, 20]", ""),
    ("  - question: Q\n    answer: 1\n    hints: [Fine, '']\n", 8,
     "quiz[0].hints[1]: expected a hint's text, got ''", ""),
])
def test_errors_at_their_line(
    tmp_path: Path, quiz: str, line: int, message: str, hint: str
) -> None:
    functions = "functions:\n  f: x**2\n"
    (found,) = problems_of(tmp_path, quiz, functions)
    assert found[:2] == (f"{CH}:{line}", message)
    assert found[2].startswith(hint)


# --- drawing -----------------------------------------------------------------------------


def params(**values: tuple[object, ...]) -> tuple[Param, ...]:
    return tuple(Param(name, tuple(v), HERE) for name, v in values.items())  # type: ignore[misc]


def test_variants_are_distinct_reproducible_and_prefix_stable() -> None:
    family = params(a=tuple(range(1, 11)), b=(0.5, 2.0, 10.0))
    assert combinations(family) == 30
    ten = draw_variants(family, 10, "sec/ch\0q1")
    assert len(set(ten)) == 10
    assert draw_variants(family, 10, "sec/ch\0q1") == ten
    assert draw_variants(family, 25, "sec/ch\0q1")[:10] == ten  # more variants, same first ten
    assert draw_variants(family, 10, "sec/ch\0q2") != ten  # another question, another draw
    every = draw_variants(family, 30, "sec/ch\0q1")
    assert sorted(every) == sorted((("a", a), ("b", b)) for a in range(1, 11)
                                   for b in (0.5, 2.0, 10.0))


def test_substitution_everywhere_and_as_written() -> None:
    variant = (("a", 3), ("b", -0.25), ("w", "concave"))
    assert substitute("$x^{{{a}}} + {{ b }}$ is {{w}}", variant) == "$x^{3} + -0.25$ is concave"
    assert variant_text(variant) == "a = 3, b = -0.25, w = concave"
    assert substitute("no {{c}} here", variant) == "no {{c}} here"  # checked when loading


# --- checking and the page ------------------------------------------------------------------


def test_an_answer_per_variant(tmp_path: Path) -> None:
    chapter_read, problems = loaded(tmp_path, (
        "  - id: d\n    question: 'Slope of $x^2$ at {{a}}, times {{b}}'\n"
        "    answer: grad_f(a) [0] * b\n    params:\n      a: [1, 5]\n      b: [2, 3]\n"),
        "functions:\n  f: x**2\n")
    assert problems == [] and chapter_read is not None
    functions, _ = check_functions(chapter_read)
    variants = {"d": draw_variants(chapter_read.quiz[0].params, 10, "s")}
    answers, problems = evaluate_answers(chapter_read, functions, variants)
    assert problems == []
    assert answers["d"] == pytest.approx([2 * dict(v)["a"] * dict(v)["b"] for v in variants["d"]])


def test_a_variant_whose_answer_is_not_finite_is_named(tmp_path: Path) -> None:
    content = make_course(tmp_path, {"01-a/01-b.md": chapter(quiz=[{
        "id": "inverse", "question": "What is 1/({{a}} - 2)?", "answer": "1 / (a - 2)",
        "params": {"a": [0, 4]}, "variants": 5}])})
    problem = only(build_problems(content, tmp_path / "site"))
    assert problem.message == ("quiz[0].answer in the variant a = 2: the answer is not a finite "
                               "number (it is inf)")


def test_choices_that_read_the_same_in_a_variant(tmp_path: Path) -> None:
    content = make_course(tmp_path, {"01-a/01-b.md": chapter(quiz=[{
        "id": "larger", "question": "Which is larger?", "params": {"a": [1, 3], "b": [1, 3]},
        "variants": 9, "choices": [{"text": "{{a}}", "correct": True}, "{{b}}"]}])})
    problem = only(build_problems(content, tmp_path / "site"))
    assert re.fullmatch(r"quiz\[0\]\.choices\[1\]: in the variant a = (\d), b = \1 it reads the "
                        r"same as choice 0: '\1'", problem.message), problem.message


def test_bad_latex_in_one_variant_names_it(tmp_path: Path) -> None:
    content = make_course(tmp_path, {"01-a/01-b.md": chapter(quiz=[{
        "id": "power", "question": "Simplify $x^{{n}}$.", "answer": "1",
        "params": {"n": {"choices": [2, "\\frac"]}}, "variants": 2}])})
    problems = build_problems(content, tmp_path / "site")
    assert any("in the variant n = \\frac: " in p.message for p in problems), [
        p.format() for p in problems]


def test_the_page_holds_every_variant_and_nothing_injected(tmp_path: Path) -> None:
    content = make_course(tmp_path, {"01-a/01-b.md": chapter(quiz=[{
        "id": "name", "question": "Who is {{who}}?", "params": {
            "who": {"choices": ["<script>alert(1)</script>", "Ada", "Emmy"]}},
        "variants": 3, "hints": ["Think of {{who}}.", "Really."],
        "choices": [{"text": "{{who}}", "correct": True}, "Nobody"]}])})
    site = build_site(content, tmp_path / "site")
    page = (site / "a/b.html").read_text(encoding="utf-8")
    assert "<script>alert" not in page
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 3  # question, choice, hint
    assert page.count('<form class="question') == 3
    assert re.search(r'<div class="question-variants" data-question="name" data-variants="3">',
                     page)
    first = re.search(r'<form class="question" id="question-name" data-question="name" '
                      r'data-variant="0" data-kind="single"', page)
    assert first is not None
    assert len(re.findall(r'<form class="question question-variant" id="question-name-v[23]" '
                          r'data-question="name" data-variant="[12]" hidden', page)) == 2
    assert page.count('<button type="button" class="another-button" hidden>Try another'
                      '</button>') == 3
    hints = re.search(r'<details class="hint" data-hint="0"><summary>Show a hint \(1 of 2\)'
                      r'</summary>\n<div class="hint-text"><p>Think of .*?</p></div>\n'
                      r'<details class="hint" data-hint="1"><summary>Show a hint \(2 of 2\)'
                      r'</summary>', page, re.DOTALL)
    assert hints is not None
