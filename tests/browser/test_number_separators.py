"""Numbers whose reading hangs on their separator (1.000, 1,000): the reader is asked
which one was meant, in the course's language, where the verdict would depend on it;
a decimal written with the language's own mark is graded.

A small course with three numeric questions is built in each interface language
(the rules are grading.js's, unit-tested in tests/js/grading.test.js); here the
page shows the question's words, marks the answer box and counts no attempt.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from gradsite.i18n import CATALOGUES, fill
from tests.browser.helpers import expect, text_of
from tests.browser.shipped import build_site
from tests.coursekit import chapter, make_course

LOAD_FIGURES = False
PAGE = "part/numbers.html"
QUIZ = {"quiz": [
    {"id": "thousand", "question": "How many grams are in a kilogram?", "answer": 1000},
    {"id": "half", "question": "What is 3/2?", "answer": 1.5},
    {"id": "root", "question": "What is the square root of 2, to three decimals?",
     "answer": 1.414, "tolerance": 0.0005},
]}
LANGUAGES = ("en", "de", "fr", "es")


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    built = {}
    for language in LANGUAGES:
        root = tmp_path_factory.mktemp(f"separators-{language}")
        content = make_course(root, {
            "course.yml": f"title: Numbers\nlanguage: {language}\n",
            "01-part/01-numbers.md": chapter("Numbers", "Some questions.\n", **QUIZ),
        })
        built[language] = build_site(content, root / "www" / "course", root / "cache")
    return built


def _check(page: Any, question: str, typed: str) -> tuple[str, Any]:
    """Type ``typed`` into a question, press Check: the verdict's text and the form."""
    form = page.locator(f"form.question[data-question='{question}']")
    form.locator(".numeric-input").fill(typed)
    verdict = form.locator(".verdict")
    verdict.evaluate("v => { v.textContent = ''; }")
    form.locator(".check-button").click()
    expect(verdict).not_to_be_empty()
    return text_of(verdict), form


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_number_read_two_ways_is_asked_about_in_the_language(
        page: Any, serve_folder: Any, sites: dict[str, Path], language: str) -> None:
    words = CATALOGUES[language]
    comma = language != "en"  # the course's decimal mark is a comma

    def asked(typed: str, whole: str, decimal: str) -> str:
        text = fill(words["quiz.separator"], {"typed": typed, "whole": whole,
                                              "decimal": decimal})
        return " ".join(text.split())  # as text_of reads it: no-break spaces too

    with serve_folder(sites[language]) as base:
        page.goto(base + PAGE)
        storage = page.evaluate("Object.keys(localStorage).length")
        one_and_a_half = "1,5" if comma else "1.5"
        for question, typed, whole, decimal in [
                ("thousand", "1.000", "1000", "1"), ("thousand", "1,000", "1000", "1"),
                ("thousand", "\u22121.000/\u22121", "-1000/-1", "-1/-1"),
                ("half", "1,500" if not comma else "1.500", "1500", one_and_a_half),
                ("root", "1,414" if not comma else "1.414", "1414",
                 "1,4140" if comma else "1.4140")]:
            verdict, form = _check(page, question, typed)
            assert verdict == asked(typed, whole, decimal), (question, typed, verdict)
            expect(form.locator(".numeric-input")).to_have_attribute("aria-invalid", "true")
            expect(form.locator(".reveal-button")).to_be_hidden()  # not an attempt
            expect(form).not_to_have_class(re.compile(r"\bis-(correct|incorrect)\b"))
        # Nothing was stored: no answer was graded.
        assert page.evaluate("Object.keys(localStorage).length") == storage

        # Written so that it cannot be misread, or with the language's own decimal
        # mark where the decimal is right: graded.
        for question, typed, word in [
                ("thousand", "1000", "quiz.correct"), ("thousand", "1 000", "quiz.correct"),
                ("thousand", "1.000.000", "quiz.incorrect"),
                ("half", "1,5", "quiz.correct"), ("half", "1.5", "quiz.correct"),
                ("half", "1,500" if comma else "1.500", "quiz.correct"),
                ("root", "1,414" if comma else "1.414", "quiz.correct"),
                ("root", "1,4140" if comma else "1.4140", "quiz.correct"),
                # Both readings wrong: wrong, whichever was meant.
                ("root", "2.000", "quiz.incorrect")]:
            verdict, form = _check(page, question, typed)
            assert verdict.startswith(words[word]), (question, typed, verdict)
            expect(form.locator(".numeric-input")).not_to_have_attribute("aria-invalid", "true")
