"""Progress: localStorage, chapter completion, the home page's progress, reset,
export and import, robustness, "Mark chapter as done" and "Everything was
clear?"."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser.helpers import (
    answer,
    assert_progress,
    check,
    complete_chapter,
    expect,
    form,
    put_storage,
    stored,
    verdict_word,
)
from tests.browser.shipped import (
    ExpectedChapter,
    ExpectedCourse,
    build_site,
    expected_course,
    plain,
    wrong_number,
)
from tests.coursekit import chapter as chapter_file
from tests.coursekit import make_course

LOAD_FIGURES = False  # the figures play no part here (conftest.py)

def _first(course: ExpectedCourse) -> ExpectedChapter:
    return course.with_questions()[0]


def _progress_value(course: ExpectedCourse, done: list[ExpectedChapter]) -> str:
    """Progress in the contract's storage format: ``done`` answered all correctly."""
    chapters = {}
    for chapter in done:
        questions = {}
        for q in chapter.questions:
            given: Any = (plain(q.answer) if q.answer is not None
                          else sorted(q.correct_indexes))
            questions[q.id] = {"answer": given, "correct": True}
        chapters[chapter.key] = {"done": True, "questions": questions, "clear": None}
    return json.dumps({"version": 1, "chapters": chapters})


def _assert_marked(page: Any, key: str, done: bool) -> None:
    """The menu item or home row of chapter ``key`` is marked completed, or not."""
    item = page.locator(f"li.menu-chapter[data-chapter-key='{key}'], "
                        f".home-chapter[data-chapter-key='{key}']")
    expect(item).to_have_count(1)
    if done:
        expect(item).to_have_class(re.compile(r"\bis-done\b"))
        expect(item).to_contain_text("(completed)")
        label = item.locator(".home-chapter-text")
        if label.count():  # the home row's visible label, from the style sheet
            content = label.evaluate("e => getComputedStyle(e, '::after').content")
            assert "\u2713\u00a0Completed" in content, content
    else:
        expect(item).not_to_have_class(re.compile(r"\bis-done\b"))
        expect(item).not_to_contain_text("(completed)")


def test_answers_are_stored_and_restored_after_reload(page: Any, server: Any,
                                                      course: ExpectedCourse) -> None:
    chapter = course.with_questions("numeric")[0]
    choice_q = next(q for q in chapter.questions if q.kind != "numeric")
    numeric_q = next(q for q in chapter.questions if q.kind == "numeric")
    assert numeric_q.answer is not None and numeric_q.tolerance is not None
    typed = wrong_number(numeric_q.answer, numeric_q.tolerance)
    page.goto(server.url(chapter.page))
    expect(page.locator("html")).to_have_attribute("data-course", course.key)
    expect(page.locator("article.chapter")).to_have_attribute("data-chapter-key", chapter.key)
    answer(page, choice_q, correct=True)
    form(page, numeric_q).locator(".numeric-input").fill(typed)
    assert verdict_word(check(page, numeric_q)) == "Incorrect"

    value = stored(page, course)
    assert value["version"] == 1
    saved = value["chapters"][chapter.key]
    assert saved["done"] is False
    choice_saved = saved["questions"][choice_q.id]
    assert choice_saved["correct"] is True
    assert sorted(int(i) for i in choice_saved["answer"]) == sorted(choice_q.correct_indexes)
    assert saved["questions"][numeric_q.id] == {"answer": typed, "correct": False, "variant": 0,
                                                "solved": False, "hints": 0}

    page.reload()
    for index in range(len(choice_q.choices)):
        box = form(page, choice_q).locator(f"input[value='{index}']")
        if index in choice_q.correct_indexes:
            expect(box).to_be_checked()
        else:
            expect(box).not_to_be_checked()
    expect(form(page, choice_q).locator(".verdict")).to_have_text(re.compile(r"^\s*Correct"))
    expect(form(page, choice_q).locator(".explanation")).to_be_visible()
    expect(form(page, numeric_q).locator(".numeric-input")).to_have_value(typed)
    expect(form(page, numeric_q).locator(".verdict")).to_have_text(re.compile(r"^\s*Incorrect"))
    expect(page.locator(".chapter-status")).not_to_have_text(re.compile("Chapter completed"))


def test_completing_a_chapter(page: Any, server: Any, course: ExpectedCourse) -> None:
    first = _first(course)
    other = next(ch for ch in course.chapters if ch.key != first.key)
    page.goto(server.url())
    assert_progress(page, 0, len(course.chapters))

    complete_chapter(page, server.root, first)
    value = stored(page, course)
    assert value["chapters"][first.key]["done"] is True
    assert all(q["correct"] for q in value["chapters"][first.key]["questions"].values())
    _assert_marked(page, first.key, True)  # this page's own menu

    page.goto(server.url(other.page))
    _assert_marked(page, first.key, True)
    _assert_marked(page, other.key, False)

    page.goto(server.url())
    assert_progress(page, 1, len(course.chapters))
    _assert_marked(page, first.key, True)
    for chapter in course.chapters:
        if chapter.key != first.key:
            _assert_marked(page, chapter.key, False)

    # The same site under a sub-path is another URL but the same course: here it is
    # another origin (port), so it starts empty, and works the same.
    page.goto(server.sub + "index.html")
    assert_progress(page, 0, len(course.chapters))


def test_progress_in_the_storage_format_is_shown(page: Any, server: Any,
                                                 course: ExpectedCourse) -> None:
    """A value written in the contract's format (not by the UI) is read back."""
    first = _first(course)
    page.goto(server.url())
    put_storage(page, course, _progress_value(course, [first]))
    page.reload()
    assert_progress(page, 1, len(course.chapters))
    _assert_marked(page, first.key, True)
    page.goto(server.url(first.page))
    expect(page.locator(".chapter-status")).to_have_text(re.compile("Chapter completed"))
    for question in first.questions:
        f = form(page, question)
        expect(f.locator(".verdict")).to_have_text(re.compile(r"^\s*Correct"))
        if question.kind == "numeric":
            assert question.answer is not None
            expect(f.locator(".numeric-input")).to_have_value(plain(question.answer))
        else:
            for index in question.correct_indexes:
                expect(f.locator(f"input[value='{index}']")).to_be_checked()


def test_reset_clears_progress_after_confirming(page: Any, server: Any,
                                               course: ExpectedCourse) -> None:
    first = _first(course)
    page.goto(server.url())
    put_storage(page, course, _progress_value(course, [first]))
    page.reload()
    assert_progress(page, 1, len(course.chapters))
    reset = page.locator(".reset-progress")

    page.once("dialog", lambda dialog: dialog.dismiss())
    reset.click()
    assert_progress(page, 1, len(course.chapters))  # cancelled: nothing changes

    page.once("dialog", lambda dialog: dialog.accept())
    reset.click()
    assert_progress(page, 0, len(course.chapters))
    _assert_marked(page, first.key, False)
    value = stored(page, course)
    assert value is None or not value.get("chapters")

    page.goto(server.url(first.page))
    _assert_marked(page, first.key, False)
    for question in first.questions:
        expect(form(page, question).locator(".verdict")).to_be_empty()


def _export(page: Any, course: ExpectedCourse, folder: Path) -> Path:
    with page.expect_download() as info:
        page.locator(".export-progress").click()
    download = info.value
    assert download.suggested_filename == f"{course.key}-progress.json"
    path = folder / download.suggested_filename
    download.save_as(path)
    return path


def test_export_then_import_in_a_fresh_browser(new_context: Any, server: Any,
                                               course: ExpectedCourse, tmp_path: Path) -> None:
    first = _first(course)
    page = new_context().new_page()
    complete_chapter(page, server.root, first)
    page.goto(server.url())
    saved = stored(page, course)
    exported = _export(page, course, tmp_path)
    data = json.loads(exported.read_text(encoding="utf-8"))
    assert data["version"] == 1
    assert data["chapters"] == saved["chapters"]

    fresh = new_context().new_page()
    fresh.goto(server.url())
    assert_progress(fresh, 0, len(course.chapters))
    importer = fresh.locator("input.import-progress")
    expect(importer).to_have_attribute("type", "file")
    expect(importer).to_have_attribute("accept", "application/json")
    importer.set_input_files(exported)
    assert_progress(fresh, 1, len(course.chapters))
    _assert_marked(fresh, first.key, True)
    assert stored(fresh, course)["chapters"] == saved["chapters"]
    fresh.goto(server.url(first.page))
    for question in first.questions:
        expect(form(fresh, question).locator(".verdict")).to_have_text(
            re.compile(r"^\s*Correct"))


@pytest.mark.parametrize("content", [
    "{not json", json.dumps({"version": 99, "chapters": {}}), "[1, 2]",
], ids=["not-json", "wrong-version", "not-progress"])
def test_importing_a_bad_file_changes_nothing(page: Any, server: Any, course: ExpectedCourse,
                                              tmp_path: Path, content: str) -> None:
    first = _first(course)
    page.goto(server.url())
    put_storage(page, course, _progress_value(course, [first]))
    page.reload()
    before = stored(page, course)
    bad = tmp_path / "bad-progress.json"
    bad.write_text(content, encoding="utf-8")
    page.locator(".import-progress").set_input_files(bad)
    status = page.locator("[data-progress-home] [role=status], [data-progress-home] [aria-live]")
    expect(status.filter(has_text=re.compile(r"\S"))).not_to_have_count(0)
    assert_progress(page, 1, len(course.chapters))
    assert stored(page, course) == before


CORRUPT = {
    "not-json": "{not json",
    "wrong-version": json.dumps({"version": 2, "chapters": {}}),
    "null": "null",
    "array": "[]",
    "wrong-shape": json.dumps({"version": 1, "chapters": "nope"}),
    "wrong-chapter": json.dumps({"version": 1, "chapters": {"x/y": 5}}),
}


@pytest.mark.parametrize("raw", list(CORRUPT.values()), ids=list(CORRUPT))
def test_corrupt_storage_does_not_break_the_pages(page: Any, server: Any,
                                                  course: ExpectedCourse, raw: str) -> None:
    """Corrupt or foreign values start empty; no JavaScript error (checked at teardown)."""
    first = _first(course)
    question = first.questions[0]
    page.goto(server.url())
    put_storage(page, course, raw)
    page.reload()
    assert_progress(page, 0, len(course.chapters))
    page.goto(server.url(first.page))
    expect(page.locator(".copy-button").first).to_be_attached()  # the other scripts ran
    answer(page, question, correct=True)
    value = stored(page, course)  # replaced by valid progress
    assert value["version"] == 1
    assert value["chapters"][first.key]["questions"][question.id]["correct"] is True


def test_unavailable_storage_does_not_break_the_pages(new_context: Any, server: Any,
                                                      course: ExpectedCourse) -> None:
    context = new_context()
    context.add_init_script("""
        Object.defineProperty(window, "localStorage", {
            get() { throw new DOMException("storage is disabled", "SecurityError"); }
        });
    """)
    page = context.new_page()
    first = _first(course)
    page.goto(server.url(first.page))
    for question in first.questions:
        answer(page, question, correct=True)
    expect(page.locator(".copy-button").first).to_be_attached()  # the other scripts ran
    page.goto(server.url())
    expect(page.locator(".home-chapter")).to_have_count(len(course.chapters))


# Storage that throws: blocked outright (the getter throws, as with cookies
# disabled), or full (every write throws).
NO_STORAGE = {
    "blocked": """
        Object.defineProperty(window, "localStorage", {
            get() { throw new DOMException("storage is disabled", "SecurityError"); }
        });
    """,
    "full": """
        Storage.prototype.setItem = function () {
            throw new DOMException("the quota has been exceeded", "QuotaExceededError");
        };
    """,
}
UNSAVED = re.compile(r"can\u2019t be saved in this browser \(storage is blocked or full\); "
                     r"it lasts until you leave this page\.")


def _no_storage_page(new_context: Any, mode: str) -> tuple[Any, list[str]]:
    """A page whose storage throws, and the console errors it logs."""
    context = new_context()
    context.add_init_script(NO_STORAGE[mode])
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    return page, errors


@pytest.mark.parametrize("mode", list(NO_STORAGE))
def test_progress_that_cannot_be_saved_is_never_called_saved(
        new_context: Any, server: Any, course: ExpectedCourse, tmp_path: Path,
        mode: str) -> None:
    """Said once, visibly, next to what the reader did; no "saved" or "imported"."""
    page, errors = _no_storage_page(new_context, mode)
    first = _first(course)
    page.goto(server.url(first.page))
    notes = page.locator(".storage-note")
    expect(notes).to_have_count(0)  # nothing failed yet
    answer(page, first.questions[0], correct=True)
    expect(notes).to_have_count(1)
    expect(notes).to_have_text(UNSAVED)
    expect(notes).to_be_visible()
    expect(notes).to_have_attribute("role", "status")
    expect(form(page, first.questions[0]).locator(".storage-note")).to_have_count(1)
    for question in first.questions[1:]:
        answer(page, question, correct=True)
    expect(page.locator(".chapter-status")).to_have_text(re.compile("Chapter completed"))
    thanks = page.locator(".clarity-thanks")
    page.locator(".clarity").get_by_role("button", name="Yes").click()
    expect(thanks).to_have_text(re.compile(r"^Thanks"))
    expect(thanks).not_to_contain_text("saved")
    page.locator(".clarity").get_by_role("button", name="No").click()
    expect(thanks).to_have_text(re.compile(r"^Thanks"))
    expect(thanks).not_to_contain_text("saved")
    expect(notes).to_have_count(1)  # once
    if mode == "full":
        assert stored(page, course) is None  # nothing reached the storage

    page.goto(server.url())
    # Storage that cannot be read is said at once on the home page;
    # storage that is only full shows up at the first write, as on a chapter page.
    expect(page.locator(".storage-note")).to_have_count(1 if mode == "blocked" else 0)
    if mode == "blocked":
        expect(page.locator("[data-progress-home] .storage-note")).to_have_text(UNSAVED)
        expect(page.locator(".storage-note")).to_be_visible()
        expect(page.locator(".storage-note")).to_have_attribute("role", "status")
    assert_progress(page, 0, len(course.chapters))  # the answers above lasted their page
    progress_file = tmp_path / "prog.json"
    progress_file.write_text(_progress_value(course, [first]), encoding="utf-8")
    page.locator(".import-progress").set_input_files(progress_file)
    status = page.locator("[data-progress-home] .progress-status")
    expect(status).to_have_text(re.compile(r"prog\.json \(1 chapter\).*not saved"))
    expect(status).not_to_contain_text("imported")
    expect(page.locator(".storage-note")).to_have_count(1)
    expect(page.locator(".storage-note")).to_have_text(UNSAVED)
    expect(page.locator(".storage-note")).to_be_visible()
    assert_progress(page, 1, len(course.chapters))  # shown for this page's life

    page.once("dialog", lambda dialog: dialog.accept())
    page.locator(".reset-progress").click()
    assert_progress(page, 0, len(course.chapters))
    if mode == "blocked":
        expect(status).to_have_text("Progress reset on this page only.")
    expect(page.locator(".storage-note")).to_have_count(1)
    assert errors == []


def test_everything_was_clear_is_stored(page: Any, server: Any, course: ExpectedCourse) -> None:
    chapter = course.chapters[0]
    page.goto(server.url(chapter.page))
    clarity = page.locator(f".chapter-end .clarity[data-chapter-key='{chapter.key}']")
    expect(clarity).to_contain_text("Everything was clear?")
    yes = clarity.get_by_role("button", name="Yes")
    no = clarity.get_by_role("button", name="No")
    thanks = clarity.locator(".clarity-thanks")
    expect(yes).to_be_visible()
    expect(no).to_be_visible()
    expect(clarity.locator(".clarity-link")).to_have_count(0)  # no feedback_url in course.yml

    yes.click()
    expect(thanks).not_to_be_empty()
    assert stored(page, course)["chapters"][chapter.key]["clear"] == "yes"
    page.reload()
    assert stored(page, course)["chapters"][chapter.key]["clear"] == "yes"
    no.click()
    expect(thanks).not_to_be_empty()
    assert stored(page, course)["chapters"][chapter.key]["clear"] == "no"
    assert stored(page, course)["chapters"][chapter.key]["done"] is False


def test_chapters_with_questions_have_no_mark_done_button(page: Any, server: Any,
                                                         course: ExpectedCourse) -> None:
    page.goto(server.url(_first(course).page))
    expect(page.locator(".chapter-end")).to_have_count(1)
    expect(page.locator(".mark-done")).to_have_count(0)


# --- a course of our own: a chapter without questions, and a feedback URL ------------

FEEDBACK_URL = "https://example.org/feedback"
PLAIN_TITLE = "Reading & Notes: A/B? 100% #1"


@pytest.fixture(scope="module")
def small_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("small")
    content = make_course(root, {
        "course.yml": f"title: Small Course\nfeedback_url: {FEEDBACK_URL}\n",
        "01-intro/01-reading.md": chapter_file(json.dumps(PLAIN_TITLE), "Just text.\n"),
        "01-intro/02-quiz.md": chapter_file("Quiz", "A question follows.\n", quiz=[{
            "id": "two", "question": "One plus one?", "answer": 2}]),
    })
    return build_site(content, root / "www" / "course", root / "cache")


def test_mark_chapter_as_done(new_context: Any, serve_folder: Any, small_site: Path) -> None:
    small = expected_course(small_site.parents[1] / "content")
    reading, quiz = small.chapters
    assert not reading.questions and quiz.questions
    with serve_folder(small_site) as base:
        page = new_context().new_page()
        page.goto(base + quiz.page)
        expect(page.locator(".mark-done")).to_have_count(0)

        page.goto(base + reading.page)
        button = page.get_by_role("button", name="Mark chapter as done")
        expect(button).to_be_visible()
        expect(button).to_have_attribute("aria-pressed", "false")
        button.click()
        expect(button).to_have_attribute("aria-pressed", "true")
        expect(page.locator(".chapter-status")).to_have_text(re.compile("Chapter completed"))
        assert stored(page, small)["chapters"][reading.key]["done"] is True
        _assert_marked(page, reading.key, True)

        page.reload()
        expect(button).to_have_attribute("aria-pressed", "true")
        page.goto(base + "index.html")
        assert_progress(page, 1, 2)
        _assert_marked(page, reading.key, True)
        _assert_marked(page, quiz.key, False)


def test_mark_chapter_as_done_without_storage(new_context: Any, serve_folder: Any,
                                              small_site: Path) -> None:
    small = expected_course(small_site.parents[1] / "content")
    reading = small.chapters[0]
    page, errors = _no_storage_page(new_context, "blocked")
    with serve_folder(small_site) as base:
        page.goto(base + reading.page)
        page.get_by_role("button", name="Mark chapter as done").click()
        expect(page.locator(".chapter-status")).to_have_text(re.compile("Chapter completed"))
        note = page.locator(".chapter-end .storage-note")
        expect(note).to_have_text(UNSAVED)
        expect(note).to_be_visible()
        page.get_by_role("button", name="Mark chapter as done").click()
        page.get_by_role("button", name="Mark chapter as done").click()
        expect(page.locator(".storage-note")).to_have_count(1)
    assert errors == []


def test_feedback_link_names_the_chapter(page: Any, serve_folder: Any, small_site: Path) -> None:
    small = expected_course(small_site.parents[1] / "content")
    reading = small.chapters[0]
    with serve_folder(small_site) as base:
        page.goto(base + reading.page)
        link = page.locator(".clarity .clarity-link")
        expect(link).to_have_text("Tell the author")
        href = link.get_attribute("href")
        assert href.startswith(FEEDBACK_URL + "?"), href
        query = parse_qs(urlsplit(href).query, strict_parsing=True)
        assert query["chapter"] == [reading.key]
        assert [PLAIN_TITLE] in query.values(), query


def test_feedback_link_shows_without_javascript(new_context: Any, serve_folder: Any,
                                                small_site: Path) -> None:
    """The chapter-end box holds the link, so it shows; the script-only buttons do not."""
    small = expected_course(small_site.parents[1] / "content")
    page = new_context(java_script_enabled=False).new_page()
    with serve_folder(small_site) as base:
        page.goto(base + small.chapters[0].page)
        expect(page.locator(".chapter-end")).to_be_visible()
        expect(page.locator(".chapter-end .clarity-link")).to_be_visible()
        expect(page.locator(".chapter-end button")).to_have_count(3)  # done, yes, no
        for button in page.locator(".chapter-end button").all():
            expect(button).to_be_hidden()


def test_two_tabs_agree_after_progress_changes_in_the_other(context: Any, server: Any,
                                                            course: ExpectedCourse) -> None:
    """After tab B completes the chapter, tab A says "Chapter completed", not only
    its menu mark; after a reset on the home page, tab A drops that and the old
    verdicts."""
    first = _first(course)
    tab_a, tab_b, home = context.new_page(), context.new_page(), context.new_page()
    tab_a.goto(server.url(first.page))
    home.goto(server.url())
    complete_chapter(tab_b, server.root, first)  # in tab B (the `storage` event reaches A)

    expect(tab_a.locator(".chapter-status")).to_have_text(re.compile("Chapter completed"))
    expect(tab_a.locator(".chapter-end")).to_have_class(re.compile(r"\bis-done\b"))
    _assert_marked(tab_a, first.key, True)
    for question in first.questions:
        expect(form(tab_a, question).locator(".verdict")).to_have_text(
            re.compile(r"^\s*Correct"))
    assert_progress(home, 1, len(course.chapters))

    home.once("dialog", lambda dialog: dialog.accept())
    home.locator(".reset-progress").click()
    assert_progress(home, 0, len(course.chapters))
    for tab in (tab_a, tab_b):
        expect(tab.locator(".chapter-status")).to_be_empty()
        expect(tab.locator(".chapter-end")).not_to_have_class(re.compile(r"\bis-done\b"))
        _assert_marked(tab, first.key, False)
        for question in first.questions:
            f = form(tab, question)
            expect(f.locator(".verdict")).to_be_empty()
            expect(f).not_to_have_class(re.compile(r"\bis-(correct|incorrect)\b"))
            expect(f.locator(".reveal-button")).to_be_hidden()
            if question.kind == "numeric":
                expect(f.locator(".numeric-input")).to_have_value("")
            else:
                expect(f.locator(".choices input:checked")).to_have_count(0)
    # Answering again after the reset starts from nothing: no stale completion.
    answer(tab_a, first.questions[0], correct=True)
    expect(tab_a.locator(".chapter-status")).to_be_empty()
    assert stored(tab_a, course)["chapters"][first.key]["done"] is False


def test_mark_done_and_clarity_follow_another_tab(new_context: Any, serve_folder: Any,
                                                  small_site: Path) -> None:
    small = expected_course(small_site.parents[1] / "content")
    reading = small.chapters[0]
    context = new_context()
    tab_a, tab_b = context.new_page(), context.new_page()
    with serve_folder(small_site) as base:
        tab_a.goto(base + reading.page)
        tab_b.goto(base + reading.page)
        tab_b.get_by_role("button", name="Mark chapter as done").click()
        tab_b.locator(".clarity").get_by_role("button", name="Yes").click()
        expect(tab_a.get_by_role("button", name="Mark chapter as done")).to_have_attribute(
            "aria-pressed", "true")
        expect(tab_a.locator(".chapter-status")).to_have_text(re.compile("Chapter completed"))
        expect(tab_a.locator(".clarity").get_by_role("button", name="Yes")).to_have_attribute(
            "aria-pressed", "true")
        tab_b.get_by_role("button", name="Mark chapter as done").click()
        expect(tab_a.get_by_role("button", name="Mark chapter as done")).to_have_attribute(
            "aria-pressed", "false")
        expect(tab_a.locator(".chapter-status")).to_be_empty()


def test_import_ignores_chapters_this_course_does_not_have(page: Any, server: Any,
                                                           course: ExpectedCourse,
                                                           tmp_path: Path) -> None:
    """A file's unknown chapters are not counted, said imported, or stored."""
    first = _first(course)
    data = json.loads(_progress_value(course, [first]))
    data["chapters"]["nope/nope"] = {"done": True, "questions": {}, "clear": None}
    data["chapters"]["old/renamed"] = {"done": True, "questions": {}, "clear": "yes"}
    mixed = tmp_path / "mixed.json"
    mixed.write_text(json.dumps(data), encoding="utf-8")
    page.goto(server.url())
    page.locator(".import-progress").set_input_files(mixed)
    status = page.locator("[data-progress-home] .progress-status")
    expect(status).to_have_text("Progress imported from mixed.json (1 chapter; "
                                "2 chapters not in this course were ignored).")
    assert_progress(page, 1, len(course.chapters))
    assert set(stored(page, course)["chapters"]) == {first.key}

    only_others = tmp_path / "others.json"
    only_others.write_text(json.dumps({"version": 1, "chapters": {
        "nope/nope": {"done": True}}}), encoding="utf-8")
    page.locator(".import-progress").set_input_files(only_others)
    expect(status).to_have_text("others.json holds no chapter of this course (1 chapter not "
                                "in this course was ignored): nothing was changed.")
    assert set(stored(page, course)["chapters"]) == {first.key}


def test_progress_from_disk_is_the_storage_pages_kept_before(new_context: Any,
                                                               small_site: Path) -> None:
    """From disk (file://) Chromium gives every file the origin "file://" and one
    storage: the pages keep progress in it, with no storage frame (Firefox needs
    one, test_firefox_file.py); what a page stored before still shows, and what is
    stored now is in the pages' own storage."""
    small = expected_course(small_site.parents[1] / "content")
    reading, quiz = small.chapters
    page = new_context().new_page()
    home = (small_site / "index.html").as_uri()
    page.goto(home)
    put_storage(page, small, json.dumps({"version": 1, "chapters": {
        reading.key: {"done": True, "questions": {}, "clear": None}}}))

    page.goto((small_site / quiz.page).as_uri())
    expect(page.locator("iframe[src$='assets/storage.html']")).to_have_count(0)
    _assert_marked(page, reading.key, True)
    answer(page, quiz.questions[0], correct=True)
    expect(page.locator(".chapter-status")).to_have_text(re.compile("Chapter completed"))
    page.goto(home)
    assert_progress(page, 2, 2)
    assert {key for key, entry in stored(page, small)["chapters"].items()
            if entry["done"]} == {reading.key, quiz.key}
