"""The search field in the header: typing, results, keyboard, loading, narrow screens.

Runs on the shipped course's build with the engine and index gradsite wrote
(the expected answers are in search_course.py), from disk (file://), from the
root of a server and from a sub-path, and on a small course whose text looks
like HTML. The engine and index are loaded on first use by <script> elements:
a page only read requests nothing for search, and searching requests nothing
from another origin (the conftest's contexts also fail on any such request).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.browser import search_course as sc
from tests.browser.conftest import Server
from tests.browser.helpers import expect, text_of
from tests.browser.test_accessibility import _check_both_schemes, axe_source  # noqa: F401

LOAD_FIGURES = False  # the figures play no part here (conftest.py)
NARROW = {"width": 375, "height": 740}
WIDE = {"width": 1280, "height": 900}
FIELD = "#site-search-input"
OPTIONS = "#site-search-results [role=option]"
PAGE = "gradient-descent/learning-rates.html"


@pytest.fixture(scope="module")
def origins(built_site: Path, server: Server) -> dict[str, str]:
    """The shipped course's base URL from disk, at a server's root and under a sub-path."""
    return {"file": built_site.as_uri() + "/", "root": server.root, "sub": server.sub}


@pytest.fixture(scope="module")
def html_looking_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return sc.html_looking_site(tmp_path_factory.mktemp("search-markup"))


def _open(new_context: Any, url: str, viewport: dict[str, int] = WIDE) -> Any:
    page = new_context(viewport=viewport).new_page()
    page.goto(url)
    expect(page.locator(FIELD)).to_be_visible()
    return page


def _search(page: Any, query: str) -> Any:
    field = page.locator(FIELD)
    field.click()
    field.fill("")
    field.press_sequentially(query)
    return field


def _results(page: Any) -> list[str]:
    return [text_of(o) for o in page.locator(OPTIONS).all()]


def _marks(option: Any) -> list[str]:
    return option.locator(".search-result-snippet mark").all_inner_texts()


@pytest.mark.parametrize("where", ["file", "sub"])
def test_results_best_first_with_place_heading_and_marked_snippet(
        new_context: Any, origins: dict[str, str], where: str) -> None:
    page = _open(new_context, origins[where] + PAGE)
    field = _search(page, sc.RANKED_QUERY)
    options = page.locator(OPTIONS)
    expect(options).to_have_count(len(sc.RANKED))
    expect(field).to_have_attribute("aria-expanded", "true")
    for option, wanted in zip(options.all(), sc.RANKED, strict=True):
        expect(option.locator(".search-result-chapter")).to_have_text(
            f"{wanted.position} {wanted.chapter}")
        expect(option.locator(".search-result-heading")).to_have_text(wanted.heading)
    first = options.first
    assert _marks(first) == sc.RANKED_FIRST_MARKS
    snippet = text_of(first.locator(".search-result-snippet"))
    assert snippet.startswith("\u2026") and snippet.endswith("\u2026"), snippet
    assert len(snippet) < 260, snippet


def _shown(option: Any) -> tuple[str, str, str]:
    """Where a result leads as its option shows it: position, chapter, heading."""
    position, chapter = text_of(option.locator(".search-result-chapter")).split(" ", 1)
    headings = option.locator(".search-result-heading")
    return (position, chapter, text_of(headings) if headings.count() else "")


def _engine_answer(page: Any, query: str) -> list[tuple[str, str, str]]:
    """The loaded engine's own answer to ``query``, as the options should show it."""
    found = page.evaluate("(q) => window.GradsiteSearch.query(q, 20)", query)
    return [(r["position"], r["chapter"], r["heading"]) for r in found]


def test_math_is_found_by_name_and_symbol_and_a_plural_by_its_stem(
        new_context: Any, origins: dict[str, str]) -> None:
    page = _open(new_context, origins["file"] + PAGE)
    options = page.locator(OPTIONS)
    for query in sc.SYMBOL_QUERIES:
        _search(page, query)
        expect(options.first).to_be_visible()
        assert options.count() > 5, query
        for option in options.all()[:5]:
            marks = _marks(option)
            assert marks and set(marks) == {sc.SYMBOL_MARK}, (query, marks)
    _search(page, sc.SYMBOL_QUERIES[0])
    assert _shown(options.first) == sc.NABLA_FIRST.place
    _search(page, sc.STEM_QUERY)
    expect(options.first).to_be_visible()
    assert _marks(options.first) == sc.STEM_FIRST_MARKS
    # Only the words of the terms the engine matched are marked: "gradients"
    # also matches the term "grad" (of grad_f), which must not mark "gradsite".
    matched = page.evaluate("(q) => window.GradsiteSearch.query(q, 20).map((r) => r.terms)",
                            sc.STEM_QUERY)
    marked = [_marks(option) for option in options.all()]
    assert len(marked) == len(matched)
    for marks, terms in zip(marked, matched, strict=True):
        mark_terms = page.evaluate("(ws) => ws.map((w) => window.GradsiteSearch.termOf(w))", marks)
        assert marks and set(mark_terms) <= set(terms), (marks, terms)
    assert sc.NOT_MARKED_FOR_STEM in text_of(options.nth(sc.NOT_MARKED_AT))
    assert sc.NOT_MARKED_FOR_STEM not in sum(marked, [])


def test_a_word_typed_letter_by_letter_finds_its_section_and_opens_at_its_heading(
        new_context: Any, origins: dict[str, str]) -> None:
    page = _open(new_context, origins["sub"] + PAGE)
    field = page.locator(FIELD)
    field.click()
    expect(page.locator(".search-message")).to_be_hidden()  # the engine has loaded
    options = page.locator(OPTIONS)
    wanted = sc.PREFIX_FOUND
    for typed in range(1, len(sc.PREFIX_WORD) + 1):
        prefix = sc.PREFIX_WORD[:typed]
        field.press(sc.PREFIX_WORD[typed - 1])
        expect(field).to_have_value(prefix)
        answer = _engine_answer(page, prefix)
        assert answer, f"no result for {prefix!r}"
        expect(options).to_have_count(len(answer))
        assert [_shown(o) for o in options.all()] == answer, prefix
        if len(prefix) >= len(sc.PREFIX_FINDS_FROM):
            assert answer == [wanted.place], prefix
            assert _marks(options.first) == sc.PREFIX_MARKS, prefix

    _search(page, sc.FORGIVING_QUERY)  # upper case, an accent the text has not
    expect(options).to_have_count(1)
    assert _shown(options.first) == wanted.place
    assert _marks(options.first) == sc.PREFIX_MARKS

    field.press("Enter")
    page.wait_for_url(origins["sub"] + wanted.url + "#" + wanted.anchor)
    heading = page.locator(f"[id='{wanted.anchor}']")
    expect(heading).to_have_text(wanted.heading)
    expect(heading).to_be_in_viewport()
    assert page.evaluate("window.scrollY") > 500  # the section is far down its page
    top = heading.bounding_box()["y"]
    assert 0 <= top < WIDE["height"] / 3, top


def test_author_text_is_shown_as_text_never_as_html(new_context: Any,
                                                     html_looking_site: Path) -> None:
    page = _open(new_context, html_looking_site.as_uri() + "/index.html")
    _search(page, sc.ESCAPED_QUERY)
    option = page.locator(OPTIONS).first
    expect(option.locator(".search-result-heading")).to_have_text(sc.ESCAPED_HEADING)
    assert _marks(option) == [sc.ESCAPED_MARK]
    snippet = text_of(option.locator(".search-result-snippet"))
    assert sc.ESCAPED_SNIPPET_PART in snippet and "<b>never</b>" in snippet, snippet
    assert page.locator(".site-search img, .site-search script, .site-search b").count() == 0
    assert page.evaluate("typeof window.injected") == "undefined"


def test_arrow_keys_move_the_active_option_and_enter_opens_it(
        new_context: Any, origins: dict[str, str]) -> None:
    page = _open(new_context, origins["sub"] + PAGE)
    field = _search(page, sc.RANKED_QUERY)
    options = page.locator(OPTIONS)
    expect(options).to_have_count(len(sc.RANKED))
    assert field.get_attribute("aria-activedescendant") is None

    def active() -> str:
        ident = field.get_attribute("aria-activedescendant")
        assert ident, "no active option"
        selected = page.locator(f"{OPTIONS}[aria-selected=true]")
        expect(selected).to_have_count(1)
        assert selected.get_attribute("id") == ident
        return ident

    ids = [o.get_attribute("id") for o in options.all()]
    field.press("ArrowDown")
    assert active() == ids[0]
    field.press("ArrowDown")
    assert active() == ids[1]
    field.press("ArrowDown")  # past the last: back to the first
    assert active() == ids[0]
    field.press("ArrowUp")
    assert active() == ids[-1]
    assert page.evaluate("document.activeElement.id") == "site-search-input"

    field.press("Enter")
    wanted = sc.RANKED[-1]
    page.wait_for_url(origins["sub"] + wanted.url + "#" + wanted.anchor)
    expect(page.locator(f"[id='{wanted.anchor}']")).to_be_in_viewport()


def test_enter_opens_the_best_result_from_disk(new_context: Any,
                                               origins: dict[str, str]) -> None:
    page = _open(new_context, origins["file"] + PAGE)
    field = _search(page, sc.RANKED_QUERY)
    expect(page.locator(OPTIONS)).to_have_count(len(sc.RANKED))
    field.press("Enter")
    wanted = sc.RANKED[0]
    page.wait_for_url(origins["file"] + wanted.url + "#" + wanted.anchor)
    assert page.url.startswith("file://")


def test_a_click_on_a_result_opens_it(new_context: Any, origins: dict[str, str]) -> None:
    page = _open(new_context, origins["root"] + "index.html")
    _search(page, sc.RANKED_QUERY)
    page.locator(OPTIONS).nth(1).click()
    wanted = sc.RANKED[1]
    page.wait_for_url(origins["root"] + wanted.url + "#" + wanted.anchor)


def test_escape_closes_then_clears(new_context: Any, origins: dict[str, str]) -> None:
    # ARIA's combobox pattern: the first Escape closes the results and keeps the query.
    page = _open(new_context, origins["root"] + PAGE)
    field = _search(page, sc.RANKED_QUERY)
    expect(page.locator(OPTIONS)).to_have_count(len(sc.RANKED))
    field.press("Escape")
    expect(field).to_have_value(sc.RANKED_QUERY)
    expect(page.locator(".search-popup")).to_be_hidden()
    expect(field).to_have_attribute("aria-expanded", "false")
    expect(page.locator(".site-search")).not_to_have_class(re.compile(r"\bis-open\b"))
    expect(field).to_be_focused()
    field.press("ArrowDown")  # the same results again
    expect(page.locator(OPTIONS)).to_have_count(len(sc.RANKED))
    field.press("Escape")
    field.press("Escape")
    expect(field).to_have_value("")
    expect(field).to_be_focused()
    field.press_sequentially(sc.RANKED_QUERY)  # typing opens it again
    expect(page.locator(OPTIONS)).to_have_count(len(sc.RANKED))


def test_no_results_are_said_plainly_and_the_count_is_announced(
        new_context: Any, origins: dict[str, str]) -> None:
    page = _open(new_context, origins["root"] + PAGE)
    field = _search(page, sc.NO_RESULTS_QUERY)
    message = page.locator(".search-message")
    expect(message).to_have_text(f"No results for \u201c{sc.NO_RESULTS_QUERY}\u201d")
    expect(page.locator("#site-search-results")).to_be_hidden()
    expect(field).to_have_attribute("aria-expanded", "false")
    live = page.locator(".search-count")
    assert live.get_attribute("aria-live") == "polite"
    expect(live).to_have_text(f"No results for \u201c{sc.NO_RESULTS_QUERY}\u201d")

    # Typing a word letter by letter announces its count once, when typing pauses.
    page.evaluate("""() => {
        window.announced = [];
        new MutationObserver(() => window.announced.push(
            document.querySelector('.search-count').textContent))
          .observe(document.querySelector('.search-count'),
                   {childList: true, characterData: true, subtree: true});
    }""")
    field.fill("")
    field.press_sequentially(sc.RANKED_QUERY, delay=40)
    expect(live).to_have_text(f"{len(sc.RANKED)} results")
    announced = [t for t in page.evaluate("window.announced") if t]
    assert announced == [f"{len(sc.RANKED)} results"], announced


def test_slash_focuses_the_field_except_while_typing_elsewhere(
        new_context: Any, origins: dict[str, str]) -> None:
    page = _open(new_context, origins["root"] + sc.CONVEXITY)
    page.locator("body").click(position={"x": 5, "y": 300})
    page.keyboard.press("/")
    field = page.locator(FIELD)
    expect(field).to_be_focused()
    expect(field).to_have_value("")  # the slash itself is not typed
    field.press("Escape")
    number = page.locator(".numeric-input").first
    number.fill("")
    number.press_sequentially("1/2")
    expect(number).to_be_focused()
    expect(number).to_have_value("1/2")


def test_a_page_only_read_loads_nothing_for_search(new_context: Any,
                                                   origins: dict[str, str]) -> None:
    context = new_context(viewport=WIDE)
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(origins["sub"] + PAGE, wait_until="load")
    page.mouse.wheel(0, 1500)
    page.wait_for_timeout(300)
    assert not [u for u in requested if "search" in u], requested
    assert page.locator("script[src*=search]").count() == 0

    page.keyboard.press("/")
    _search(page, sc.RANKED_QUERY)
    expect(page.locator(OPTIONS)).to_have_count(len(sc.RANKED))
    loaded = [u for u in requested if "search" in u]
    assert sorted(loaded) == [origins["sub"] + "assets/search-index.js",
                              origins["sub"] + "assets/search.js"], loaded
    origin = origins["sub"].split("/course/")[0] + "/"
    assert all(u.startswith(origin) for u in requested), requested


def test_loading_is_shown_and_a_failure_is_said(new_context: Any,
                                                origins: dict[str, str]) -> None:
    context = new_context(viewport=WIDE)
    held: list[Any] = []
    context.route("**/search-index.js", lambda route: held.append(route))
    page = context.new_page()
    page.goto(origins["root"] + PAGE)
    field = page.locator(FIELD)
    field.click()
    message = page.locator(".search-message")
    expect(message).to_have_text("Loading search\u2026")
    expect(page.locator(".search-popup")).to_be_visible()
    field.press_sequentially(sc.RANKED_QUERY)
    for _ in range(100):  # the held request reaches the handler on a later call
        if held:
            break
        page.wait_for_timeout(50)
    assert len(held) == 1
    expect(message).to_have_text("Loading search\u2026")
    held[0].continue_()
    expect(page.locator(OPTIONS)).to_have_count(len(sc.RANKED))  # the typed text is searched
    expect(message).to_be_hidden()

    broken = new_context(viewport=WIDE)
    broken.route("**/search-index.js", lambda route: route.abort())
    page = broken.new_page()
    page.goto(origins["root"] + PAGE)
    page.locator(FIELD).click()
    expect(page.locator(".search-message")).to_have_text(re.compile("could not be loaded"))
    expect(page.locator(".search-count")).to_have_text(re.compile("could not be loaded"))


def test_narrow_screen_search_is_a_full_width_panel(new_context: Any,
                                                    origins: dict[str, str]) -> None:
    page = _open(new_context, origins["file"] + PAGE, viewport=NARROW)
    field = page.locator(FIELD)
    closed = field.bounding_box()
    assert closed["x"] + closed["width"] <= NARROW["width"], closed
    header = page.locator(".site-header").bounding_box()
    assert header["height"] < 70, header  # the field fits the header's one line
    _search(page, sc.RANKED_QUERY)
    expect(page.locator(OPTIONS)).to_have_count(len(sc.RANKED))
    panel = page.locator(".search-box").bounding_box()
    assert panel == {"x": 0, "y": 0, "width": NARROW["width"], "height": NARROW["height"]}
    results = page.locator(".search-popup").bounding_box()
    assert results["x"] >= 0 and results["x"] + results["width"] <= NARROW["width"], results
    assert results["width"] > NARROW["width"] - 40, results
    top = page.evaluate("() => { const r = document.querySelector('.search-result')"
                        ".getBoundingClientRect(); const e = document.elementFromPoint("
                        "r.left + 10, r.top + 10); return !!e.closest('.search-result'); }")
    assert top, "the panel is not over the page"
    page.get_by_role("button", name="Close").click()
    expect(page.locator(".site-search")).not_to_have_class(re.compile(r"\bis-open\b"))
    assert field.bounding_box() == closed


def test_passing_through_the_field_opens_nothing(new_context: Any,
                                                 origins: dict[str, str]) -> None:
    # On a narrow screen the open search covers the page: a reader tabbing past the
    # field saw the page vanish. Typing opens it.
    page = _open(new_context, origins["file"] + PAGE, viewport=NARROW)
    field = page.locator(FIELD)
    field.focus()
    expect(field).to_be_focused()
    expect(page.locator(".site-search")).not_to_have_class(re.compile(r"\bis-open\b"))
    page.keyboard.press("Tab")
    expect(field).not_to_be_focused()
    field.focus()
    page.keyboard.type(sc.RANKED_QUERY)
    expect(page.locator(".site-search")).to_have_class(re.compile(r"\bis-open\b"))
    expect(page.locator(OPTIONS)).to_have_count(len(sc.RANKED))


def test_without_javascript_there_is_no_field(new_context: Any,
                                              origins: dict[str, str]) -> None:
    page = new_context(java_script_enabled=False).new_page()
    for path in ("index.html", PAGE):
        page.goto(origins["root"] + path)
        expect(page.locator(".site-search")).to_be_hidden()
        expect(page.get_by_role("combobox")).to_have_count(0)
        expect(page.get_by_role("search")).to_have_count(0)


@pytest.mark.parametrize("viewport", [WIDE, NARROW], ids=["wide", "375px"])
def test_open_search_is_accessible_in_both_schemes(
        new_context: Any, origins: dict[str, str], axe_source: str,  # noqa: F811
        viewport: dict[str, int]) -> None:
    page = _open(new_context, origins["root"] + PAGE, viewport=viewport)
    field = _search(page, sc.RANKED_QUERY)
    expect(page.locator(OPTIONS)).to_have_count(len(sc.RANKED))
    field.press("ArrowDown")
    _check_both_schemes(page, axe_source, "search results")
    _search(page, sc.NO_RESULTS_QUERY)
    expect(page.locator(".search-message")).to_be_visible()
    _check_both_schemes(page, axe_source, "no results")
