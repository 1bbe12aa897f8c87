"""The math corpus as Chromium lays it out, measured from the boxes of its glyphs.

The page is the math gallery (tests/math_gallery.py): every corpus formula
through render_math, with the site's CSS and its subset STIX Two Math font, as
a built site serves them. Each check compares boxes (getBoundingClientRect of
the MathML elements: an operator's box is its glyph's ink) in ems of the
formula's font size, against where TeX puts things: limits under and over a
display operator, the relations of aligned rows at one x with their left-hand
sides flush right, a tag at the right margin without losing display style,
"def" over its =, fence bars without relation spacing, primes at a
superscript's size and height.

Firefox: Playwright drives Firefox only through its own patched build (the
Juggler protocol), which this machine must not download; Debian's firefox-esr
cannot be driven by it, so these checks run in Chromium only.

The committed gallery, docs/math-gallery.html, must be what the current code
writes: ``test_the_committed_gallery_is_current`` says how to regenerate it.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from gradsite.assets import MATH_FONT_FILE, math_characters, math_font_path
from tests.math_gallery import (
    GALLERY,
    GALLERY_FONTS,
    REGENERATE,
    THEME_CSS,
    gallery_html,
    write_gallery,
)

LOAD_FIGURES = False
# Each formula's tokens with their boxes in ems of the formula's font size, from the
# formula's top left (Chromium's box of a MathML token is its glyphs' ink); and, for
# its first table with columns, each row's counted cells.
MEASURE = """() => Object.fromEntries([...document.querySelectorAll('tr[id]')].map(row => {
  const math = row.querySelector('.rendering math');
  const em = parseFloat(getComputedStyle(math).fontSize);
  const origin = math.getBoundingClientRect();
  const box = e => { const b = e.getBoundingClientRect();
    return {l: (b.left - origin.left) / em, r: (b.right - origin.left) / em,
            t: (b.top - origin.top) / em, b: (b.bottom - origin.top) / em}; };
  const tokens = [...math.querySelectorAll('mi, mo, mn, mtext')].map(e => ({
    tag: e.localName, text: e.textContent, parent: e.parentElement.localName,
    size: parseFloat(getComputedStyle(e).fontSize) / em, ...box(e)}));
  const scripted = [...math.querySelectorAll('munder, mover, munderover, msub, msup, msubsup')]
    .map(e => ({tag: e.localName, base: e.firstElementChild.textContent.replace(/\u2061/g, ''),
                boxes: [...e.children].map(box)}));
  const fractions = [...math.querySelectorAll('mfrac')].map(box);
  const table = math.querySelector('mtable[columnalign]');
  const rows = table ? [...table.querySelectorAll(':scope > mtr')].map(tr =>
    [...tr.querySelectorAll(':scope > mtd')].filter(td =>
      !['mtr-glue', 'mml-eqn-num'].includes(td.getAttribute('class'))).map(td => {
        const content = td.firstElementChild;
        const relation = [...td.querySelectorAll('mo')].find(o => '=≤≥'.includes(o.textContent));
        return {align: td.getAttribute('columnalign'),
                content: content ? box(content) : null,
                relation: relation ? box(relation) : null};
      })) : [];
  const shown = row.querySelector('.rendering > .math-display');
  const frame = shown ? box(shown) : null;
  return [row.id, {tokens, scripted, fractions, rows, frame}];
}))"""
TOLERANCE = 0.05  # em: rounding of glyph boxes
PIXEL = 0.6 / 19  # em: about half a pixel at the page's math size


@pytest.fixture(scope="module")
def gallery_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("math-gallery")
    (folder / "gradsite.css").write_bytes(THEME_CSS.read_bytes())
    write_gallery(folder, "gradsite.css", "index.html")
    return folder


@pytest.fixture(scope="module")
def layout(gallery_folder: Path, browser: Any, serve_folder: Callable[[Path], Any],
           ) -> Iterator[dict[str, Any]]:
    """Every formula's measurements, from one page load."""
    context = browser.new_context()
    try:
        with serve_folder(gallery_folder) as url:
            page = context.new_page()
            page.goto(url + "index.html")
            page.evaluate("document.fonts.ready.then(() => true)")
            assert page.evaluate("document.fonts.check('1em \"STIX Two Math\"', '∑')")
            yield page.evaluate(MEASURE)
    finally:
        context.close()


def token(formula: dict[str, Any], text: str, nth: int = 0) -> dict[str, Any]:
    found = [t for t in formula["tokens"] if t["text"] == text]
    assert len(found) > nth, (text, [t["text"] for t in formula["tokens"]])
    return found[nth]


def scripted(formula: dict[str, Any], base: str) -> dict[str, Any]:
    found = [s for s in formula["scripted"] if s["base"] == base]
    assert found, (base, [s["base"] for s in formula["scripted"]])
    return found[0]


def centre(box: dict[str, float]) -> float:
    return (box["l"] + box["r"]) / 2


# --- limits -------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "base", "limits"), [
    ("sum-limits", "∑", True), ("sum-limits", "min", True), ("sum-limits", "∏", True),
    ("int-limits", "∫", True), ("bigcup", "⋃", True), ("bigcup", "⋂", True),
    ("lim", "lim", True), ("mathop-argmin", "argmin", True),
    ("operatorname-star", "arg\u2009min", True), ("limits-on-sum", "∑", True),
    ("tag-sum", "∑", True),
    ("sum-nolimits", "∑", False), ("lim-nolimits", "lim", False),
    ("mathop-nolimits", "argmax", False), ("inline-sum", "∑", False),
])
def test_display_limits_go_under_and_over_their_operator(
        layout: dict[str, Any], name: str, base: str, limits: bool) -> None:
    operator, *scripts = scripted(layout[name], base)["boxes"]
    for script in scripts:
        if limits:  # centred under or over the operator, clear of it
            assert operator["l"] - TOLERANCE <= centre(script) <= operator["r"] + TOLERANCE
            assert (script["t"] >= operator["b"] - TOLERANCE
                    or script["b"] <= operator["t"] + TOLERANCE), (operator, script)
        else:  # at its side
            assert script["l"] >= operator["r"] - TOLERANCE, (operator, script)


# --- aligned rows ---------------------------------------------------------------------


@pytest.mark.parametrize("name", ["align", "align-star", "alignat", "aligned", "split"])
def test_aligned_relations_share_one_x_and_left_sides_end_against_them(
        layout: dict[str, Any], name: str) -> None:
    rows = layout[name]["rows"]
    assert len(rows) >= 2
    for column in range(len(rows[0])):
        cells = [row[column] for row in rows if column < len(row)]
        if column % 2 == 0:  # amsmath's pairs of columns: a left-hand side, flush right
            rights = [c["content"]["r"] for c in cells if c["content"]
                      and c["content"]["r"] > c["content"]["l"]]
            assert max(rights) - min(rights) < PIXEL, (column, rights)
        relations = [c["relation"]["l"] for c in cells
                     if c["relation"] and c["content"]["l"] + 0.5 > c["relation"]["l"]]
        if len(relations) >= 2:  # rows that start their column with a relation
            assert max(relations) - min(relations) < PIXEL, (column, relations)


# --- tags -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["tag-sum", "tag-text"])
def test_a_tag_sits_at_the_right_margin(layout: dict[str, Any], name: str) -> None:
    formula = layout[name]
    tag = formula["tokens"][-1]
    assert tag["tag"] == "mtext" and tag["text"].startswith("(")
    assert formula["frame"]["r"] - tag["r"] < 0.5
    rest = max(t["r"] for t in formula["tokens"][:-1])
    assert tag["l"] - rest > 2


def test_a_tagged_display_keeps_display_style(layout: dict[str, Any]) -> None:
    tagged, untagged = layout["tag-sum"], layout["untagged-sum"]
    heights = [[f["b"] - f["t"] for f in formula["fractions"]] for formula in (tagged, untagged)]
    assert heights[0] == pytest.approx(heights[1], abs=PIXEL)
    sizes = [t["size"] for t in tagged["tokens"][:-1]], [t["size"] for t in untagged["tokens"]]
    assert sizes[0] == pytest.approx(sizes[1])


# --- stacked relations ---------------------------------------------------------------


@pytest.mark.parametrize(("name", "base", "over", "above"), [
    ("stackrel-def", "=", "def", True),
    ("overset", "⟶", "∞", True),
    ("underset", "minimize", "x", False),
])
def test_a_stacked_script_stands_over_or_under_its_base(
        layout: dict[str, Any], name: str, base: str, over: str, above: bool) -> None:
    formula = layout[name]
    bottom, top = token(formula, base), token(formula, over)
    if above:
        assert top["b"] <= bottom["t"] + TOLERANCE, (top, bottom)
    else:
        assert top["t"] >= bottom["b"] - TOLERANCE, (top, bottom)
    assert bottom["l"] - TOLERANCE <= centre(top) <= bottom["r"] + TOLERANCE


def test_a_stacked_relation_keeps_a_relations_spacing(layout: dict[str, Any]) -> None:
    formula = layout["stackrel-def"]
    equals = token(formula, "=")
    before = [t for t in formula["tokens"] if t["r"] <= equals["l"] + TOLERANCE
              and t["text"] != "def"][-1]
    assert equals["l"] - before["r"] > 0.2


# --- fences ---------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "bar", "count"), [
    ("abs-left-right", "∣", 2), ("abs-left-right", "∥", 2), ("abs-lvert", "∣", 2),
    ("abs-lvert", "∥", 2), ("norm-bars", "∥", 2), ("norm-bars", "∣", 2), ("left-dot", "∣", 1),
])
def test_no_relation_space_between_a_fence_bar_and_its_content(
        layout: dict[str, Any], name: str, bar: str, count: int) -> None:
    tokens = layout[name]["tokens"]
    bars = [i for i, t in enumerate(tokens) if t["text"] == bar]
    assert len(bars) == count, [t["text"] for t in tokens]
    gaps = []
    if count == 2:
        opening, closing = bars
        gaps += [tokens[opening + 1]["l"] - tokens[opening]["r"],
                 tokens[closing]["l"] - tokens[closing - 1]["r"]]
    else:
        gaps.append(tokens[bars[0]]["l"] - tokens[bars[0] - 1]["r"])
    assert max(gaps) <= 0.17, gaps


def test_a_mid_bar_keeps_a_relations_spacing(layout: dict[str, Any]) -> None:
    tokens = layout["set-mid"]["tokens"]
    at = next(i for i, t in enumerate(tokens) if t["text"] == "∣")
    assert tokens[at]["l"] - tokens[at - 1]["r"] > 0.2
    assert tokens[at + 1]["l"] - tokens[at]["r"] > 0.2


# --- primes ---------------------------------------------------------------------------

# The script-size prime of TeX (and of the font's own script glyph) is about 0.3 em
# tall; KaTeX's, the text glyph scaled down, was 0.21.
PRIME_HEIGHT = 0.27


@pytest.mark.parametrize(("name", "prime", "nth"), [
    ("prime-power", "′", 0), ("prime-power", "′′", 0), ("prime-alone", "′", 0),
    ("prime-bold", "′", 0), ("prime-bold", "′", 1), ("prime-subscript", "′", 0),
    ("prime-subscript", "′′", 0), ("prime-name", "′", 0), ("prime-name", "′", 2),
    ("prime-inline", "′", 1),
])
def test_a_prime_is_as_large_as_a_superscript_and_raised_like_one(
        layout: dict[str, Any], name: str, prime: str, nth: int) -> None:
    formula = layout[name]
    mark = token(formula, prime, nth)
    assert mark["b"] - mark["t"] >= PRIME_HEIGHT
    base = max((t for t in formula["tokens"] if t["r"] <= mark["l"] + TOLERANCE),
               key=lambda t: t["r"])
    assert mark["t"] < base["t"] - TOLERANCE, (mark, base)  # above its letter, as a script


@pytest.mark.parametrize(("name", "after"), [("prime-power", "2"), ("prime-inline", "2")])
def test_a_prime_is_level_with_the_superscript_after_it(
        layout: dict[str, Any], name: str, after: str) -> None:
    formula = layout[name]
    mark, power = token(formula, "′"), token(formula, after)
    assert abs(mark["t"] - power["t"]) <= 0.1, (mark, power)
    assert power["l"] >= mark["r"] - TOLERANCE


def test_a_minus_after_primes_subtracts(layout: dict[str, Any]) -> None:
    tokens = layout["prime-minus"]["tokens"]
    for at in [i for i, t in enumerate(tokens) if t["text"] == "−"]:
        assert tokens[at]["l"] - tokens[at - 1]["r"] > 0.15, tokens[at - 1:at + 2]
        assert tokens[at + 1]["l"] - tokens[at]["r"] > 0.15, tokens[at - 1:at + 2]


# --- the gallery ------------------------------------------------------------------------


def test_the_committed_gallery_is_current() -> None:
    from fontTools.ttLib import TTFont

    page = gallery_html("../templates/assets/gradsite.css")
    assert GALLERY.read_text(encoding="utf-8") == page, (
        f"docs/math-gallery.html is not what the current code writes: run {REGENERATE}")
    with TTFont(math_font_path(), lazy=True) as font:
        drawn = {c for c in math_characters([page]) if ord(c) in font.getBestCmap()}
    with TTFont(io.BytesIO((GALLERY_FONTS / MATH_FONT_FILE).read_bytes())) as font:
        missing = {c for c in drawn if ord(c) not in font.getBestCmap()}
    assert not missing, f"docs/fonts/{MATH_FONT_FILE} lacks {sorted(missing)}: run {REGENERATE}"
