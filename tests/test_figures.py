"""Saving figures (execute/figures.py): the house style's tight crop.

The crop is measured before the one real draw instead of matplotlib's extra
layout pass; these tests hold it to matplotlib's own ``bbox_inches="tight"``.
"""

from __future__ import annotations

import io
import struct
from collections.abc import Callable, Iterator

import matplotlib
import numpy as np
import pytest
from matplotlib.figure import Figure

from gradsite.execute.figures import CSS_DPI, PNG_SCALE, save_figure
from gradsite.execute.style import HOUSE_STYLE

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
