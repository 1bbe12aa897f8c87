"""Deterministic SVG and PNG files of figures, with their size in CSS pixels.

Dates and software versions are left out of the files, so the same figure
gives the same bytes. PNG is drawn at twice the CSS size for sharp screens.
"""

from __future__ import annotations

import io
import re
import struct

from matplotlib.figure import Figure

from .jobs import Output

CSS_DPI = 96
PNG_SCALE = 2
_SVG_SIZE = re.compile(rb'<svg[^>]*?width="([\d.]+)pt"[^>]*?height="([\d.]+)pt"', re.DOTALL)


def save_figure(figure: Figure, fmt: str) -> Output:
    buffer = io.BytesIO()
    if fmt == "png":
        figure.savefig(buffer, format="png", dpi=CSS_DPI * PNG_SCALE,
                       metadata={"Software": None})
        data = buffer.getvalue()
        width, height = struct.unpack(">II", data[16:24])
        return Output("figure", data, "png", width // PNG_SCALE, height // PNG_SCALE)
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    data = buffer.getvalue()
    match = _SVG_SIZE.search(data)
    width = height = 0
    if match:
        width = round(float(match.group(1)) * CSS_DPI / 72)
        height = round(float(match.group(2)) * CSS_DPI / 72)
    return Output("figure", data, "svg", width, height)
