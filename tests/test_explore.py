"""Explore blocks (spec section 12), the build's side: options and their errors, the
first state (descent with momentum, tangent, gradient), the page's HTML, where the
static figure's axes stand, the browser-vs-numpy check and a whole build.

The browser's side (dragging, keys, sliders) is tests/browser/test_explore.py.
"""

from __future__ import annotations

import json
import math
import re
from html import unescape
from pathlib import Path

import matplotlib
import numpy as np
import pytest

import gradsite.expr.agreement
from gradsite.check.functions import check_functions
from gradsite.diagnostics import Diagnostic, Location
from gradsite.execute.figures import CSS_DPI, save_figure
from gradsite.execute.plan import figure_key
from gradsite.expr import CompiledFunction
from gradsite.expr.agreement import browser_disagreements
from gradsite.load import load_chapter
from gradsite.markup.explore import ExplorerView, number_text, render_explorer
from gradsite.markup.outputs import FigureView
from gradsite.model import ExploreSpec
from gradsite.plots.draw import draw_explorer
from gradsite.plots.explore import descent_iterates, explore_state, parse_explore
from gradsite.scan import scan_body
from gradsite.style import HOUSE_STYLE
from tests.coursekit import build_problems, build_site, chapter, make_course, only, where
from tests.svg_ticks import svg_ticks

CH = "content/01-a/01-b.md"
FUNCTIONS = (
    "functions:\n"
    "  f:\n"
    "    expr: x**2 + 3*y**2\n"
    "    gradient: [2*x, 6*y]\n"
    "    domain: [[-3, 3], [-2, 2]]\n"
    "  g:\n"
    "    expr: x**3 - 3*x\n"
    "    domain: [[-2.5, 2.5]]\n"
    "  q:\n"
    "    expr: 2*x**2 + y**2\n"
    "    domain: [[-3, 3], [-3, 3]]\n"
    "  w: x*y*z\n"
)
FENCE = 18  # the line of the ```explore fence; options start on the next line


def explore_of(
    tmp_path: Path, options: str
) -> tuple[ExploreSpec | None, list[Diagnostic], dict[str, CompiledFunction]]:
    path = tmp_path / CH
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("---\ntitle: T\n" + FUNCTIONS + "---\nText.\n\n```explore\n" + options
                    + "```\n", encoding="utf-8")
    loaded, problems = load_chapter(path, 1, "b")
    assert problems == [] and loaded is not None
    scanned, problems = scan_body(loaded.body, Location(loaded.display_path, loaded.body_line))
    assert problems == []
    (block,) = (b for b in scanned.blocks if b.kind == "explore")
    compiled, _ = check_functions(loaded)
    spec, problems = parse_explore(block, loaded, compiled)
    return spec, problems, compiled


def spec_of(tmp_path: Path, options: str) -> tuple[ExploreSpec, dict[str, CompiledFunction]]:
    spec, problems, functions = explore_of(tmp_path, options)
    assert problems == [], [p.format() for p in problems]
    assert spec is not None
    return spec, functions


def message_of(tmp_path: Path, options: str) -> tuple[str, str, str]:
    """(path:line, message, hint) of the one problem of a block."""
    _, problems, _ = explore_of(tmp_path, options)
    problem = only(problems)
    return where(problem), problem.message, problem.hint


# --- options and defaults --------------------------------------------------------------


def test_the_fence_line_of_the_fixture(tmp_path: Path) -> None:
    assert message_of(tmp_path, "kind: tangent\n")[0] == f"{CH}:{FENCE}"


def test_defaults_by_the_number_of_variables(tmp_path: Path) -> None:
    descent, _ = spec_of(tmp_path, "function: f\n")
    assert (descent.kind, descent.domain, descent.start) == (
        "descent", ((-3.0, 3.0), (-2.0, 2.0)), (1.8, 1.2))
    assert (descent.rate, descent.rate_range, descent.steps, descent.momentum) == (
        0.1, (0.001, 1.0), 20, None)
    tangent, _ = spec_of(tmp_path, "function: g\n")
    assert (tangent.kind, tangent.start) == ("tangent", (1.5,))
    assert tangent.alt == ("Graph of g(x) for x from -2.5 to 2.5, with its tangent line at "
                           "x = 1.5, of slope 3.75.")


def test_every_option(tmp_path: Path) -> None:
    spec, _ = spec_of(tmp_path, (
        "function: f\nkind: descent\nstart: [2.5, -1.5]\nrate: 0.05\nrate_range: [0.01, 0.5]\n"
        "steps: 200\nmomentum: 0.5\nmomentum_range: [0, 0.9]\nlevels: 8\n"
        "domain: [[-4, 4], [-2, 2]]\ncaption: 'Descent on $f$.'\nalt: Ellipses.\n"
        "id: fig-descent\n"))
    assert (spec.start, spec.rate, spec.rate_range, spec.steps) == (
        (2.5, -1.5), 0.05, (0.01, 0.5), 200)
    assert (spec.momentum, spec.momentum_range, spec.levels, spec.domain) == (
        0.5, (0.0, 0.9), 8, ((-4.0, 4.0), (-2.0, 2.0)))
    assert (spec.caption, spec.alt, spec.id) == ("Descent on $f$.", "Ellipses.", "fig-descent")
    assert spec.caption_location == Location(CH, FENCE + 11)
    gradient, _ = spec_of(tmp_path, "function: f\nkind: gradient\nstart: [1, 1]\n"
                          "direction: -90\n")
    assert (gradient.kind, gradient.direction) == ("gradient", 270.0)
    tangent, _ = spec_of(tmp_path, "function: g\nstart: [-1]\n")
    assert tangent.start == (-1.0,)


@pytest.mark.parametrize(("options", "line", "message", "hint"), [
    ("function: f\nspeed: 2\n", FENCE + 2, "unknown key 'speed' in explore block", ""),
    ("function: f\nrat: 0.2\n", FENCE + 2, "unknown key 'rat' in explore block",
     "did you mean 'rate'?"),
    ("function: h\n", FENCE + 1, "unknown function 'h'", "the chapter declares f, g, q, w"),
    ("function: g\nkind: descent\n", FENCE + 2,
     "a descent explorer shows a function of two variables; g(x) has 1", "use kind: tangent"),
    ("function: f\nkind: tangent\n", FENCE + 2,
     "a tangent explorer shows a function of one variable; f(x, y) has 2",
     "use kind: descent or gradient"),
    ("function: w\n", FENCE + 1,
     "explorers show functions of one or two variables; w(x, y, z) has 3", ""),
    ("function: f\nkind: slope\n", FENCE + 2, "unknown explorer kind 'slope'", ""),
    ("function: f\nstart: [4, 0]\n", FENCE + 2,
     "start: (4, 0) is outside the explorer's domain [-3, 3] \N{MULTIPLICATION SIGN} [-2, 2]",
     "move the start into the domain, or widen 'domain'"),
    ("function: g\nstart: 3\n", FENCE + 2,
     "start: (3) is outside the explorer's domain [-2.5, 2.5]", ""),
    ("function: f\nstart: [1]\n", FENCE + 2,
     "start: expected a point [x, y] of 2 numbers, got [1]", ""),
    ("function: f\nrate_range: [0.5, 0.01]\n", FENCE + 2,
     "rate_range: the low end 0.5 is not below the high end 0.01", "write it as [0.01, 0.5]"),
    ("function: f\nrate_range: [0, 1]\n", FENCE + 2,
     "rate_range: a learning rate is positive; the range starts at 0", ""),
    ("function: f\nrate: 2\n", FENCE + 2,
     "rate: 2 is outside its slider's range [0.001, 1] (the default)",
     "set rate_range to a range that holds it"),
    ("function: f\nrate: 0.6\nrate_range: [0.01, 0.5]\n", FENCE + 2,
     "rate: 0.6 is outside its slider's range [0.01, 0.5]", ""),
    ("function: f\nmomentum: 1.2\n", FENCE + 2,
     "momentum: 1.2 is outside its slider's range [0, 0.99] (the default)", ""),
    ("function: f\nmomentum_range: [0.2, 1.5]\n", FENCE + 2,
     "momentum_range: momentum lies from 0 up to (not including) 1; got [0.2, 1.5]", ""),
    ("function: f\nsteps: 500\n", FENCE + 2,
     "steps: expected a whole number from 1 to 200, got 500", ""),
    ("function: f\ndomain: [[1, -1], [0, 1]]\n", FENCE + 2,
     "domain[0]: expected [low, high] with low < high, got [1, -1]", ""),
    ("function: g\ndirection: 30\n", FENCE + 2,
     "'direction' is an option of gradient explorers, not of tangent explorers", ""),
    ("function: f\nkind: gradient\nmomentum: 0.5\n", FENCE + 3,
     "'momentum' is an option of descent explorers, not of gradient explorers", ""),
])
def test_errors_at_their_line(
    tmp_path: Path, options: str, line: int, message: str, hint: str
) -> None:
    at, said, hinted = message_of(tmp_path, options)
    assert (at, said) == (f"{CH}:{line}", message)
    if hint:
        assert hinted.startswith(hint)


def test_all_errors_of_a_block_at_once(tmp_path: Path) -> None:
    _, problems, _ = explore_of(tmp_path, "function: f\nspeed: 1\nrate: 5\nsteps: 0\n")
    assert [where(p) for p in problems] == [f"{CH}:{FENCE + n}" for n in (2, 4, 3)] or sorted(
        where(p) for p in problems) == [f"{CH}:{FENCE + n}" for n in (2, 3, 4)]
    assert len(problems) == 3


# --- the first state -------------------------------------------------------------------


def heavy_ball(gradient, start, rate, momentum, steps, domain):  # type: ignore[no-untyped-def]
    """Gradient descent with momentum, written out independently of the module."""
    x, v, path = np.array(start, dtype=float), np.zeros(len(start)), [tuple(start)]
    for _ in range(steps):
        v = momentum * v - rate * np.asarray(gradient(*x))
        x = x + v
        if not all(lo <= c <= hi for c, (lo, hi) in zip(x, domain, strict=True)):
            return path, True
        path.append(tuple(x))
    return path, False


def test_descent_with_momentum_is_the_heavy_ball_method(tmp_path: Path) -> None:
    spec, functions = spec_of(tmp_path, "function: f\nstart: [2.5, -1.5]\nrate: 0.05\n"
                              "momentum: 0.7\nsteps: 60\n")
    path, diverged = descent_iterates(spec, functions["f"])
    expected, _ = heavy_ball(lambda x, y: (2 * x, 6 * y), (2.5, -1.5), 0.05, 0.7, 60,
                             spec.domain)
    assert not diverged and len(path) == 61
    np.testing.assert_allclose(path, expected, rtol=1e-12, atol=1e-15)
    state = explore_state(spec, functions["f"])
    readouts = dict(state.readouts)
    x, y = path[-1]
    assert readouts["point"] == path[-1]
    assert readouts["value"] == pytest.approx(x**2 + 3 * y**2)
    assert readouts["norm"] == pytest.approx(math.hypot(2 * x, 6 * y))
    assert readouts["taken"] == 60


def test_a_rate_too_large_diverges_when_the_iterates_leave_the_view(tmp_path: Path) -> None:
    # On 2x**2 the step multiplies x by 1 - 4 * rate: -1.4 for 0.6, so |x| grows.
    spec, functions = spec_of(tmp_path, "function: q\nstart: [1, 0]\nrate: 0.6\nsteps: 30\n")
    state = explore_state(spec, functions["q"])
    xs = [p[0] for p in state.path]
    assert state.diverged
    assert xs == pytest.approx([(-1.4) ** k for k in range(len(xs))])
    assert abs(xs[-1]) <= 3 < 1.4 * abs(xs[-1])  # the next one would leave [-3, 3]
    assert "leave the view after 3 steps" in spec.alt
    calm, _ = spec_of(tmp_path, "function: q\nstart: [1, 0]\nrate: 0.2\nsteps: 30\n")
    assert not explore_state(calm, functions["q"]).diverged


def test_tangent_and_gradient_readouts(tmp_path: Path) -> None:
    tangent, functions = spec_of(tmp_path, "function: g\nstart: -0.5\n")
    assert dict(explore_state(tangent, functions["g"]).readouts) == pytest.approx(
        {"x": -0.5, "value": -0.125 + 1.5, "slope": 0.75 - 3}, rel=1e-6)
    gradient, _ = spec_of(tmp_path, "function: f\nkind: gradient\nstart: [1, 1]\n"
                          "direction: 90\n")
    readouts = dict(explore_state(gradient, functions["f"]).readouts)
    assert readouts["gradient"] == (2.0, 6.0)
    assert readouts["derivative"] == pytest.approx(6.0)  # straight up: the y component
    assert readouts["angle"] == pytest.approx(math.degrees(math.atan2(2, 6)))


# --- the figure and the page -------------------------------------------------------------


@pytest.mark.parametrize(("options", "function"), [
    ("function: f\nkind: gradient\n", "f"),
    ("function: f\nkind: descent\ndomain: [[-1, 5], [-2, 1]]\n", "f"),
    ("function: g\n", "g"),
])
def test_the_saved_figure_says_where_its_axes_are(
    tmp_path: Path, options: str, function: str
) -> None:
    """Every tick that matplotlib drew sits where the box puts its value."""
    spec, functions = spec_of(tmp_path, options)
    with matplotlib.rc_context(HOUSE_STYLE):  # as the worker draws: cropped, text as text
        figure, axes = draw_explorer(spec, functions[function])
        output = save_figure(figure, "svg", axes)
    box = output.axes
    assert box is not None and box.x == spec.domain[0]
    (width, height), x_ticks, y_ticks = svg_ticks(output.data.decode())
    assert len(x_ticks) >= 4 and len(y_ticks) >= 4
    (x0, x1), (y0, y1) = box.x, box.y
    for value, x in x_ticks:
        assert (box.left + (value - x0) / (x1 - x0) * box.width) * width == pytest.approx(
            x, abs=0.01)
    for value, y in y_ticks:
        assert (box.top + (y1 - value) / (y1 - y0) * box.height) * height == pytest.approx(
            y, abs=0.01)
    # The page gives the image its CSS size: the same shares of it.
    assert output.width == round(width * CSS_DPI / 72)


def view_of(tmp_path: Path, options: str) -> tuple[ExplorerView, dict[str, object]]:
    spec, functions = spec_of(tmp_path, options)
    view = ExplorerView(4, spec, functions[spec.function].vars,
                        FigureView("figures/b-1.svg", spec.alt, 600, 400),
                        (50.0, 10.0, 500.0, 350.0), spec.domain[0],
                        spec.domain[1] if len(spec.domain) == 2 else (-10.0, 10.0),
                        explore_state(spec, functions[spec.function]))
    html = render_explorer(view, "Figure 1: <em>caption</em>", "fig-x")
    match = re.search(r'data-explore="([^"]*)"', html)
    assert match is not None
    return view, {"html": html, "settings": json.loads(unescape(match.group(1)))}


def test_the_page_holds_the_first_state(tmp_path: Path) -> None:
    view, page = view_of(tmp_path, "function: f\nstart: [2, -1]\nrate: 0.1\nsteps: 5\n"
                         "momentum: 0.5\n")
    html, settings = str(page["html"]), page["settings"]
    assert isinstance(settings, dict)
    assert settings["box"] == [50.0, 10.0, 500.0, 350.0]
    assert (settings["rate"], settings["rateLog"], settings["momentum"]) == (0.1, True, 0.5)
    # The path's first point is the start, mapped into the box: x from -3 to 3 over
    # 500 px from 50, y from 2 down to -2 over 350 px from 10.
    points = re.search(r'class="explore-path"[^>]*points="([^"]*)"', html)
    assert points is not None
    first = [float(v) for v in points.group(1).split()[0].split(",")]
    assert first == pytest.approx([50 + 5 / 6 * 500, 10 + 3 / 4 * 350], abs=0.006)
    assert len(points.group(1).split()) == 6
    assert re.search(r'<circle class="explore-point" cx="466.67" cy="272.5" r="7"/>', html)
    # Controls show the settings, disabled until the script runs; the log slider
    # speaks the rate, not its logarithm.
    assert ('<label class="explore-control-name" for="explore-4-rate">Learning rate</label>'
            '<input type="range" id="explore-4-rate" name="rate" min="-3" max="0" step="any" '
            'value="-1" aria-valuetext="0.1" disabled><output for="explore-4-rate">0.1</output>'
            in html)
    assert 'name="momentum" min="0" max="0.99" step="any" value="0.5" disabled' in html
    assert 'name="steps" min="1" max="200" step="1" value="5" disabled' in html
    readouts = dict(view.state.readouts)
    x, y = readouts["point"]  # type: ignore[misc]
    assert f'data-readout="point">({x:.2f}, {y:.2f})</dd>' in html
    assert '<figure class="figure explore explore-descent" id="fig-x"' in html
    assert "<figcaption>Figure 1: <em>caption</em></figcaption>" in html
    assert 'aria-live="polite" data-explore-announce' in html


def test_authored_text_is_escaped(tmp_path: Path) -> None:
    _, page = view_of(tmp_path, "function: f\nalt: '<b>\"x\" & y</b>'\n")
    assert 'alt="&lt;b&gt;&quot;x&quot; &amp; y&lt;/b&gt;"' in str(page["html"])


def test_readout_numbers_as_the_script_writes_them() -> None:
    assert number_text(-0.0001, 2) == "0.00"
    assert number_text(-0.01, 2) == "-0.01"
    assert number_text(1234567.0, 2) == "1.235e+6"
    assert number_text(-2.5e-7, 3) == "0.000"
    assert number_text(math.nan, 2) == number_text(math.inf, 2) == "\N{EM DASH}"
    # toFixed and toExponential round a tie away from zero, Python's format to even
    assert number_text(1.125, 2) == "1.13" and number_text(-0.375, 2) == "-0.38"
    assert number_text(0.25, 1) == "0.3" and number_text(1234500.0, 2) == "1.235e+6"


def test_the_figure_depends_on_what_it_draws_only(tmp_path: Path) -> None:
    spec, _ = spec_of(tmp_path, "function: f\nrate: 0.1\n")
    moved, _ = spec_of(tmp_path, "function: f\nrate: 0.3\nstart: [0, 1]\ncaption: Other.\n")
    zoomed, _ = spec_of(tmp_path, "function: f\ndomain: [[-1, 1], [-1, 1]]\n")
    assert figure_key(spec) == figure_key(moved) != figure_key(zoomed)


# --- the browser's functions against numpy ------------------------------------------------


def test_the_generated_javascript_agrees_with_numpy(tmp_path: Path) -> None:
    _, functions = spec_of(tmp_path, "function: f\n")
    for name in ("f", "g", "q", "w"):  # declared and numerical gradients
        assert browser_disagreements(functions[name]) == []


def test_a_disagreement_stops_the_build_at_the_explorer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = gradsite.expr.agreement.functions_module

    def off_by_a_little(functions):  # type: ignore[no-untyped-def]
        # A compiler bug: every value of the first function 1e-6 too large.
        return re.sub(r"(function \([^)]*\) \{\s*return )", r"\g<1>1e-6 + ", real(functions),
                      count=1)

    monkeypatch.setattr(gradsite.expr.agreement, "functions_module", off_by_a_little)
    content = make_course(tmp_path, {"01-a/01-b.md": chapter(
        body="Text.\n\n```explore\nfunction: f\ncaption: C.\n```\n",
        functions={"f": {"expr": "x**2 + y**2", "gradient": ["2*x", "2*y"]}})})
    problem = only(build_problems(content, tmp_path / "site"))
    assert where(problem) == "content/01-a/01-b.md:12"  # the fence, after 9 lines of front matter
    assert problem.message.startswith("the page's JavaScript computes f differently from "
                                      "numpy at 32 check points, first at (")
    assert "bug in gradsite" in problem.hint


# --- a whole build ---------------------------------------------------------------------------


def test_a_course_with_explorers_builds(tmp_path: Path) -> None:
    body = ("As [](#fig-bowl) shows, descent slides down.\n\n"
            "```explore\nfunction: f\nmomentum: 0.5\ncaption: 'Descent on $f$.'\n"
            "id: fig-bowl\n```\n\n"
            "```explore\nfunction: g\n```\n")
    content = make_course(tmp_path, {
        "01-a/01-b.md": chapter(body=body, functions={
            "f": {"expr": "x**2 + 2*y**2", "gradient": ["2*x", "4*y"]},
            "g": {"expr": "sin(x)", "domain": [[-3, 3]]}}),
        "01-a/02-c.md": chapter("Other", "No explorers.\n"),
    })
    site = build_site(content, tmp_path / "site")
    page = (site / "a/b.html").read_text(encoding="utf-8")
    assert page.count("data-explore=") == 2
    # The reference's preview shows the explorer's picture only.
    preview = page[page.index("<template"):]
    assert '<figure class="figure explore explore-descent">' in preview
    assert "explore-panel" not in preview and "data-explore" not in preview
    scripts = re.findall(r'<script src="([^"]+)" defer></script>', page)
    assert scripts == ["../assets/gradsite.js", "figures/b-functions.js", "../assets/explore.js"]
    module = (site / "a/figures/b-functions.js").read_text(encoding="utf-8")
    assert 'declare("f"' in module and 'declare("g"' in module
    assert (site / "assets/explore.js").is_file()
    assert "Figure 1.1.1" in page and 'href="#fig-bowl"' in page
    other = (site / "a/c.html").read_text(encoding="utf-8")
    assert "explore.js" not in other and "functions.js" not in other


def test_an_explorers_figure_is_drawn_once_and_then_taken_from_the_cache(
        tmp_path: Path) -> None:
    from gradsite.pipeline import BuildOptions, build

    content = make_course(tmp_path, {"01-a/01-b.md": "---\ntitle: T\n" + FUNCTIONS
                                     + "---\nText.\n\n```explore\nfunction: f\n```\n"})
    options = BuildOptions(content=content, out=tmp_path / "_site",
                           cache_dir=tmp_path / "cache", quiet=True)
    assert build(options).execution.chapters == 1
    page = content / "01-a/01-b.md"
    page.write_text(page.read_text().replace("Text.", "Edited text."))
    again = build(options).execution
    assert (again.chapters, again.figures) == (0, 1)
