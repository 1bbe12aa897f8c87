"""A small course with question variants and hints, for the browser tests of
"Try another", hints, the review page and progress that carries them.

Section 1 has a chapter with a parameterized numeric question (10 variants,
two hints) and a parameterized choice question (5 variants, one hint), and a
chapter with one plain question; section 2 a chapter without questions. The
expected answers come from gradsite's own loader and evaluator
(``expected_course``), never written here.
"""

from __future__ import annotations

from pathlib import Path

from tests.browser.shipped import ExpectedCourse, build_site, expected_course
from tests.coursekit import chapter, make_course

SLOPE = {
    "id": "slope",
    "question": "What is the slope of $x \\mapsto {{a}} x^2$ at $x = {{b}}$?",
    "params": {"a": [2, 5], "b": {"choices": [-1, 0.5, 3]}},
    "answer": "2 * a * b",
    "hints": ["The derivative of $c x^2$ is $2 c x$.",
              "Put $x = {{b}}$ into $2 \\cdot {{a}}\\, x$."],
    "explanation": "It is $2 \\cdot {{a}} \\cdot {{b}}$.",
}
PICK = {
    "id": "pick",
    "question": "Which number is larger than {{n}}?",
    "params": {"n": [1, 9]},
    "variants": 5,
    "choices": [{"text": "{{n}} + 1", "correct": True}, {"text": "{{n}} - 1"}],
    "hints": ["Adding one makes a number larger."],
}
TWO = {"id": "two", "question": "One plus one?", "answer": 2}

FILES: dict[str, str | bytes | None] = {
    "course.yml": "title: Variant Course\n",
    "01-calculus/01-slopes.md": chapter("Slopes", "Slopes of parabolas.\n", quiz=[SLOPE, PICK]),
    "01-calculus/02-sums.md": chapter("Sums", "Adding numbers.\n", quiz=[TWO]),
    "02-reading/01-notes.md": chapter("Notes", "Only text here.\n"),
}


def variants_site(base_temp: Path) -> Path:
    """The course built once per test session, into ``<base temp>/variants/www/course``."""
    root = base_temp / "variants"
    content = make_course(root, FILES)
    return build_site(content, root / "www" / "course", root / "cache")


def variants_expected(site: Path) -> ExpectedCourse:
    return expected_course(site.parents[1] / "content")
