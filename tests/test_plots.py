"""Plot blocks (spec section 5): options with their errors, alt text, and each kind's figure.

Blocks come from real chapter files through the fence scanner, so errors are
asserted at the ``path:line`` an author sees. Figures are checked for their
axes and artists, and drawn twice to show they are byte-for-byte the same.
"""

from __future__ import annotations

import io
import pickle
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from matplotlib.collections import PolyCollection
from matplotlib.contour import ContourSet
from matplotlib.figure import Figure
from matplotlib.quiver import Quiver
from mpl_toolkits.mplot3d import Axes3D
from mpl_toolkits.mplot3d.art3d import Poly3DCollection

import gradsite.plots
from gradsite.check.functions import check_functions
from gradsite.diagnostics import Diagnostic, Location
from gradsite.execute.plan import figure_key
from gradsite.expr import CompiledFunction
from gradsite.i18n import course_words
from gradsite.load import load_chapter
from gradsite.plots import PlotSpec, descent_path, draw_plot, parse_plot
from gradsite.scan import scan_body
from tests.coursekit import only, where

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
    "  w: x*y*z\n"
)
FENCE = 15  # the line of the ```plot fence; options start on the next line


def plot_of(
    tmp_path: Path, options: str, functions: str = FUNCTIONS
) -> tuple[PlotSpec | None, list[Diagnostic], dict[str, CompiledFunction]]:
    path = tmp_path / CH
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("---\ntitle: T\n" + functions + "---\nText.\n\n```plot\n" + options
                    + "```\n", encoding="utf-8")
    chapter, problems = load_chapter(path, 1, "b")
    assert problems == [] and chapter is not None
    scanned, problems = scan_body(chapter.body, Location(chapter.display_path, chapter.body_line))
    assert problems == []
    (block,) = (b for b in scanned.blocks if b.kind == "plot")
    compiled, _ = check_functions(chapter)
    spec, problems = parse_plot(block, chapter, compiled)
    return spec, problems, compiled


def spec_of(tmp_path: Path, options: str, functions: str = FUNCTIONS) -> PlotSpec:
    spec, problems, _ = plot_of(tmp_path, options, functions)
    assert problems == [], [p.format() for p in problems]
    assert spec is not None
    return spec


# --- options and defaults --------------------------------------------------------------


def test_the_fence_line_of_the_fixture(tmp_path: Path) -> None:
    _, problems, _ = plot_of(tmp_path, "kind: contour\n")
    assert where(only(problems)) == f"{CH}:{FENCE}"


def test_defaults_for_a_function_of_two_variables(tmp_path: Path) -> None:
    spec = spec_of(tmp_path, "function: f\n")
    assert (spec.function, spec.kind, spec.points, spec.domain, spec.caption) == (
        "f", "quiver", 20, ((-3.0, 3.0), (-2.0, 2.0)), "")
    assert spec.alt.startswith("Quiver plot of the gradient of f(x, y) for x from -3 to 3 "
                               "and y from -2 to 2: ")
    assert spec.location == Location(CH, FENCE)


def test_defaults_for_a_function_of_one_variable(tmp_path: Path) -> None:
    spec = spec_of(tmp_path, "function: g\n")
    assert (spec.kind, spec.points, spec.tangent_at) == ("curve", 400, ())
    assert spec.alt == "Graph of g(x) for x from -2.5 to 2.5."


def test_the_only_function_of_a_chapter_needs_no_name(tmp_path: Path) -> None:
    spec = spec_of(tmp_path, "", functions="functions:\n  h: sin(x)*cos(y)\n")
    assert (spec.function, spec.kind, spec.domain) == ("h", "quiver", ((-3.0, 3.0),) * 2)


def test_every_option_of_every_kind(tmp_path: Path) -> None:
    contour = spec_of(tmp_path, "function: f\nkind: contour\npoints: 8\nlevels: 6\n"
                      "normalize: true\ncaption: 'Level sets of $f$.'\nalt: Ellipses.\n")
    assert (contour.points, contour.levels, contour.normalize) == (8, 6, True)
    assert (contour.caption, contour.alt) == ("Level sets of $f$.", "Ellipses.")
    levels = spec_of(tmp_path, "function: f\nkind: contour\nlevels: [1, 2, 4.5]\n")
    assert levels.levels == (1.0, 2.0, 4.5)
    curve = spec_of(tmp_path, "function: g\nkind: curve\ntangent_at: [-2, 0, 1.5]\n"
                    "domain: [[-2, 2]]\npoints: 50\n")
    assert (curve.tangent_at, curve.domain, curve.points) == ((-2.0, 0.0, 1.5), ((-2.0, 2.0),),
                                                              50)
    descent = spec_of(tmp_path, "function: f\nkind: descent\nstart: [2.5, 1.5]\nrate: 0.1\n"
                      "steps: 30\n")
    assert (descent.start, descent.rate, descent.steps) == ((2.5, 1.5), 0.1, 30)
    assert spec_of(tmp_path, "function: f\nkind: descent\n").start == (1.8, 1.2)
    surface = spec_of(tmp_path, "function: f\nkind: surface\n")
    assert surface.points == 50


@pytest.mark.parametrize(
    ("options", "line", "message", "hint"),
    [
        ("function: f\nknd: contour\n", FENCE + 2, "unknown key 'knd' in plot block",
         "did you mean 'kind'?"),
        ("function: ff\n", FENCE + 1, "unknown function 'ff'", "did you mean 'f'?"),
        ("function: zz\n", FENCE + 1, "unknown function 'zz'", "the chapter declares f, g, w"),
        ("kind: contour\n", FENCE, "the plot block needs 'function: <name>'",
         "the chapter declares f, g, w"),
        ("function: g\nkind: contour\n", FENCE + 2,
         "a contour plot draws a function of two variables; g(x) has 1", "use kind: curve"),
        ("function: f\nkind: curve\n", FENCE + 2,
         "a curve plot draws a function of one variable; f(x, y) has 2", "quiver, contour"),
        ("function: w\n", FENCE + 1,
         "plots draw functions of one or two variables; w(x, y, z) has 3", "{python} cell"),
        ("function: f\nkind: heatmap\n", FENCE + 2, "unknown plot kind 'heatmap'",
         "valid kinds: "),
        ("function: f\nkind: countour\n", FENCE + 2, "unknown plot kind 'countour'",
         "did you mean 'contour'?"),
        ("function: f\npoints: 1000\n", FENCE + 2,
         "points: expected a whole number from 2 to 60, got 1000", ""),
        ("function: f\npoints: many\n", FENCE + 2, "points: expected a whole number", ""),
        ("function: f\npoints: 2.5\n", FENCE + 2, "points: expected a whole number", ""),
        ("function: f\ndomain: [[0, 1]]\n", FENCE + 2,
         "domain: expected one [low, high] for each of f(x, y)'s 2 variables",
         "[[-3, 3], [-3, 3]]"),
        ("function: f\ndomain:\n  - [1, 0]\n  - [0, 1]\n", FENCE + 3,
         "domain[0]: expected [low, high] with low < high, got [1, 0]", ""),
        ("function: g\ntangent_at:\n  - 0\n  - 5\n", FENCE + 4,
         "tangent_at[1]: expected a number from -2.5 to 2.5 (the domain), got 5", ""),
        ("function: g\ntangent_at: one\n", FENCE + 2, "tangent_at: expected a number", ""),
        ("function: f\nkind: contour\nstart: [1, 1]\n", FENCE + 3,
         "'start' is an option of descent plots, not of contour plots", ""),
        ("function: g\ntangent_at: [0]\nlevels: 5\n", FENCE + 3,
         "'levels' is an option of contour and descent plots, not of curve plots", ""),
        ("function: f\nkind: descent\nrate: -1\n", FENCE + 3,
         "rate: expected a positive number, got -1", ""),
        ("function: f\nkind: descent\nrate: fast\n", FENCE + 3, "rate: expected a positive", ""),
        ("function: f\nkind: descent\nsteps: 0\n", FENCE + 3,
         "steps: expected a whole number from 1 to 1000, got 0", ""),
        ("function: f\nkind: descent\nstart: [1]\n", FENCE + 3,
         "start: expected a point [x, y] of 2 numbers, got [1]", ""),
        ("function: f\nkind: contour\nlevels: [3, 1]\n", FENCE + 3,
         "levels: expected two or more increasing numbers", ""),
        ("function: f\nkind: contour\nlevels: 1\n", FENCE + 3,
         "levels: expected a whole number from 2 to 50", ""),
        ("function: f\nnormalize: maybe\n", FENCE + 2,
         "normalize: expected true or false, got 'maybe'", ""),
        ("function: f\ncaption: [a]\n", FENCE + 2, "caption: expected text", ""),
        ("- function: f\n", FENCE, "a plot block holds options", "function: f"),
        ("function: f\nkind: [contour\n", FENCE + 3, "invalid YAML", ""),
        ("function: f\nfunction: g\n", FENCE + 2, "duplicate key 'function'", ""),
    ],
)
def test_option_errors_name_the_line(tmp_path: Path, options: str, line: int, message: str,
                                     hint: str) -> None:
    spec, problems, _ = plot_of(tmp_path, options)
    problem = only(problems)
    assert where(problem) == f"{CH}:{line}"
    assert message in problem.message
    assert hint in problem.hint
    assert spec is None


def test_all_problems_of_a_block_are_reported_together(tmp_path: Path) -> None:
    _, problems, _ = plot_of(tmp_path, "function: f\ncolour: red\npoints: 0\nsteps: 3\n")
    assert [where(p) for p in problems] == [f"{CH}:{FENCE + n}" for n in (2, 4, 3)]


def test_a_plot_of_a_broken_function_adds_no_error_of_its_own(tmp_path: Path) -> None:
    spec, problems, compiled = plot_of(tmp_path, "function: b\n",
                                       functions="functions:\n  b: x ^ 2\n  c: x\n")
    assert (spec, problems, sorted(compiled)) == (None, [], ["c"])


def test_specs_are_plain_picklable_data(tmp_path: Path) -> None:
    spec = spec_of(tmp_path, "function: f\nkind: descent\n")
    copy = pickle.loads(pickle.dumps(spec))
    assert copy == spec and repr(copy) == repr(spec)


def test_the_figure_key_ignores_what_is_not_drawn(tmp_path: Path) -> None:
    plain = spec_of(tmp_path, "function: f\nkind: contour\n")
    moved = replace(plain, location=Location(CH, 99), caption="The bowl.", alt="A bowl.")
    assert figure_key(plain) == figure_key(moved)
    assert figure_key(plain) != figure_key(spec_of(tmp_path, "function: f\nkind: contour\n"
                                                   "levels: 5\n"))
    assert "content/" not in figure_key(plain)


# --- alt text -------------------------------------------------------------------------


def test_default_alt_texts_are_sentences_about_kind_function_and_domain(
    tmp_path: Path,
) -> None:
    contour = spec_of(tmp_path, "function: f\nkind: contour\n").alt
    assert contour.startswith("Contour plot of f(x, y) for x from -3 to 3 and y from -2 to 2")
    surface = spec_of(tmp_path, "function: f\nkind: surface\n").alt
    assert surface == ("Surface plot of f(x, y) for x from -3 to 3 and y from -2 to 2, "
                       "coloured by height; the values range from 0 to 21.")
    curve = spec_of(tmp_path, "function: g\ntangent_at: [-2, -1, 0, 1.5]\n").alt
    assert curve == ("Graph of g(x) for x from -2.5 to 2.5, with tangent lines at "
                     "x = -2, -1, 0 and 1.5.")
    for alt in (contour, surface, curve):
        assert alt[0].isupper() and alt.endswith(".")


def test_descent_alt_says_where_the_path_ends(tmp_path: Path) -> None:
    spec = spec_of(tmp_path, "function: f\nkind: descent\nstart: [2.5, 1.5]\nrate: 0.1\n"
                   "steps: 30\n")
    assert spec.alt == (
        "Contour plot of f(x, y) for x from -3 to 3 and y from -2 to 2 with the path of "
        "gradient descent from (2.5, 1.5), learning rate 0.1, for 30 steps, ending at "
        "(0.003, 0) where f = 9.58e-06.")


def test_descent_alt_says_when_the_path_diverges(tmp_path: Path) -> None:
    spec = spec_of(tmp_path, "function: f\nkind: descent\nrate: 1\nsteps: 200\n")
    assert "the iterates diverge, leaving every bound after" in spec.alt


def test_descent_path_follows_the_gradient(tmp_path: Path) -> None:
    spec = spec_of(tmp_path, "function: f\nkind: descent\nstart: [2.0, 1.0]\nrate: 0.1\n"
                   "steps: 5\n")
    _, _, compiled = plot_of(tmp_path, "function: f\n")
    path = descent_path(spec, compiled["f"])
    k = np.arange(6)
    assert np.allclose(path, np.stack([2.0 * 0.8**k, 1.0 * 0.4**k], axis=1))


# --- drawing --------------------------------------------------------------------------


def bowl() -> CompiledFunction:
    return CompiledFunction("f", ("x", "y"), "x**2 + 3*y**2", ("2*x", "6*y"),
                            ((-3.0, 3.0), (-2.0, 2.0)), "x^2 + 3y^2", ("2x", "6y"), True)


def cubic() -> CompiledFunction:
    return CompiledFunction("g", ("x",), "x**3 - 3*x", None, ((-2.5, 2.5),), "", (), False)


def spec(kind: str, function: CompiledFunction, **options: Any) -> PlotSpec:
    points = {"quiver": 9, "contour": 7, "surface": 12, "curve": 60, "descent": 40}[kind]
    return PlotSpec(function.name, kind, points, function.domain, "", "", **options)


def png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=40, metadata={"Software": None})
    return buffer.getvalue()


def test_quiver(tmp_path: Path) -> None:
    figure = draw_plot(spec("quiver", bowl()), bowl())
    ax = figure.axes[0]
    (arrows,) = [c for c in ax.collections if isinstance(c, Quiver)]
    assert arrows.N == 81
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_aspect()) == ("$x$", "$y$", 1.0)
    assert len(ax.child_axes) == 1  # the colour bar of the arrows' size
    assert figure.get_size_inches().tolist() == [6.4, 4.2]


def test_quiver_arrows_fit_their_cell_and_normalize_evens_them() -> None:
    plain = draw_plot(spec("quiver", bowl()), bowl()).axes[0].collections[0]
    assert isinstance(plain, Quiver)
    lengths = np.hypot(plain.U, plain.V) / plain.scale
    spacing = 4.0 / 8  # the shorter side over the arrows per axis - 1
    assert lengths.max() == pytest.approx(0.9 * spacing)
    even = draw_plot(spec("quiver", bowl(), normalize=True), bowl()).axes[0].collections[0]
    assert isinstance(even, Quiver)
    even_lengths = np.hypot(even.U, even.V)[np.hypot(even.U, even.V) > 0] / even.scale
    assert np.allclose(even_lengths, 0.9 * spacing)


def test_contour_has_labelled_levels_and_arrows() -> None:
    figure = draw_plot(spec("contour", bowl()), bowl())
    ax = figure.axes[0]
    contours = [c for c in ax.collections if isinstance(c, ContourSet)]
    assert len(contours) == 2  # filled and lines
    assert any(isinstance(c, Quiver) for c in ax.collections)
    assert len(ax.texts) >= 3  # the level labels
    assert ax.get_aspect() == 1.0
    levels = draw_plot(spec("contour", bowl(), levels=(1.0, 4.0)), bowl()).axes[0]
    assert [list(c.levels) for c in levels.collections if isinstance(c, ContourSet)][1] == [
        1.0, 4.0]


def test_surface_is_3d() -> None:
    figure = draw_plot(spec("surface", bowl()), bowl())
    ax = figure.axes[0]
    assert isinstance(ax, Axes3D)
    assert any(isinstance(c, Poly3DCollection) for c in ax.collections)
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_zlabel()) == ("$x$", "$y$", "$f(x, y)$")


def test_curve_has_tangent_lines_with_dots_and_a_legend() -> None:
    figure = draw_plot(spec("curve", cubic(), tangent_at=(-1.0, 1.5)), cubic())
    ax = figure.axes[0]
    legend = ax.get_legend()
    assert legend is not None
    labels = [t.get_text() for t in legend.get_texts()]
    assert labels == ["$g(x)$", "tangent at $x$ = \N{MINUS SIGN}1, slope 0",
                      "tangent at $x$ = 1.5, slope 3.75"]
    tangent = next(line for line in ax.lines if str(line.get_label()).endswith("slope 3.75"))
    xs, ys = tangent.get_data()
    assert np.allclose(ys, 1.5**3 - 4.5 + 3.75 * (np.asarray(xs) - 1.5))
    dots = [line for line in ax.lines if line.get_marker() == "o"]
    assert [d.get_data() for d in dots] == [([-1.0], [2.0]), ([1.5], [1.5**3 - 4.5])]


def test_descent_draws_the_path_over_contours_with_start_and_end() -> None:
    plot = spec("descent", bowl(), start=(2.5, 1.5), rate=0.1, steps=10)
    figure = draw_plot(plot, bowl())
    ax = figure.axes[0]
    assert any(isinstance(c, ContourSet) for c in ax.collections)
    by_label = {str(line.get_label()): line for line in ax.lines}
    path = by_label["gradient descent"]
    assert np.allclose(np.column_stack(path.get_data()), descent_path(plot, bowl()))
    assert by_label["start (2.5, 1.5)"].get_marker() == "o"
    end = next(line for label, line in by_label.items() if label.startswith("end after 10 steps"))
    assert end.get_marker() == "*"
    legend = ax.get_legend()
    assert legend is not None and len(legend.get_texts()) == 3


def test_a_legend_is_in_the_courses_language_with_its_decimal_mark() -> None:
    german = course_words("de", None, Location("course.yml"))[0]
    plot = replace(spec("descent", bowl(), start=(2.5, 1.5), rate=0.1, steps=10), words=german)
    labels = [t.get_text() for t in draw_plot(plot, bowl()).axes[0].get_legend().get_texts()]
    assert labels[:2] == ["Gradientenverfahren", "Start (2,5; 1,5)"]
    assert labels[2].startswith("Ende nach 10 Schritten (")
    curve = replace(spec("curve", cubic(), tangent_at=(1.5,)), words=german)
    labels = [t.get_text() for t in draw_plot(curve, cubic()).axes[0].get_legend().get_texts()]
    assert labels == ["$g(x)$", "Tangente bei $x$ = 1,5, Steigung 3,75"]


def singular(kind: str) -> CompiledFunction:
    """A function with a pole, undefined on part of its domain (log of x <= 0)."""
    if kind == "curve":
        return CompiledFunction("r", ("x",), "1/x + log(x + 1)", None, ((-2.0, 2.0),), "", (),
                                False)
    return CompiledFunction("p", ("x", "y"), "1/(x**2 + y**2) + log(x + 1)", None,
                            ((-2.0, 2.0),) * 2, "", (), False)


@pytest.mark.parametrize("kind", ["quiver", "contour", "surface", "curve", "descent"])
def test_every_kind_is_deterministic_also_for_singular_functions(kind: str) -> None:
    # Warnings are errors in this test run: a numpy warning about the pole or
    # the undefined half would fail here.
    function = singular(kind)
    options = {"tangent_at": (0.5,)} if kind == "curve" else {"start": (1.5, 1.5)}
    plot = spec(kind, function, **({} if kind in ("quiver", "surface") else options))
    first, second = png(draw_plot(plot, function)), png(draw_plot(plot, function))
    assert first[:8] == b"\x89PNG\r\n\x1a\n"
    assert first == second


@pytest.mark.parametrize("kind", ["quiver", "contour", "surface", "descent"])
def test_a_constant_function_draws(kind: str) -> None:
    function = CompiledFunction("c", ("x", "y"), "0*x + 1", None, ((-2.0, 2.0),) * 2, "", (),
                                False)
    ax = draw_plot(spec(kind, function), function).axes[0]
    assert not [c for c in ax.collections if isinstance(c, ContourSet)]


def test_a_constant_curve_gets_a_readable_band() -> None:
    function = CompiledFunction("c", ("x",), "2 + 0*x", None, ((-2.0, 2.0),), "", (), False)
    ax = draw_plot(spec("curve", function), function).axes[0]
    low, high = ax.get_ylim()
    assert low < 2 < high and high - low > 1


def test_a_curve_through_a_pole_is_cut_there() -> None:
    function = CompiledFunction("r", ("x",), "1/x", None, ((-3.0, 3.0),), "", (), False)
    ax = draw_plot(spec("curve", function, tangent_at=(1.0,)), function).axes[0]
    low, high = ax.get_ylim()
    assert -20 < low < -5 and 5 < high < 20
    xs, ys = (np.asarray(v, dtype=float) for v in ax.lines[0].get_data())
    cut = np.flatnonzero(np.isnan(ys))
    assert len(cut) == 1 and xs[cut[0] - 1] < 0 < xs[cut[0] + 1]


def test_drawing_uses_no_pyplot_state() -> None:
    folder = Path(gradsite.plots.__file__).parent
    source = "".join(p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.py")))
    assert "import pyplot" not in source and "matplotlib.pyplot" not in source
    assert not any(isinstance(c, PolyCollection) and c.figure is None
                   for c in draw_plot(spec("contour", bowl()), bowl()).axes[0].collections)


def test_the_worker_side_modules_load_no_builder_libraries() -> None:
    # Cell workers import gradsite.expr (function_namespace) and gradsite.plots
    # (draw_plot); they must stay free of KaTeX, Markdown and Jinja.
    import subprocess
    import sys

    probe = ("import sys, gradsite.expr, gradsite.plots.draw\n"
             "print(sorted(m for m in ('jinja2', 'markdown', 'pykatex', 'matplotlib.pyplot')"
             " if m in sys.modules))")
    repo = Path(gradsite.plots.__file__).parents[2]
    done = subprocess.run([sys.executable, "-c", probe], cwd=repo, capture_output=True,
                          text=True, timeout=60, check=True)
    assert done.stdout.strip() == "[]"


def test_an_option_of_another_kind_is_one_error_even_with_a_bad_value(tmp_path: Path) -> None:
    _, problems, _ = plot_of(tmp_path, "function: f\nkind: contour\nrate: -1\n")
    assert only(problems).message == "'rate' is an option of descent plots, not of contour plots"


def test_the_builder_side_of_plots_loads_no_matplotlib() -> None:
    # The builder parses plot blocks on every build; drawing is the workers' job.
    import subprocess
    import sys

    probe = ("import sys, gradsite.plots\n"
             "print(sorted(m for m in sys.modules if m.split('.')[0] == 'matplotlib'))")
    repo = Path(gradsite.plots.__file__).parents[2]
    done = subprocess.run([sys.executable, "-c", probe], cwd=repo, capture_output=True,
                          text=True, timeout=60, check=True)
    assert done.stdout.strip() == "[]"


# --- nothing to draw ----------------------------------------------------------------


def undefined(vars_: tuple[str, ...], gradient: tuple[str, ...] | None = None) -> CompiledFunction:
    expr = "sqrt(-1 - x**2 - y**2)" if len(vars_) == 2 else "sqrt(-1 - x**2)"
    return CompiledFunction("u", vars_, expr, gradient, ((-2.0, 2.0),) * len(vars_), "", (),
                            False)


@pytest.mark.parametrize("kind", ["quiver", "contour", "surface", "curve", "descent"])
def test_a_function_undefined_on_the_whole_domain_is_an_error_not_an_empty_figure(
    kind: str,
) -> None:
    from gradsite.plots.draw import NothingToDraw

    function = undefined(("x",) if kind == "curve" else ("x", "y"))
    options = {"start": (1.0, 1.0)} if kind == "descent" else {}
    with pytest.raises(NothingToDraw) as raised:
        draw_plot(spec(kind, function, **options), function)
    assert str(raised.value).startswith(
        "u is undefined or infinite at every point of the plot's domain [-2, 2]")


def test_arrows_of_a_gradient_undefined_everywhere_are_an_error() -> None:
    from gradsite.plots.draw import NothingToDraw

    function = CompiledFunction("h", ("x", "y"), "x + y", ("sqrt(-1 - x**2)", "sqrt(-1 - y**2)"),
                                ((-2.0, 2.0),) * 2, "", (), False)
    with pytest.raises(NothingToDraw, match="the gradient of h is undefined"):
        draw_plot(spec("quiver", function), function)
    draw_plot(spec("surface", function), function)  # no arrows: drawn


def test_the_build_reports_an_empty_plot_at_its_line(tmp_path: Path) -> None:
    from tests.coursekit import build_problems, chapter, make_course

    content = make_course(tmp_path, {"01-a/01-b.md": chapter(
        "B", "Text.\n\n```plot\nfunction: u\nkind: contour\n```\n",
        functions={"u": {"expr": "sqrt(-1 - x**2 - y**2)"}})})
    problem = only(build_problems(content, tmp_path / "out"))
    assert (problem.location.line, problem.message) == (
        9, "the plot failed: u is undefined or infinite at every point of the plot's domain "
        "[-3, 3] \N{MULTIPLICATION SIGN} [-3, 3], so there is nothing to draw: choose a "
        "domain where it has values (the function's 'domain')")


def test_huge_coordinates_are_written_in_exponent_form() -> None:
    from gradsite.plots.spec import format_point

    assert format_point([1e308, -2.5], ((-3.0, 3.0), (-3.0, 3.0))) == "(1e+308, -2.5)"


# --- numbers in exponent form ---------------------------------------------------------


def test_numbers_in_exponent_form_are_numbers_in_domains_starts_and_tangents(
    tmp_path: Path,
) -> None:
    # YAML 1.1 reads 1e3, -1.5e3 and 1E2 (no dot, or no exponent sign) as text.
    functions = ("functions:\n"
                 "  f:\n    expr: x**2 + y**2\n    domain: [[-1.5e3, 1e3], [0, 1E2]]\n"
                 "  g:\n    expr: x**3\n    domain: [[-2e1, 2E1]]\n")
    spec = spec_of(tmp_path, "function: g\ntangent_at: [1e1, -1.5e0]\n", functions)
    assert spec.domain == ((-20.0, 20.0),)
    assert spec.tangent_at == (10.0, -1.5)
    spec = spec_of(tmp_path, "function: f\nkind: descent\nstart: [1e2, 5e1]\nrate: 1e-3\n"
                   "domain: [[-2e2, 2e2], [-1E2, 1e2]]\n", functions)
    assert spec.start == (100.0, 50.0)
    assert spec.rate == 0.001
    assert spec.domain == ((-200.0, 200.0), (-100.0, 100.0))
    _, _, compiled = plot_of(tmp_path, "function: f\n", functions)
    assert compiled["f"].domain == ((-1500.0, 1000.0), (0.0, 100.0))
    spec = spec_of(tmp_path, "function: f\nkind: descent\nsteps: 1e2\npoints: 5E1\n", functions)
    assert (spec.steps, spec.points) == (100, 50)
    assert isinstance(spec.steps, int)


def test_a_number_in_exponent_form_stays_as_written_where_text_is_meant(
    tmp_path: Path,
) -> None:
    path = tmp_path / CH
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("---\ntitle: 1e3\nquiz:\n  - question: Which?\n    choices:\n"
                    "      - 1e-3\n      - text: 2E5\n        correct: true\n"
                    "  - question: How many?\n    answer: 1e3\n---\nText.\n", encoding="utf-8")
    chapter, problems = load_chapter(path, 1, "b")
    assert problems == [] and chapter is not None
    assert chapter.title == "1e3"
    assert [c.text for c in chapter.quiz[0].choices] == ["1e-3", "2E5"]
    assert chapter.quiz[1].answer == 1000.0


def test_every_failing_plot_of_a_chapter_is_reported_also_after_a_failing_cell(
    tmp_path: Path,
) -> None:
    # Plots depend on no cell and on no other plot: one failure hid the rest.
    from tests.coursekit import build_problems, chapter, make_course

    body = ("```{python}\n1 / 0\n```\n\n"
            "```plot\nfunction: u\nkind: contour\n```\n\n"
            "```plot\nfunction: f\nkind: contour\n```\n\n"
            "```plot\nfunction: v\nkind: surface\n```\n")
    content = make_course(tmp_path, {"01-a/01-b.md": chapter("B", body, functions={
        "u": {"expr": "sqrt(-1 - x**2 - y**2)"}, "f": {"expr": "x**2 + y**2"},
        "v": {"expr": "log(-1 - x**2 - y**2)"}})})
    problems = build_problems(content, tmp_path / "out")
    assert [(p.location.line, p.message.split(":")[0]) for p in problems] == [
        (12, "the cell failed"), (15, "the plot failed"), (25, "the plot failed")]
