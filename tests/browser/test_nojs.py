"""Pages without JavaScript: every question is readable, its answer key opens, and the
menu opens. Nothing that needs the script (Check, Show answer, Copy) is shown, no box
is left empty, and a number box says that checking needs JavaScript."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.helpers import choice_input, expect, form, text_of
from tests.browser.shipped import ExpectedCourse, ExpectedQuestion, expected_course
from tests.browser.variants_course import variants_expected, variants_site

LOAD_FIGURES = False  # the figures play no part here (conftest.py)

CHAPTERS = expected_course().with_questions()
NUMBER = re.compile(r"[-\u2212]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")


def _label(page: Any, question: ExpectedQuestion, index: int) -> str:
    box_id = choice_input(page, question, index).get_attribute("id")
    return text_of(form(page, question).locator(f"label[for='{box_id}']"))


def _answer_text(key_box: Any, has_explanation: bool) -> str:
    """The text of the answer key without its summary and explanation.

    The contract shows ``<p>Answer: ...</p>``; the answer may continue in a list
    after it (several correct choices), so everything up to the explanation counts.
    """
    text = key_box.evaluate(
        """(d, explained) => [...d.children]
            .filter(c => c.tagName !== "SUMMARY")
            .filter(c => !(explained && c === d.lastElementChild && c.tagName === "DIV"))
            .map(c => c.textContent).join(" ")""",
        has_explanation)
    return " ".join(text.split())


NUMERIC_HINT = "Checking answers needs JavaScript: open \u201cShow answer\u201d to compare."


@pytest.fixture
def nojs_page(new_context: Any) -> Any:
    return new_context(java_script_enabled=False).new_page()


@pytest.mark.parametrize("scripted", [False, True], ids=["without-js", "with-js"])
def test_script_only_parts_say_so_or_stay_away(new_context: Any, server: Any,
                                               course: ExpectedCourse, scripted: bool) -> None:
    """Without the script: no empty "Chapter progress" box (the shipped course has no
    feedback link, so it would hold nothing), and under every number box a hint, in
    the accessibility tree too. With the script: the box, and no hint."""
    page = new_context(java_script_enabled=scripted).new_page()
    for chapter in course.with_questions():
        page.goto(server.url(chapter.page))
        end = page.locator("section.chapter-end")
        expect(end).to_have_count(1)
        if scripted:
            expect(end).to_be_visible()
        else:
            expect(end).to_be_hidden()
            expect(page.get_by_role("region", name="Chapter progress")).to_have_count(0)
        for question in chapter.questions:
            f = form(page, question)
            note = f.locator(".nojs-note")
            if question.kind != "numeric":
                expect(note).to_have_count(0)
                continue
            if scripted:
                expect(note).to_be_hidden()  # and so out of the accessibility tree
                assert NUMERIC_HINT not in f.locator("fieldset").aria_snapshot()
                continue
            expect(note).to_be_visible()
            expect(note).to_have_text(NUMERIC_HINT)
            # After the box, where the eye goes next; and read out with the question.
            box = f.locator(".numeric-input").bounding_box()
            shown = note.bounding_box()
            assert box and shown and shown["y"] >= box["y"] + box["height"]
            assert NUMERIC_HINT in f.locator("fieldset").aria_snapshot()


@pytest.mark.parametrize("key", [ch.key for ch in CHAPTERS])
def test_questions_and_answer_keys_without_javascript(nojs_page: Any, server: Any,
                                                      course: ExpectedCourse, key: str) -> None:
    page = nojs_page
    chapter = course.chapter(key)
    page.goto(server.url(chapter.page))
    expect(page.locator("form.question:not([hidden])")).to_have_count(len(chapter.questions))
    unplaced = [q for q in chapter.questions if q.id not in chapter.placed]
    heading = page.locator("section.quiz > h2#quiz-heading")
    if unplaced:
        expect(heading).to_have_text("Check your understanding")
        expect(page.locator("section.quiz form.question:not([hidden])")).to_have_count(
            len(unplaced))
    else:
        expect(heading).to_have_count(0)
    expect(page.locator(".chapter-end")).to_have_count(1)
    expect(page.locator(".chapter-end .mark-done")).to_have_count(0)  # it has questions
    for question in chapter.questions:
        f = form(page, question)
        expect(f).to_be_visible()
        legend = f.locator("legend.question-text")
        expect(legend).to_be_visible()
        expect(legend).not_to_be_empty()
        expect(f.locator(".check-button")).to_be_hidden()
        expect(f.locator(".reveal-button")).to_be_hidden()
        expect(f.locator(".explanation")).to_be_hidden()
        if question.kind == "numeric":
            expect(f.locator(".numeric-input")).to_be_visible()
            expect(f.locator(".numeric-input")).to_be_editable()
        else:
            for choice in question.choices:
                box = choice_input(page, question, choice.index)
                expect(box).to_be_visible()
                expect(f.locator(f"label[for='{box.get_attribute('id')}']")).to_be_visible()

        key_box = f.locator("details.answer-key")
        expect(key_box).to_be_visible()
        expect(key_box).not_to_have_attribute("open", re.compile(".*"))
        summary = key_box.locator("summary")
        expect(summary).to_have_text("Show answer")
        answer_line = key_box.locator("p").first
        expect(answer_line).to_be_hidden()
        summary.click()
        expect(key_box).to_have_attribute("open", "")
        expect(answer_line).to_be_visible()
        shown = _answer_text(key_box, bool(question.explanation.strip()))
        assert shown.startswith("Answer:"), shown
        if question.kind == "numeric":
            assert question.answer is not None and question.tolerance is not None
            numbers = [float(n.replace("\u2212", "-")) for n in NUMBER.findall(shown)]
            assert any(abs(n - question.answer) <= question.tolerance for n in numbers), (
                question.id, shown, question.answer)
        else:
            labels = {c.index: _label(page, question, c.index) for c in question.choices}
            right = [labels[i] for i in question.correct_indexes]
            for index, label in labels.items():
                if index in question.correct_indexes:
                    assert label in shown, (question.id, label, shown)
                elif not any(label in r for r in right):
                    assert label not in shown, (question.id, label, shown)
        if question.explanation.strip():
            explanation = key_box.locator("div").first
            expect(explanation).to_be_visible()
            expect(explanation).not_to_be_empty()


def test_menu_opens_without_javascript(new_context: Any, server: Any,
                                       course: ExpectedCourse) -> None:
    # Narrow screen: the menu is a collapsed <details> above the text.
    page = new_context(java_script_enabled=False, viewport={"width": 390, "height": 844}
                       ).new_page()
    page.goto(server.url(course.chapters[0].page))
    nav = page.get_by_role("navigation", name="Course")
    links = nav.locator("li.menu-chapter a")
    expect(links.first).to_be_hidden()
    nav.locator("details.site-menu > summary").click()
    expect(nav.locator("details.site-menu")).to_have_attribute("open", "")
    for link, chapter in zip(links.all(), course.chapters, strict=True):
        expect(link).to_be_visible()
        expect(link).to_contain_text(chapter.title)
    links.last.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(course.chapters[-1].title)


def test_home_page_without_javascript(nojs_page: Any, server: Any,
                                      course: ExpectedCourse) -> None:
    nojs_page.goto(server.url())
    expect(nojs_page.locator(".home-chapter")).to_have_count(len(course.chapters))
    expect(nojs_page.locator("[data-progress-home]")).to_be_hidden()


def test_review_page_says_it_needs_javascript(nojs_page: Any, server: Any) -> None:
    page = nojs_page
    page.goto(server.url())
    page.get_by_role("link", name="Review questions").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Review")
    note = page.locator(".review-nojs")
    expect(note).to_be_visible()
    expect(note).to_contain_text("it needs JavaScript, which is turned off")
    for hidden in (".review-list", ".review-empty", ".review-summary"):
        expect(page.locator(hidden)).to_be_hidden()
    expect(page.locator(".review-question").first).to_be_hidden()
    note.get_by_role("link", name="course home").click()
    expect(page.locator("[data-progress-home]")).to_be_hidden()


def test_variants_and_hints_without_javascript(nojs_page: Any, serve_folder: Any,
                                               tmp_path_factory: pytest.TempPathFactory
                                               ) -> None:
    """The first variant shows, with its answer key; the hints open one at a time;
    no "Try another"."""
    site = variants_site(tmp_path_factory.getbasetemp())
    slopes = variants_expected(site).chapters[0]
    slope = slopes.questions[0]
    page = nojs_page
    with serve_folder(site) as base:
        page.goto(base + slopes.page)
        group = page.locator(f".question-variants[data-question='{slope.id}']")
        expect(group.locator("form.question:visible")).to_have_count(1)
        first = page.locator(slope.form)
        expect(first).to_be_visible()
        expect(page.locator(".another-button:visible")).to_have_count(0)
        expect(page.locator(".variant-count")).to_have_count(0)
        second_hint = first.get_by_text("Show a hint (2 of 2)")
        expect(second_hint).to_be_hidden()
        first.get_by_text("Show a hint (1 of 2)").click()
        expect(second_hint).to_be_visible()
        second_hint.click()
        expect(first.locator("details.hint[data-hint='1'] > .hint-text")).to_be_visible()
        first.locator("details.answer-key > summary").click()
        expect(first.locator("details.answer-key")).to_contain_text("Answer:")
