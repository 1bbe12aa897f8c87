"""Printing, as Chromium's "Save as PDF" does it (Playwright's ``page.pdf``).

A chapter prints on a few pages with its headings and without the header, menus,
buttons or search, and without any answer, feedback, hint or solution, even when
the reader opened them all on screen. The whole course (print.html) prints every
chapter from a page of its own, in order with its label, and none of those texts
either. Links to other chapters print their text only; a link to another site
prints its address after it. The PDFs' text is read with pypdf.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest

from gradsite.pipeline import BuildOptions, build
from tests.browser.shipped import ExpectedCourse
from tests.coursekit import chapter, make_course

LOAD_FIGURES = False  # a stand-in of each figure's size prints the same pages, faster
CHAPTER = "gradient-descent/learning-rates.html"  # questions, hints, an exercise, an explorer

# Every text a printed page must not show, as runs of words outside formulas
# (a PDF's text of a formula is not the page's), at least four words each, and
# none that the page also shows outside those texts.
SECRET_RUNS = """() => {
  const selector = ".explanation, .choice-feedback, .answer-key, .hint-text," +
    " .exercise-hint .disclosure-body, .exercise-solution .disclosure-body";
  const shown = document.querySelector(".chapter-body").cloneNode(true);
  for (const element of shown.querySelectorAll(selector)) element.remove();
  const elsewhere = shown.textContent.replace(/\\s+/g, " ");
  const runs = [];
  for (const element of document.querySelectorAll(selector)) {
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement.closest("math")) continue;
      const text = node.textContent.replace(/\\s+/g, " ").trim();
      if (text.split(" ").length >= 4 && /^[A-Za-z]/.test(text) && !elsewhere.includes(text)) {
        runs.push(text);
      }
    }
  }
  return runs;
}"""

# A reader who saw everything: every disclosure open, answers and feedback shown.
SHOW_EVERYTHING = """() => {
  for (const d of document.querySelectorAll("details")) d.open = true;
  for (const e of document.querySelectorAll(".explanation, .choice-feedback")) e.hidden = false;
}"""

# Words of the screen only: buttons, menus, search, an explorer's sliders and readouts
# ("Check" but for the quiz's heading, "Check your understanding").
SCREEN_ONLY = ("Search the course", "Menu", "On this page", "Check(?! your)", "Show answer",
               "Try another", "Show a hint", "Show solution", "Mark chapter as done",
               "Everything was clear", "Previous", "Next", "Last iterate", "Steps taken")


def _shown(word: str, text: str) -> bool:
    return re.search(rf"(?<![\w-]){word}(?![\w-])", text) is not None


def _pdf(page: Any) -> tuple[int, list[str]]:
    """The open page printed as Chromium prints it: its number of pages, and the text
    of each page, whitespace collapsed."""
    from pypdf import PdfReader

    page.evaluate("document.fonts.ready.then(() => true)")
    reader = PdfReader(io.BytesIO(page.pdf(format="A4")))
    return len(reader.pages), [" ".join(p.extract_text().split()) for p in reader.pages]


def _open(page: Any, url: str) -> list[str]:
    """Opens ``url`` and shows everything a reader can open; returns the secret runs."""
    page.goto(url)
    runs: list[str] = page.evaluate(SECRET_RUNS)
    page.evaluate(SHOW_EVERYTHING)
    return runs


def test_a_chapter_prints_without_answers(page: Any, server: Any, course: ExpectedCourse) -> None:
    runs = _open(page, server.url(CHAPTER))
    assert len(runs) >= 10, runs  # explanations, feedback, hints, the exercise's solution
    # Answered wrongly, then the answer shown: the verdict and the marked answer too.
    question = course.chapter("gradient-descent/learning-rates").questions[0]
    form = page.locator(question.form)
    form.locator(f"input[value='{question.wrong_indexes[0]}']").check()
    form.locator(".check-button").click()
    form.locator(".reveal-button").click()
    assert form.locator(".answer-tag").count() >= 1
    headings = [h for h in page.locator(".chapter-body h2").all_inner_texts() if h.isascii()]

    pages, texts = _pdf(page)
    text = " ".join(texts)
    assert 3 <= pages <= 15, pages
    assert text.startswith("Section 2. Chapter 2 · Gradient Descent Learning Rates")
    for heading in headings:
        assert heading in text, heading
    for run in runs:
        assert run not in text, run
    for word in ("Correct answer", "Incorrect", "Explanation", *SCREEN_ONLY):
        assert not _shown(word, text), word
    # The reader's choice and verdict do not show; the choices do, for the next reader.
    assert "Check your understanding" in text
    # Links to other chapters keep their text only.
    assert "(2.1.1)" in text and ".html" not in text


def test_the_screen_shows_what_print_leaves_out(page: Any, server: Any) -> None:
    """The check above can fail: printed with the screen's styles, the same PDF holds
    the texts it looks for."""
    runs = _open(page, server.url(CHAPTER))
    page.emulate_media(media="screen")
    _, texts = _pdf(page)
    text = " ".join(texts)
    found = [run for run in runs if run in text]
    assert len(found) >= len(runs) // 2, (len(found), len(runs))


def test_the_whole_course_prints_chapter_by_chapter(page: Any, server: Any,
                                                   course: ExpectedCourse) -> None:
    page.goto(server.url("index.html"))
    page.get_by_role("link", name="Print the whole course").click()
    page.wait_for_url(re.compile(r"/print\.html$"))
    page.evaluate(SHOW_EVERYTHING)
    pages, texts = _pdf(page)
    assert pages > 2 * len(course.chapters), pages
    text = " ".join(texts)
    assert text.startswith("COURSE " + course.title)
    # Each chapter from a page of its own, in order, its label and title at its top.
    starts = [t for t in texts if t.startswith("Section ")]
    labels = [f"Section {s}. Chapter {c}" for s, c in (
        (1, 1), (1, 2), (1, 3), (2, 1), (2, 2), (2, 3))]
    assert [t.split(" ·")[0] for t in starts] == labels
    for start, expected in zip(starts, course.chapters, strict=True):
        assert expected.title in start[:200], (expected.title, start[:200])
    # No answer, feedback, hint or solution of any chapter.
    for expected in course.chapters:
        runs = _open(page, server.url(expected.page))
        for run in runs:
            assert run not in text, (expected.page, run)
    for word in ("Explanation", *SCREEN_ONLY):
        assert not _shown(word, text), word
    assert ".html" not in text


@pytest.fixture(scope="module")
def linked_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("printlinks")
    options = BuildOptions(
        content=make_course(folder, {
            "01-a/01-one.md": chapter("One", "Go [to the second](02-two.md#more), read "
                                      "[the docs](https://example.org/docs/) or "
                                      "[mail](mailto:ada@example.org).\n"),
            "01-a/02-two.md": chapter("Two", "## More\n\nText.\n"),
        }),
        out=folder / "site", cache_dir=folder / "cache", quiet=True)
    build(options)
    return options.out


@pytest.mark.parametrize("path", ["a/one.html", "print.html"])
def test_links_print_their_text_and_other_sites_their_address(
        page: Any, serve_folder: Any, linked_site: Path, path: str) -> None:
    with serve_folder(linked_site) as base:
        page.goto(base + path)
        _, texts = _pdf(page)
    text = " ".join(texts)
    assert ("Go to the second, read the docs (https://example.org/docs/) or mail." in text), text
