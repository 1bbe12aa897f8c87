"""Navigation: the home page, the menu and previous/next, over HTTP, under a sub-path
and from disk (file://). Every link is relative, so all three must work alike."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.browser.helpers import expect, text_of
from tests.browser.shipped import ExpectedCourse

LOAD_FIGURES = False  # only test_every_page_loads_all_its_files needs them (conftest.py)


def test_the_shipped_course_has_six_chapters(course: ExpectedCourse) -> None:
    assert len(course.chapters) == 6


def _home_lists_every_chapter(page: Any, course: ExpectedCourse, base: str) -> None:
    expect(page).to_have_title(re.compile(re.escape(course.title)))
    rows = page.locator(".home-chapter[data-chapter-key]")
    expect(rows).to_have_count(len(course.chapters))
    for i, chapter in enumerate(course.chapters):
        row = rows.nth(i)
        expect(row).to_have_attribute("data-chapter-key", chapter.key)
        link = row.get_by_role("link")
        expect(link).to_contain_text(chapter.title)
        assert link.evaluate("a => a.href") == base + chapter.page


def _menu_links(page: Any) -> Any:
    return page.get_by_role("navigation", name="Course").locator("li.menu-chapter a")


def _pager(page: Any, direction: str) -> Any:
    return page.get_by_role("navigation", name="Previous and next chapter").locator(
        f"a[rel={direction}]")


def _at_chapter(page: Any, base: str, course: ExpectedCourse, index: int) -> None:
    chapter = course.chapters[index]
    expect(page).to_have_url(base + chapter.page)
    expect(page.get_by_role("heading", level=1)).to_have_text(chapter.title)
    current = _menu_links(page).and_(page.locator("[aria-current=page]"))
    expect(current).to_have_count(1)
    expect(current).to_contain_text(chapter.title)


def _walk(page: Any, base: str, course: ExpectedCourse, full: bool) -> None:
    """Home -> first chapter -> Next ... -> Previous -> menu -> last -> home.

    ``full``: Next through every chapter (checking each Previous link's target);
    otherwise one step (the links are the same relative links on every page).
    """
    last = len(course.chapters) - 1
    page.goto(base + "index.html")
    _home_lists_every_chapter(page, course, base)
    page.locator(".home-chapter").first.get_by_role("link").click()
    _at_chapter(page, base, course, 0)
    expect(_pager(page, "prev")).to_have_count(0)
    steps = last if full else 1
    for i in range(1, steps + 1):
        _pager(page, "next").click()
        _at_chapter(page, base, course, i)
        prev = _pager(page, "prev").evaluate("a => a.href")
        assert prev == base + course.chapters[i - 1].page
    _pager(page, "prev").click()
    _at_chapter(page, base, course, steps - 1)

    links = _menu_links(page)
    expect(links).to_have_count(len(course.chapters))
    hrefs = links.evaluate_all("links => links.map(a => a.href)")
    assert hrefs == [base + ch.page for ch in course.chapters]
    links.nth(last).click()
    _at_chapter(page, base, course, last)
    expect(_pager(page, "next")).to_have_count(0)
    page.get_by_role("link", name="Course home").click()
    expect(page).to_have_url(base + "index.html")
    _home_lists_every_chapter(page, course, base)


@pytest.mark.parametrize("where", ["root", "sub-path"])
def test_navigation_over_http(page: Any, server: Any, course: ExpectedCourse,
                              where: str) -> None:
    base = server.root if where == "root" else server.sub
    assert where == "root" or base.endswith("/course/")
    _walk(page, base, course, full=where == "root")


def test_navigation_from_disk(page: Any, built_site: Path, course: ExpectedCourse) -> None:
    _walk(page, built_site.as_uri() + "/", course, full=False)


def test_every_page_loads_all_its_files(new_context: Any, server: Any,
                                        course: ExpectedCourse) -> None:
    """Under the sub-path, every stylesheet, script, font and figure loads (no 404)."""
    page = new_context(figures=True).new_page()
    failures: list[str] = []
    page.on("response", lambda r: failures.append(f"{r.status} {r.url}") if r.status >= 400
            else None)
    page.on("requestfailed", lambda r: failures.append(f"failed {r.url}: {r.failure}"))
    for path in ["index.html", *(ch.page for ch in course.chapters)]:
        page.goto(server.sub + path)
        page.wait_for_load_state("load")
        images = page.locator("img")
        for i in range(images.count()):
            image = images.nth(i)
            image.scroll_into_view_if_needed()
            loaded = image.evaluate(
                "img => img.complete ? img.naturalWidth > 0 : new Promise(ok => {"
                " img.addEventListener('load', () => ok(img.naturalWidth > 0));"
                " img.addEventListener('error', () => ok(false)); })")
            assert loaded, f"{path}: image {image.get_attribute('src')} did not load"
        fonts = page.evaluate("document.fonts.ready.then(() => [...document.fonts]"
                              ".filter(f => f.status === 'error').map(f => f.family))")
        assert fonts == [], f"{path}: fonts failed: {fonts}"
        assert text_of(page.locator("main"))
    assert failures == []
