"""Math as Chromium lays it out: what MathML Core leaves to the page (math.py, the
math CSS and the font subset) -- aligned columns and the radical sign of roots."""

from __future__ import annotations

from typing import Any

import pytest

LOAD_FIGURES = False
FONTS_READY = "document.fonts.ready.then(() => true)"
ALIGNED_PAGES = ["mathematical-foundations/derivatives-and-gradients.html",
                 "mathematical-foundations/the-gradient-as-steepest-ascent.html",
                 "gradient-descent/convexity.html"]


@pytest.mark.parametrize("path", ALIGNED_PAGES)
def test_the_rows_of_aligned_equations_line_up(page: Any, server: Any, path: str) -> None:
    # Chromium ignores <mtable columnalign>: the = signs of aligned rows were centred
    # in their cells, each at another place.
    page.goto(server.url(path))
    page.evaluate(FONTS_READY)
    tables = page.evaluate("""() => [...document.querySelectorAll(
        'mtable[columnalign^="right left"]')].map(table =>
        [...table.querySelectorAll(':scope > mtr')].map(row => {
            // A numbered environment's rows also hold glue and number cells.
            const [left, right] = row.querySelectorAll(
                ':scope > mtd:not(.mtr-glue, .mtr-balance, .mml-eqn-num)');
            const a = left.getBoundingClientRect(), c = left.firstElementChild
                .getBoundingClientRect(), b = right.getBoundingClientRect(),
                  d = right.firstElementChild.getBoundingClientRect();
            return {leftGap: a.right - c.right, rightStart: d.left - b.left, edge: b.left};
        }))""")
    assert tables
    for rows in tables:
        assert len(rows) >= 2
        for row in rows:
            assert abs(row["leftGap"]) < 1 and abs(row["rightStart"]) < 1, rows
        assert max(r["edge"] for r in rows) - min(r["edge"] for r in rows) < 1


def test_square_roots_draw_their_radical_sign(page: Any, server: Any) -> None:
    # The radical comes from the math font; a subset without U+221A drew none, and
    # sqrt(40) read "40".
    page.goto(server.url("mathematical-foundations/partial-and-directional-derivatives.html"))
    page.evaluate(FONTS_READY)
    widths = page.evaluate("""() => [...document.querySelectorAll('msqrt')].map(e =>
        e.getBoundingClientRect().width - e.firstElementChild.getBoundingClientRect().width)""")
    assert widths and min(widths) > 5, widths


def test_a_formula_in_a_call_out_s_title_is_on_its_line(page: Any, server: Any) -> None:
    # As a flex item of the title, a formula became a box of its own: set apart by
    # the gap, squeezed, and so scrollable and faded out.
    page.goto(server.url("mathematical-foundations/the-gradient-as-steepest-ascent.html"))
    page.evaluate(FONTS_READY)
    found = page.evaluate("""() => [...document.querySelectorAll('.admonition-title')]
        .filter(title => title.querySelector('math')).map(title => {
            const math = title.querySelector('math');
            const text = document.createRange();
            text.selectNodeContents(title.firstChild);  // the words before the formula
            const words = text.getBoundingClientRect(), box = math.getBoundingClientRect();
            const space = parseFloat(getComputedStyle(title).fontSize);
            return {gap: box.left - words.right, space,
                    sameLine: box.top < words.bottom && box.bottom > words.top,
                    scrolls: math.scrollWidth > math.clientWidth + 1,
                    scrollable: math.classList.contains('is-scrollable')};
        })""")
    assert found
    for one in found:
        # A word space (the words' box holds it) apart, not the flex gap of 0.5rem.
        assert one["sameLine"] and abs(one["gap"]) < 0.35 * one["space"], one
        assert not one["scrolls"] and not one["scrollable"], one
