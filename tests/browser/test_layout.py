"""Narrow screens: no page scrolls sideways at 320px, with or without JavaScript. A
long inline formula scrolls within itself instead; short ones keep their lines and
baselines exactly (the scroll box's padding is taken back by negative margins)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.browser.helpers import expect
from tests.browser.shipped import AXE_JS, build_site, expected_course
from tests.coursekit import chapter as chapter_file
from tests.coursekit import make_course

LOAD_FIGURES = False  # figures have a fixed width of at most 100% (conftest.py)

PAGES = ["index.html", "404.html", *(ch.page for ch in expected_course().chapters)]
# Chapters whose inline formulas are wider than a 320px screen's line.
LONG_INLINE = ["mathematical-foundations/the-gradient-as-steepest-ascent.html",
               "gradient-descent/convexity.html"]
NARROW = {"width": 320, "height": 640}
WIDE = {"width": 1440, "height": 900}
INLINE_MATH = ".chapter-body math:not([display='block'])"
FONTS_READY = "document.fonts.ready.then(() => true)"  # widths are final once STIX is in


def _page_overflow(page: Any) -> dict[str, Any]:
    """How far the page scrolls sideways, and the elements that stick out."""
    return page.evaluate(
        """() => {
            const root = document.documentElement;
            const out = [...document.querySelectorAll("body *")]
                .filter(e => e.getBoundingClientRect().right > root.clientWidth + 1
                             && e.checkVisibility())
                .filter(e => !e.closest(".table-wrap, .math-display, pre, .site-menu-body"))
                .slice(0, 5)
                .map(e => e.tagName + " " + (e.textContent || "").trim().slice(0, 40));
            return {scroll: root.scrollWidth - root.clientWidth, sticking_out: out};
        }""")


def _assert_no_sideways_scroll(new_context: Any, server: Any, path: str,
                               scripted: bool) -> None:
    page = new_context(viewport=NARROW, java_script_enabled=scripted).new_page()
    page.goto(server.url(path))
    page.evaluate(FONTS_READY)
    found = _page_overflow(page)
    assert found["scroll"] <= 0, f"{path} scrolls sideways by {found['scroll']}px: {found}"


@pytest.mark.parametrize("path", PAGES)
def test_no_page_scrolls_sideways_at_320px(new_context: Any, server: Any, path: str) -> None:
    _assert_no_sideways_scroll(new_context, server, path, scripted=True)


@pytest.mark.parametrize("path", LONG_INLINE)
def test_no_page_scrolls_sideways_without_javascript(new_context: Any, server: Any,
                                                     path: str) -> None:
    _assert_no_sideways_scroll(new_context, server, path, scripted=False)


@pytest.mark.parametrize("path", LONG_INLINE)
def test_a_long_inline_formula_scrolls_within_itself(new_context: Any, server: Any,
                                                     path: str) -> None:
    page = new_context(viewport=NARROW).new_page()
    page.goto(server.url(path))
    page.evaluate(FONTS_READY)
    long = page.locator(f"{INLINE_MATH}.is-scrollable")
    expect(long.first).to_be_attached()
    formula = long.first
    expect(formula).to_have_attribute("tabindex", "0")  # arrow keys scroll it
    width, inner, line = formula.evaluate(
        "m => [m.scrollWidth, m.clientWidth, m.parentElement.closest('p, li, div')"
        ".clientWidth]")
    assert inner < width and inner <= line, (inner, width, line)
    # Its hidden end fades; scrolled to the end, the fade moves to the start.
    expect(formula).not_to_have_class("is-scrollable is-scrolled-end")
    formula.evaluate("m => { m.scrollLeft = m.scrollWidth; }")
    expect(formula).to_have_class("is-scrollable is-scrolled is-scrolled-end")

    # On a wide screen nothing scrolls, and the marks and tab stops go.
    page.set_viewport_size(WIDE)
    expect(page.locator(f"{INLINE_MATH}.is-scrollable")).to_have_count(0)
    expect(page.locator(f"{INLINE_MATH}[tabindex]")).to_have_count(0)


def test_a_wide_display_formula_fades_at_the_end_it_hides(new_context: Any, server: Any) -> None:
    # Cut off at a phone's width, it once read as the whole formula ("... = sqrt(40) =").
    page = new_context(viewport=NARROW).new_page()
    page.goto(server.url(LONG_INLINE[0]))
    page.evaluate(FONTS_READY)
    display = page.locator(".chapter-body .math-display.is-scrollable").first
    expect(display).to_be_attached()
    mask = "d => getComputedStyle(d).maskImage || getComputedStyle(d).webkitMaskImage"
    assert display.evaluate(mask).startswith("linear-gradient")
    display.evaluate("d => { d.scrollLeft = d.scrollWidth; }")
    expect(display).to_have_class(re.compile(r"\bis-scrolled-end\b"))
    page.set_viewport_size(WIDE)
    expect(page.locator(".chapter-body .math-display.is-scrollable")).to_have_count(0)


# The layout of an inline formula without the scroll box, to compare with.
PLAIN_MATH = ("math:not([display='block']) { max-width: none !important;"
              " padding: 0 !important; margin: 0 !important; overflow: visible !important; }")


@pytest.mark.parametrize("viewport", [NARROW, WIDE], ids=["320px", "1440px"])
def test_short_inline_formulas_keep_their_place(new_context: Any, server: Any,
                                                viewport: dict[str, int]) -> None:
    """Every inline formula that fits sits exactly where it would without the scroll box.

    Positions are taken within the formula's paragraph (or list item...), and a
    paragraph holding a formula that scrolls is left out: there the scroll box
    rightly changes the lines (what follows the formula no longer wraps early).
    """
    page = new_context(viewport=viewport).new_page()
    page.goto(server.url(LONG_INLINE[0]))
    page.evaluate(FONTS_READY)
    where = """sel => [...document.querySelectorAll(sel)].filter(m => m.checkVisibility())
                                                       .map(m => {
        const block = m.parentElement.closest("p, li, dd, dt, th, td, legend, label, h2, h3,"
                                              + " h4, div");
        const all = [...block.querySelectorAll("math:not([display='block'])")];
        const r = m.getBoundingClientRect(), b = block.getBoundingClientRect();
        const s = getComputedStyle(m);
        return {fits: all.every(x => x.scrollWidth <= x.clientWidth + 1),
                box: [r.left + parseFloat(s.paddingLeft) - b.left,
                      r.top + parseFloat(s.paddingTop) - b.top,
                      r.width - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight)]
};
    })"""
    now = page.evaluate(where, INLINE_MATH)
    page.add_style_tag(content=PLAIN_MATH)
    plain = page.evaluate(where, INLINE_MATH)
    assert len(now) == len(plain) > 20
    moved = [(i, a["box"], b["box"]) for i, (a, b) in enumerate(zip(now, plain, strict=True))
             if a["fits"] and any(abs(x - y) > 0.5
                                  for x, y in zip(a["box"], b["box"], strict=True))]
    assert not moved, f"inline formulas moved by the scroll box: {moved[:5]}"


# --- a function card too wide for a phone ------------------------------------------------

LONG_FUNCTION = ("1.65*cos(x)*cos(y) + 0.8*sin(x)*y**2 + 3*x**4 - 7*y**3 + 11*x*y"
                 " + 5*exp(-x**2 - y**2)")


@pytest.fixture(scope="module")
def card_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("cards")
    content = make_course(root, {"01-part/01-cards.md": chapter_file(
        "Cards", "The function $f$ below is long.\n", functions={"f": LONG_FUNCTION})})
    return build_site(content, root / "www" / "course", root / "cache")


def test_a_function_card_that_scrolls_is_a_named_tab_stop(new_context: Any, serve_folder: Any,
                                                         card_site: Path) -> None:
    """A card wider than a phone can be scrolled by keyboard, as axe's
    scrollable-region-focusable (serious) asks, and shows that it is cut off."""
    page = new_context(viewport={"width": 360, "height": 640}).new_page()
    with serve_folder(card_site) as base:
        page.goto(base + "part/cards.html")
        page.evaluate(FONTS_READY)
        body = page.locator(".function-card-body")
        expect(body).to_have_count(1)
        expect(body).to_have_attribute("role", "group")
        expect(body).to_have_attribute("aria-label", "Function f(x, y)")
        assert body.evaluate("b => b.scrollWidth > b.clientWidth"), "the card fits: no test"
        expect(body).to_have_attribute("tabindex", "0")

        # A cue: it fades out at the end it hides.
        expect(body).to_have_class(re.compile(r"\bis-scrollable\b"))
        expect(body).not_to_have_class(re.compile(r"\bis-scrolled-end\b"))
        assert "gradient" in body.evaluate("b => getComputedStyle(b).maskImage")

        # Reached with Tab, visibly focused, scrolled with the arrow keys.
        page.locator("h1").click()
        for _ in range(10):
            page.keyboard.press("Tab")
            if body.evaluate("b => b === document.activeElement"):
                break
        expect(body).to_be_focused()
        outline = body.evaluate("b => [getComputedStyle(b).outlineStyle,"
                                " getComputedStyle(b).outlineWidth]")
        assert outline[0] != "none" and outline[1] != "0px", outline
        page.keyboard.press("ArrowRight")
        page.wait_for_function("document.querySelector('.function-card-body').scrollLeft > 0")

        page.add_script_tag(path=str(AXE_JS))
        found = page.evaluate("axe.run(document, {runOnly: ['scrollable-region-focusable',"
                              " 'aria-prohibited-attr', 'aria-allowed-role']})"
                              ".then(r => r.violations.map(v => v.id))")
        assert found == []

        # Where the card fits it is no Tab stop.
        page.set_viewport_size(WIDE)
        expect(body).not_to_have_attribute("tabindex", "0")
