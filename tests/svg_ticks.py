"""Tick marks of a matplotlib SVG: where the figure itself puts known data values.

An explorer's layer must map data to the same pixels as the figure under it.
Its ticks are the independent witness: each ``xtick_N``/``ytick_N`` group has
the tick mark's position (in the SVG's own units) and its label, the value.
"""

from __future__ import annotations

import re

_TICK = re.compile(
    r'<g id="(x|y)tick_\d+">.*?<use [^>]*?x="([-\d.]+)" y="([-\d.]+)".*?<text [^>]*>([^<]+)</text>',
    re.DOTALL)
_VIEWBOX = re.compile(r'<svg [^>]*?viewBox="0 0 ([\d.]+) ([\d.]+)"', re.DOTALL)


def svg_ticks(svg: str) -> tuple[tuple[float, float], list[tuple[float, float]],
                                 list[tuple[float, float]]]:
    """The SVG's size, then (value, x) of each x tick and (value, y) of each y tick."""
    size = _VIEWBOX.search(svg)
    assert size is not None, "not a matplotlib SVG"
    x_ticks, y_ticks = [], []
    for axis, x, y, label in _TICK.findall(svg):
        value = float(label.replace("\N{MINUS SIGN}", "-"))
        if axis == "x":
            x_ticks.append((value, float(x)))
        else:
            y_ticks.append((value, float(y)))
    return (float(size.group(1)), float(size.group(2))), x_ticks, y_ticks
