"""Deterministic SVG and PNG files of figures, with their size in CSS pixels.

Dates and software versions are left out of the files, so the same figure
gives the same bytes. PNG is drawn at twice the CSS size for sharp screens.
Figures are cropped to what they draw (``savefig.bbox: tight`` in the house
style, as in Jupyter), so axis labels that stick out are never cut off.
In SVG, plain text stays text (``svg.fonttype: none``) but mathtext is drawn
as glyph outlines: its glyphs come from fonts the reader's browser lacks.
"""

from __future__ import annotations

import contextlib
import io
import math
import re
import struct
from collections.abc import Iterator
from numbers import Real
from typing import Any

import matplotlib
from matplotlib.axes import Axes
from matplotlib.backends import backend_svg
from matplotlib.backends.backend_svg import RendererSVG
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox

from .jobs import AxesBox, Output
from .lighten import dense_as_pixels, lighten_svg

CSS_DPI = 96
PNG_SCALE = 2
_SVG_SIZE = re.compile(rb'<svg[^>]*?width="([\d.]+)pt"[^>]*?height="([\d.]+)pt"', re.DOTALL)


def save_figure(figure: Figure, fmt: str, axes: Axes | None = None, *,
                light: bool = True) -> Output:
    """The figure's file; with ``axes``, also where those axes stand in it.

    An SVG is made lighter (``lighten.py``): dense artists as pixels at the PNG's
    density, path data in hundredths of a point. ``light=False`` saves it as
    matplotlib writes it, the reference the tests compare renders against.
    """
    buffer = io.BytesIO()
    crop = _tight_crop(figure)
    if fmt == "png":
        figure.savefig(buffer, format="png", dpi=CSS_DPI * PNG_SCALE,
                       metadata={"Software": None}, **crop)
        data = buffer.getvalue()
        width, height = struct.unpack(">II", data[16:24])
        return Output("figure", data, "png", width // PNG_SCALE, height // PNG_SCALE,
                      _axes_box(figure, axes, crop))
    with _math_as_paths(), dense_as_pixels(figure) if light else contextlib.nullcontext():
        # dpi sets only the density of what is drawn as pixels; vectors are in points.
        dpi = CSS_DPI * PNG_SCALE if light else matplotlib.rcParams["savefig.dpi"]
        figure.savefig(buffer, format="svg", dpi=dpi,
                       metadata={"Date": None, "Creator": None}, **crop)
    data = lighten_svg(buffer.getvalue()) if light else buffer.getvalue()
    match = _SVG_SIZE.search(data)
    width = height = 0
    if match:
        width = round(float(match.group(1)) * CSS_DPI / 72)
        height = round(float(match.group(2)) * CSS_DPI / 72)
    return Output("figure", data, "svg", width, height, _axes_box(figure, axes, crop))


def _axes_box(figure: Figure, axes: Axes | None, crop: dict[str, Any]) -> AxesBox | None:
    """Where ``axes`` drew in the saved image, which is the crop box (in inches) when
    the figure was cropped, else the whole figure."""
    if axes is None:
        return None
    # Python floats, not numpy's: a cache entry may hold plain data only, and one
    # holding numpy's scalars was refused, so the figure was drawn again every build.
    width, height = (float(v) for v in figure.get_size_inches())
    x0, y0, x1, y1 = (float(v) for v in crop["bbox_inches"].extents) if crop else \
        (0.0, 0.0, width, height)
    box = axes.get_position()  # as laid out for the save
    left, bottom = float(box.x0) * width, float(box.y0) * height
    right, top = float(box.x1) * width, float(box.y1) * height
    x_low, x_high = axes.get_xlim()
    y_low, y_high = axes.get_ylim()
    return AxesBox(left=(left - x0) / (x1 - x0), top=(y1 - top) / (y1 - y0),
                   width=(right - left) / (x1 - x0), height=(top - bottom) / (y1 - y0),
                   x=(float(x_low), float(x_high)), y=(float(y_low), float(y_high)))


def _tight_crop(figure: Figure) -> dict[str, Any]:
    """savefig's ``bbox_inches`` for a tight crop, measured before drawing.

    With ``bbox_inches="tight"`` matplotlib lays the whole figure out once
    without drawing it, then measures it, then draws it: +40-50 % of a
    figure's time. Measured before the one real draw, the box is the same to
    within a few pixels (tests compare the two); only a layout engine
    (``layout="constrained"``) needs the extra pass, since it moves the axes.
    The box is widened to whole CSS pixels, so a PNG at twice the size has
    exactly the size the page gives its <img>.
    """
    pad = matplotlib.rcParams["savefig.pad_inches"]
    if matplotlib.rcParams["savefig.bbox"] != "tight" or not isinstance(pad, Real):
        return {}  # savefig applies savefig.bbox itself
    if figure.get_layout_engine() is not None:
        figure.draw_without_rendering()
    box = figure.get_tightbbox()
    if box is None:
        return {}
    x0, y0, x1, y1 = box.padded(float(pad)).extents
    # A hair over the whole pixel: sizes in pixels are truncated after * dpi.
    snap = CSS_DPI
    return {"bbox_inches": Bbox([
        [math.floor(x0 * snap) / snap, math.floor(y0 * snap) / snap],
        [(math.ceil(x1 * snap) + 1e-6) / snap, (math.ceil(y1 * snap) + 1e-6) / snap],
    ])}


_RENDERER_SVG = RendererSVG


class _MathAsPathsRenderer(RendererSVG):
    """SVG with ``svg.fonttype: none`` for plain text only; mathtext as outlines.

    As text, mathtext names its fonts' internal char codes in fonts no browser
    has: the prime of ``$f'(x)$`` is a "0" in Bakoma cmsy10, ``\\mathcal{L}``
    a private-use char of STIXNonUnicode, and big operators lose their size.
    Outlines are what ``svg.fonttype: path`` draws, glyph ids derived from the
    font, so the bytes stay the same on every save.
    """

    def _draw_text_as_text(self, gc: Any, x: float, y: float, s: str, prop: Any,
                           angle: float, ismath: bool | str, mtext: Any = None) -> None:
        if ismath:
            self._draw_text_as_path(gc, x, y, s, prop, angle, ismath, mtext)
        else:
            super()._draw_text_as_text(gc, x, y, s, prop, angle, ismath, mtext)


@contextlib.contextmanager
def _math_as_paths() -> Iterator[None]:
    """savefig's SVG canvas makes its renderer by the module's name ``RendererSVG``:
    for this save, the name stands for the renderer above (a worker saves one
    figure at a time, in one thread)."""
    backend_svg.RendererSVG = _MathAsPathsRenderer  # type: ignore[misc]
    try:
        yield
    finally:
        backend_svg.RendererSVG = _RENDERER_SVG  # type: ignore[misc]
