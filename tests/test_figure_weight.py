"""Lighter figure files (``execute/lighten.py``): the same drawing in fewer bytes.

Path data is checked against matplotlib's own to within the rounding, text
against matplotlib's own ``<text>`` elements, and the bytes against a second
save and a second build. That the renders look the same is the browser test's
part (``tests/browser/test_figure_weight.py``).
"""

from __future__ import annotations

import base64
import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import matplotlib
import numpy as np
import pytest
from matplotlib.figure import Figure
from PIL import Image

from gradsite.execute.figures import save_figure
from gradsite.execute.lighten import DIGITS, dense_artists, lighten_svg
from gradsite.expr import CompiledFunction
from gradsite.model import ExploreSpec
from gradsite.options import BuildOptions
from gradsite.pipeline import build
from gradsite.plots import PlotSpec, draw_plot
from gradsite.plots.draw import draw_explorer
from gradsite.style import HOUSE_STYLE
from tests.coursekit import chapter, make_course, parse_page, read_tree

SVG = "{http://www.w3.org/2000/svg}"
BOWL = CompiledFunction("f", ("x", "y"), "x**2 + 3*y**2", ("2*x", "6*y"),
                        ((-3.0, 3.0), (-2.0, 2.0)), "x^2 + 3y^2", ("2x", "6y"), True)
CUBIC = CompiledFunction("g", ("x",), "x**3 - 3*x", None, ((-2.5, 2.5),), "", (), False)


def _plot(kind: str, function: CompiledFunction, points: int) -> Callable[[], Figure]:
    return lambda: draw_plot(PlotSpec(function.name, kind, points, function.domain, "", ""),
                             function)


def _cell_figure() -> Figure:
    """What a cell draws: lines with markers, a legend, mathtext, a big scatter."""
    figure = Figure(figsize=(7, 3))
    left, right = figure.subplots(1, 2)
    x = np.linspace(0, 3, 50)
    left.plot(x, np.exp(-x), "o-", markersize=3, label=r"$e^{-x}$")
    left.plot(x, np.cos(x), "--", label="cos x")
    left.legend()
    left.set_title("Loss per step")
    points = np.random.default_rng(0).normal(size=(800, 2))
    right.scatter(points[:, 0], points[:, 1], s=4)
    right.set_xlabel("first coordinate")
    return figure


FIGURES: dict[str, Callable[[], Figure]] = {
    "contour": _plot("contour", BOWL, 10),
    "surface": _plot("surface", BOWL, 25),
    "descent": _plot("descent", BOWL, 30),
    "curve": _plot("curve", CUBIC, 120),
    "quiver": _plot("quiver", BOWL, 12),
    "cell": _cell_figure,
}


@pytest.fixture(autouse=True)
def house_style() -> object:
    with matplotlib.rc_context(HOUSE_STYLE):
        yield


def _texts(svg: bytes) -> list[str]:
    return ["".join(element.itertext()) for element in ET.fromstring(svg).iter(f"{SVG}text")]


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_every_text_of_a_figure_stays_text(name: str) -> None:
    reference = save_figure(FIGURES[name](), "svg", light=False).data
    light = save_figure(FIGURES[name](), "svg").data
    assert _texts(reference), name  # tick labels at least
    assert _texts(light) == _texts(reference)
    assert len(light) < len(reference)


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_the_same_figure_gives_the_same_bytes(name: str) -> None:
    assert save_figure(FIGURES[name](), "svg").data == save_figure(FIGURES[name](), "svg").data


# --- path data ----------------------------------------------------------------------

def absolute_points(d: str) -> list[tuple[float, float]]:
    """Every point of a path written by ``lighten_svg`` (relative ``m l q c z``) or by
    matplotlib (absolute ``M L Q C z``), in absolute coordinates."""
    points = []
    x = y = start_x = start_y = 0.0
    command = ""
    pairs = {"m": 1, "l": 1, "q": 2, "c": 3}
    at = 0
    tokens = re.findall(r"[a-zA-Z]|-?(?:\d+\.?\d*|\.\d+)", d)
    while at < len(tokens):
        if tokens[at].isalpha():
            command = tokens[at]
            at += 1
            if command in "zZ":
                x, y = start_x, start_y
                command = ""
            continue
        relative = command.islower()
        segment = []
        for _ in range(pairs[command.lower()]):
            px, py = float(tokens[at]), float(tokens[at + 1])
            at += 2
            segment.append((x + px, y + py) if relative else (px, py))
        points += segment
        x, y = segment[-1]
        if command in "mM":
            start_x, start_y = x, y
            command = "l" if relative else "L"
    return points


@pytest.mark.parametrize("name", ["contour", "surface", "cell"])
def test_path_data_is_matplotlibs_to_within_the_rounding(name: str) -> None:
    reference = ET.fromstring(save_figure(FIGURES[name](), "svg", light=False).data)
    light = ET.fromstring(lighten_svg(save_figure(FIGURES[name](), "svg", light=False).data))
    paths = [(a.get("d"), b.get("d")) for a, b in
             zip(reference.iter(f"{SVG}path"), light.iter(f"{SVG}path"), strict=True)]
    assert len(paths) > 20
    for before, after in paths:
        assert before is not None and after is not None
        assert len(after) <= len(before)
        exact, rounded = np.array(absolute_points(before)), np.array(absolute_points(after))
        assert exact.shape == rounded.shape
        assert np.abs(exact - rounded).max(initial=0) <= 0.5 * 10**-DIGITS + 1e-9


def test_numbers_are_written_short_and_unambiguous() -> None:
    svg = (b'<svg><path d="M 0 271.500001 \nL 469.500001 271.500001 \nL 469.500001 0 \nz\n'
           b'M 1 1 L 1.5 1.25 L 1.2 1.3 C 1 1 2 2 3 3 z" style="fill: #fff"/></svg>')
    # After z, a move is relative to where the closed subpath started: (0, 271.5).
    assert lighten_svg(svg) == (b'<svg><path d="m0 271.5 469.5 0 0-271.5z'
                                b'm1-270.5.5.25-.3.05c-.2-.3.8.7 1.8 1.7z" '
                                b'style="fill: #fff"/></svg>')
    assert absolute_points("m1 1 .5.25-.3.05c-.2-.3.8.7 1.8 1.7z") == [
        (1, 1), (1.5, 1.25), (1.2, 1.3), (1.0, 1.0), (2.0, 2.0), (3.0, 3.0)]


def test_a_clip_goes_only_from_a_path_inside_it_with_its_stroke() -> None:
    clip = (b'<defs><clipPath id="p1"><rect x="10" y="10" width="100" height="50"/>'
            b"</clipPath></defs>")

    def path(d: bytes, style: bytes) -> bytes:
        return b'<path d="' + d + b'" clip-path="url(#p1)" style="' + style + b'"/>'

    inside = path(b"M 20 20 L 30 30 z", b"fill: #f00")
    crossing = path(b"M 20 20 L 130 30 z", b"fill: #f00")
    stroke_crossing = path(b"M 20 11 L 30 30", b"fill: none; stroke: #000; stroke-width: 2")
    light = lighten_svg(b"<svg>\n" + b"\n".join([inside, crossing, stroke_crossing]) + b"\n"
                        + clip + b"\n</svg>")
    lines = light.split(b"\n")
    assert b"clip-path" not in lines[1]
    assert b"clip-path" in lines[2] and b"clip-path" in lines[3]


def test_a_style_shared_by_a_run_of_paths_is_written_once() -> None:
    facets = [f'  <path d="M {i} 0 L {i + 1} 0 L {i} 1 z" style="fill: #{i:02d}0000; stroke: '
              f'#ffffff; stroke-opacity: 0.25; stroke-width: 0.2; stroke-linejoin: miter"/>'
              for i in range(4)]
    light = lighten_svg(("<svg>\n" + "\n".join(facets) + "\n</svg>").encode()).decode()
    assert light.split("\n")[1] == ('  <g style="stroke: #ffffff; stroke-opacity: 0.25; '
                                    'stroke-width: 0.2">')
    # matplotlib's style sheet sets the join on every element, so it stays on each.
    assert light.split("\n")[2] == ('  <path d="m0 0 1 0-1 1z" style="fill: #000000; '
                                    'stroke-linejoin: miter"/>')
    assert light.split("\n")[-2] == "  </g>"
    assert light.count("<path") == 4



def test_a_run_is_grouped_from_the_first_path_whose_rest_shares_a_style() -> None:
    def styled(i: int, stroke: str) -> str:
        return f'  <path d="M {i} 0 L {i + 1} 1" style="stroke: {stroke}"/>'

    # Two arrows of their own colours, then four alike, then two alone again under
    # another indent: only the four share a group, and every path keeps its order.
    lines = ([styled(0, "#ff0000"), styled(1, "#00ff00")]
             + [styled(i, "#0000ff") for i in range(2, 6)]
             + ["    " + styled(i, "#0000ff") for i in range(6, 8)])
    light = lighten_svg(("<svg>\n" + "\n".join(lines) + "\n</svg>").encode()).decode()
    out = light.split("\n")
    assert out[1:3] == ['  <path d="m0 0 1 1" style="stroke: #ff0000"/>',
                        '  <path d="m1 0 1 1" style="stroke: #00ff00"/>']
    assert out[3] == '  <g style="stroke: #0000ff">'
    assert out[4:8] == [f'  <path d="m{i} 0 1 1"/>' for i in range(2, 6)]
    assert out[8] == "  </g>"
    assert out[9:11] == [f'      <path d="m{i} 0 1 1" style="stroke: #0000ff"/>'
                         for i in (6, 7)]


# --- what is drawn as pixels ----------------------------------------------------------

def test_only_meshes_and_big_scatters_become_pixels() -> None:
    figure = Figure()
    ax, other = figure.subplots(1, 2)
    many = ax.scatter(np.arange(600), np.arange(600))
    ax.scatter(np.arange(10), np.arange(10))
    ax.contourf(np.arange(60), np.arange(60), np.add.outer(np.arange(60), np.arange(60)) ** 0.5)
    ax.plot(np.arange(5000), np.arange(5000))
    x, y = np.meshgrid(np.arange(4), np.arange(4))
    mesh = other.pcolormesh(x, y, x * y)
    assert dense_artists(figure) == [many, mesh]
    svg = save_figure(figure, "svg").data
    assert svg.count(b"<image") == 2  # the two of them, and nothing else
    assert svg.count(b"<path") > 30  # the level sets, the line, the small scatter's marker
    assert not many.get_rasterized() and not mesh.get_rasterized()  # as the cell left them


def test_pixels_in_an_svg_are_at_twice_the_css_density() -> None:
    figure = Figure(figsize=(4, 3))
    ax = figure.add_subplot()
    ax.scatter(*np.random.default_rng(2).normal(size=(2, 1000)))
    svg = ET.fromstring(save_figure(figure, "svg").data)
    (image,) = svg.iter(f"{SVG}image")
    href = image.get("{http://www.w3.org/1999/xlink}href") or ""
    pixels = Image.open(io.BytesIO(base64.b64decode(href.split(",", 1)[1])))
    css_width = float(image.get("width") or 0) * 96 / 72  # the SVG's units are points
    assert pixels.width == pytest.approx(2 * css_width, abs=2)


def test_an_explorers_axes_stand_where_they_did() -> None:
    spec = ExploreSpec("f", "descent", BOWL.domain, "", "", start=(2.5, 1.5))
    figure, axes = draw_explorer(spec, BOWL)
    light = save_figure(figure, "svg", axes)
    figure, axes = draw_explorer(spec, BOWL)
    assert light.axes == save_figure(figure, "svg", axes, light=False).axes
    assert light.axes is not None and light.width > 0


# --- in a built site ------------------------------------------------------------------

CELLS = """\
```{python}
#| alt: Loss against step, falling
#| format: png
import matplotlib.pyplot as plt
import numpy as np
plt.plot(np.arange(10), np.exp(-np.arange(10)))
plt.title("Loss")
```

```{python}
#| alt: A cloud of points around the origin
import matplotlib.pyplot as plt
import numpy as np
points = np.random.default_rng(0).normal(size=(2, 700))
plt.scatter(*points)
plt.title("Samples")
```

```{python}
#| alt: The same cloud, later
plt.scatter(*points, s=2)
```
"""


def test_figures_in_a_built_site_have_sizes_alt_and_the_same_bytes_twice(
    tmp_path: Path
) -> None:
    content = make_course(tmp_path, {"01-a/01-b.md": chapter("B", CELLS)})
    sites = []
    for name in ("one", "two"):
        build(BuildOptions(content=content, out=tmp_path / name, jobs=1,
                           cache_dir=tmp_path / f"cache-{name}", quiet=True))
        sites.append(read_tree(tmp_path / name))
    assert sites[0] == sites[1]
    page = parse_page(sites[0]["a/b.html"].decode())
    images = [attrs for tag, attrs in page.tags if tag == "img"]
    assert [Path(i["src"]).suffix for i in images] == [".png", ".svg", ".svg"]
    for image in images:
        assert int(image["width"]) > 100 and int(image["height"]) > 100
        assert image["alt"]
    # The first figure loads at once, those further down when they come near.
    assert ["loading" in image for image in images] == [False, True, True]
    assert images[2]["loading"] == "lazy"
    svg = sites[0]["a/figures/b-2.svg"]
    assert b"<image" in svg and _texts(svg)
