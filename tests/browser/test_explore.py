"""Explorers in Chromium: the point is dragged, moved by keys and by touch, the
sliders change, and the page shows what Python computes.

One small course is built once for the module: a chapter with three explorers
(descent with a momentum slider, tangent, gradient with a numerical gradient).
The tests use the build's own files: its figures, its layer, ``assets/explore.js``
and the chapter's generated functions script.

- Where a pointer lands is checked against the static figure's own tick marks
  (matplotlib writes each tick's position and label into the SVG), not against
  the mapping the page uses.
- Paths and readouts are checked against the algorithm of the explorer
  contract, run here in Python on the chapter's numpy functions, and written
  as the contract writes numbers (JavaScript's ``toFixed``: the exact binary
  value rounded half away from zero).
- Before the reader touches anything the build's layer and readouts are what
  the script draws for the same settings.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterator
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext
from pathlib import Path
from typing import Any

import pytest

from gradsite.check.functions import check_functions
from gradsite.expr import CompiledFunction
from gradsite.load import load_chapter
from tests.browser.helpers import expect
from tests.browser.shipped import build_site
from tests.browser.test_accessibility import _check_both_schemes, axe_source  # noqa: F401 - a fixture
from tests.coursekit import chapter, make_course
from tests.svg_ticks import svg_ticks

PAGE = "basics/explore.html"
CHAPTER_FILE = "01-basics/01-explore.md"
FUNCTIONS = {
    # "2x^2-like": a learning rate of 0.6 multiplies x by 1 - 0.6*4 = -1.4 at each step
    "f": {"expr": "2*x**2 + y**2", "gradient": ["4*x", "2*y"], "domain": [[-3, 3], [-3, 3]]},
    "g": {"expr": "x**3 - 3*x", "gradient": ["3*x**2 - 3"], "domain": [[-2, 2]]},
    # no gradient declared: the page computes the numerical one
    "h": {"expr": "x**2 + x*y + 2*y**2 + 0.1*x**3", "domain": [[-2, 2], [-2, 2]]},
}
BODY = """\
Drag the start point and change the learning rate.

```explore
function: f
kind: descent
start: [2.5, -1.5]
rate: 0.1
steps: 30
momentum: 0.0
caption: Gradient descent on $f$.
id: fig-descent
```

Move the point along the graph.

```explore
function: g
start: 0.5
caption: The tangent of $g$.
id: fig-tangent
```

Turn the direction.

```explore
function: h
kind: gradient
start: [1.125, -0.75]
direction: 45
caption: The gradient of $h$.
id: fig-gradient
```

The end of the chapter: [](#fig-gradient) showed the gradient.
"""
DESCENT, TANGENT, GRADIENT = "#fig-descent", "#fig-tangent", "#fig-gradient"
EXPLORERS = (DESCENT, TANGENT, GRADIENT)
NO_VALUE = "\N{EM DASH}"
_EXACT = Context(prec=400, rounding=ROUND_HALF_UP)


# --- the course, and what Python computes ------------------------------------------


@pytest.fixture(scope="module")
def content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_course(tmp_path_factory.mktemp("explore"), {
        "01-basics/_section.yml": "title: Basics\n",
        CHAPTER_FILE: chapter("Explorers", BODY, functions=FUNCTIONS),
    })


@pytest.fixture(scope="module")
def site(content: Path) -> Path:
    return build_site(content, content.parent / "www" / "course", content.parent / "cache")


@pytest.fixture(scope="module")
def functions(content: Path) -> dict[str, CompiledFunction]:
    """The chapter's functions as the build compiles them to numpy."""
    loaded, problems = load_chapter(content / CHAPTER_FILE, 1, "explore")
    assert loaded is not None, problems
    declared, problems = check_functions(loaded)
    assert not problems
    return declared


@pytest.fixture(scope="module")
def url(site: Path, serve_folder: Callable[[Path], Any]) -> Iterator[str]:
    with serve_folder(site) as root:
        yield root + PAGE


def to_fixed(value: float, places: int) -> str:
    """``value.toFixed(places)``, as JavaScript writes it."""
    return format(Decimal(value).quantize(Decimal(1).scaleb(-places), context=_EXACT), "f")


def significant(value: float) -> str:
    """Three significant digits (descent's value and gradient size): 0.00123, 1.23e-7."""
    if value == 0:
        return "0"
    if not 1e-4 <= abs(value) < 1e6:
        with localcontext(_EXACT):
            return format(Decimal(value), ".2e")  # toExponential(2)
    return readout(value, max(0, 2 - math.floor(math.log10(abs(value)))))


def readout(value: float, places: int) -> str:
    """A number as the explorer contract shows it."""
    if not math.isfinite(value):
        return NO_VALUE
    if abs(value) >= 1e6:
        with localcontext(_EXACT):
            return format(Decimal(value), ".3e")  # toExponential(3): 1.235e+6
    text = to_fixed(value, places)
    return text[1:] if re.fullmatch(r"-0\.?0*", text) else text


def pair(point: tuple[float, float], places: list[int]) -> str:
    return f"({readout(point[0], places[0])}, {readout(point[1], places[1])})"


def descent(function: CompiledFunction, start: tuple[float, float], rate: float, steps: int,
            momentum: float, domain: list[list[float]]) -> tuple[list[tuple[float, float]], bool]:
    """The explorer contract's path, with numpy's gradient: the iterates, and whether
    they left the domain."""
    x, v, path = start, (0.0, 0.0), [start]
    for _ in range(steps):
        g = [float(c) for c in function.grad(*x)]
        v = (momentum * v[0] - rate * g[0], momentum * v[1] - rate * g[1])
        x = (x[0] + v[0], x[1] + v[1])
        if not all(math.isfinite(c) and lo <= c <= hi for c, (lo, hi) in zip(x, domain,
                                                                               strict=True)):
            return path, True
        path.append(x)
    return path, False


def to_layer(config: dict[str, Any], point: tuple[float, ...]) -> tuple[float, float]:
    left, top, width, height = config["box"]
    (x0, x1), (y0, y1) = config["x"], config["y"]
    return (left + (point[0] - x0) / (x1 - x0) * width,
            top + (y1 - point[1]) / (y1 - y0) * height)


def descent_readouts(function: CompiledFunction, config: dict[str, Any],
                     path: list[tuple[float, float]], diverged: bool) -> dict[str, str]:
    last = path[-1]
    g = [float(c) for c in function.grad(*last)]
    taken = len(path) - 1
    return {
        "point": pair(last, config["decimals"]),
        "value": significant(float(function.value(*last))),
        "norm": significant(math.hypot(*g)),
        "taken": str(taken),
        "status": (f"Diverged: the iterates left the view after {taken} "
                   f"step{'' if taken == 1 else 's'}." if diverged else ""),
    }


# --- the page --------------------------------------------------------------------------


def open_page(context: Any, url: str, live: bool = True, styles: str = "") -> Any:
    """The page, once its explorers are live (unless not ``live``); ``styles`` is CSS
    added to the site's (served so: a page without its script cannot add any)."""
    if styles:
        def with_styles(route: Any) -> None:
            response = route.fetch()
            route.fulfill(response=response, body=response.text() + styles)

        context.route("**/gradsite.css", with_styles)
    page = context.new_page()
    page.goto(url)
    if live:
        for selector in EXPLORERS:
            expect(page.locator(selector)).to_have_class(re.compile(r"\bis-live\b"))
    return page


def settings(page: Any, selector: str) -> dict[str, Any]:
    return json.loads(page.locator(selector).get_attribute("data-explore"))


def readouts(page: Any, selector: str) -> dict[str, str]:
    return page.locator(selector).evaluate(
        "f => Object.fromEntries([...f.querySelectorAll('[data-readout]')]"
        ".map(e => [e.dataset.readout, e.textContent]))")


def polyline(page: Any, selector: str) -> list[tuple[float, float]]:
    points = page.locator(f"{selector} .explore-path").get_attribute("points")
    return [(float(a), float(b)) for a, b in (p.split(",") for p in points.split())]


def assert_path(page: Any, selector: str, config: dict[str, Any],
                path: list[tuple[float, float]]) -> None:
    drawn = polyline(page, selector)
    expected = [to_layer(config, p) for p in path]
    assert len(drawn) == len(expected)
    for k, (got, want) in enumerate(zip(drawn, expected, strict=True)):
        # the layer writes hundredths of a pixel
        assert abs(got[0] - want[0]) <= 0.0051 and abs(got[1] - want[1]) <= 0.0051, (k, got, want)


def handle(page: Any, selector: str) -> Any:
    return page.locator(f"{selector} .explore-point")


def point_text(names: tuple[str, ...], point: tuple[float, ...], places: list[int]) -> str:
    return ", ".join(f"{n} = {readout(v, d)}" for n, v, d in zip(names, point, places,
                                                                 strict=True))


def set_slider(page: Any, selector: str, name: str, value: str) -> None:
    """Set a range input as a reader's drag would, and send its input event."""
    page.locator(f"{selector} input[name={name}]").evaluate(
        "(input, value) => { input.value = value;"
        " input.dispatchEvent(new Event('input', {bubbles: true})); }", value)


# --- where the static figure's ticks are ----------------------------------------------


def ticks(site: Path, page: Any, selector: str) -> dict[str, dict[float, float]]:
    """The figure's tick marks: for 'x' and 'y', {labelled value: position in the SVG's
    own units, as a fraction of its width or height}."""
    source = page.locator(f"{selector} .explore-view img").get_attribute("src")
    (width, height), x_ticks, y_ticks = svg_ticks(
        (site / "basics" / source).read_text(encoding="utf-8"))
    assert len(x_ticks) >= 3, x_ticks
    return {"x": {value: at / width for value, at in x_ticks},
            "y": {value: at / height for value, at in y_ticks}}


def tick_pixel(site: Path, page: Any, selector: str, x: float,
               y: float | None = None) -> tuple[float, float]:
    """Where on the screen the figure shows the data point (x, y), by its tick marks
    (y None: the middle of the image's height)."""
    marks = ticks(site, page, selector)
    img = picture(page.locator(f"{selector} .explore-view img"))
    fy = 0.5 if y is None else marks["y"][y]
    return img["x"] + marks["x"][x] * img["width"], img["y"] + fy * img["height"]


def picture(locator: Any) -> dict[str, float]:
    """Where an image draws its picture on the screen: its box inside any padding and
    border."""
    return locator.evaluate("""img => {
      const r = img.getBoundingClientRect(), s = getComputedStyle(img);
      const side = (name) =>
        parseFloat(s['padding' + name]) + parseFloat(s['border' + name + 'Width']);
      return {x: r.x + side('Left'), y: r.y + side('Top'),
              width: r.width - side('Left') - side('Right'),
              height: r.height - side('Top') - side('Bottom')};
    }""")


def assert_layer_on_picture(figure: Any) -> None:
    drawn = picture(figure.locator(".explore-view img"))
    layer = figure.locator(".explore-layer").bounding_box()
    # to a layout unit of the browser (1/64 px)
    assert all(abs(drawn[k] - layer[k]) <= 1 / 32 for k in drawn), (drawn, layer)


def center(box: dict[str, float]) -> tuple[float, float]:
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def coordinates(page: Any, selector: str) -> list[float]:
    """The point's coordinates as the page says them to a screen reader."""
    text = handle(page, selector).get_attribute("aria-valuetext")
    return [float(v) for v in re.findall(r"= (-?[\d.]+)", text)]


def drag(page: Any, start: tuple[float, float], end: tuple[float, float]) -> None:
    page.mouse.move(*start)
    page.mouse.down()
    page.mouse.move(*end, steps=4)
    page.mouse.up()


def check_drag_lands_on_ticks(site: Path, page: Any, selector: str, x: float,
                              y: float | None) -> None:
    """Drag the point onto the ticks' (x, y); it reads those coordinates, and its
    circle is under the pointer."""
    page.locator(selector).scroll_into_view_if_needed()
    target = tick_pixel(site, page, selector, x, y)
    drag(page, center(handle(page, selector).bounding_box()), target)
    img = picture(page.locator(f"{selector} .explore-view img"))
    config = settings(page, selector)
    # half a screen pixel, in data units, plus the readout's rounding
    slack = [0.5 / img["width"] * config["size"][0] / config["box"][2] * (hi - lo)
             + 0.5 * 10.0 ** -d for (lo, hi), d in zip([config["x"], config["y"]],
                                                       config["decimals"], strict=False)]
    got = coordinates(page, selector)
    assert abs(got[0] - x) <= slack[0], (got, x, slack)
    if y is not None:
        assert abs(got[1] - y) <= slack[1], (got, y, slack)
    circle = center(handle(page, selector).bounding_box())
    assert abs(circle[0] - target[0]) <= 0.5, (circle, target)
    if y is not None:
        assert abs(circle[1] - target[1]) <= 0.5, (circle, target)


# --- tests -------------------------------------------------------------------------------


def test_the_script_draws_what_the_build_drew_for_the_same_settings(
        new_context: Callable[..., Any], url: str) -> None:
    """The build computes the first view in Python; the page's script, given the same
    settings again (a slider's input event at its own value), draws the same thing."""
    page = open_page(new_context(), url)
    for selector, slider in ((DESCENT, "steps"), (GRADIENT, "direction")):
        figure = page.locator(selector)
        built = figure.locator(".explore-layer").inner_html(), readouts(page, selector)
        value = figure.locator(f"input[name={slider}]").input_value()
        set_slider(page, selector, slider, value)
        drawn = figure.locator(".explore-layer").inner_html(), readouts(page, selector)
        assert drawn == built, selector


def test_the_point_is_a_named_slider_and_the_controls_work(
        new_context: Callable[..., Any], url: str) -> None:
    page = open_page(new_context(), url)
    for selector, name in ((DESCENT, "Start point"), (TANGENT, "Point on the graph"),
                           (GRADIENT, "Point")):
        figure = page.locator(selector)
        point = figure.get_by_role("slider", name=name)
        expect(point).to_have_count(1)
        expect(point).to_have_attribute("tabindex", "0")
        expect(figure.locator(".explore-layer")).not_to_have_attribute("aria-hidden", "true")
        for control in figure.locator("input[type=range]").all():
            expect(control).to_be_enabled()
    expect(page.locator(f"{DESCENT} .explore-point")).to_have_attribute(
        "aria-valuetext", "x = 2.50, y = -1.50")
    # Tab reaches the first explorer's point after the page's earlier stops
    page.locator(f"{DESCENT} .explore-point").focus()
    page.keyboard.press("Tab")
    expect(page.locator(f"{DESCENT} input[name=rate]")).to_be_focused()


def test_dragging_with_the_mouse_reads_the_coordinates_under_the_pointer(
        new_context: Callable[..., Any], url: str, site: Path) -> None:
    page = open_page(new_context(viewport={"width": 1100, "height": 900}), url)
    check_drag_lands_on_ticks(site, page, DESCENT, 1.0, -1.0)
    check_drag_lands_on_ticks(site, page, GRADIENT, -1.0, 0.5)
    check_drag_lands_on_ticks(site, page, TANGENT, -1.0, None)
    expect(page.locator(f"{TANGENT} [data-readout=x]")).to_have_text(
        re.compile(r"^-1\.0\d$"))


def test_pressing_in_the_plot_moves_the_point_there_and_the_point_stays_in_its_domain(
        new_context: Callable[..., Any], url: str, site: Path, functions: Any) -> None:
    page = open_page(new_context(viewport={"width": 1100, "height": 900}), url)
    page.locator(DESCENT).scroll_into_view_if_needed()
    target = tick_pixel(site, page, DESCENT, -2.0, 2.0)
    page.mouse.click(*target)
    got = coordinates(page, DESCENT)
    assert abs(got[0] + 2.0) < 0.02 and abs(got[1] - 2.0) < 0.02, got
    # dragged far beyond the axes' corner, the point stops at the domain's corner
    img = page.locator(f"{DESCENT} .explore-view img").bounding_box()
    drag(page, target, (img["x"] + img["width"] + 200, img["y"] - 200))
    assert coordinates(page, DESCENT) == [3.0, 3.0]
    config = settings(page, DESCENT)
    path, diverged = descent(functions["f"], (3.0, 3.0), 0.1, 30, 0.0, config["domain"])
    assert_path(page, DESCENT, config, path)
    assert readouts(page, DESCENT) == descent_readouts(functions["f"], config, path, diverged)


def test_arrow_keys_move_the_point_by_a_step_and_shift_by_ten(
        new_context: Callable[..., Any], url: str, functions: Any) -> None:
    page = open_page(new_context(), url)
    config = settings(page, DESCENT)
    step = config["step"]
    point = handle(page, DESCENT)
    point.focus()
    point.press("ArrowRight")
    point.press("Shift+ArrowUp")
    point.press("ArrowDown")
    moved = (2.5 + 1 * step[0], -1.5 + 10 * step[1] + -1 * step[1])
    expect(point).to_have_attribute("aria-valuetext",
                                    point_text(("x", "y"), moved, config["decimals"]))
    path, diverged = descent(functions["f"], moved, 0.1, 30, 0.0, config["domain"])
    assert_path(page, DESCENT, config, path)
    assert readouts(page, DESCENT) == descent_readouts(functions["f"], config, path, diverged)

    # tangent: left and right (and down and up) move x; End goes to the domain's end
    config = settings(page, TANGENT)
    point = handle(page, TANGENT)
    point.focus()
    point.press("Shift+ArrowLeft")
    point.press("ArrowUp")
    a = 0.5 + -10 * config["step"][0] + 1 * config["step"][0]
    g = functions["g"]
    expected = {"x": readout(a, config["decimals"][0]),
                "value": readout(float(g.value(a)), config["valueDecimals"]),
                "slope": readout(float(g.grad(a)[0]), config["gradientDecimals"]),
                "status": ""}
    assert readouts(page, TANGENT) == expected
    # Its value as a slider, without the float's noise (0.13999999999999999 once)
    expect(point).to_have_attribute("aria-valuenow", repr(float(f"{a:.12g}")))
    tangent = page.locator(f"{TANGENT} .explore-tangent")
    line = [float(tangent.get_attribute(k)) for k in ("x1", "y1", "x2", "y2")]
    x0, x1 = config["x"]
    value, slope = float(g.value(a)), float(g.grad(a)[0])
    want = [*to_layer(config, (x0, value + slope * (x0 - a))),
            *to_layer(config, (x1, value + slope * (x1 - a)))]
    assert all(abs(p - q) <= 0.0051 for p, q in zip(line, want, strict=True)), (line, want)
    point.press("End")
    expect(page.locator(f"{TANGENT} [data-readout=x]")).to_have_text(
        readout(2.0, config["decimals"][0]))


def test_sliders_change_the_path_and_say_their_values(
        new_context: Callable[..., Any], url: str, functions: Any) -> None:
    page = open_page(new_context(), url)
    config = settings(page, DESCENT)
    assert config["rateLog"]
    set_slider(page, DESCENT, "rate", "-1.3")
    set_slider(page, DESCENT, "steps", "57")
    set_slider(page, DESCENT, "momentum", "0.5")
    rate = 0.05  # 10**-1.3 = 0.0501..., set as a learning rate of two significant digits
    figure = page.locator(DESCENT)
    expect(figure.locator("input[name=rate] + output")).to_have_text("0.05")
    expect(figure.locator("input[name=rate]")).to_have_attribute("aria-valuetext", "0.05")
    expect(figure.locator("input[name=steps] + output")).to_have_text("57")
    expect(figure.locator("input[name=momentum] + output")).to_have_text("0.5")
    path, diverged = descent(functions["f"], (2.5, -1.5), rate, 57, 0.5, config["domain"])
    assert not diverged
    assert_path(page, DESCENT, config, path)
    assert readouts(page, DESCENT) == descent_readouts(functions["f"], config, path, diverged)

    # the direction of the gradient explorer
    config = settings(page, GRADIENT)
    set_slider(page, GRADIENT, "direction", "200")
    expect(page.locator(f"{GRADIENT} output")).to_have_text("200\N{DEGREE SIGN}")
    expect(page.locator(f"{GRADIENT} input[name=direction]")).to_have_attribute(
        "aria-valuetext", "200 degrees")
    p = (1.125, -0.75)
    g = [float(c) for c in functions["h"].grad(*p)]
    theta = math.radians(200.0)
    u = (math.cos(theta), math.sin(theta))
    derivative = g[0] * u[0] + g[1] * u[1]
    angle = math.degrees(math.acos(max(-1.0, min(1.0, derivative / math.hypot(*g)))))
    places = config["gradientDecimals"]
    assert readouts(page, GRADIENT) == {
        "point": pair(p, config["decimals"]),
        "gradient": pair((g[0], g[1]), [places, places]),
        "derivative": readout(derivative, places),
        "angle": to_fixed(angle, 1) + "\N{DEGREE SIGN}",
        "status": "",
    }
    arrow = page.locator(f"{GRADIENT} .explore-direction-arrow")
    tip = [float(arrow.get_attribute(k)) for k in ("x2", "y2")]
    length = config["directionLength"]
    want = to_layer(config, (p[0] + length * u[0], p[1] + length * u[1]))
    assert abs(tip[0] - want[0]) <= 0.0051 and abs(tip[1] - want[1]) <= 0.0051, (tip, want)


def test_the_keys_step_a_learning_rate_and_a_momentum_through_round_values(
        new_context: Callable[..., Any], url: str, functions: Any) -> None:
    # A text names values such as 0.19: each is reached exactly, by key as by drag.
    page = open_page(new_context(), url)
    figure = page.locator(DESCENT)
    rate, momentum = figure.locator("input[name=rate]"), figure.locator("input[name=momentum]")
    shown = figure.locator("input[name=rate] + output")
    set_slider(page, DESCENT, "rate", repr(math.log10(0.1862)))
    expect(shown).to_have_text("0.19")
    rate.press("ArrowRight")
    expect(shown).to_have_text("0.2")
    rate.press("ArrowRight")
    expect(shown).to_have_text("0.21")
    for _ in range(12):
        rate.press("ArrowLeft")
    expect(shown).to_have_text("0.099")  # below 0.1 the steps are ten times finer
    rate.press("PageUp")  # ten steps: 0.1, 0.11, ..., 0.19
    expect(shown).to_have_text("0.19")
    expect(rate).to_have_attribute("aria-valuetext", "0.19")
    for _ in range(30):
        momentum.press("ArrowUp")
    expect(figure.locator("input[name=momentum] + output")).to_have_text("0.3")
    config = settings(page, DESCENT)
    path, diverged = descent(functions["f"], (2.5, -1.5), 0.19, 30, 0.3, config["domain"])
    assert readouts(page, DESCENT) == descent_readouts(functions["f"], config, path, diverged)


def test_a_first_step_out_of_the_view_is_said_so(new_context: Callable[..., Any],
                                                 url: str) -> None:
    page = open_page(new_context(), url)
    page.locator(f"{DESCENT} input[name=rate]").press("End")  # 1: x goes 2.5 -> -7.5
    assert readouts(page, DESCENT)["status"] == (
        "Diverged: the first step already left the view.")


def test_a_learning_rate_of_0_6_diverges(new_context: Callable[..., Any], url: str,
                                         functions: Any) -> None:
    page = open_page(new_context(), url)
    config = settings(page, DESCENT)
    step = config["step"]
    point = handle(page, DESCENT)
    for key in ("Shift+ArrowLeft", "Shift+ArrowLeft", "Shift+ArrowUp", "Shift+ArrowUp"):
        point.press(key)
    start = (2.5 + -10 * step[0] + -10 * step[0], -1.5 + 10 * step[1] + 10 * step[1])
    set_slider(page, DESCENT, "rate", repr(math.log10(0.6)))
    rate = 0.6
    path, diverged = descent(functions["f"], start, rate, 30, 0.0, config["domain"])
    assert diverged and len(path) > 2  # x grows by -1.4 each step, from about 1.3
    shown = readouts(page, DESCENT)
    assert shown["status"] == f"Diverged: the iterates left the view after {len(path) - 1} steps."
    assert shown == descent_readouts(functions["f"], config, path, diverged)
    assert_path(page, DESCENT, config, path)
    expect(page.locator(f"{DESCENT} .explore-status")).to_be_visible()


def test_touch_drags_the_point(new_context: Callable[..., Any], url: str, site: Path) -> None:
    page = open_page(new_context(has_touch=True, viewport={"width": 1100, "height": 900}), url)
    page.locator(GRADIENT).evaluate(
        "f => { window.pointerTypes = new Set(); f.addEventListener('pointerdown',"
        " e => window.pointerTypes.add(e.pointerType), true); }")
    page.locator(GRADIENT).scroll_into_view_if_needed()
    start = center(handle(page, GRADIENT).bounding_box())
    target = tick_pixel(site, page, GRADIENT, 0.0, -1.0)
    touch = page.context.new_cdp_session(page)
    touch.send("Input.dispatchTouchEvent",
               {"type": "touchStart", "touchPoints": [{"x": start[0], "y": start[1]}]})
    for k in range(1, 5):
        x = start[0] + (target[0] - start[0]) * k / 4
        y = start[1] + (target[1] - start[1]) * k / 4
        touch.send("Input.dispatchTouchEvent", {"type": "touchMove",
                                                "touchPoints": [{"x": x, "y": y}]})
    touch.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    assert page.evaluate("[...window.pointerTypes]") == ["touch"]
    got = coordinates(page, GRADIENT)
    assert abs(got[0] - 0.0) < 0.02 and abs(got[1] + 1.0) < 0.02, got
    # a tap moves the point to where it lands
    tap = tick_pixel(site, page, GRADIENT, 1.0, 1.0)
    page.touchscreen.tap(*tap)
    got = coordinates(page, GRADIENT)
    assert abs(got[0] - 1.0) < 0.02 and abs(got[1] - 1.0) < 0.02, got
    # a finger that moves on the plot, away from the point, scrolls the page
    swipe = tick_pixel(site, page, GRADIENT, -1.0, -1.0)
    scrolled = page.evaluate("window.scrollY")
    touch.send("Input.dispatchTouchEvent",
               {"type": "touchStart", "touchPoints": [{"x": swipe[0], "y": swipe[1]}]})
    for k in range(1, 9):
        touch.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [
            {"x": swipe[0], "y": swipe[1] - 25 * k}]})
    touch.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    page.wait_for_function(f"window.scrollY > {scrolled} + 50")
    assert coordinates(page, GRADIENT) == got


def test_the_live_region_speaks_once_after_a_burst_of_moves(
        new_context: Callable[..., Any], url: str) -> None:
    page = open_page(new_context(), url)
    region = page.locator(f"{GRADIENT} [data-explore-announce]")
    expect(region).to_have_attribute("aria-live", "polite")
    # 15 moves, 50 ms apart: each updates the visible readout at once, none speaks
    # until they stop
    changes = page.locator(GRADIENT).evaluate("""async figure => {
      const region = figure.querySelector('[data-explore-announce]');
      window.spoken = [];
      new MutationObserver(() => window.spoken.push(region.textContent))
        .observe(region, {childList: true, characterData: true, subtree: true});
      const point = figure.querySelector('.explore-point');
      const shown = figure.querySelector('[data-readout=point]');
      const seen = new Set();
      for (let i = 0; i < 15; i++) {
        point.dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowLeft', bubbles: true}));
        seen.add(shown.textContent);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return seen.size;
    }""")
    assert changes == 15
    page.wait_for_function("window.spoken.length > 0")
    page.wait_for_timeout(800)
    spoken = page.evaluate("window.spoken")
    assert len(spoken) == 1, spoken
    point = page.locator(f"{GRADIENT} [data-readout=point]").text_content()
    assert f"Point: {point}" in spoken[0]
    assert "Angle to the gradient:" in spoken[0]
    expect(region).to_have_text(spoken[0])


def test_without_javascript_the_figure_is_the_same_static_view(
        new_context: Callable[..., Any], url: str) -> None:
    viewport = {"width": 1000, "height": 900}
    static = open_page(new_context(java_script_enabled=False, viewport=viewport), url,
                       live=False)
    live = open_page(new_context(viewport=viewport), url)
    for selector in EXPLORERS:
        figure = static.locator(selector)
        expect(figure).not_to_have_class(re.compile(r"\bis-live\b"))
        expect(figure.locator(".explore-layer")).to_have_attribute("aria-hidden", "true")
        expect(figure.locator(".explore-point")).to_have_count(1)
        expect(figure.locator("figcaption")).to_be_visible()
        assert figure.locator("img").evaluate("i => i.complete && i.naturalWidth > 0")
        assert figure.locator("img").get_attribute("alt")
        for control in figure.locator("input[type=range]").all():
            expect(control).to_be_disabled()
        # Disabled sliders say why.
        note = figure.locator(".nojs-note")
        expect(note).to_have_text("Moving this figure needs JavaScript; without it, the "
                                  "figure shows the settings above.")
        expect(note).to_be_visible()
        expect(live.locator(selector + " .nojs-note")).to_be_hidden()
        assert_layer_on_picture(figure)
    # and the script changes no size: the figure and its parts keep their boxes (but
    # for the note, which only the page without the script shows: left out here)
    static = open_page(new_context(java_script_enabled=False, viewport=viewport), url,
                       live=False, styles=".nojs-note { display: none !important; }")
    for selector in EXPLORERS:
        for part in ("", " .explore-view", " .explore-panel", " figcaption"):
            off = static.locator(selector + part).bounding_box()
            on = live.locator(selector + part).bounding_box()
            assert (off["width"], off["height"]) == (on["width"], on["height"]), (selector, part)
            assert off["x"] == on["x"], (selector, part)
    assert static.locator(f"{DESCENT} .explore-path").get_attribute("points") == (
        live.locator(f"{DESCENT} .explore-path").get_attribute("points"))


def test_without_the_functions_the_figure_stays_static(
        new_context: Callable[..., Any], url: str) -> None:
    context = new_context()
    context.route(re.compile(r".*-functions\.js$"), lambda route: route.abort())
    page = open_page(context, url, live=False)
    page.wait_for_load_state("load")
    for selector in EXPLORERS:
        figure = page.locator(selector)
        expect(figure).not_to_have_class(re.compile(r"\bis-live\b"))
        expect(figure.locator(".explore-layer")).to_have_attribute("aria-hidden", "true")
        for control in figure.locator("input[type=range]").all():
            expect(control).to_be_disabled()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_layer_lies_on_the_image_in_both_schemes(
        new_context: Callable[..., Any], url: str, scheme: str) -> None:
    page = open_page(new_context(color_scheme=scheme), url)
    for selector in EXPLORERS:
        figure = page.locator(selector)
        assert_layer_on_picture(figure)
        view = figure.locator(".explore-view")
        paper = view.evaluate("v => getComputedStyle(v).backgroundColor")
        if scheme == "dark":
            assert paper == "rgb(255, 255, 255)"  # the figure's paper, around the image
            assert view.bounding_box()["width"] > figure.locator("img").bounding_box()["width"]


def test_no_serious_accessibility_violations_in_either_scheme(
        new_context: Callable[..., Any], url: str, axe_source: str) -> None:  # noqa: F811
    page = open_page(new_context(), url)
    handle(page, DESCENT).focus()
    page.keyboard.press("ArrowLeft")
    _check_both_schemes(page, axe_source, PAGE)


def test_at_375_pixels_the_explorers_fit_and_still_read_the_pointer(
        new_context: Callable[..., Any], url: str, site: Path) -> None:
    page = open_page(new_context(viewport={"width": 375, "height": 800}, has_touch=True), url)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    for selector in EXPLORERS:
        figure = page.locator(selector)
        assert_layer_on_picture(figure)
        img = figure.locator("img").bounding_box()
        assert img["x"] >= 0 and img["x"] + img["width"] <= 375
        for part in figure.locator(".explore-control, .explore-readouts > div").all():
            box = part.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= 375, (selector, box)
    check_drag_lands_on_ticks(site, page, DESCENT, -1.0, 2.0)
    check_drag_lands_on_ticks(site, page, TANGENT, 1.5, None)


def test_a_reference_previews_the_explorer_as_its_picture(
        new_context: Callable[..., Any], url: str) -> None:
    page = open_page(new_context(), url)
    link = page.locator("a.xref[href='#fig-gradient']")
    link.scroll_into_view_if_needed()
    link.hover()
    preview = page.locator(".xref-popover .explore")
    expect(preview).to_be_visible()
    page.wait_for_function(
        "() => document.querySelector('.xref-popover img').naturalWidth > 0")
    assert_layer_on_picture(preview)
    expect(preview.locator(".explore-point")).to_be_visible()
    expect(preview.locator(".explore-panel")).to_be_hidden()
    # Its path is clipped and its arrows have heads, as on the figure: what they
    # refer to is in the preview, under ids no other element of the page has.
    referred = preview.evaluate("""figure => {
      const found = [];
      for (const el of figure.querySelectorAll("[clip-path], [marker-end]")) {
        for (const name of ["clip-path", "marker-end"]) {
          const value = el.getAttribute(name);
          if (!value) continue;
          const id = value.slice(5, -1);
          found.push([id, figure.querySelectorAll("#" + CSS.escape(id)).length,
                      document.querySelectorAll("#" + CSS.escape(id)).length]);
        }
      }
      return found;
    }""")
    assert referred and all(inside == 1 and everywhere == 1
                            for _, inside, everywhere in referred), referred
