"""Page actions shared by the browser tests, written against /tmp/quiz-contract.md.

Only the contract's selectors (and ARIA roles and names) are used here.
"""

from __future__ import annotations

import json
import re
from typing import Any

from tests.browser.shipped import (
    ExpectedChapter,
    ExpectedCourse,
    ExpectedQuestion,
    plain,
    wrong_number,
)

try:  # the conftest's fixtures fail with a clear message when Playwright is missing
    from playwright.sync_api import expect
except ImportError:  # pragma: no cover
    expect = None  # type: ignore[assignment]

VERDICT_START = re.compile(r"^\s*(Correct|Incorrect)\b")
NOT_A_NUMBER = "Please enter a number, such as 0.5 or 1/2"
CHOOSE_FIRST = "Choose an answer first"


def text_of(locator: Any) -> str:
    """The text content of an element, whitespace collapsed (MathML included)."""
    return " ".join(locator.evaluate("e => e.textContent").split())


def form(page: Any, question: ExpectedQuestion) -> Any:
    return page.locator(question.form)


def choice_input(page: Any, question: ExpectedQuestion, index: int) -> Any:
    return form(page, question).locator(f"input[value='{index}']")


def select(page: Any, question: ExpectedQuestion, indexes: set[int] | frozenset[int]) -> None:
    """Click the choices of a choice question until exactly ``indexes`` are selected."""
    states = form(page, question).locator(".choices input").evaluate_all(
        "xs => xs.map(x => [Number(x.value), x.checked])")
    for value, checked in states:
        wanted = value in indexes
        if wanted != checked and (wanted or question.kind == "multiple"):
            box = choice_input(page, question, value)
            box.click()  # a radio is unchecked by checking another
    chosen = form(page, question).locator(".choices input:checked").evaluate_all(
        "xs => xs.map(x => Number(x.value))")
    assert sorted(chosen) == sorted(indexes), (question.id, chosen)


def check(page: Any, question: ExpectedQuestion) -> str:
    """Press the question's Check button; returns the new verdict text."""
    f = form(page, question)
    verdict = f.locator(".verdict")
    # Empty the live region first, so that waiting for text waits for THIS check even
    # when the verdict is written after a delay or repeats the previous one.
    verdict.evaluate("v => { v.textContent = ''; }")
    f.locator(".check-button").click()
    expect(verdict).not_to_be_empty()
    return text_of(verdict)


def verdict_word(text: str) -> str | None:
    match = VERDICT_START.match(text)
    return match.group(1) if match else None


def answer(page: Any, question: ExpectedQuestion, correct: bool = True) -> str:
    """Answer rightly (or wrongly) and Check; returns the verdict text."""
    if question.kind == "numeric":
        assert question.answer is not None and question.tolerance is not None
        value = (plain(question.answer) if correct
                 else wrong_number(question.answer, question.tolerance))
        form(page, question).locator(".numeric-input").fill(value)
    elif correct:
        select(page, question, question.correct_indexes)
    else:
        select(page, question, {question.wrong_indexes[0]})
    text = check(page, question)
    assert verdict_word(text) == ("Correct" if correct else "Incorrect"), (question.id, text)
    return text


def complete_chapter(page: Any, base_url: str, chapter: ExpectedChapter) -> None:
    """Open the chapter and answer every question correctly."""
    page.goto(base_url + chapter.page)
    for question in chapter.questions:
        answer(page, question, correct=True)
    expect(page.locator(".chapter-status")).to_have_text(re.compile("Chapter completed"))


def stored(page: Any, course: ExpectedCourse) -> Any:
    """The parsed progress value in localStorage (None when absent)."""
    raw = page.evaluate("k => window.localStorage.getItem(k)", course.storage_key)
    return None if raw is None else json.loads(raw)


def put_storage(page: Any, course: ExpectedCourse, raw: str) -> None:
    page.evaluate("([k, v]) => window.localStorage.setItem(k, v)", [course.storage_key, raw])


def progress_text(page: Any) -> str:
    box = page.locator("[data-progress-home]")
    expect(box).to_be_visible()
    return text_of(box)


PROGRESS = re.compile(r"(\d+) of (\d+) chapters completed \((\d+)%\)")


def assert_progress(page: Any, done: int, total: int) -> None:
    """The home page says ``done of total chapters completed (P%)`` and its bar agrees."""
    box = page.locator("[data-progress-home]")
    expect(box).to_contain_text(f"{done} of {total} chapters completed")
    match = PROGRESS.search(text_of(box))
    assert match, text_of(box)
    percent = int(match.group(3))
    exact = 100 * done / total
    assert percent in (int(exact), round(exact)), (percent, exact)  # rounding is not specified
    bar = box.locator("progress")
    expect(bar).to_have_count(1)
    value, maximum = bar.evaluate("p => [p.value, p.max]")
    assert abs(value / maximum - done / total) < 0.01, (value, maximum)


def focused(page: Any) -> dict[str, str]:
    """Tag, class and id of document.activeElement."""
    return page.evaluate(
        "() => { const e = document.activeElement;"
        " return e ? {tag: e.tagName, cls: e.className || '', id: e.id || ''}"
        " : {tag: '', cls: '', id: ''}; }"
    )
