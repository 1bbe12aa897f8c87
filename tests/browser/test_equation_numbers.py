"""The numbers of equation, align and gather in Chromium, measured from the boxes of
the glyphs: each at the right margin (where a labelled display's number is),
level with its own row, clear of the formula, and the rows in display style."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser.shipped import build_site
from tests.coursekit import chapter, make_course

FONTS_READY = "document.fonts.ready.then(() => true)"
PAGE = "part/numbers.html"
BODY = r"""An unnumbered display, for comparison:

$$ \frac{a}{b} + \sum_{i=1}^{n} x_i $$

A labelled one:

$$ \frac{a}{b} = c \label{eq-single} $$

$$
\begin{align}
f(x) &= \frac{a}{b} + \sum_{i=1}^{n} x_i \label{eq-f} \\
g(x) &= \frac{1}{2} \nonumber \\
h(x) &= \frac{\partial f}{\partial x} \\
k(x) &= c \tag{A} \label{eq-k}
\end{align}
$$

$$
\begin{gather}
u = \frac{a}{b} \\
v = w \label{eq-v}
\end{gather}
$$

$$
\begin{equation}
\sum_{i=1}^{n} \frac{x_i}{n} = \bar{x} \label{eq-mean}
\end{equation}
$$

See \eqref{eq-f} and \eqref{eq-mean}.
"""

# Per numbered row: the number's box, the row's own cells' box, its "=" and its first
# fraction (if any), and the .math-display's content edges.
MEASURE = """() => {
  const box = e => { const b = e.getBoundingClientRect();
                     return {left: b.left, right: b.right, top: b.top, bottom: b.bottom}; };
  const rows = [];
  for (const table of document.querySelectorAll('mtable.equation-rows')) {
    const display = table.closest('.math-display'), style = getComputedStyle(display);
    const right = display.getBoundingClientRect().right - parseFloat(style.paddingRight);
    const centre = (display.getBoundingClientRect().left + parseFloat(style.paddingLeft)
                    + right) / 2;
    for (const row of table.querySelectorAll(':scope > mtr')) {
      const number = row.lastElementChild.firstElementChild;
      const own = [...row.children].filter(c => !c.getAttribute('class')).map(box);
      const equals = [...row.querySelectorAll('mo')].find(o => o.textContent === '='
        && !o.closest('munderover, msub, msup, msubsup'));  // not the = of a limit
      const fraction = row.querySelector('mfrac');
      rows.push({id: row.id, text: number ? number.textContent : '',
                 number: number ? box(number) : null, right, centre,
                 cells: {left: Math.min(...own.map(b => b.left)),
                         right: Math.max(...own.map(b => b.right)),
                         top: Math.min(...own.map(b => b.top)),
                         bottom: Math.max(...own.map(b => b.bottom))},
                 equals: equals ? box(equals) : null,
                 fraction: fraction ? box(fraction) : null,
                 em: parseFloat(getComputedStyle(row).fontSize)});
    }
  }
  const single = document.querySelector('.equation .equation-number');
  const plain = document.querySelector('.math-display:not(.equation *) mfrac');
  return {rows, single: box(single), plainFraction: box(plain)};
}"""


@pytest.fixture(scope="module")
def numbers_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("numbers")
    content = make_course(root, {"01-part/01-numbers.md": chapter("Numbers", BODY)})
    return build_site(content, root / "www" / "course", root / "cache")


def measured(new_context: Any, serve_folder: Any, site: Path, width: int) -> dict[str, Any]:
    page = new_context(viewport={"width": width, "height": 900}).new_page()
    with serve_folder(site) as base:
        page.goto(base + PAGE)
        page.evaluate(FONTS_READY)
        return page.evaluate(MEASURE)  # type: ignore[no-any-return]


@pytest.mark.parametrize("width", [1440, 375])
def test_each_number_sits_at_the_right_margin_level_with_its_row(
    new_context: Any, serve_folder: Any, numbers_site: Path, width: int
) -> None:
    found = measured(new_context, serve_folder, numbers_site, width)
    rows = found["rows"]
    assert [row["text"] for row in rows] == [
        "(1.1.2)", "", "(1.1.3)", "(A)", "(1.1.4)", "(1.1.5)", "(1.1.6)"]
    assert [row["id"] for row in rows if row["id"]] == ["eq-f", "eq-k", "eq-v", "eq-mean"]
    for row in (r for r in rows if r["number"]):
        number, cells, em = row["number"], row["cells"], row["em"]
        # At the right margin, where a labelled display's number ends.
        assert abs(number["right"] - row["right"]) < 1, row
        assert abs(number["right"] - found["single"]["right"]) < 1, row
        # Clear of the formula, and inside its row's height.
        assert number["left"] - cells["right"] >= 0.5 * em, row
        assert cells["top"] - 1 <= number["top"] and number["bottom"] <= cells["bottom"] + 1
        # Level with the row: its middle on the math axis, where "=" is centred (a
        # number at the top of a row with a fraction would be ~0.5em off).
        middle = (number["top"] + number["bottom"]) / 2
        equals = row["equals"]
        assert abs(middle - (equals["top"] + equals["bottom"]) / 2) < 0.15 * em, row
        if width > 600:  # centred on the text, as an unnumbered display is
            assert abs((cells["left"] + cells["right"]) / 2 - row["centre"]) < 1.5 * em, row


def test_numbered_rows_keep_display_style(
    new_context: Any, serve_folder: Any, numbers_site: Path
) -> None:
    found = measured(new_context, serve_folder, numbers_site, 1440)
    plain = found["plainFraction"]
    height = plain["bottom"] - plain["top"]
    fractions = [row["fraction"] for row in found["rows"] if row["fraction"]]
    assert len(fractions) == 5
    # \frac{a}{b} and its kin as tall as in an unnumbered display: full size, not text size.
    for fraction in fractions:
        assert fraction["bottom"] - fraction["top"] > 0.9 * height, (fraction, plain)


def test_sum_limits_stay_under_and_over_in_a_numbered_row(
    new_context: Any, serve_folder: Any, numbers_site: Path
) -> None:
    page = new_context(viewport={"width": 1440, "height": 900}).new_page()
    with serve_folder(numbers_site) as base:
        page.goto(base + PAGE)
        page.evaluate(FONTS_READY)
        limits = page.evaluate("""() => [...document.querySelectorAll(
            'mtable.equation-rows munderover')].map(m => {
              const [base, under, over] = [...m.children].map(c => c.getBoundingClientRect());
              return {below: under.top >= base.bottom - 1, above: over.bottom <= base.top + 1,
                      centred: Math.abs((under.left + under.right) / 2
                                        - (base.left + base.right) / 2) < 2};
            })""")
    assert len(limits) == 2
    assert all(limit == {"below": True, "above": True, "centred": True} for limit in limits)


def test_a_link_to_a_row_lands_on_that_row(
    new_context: Any, serve_folder: Any, numbers_site: Path
) -> None:
    page = new_context(viewport={"width": 1440, "height": 500}).new_page()
    with serve_folder(numbers_site) as base:
        page.goto(base + PAGE + "#eq-mean")
        page.evaluate(FONTS_READY)
        target = page.evaluate("""() => { const row = document.querySelector(':target');
            const b = row.getBoundingClientRect();
            return {tag: row.tagName.toLowerCase(), visible: b.top >= 0 && b.bottom <= innerHeight,
                    background: getComputedStyle(row.children[1]).backgroundColor}; }""")
    assert target["tag"] == "mtr" and target["visible"], target
    assert target["background"] not in ("rgba(0, 0, 0, 0)", "transparent"), target
