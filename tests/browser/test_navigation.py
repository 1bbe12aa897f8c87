"""Navigation: the home page, the menu and previous/next, over HTTP, under a sub-path
and from disk (file://). Every link is relative, so all three must work alike."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.browser.helpers import expect, text_of
from tests.browser.shipped import ExpectedCourse, build_site
from tests.coursekit import chapter as chapter_file
from tests.coursekit import make_course

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
    # Chromium asks for the favicon after "load"; going on to the next page aborts
    # that request when the machine is slow, which is no missing file (a 404 still shows).
    page.on("requestfailed", lambda r: None if r.url.endswith("/favicon.svg")
            and r.failure == "net::ERR_ABORTED"
            else failures.append(f"failed {r.url}: {r.failure}"))
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


# --- "On this page": where an anchored heading lands, and which entry is marked ---------

SPY_CHAPTER = "mathematical-foundations/derivatives-and-gradients.html"
# Tall enough that the last sections can never scroll up to the reading line.
TALL = {"width": 1280, "height": 1400}
HEADING_TOP = "id => document.getElementById(id).getBoundingClientRect().top"
# Where an anchored heading should stop: 1rem below the sticky header, once.
LANDING = ("() => document.querySelector('.site-header').getBoundingClientRect().bottom"
           " + parseFloat(getComputedStyle(document.documentElement).fontSize)")
AT_END = ("() => window.scrollY + window.innerHeight"
          " >= document.documentElement.scrollHeight - 2")


def _marked(page: Any) -> list[str]:
    return page.locator(".toc-list a[aria-current]").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))")


def test_a_toc_link_lands_below_the_header_and_is_marked(new_context: Any,
                                                          server: Any) -> None:
    """A heading stops one offset below the header: two 72px offsets added up would
    stop it 144px down, and the scroll-spy would mark the section before the one
    clicked."""
    page = new_context(viewport=TALL, reduced_motion="reduce").new_page()
    page.goto(server.url(SPY_CHAPTER))
    landing = page.evaluate(LANDING)
    hrefs = page.locator(".toc-list a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))")
    assert len(hrefs) > 4
    ends = 0
    for href in hrefs:
        page.locator(f".toc-list a[href='{href}']").click()
        expect(page).to_have_url(re.compile(re.escape(href) + "$"))
        top = page.evaluate(HEADING_TOP, href[1:])
        if page.evaluate(AT_END):  # the page cannot scroll the heading any higher
            ends += 1
            assert landing - 1 <= top, (href, top)
        else:
            assert abs(top - landing) <= 1, f"{href} landed at {top}px, not {landing}px"
        # The scroll-spy marks on the scroll's last frame: wait for it, then check
        # that one entry alone is marked.
        expect(page.locator(".toc-list a[aria-current]")).to_have_attribute("href", href)
        assert _marked(page) == [href]
    assert ends, "no entry near the end of the page: the check of that case ran on nothing"


def test_a_deep_link_opens_at_its_heading_without_animation(new_context: Any,
                                                            server: Any) -> None:
    """Opening page#fragment jumps there, not animating for a second through the
    chapter."""
    page = new_context(viewport={"width": 1280, "height": 900},
                       reduced_motion="no-preference").new_page()
    page.goto(server.url(SPY_CHAPTER) + "#the-gradient")
    landing = page.evaluate(LANDING)
    assert page.evaluate("getComputedStyle(document.documentElement).scrollBehavior") == "auto"
    assert abs(page.evaluate(HEADING_TOP, "the-gradient") - landing) <= 1
    page.wait_for_timeout(300)  # and it stays there: no scroll was still under way
    assert abs(page.evaluate(HEADING_TOP, "the-gradient") - landing) <= 1
    expect(page.locator(".toc-list a[aria-current]")).to_have_attribute(
        "href", "#the-gradient")


@pytest.mark.parametrize("motion", ["no-preference", "reduce"])
def test_in_page_links_scroll_smoothly_unless_motion_is_reduced(new_context: Any, server: Any,
                                                                motion: str) -> None:
    page = new_context(viewport={"width": 1280, "height": 900},
                       reduced_motion=motion).new_page()
    page.goto(server.url(SPY_CHAPTER))
    landing = page.evaluate(LANDING)
    # The scroll behaviour in force as the click is followed.
    behaviour = page.evaluate("""() => {
        document.querySelector(".toc-list a[href='#the-gradient']").click();
        return getComputedStyle(document.documentElement).scrollBehavior;
    }""")
    assert behaviour == ("smooth" if motion == "no-preference" else "auto")
    page.wait_for_function(f"Math.abs(document.getElementById('the-gradient')"
                           f".getBoundingClientRect().top - {landing}) <= 1")
    expect(page.locator("html")).not_to_have_class(re.compile("is-smooth-scrolling"))


# --- the course menu of a long course shows the current chapter -------------------------

LONG_SECTIONS = 2
LONG_CHAPTERS = 8  # per section: 16 chapters, more than a sidebar shows at 600px


@pytest.fixture(scope="module")
def long_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("long")
    files = {"course.yml": "title: Long Course\n"}
    for s in range(1, LONG_SECTIONS + 1):
        for c in range(1, LONG_CHAPTERS + 1):
            files[f"0{s}-part-{s}/0{c}-chapter-{c}.md"] = chapter_file(
                f"Chapter {s}.{c} with a title long enough to wrap", "Some text.\n")
    return build_site(make_course(root, files), root / "www" / "course", root / "cache")


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 600},
                                      {"width": 360, "height": 640}], ids=["sidebar", "panel"])
def test_the_menu_shows_the_current_chapter(new_context: Any, serve_folder: Any,
                                           long_site: Path, viewport: dict[str, int]) -> None:
    """In a long course the current chapter is scrolled into the menu's view, not
    left below its fold."""
    page = new_context(viewport=viewport).new_page()
    with serve_folder(long_site) as base:
        page.goto(base + f"part-{LONG_SECTIONS}/chapter-{LONG_CHAPTERS}.html")
        current = page.locator(".site-nav a[aria-current=page]")
        expect(current).to_have_count(1)
        expect(current).to_contain_text(f"Chapter {LONG_SECTIONS}.{LONG_CHAPTERS} ")
        if viewport["width"] < 900:
            page.get_by_text("Menu", exact=True).click()
            scroller = page.locator(".site-menu-body")
        else:
            scroller = page.locator(".site-nav")
        expect(current).to_be_visible()
        shown = scroller.evaluate("""(box, link) => {
            const outer = box.getBoundingClientRect(), inner = link.getBoundingClientRect();
            return {scrolls: box.scrollHeight > box.clientHeight + 1, scrolled: box.scrollTop,
                    inside: inner.top >= outer.top - 1 && inner.bottom <= outer.bottom + 1};
        }""", current.element_handle())
        assert shown["scrolls"], "the menu fits: this course is too short to test anything"
        assert shown["inside"], shown
        assert page.evaluate("window.scrollY") == 0  # the menu scrolled, not the page
