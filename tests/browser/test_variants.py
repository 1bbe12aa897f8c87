"""Question variants and hints in the browser, and the review page: hints one at a
time and kept in progress, "Try another", a later variant answered correctly
solving its question, the review page's lists and empty state, and progress
export and import carrying variants and hints (a file in the older format too).
The course is variants_course.py's."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.browser.helpers import assert_progress, check, expect, put_storage, stored, verdict_word
from tests.browser.shipped import ExpectedChapter, ExpectedCourse, ExpectedQuestion, plain
from tests.browser.variants_course import variants_expected, variants_site


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return variants_site(tmp_path_factory.getbasetemp())


@pytest.fixture(scope="module")
def vc(site: Path) -> ExpectedCourse:
    return variants_expected(site)


@pytest.fixture(scope="module")
def base(site: Path, serve_folder: Any) -> Any:
    with serve_folder(site) as url:
        yield url


def _slopes(vc: ExpectedCourse) -> ExpectedChapter:
    return vc.chapters[0]


def _question(vc: ExpectedCourse, qid: str) -> ExpectedQuestion:
    return next(q for ch in vc.chapters for q in ch.questions if q.id == qid)


def _variant(page: Any, question: ExpectedQuestion, index: int) -> Any:
    return page.locator(question.variant_form(index))


def _answer_variant(page: Any, question: ExpectedQuestion, index: int, correct: bool) -> str:
    """Answers the shown variant ``index`` rightly or wrongly; returns the verdict word."""
    form = _variant(page, question, index)
    expect(form).to_be_visible()
    if question.kind == "numeric":
        right = question.answers[index]
        form.locator(".numeric-input").fill(plain(right if correct else right + 100))
    else:
        wanted = next(iter(question.correct_indexes if correct else question.wrong_indexes))
        form.locator(f".choices input[value='{wanted}']").check()
    verdict = form.locator(".verdict")
    verdict.evaluate("v => { v.textContent = ''; }")
    form.locator(".check-button").click()
    expect(verdict).not_to_be_empty()
    return verdict_word(" ".join(verdict.text_content().split())) or ""


def _another(page: Any, question: ExpectedQuestion, index: int) -> None:
    _variant(page, question, index).get_by_role("button", name="Try another").click()


def _questions(page: Any, vc: ExpectedCourse, chapter: ExpectedChapter) -> dict[str, Any]:
    return stored(page, vc)["chapters"][chapter.key]["questions"]


def test_variants_differ_and_only_the_first_shows(page: Any, base: str,
                                                  vc: ExpectedCourse) -> None:
    slope, pick = _slopes(vc).questions
    assert (slope.variants, pick.variants) == (10, 5)
    assert len(set(slope.answers)) > 1  # the numbers differ from one variant to the next
    page.goto(base + _slopes(vc).page)
    for question in (slope, pick):
        group = page.locator(f".question-variants[data-question='{question.id}']")
        expect(group).to_have_attribute("data-variants", str(question.variants))
        expect(group.locator("form.question")).to_have_count(question.variants)
        expect(group.locator("form.question:visible")).to_have_count(1)
        expect(_variant(page, question, 0)).to_be_visible()
        expect(_variant(page, question, 0).locator(".variant-count")).to_have_text(
            f"Variant 1 of {question.variants}")
    texts = {" ".join(_variant(page, slope, i).locator("legend").text_content().split())
             for i in range(slope.variants)}
    assert len(texts) == slope.variants, texts
    # A question without variants has no "Try another".
    page.goto(base + vc.chapters[1].page)
    expect(page.locator(".another-button")).to_have_count(0)
    expect(page.locator(".variant-count")).to_have_count(0)


def test_try_another_shows_the_next_variant_and_keeps_the_others(page: Any, base: str,
                                                                 vc: ExpectedCourse) -> None:
    slope = _slopes(vc).questions[0]
    page.goto(base + _slopes(vc).page)
    first = _variant(page, slope, 0)
    assert _answer_variant(page, slope, 0, correct=False) == "Incorrect"
    _another(page, slope, 0)
    second = _variant(page, slope, 1)
    expect(first).to_be_hidden()
    expect(second).to_be_visible()
    expect(second.locator(".numeric-input")).to_be_focused()
    expect(second.locator(".numeric-input")).to_have_value("")
    expect(second.locator(".verdict")).to_be_empty()
    status = page.locator(f".question-variants[data-question='{slope.id}'] .variant-status")
    expect(status).to_have_attribute("role", "status")
    expect(status).to_have_text(f"Variant 2 of {slope.variants}")
    expect(second.locator(".variant-count")).to_have_text(f"Variant 2 of {slope.variants}")
    for index in range(1, slope.variants):  # round the cycle, back to the first
        _another(page, slope, index)
    expect(first).to_be_visible()
    expect(status).to_have_text(f"Variant 1 of {slope.variants}")
    expect(first.locator(".verdict")).to_have_text(re.compile(r"^\s*Incorrect"))  # kept
    expect(first.locator(".reveal-button")).to_be_visible()
    expect(page.locator(f".question-variants[data-question='{slope.id}'] "
                        "form.question:visible")).to_have_count(1)


def test_a_later_variant_answered_correctly_solves_the_question(page: Any, base: str,
                                                                vc: ExpectedCourse) -> None:
    chapter = _slopes(vc)
    slope, pick = chapter.questions
    page.goto(base + chapter.page)
    assert _answer_variant(page, slope, 0, correct=False) == "Incorrect"
    saved = _questions(page, vc, chapter)[slope.id]
    assert saved == {"answer": plain(slope.answers[0] + 100), "correct": False, "variant": 0,
                     "solved": False, "hints": 0}
    _another(page, slope, 0)
    assert _answer_variant(page, slope, 1, correct=True) == "Correct"
    saved = _questions(page, vc, chapter)[slope.id]
    assert (saved["variant"], saved["correct"], saved["solved"]) == (1, True, True)
    expect(page.locator(".chapter-status")).to_be_empty()  # the choice question is left

    _another(page, pick, 0)
    _another(page, pick, 1)
    assert _answer_variant(page, pick, 2, correct=True) == "Correct"
    expect(page.locator(".chapter-status")).to_have_text(re.compile("Chapter completed"))
    assert stored(page, vc)["chapters"][chapter.key]["done"] is True

    # Wrong in another variant afterwards: still solved, the chapter still completed.
    _another(page, slope, 1)
    assert _answer_variant(page, slope, 2, correct=False) == "Incorrect"
    saved = _questions(page, vc, chapter)[slope.id]
    assert (saved["variant"], saved["correct"], saved["solved"]) == (2, False, True)

    # A reload shows each question in the variant last answered, with its verdict.
    page.reload()
    expect(_variant(page, slope, 2)).to_be_visible()
    expect(_variant(page, slope, 0)).to_be_hidden()
    expect(_variant(page, slope, 2).locator(".numeric-input")).to_have_value(
        plain(slope.answers[2] + 100))
    expect(_variant(page, slope, 2).locator(".verdict")).to_have_text(
        re.compile(r"^\s*Incorrect"))
    expect(_variant(page, slope, 2).locator(".variant-count")).to_have_text(
        f"Variant 3 of {slope.variants}")
    expect(_variant(page, pick, 2)).to_be_visible()
    expect(_variant(page, pick, 2).locator(".choices input[value='0']")).to_be_checked()
    expect(page.locator(".chapter-status")).to_have_text(re.compile("Chapter completed"))
    page.goto(base + "index.html")
    assert_progress(page, 1, len(vc.chapters))


def test_hints_open_one_at_a_time_and_are_kept(page: Any, base: str,
                                               vc: ExpectedCourse) -> None:
    chapter = _slopes(vc)
    slope = chapter.questions[0]
    assert slope.hints == 2
    page.goto(base + chapter.page)
    form = _variant(page, slope, 0)
    first = form.get_by_text("Show a hint (1 of 2)")
    second = form.get_by_text("Show a hint (2 of 2)")
    expect(first).to_be_visible()
    expect(second).to_be_hidden()  # inside the first, closed
    first.click()
    expect(second).to_be_visible()
    expect(form.locator("details.hint[data-hint='0'] > .hint-text")).to_contain_text(
        "The derivative of")
    expect(form.locator("details.hint[data-hint='1'] > .hint-text")).to_be_hidden()
    page.wait_for_function("([k, c, q]) => (JSON.parse(localStorage.getItem(k) || 'null') || "
                           "{chapters: {}}).chapters[c]?.questions[q]?.hints === 1",
                           arg=[vc.storage_key, chapter.key, slope.id])
    second.click()
    expect(form.locator("details.hint[data-hint='1'] > .hint-text")).to_be_visible()
    page.wait_for_function("([k, c, q]) => JSON.parse(localStorage.getItem(k))"
                           ".chapters[c].questions[q].hints === 2",
                           arg=[vc.storage_key, chapter.key, slope.id])
    saved = _questions(page, vc, chapter)[slope.id]
    assert saved == {"answer": None, "correct": False, "variant": 0, "solved": False,
                     "hints": 2}
    # Closing a hint forgets nothing; hints alone are no attempt (the chapter is not done).
    form.locator("details.hint[data-hint='0'] > summary").click()
    assert _questions(page, vc, chapter)[slope.id]["hints"] == 2
    # A reload opens the hints the reader had opened.
    page.reload()
    for index in (0, 1):
        expect(_variant(page, slope, 0).locator(f"details.hint[data-hint='{index}']")
               ).to_have_attribute("open", "")
    page.goto(base + "review.html")
    expect(page.locator(f".review-question[data-question='{slope.id}']")).to_have_class(
        re.compile(r"\bis-untried\b"))


def _review_item(page: Any, qid: str) -> Any:
    return page.locator(f".review-question[data-question='{qid}']")


def test_review_lists_wrong_and_untried_questions_by_chapter(page: Any, base: str,
                                                             vc: ExpectedCourse) -> None:
    slopes, sums, notes = vc.chapters
    slope, pick = slopes.questions
    page.goto(base + "index.html")
    link = page.get_by_role("link", name="Review questions")
    expect(link).to_have_attribute("href", "review.html")
    link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Review")
    expect(page.locator(".review-nojs")).to_be_hidden()
    chapters = page.locator(".review-chapter")
    expect(chapters).to_have_count(2)  # the chapter without questions is not listed
    expect(page.locator(f".review-chapter[data-chapter-key='{notes.key}']")).to_have_count(0)
    first = page.locator(f".review-chapter[data-chapter-key='{slopes.key}']")
    expect(first.get_by_role("heading", level=2)).to_have_text(
        re.compile(r"Section 1\. Chapter 1\s*Slopes"))
    for qid in (slope.id, pick.id, "two"):
        expect(_review_item(page, qid)).to_be_visible()
        expect(_review_item(page, qid).locator(".review-state")).to_have_text("Not tried yet")
    expect(page.locator(".review-summary")).to_have_text("3 questions not tried yet.")
    expect(page.locator(".review-empty")).to_be_hidden()

    page.goto(base + slopes.page)
    assert _answer_variant(page, slope, 0, correct=False) == "Incorrect"
    _another(page, slope, 0)
    assert _answer_variant(page, slope, 1, correct=False) == "Incorrect"
    assert _answer_variant(page, pick, 0, correct=True) == "Correct"
    page.goto(base + "review.html")
    expect(_review_item(page, slope.id)).to_be_visible()
    expect(_review_item(page, slope.id)).to_have_class(re.compile(r"\bis-wrong\b"))
    expect(_review_item(page, slope.id).locator(".review-state")).to_have_text(
        "Answered wrongly")
    expect(_review_item(page, pick.id)).to_be_hidden()
    expect(_review_item(page, "two").locator(".review-state")).to_have_text("Not tried yet")
    expect(page.locator(".review-summary")).to_have_text(
        "1 question answered wrongly and 1 not tried yet.")

    # The link goes to the question, showing the variant last answered.
    _review_item(page, slope.id).get_by_role("link").click()
    expect(page).to_have_url(re.compile(re.escape(slopes.page) + f"#question-{slope.id}$"))
    shown = _variant(page, slope, 1)
    expect(shown).to_be_visible()
    expect(shown).to_be_in_viewport()

    assert _answer_variant(page, slope, 1, correct=True) == "Correct"
    page.goto(base + "review.html")
    expect(page.locator(f".review-chapter[data-chapter-key='{slopes.key}']")).to_be_hidden()
    expect(page.locator(".review-summary")).to_have_text("1 question not tried yet.")

    page.goto(base + sums.page)
    form = page.locator(sums.questions[0].form)
    form.locator(".numeric-input").fill("2")
    assert verdict_word(check(page, sums.questions[0])) == "Correct"
    page.goto(base + "review.html")
    empty = page.locator(".review-empty")
    expect(empty).to_be_visible()
    expect(empty).to_have_text("Nothing to review: every question is answered correctly.")
    expect(page.locator(".review-list")).to_be_hidden()
    expect(page.locator(".review-summary")).to_be_hidden()


def test_review_follows_another_tab(context: Any, base: str, vc: ExpectedCourse) -> None:
    slopes = vc.chapters[0]
    review, tab = context.new_page(), context.new_page()
    review.goto(base + "review.html")
    expect(_review_item(review, "slope")).to_be_visible()
    tab.goto(base + slopes.page)
    assert _answer_variant(tab, slopes.questions[0], 0, correct=True) == "Correct"
    expect(_review_item(review, "slope")).to_be_hidden()
    expect(review.locator(".review-summary")).to_have_text("2 questions not tried yet.")


def _export(page: Any, folder: Path) -> Path:
    with page.expect_download() as info:
        page.locator(".export-progress").click()
    path = folder / info.value.suggested_filename
    info.value.save_as(path)
    return path


def test_export_and_import_carry_variants_and_hints(new_context: Any, base: str,
                                                    vc: ExpectedCourse, tmp_path: Path) -> None:
    chapter = _slopes(vc)
    slope, pick = chapter.questions
    page = new_context().new_page()
    page.goto(base + chapter.page)
    _variant(page, slope, 0).get_by_text("Show a hint (1 of 2)").click()
    _another(page, slope, 0)
    assert _answer_variant(page, slope, 1, correct=True) == "Correct"
    assert _answer_variant(page, pick, 0, correct=False) == "Incorrect"
    page.goto(base + "index.html")
    exported = _export(page, tmp_path)
    data = json.loads(exported.read_text(encoding="utf-8"))
    questions = data["chapters"][chapter.key]["questions"]
    assert questions[slope.id] == {"answer": plain(slope.answers[1]), "correct": True,
                                   "variant": 1, "solved": True, "hints": 1}
    assert questions[pick.id]["solved"] is False

    fresh = new_context().new_page()
    fresh.goto(base + "index.html")
    fresh.locator(".import-progress").set_input_files(exported)
    expect(fresh.locator(".progress-status")).to_have_text(re.compile("^Progress imported"))
    assert stored(fresh, vc)["chapters"] == data["chapters"]
    fresh.goto(base + chapter.page)
    expect(_variant(fresh, slope, 1)).to_be_visible()
    expect(_variant(fresh, slope, 1).locator(".verdict")).to_have_text(re.compile(r"^\s*Correct"))
    expect(_variant(fresh, slope, 1).locator("details.hint[data-hint='0']")).to_have_attribute(
        "open", "")
    fresh.goto(base + "review.html")
    expect(_review_item(fresh, slope.id)).to_be_hidden()
    expect(_review_item(fresh, pick.id)).to_have_class(re.compile(r"\bis-wrong\b"))


def test_a_file_exported_before_variants_still_imports(page: Any, base: str,
                                                       vc: ExpectedCourse,
                                                       tmp_path: Path) -> None:
    """Answers as {answer, correct} only: the first variant's, solved when correct."""
    slopes, sums, _ = vc.chapters
    slope, pick = slopes.questions
    older = {"version": 1, "course": vc.key, "chapters": {
        slopes.key: {"done": False, "clear": None, "questions": {
            slope.id: {"answer": plain(slope.answers[0]), "correct": True},
            pick.id: {"answer": [1], "correct": False}}},
        sums.key: {"done": False, "clear": "yes", "questions": {}},
    }}
    path = tmp_path / "old-progress.json"
    path.write_text(json.dumps(older, indent=2), encoding="utf-8")
    page.goto(base + "index.html")
    page.locator(".import-progress").set_input_files(path)
    expect(page.locator(".progress-status")).to_have_text(
        "Progress imported from old-progress.json (2 chapters).")
    questions = stored(page, vc)["chapters"][slopes.key]["questions"]
    assert questions[slope.id] == {"answer": plain(slope.answers[0]), "correct": True,
                                   "variant": 0, "solved": True, "hints": 0}
    assert questions[pick.id] == {"answer": [1], "correct": False, "variant": 0,
                                  "solved": False, "hints": 0}
    page.goto(base + slopes.page)
    expect(_variant(page, slope, 0).locator(".verdict")).to_have_text(re.compile(r"^\s*Correct"))
    expect(_variant(page, pick, 0).locator(".verdict")).to_have_text(
        re.compile(r"^\s*Incorrect"))
    page.goto(base + "review.html")
    expect(_review_item(page, slope.id)).to_be_hidden()
    expect(_review_item(page, pick.id)).to_have_class(re.compile(r"\bis-wrong\b"))
    # Progress in storage written before variants reads the same way.
    put_storage(page, vc, json.dumps({"version": 1, "chapters": older["chapters"]}))
    page.reload()
    expect(page.locator(".review-summary")).to_have_text(
        "1 question answered wrongly and 1 not tried yet.")
