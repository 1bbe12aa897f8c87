"""Computed answers of numeric questions (spec section 6).

An answer is a number or an expression that may call the chapter's functions
and gradients; it is evaluated at build time, with errors at the answer's line.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from gradsite.check.answers import evaluate_answers
from gradsite.check.functions import check_functions
from gradsite.load import load_chapter
from gradsite.model import Chapter
from tests.coursekit import only, where

CH = "content/01-a/01-b.md"
FUNCTIONS = (
    "functions:\n"
    "  f:\n"
    "    expr: x**2*y + 3*y\n"
    "    gradient: [2*x*y, x**2 + 3]\n"
    "  g: x**3 - 3*x\n"
    "  r: 1/x\n"
)
QUIZ_LINE = 11  # the line of the first question's answer


def chapter_with(tmp_path: Path, *answers: str, functions: str = FUNCTIONS) -> Chapter:
    """A chapter with FUNCTIONS and one numeric question per answer (each on one line)."""
    quiz = "quiz:\n" + "".join(f"  - question: Q{i}?\n    answer: {a}\n"
                                for i, a in enumerate(answers))
    path = tmp_path / CH
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("---\ntitle: T\n" + functions + quiz + "---\nBody.\n", encoding="utf-8")
    chapter, problems = load_chapter(path, 1, "b")
    assert problems == [], [p.format() for p in problems]
    assert chapter is not None
    return chapter


def answers_of(tmp_path: Path, *answers: str) -> tuple[dict[str, float], list]:
    chapter = chapter_with(tmp_path, *answers)
    functions, problems = check_functions(chapter)
    assert problems == []
    answers, problems = evaluate_answers(chapter, functions, {})
    # A question without parameters has one variant, the empty one.
    return {qid: only_value(values) for qid, values in answers.items()}, problems


def only_value(values: tuple[float, ...]) -> float:
    assert len(values) == 1
    return values[0]


@pytest.mark.parametrize(
    ("answer", "value"),
    [
        ("0.25", 0.25),
        ("-3", -3.0),
        ("1e-3", 1e-3),
        ("'1/3'", 1 / 3),
        ("sqrt(2)/2", math.sqrt(2) / 2),
        ("pi/4", math.pi / 4),
        ("f(1, 2)", 8.0),
        ("f(0.5, -1)", -3.25),
        ("grad_f(1, 2)[0]", 4.0),
        ("grad_f(1, 2)[1]", 4.0),
        ("grad_f(1, 2)[-1]", 4.0),
        ("0.6*grad_f(1, 2)[0] + 0.8*grad_f(1, 2)[1]", 5.6),
        ("sqrt(grad_f(1, 1)[0]**2 + grad_f(1, 1)[1]**2)", math.sqrt(4 + 16)),
        ("f(1 - 0.1*grad_f(1, 1)[0], 1 - 0.1*grad_f(1, 1)[1])", 0.8**2 * 0.6 + 3 * 0.6),
        ("grad_g(2)[0]", 9.0),  # a numerical gradient
        ("r(4)", 0.25),
        ("grad_r(2)[0]", -0.25),
    ],
)
def test_answers_evaluate(tmp_path: Path, answer: str, value: float) -> None:
    answers, problems = answers_of(tmp_path, answer)
    assert problems == []
    assert answers == {"q1": pytest.approx(value, rel=1e-9)}


def test_answers_are_keyed_by_question_id_and_choice_questions_are_left_out(
    tmp_path: Path,
) -> None:
    path = tmp_path / CH
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "---\ntitle: T\n" + FUNCTIONS +
        "quiz:\n"
        "  - id: pick\n    question: Which?\n    choices:\n"
        "      - text: A\n        correct: true\n      - B\n"
        "  - id: slope\n    question: Slope?\n    answer: grad_f(1, 2)[0]\n"
        "---\n", encoding="utf-8")
    chapter, _ = load_chapter(path, 1, "b")
    assert chapter is not None
    functions, _ = check_functions(chapter)
    assert evaluate_answers(chapter, functions, {}) == ({"slope": (4.0,)}, [])


@pytest.mark.parametrize(
    ("answer", "message", "column", "hint"),
    [
        ("h(1)", "unknown function 'h'", 13, "the chapter declares f, g and r"),
        ("ff(1, 2)", "unknown function 'ff'", 13, "did you mean 'f'?"),
        ("grad_ff(1, 2)[0]", "unknown function 'grad_ff'", 13, "did you mean 'grad_f'?"),
        ("grad_f(1, 2)[2]", "index 2 is out of range: 'grad_f(1, 2)' has 2 components", 26,
         "0 to 1"),
        ("grad_f(1, 2)[-3]", "index -3 is out of range", 26, ""),
        ("grad_g(1)[1]", "index 1 is out of range: 'grad_g(1)' has 1 component", 23, ""),
        ("grad_f(1, 2)[0.5]", "the index must be a whole number: '0.5'", 26, "[0]"),
        ("grad_f(1, 2)[x]", "the index must be a whole number", 26, ""),
        ("grad_f(1, 2)[0:1]", "the index must be a whole number", 26, ""),
        ("grad_f(1, 2)", "'grad_f(1, 2)' is a vector of 2 components", 13, "grad_f(1, 2)[0]"),
        ("1 + grad_f(1, 2)", "is a vector of 2 components, not a number", 17, ""),
        ("f(1, 2)[0]", "'f(1, 2)' is a number and cannot be indexed", 13, ""),
        ("f(1)", "f takes 2 arguments, got 1", 13, ""),
        ("grad_g(1, 2)[0]", "grad_g takes 1 argument, got 2", 13, ""),
        ("f(x, 1)", "unknown name 'x'", 15, "an answer has no variables"),
        ("f(grad_f(1, 2), 1)", "is a vector of 2 components, not a number", 15, ""),
        ("r(0)", "'r(0)' is not a finite number (it is inf)", 13, "not defined at this argument"),
        ("1 + sqrt(-1)", "'sqrt(-1)' is not a finite number (it is nan)", 17, ""),
        ("9**9**9", "'9**9**9' is not a finite number (it is inf)", 13, "overflows"),
        ("grad_r(0)[0]", "is not a finite number", 13, ""),
        ("np.sqrt(2)", "attribute access is not allowed: 'np.sqrt'", 15, "write 'sqrt'"),
        ("__import__('os')", "unknown function '__import__'", 13, ""),
        ("f(1, 2) if 1 else 0", "conditional expressions are not allowed", 13, ""),
        ("'f(1, 2'", "syntax error", 0, "matching ')'"),
    ],
)
def test_answer_errors_name_the_line_column_and_key_path(
    tmp_path: Path, answer: str, message: str, column: int, hint: str
) -> None:
    answers, problems = answers_of(tmp_path, answer)
    problem = only(problems)
    assert where(problem) == f"{CH}:{QUIZ_LINE}"
    assert problem.location.column == column
    assert problem.message.startswith("quiz[0].answer: ")
    assert message in problem.message
    assert hint in problem.hint
    assert answers == {}


def test_every_bad_answer_is_reported_and_the_good_ones_kept(tmp_path: Path) -> None:
    answers, problems = answers_of(tmp_path, "f(1, 2)", "h(1)", "grad_f(0, 0)[1]", "r(0)")
    assert answers == {"q1": 8.0, "q3": 3.0}
    assert [(where(p), p.message.split(":")[0]) for p in problems] == [
        (f"{CH}:{QUIZ_LINE + 2}", "quiz[1].answer"), (f"{CH}:{QUIZ_LINE + 6}", "quiz[3].answer")]


def test_a_non_finite_number_is_an_error(tmp_path: Path) -> None:
    answers, problems = answers_of(tmp_path, ".inf")
    assert "not a finite number" in only(problems).message
    assert answers == {}


def test_an_answer_about_a_broken_function_is_left_to_that_functions_error(
    tmp_path: Path,
) -> None:
    chapter = chapter_with(tmp_path, "grad_k(1, 2)[0]", "k(1, 2)", "f(1, 2)",
                           functions=FUNCTIONS + "  k: x ^ y\n")
    functions, problems = check_functions(chapter)
    assert "k" not in functions and len(problems) == 1
    answers, problems = evaluate_answers(chapter, functions, {})
    assert (answers, problems) == ({"q3": (8.0,)}, [])
