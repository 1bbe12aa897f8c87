"""Lighter figures look the same: each kind of figure, saved as matplotlib writes it
and as gradsite saves it (``execute/lighten.py``), rendered by Chromium at 1x
and 2x device scale and compared pixel by pixel.

Two counts of pixels whose colour moves by more than ``VISIBLE_DELTA`` in a
channel (a quarter of its range):

- *changed*, pixel for pixel: at most ``CHANGED_SHARE`` of a figure's pixels.
  Rounding a coordinate by a hundredth of a point moves an edge by a fraction
  of a device pixel, which Chromium's anti-aliasing turns into changes of up to
  ~60 in a few edge pixels; an image's edge may move by one device pixel (a row
  of ~400). Rounding to whole points moves every edge by up to 2/3 of a CSS
  pixel: 0.5-2 % of the pixels change, and the test must fail on it (the second
  test proves it does).
- *new*, a pixel that no pixel within one device pixel of it in the other
  render explains: at most ``NEW_SHARE`` (a colour bar's image, now at twice
  the density, may end half a CSS pixel lower: a row of ~12 pixels at 1x), so
  nothing small goes missing or appears (a tick label is ~100 pixels, 4e-4 of
  a figure) behind the first count's allowance.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import matplotlib
import numpy as np
import pytest
from matplotlib.figure import Figure
from PIL import Image

from gradsite.execute.figures import save_figure
from gradsite.execute.jobs import Output
from gradsite.execute.lighten import lighten_svg
from gradsite.expr import CompiledFunction
from gradsite.model import ExploreSpec
from gradsite.plots import PlotSpec, draw_plot
from gradsite.plots.draw import draw_explorer
from gradsite.style import HOUSE_STYLE

VISIBLE_DELTA = 64
CHANGED_SHARE = 1e-3
NEW_SHARE = 1e-4

BOWL = CompiledFunction("f", ("x", "y"), "x**2 + 3*y**2", ("2*x", "6*y"),
                        ((-3.0, 3.0), (-2.0, 2.0)), "x^2 + 3y^2", ("2x", "6y"), True)
CUBIC = CompiledFunction("g", ("x",), "x**3 - 3*x", None, ((-2.5, 2.5),), "", (), False)


def _plot(kind: str, function: CompiledFunction, points: int,
          **options: Any) -> Callable[[], Figure]:
    return lambda: draw_plot(PlotSpec(function.name, kind, points, function.domain, "", "",
                                      **options), function)


def _quiver() -> Figure:
    """The benchmark course's figure: a coloured gradient field on a 20 x 20 grid."""
    figure = Figure(figsize=(5, 4))
    ax = figure.add_subplot()
    x, y = np.meshgrid(np.linspace(-2, 2, 20), np.linspace(-2, 2, 20))
    ax.quiver(x, y, 2 * x, 6 * y, np.hypot(2 * x, 6 * y), cmap="plasma")
    ax.set_title("Gradient field of f (bowl)")
    return figure


def _scatter_and_image() -> Figure:
    """A scatter of 3000 points (drawn as pixels) beside an image with a colour bar."""
    figure = Figure(figsize=(8, 3.2))
    left, right = figure.subplots(1, 2)
    points = np.random.default_rng(1).normal(size=(3000, 2))
    left.scatter(points[:, 0], points[:, 1], s=6, c=points[:, 0], alpha=0.7)
    left.set_title(r"samples of $\mathcal{N}(0, I)$")
    x = np.linspace(-2, 2, 60)
    image = right.imshow(np.sin(3 * x)[None, :] * np.cos(2 * x)[:, None])
    figure.colorbar(image, ax=right)
    return figure


def _explorer() -> Figure:
    spec = ExploreSpec("f", "descent", BOWL.domain, "", "", start=(2.5, 1.5), levels=8)
    return draw_explorer(spec, BOWL)[0]


FIGURES: dict[str, Callable[[], Figure]] = {
    "contour": _plot("contour", BOWL, 12),
    "surface": _plot("surface", BOWL, 40),
    "descent": _plot("descent", BOWL, 30, start=(2.5, 1.5), rate=0.08, steps=30),
    "curve": _plot("curve", CUBIC, 200, tangent_at=(0.5,)),
    "quiver": _quiver,
    "scatter-and-image": _scatter_and_image,
    "explorer": _explorer,
}


@pytest.fixture(scope="module")
def saved() -> dict[str, tuple[Output, Output]]:
    """Each figure as matplotlib writes it, and as gradsite saves it, in the house style."""
    with matplotlib.rc_context(HOUSE_STYLE):
        return {name: (save_figure(make(), "svg", light=False), save_figure(make(), "svg"))
                for name, make in FIGURES.items()}


def _render(context: Any, folder: Path, name: str, figure: Output) -> np.ndarray:
    """The figure as the page shows it, at the context's device scale: an <img> of
    its CSS size, as figures are on a chapter's page."""
    (folder / f"{name}.svg").write_bytes(figure.data)
    page_file = folder / f"{name}.html"
    page_file.write_text(f'<!DOCTYPE html><body style="margin:0"><img src="{name}.svg" '
                         f'width="{figure.width}" height="{figure.height}" alt=""></body>',
                         encoding="utf-8")
    page = context.new_page()
    page.goto(page_file.as_uri())
    page.wait_for_function("document.images[0].complete && document.images[0].naturalWidth > 0")
    shot = page.locator("img").screenshot()
    page.close()
    return np.asarray(Image.open(io.BytesIO(shot)).convert("RGB")).astype(np.int16)


def _changed(before: np.ndarray, after: np.ndarray) -> int:
    assert before.shape == after.shape
    return int((np.abs(before - after).max(axis=2) > VISIBLE_DELTA).sum())


def _unexplained(image: np.ndarray, other: np.ndarray) -> np.ndarray:
    """Where ``image`` differs visibly from every pixel of ``other`` within one pixel."""
    height, width = image.shape[:2]
    padded = np.pad(other, ((1, 1), (1, 1), (0, 0)), mode="edge")
    nearest = np.full((height, width), 255, dtype=np.int16)
    for dy in range(3):
        for dx in range(3):
            shifted = padded[dy:dy + height, dx:dx + width]
            nearest = np.minimum(nearest, np.abs(image - shifted).max(axis=2))
    return nearest > VISIBLE_DELTA


def _new(before: np.ndarray, after: np.ndarray) -> int:
    return int((_unexplained(after, before) | _unexplained(before, after)).sum())


@pytest.mark.parametrize("scale", [1, 2])
def test_lighter_figures_render_as_matplotlibs_own_svg(
    new_context: Callable[..., Any], saved: dict[str, tuple[Output, Output]], tmp_path: Path,
    scale: int
) -> None:
    context = new_context(device_scale_factor=scale, viewport={"width": 900, "height": 700})
    found = {}
    for name, (reference, light) in saved.items():
        assert (light.width, light.height) == (reference.width, reference.height), name
        assert len(light.data) < len(reference.data), name
        before = _render(context, tmp_path, f"{name}-reference", reference)
        after = _render(context, tmp_path, f"{name}-light", light)
        found[name] = (_changed(before, after), _new(before, after),
                       before.shape[0] * before.shape[1])
    visible = {name: f"{changed} changed, {new} new, of {pixels} pixels"
               for name, (changed, new, pixels) in found.items()
               if changed > CHANGED_SHARE * pixels or new > NEW_SHARE * pixels}
    assert not visible, f"visibly different at {scale}x: {visible}"


@pytest.mark.parametrize("scale", [1, 2])
def test_the_comparison_sees_coordinates_rounded_to_whole_points(
    new_context: Callable[..., Any], saved: dict[str, tuple[Output, Output]], tmp_path: Path,
    scale: int
) -> None:
    context = new_context(device_scale_factor=scale, viewport={"width": 900, "height": 700})
    for name in ("curve", "quiver"):
        reference = saved[name][0]
        coarse = Output("figure", lighten_svg(reference.data, digits=0), "svg",
                        reference.width, reference.height)
        before = _render(context, tmp_path, f"{name}-reference", reference)
        after = _render(context, tmp_path, f"{name}-coarse", coarse)
        pixels = before.shape[0] * before.shape[1]
        assert _changed(before, after) > 3 * CHANGED_SHARE * pixels, name
