"""Lighter figure files: path data with fewer digits and less repetition, and
dense artists as pixels inside the SVG (worker side, part of saving a figure).

matplotlib writes every coordinate of an SVG with six decimals of a point, each
of a 3-D surface's thousands of facets with the same stroke, and each arrow with
the clip of its axes. A point is 1.33 CSS pixels: two decimals are within 1/70
of a device pixel at twice the zoom, which no screen shows. Coordinates are
written relative to the one before, in whole hundredths, so the rounding never
adds up along a path; a style shared by a run of paths is written once on a
group; a clip is dropped from a path that lies inside it. Meshes and big
scatters are drawn as an image at twice the CSS density inside the SVG. Text
stays text, and the same figure still gives the same bytes.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator

import numpy as np
from matplotlib.artist import Artist
from matplotlib.collections import PathCollection, QuadMesh
from matplotlib.figure import Figure

DIGITS = 2  # decimals of a point (1/72 inch) kept in path data
# A scatter of at least this many points is drawn as pixels: each point is a
# marker element of its own, ~80 bytes, where an image of many points weighs a
# few bytes per point.
RASTER_POINTS = 500

_PATH = re.compile(rb'<path\b[^>]*?/>')
_PATH_DATA = re.compile(rb'\sd="([^"]*)"')
_CLIP = re.compile(rb' clip-path="url\(#(\w+)\)"')
_STROKE_WIDTH = re.compile(rb"stroke-width: ([\d.]+)")
_CLIP_RECT = re.compile(rb'<clipPath id="(\w+)">\s*<rect x="(-?[\d.]+)" y="(-?[\d.]+)" '
                        rb'width="([\d.]+)" height="([\d.]+)"/>\s*</clipPath>')
_USE_XY = re.compile(rb'(<use\b[^>]*?\s)x="(-?[\d.]+)" y="(-?[\d.]+)"')
_TOKEN = re.compile(r"[MLQCZmlqcz]|-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_PAIRS = {"M": 1, "L": 1, "Q": 2, "C": 3, "Z": 0}  # coordinate pairs per segment

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in points


def lighten_svg(data: bytes, digits: int = DIGITS) -> bytes:
    """``data`` with its path data and marker positions rounded to ``digits``
    decimals, and without the clip of a path that lies inside its clip rectangle
    (an arrow inside the axes); text, styles and sizes byte for byte as they were."""
    scale = 10 ** digits
    clips = {match.group(1): tuple(float(v) for v in match.group(2, 3, 4, 5))
             for match in _CLIP_RECT.finditer(data)}

    def path(match: re.Match[bytes]) -> bytes:
        element = match.group(0)
        d = _PATH_DATA.search(element)
        if d is None:
            return element
        compact, bounds = _relative_path(d.group(1).decode("ascii"), scale, digits)
        element = element[:d.start(1)] + compact.encode("ascii") + element[d.end(1):]
        clip = _CLIP.search(element)
        if clip and bounds and b"transform=" not in element and clip.group(1) in clips:
            x, y, width, height = clips[clip.group(1)]
            reach = _stroke_reach(element)
            if bounds[0] - reach >= x and bounds[1] - reach >= y and \
                    bounds[2] + reach <= x + width and bounds[3] + reach <= y + height:
                element = element[:clip.start()] + element[clip.end():]
        return element

    def use(match: re.Match[bytes]) -> bytes:
        x = _number(round(float(match.group(2)) * scale), digits)
        y = _number(round(float(match.group(3)) * scale), digits)
        return match.group(1) + f'x="{x}" y="{y}"'.encode("ascii")

    return _shared_styles(_USE_XY.sub(use, _PATH.sub(path, data)))


# Inherited properties that every one of a run of sibling paths sets alike move to a
# group around them. Not stroke-linejoin nor stroke-linecap: matplotlib's style
# sheet sets those on every element (``*{...}``), which beats inheritance.
_INHERITED = frozenset({"fill", "fill-opacity", "stroke", "stroke-opacity", "stroke-width",
                        "stroke-dasharray", "stroke-dashoffset", "stroke-miterlimit"})
_STYLED_PATH = re.compile(rb'^( *)(<path d="[^"]*"(?: clip-path="[^"]*")?) style="([^"]*)"/>$')
_SHORTEST_RUN = 3  # fewer paths than this gain nothing from a group


def _shared_styles(data: bytes) -> bytes:
    """A surface's thousand facets each repeat the same stroke: written once, on a
    ``<g>`` around them, every facet keeps only its fill.

    A run of sibling paths is grouped from its first path on whose rest shares a
    style; the paths before that one stay as they are."""
    lines = data.split(b"\n")
    out: list[bytes] = []
    i = 0
    while i < len(lines):
        run = _styled_run(lines, i)
        if not run:
            out.append(lines[i])
            i += 1
            continue
        styles = [_declarations(match.group(3)) for match in run]
        start, common = _shared_tail(styles)
        out.extend(lines[i:i + start])
        if common:
            indent = run[start].group(1)
            shared = "; ".join(f"{k}: {v}" for k, v in common.items())
            out.append(indent + f'<g style="{shared}">'.encode("ascii"))
            for match, style in zip(run[start:], styles[start:], strict=True):
                rest = "; ".join(f"{k}: {v}" for k, v in style.items() if k not in common)
                own = f' style="{rest}"'.encode("ascii") if rest else b""
                out.append(match.group(1) + match.group(2) + own + b"/>")
            out.append(indent + b"</g>")
        i += len(run)
    return b"\n".join(out)


def _styled_run(lines: list[bytes], i: int) -> list[re.Match[bytes]]:
    """The styled paths from line ``i`` on at the same indent (empty if line ``i`` is
    not one)."""
    run: list[re.Match[bytes]] = []
    for at in range(i, len(lines)):
        match = _STYLED_PATH.match(lines[at])
        if match is None or (run and match.group(1) != run[0].group(1)):
            break
        run.append(match)
    return run


def _shared_tail(styles: list[dict[str, str]]) -> tuple[int, dict[str, str]]:
    """Where the longest tail of a run that shares inherited properties starts, and
    those properties in its first path's order; (len, {}) when no tail of at least
    ``_SHORTEST_RUN`` paths shares one. One pass from the end: a run of a thousand
    differently filled paths is not compared again from each of its paths."""
    shared: dict[str, str] = {}
    start = len(styles)
    for j in range(len(styles) - 1, -1, -1):
        style = styles[j]
        if j == len(styles) - 1:
            tail = {k: v for k, v in style.items() if k in _INHERITED}
        else:
            tail = {k: v for k, v in tail.items() if style.get(k) == v}
        if not tail:
            break
        if len(styles) - j >= _SHORTEST_RUN:
            start, shared = j, tail
    return start, {k: v for k, v in styles[start].items() if k in shared} if shared else {}


def _declarations(style: bytes) -> dict[str, str]:
    pairs = (part.split(":", 1) for part in style.decode("ascii").split(";") if ":" in part)
    return {name.strip(): value.strip() for name, value in pairs}


def _stroke_reach(element: bytes) -> float:
    """How far a path's paint reaches beyond its outline, for a stroke past a miter
    join at SVG's default limit (4), plus a point: a path whose edge shares a
    pixel with its clip's edge is drawn lighter there with the clip (the two
    coverages multiply), so it keeps it."""
    if b"stroke" not in element or b"stroke: none" in element:
        return 1.0
    width = _STROKE_WIDTH.search(element)
    return 2.5 * (float(width.group(1)) if width else 1.0) + 1.0


def _relative_path(d: str, scale: int, digits: int) -> tuple[str, Box | None]:
    """matplotlib's absolute ``M L Q C z`` path as relative commands in whole units of
    ``1/scale`` (each coordinate is rounded once, so the error never accumulates),
    and the box of its points, which holds the curves they control."""
    tokens = _TOKEN.findall(d)
    out: list[str] = []
    x = y = start_x = start_y = 0
    xs: list[int] = []
    ys: list[int] = []
    previous = ""  # the command a bare number continues
    last = ""  # the text written last, to know whether a separator is needed
    i = 0
    while i < len(tokens):
        command = tokens[i].upper()
        if command not in _PAIRS:
            raise ValueError(f"unexpected path data from matplotlib: {tokens[i]!r}")
        i += 1
        if command == "Z":
            out.append("z")
            x, y, previous, last = start_x, start_y, "", "z"
            continue
        while i < len(tokens) and tokens[i].upper() not in _PAIRS:
            letter = command.lower()
            if letter != previous or letter == "m":
                out.append(letter)
                last = letter
            numbers = []
            for _ in range(_PAIRS[command]):
                px, py = round(float(tokens[i]) * scale), round(float(tokens[i + 1]) * scale)
                i += 2
                xs.append(px)
                ys.append(py)
                numbers += [px - x, py - y]
            # Control points are relative to the segment's start; the end point
            # becomes the next segment's start.
            x, y = x + numbers[-2], y + numbers[-1]
            if command == "M":
                start_x, start_y = x, y
            for value in numbers:
                text = _number(value, digits)
                # A number needs a space before it unless its sign or, after a
                # number with a point, its own point starts a new one.
                if last and last[-1] not in "mlqcz" and not text.startswith("-") and \
                        not (text.startswith(".") and "." in last):
                    out.append(" ")
                out.append(text)
                last = text
            previous = "l" if command == "M" else command.lower()
    bounds = (min(xs) / scale, min(ys) / scale, max(xs) / scale, max(ys) / scale) if xs else None
    return "".join(out), bounds


def _number(units: int, digits: int) -> str:
    """``units`` hundredths (for 2 digits) as the shortest decimal: 150 -> "1.5",
    -5 -> "-.05", 0 -> "0"."""
    sign = "-" if units < 0 else ""
    whole, frac = divmod(abs(units), 10 ** digits)
    text = str(whole)
    if frac:
        fraction = f"{frac:0{digits}d}".rstrip("0")
        text = f".{fraction}" if whole == 0 else f"{whole}.{fraction}"
    return sign + text if text != "0" else "0"


def dense_artists(figure: Figure) -> list[Artist]:
    """The artists of ``figure`` to draw as pixels: meshes (``pcolormesh``, a colour
    bar's gradient) and scatters of many points, which weigh a fraction as an
    image and look the same at twice the density. Everything else stays vectors:
    lines, arrows and text stay sharp at any zoom, and filled level sets and 3-D
    surfaces weigh less as the paths written here than as images of their
    shading (benchmarks/weight.py)."""
    found = []
    for axes in figure.axes:
        for artist in axes.get_children():
            dense = isinstance(artist, QuadMesh) or (
                isinstance(artist, PathCollection) and _points(artist) >= RASTER_POINTS)
            if dense and artist.get_visible() and not artist.get_rasterized():
                found.append(artist)
    return found


def _points(scatter: PathCollection) -> int:
    return int(np.shape(scatter.get_offsets())[0])


@contextlib.contextmanager
def dense_as_pixels(figure: Figure) -> Iterator[None]:
    """For one save: the figure's dense artists rasterized, then as the cell left them."""
    artists = dense_artists(figure)
    for artist in artists:
        artist.set_rasterized(True)
    try:
        yield
    finally:
        for artist in artists:
            artist.set_rasterized(False)
