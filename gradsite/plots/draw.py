"""Drawing a plot spec on a fresh matplotlib Figure, in a worker process.

Never pyplot's global state: a ``matplotlib.figure.Figure`` per plot, which the
worker saves. The same spec gives the same figure.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import numpy as np
from matplotlib import colormaps
from matplotlib.axes import Axes
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from ..expr import CompiledFunction, function_name_latex, name_latex
from ..i18n import ENGLISH_WORDS, Words
from ..model import ExploreSpec, PlotKind
from ..style import PALETTE
from .spec import PlotSpec, descent_path, format_number, format_point, grid

FIGURE_SIZE = (6.4, 4.2)
CONTOUR_GRID = 160  # samples per axis behind the arrows of a contour plot
EXPLORE_GRID = 150  # samples per axis behind an explorer's level sets
CURVE_SAMPLES = 400  # samples of a tangent explorer's graph
ARROW_FILL = 0.9  # the longest arrow spans this share of the arrow spacing
COLORMAP = "viridis"
# Arrows are coloured by size; viridis without its last, palest yellows stays
# visible on white.
ARROW_COLORMAP = ListedColormap(colormaps["viridis"](np.linspace(0.0, 0.88, 256)))
INK = "#1f2937"  # lines, labels and arrows drawn over colour


class NothingToDraw(Exception):
    """A plot whose function has no finite value where it would be drawn; the
    message says so and what to change (reported as is, at the plot's line)."""


def draw_plot(spec: PlotSpec, function: CompiledFunction) -> Figure:
    """Draw ``spec`` on a new Figure; the same spec always gives the same figure."""
    with np.errstate(all="ignore"):
        _check_drawable(spec, function)
        figure = Figure(figsize=FIGURE_SIZE, layout="constrained")
        _DRAW[spec.kind](figure, spec, function)
    return figure


def draw_explorer(spec: ExploreSpec, function: CompiledFunction) -> tuple[Figure, Axes]:
    """The static part of an explorer: the axes with the level sets, or the graph.

    The page draws the moving parts over it, on the returned axes' coordinates
    (the worker saves where they stand in the image).
    """
    with np.errstate(all="ignore"):
        figure = Figure(figsize=FIGURE_SIZE, layout="constrained")
        if spec.kind == "tangent":
            curve = PlotSpec(function.name, "curve", CURVE_SAMPLES, spec.domain, "", "")
            _check_drawable(curve, function)
            _draw_curve(figure, curve, function)
            return figure, figure.axes[0]
        # Descent's level sets crowd towards the minimum, where its path ends;
        # the gradient's are evenly spaced, so that their spacing shows the slope.
        kind: PlotKind = "descent" if spec.kind == "descent" else "contour"
        field = PlotSpec(function.name, kind, EXPLORE_GRID, spec.domain, "", "",
                         levels=spec.levels)
        _check_drawable(field, function)
        ax = _field_axes(figure, field, function)
        _contours(ax, field, function, EXPLORE_GRID)
        return figure, ax


def _check_drawable(spec: PlotSpec, function: CompiledFunction) -> None:
    """An empty figure (sqrt(-1 - x**2), exp(x*y) on a domain of 1e300) would be
    published with an alt text describing level sets that are not there."""
    if len(spec.domain) == 1:
        (low, high), = spec.domain
        samples: tuple[np.ndarray, ...] = (np.linspace(low, high, spec.points),)
    else:
        samples = grid(spec.domain, spec.points)
    where = " \N{MULTIPLICATION SIGN} ".join(
        f"[{format_number(low)}, {format_number(high)}]" for low, high in spec.domain)
    fix = "choose a domain where it has values (the function's 'domain')"
    if not np.isfinite(function.value(*samples)).any():
        raise NothingToDraw(f"{function.name} is undefined or infinite at every point of the "
                            f"plot's domain {where}, so there is nothing to draw: {fix}")
    if spec.kind in ("quiver", "contour", "descent") and len(samples) == 2:
        u, v = function.grad(*samples)
        if not np.isfinite(np.hypot(u, v)).any():
            raise NothingToDraw(f"the gradient of {function.name} is undefined or infinite at "
                                f"every point of the plot's domain {where}, so no arrow can be "
                                f"drawn: {fix}")


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
    x, y = grid(spec.domain, spec.points)
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
    x, y = grid(spec.domain, resolution)
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


def _label_number(value: float, words: Words = ENGLISH_WORDS) -> str:
    """A number in a figure: like the text, with a real minus sign, and the decimal
    mark of the course's language in a legend (``words``)."""
    return words.number(format_number(value)).replace("-", "\N{MINUS SIGN}")


def _draw_contour(figure: Figure, spec: PlotSpec, function: CompiledFunction) -> None:
    ax = _field_axes(figure, spec, function)
    filled = _contours(ax, spec, function, CONTOUR_GRID)
    _arrows(ax, spec, function, INK)
    if filled is not None:
        _colorbar(figure, ax, filled, _math(_call_latex(function)))


def _draw_surface(figure: Figure, spec: PlotSpec, function: CompiledFunction) -> None:
    ax = figure.add_subplot(projection="3d")
    x, y = grid(spec.domain, spec.points)
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
        label = spec.words("plot.tangent", variable=_math(variable),
                           at=_label_number(at, spec.words),
                           slope=_label_number(slope, spec.words))
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
            markeredgecolor="white", markeredgewidth=0.5, zorder=4,
            label=spec.words("plot.descent"))
    ax.plot(*path[0], "o", color="white", markeredgecolor="#111827", markersize=9,
            markeredgewidth=1.5, zorder=5,
            label=spec.words("plot.start", point=_figure_point(path[0], spec)))
    end = _figure_point(path[-1], spec)
    if not _inside(path[-1], region):
        end = spec.words("plot.outside", point=end)
    ax.plot(*path[-1], "*", color="#dc2626", markeredgecolor="white", markersize=15,
            markeredgewidth=0.8, zorder=6, label=spec.words.count("plot.end", len(path) - 1,
                                                                   point=end))
    # The level sets are labelled; a colour bar would repeat them. The legend
    # goes beside a tall plot and under a wide one, never over the path.
    (x0, x1), (y0, y1) = region
    if (x1 - x0) >= 1.3 * (y1 - y0):
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), fontsize=8.5, ncol=3,
                  frameon=False)
    else:
        ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=8.5, frameon=False)


def _figure_point(values: np.ndarray, spec: PlotSpec) -> str:
    return format_point(values, spec.domain, spec.words).replace("-", "\N{MINUS SIGN}")


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
