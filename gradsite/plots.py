"""Plot blocks (spec section 5): a fenced ``plot`` block's options -> a figure.

Two halves, on either side of the process boundary:

* ``parse_plot`` runs in the builder. It reads the block's YAML body with
  line marks, checks every option (unknown keys, unknown functions, a kind
  that does not fit the function, bad values: each an error at its line) and
  returns a :class:`PlotSpec`, plain picklable data with every default filled
  in, including the alt text.
* ``draw_plot`` runs in a worker. It draws a spec on a fresh
  ``matplotlib.figure.Figure`` (never pyplot's global state); the worker saves
  it. The same spec gives the same figure.

The options:

| option | kinds | meaning | default |
| --- | --- | --- | --- |
| ``function`` | all | the declared function to draw | the chapter's only function |
| ``kind`` | all | quiver, contour, surface, curve or descent | quiver (2 variables), curve (1) |
| ``points`` | all | how finely to sample (see below) | see below |
| ``domain`` | all | one ``[low, high]`` per variable | the function's domain |
| ``caption`` | all | Markdown with math, shown under the figure | none |
| ``alt`` | all | the figure's text alternative | a sentence describing the plot |
| ``tangent_at`` | curve | x values where tangent lines are drawn | none |
| ``start`` | descent | the first point of gradient descent | 80% towards the upper corner |
| ``rate`` | descent | the learning rate | 0.1 |
| ``steps`` | descent | the number of steps | 20 |
| ``levels`` | contour, descent | the number of level sets, or a list of values | 12 |
| ``normalize`` | quiver, contour | true: arrows of equal length, coloured by size | false |

``points`` is the number of arrows per axis for quiver (default 20, 2-60) and
contour plots (12, 2-40), the mesh size per axis of a surface (50, 5-150), the
number of samples of a curve (400, 10-5000), and the grid per axis behind the
level sets of a descent plot (150, 20-400).

Quiver, contour, surface and descent plots draw functions of two variables;
a curve draws a function of one.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from matplotlib import colormaps
from matplotlib.axes import Axes
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from .diagnostics import Diagnostic, Location, did_you_mean, error
from .execute.style import PALETTE
from .expr import CompiledFunction, function_name_latex, name_latex
from .model import Block, Chapter, Marks
from .yamlsrc import load_yaml

KINDS = ("quiver", "contour", "surface", "curve", "descent")
ALL = KINDS
_ONE_VARIABLE = ("curve",)
OPTIONS: dict[str, tuple[str, ...]] = {  # option -> the kinds it applies to
    "function": ALL,
    "kind": ALL,
    "points": ALL,
    "domain": ALL,
    "caption": ALL,
    "alt": ALL,
    "tangent_at": ("curve",),
    "start": ("descent",),
    "rate": ("descent",),
    "steps": ("descent",),
    "levels": ("contour", "descent"),
    "normalize": ("quiver", "contour"),
}
POINTS = {  # kind -> (default, least, most)
    "quiver": (20, 2, 60),
    "contour": (12, 2, 40),
    "surface": (50, 5, 150),
    "curve": (400, 10, 5000),
    "descent": (150, 20, 400),
}
DEFAULT_LEVELS = 12
DEFAULT_RATE = 0.1
DEFAULT_STEPS = 20
MAX_STEPS = 1000
FIGURE_SIZE = (6.4, 4.2)
CONTOUR_GRID = 160  # samples per axis behind the arrows of a contour plot
ARROW_FILL = 0.9  # the longest arrow spans this share of the arrow spacing
COLORMAP = "viridis"
# Arrows are coloured by size; viridis without its last, palest yellows stays
# visible on white.
ARROW_COLORMAP = ListedColormap(colormaps["viridis"](np.linspace(0.0, 0.88, 256)))
INK = "#1f2937"  # lines, labels and arrows drawn over colour


@dataclass(frozen=True)
class PlotSpec:
    """Everything needed to draw one plot block: plain, picklable, defaults filled in."""

    function: str
    kind: str
    points: int
    domain: tuple[tuple[float, float], ...]
    caption: str
    alt: str
    tangent_at: tuple[float, ...] = ()
    start: tuple[float, ...] = ()
    rate: float = DEFAULT_RATE
    steps: int = DEFAULT_STEPS
    levels: int | tuple[float, ...] = DEFAULT_LEVELS
    normalize: bool = False
    # The opening fence, for messages; not part of what is drawn.
    location: Location = field(default=Location(""), compare=False, repr=False)

    @property
    def figure_key(self) -> str:
        """Everything the figure depends on, for a cache key: the caption and the alt
        text are shown beside the figure, not drawn in it."""
        return repr(replace(self, caption="", alt=""))


# --- parsing ---------------------------------------------------------------


def parse_plot(
    block: Block, chapter: Chapter, functions: dict[str, CompiledFunction]
) -> tuple[PlotSpec | None, list[Diagnostic]]:
    """The spec of a ``plot`` block, or None and the problems found."""
    doc, problems = load_yaml(block.source, block.location.path, first_line=block.body_line)
    if doc is None:
        return None, problems
    options = {} if doc.value is None else doc.value
    if not isinstance(options, dict):
        return None, problems + [
            error(block.location, "a plot block holds options, one 'key: value' a line",
                  "for example:  function: f  and  kind: contour")
        ]
    reader = _OptionReader(block, chapter, doc.marks, options)
    spec = reader.read(functions)
    problems += reader.problems
    return (None if problems else spec), problems


class _OptionReader:
    """Checks the options of one plot block, collecting problems as it goes."""

    def __init__(self, block: Block, chapter: Chapter, marks: Marks, options: dict[str, Any]):
        self.block = block
        self.chapter = chapter
        self.marks = marks
        self.options = options
        self.problems: list[Diagnostic] = []

    def fail(self, key: str, message: str, hint: str = "") -> None:
        where = self.marks.at(key) if key in self.options or "[" in key else self.block.location
        self.problems.append(error(where, message, hint))

    def read(self, functions: dict[str, CompiledFunction]) -> PlotSpec | None:
        for key in self.options:
            if key not in OPTIONS:
                self.fail(key, f"unknown key '{key}' in plot block", did_you_mean(key, OPTIONS))
        function = self._function(functions)
        if function is None:
            return None
        kind = self._kind(function)
        if kind is None:
            return None
        for key in self.options:
            if key in OPTIONS and kind not in OPTIONS[key]:
                kinds = " and ".join(OPTIONS[key])
                self.fail(key, f"'{key}' is an option of {kinds} plots, not of {kind} plots")
        domain = self._domain(function)
        spec = PlotSpec(
            function=function.name,
            kind=kind,
            points=self._points(kind),
            domain=domain,
            caption=self._text("caption"),
            alt="",
            tangent_at=self._tangents(domain) if kind == "curve" else (),
            start=self._start(domain) if kind == "descent" else (),
            rate=self._positive("rate", DEFAULT_RATE) if kind == "descent" else DEFAULT_RATE,
            steps=(self._count("steps", DEFAULT_STEPS, 1, MAX_STEPS) if kind == "descent"
                   else DEFAULT_STEPS),
            levels=self._levels() if kind in OPTIONS["levels"] else DEFAULT_LEVELS,
            normalize=self._flag("normalize") if kind in OPTIONS["normalize"] else False,
            location=self.block.location,
        )
        if self.problems:
            return None
        alt = self._text("alt") or default_alt(spec, function)
        return replace(spec, alt=alt)

    # --- one method per option ----------------------------------------------

    def _function(self, functions: dict[str, CompiledFunction]) -> CompiledFunction | None:
        declared = [decl.name for decl in self.chapter.functions]
        name = self.options.get("function")
        if name is None:
            if len(declared) == 1:
                return functions.get(declared[0])
            hint = (f"the chapter declares {', '.join(declared)}" if declared else
                    "declare one under 'functions' in the front matter")
            self.fail("function", "the plot block needs 'function: <name>'", hint)
            return None
        if not isinstance(name, str) or name not in declared:
            hint = did_you_mean(str(name), declared) if declared else (
                "declare it under 'functions' in the front matter")
            if declared and not hint.startswith("did you mean"):
                hint = f"the chapter declares {', '.join(declared)}"
            self.fail("function", f"unknown function '{name}'", hint)
            return None
        # A declared function that failed its own checks is reported there.
        return functions.get(name)

    def _kind(self, function: CompiledFunction) -> str | None:
        count = len(function.vars)
        if count > 2:
            self.fail("function", f"plots draw functions of one or two variables; "
                      f"{function.signature} has {count}",
                      "draw it in a {python} cell, e.g. along a line or on a slice")
            return None
        kind = self.options.get("kind", "curve" if count == 1 else "quiver")
        if kind not in KINDS:
            self.fail("kind", f"unknown plot kind '{kind}'", did_you_mean(str(kind), KINDS))
            return None
        if (kind in _ONE_VARIABLE) != (count == 1):
            wanted = "one variable" if kind in _ONE_VARIABLE else "two variables"
            hint = "use kind: curve" if count == 1 else "use kind: quiver, contour, surface " \
                "or descent"
            self.fail("kind", f"a {kind} plot draws a function of {wanted}; "
                      f"{function.signature} has {count}", hint)
            return None
        return kind

    def _points(self, kind: str) -> int:
        default, least, most = POINTS[kind]
        return self._count("points", default, least, most)

    def _count(self, key: str, default: int, least: int, most: int) -> int:
        value = self.options.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or not least <= value <= most:
            self.fail(key, f"{key}: expected a whole number from {least} to {most}, got "
                      f"{_shown(value)}")
            return default
        return value

    def _positive(self, key: str, default: float) -> float:
        value = self.options.get(key, default)
        if not _is_number(value) or not 0 < value < math.inf:
            self.fail(key, f"{key}: expected a positive number, got {_shown(value)}")
            return default
        return float(value)

    def _flag(self, key: str) -> bool:
        value = self.options.get(key, False)
        if not isinstance(value, bool):
            self.fail(key, f"{key}: expected true or false, got {_shown(value)}")
            return False
        return value

    def _text(self, key: str) -> str:
        value = self.options.get(key, "")
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        if not isinstance(value, str):
            self.fail(key, f"{key}: expected text, got {_shown(value)}")
            return ""
        return value.strip()

    def _domain(self, function: CompiledFunction) -> tuple[tuple[float, float], ...]:
        value = self.options.get("domain")
        if value is None:
            return function.domain
        count = len(function.vars)
        if not isinstance(value, list) or len(value) != count:
            example = ", ".join(["[-3, 3]"] * count)
            self.fail("domain", f"domain: expected one [low, high] for each of "
                      f"{function.signature}'s {count} variable{'s' if count > 1 else ''}",
                      f"for example: domain: [{example}]")
            return function.domain
        pairs = []
        for i, pair in enumerate(value):
            if not (isinstance(pair, list) and len(pair) == 2 and all(map(_is_number, pair))
                    and math.isfinite(pair[0]) and math.isfinite(pair[1]) and pair[0] < pair[1]):
                self.fail(f"domain[{i}]", f"domain[{i}]: expected [low, high] with low < high, "
                          f"got {_shown(pair)}")
                return function.domain
            pairs.append((float(pair[0]), float(pair[1])))
        return tuple(pairs)

    def _tangents(self, domain: tuple[tuple[float, float], ...]) -> tuple[float, ...]:
        value = self.options.get("tangent_at", [])
        values = value if isinstance(value, list) else [value]
        low, high = domain[0]
        found: list[float] = []
        for i, item in enumerate(values):
            key = f"tangent_at[{i}]" if isinstance(value, list) else "tangent_at"
            if not _is_number(item) or not low <= item <= high:
                self.fail(key, f"{key}: expected a number from {_num(low)} to {_num(high)} "
                          f"(the domain), got {_shown(item)}")
                continue
            found.append(float(item))
        return tuple(found)

    def _start(self, domain: tuple[tuple[float, float], ...]) -> tuple[float, ...]:
        default = default_start(domain)
        value = self.options.get("start")
        if value is None:
            return default
        if not (isinstance(value, list) and len(value) == len(domain)
                and all(_is_number(v) and math.isfinite(v) for v in value)):
            self.fail("start", f"start: expected a point [x, y] of {len(domain)} numbers, "
                      f"got {_shown(value)}")
            return default
        return tuple(float(v) for v in value)

    def _levels(self) -> int | tuple[float, ...]:
        value = self.options.get("levels", DEFAULT_LEVELS)
        if isinstance(value, list):
            ok = len(value) >= 2 and all(_is_number(v) and math.isfinite(v) for v in value)
            if ok and all(a < b for a, b in zip(value, value[1:], strict=False)):
                return tuple(float(v) for v in value)
            self.fail("levels", "levels: expected two or more increasing numbers, got "
                      f"{_shown(value)}")
            return DEFAULT_LEVELS
        return self._count("levels", DEFAULT_LEVELS, 2, 50)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str):
        return f"'{value}'"
    return str(value)


def _num(value: float) -> str:
    """A number for a sentence: 3 significant digits, no '-0'."""
    text = f"{value:.3g}"
    return "0" if text in ("-0", "0") else text


# --- alt text ---------------------------------------------------------------


def default_alt(spec: PlotSpec, function: CompiledFunction) -> str:
    """A sentence that describes the plot: its kind, the function and the domain."""
    signature = function.signature
    over = _domain_phrase(function.vars, spec.domain)
    if spec.kind == "quiver":
        return (f"Quiver plot of the gradient of {signature} {over}: each arrow points "
                "uphill, in the direction of steepest ascent, and its length and colour "
                "show how steep the function is there.")
    if spec.kind == "contour":
        return (f"Contour plot of {signature} {over}: level sets of the function, with "
                "gradient arrows that cross them at right angles and point uphill.")
    if spec.kind == "surface":
        low, high = _value_range(spec, function)
        values = ""
        if math.isfinite(low) and high > low:
            values = (f"; the values range from {_rounded(low, high - low, 3)} to "
                      f"{_rounded(high, high - low, 3)}")
        return f"Surface plot of {signature} {over}, coloured by height{values}."
    if spec.kind == "curve":
        text = f"Graph of {signature} {over}"
        if spec.tangent_at:
            at = _listing([_num(t) for t in spec.tangent_at])
            text += f", with tangent lines at {function.vars[0]} = {at}"
        return text + "."
    return _descent_alt(spec, function, signature, over)


def _descent_alt(spec: PlotSpec, function: CompiledFunction, signature: str, over: str) -> str:
    path = descent_path(spec, function)
    start = _point(path[0], spec.domain)
    text = (f"Contour plot of {signature} {over} with the path of gradient descent from "
            f"{start}, learning rate {_num(spec.rate)}")
    taken = len(path) - 1
    if taken < spec.steps:
        return text + (f": the iterates diverge, leaving every bound after {taken} "
                       f"step{'s' if taken != 1 else ''}.")
    end = path[-1]
    value = float(function.value(*end))
    return text + (f", for {spec.steps} step{'s' if spec.steps != 1 else ''}, ending at "
                   f"{_point(end, spec.domain)} where {function.name} = {_num(value)}.")


def _domain_phrase(variables: tuple[str, ...], domain: tuple[tuple[float, float], ...]) -> str:
    parts = [f"{v} from {_num(low)} to {_num(high)}" for v, (low, high) in
             zip(variables, domain, strict=True)]
    return "for " + " and ".join(parts)


def _point(values: Any, domain: tuple[tuple[float, float], ...]) -> str:
    """``(0.003, 0)``: coordinates to a thousandth of the domain's size, the digits
    that a reader can see in the plot."""
    return "(" + ", ".join(
        _rounded(float(v), high - low) for v, (low, high) in zip(values, domain, strict=True)
    ) + ")"


def _rounded(value: float, scale: float, digits: int = 4) -> str:
    """``value`` to about ``digits`` significant digits of ``scale``."""
    decimals = max(0, digits - 1 - math.floor(math.log10(scale))) if scale > 0 else 3
    text = f"{value:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _listing(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _value_range(spec: PlotSpec, function: CompiledFunction) -> tuple[float, float]:
    x, y = _grid(spec.domain, spec.points)
    z = function.value(x, y)
    finite = z[np.isfinite(z)]
    if finite.size == 0:
        return math.nan, math.nan
    return float(finite.min()), float(finite.max())


# --- gradient descent ---------------------------------------------------------


def default_start(domain: tuple[tuple[float, float], ...]) -> tuple[float, ...]:
    """80% of the way from the domain's lower corner to its upper one."""
    return tuple(round(low + 0.8 * (high - low), 12) for low, high in domain)


def descent_path(spec: PlotSpec, function: CompiledFunction) -> np.ndarray:
    """The iterates ``x_{k+1} = x_k - rate * grad f(x_k)``, shape ``(k + 1, 2)``.

    The path stops early when an iterate is not finite or leaves a box a
    hundred times the size of the domain: the iteration diverges.
    """
    bound = 100.0 * max(max(abs(low), abs(high)) for low, high in spec.domain)
    point = np.array(spec.start or default_start(spec.domain), dtype=float)
    path = [point]
    for _ in range(spec.steps):
        point = point - spec.rate * function.grad(*point)
        if not np.all(np.isfinite(point)) or np.max(np.abs(point)) > bound:
            break
        path.append(point)
    return np.array(path)


# --- drawing -------------------------------------------------------------------


def draw_plot(spec: PlotSpec, function: CompiledFunction) -> Figure:
    """Draw ``spec`` on a new Figure; the same spec always gives the same figure."""
    figure = Figure(figsize=FIGURE_SIZE, layout="constrained")
    with np.errstate(all="ignore"):
        _DRAW[spec.kind](figure, spec, function)
    return figure


def _grid(domain: tuple[tuple[float, float], ...], count: int) -> tuple[np.ndarray, np.ndarray]:
    (x0, x1), (y0, y1) = domain
    return np.meshgrid(np.linspace(x0, x1, count), np.linspace(y0, y1, count))


def _math(text: str) -> str:
    return f"${text}$"


def _labels(ax: Axes, function: CompiledFunction) -> None:
    ax.set_xlabel(_math(name_latex(function.vars[0])))
    ax.set_ylabel(_math(name_latex(function.vars[1])))


def _call_latex(function: CompiledFunction) -> str:
    names = ", ".join(name_latex(v) for v in function.vars)
    return f"{function_name_latex(function.name)}({names})"


def _field_axes(figure: Figure, spec: PlotSpec, function: CompiledFunction) -> Axes:
    ax = figure.add_subplot()
    (x0, x1), (y0, y1) = spec.domain
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal")
    ax.grid(False)
    for side in ("top", "right"):
        ax.spines[side].set_visible(True)
    _labels(ax, function)
    return ax


def _robust_limits(values: np.ndarray) -> tuple[float, float] | None:
    """The range of the finite values, without the extreme tail near a pole.

    When the full range is more than three times the range of the middle 96%
    (``1/x`` near 0), the plot shows the middle part with a margin; for
    functions without a pole the two ranges are almost the same.
    """
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return None
    low, high = float(finite.min()), float(finite.max())
    q_low, q_high = (float(q) for q in np.percentile(finite, [2, 98]))
    spread = q_high - q_low
    if spread > 0 and high - low > 3 * spread:
        return max(low, q_low - 0.1 * spread), min(high, q_high + 0.1 * spread)
    return low, high


def _flat(limits: tuple[float, float] | None) -> bool:
    """No variation worth drawing level sets for: a constant function."""
    return limits is None or limits[1] - limits[0] <= 1e-12 * max(1.0, abs(limits[1]))


def _arrows(ax: Axes, spec: PlotSpec, function: CompiledFunction, color: Any) -> Any:
    """Gradient arrows on a ``points`` x ``points`` grid, the longest filling its cell.

    Near a pole a few arrows would dwarf the rest; then the arrows longer than
    the usual size (``_longest_arrow``) are drawn at that length, their colour
    still telling their size. ``color=None`` colours the arrows by size.
    """
    x, y = _grid(spec.domain, spec.points)
    u, v = function.grad(x, y)
    size = np.hypot(u, v)
    valid = np.isfinite(size)
    (x0, x1), (y0, y1) = spec.domain
    spacing = min(x1 - x0, y1 - y0) / max(spec.points - 1, 1)
    limits = _robust_limits(size)
    longest = _longest_arrow(size[valid])
    with np.errstate(all="ignore"):
        if spec.normalize:
            factor = np.where(size > 0, 1.0 / size, 0.0)
            longest = 1.0
        else:
            factor = np.where(size > longest, longest / size, 1.0)
    u, v = np.where(valid, u * factor, 0.0), np.where(valid, v * factor, 0.0)
    scale = longest / (ARROW_FILL * spacing) if longest > 0 else 1.0
    style: dict[str, Any] = dict(angles="xy", scale_units="xy", scale=scale, pivot="mid",
                                 width=0.005, headwidth=3.5, headlength=4.0,
                                 headaxislength=3.5, zorder=3)
    mask = ~valid
    u, v = np.ma.masked_where(mask, u), np.ma.masked_where(mask, v)
    if color is not None:
        return ax.quiver(x, y, u, v, color=color, **style)
    arrows = ax.quiver(x, y, u, v, np.ma.masked_where(mask, size), cmap=ARROW_COLORMAP, **style)
    if limits is not None and limits[0] < limits[1]:
        arrows.set_clim(*limits)
    return arrows


def _longest_arrow(sizes: np.ndarray) -> float:
    """The size drawn as a full-length arrow: the largest, unless a pole makes a few
    arrows more than three times the 90th percentile; then that percentile."""
    if sizes.size == 0:
        return 0.0
    largest, usual = float(sizes.max()), float(np.percentile(sizes, 90))
    return usual if largest > 3 * usual > 0 else largest


def _draw_quiver(figure: Figure, spec: PlotSpec, function: CompiledFunction) -> None:
    ax = _field_axes(figure, spec, function)
    (x0, x1), (y0, y1) = spec.domain
    pad = 0.5 * min(x1 - x0, y1 - y0) / max(spec.points - 1, 1)
    ax.set_xlim(x0 - pad, x1 + pad)
    ax.set_ylim(y0 - pad, y1 + pad)
    arrows = _arrows(ax, spec, function, None)
    _colorbar(figure, ax, arrows, _math(rf"\|\nabla {function_name_latex(function.name)}\|"))


def _colorbar(figure: Figure, ax: Axes, mappable: Any, label: str) -> None:
    """A slim colour bar beside the axes' box, as tall as the (aspect-fixed) plot."""
    bar = figure.colorbar(mappable, cax=ax.inset_axes((1.03, 0.0, 0.035, 1.0)))
    bar.set_label(label)
    bar.outline.set_visible(False)


def _level_values(spec: PlotSpec, z: np.ndarray) -> np.ndarray | int:
    if isinstance(spec.levels, tuple):
        return np.array(spec.levels)
    limits = _robust_limits(z)
    if limits is None or limits[0] == limits[1]:
        return spec.levels
    if spec.kind == "descent":
        # Denser towards the minimum, where the path ends: evenly spaced in the
        # square root of the height, as the rings of a quadratic bowl are.
        low, high = limits
        share = np.linspace(0.0, 1.0, spec.levels + 2)[1:-1] ** 2
        return np.unique(np.array([float(f"{v:.2g}") for v in low + (high - low) * share]))
    # Evenly spaced round values, so that closely packed lines mean a steep slope.
    low, high = limits
    values = np.asarray(MaxNLocator(spec.levels + 1).tick_values(low, high))
    return values[(values > low) & (values < high)]


def _contours(
    ax: Axes, spec: PlotSpec, function: CompiledFunction, resolution: int
) -> Any | None:
    """Filled level sets with labelled lines; the filled set (for a colour bar), or
    None for a constant function, which has no level sets to draw."""
    x, y = _grid(spec.domain, resolution)
    z = function.value(x, y)
    if _flat(_robust_limits(z)):
        ax.set_facecolor(colormaps[COLORMAP](0.5, alpha=0.35))
        return None
    levels = _level_values(spec, z)
    z = np.ma.masked_invalid(z)
    filled = ax.contourf(x, y, z, levels=levels, cmap=COLORMAP, alpha=0.6, extend="both")
    lines = ax.contour(x, y, z, levels=filled.levels, colors=INK, linewidths=0.7, alpha=0.7)
    ax.clabel(lines, inline=True, fontsize=8, fmt=_level_label, colors=INK)
    return filled


def _level_label(value: float) -> str:
    return _label_number(float(value))


def _label_number(value: float) -> str:
    """A number in a figure: like the text, with a real minus sign."""
    return _num(value).replace("-", "\N{MINUS SIGN}")


def _draw_contour(figure: Figure, spec: PlotSpec, function: CompiledFunction) -> None:
    ax = _field_axes(figure, spec, function)
    filled = _contours(ax, spec, function, CONTOUR_GRID)
    _arrows(ax, spec, function, INK)
    if filled is not None:
        _colorbar(figure, ax, filled, _math(_call_latex(function)))


def _draw_surface(figure: Figure, spec: PlotSpec, function: CompiledFunction) -> None:
    ax = figure.add_subplot(projection="3d")
    x, y = _grid(spec.domain, spec.points)
    z = function.value(x, y)
    limits = _robust_limits(z)
    if limits is not None:
        # Cut a pole off flat at the robust range instead of stretching the axis.
        z = np.where(np.isfinite(z), np.clip(z, *limits), np.nan)
    surface = ax.plot_surface(x, y, z, cmap=COLORMAP, linewidth=0.2, edgecolor=(1, 1, 1, 0.25),
                              antialiased=True, rcount=spec.points, ccount=spec.points)
    if limits is not None and limits[0] < limits[1]:
        ax.set_zlim(*limits)
        surface.set_clim(*limits)
    ax.view_init(elev=28, azim=-58)
    _labels(ax, function)
    ax.set_zlabel(_math(_call_latex(function)))
    for axis in (ax.xaxis, ax.yaxis, ax.zaxis):
        axis.pane.set_facecolor((0.96, 0.96, 0.96, 1.0))
        axis.pane.set_edgecolor((0.85, 0.85, 0.85, 1.0))
    bar = figure.colorbar(surface, ax=ax, shrink=0.6, pad=0.08)
    bar.outline.set_visible(False)


def _draw_curve(figure: Figure, spec: PlotSpec, function: CompiledFunction) -> None:
    ax = figure.add_subplot()
    (low, high), = spec.domain
    x = np.linspace(low, high, spec.points)
    y = function.value(x)
    limits = _robust_limits(y)
    if limits is not None:
        span = limits[1] - limits[0]
        bottom, top = limits[0] - 0.08 * span, limits[1] + 0.08 * span
        if _flat(limits):  # a band around a constant's value, not a hair's width
            span = max(1.0, abs(limits[1]))
            bottom, top = limits[0] - span / 2, limits[1] + span / 2
        # Break the line at a pole instead of joining +inf to -inf.
        y = np.where(np.isfinite(y) & (y > bottom - 2 * span) & (y < top + 2 * span), y, np.nan)
        ax.set_ylim(bottom, top)
    ax.set_xlim(low, high)
    x, y = _break_at_jumps(x, y, function)
    name = _call_latex(function)
    ax.plot(x, y, color=INK, linewidth=2.2, label=_math(name), zorder=3)
    bottom, top = ax.get_ylim()
    _tangent_lines(ax, spec, function, (high - low) * 0.16, (top - bottom) / (high - low))
    ax.axhline(0, color="#6b7280", linewidth=0.8, zorder=1)
    ax.set_xlabel(_math(name_latex(function.vars[0])))
    ax.set_ylabel(_math(name))
    ax.legend(loc="best", fontsize=9, frameon=False)


def _break_at_jumps(
    x: np.ndarray, y: np.ndarray, function: CompiledFunction
) -> tuple[np.ndarray, np.ndarray]:
    """Cut the line between two samples that a pole or a jump separates.

    There the value halfway between them is not between their values (or not
    finite), and the step is large: a continuous function would pass through.
    """
    finite = y[np.isfinite(y)]
    if finite.size < 2:
        return x, y
    middle = function.value((x[:-1] + x[1:]) / 2)
    low, high = np.fmin(y[:-1], y[1:]), np.fmax(y[:-1], y[1:])
    slack = 1e-9 * (float(finite.max()) - float(finite.min()) + 1.0)
    outside = ~np.isfinite(middle) | (middle < low - slack) | (middle > high + slack)
    jump = np.abs(y[1:] - y[:-1]) > 0.1 * (float(finite.max()) - float(finite.min()))
    cuts = np.flatnonzero(outside & jump) + 1
    return np.insert(x, cuts, np.nan), np.insert(y, cuts, np.nan)


def _tangent_lines(
    ax: Axes, spec: PlotSpec, function: CompiledFunction, reach: float, typical_slope: float
) -> None:
    variable = name_latex(function.vars[0])
    for i, at in enumerate(spec.tangent_at):
        value = float(function.value(at))
        slope = float(function.grad(at)[0])
        if not (math.isfinite(value) and math.isfinite(slope)):
            continue
        if abs(slope) < 1e-9 * typical_slope:
            slope = 0.0  # a numerical gradient's rounding error, not a slope
        color = PALETTE[i % len(PALETTE)]
        # The same length along the line for every slope, in data units of x.
        half = reach / math.sqrt(1 + slope**2 * _aspect(ax)) if slope else reach
        xs = np.array([at - half, at + half])
        label = (f"tangent at {_math(variable)} = {_label_number(at)}, "
                 f"slope {_label_number(slope)}")
        ax.plot(xs, value + slope * (xs - at), color=color, linewidth=1.6, zorder=2, label=label)
        ax.plot([at], [value], "o", color=color, markersize=6, zorder=4)


def _aspect(ax: Axes) -> float:
    """(x units per inch / y units per inch)**2, to give every tangent the same length."""
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    box = ax.get_position()
    figure_width, figure_height = FIGURE_SIZE
    x_scale = (x1 - x0) / max(box.width * figure_width, 1e-9)
    y_scale = (y1 - y0) / max(box.height * figure_height, 1e-9)
    return (x_scale / y_scale) ** 2


def _draw_descent(figure: Figure, spec: PlotSpec, function: CompiledFunction) -> None:
    path = descent_path(spec, function)
    region = _descent_region(spec.domain, path)
    shown = replace(spec, domain=region)
    ax = _field_axes(figure, shown, function)
    _contours(ax, shown, function, spec.points)
    ax.plot(path[:, 0], path[:, 1], "-o", color="#f97316", linewidth=1.6, markersize=3.2,
            markeredgecolor="white", markeredgewidth=0.5, zorder=4, label="gradient descent")
    ax.plot(*path[0], "o", color="white", markeredgecolor="#111827", markersize=9,
            markeredgewidth=1.5, zorder=5, label=f"start {_figure_point(path[0], spec.domain)}")
    taken = len(path) - 1
    where = _figure_point(path[-1], spec.domain)
    if not _inside(path[-1], region):
        where += ", outside the plot"
    ax.plot(*path[-1], "*", color="#dc2626", markeredgecolor="white", markersize=15,
            markeredgewidth=0.8, zorder=6,
            label=f"end after {taken} step{'s' if taken != 1 else ''} {where}")
    # The level sets are labelled; a colour bar would repeat them. The legend
    # goes beside a tall plot and under a wide one, never over the path.
    (x0, x1), (y0, y1) = region
    if (x1 - x0) >= 1.3 * (y1 - y0):
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), fontsize=8.5, ncol=3,
                  frameon=False)
    else:
        ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=8.5, frameon=False)


def _figure_point(values: np.ndarray, domain: tuple[tuple[float, float], ...]) -> str:
    return _point(values, domain).replace("-", "\N{MINUS SIGN}")


def _descent_region(
    domain: tuple[tuple[float, float], ...], path: np.ndarray
) -> tuple[tuple[float, float], ...]:
    """The domain, grown to hold the path when it leaves the domain by a little.

    A path that goes further (a diverging iteration) is cut at the edge of the
    domain grown by a quarter of its width on each side, so the picture keeps
    its proportions; the legend and the alt text say where the path ends.
    """
    region = []
    for axis, (low, high) in enumerate(domain):
        reach = 0.25 * (high - low)
        lo = max(min(low, float(path[:, axis].min())), low - reach)
        hi = min(max(high, float(path[:, axis].max())), high + reach)
        margin = 0.04 * (hi - lo)
        region.append((lo - margin * (lo < low), hi + margin * (hi > high)))
    return tuple(region)


def _inside(point: np.ndarray, region: tuple[tuple[float, float], ...]) -> bool:
    return all(low <= p <= high for p, (low, high) in zip(point, region, strict=True))


_DRAW: dict[str, Callable[[Figure, PlotSpec, CompiledFunction], None]] = {
    "quiver": _draw_quiver,
    "contour": _draw_contour,
    "surface": _draw_surface,
    "curve": _draw_curve,
    "descent": _draw_descent,
}
