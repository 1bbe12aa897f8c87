"""Saving figures (execute/figures.py): the house style's tight crop, mathtext in SVG,
and what goes wrong while a cell's figure is drawn (execute/worker.py).

The crop is measured before the one real draw instead of matplotlib's extra
layout pass; these tests hold it to matplotlib's own ``bbox_inches="tight"``.
"""

from __future__ import annotations

import io
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path

import matplotlib
import numpy as np
import pytest
from matplotlib.figure import Figure

from gradsite.diagnostics import Diagnostic
from gradsite.execute.figures import CSS_DPI, PNG_SCALE, save_figure
from gradsite.style import HOUSE_STYLE
from tests.exec_helpers import FRONT, REPO, cell, cells_of, failed_build, messages, write_course

matplotlib.use("agg")
import matplotlib.pyplot as plt  # noqa: E402 - after choosing the backend


@pytest.fixture(autouse=True)
def house_style() -> Iterator[None]:
    with matplotlib.rc_context(HOUSE_STYLE):
        yield
    plt.close("all")


def two_panels_with_a_low_label() -> Figure:
    # The case authors hit: short and wide, so the x label falls below the figure.
    figure, (left, right) = plt.subplots(1, 2, figsize=(9, 3.5))
    left.plot([0, 1, 2], [2, 1, 3])
    right.plot([0, 1, 2], [1, 2, 1])
    right.set_xlabel("step")
    return figure


def legend_outside() -> Figure:
    figure, axes = plt.subplots()
    axes.plot([0, 1], [0, 1], label="a long legend label")
    axes.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return figure


def colorbar_and_suptitle() -> Figure:
    figure, axes = plt.subplots()
    image = axes.imshow(np.arange(100.0).reshape(10, 10))
    figure.colorbar(image, label="value")
    figure.suptitle("A title above the axes")
    return figure


def rotated_tick_labels() -> Figure:
    figure, axes = plt.subplots()
    axes.semilogy(np.arange(11), np.exp(np.arange(11)))
    axes.set_xticks(range(11), [f"label {i}" for i in range(11)], rotation=60)
    return figure


def surface_3d() -> Figure:
    figure = plt.figure()
    axes = figure.add_subplot(projection="3d")
    x, y = np.meshgrid(np.linspace(-2, 2, 15), np.linspace(-2, 2, 15))
    axes.plot_surface(x, y, x**2 + y**2)
    axes.set_xlabel("x")
    axes.set_zlabel("f(x, y)")
    return figure


def constrained_layout() -> Figure:
    figure, axes = plt.subplots(2, 2, layout="constrained")
    for each in axes.flat:
        each.set_xlabel("x")
        each.set_title("panel")
    return figure


FIGURES = [two_panels_with_a_low_label, legend_outside, colorbar_and_suptitle,
           rotated_tick_labels, surface_3d, constrained_layout]


def matplotlib_tight_size(figure: Figure, fmt: str) -> tuple[float, float]:
    """The CSS size of the figure saved with matplotlib's own tight bounding box."""
    buffer = io.BytesIO()
    if fmt == "png":
        figure.savefig(buffer, format="png", dpi=CSS_DPI * PNG_SCALE, bbox_inches="tight")
        width, height = struct.unpack(">II", buffer.getvalue()[16:24])
        return width / PNG_SCALE, height / PNG_SCALE
    figure.savefig(buffer, format="svg", bbox_inches="tight")
    svg = buffer.getvalue().decode()
    points = [float(svg.split(f'{key}="', 1)[1].split("pt", 1)[0]) for key in ("width", "height")]
    return points[0] * CSS_DPI / 72, points[1] * CSS_DPI / 72


@pytest.mark.parametrize("make", FIGURES, ids=lambda make: make.__name__)
@pytest.mark.parametrize("fmt", ["svg", "png"])
def test_figures_are_cropped_as_matplotlibs_tight_bounding_box(
        make: Callable[[], Figure], fmt: str) -> None:
    saved = save_figure(make(), fmt)
    width, height = matplotlib_tight_size(make(), fmt)
    # Never smaller (that could cut something off); a few pixels larger at most,
    # where text measured before drawing came out a little wider, plus the snap
    # to whole pixels.
    for ours, theirs in ((saved.width, width), (saved.height, height)):
        assert -1 <= ours - theirs <= 12


def ink_in_bottom_rows(png: bytes, rows: int) -> bool:
    pixels = plt.imread(io.BytesIO(png))[..., :3]
    return bool((pixels[-rows:] < 0.5).any())


def test_the_crop_keeps_a_label_that_the_figure_size_would_cut_off() -> None:
    figure = two_panels_with_a_low_label()
    assert figure.axes[1].xaxis.label.get_window_extent().y0 < 0  # below the canvas
    with matplotlib.rc_context({"savefig.bbox": "standard"}):
        uncropped = save_figure(figure, "png").data
    cropped = save_figure(figure, "png").data
    assert ink_in_bottom_rows(uncropped, 1)  # the label runs off the edge
    assert not ink_in_bottom_rows(cropped, 10)  # the label, then blank padding


def test_a_cell_can_turn_the_crop_off() -> None:
    figure = two_panels_with_a_low_label()
    with matplotlib.rc_context({"savefig.bbox": "standard"}):
        saved = save_figure(figure, "svg")
    assert (saved.width, saved.height) == (9 * CSS_DPI, round(3.5 * CSS_DPI))


@pytest.mark.parametrize("make", FIGURES, ids=lambda make: make.__name__)
def test_a_cropped_figure_is_whole_css_pixels_in_both_formats(make: Callable[[], Figure]) -> None:
    svg, png = save_figure(make(), "svg"), save_figure(make(), "png")
    assert (svg.width, svg.height) == (png.width, png.height)
    assert struct.unpack(">II", png.data[16:24]) == (PNG_SCALE * png.width,
                                                     PNG_SCALE * png.height)



# --- mathtext in SVG ---------------------------------------------------------------

SVG = "{http://www.w3.org/2000/svg}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
MATH_TITLE = r"$\sigma'(z)$ and $\mathcal{L}$"


def math_title_and_plain_label() -> Figure:
    figure, axes = plt.subplots()
    axes.plot([0, 1], [0, 1])
    axes.set_title(MATH_TITLE)
    axes.set_xlabel("plain label")
    axes.set_ylabel(r"$\sum_i x_i \int_0^1 f$")
    return figure


def svg_tree(svg: bytes) -> ET.Element:
    return ET.fromstring(svg, ET.XMLParser(target=ET.TreeBuilder(insert_comments=True)))


def drawn_after_comment(root: ET.Element, source: str) -> ET.Element:
    """The element matplotlib draws a text as, after its comment holding the text."""
    for parent in root.iter():
        children = list(parent)
        for comment, drawn in zip(children, children[1:], strict=False):
            if comment.tag is ET.Comment and (comment.text or "").strip() == source:
                return drawn
    raise AssertionError(f"no comment {source!r} in the SVG")


def test_mathtext_in_an_svg_is_drawn_as_outlines_and_plain_text_stays_text() -> None:
    # As text, the prime of $\sigma'$ was a "0" in a 'cmsy10' tspan and \mathcal{L} a
    # private-use char of 'STIXNonUnicode': fonts no browser has.
    root = svg_tree(save_figure(math_title_and_plain_label(), "svg").data)
    texts = [element for element in root.iter() if element.tag in (SVG + "text", SVG + "tspan")]
    assert {element.get("style", "").partition("font-family: ")[2].partition(";")[0]
            for element in texts} == {"'DejaVu Sans', 'Helvetica', 'Arial', sans-serif"}
    shown = ["".join(element.itertext()) for element in texts]
    assert "plain label" in shown  # plain text is still <text>, in the page's fonts
    assert not [text for text in shown if "(z)" in text or "x_i" in text or "σ" in text]
    glyphs = {path.get("id") for path in root.iter(SVG + "path") if path.get("id")}
    title = drawn_after_comment(root, MATH_TITLE)
    used = [use.get(XLINK_HREF, "")[1:] for use in title.iter(SVG + "use")]
    assert len(used) == len("σ'(z) and L")  # an outline per character, spaces too
    assert set(used) <= glyphs
    assert {glyph.split("-")[0] for glyph in used} >= {"Cmsy10", "STIXNonUnicode"}


def test_an_svg_with_mathtext_is_the_same_bytes_on_every_save() -> None:
    first = math_title_and_plain_label()
    again = save_figure(first, "svg").data
    assert save_figure(first, "svg").data == again
    assert save_figure(math_title_and_plain_label(), "svg").data == again


def test_mathtext_outlines_keep_the_crop_as_matplotlibs_tight_bounding_box() -> None:
    saved = save_figure(math_title_and_plain_label(), "svg")
    width, height = matplotlib_tight_size(math_title_and_plain_label(), "svg")
    for ours, theirs in ((saved.width, width), (saved.height, height)):
        assert -1 <= ours - theirs <= 12


# --- errors and warnings while a cell's figure is drawn ------------------------------

# Each chapter's cell: the fence on line 4, the code from line 5.
DRAWING_FAILS = {
    "01-s/01-tex.md": FRONT + cell(
        "import matplotlib.pyplot as plt\n"
        "plt.plot([1, 2])\n"
        'plt.title(r"$\\frac{1}{$")'),
    "01-s/02-format.md": FRONT + cell(
        "import matplotlib.pyplot as plt\n"
        "from matplotlib.ticker import FormatStrFormatter\n"
        "figure, axes = plt.subplots()\n"
        "axes.xaxis.set_major_formatter(FormatStrFormatter('%d %q'))"),
    "01-s/03-own.md": FRONT + cell(
        "import matplotlib.pyplot as plt\n"
        "def label(value, position):\n"
        "    return 1 / 0\n"  # line 7: a line of the cell's own runs while drawing
        "figure, axes = plt.subplots()\n"
        "axes.xaxis.set_major_formatter(label)"),
}


@pytest.fixture(scope="module")
def drawing_failures(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Diagnostic]:
    root = tmp_path_factory.mktemp("drawing")
    write_course(root / "content", DRAWING_FAILS)
    problems = failed_build(root)
    by_name = {p.location.path.rsplit("/", 1)[-1]: p for p in problems}
    assert len(by_name) == len(problems) == 3, messages(problems)
    return by_name


def test_a_bad_mathtext_title_is_reported_at_the_fence_on_one_line(
        drawing_failures: dict[str, Diagnostic]) -> None:
    # Not at the cell's first line (`import matplotlib.pyplot as plt`): no line of
    # the cell runs while its figure is drawn.
    problem = drawing_failures["01-tex.md"]
    assert problem.location.line == 4
    assert problem.message == ("the cell failed: drawing its figure failed: ValueError: "
                               "mathtext cannot parse $\\frac{1}{$: "
                               "Expected \\frac{num}{den}, found '{'")


def test_a_raising_tick_formatter_is_reported_at_the_fence(
        drawing_failures: dict[str, Diagnostic]) -> None:
    problem = drawing_failures["02-format.md"]
    assert problem.location.line == 4
    assert problem.message == ("the cell failed: drawing its figure failed: "
                               "TypeError: not enough arguments for format string")


def test_a_tick_formatter_of_the_cells_own_is_reported_at_its_line(
        drawing_failures: dict[str, Diagnostic]) -> None:
    problem = drawing_failures["03-own.md"]
    assert problem.location.line == 7
    assert problem.message.endswith("drawing its figure failed: ZeroDivisionError: "
                                    "division by zero")


def test_an_error_while_drawing_says_when_figures_are_drawn(
        drawing_failures: dict[str, Diagnostic]) -> None:
    for problem in drawing_failures.values():
        assert "after the cell's code has run" in problem.hint
        for what in ("titles", "labels", "tick formatters", "figure size"):
            assert what in problem.hint


COLLAPSED = ("import matplotlib.pyplot as plt\n"
             "figure, axes = plt.subplots(figsize=(0.3, 0.3), layout='constrained')\n"
             "axes.set_title('a title far wider than the figure')\n"
             "axes.set_xlabel('x')")


def test_warnings_while_a_figure_is_drawn_go_to_the_cells_printed_output(
        tmp_path: Path) -> None:
    # As a cell's own warnings do, at the cell's line (not gradsite's figures.py), once,
    # and through the cell's own filters; never on the builder's terminal.
    write_course(tmp_path / "content", {"01-s/01-c.md": FRONT + "\n".join([
        cell(COLLAPSED),  # fence on line 4
        cell("import warnings\n"
             "warnings.filterwarnings('ignore', 'constrained_layout not applied')\n"
             + COLLAPSED)])})
    done = subprocess.run(
        [sys.executable, str(REPO / "build.py"), "--content", "content", "--out", "_site",
         "--cache-dir", "cache", "-q", "-j", "1"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert "constrained_layout" not in done.stdout + done.stderr
    first, ignored = cells_of(tmp_path / "_site" / "s" / "c.html")
    assert first.outputs[0].splitlines() == [
        "content/01-s/01-c.md:4: UserWarning: constrained_layout not applied because axes "
        "sizes collapsed to zero.  Try making figure larger or Axes decorations smaller."]
    assert ignored.outputs == []
