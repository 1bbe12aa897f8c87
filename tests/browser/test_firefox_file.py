"""Progress in a course opened from disk (file://) in Firefox, driven through
Marionette (marionette.py) with the browser's own preferences for files.

Firefox gives every file an opaque origin and a storage of its own, so a
page's localStorage is that page's alone. The pages keep progress in one
hidden frame, assets/storage.html (ui-storage.js), and these tests check that
progress made on one chapter shows on the others, the home page and the
review page, after a restart, on going back, in another tab, and that what a
page kept in its own storage before is joined. If firefox-esr is missing they
FAIL.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.marionette import FIREFOX, Firefox, Marionette, write_profile
from tests.browser.shipped import ExpectedCourse, build_site, expected_course
from tests.coursekit import chapter as chapter_file
from tests.coursekit import make_course

STRICT_ORIGIN = "security.fileuri.strict_origin_policy"
CHAPTER_READY = ("var c = document.querySelector('.chapter-end .clarity');"
                 "return !!c && !c.hidden;")
HOME_READY = ("var h = document.querySelector('[data-progress-home]');"
              "return !!h && !h.hidden && h.textContent;")
DONE_ROWS = ("return Array.from(document.querySelectorAll("
             "'li.menu-chapter.is-done, .home-chapter.is-done'))"
             ".map(function (e) { return e.getAttribute('data-chapter-key'); });")
# Errors (not warnings) of the site's own pages and frame, from the browser's console.
PAGE_ERRORS = """
return Services.console.getMessageArray()
  .filter(m => m instanceof Ci.nsIScriptError && m.sourceName.startsWith("file:") &&
               !(m.flags & (Ci.nsIScriptError.warningFlag | Ci.nsIScriptError.infoFlag)))
  .map(m => m.sourceName + ":" + m.lineNumber + ": " + m.errorMessage);
"""


@pytest.fixture(scope="module")
def small_course(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, ExpectedCourse]:
    """A course of three chapters in two sections (two folders): one with a
    question, two to mark as done."""
    root = tmp_path_factory.mktemp("firefox-course")
    content = make_course(root, {
        "course.yml": "title: Disk Course\n",
        "01-first/01-quiz.md": chapter_file("Quiz", "A question follows.\n", quiz=[{
            "id": "two", "question": "One plus one?", "answer": 2}]),
        "01-first/02-reading.md": chapter_file("Reading", "Just text.\n"),
        "02-second/01-more.md": chapter_file("More reading", "More text.\n"),
    })
    return build_site(content, root / "www" / "course", root / "cache"), expected_course(content)


@pytest.fixture
def site(small_course: tuple[Path, ExpectedCourse], tmp_path: Path) -> Path:
    """A copy of the built course for one test: Firefox keeps a file's storage
    by its path, so each test starts with none."""
    copy = tmp_path / "course"
    shutil.copytree(small_course[0], copy)
    return copy


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Firefox]:
    """One firefox-esr for the module, on a profile of its own."""
    if not os.access(FIREFOX, os.X_OK):
        pytest.fail(f"these tests need Debian's firefox-esr at {FIREFOX} "
                    "(apt-get install firefox-esr)", pytrace=False)
    profile = tmp_path_factory.mktemp("firefox") / "profile"
    write_profile(profile)
    with Firefox(profile) as running:
        yield running


def _assert_no_errors(browser: Firefox) -> None:
    with browser.marionette.chrome():
        errors = browser.marionette.execute(PAGE_ERRORS)
        browser.marionette.execute("Services.console.reset();")
    assert errors == []


@pytest.fixture
def ff(browser: Firefox) -> Iterator[Marionette]:
    """The browser's tab; at the end, no errors from the site's pages."""
    yield browser.marionette
    _assert_no_errors(browser)


def _open(ff: Marionette, site: Path, page: str, ready: str = CHAPTER_READY) -> None:
    ff.navigate((site / page).as_uri())
    ff.wait_for(ready)


def _page(course: ExpectedCourse, title: str) -> tuple[str, str]:
    """The page and key of the chapter titled ``title``."""
    found = next(c for c in course.chapters if c.title == title)
    return found.page, found.key


def _mark_done(ff: Marionette) -> None:
    ff.execute("document.querySelector('.chapter-end .mark-done').click();")
    ff.wait_for("return document.querySelector('.chapter-status').textContent"
                " === 'Chapter completed';")


def _home_says(ff: Marionette, done: int, total: int) -> None:
    ff.wait_for("return document.querySelector('.progress-summary').textContent"
                ".indexOf(arguments[0]) === 0;", f"{done} of {total} chapters completed")


def test_firefox_gives_each_file_its_own_storage(ff: Marionette, browser: Firefox,
                                                 small_course: tuple[Path, ExpectedCourse],
                                                 site: Path) -> None:
    """Why the frame exists: with the preference at its default, a file's
    origin is opaque and its localStorage its own."""
    course = small_course[1]
    with ff.chrome():
        default = ff.execute("return Services.prefs.getDefaultBranch('')"
                             ".getBoolPref(arguments[0]);", STRICT_ORIGIN)
        changed = ff.execute("return Services.prefs.prefHasUserValue(arguments[0]);",
                             STRICT_ORIGIN)
    assert (default, changed) == (True, False), browser.version()
    _open(ff, site, "index.html", HOME_READY)
    assert ff.execute("return [location.protocol, location.origin];") == ["file:", "null"]
    ff.execute("localStorage.setItem('probe', 'home');")
    assert ff.execute("return localStorage.getItem('probe');") == "home"
    _open(ff, site, _page(course, "Reading")[0])
    assert ff.execute("return localStorage.getItem('probe');") is None, (
        f"Firefox {browser.version()} shares localStorage between files now: "
        "assets/storage.html may no longer be needed")


def test_progress_carries_across_pages_and_a_restart(
        ff: Marionette, browser: Firefox, small_course: tuple[Path, ExpectedCourse],
        site: Path) -> None:
    course = small_course[1]
    quiz, quiz_key = _page(course, "Quiz")
    more, more_key = _page(course, "More reading")
    _open(ff, site, quiz)
    ff.execute("document.querySelector('#question-two .numeric-input').value = '2';"
               "document.querySelector('#question-two .check-button').click();")
    ff.wait_for("return document.querySelector('.chapter-status').textContent"
                " === 'Chapter completed';")
    assert ff.execute("return localStorage.length;") == 0  # not in the page's own

    _open(ff, site, more)  # in another folder
    assert ff.execute(DONE_ROWS) == [quiz_key]  # the menu's tick
    _mark_done(ff)
    _open(ff, site, "index.html", HOME_READY)
    _home_says(ff, 2, 3)
    assert ff.execute(DONE_ROWS) == [quiz_key, more_key]  # the home's rows (no menu)
    _assert_no_errors(browser)

    browser.restart()  # the same profile: what the reader finds the next day
    ff = browser.marionette
    _open(ff, site, "index.html", HOME_READY)
    _home_says(ff, 2, 3)
    _open(ff, site, quiz)
    assert ff.execute("var f = document.querySelector('#question-two');"
                      "return [f.classList.contains('is-correct'),"
                      "        f.querySelector('.numeric-input').value];") == [True, "2"]


def test_home_shows_progress_made_after_it_was_left(ff: Marionette, browser: Firefox,
                                                    small_course: tuple[Path, ExpectedCourse],
                                                    site: Path) -> None:
    """Going back to it (the back-forward cache) and in another tab."""
    course = small_course[1]
    reading, reading_key = _page(course, "Reading")
    more, more_key = _page(course, "More reading")
    _open(ff, site, "index.html", HOME_READY)
    _home_says(ff, 0, 3)
    _open(ff, site, reading)
    _mark_done(ff)
    ff.back()
    ff.wait_for(HOME_READY)
    _home_says(ff, 1, 3)

    home_tab = ff.command("WebDriver:GetWindowHandle")["value"]
    other = ff.command("WebDriver:NewWindow", {"type": "tab"})["handle"]
    try:
        ff.command("WebDriver:SwitchToWindow", {"handle": other, "focus": True})
        _open(ff, site, more)
        assert ff.execute(DONE_ROWS) == [reading_key]
        _mark_done(ff)
    finally:
        ff.command("WebDriver:CloseWindow")
        ff.command("WebDriver:SwitchToWindow", {"handle": home_tab, "focus": True})
    _home_says(ff, 2, 3)
    assert ff.execute(DONE_ROWS) == [reading_key, more_key]


REVIEW_READY = ("return !document.querySelector('.review-summary').hidden ||"
                " !document.querySelector('.review-empty').hidden;")
REVIEW_ITEM = ("var q = document.querySelector('.review-question[data-question=\"two\"]');"
               "return [q.hidden, q.querySelector('.review-state').textContent];")


def _check_two(ff: Marionette, typed: str, verdict: str) -> None:
    ff.execute("document.querySelector('#question-two .numeric-input').value = arguments[0];"
               "document.querySelector('#question-two .check-button').click();", typed)
    ff.wait_for("return document.querySelector('#question-two').classList.contains("
                "arguments[0]);", verdict)


def test_review_page_lists_from_the_progress_of_other_pages(
        ff: Marionette, small_course: tuple[Path, ExpectedCourse], site: Path) -> None:
    course = small_course[1]
    quiz, _ = _page(course, "Quiz")
    _open(ff, site, "review.html", REVIEW_READY)
    assert ff.execute(REVIEW_ITEM) == [False, "Not tried yet"]
    _open(ff, site, quiz)
    _check_two(ff, "3", "is-incorrect")
    _open(ff, site, "review.html", REVIEW_READY)
    assert ff.execute(REVIEW_ITEM) == [False, "Answered wrongly"]
    _open(ff, site, quiz)
    _check_two(ff, "2", "is-correct")
    _open(ff, site, "review.html", REVIEW_READY)
    assert ff.execute("return [document.querySelector('.review-empty').hidden,"
                      "        document.querySelector('.review-list').hidden];") == [False, True]


def test_progress_a_page_kept_in_its_own_storage_is_joined(
        ff: Marionette, small_course: tuple[Path, ExpectedCourse], site: Path) -> None:
    """Before the frame, a chapter's progress stayed in that page's storage."""
    course = small_course[1]
    reading, reading_key = _page(course, "Reading")
    _open(ff, site, reading)
    own = json.dumps({"version": 1, "chapters": {
        reading_key: {"done": True, "questions": {}, "clear": "yes"}}})
    ff.execute("localStorage.setItem(arguments[0], arguments[1]);", course.storage_key, own)
    _open(ff, site, reading)  # again: now it finds it
    ff.wait_for("return document.querySelector('.chapter-status').textContent"
                " === 'Chapter completed';")
    assert ff.execute("return localStorage.getItem(arguments[0]);", course.storage_key) is None
    _open(ff, site, "index.html", HOME_READY)
    _home_says(ff, 1, 3)


def test_without_the_frame_a_page_keeps_progress_in_its_own_storage(
        ff: Marionette, small_course: tuple[Path, ExpectedCourse], site: Path) -> None:
    """A theme without assets/storage.html: the page waits for the frame a
    moment, then keeps progress as before, on its own."""
    course = small_course[1]
    reading, reading_key = _page(course, "Reading")
    (site / "assets" / "storage.html").unlink()
    _open(ff, site, reading)
    assert ff.execute("return document.querySelectorAll('iframe').length;") == 0
    _mark_done(ff)
    stored = ff.execute("return JSON.parse(localStorage.getItem(arguments[0]));",
                        course.storage_key)
    assert stored["chapters"][reading_key]["done"] is True
