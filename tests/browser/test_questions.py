"""Questions: every question of the shipped course, answered wrongly and
rightly, with the verdicts, feedback and explanation the contract promises.

Expected answers come from the front matter (tests/browser/shipped.py).
"""

from __future__ import annotations

import math
import re
from typing import Any

import pytest

from tests.browser.helpers import (
    CHOOSE_FIRST,
    NOT_A_NUMBER,
    check,
    choice_input,
    expect,
    focused,
    form,
    select,
    text_of,
    verdict_word,
)
from tests.browser.shipped import (
    ExpectedChapter,
    ExpectedQuestion,
    expected_course,
    plain,
    spellings,
    wrong_number,
)

LOAD_FIGURES = False  # the figures play no part here (conftest.py)

COURSE = expected_course()
QUESTIONS = [(ch, q) for ch in COURSE.chapters for q in ch.questions]
PROMPTS = {"single": "Select the correct answer", "multiple": "Select all that apply",
           "numeric": "Enter a number"}


def _of_kind(*kinds: str) -> list[Any]:
    return [pytest.param(ch, q, id=f"{ch.key}#{q.id}") for ch, q in QUESTIONS if q.kind in kinds]


def test_the_course_has_every_kind_of_question() -> None:
    kinds = {q.kind for _, q in QUESTIONS}
    assert kinds == {"single", "multiple", "numeric"}


def _plain_text(markdown: str) -> str | None:
    """The text of a Markdown snippet when it has no markup (so it shows as written)."""
    if re.search(r"[$\\`*_\[\]<>&]", markdown):
        return None
    return " ".join(markdown.split())


def _feedback(page: Any, question: ExpectedQuestion, index: int) -> Any:
    return choice_input(page, question, index).locator(
        "xpath=ancestor::*[contains(concat(' ', @class, ' '), ' choice ')][1]"
    ).locator(".choice-feedback")


def _assert_feedback_shown(page: Any, question: ExpectedQuestion, index: int,
                           verdict: str) -> None:
    """The chosen choice's feedback is shown: in the verdict, or its own paragraph unhidden."""
    choice = question.choices[index]
    if not choice.feedback:
        return
    feedback = _feedback(page, question, index)
    expect(feedback).to_have_count(1)
    text = text_of(feedback)
    assert text, f"{question.id}: choice {index} has an empty feedback paragraph"
    plain_feedback = _plain_text(choice.feedback)
    if plain_feedback is not None:
        assert text == plain_feedback
    assert text in verdict or feedback.is_visible(), (
        f"{question.id}: the feedback of choice {index} is not shown: {text!r}; "
        f"verdict {verdict!r}")


def _assert_no_feedback_shown(page: Any, question: ExpectedQuestion,
                              except_: set[int] | frozenset[int]) -> None:
    verdict = text_of(form(page, question).locator(".verdict"))
    for choice in question.choices:
        if choice.feedback and choice.index not in except_:
            feedback = _feedback(page, question, choice.index)
            text = text_of(feedback)
            assert not feedback.is_visible() and text not in verdict, (
                f"{question.id}: feedback of choice {choice.index} shown but not chosen")


def _assert_focus_kept(page: Any) -> None:
    now = focused(page)
    assert now["tag"] not in ("BODY", ""), "focus was lost after Check"
    assert "check-button" in now["cls"].split(), now


def _assert_structure(page: Any, chapter: ExpectedChapter, question: ExpectedQuestion) -> None:
    f = form(page, question)
    expect(f).to_have_count(1)
    expect(f).to_have_attribute("data-question", question.id)
    expect(f).to_have_attribute("data-kind", question.kind)
    expect(f.locator("legend.question-text")).not_to_be_empty()
    # A numeric question with a tolerance adds how close counts (unit tests).
    expect(f.locator(".question-prompt")).to_have_text(re.compile(re.escape(PROMPTS[question.kind])))
    in_quiz_section = f.evaluate("f => !!f.closest('section.quiz')")
    assert in_quiz_section == (question.id not in chapter.placed), question.id
    if question.kind == "numeric":
        return
    kind = "radio" if question.kind == "single" else "checkbox"
    found = f.locator(".choices input").evaluate_all(
        """xs => xs.map(x => {
            const label = x.id ? document.querySelector(`label[for="${x.id}"]`) : null;
            return {value: Number(x.value), type: x.type, visible: x.checkVisibility(),
                    label: label ? label.textContent.split(/\\s+/).join(" ").trim() : null,
                    labelShown: !!label && label.checkVisibility()};
        })""")
    assert sorted(x["value"] for x in found) == [c.index for c in question.choices]
    for x in found:
        choice = question.choices[x["value"]]
        assert x["type"] == kind and x["visible"], x
        assert x["label"] and x["labelShown"], f"{question.id}: choice {x} has no visible label"
        plain_text = _plain_text(choice.text)
        if plain_text is not None:
            assert x["label"] == plain_text


@pytest.mark.parametrize(("chapter", "question"), _of_kind("single"))
def test_single_choice(page: Any, server: Any, chapter: ExpectedChapter,
                       question: ExpectedQuestion) -> None:
    page.goto(server.url(chapter.page))
    _assert_structure(page, chapter, question)
    f = form(page, question)
    reveal = f.locator(".reveal-button")
    explanation = f.locator(".explanation")
    expect(f.locator(".check-button")).to_be_visible()
    expect(f.locator("details.answer-key")).to_be_hidden()

    assert check(page, question).startswith(CHOOSE_FIRST)
    expect(reveal).to_be_hidden()  # not an attempt

    for index in question.wrong_indexes:
        select(page, question, {index})
        verdict = check(page, question)
        assert verdict_word(verdict) == "Incorrect", verdict
        _assert_feedback_shown(page, question, index, verdict)
        _assert_no_feedback_shown(page, question, {index})
        expect(explanation).to_be_hidden()
        expect(reveal).to_be_visible()
        _assert_focus_kept(page)

    (right,) = question.correct_indexes
    select(page, question, {right})
    verdict = check(page, question)
    assert verdict_word(verdict) == "Correct", verdict
    _assert_feedback_shown(page, question, right, verdict)
    _assert_no_feedback_shown(page, question, {right})
    expect(explanation).to_be_visible()
    expect(explanation).not_to_be_empty()
    _assert_focus_kept(page)


@pytest.mark.parametrize(("chapter", "question"), _of_kind("multiple"))
def test_select_all_is_right_only_with_the_exact_set(
    page: Any, server: Any, chapter: ExpectedChapter, question: ExpectedQuestion
) -> None:
    page.goto(server.url(chapter.page))
    _assert_structure(page, chapter, question)
    f = form(page, question)
    explanation = f.locator(".explanation")
    right = question.correct_indexes
    wrong = set(question.wrong_indexes)
    assert len(right) >= 2 and wrong

    assert check(page, question).startswith(CHOOSE_FIRST)
    expect(f.locator(".reveal-button")).to_be_hidden()

    almost = [right - {i} for i in sorted(right)]  # one right choice missing
    too_many = [right | {i} for i in sorted(wrong)]  # one wrong choice too many
    for chosen in [*almost, *too_many, wrong, right | wrong]:
        select(page, question, chosen)
        verdict = check(page, question)
        assert verdict_word(verdict) == "Incorrect", (sorted(chosen), verdict)
        expect(explanation).to_be_hidden()
        expect(f.locator(".reveal-button")).to_be_visible()
        if len(chosen & wrong) == 1:
            (index,) = chosen & wrong
            _assert_feedback_shown(page, question, index, verdict)

    select(page, question, right)
    verdict = check(page, question)
    assert verdict_word(verdict) == "Correct", verdict
    expect(explanation).to_be_visible()
    _assert_focus_kept(page)


def _close(text: str | None, value: float) -> bool:
    return text is not None and math.isclose(float(text), value, rel_tol=1e-9, abs_tol=1e-12)


@pytest.mark.parametrize(("chapter", "question"), _of_kind("numeric"))
def test_numeric(page: Any, server: Any, chapter: ExpectedChapter,
                 question: ExpectedQuestion) -> None:
    assert question.answer is not None and question.tolerance is not None
    answer, tolerance = question.answer, question.tolerance
    page.goto(server.url(chapter.page))
    _assert_structure(page, chapter, question)
    f = form(page, question)
    box = f.locator(".numeric-input")
    explanation = f.locator(".explanation")
    reveal = f.locator(".reveal-button")
    expect(box).to_have_attribute("inputmode", "decimal")
    expect(f.get_by_label("Your answer")).to_have_count(1)
    assert _close(box.get_attribute("data-answer"), answer)
    assert _close(box.get_attribute("data-tolerance"), tolerance)

    box.fill("")
    assert check(page, question).startswith((CHOOSE_FIRST, NOT_A_NUMBER))
    box.fill("abc")
    assert check(page, question).startswith(NOT_A_NUMBER)
    junk = ["2x", "1/2/3", "--1", "e", "1..2", "\u00bd", "1,5.2", "0x10", "Infinity"]
    for value, verdict in zip(junk, _submit_all(page, question, junk), strict=True):
        assert verdict.startswith(NOT_A_NUMBER), (value, verdict)
    expect(reveal).to_be_hidden()  # not an attempt

    for value in [wrong_number(answer, tolerance), plain(answer + 2 * tolerance)]:
        box.fill(value)
        verdict = check(page, question)
        assert verdict_word(verdict) == "Incorrect", (value, verdict)
        expect(explanation).to_be_hidden()
        expect(reveal).to_be_visible()
        _assert_focus_kept(page)

    box.fill(plain(answer + 0.5 * tolerance))
    verdict = check(page, question)
    assert verdict_word(verdict) == "Correct", verdict
    expect(explanation).to_be_visible()
    _assert_focus_kept(page)
    right = spellings(answer, tolerance)
    for value, verdict in zip(right, _submit_all(page, question, right), strict=True):
        assert verdict_word(verdict) == "Correct", (value, verdict)


def _submit_all(page: Any, question: ExpectedQuestion, values: list[str]) -> list[str]:
    """Type each value and submit with the Check button, in the page: the verdicts.

    The same submit handler as a click, without a round trip per value; the clicks
    above cover the button itself.
    """
    return page.evaluate(
        """([selector, values]) => values.map(value => {
            const form = document.querySelector(selector);
            const verdict = form.querySelector(".verdict");
            form.querySelector(".numeric-input").value = value;
            verdict.textContent = "";
            form.requestSubmit(form.querySelector(".check-button"));
            return verdict.textContent.split(/\\s+/).join(" ").trim();
        })""",
        [question.form, values])


def _assert_no_verdict(page: Any, question: ExpectedQuestion) -> None:
    """No verdict shown, and nothing of its look left on the form or the input."""
    f = form(page, question)
    expect(f.locator(".verdict")).to_be_empty()
    expect(f.locator(".verdict")).to_have_class("verdict")
    expect(f).not_to_have_class(re.compile(r"\bis-(correct|incorrect)\b"))
    if question.kind == "numeric":
        expect(f.locator(".numeric-input")).not_to_have_attribute("aria-invalid", "true")


def test_changing_the_answer_clears_the_verdict(page: Any, server: Any) -> None:
    """A verdict is about the answer checked: editing the answer takes it away, and
    the stored progress (the last checked answer) stays as it was."""
    chapter = next(ch for ch in COURSE.chapters
                   if {q.kind for q in ch.questions} == {"single", "multiple", "numeric"})
    numeric = next(q for q in chapter.questions if q.kind == "numeric")
    single = next(q for q in chapter.questions if q.kind == "single")
    multiple = next(q for q in chapter.questions if q.kind == "multiple")
    assert numeric.answer is not None and numeric.tolerance is not None
    page.goto(server.url(chapter.page))
    key = f"gradsite:progress:{COURSE.key}"

    def saved(question: ExpectedQuestion) -> Any:
        value = page.evaluate("k => JSON.parse(localStorage.getItem(k))", key)
        return value["chapters"][chapter.key]["questions"][question.id]

    box = form(page, numeric).locator(".numeric-input")
    typed = wrong_number(numeric.answer, numeric.tolerance)
    box.fill(typed)
    assert verdict_word(check(page, numeric)) == "Incorrect"
    expect(form(page, numeric)).to_have_class(re.compile(r"\bis-incorrect\b"))
    box.press("End")  # focus comes back with the caret at the start
    box.press("Backspace")  # as a reader edits: one key
    _assert_no_verdict(page, numeric)
    assert saved(numeric) == {"answer": typed, "correct": False, "variant": 0, "solved": False,
                              "hints": 0}

    box.fill(plain(numeric.answer))
    assert verdict_word(check(page, numeric)) == "Correct"
    box.press_sequentially("9")
    _assert_no_verdict(page, numeric)
    assert saved(numeric) == {"answer": plain(numeric.answer), "correct": True, "variant": 0,
                              "solved": True, "hints": 0}
    box.fill("abc")
    assert check(page, numeric).startswith(NOT_A_NUMBER)
    expect(box).to_have_attribute("aria-invalid", "true")
    box.press("End")  # focus comes back with the caret at the start
    box.press("Backspace")
    _assert_no_verdict(page, numeric)

    select(page, single, {single.wrong_indexes[0]})
    assert verdict_word(check(page, single)) == "Incorrect"
    select(page, single, single.correct_indexes)  # a click on another choice
    _assert_no_verdict(page, single)

    select(page, multiple, multiple.correct_indexes)
    assert verdict_word(check(page, multiple)) == "Correct"
    choice_input(page, multiple, multiple.wrong_indexes[0]).focus()
    page.keyboard.press("Space")  # the keyboard changes a choice too
    _assert_no_verdict(page, multiple)
    assert saved(multiple)["correct"] is True

    # What was checked last is what a reload shows again.
    page.reload()
    expect(box).to_have_value(plain(numeric.answer))
    expect(form(page, numeric).locator(".verdict")).to_have_text(re.compile(r"^\s*Correct"))
    expect(form(page, single).locator(".verdict")).to_have_text(re.compile(r"^\s*Incorrect"))
    expect(form(page, multiple).locator(".verdict")).to_have_text(re.compile(r"^\s*Correct"))


def test_reveal_shows_the_explanation(page: Any, server: Any) -> None:
    chapter, question = next((ch, q) for ch, q in QUESTIONS if q.kind == "single")
    page.goto(server.url(chapter.page))
    f = form(page, question)
    select(page, question, {question.wrong_indexes[0]})
    assert verdict_word(check(page, question)) == "Incorrect"
    reveal = f.get_by_role("button", name="Show answer")
    expect(reveal).to_be_visible()
    reveal.click()
    expect(f.locator(".explanation")).to_be_visible()
    expect(f.locator(".explanation")).not_to_be_empty()
    assert focused(page)["tag"] != "BODY"


def test_keyboard_only(page: Any, server: Any) -> None:
    """Tab to the choices, arrows to choose, Space, Tab to Check, Enter: focus never lost."""
    chapter, question = next((ch, q) for ch, q in QUESTIONS if q.kind == "single")
    page.goto(server.url(chapter.page))
    f = form(page, question)
    verdict = f.locator(".verdict")
    # Start keyboard navigation just before the question, as a reader who Tabs
    # through the page would: from the question's own text.
    f.locator("legend").click()
    page.keyboard.press("Tab")
    first = f.locator(".choices input").first
    expect(first).to_be_focused()
    order = [int(v) for v in f.locator(".choices input").evaluate_all(
        "xs => xs.map(x => x.value)")]
    (right,) = question.correct_indexes
    wrong = next(i for i in order if i != right)

    def move_to(index: int) -> None:
        for _ in range(len(order)):
            current = int(page.evaluate("document.activeElement.value"))
            if current == index:
                break
            page.keyboard.press("ArrowDown")
        page.keyboard.press("Space")
        expect(choice_input(page, question, index)).to_be_focused()
        expect(choice_input(page, question, index)).to_be_checked()

    move_to(wrong)
    page.keyboard.press("Tab")
    expect(f.locator(".check-button")).to_be_focused()
    page.keyboard.press("Enter")
    expect(verdict).to_have_text(re.compile(r"^\s*Incorrect"))
    _assert_focus_kept(page)

    page.keyboard.press("Shift+Tab")  # back into the radio group, on the checked radio
    expect(choice_input(page, question, wrong)).to_be_focused()
    move_to(right)
    page.keyboard.press("Enter")  # implicit submission, from the radio itself
    expect(verdict).to_have_text(re.compile(r"^\s*Correct"))
    assert focused(page)["tag"] not in ("BODY", ""), "focus was lost after Enter"
    expect(f.locator(".explanation")).to_be_visible()


@pytest.mark.parametrize(("chapter", "question"), _of_kind("multiple")[:1]
                         + _of_kind("numeric")[:1])
def test_show_answer_is_announced(page: Any, server: Any, chapter: ExpectedChapter,
                                  question: ExpectedQuestion) -> None:
    """The revealed answer is read out: outside a live region a screen reader would
    say nothing. It is a polite status region, added empty and then filled (a
    region that arrives with its text is not announced)."""
    page.goto(server.url(chapter.page))
    f = form(page, question)
    if question.kind == "numeric":
        assert question.answer is not None and question.tolerance is not None
        f.locator(".numeric-input").fill(wrong_number(question.answer, question.tolerance))
    else:
        select(page, question, {question.wrong_indexes[0]})
    assert verdict_word(check(page, question)) == "Incorrect"
    # Record what each .revealed-answer held when it joined the page.
    f.evaluate("""f => {
        window.revealedOnArrival = [];
        new MutationObserver(records => records.forEach(r => r.addedNodes.forEach(n => {
            if (n.classList && n.classList.contains("revealed-answer")) {
                window.revealedOnArrival.push(n.textContent);
            }
        }))).observe(f, {childList: true, subtree: true});
    }""")
    f.get_by_role("button", name="Show answer").click()
    shown = f.locator(".revealed-answer")
    expect(shown).to_contain_text("Answer")
    live = shown.evaluate("e => { const r = e.closest('[aria-live], [role=status]');"
                          " return r ? [r.getAttribute('role'), r.getAttribute('aria-live'),"
                          " r.classList.contains('revealed-answer')] : null; }")
    assert live is not None, "the revealed answer is in no live region"
    assert live[2], f"the live region is not the revealed answer itself: {live}"
    assert page.evaluate("window.revealedOnArrival") == [""], "added with its text: not read"
    expect(f.get_by_role("status").filter(has_text="Answer")).to_have_count(1)
    _assert_focus_kept(page)  # the reveal button went; focus is on Check, not lost
    expect(f.get_by_role("button", name="Show answer")).to_be_hidden()


def test_a_thousands_separator_is_not_taken_for_a_decimal_comma(page: Any, server: Any) -> None:
    """Typing "2,000" for 2 is not graded as 2 without a word: a comma before exactly
    three digits may group thousands or be a decimal comma, and one reading is right,
    so the reader is asked (tests/browser/test_number_separators.py: every language)."""
    chapter, question = next((ch, q) for ch, q in QUESTIONS
                             if q.kind == "numeric" and q.answer == 2)
    page.goto(server.url(chapter.page))
    f = form(page, question)
    box = f.locator(".numeric-input")
    for typed, whole in [("2,000", "2000"), ("+2,000", "+2000"), ("4,000/2", "4000/2")]:
        box.fill(typed)
        verdict = check(page, question)
        assert verdict.startswith(f"{typed} can be read as {whole} or as "), (typed, verdict)
        assert verdict_word(verdict) is None, verdict  # not graded
        expect(box).to_have_attribute("aria-invalid", "true")
        expect(f.locator(".reveal-button")).to_be_hidden()  # not an attempt
    assert page.evaluate("k => localStorage.getItem(k)", COURSE.storage_key) is None
    # The English decimal point is graded; so is a number wrong whichever way it reads.
    box.fill("2.000")
    assert verdict_word(check(page, question)) == "Correct"
    box.fill("1,000")
    assert verdict_word(check(page, question)) == "Incorrect"
    box.fill("12,345,678")
    assert verdict_word(check(page, question)) == "Incorrect"
    # A decimal comma still works, also before three digits after a whole part of 0.
    box.fill("2,0")
    assert verdict_word(check(page, question)) == "Correct"
    box.fill("1,5")
    assert verdict_word(check(page, question)) == "Incorrect"
    box.fill("0,125")
    assert verdict_word(check(page, question)) == "Incorrect"
    tiny_chapter, tiny = next((ch, q) for ch, q in QUESTIONS
                              if q.answer is not None and -1 < q.answer < 0)
    page.goto(server.url(tiny_chapter.page))
    assert tiny.answer is not None
    form(page, tiny).locator(".numeric-input").fill(plain(tiny.answer).replace(".", ","))
    assert verdict_word(check(page, tiny)) == "Correct"
