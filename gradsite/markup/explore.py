"""HTML of an explorer: its static figure, the layer drawn over it, controls and readouts.

The page is complete without JavaScript: the image (axes and level sets or the
graph, drawn by matplotlib) with an SVG layer over it that holds the path,
the point, the tangent or the arrows for the block's settings, the sliders
(disabled) at those settings and the readouts for them. The page's script
(``explore.js``) reads ``data-explore``, enables the controls, and from then
on redraws the layer and the readouts: nothing is added or removed, so
nothing moves when it starts.

The layer's coordinates are the image's CSS pixels (its ``viewBox`` is the
image's size), and data maps to them through the axes' box::

    px = left + (x - x0) / (x1 - x0) * width
    py = top + (y1 - y) / (y1 - y0) * height
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext
from html import escape

from ..i18n import ENGLISH_WORDS, Words
from ..model import ExploreSpec, ExploreState
from .outputs import LAZY, FigureView

STEPS_RANGE = (1, 200)
LOG_SLIDER_RATIO = 100.0  # a rate range at least this wide gets a log10 slider
KEY_STEPS = 100  # an arrow key moves the point by 1/100 of the view (Shift: 1/10)
POINT_RADIUS = 7
EXPONENT_FROM = 1e6  # readouts this large are written as 1.235e+6
TINY = 1e-4  # a descent's value or gradient size this small is written as 1.23e-5
NO_VALUE = "\N{EM DASH}"
# Room for every digit of a float64 written in full: JavaScript rounds its exact value.
_EXACT = Context(prec=400, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class ExplorerView:
    """An explorer's settings, its figure, where the figure's axes are (in its CSS
    pixels) and the data they span, and what it shows before the reader moves it."""

    index: int  # the block's index: ids in the page derive from it
    spec: ExploreSpec
    variables: tuple[str, ...]
    figure: FigureView
    box: tuple[float, float, float, float]  # left, top, width, height
    x: tuple[float, float]
    y: tuple[float, float]
    state: ExploreState


def render_explorer(view: ExplorerView, caption_html: str, figure_id: str = "",
                    words: Words = ENGLISH_WORDS) -> str:
    """An explorer's HTML; its labels and readouts in the language of ``words``."""
    spec, figure = view.spec, view.figure
    settings = explorer_settings(view)
    anchor = f' id="{escape(figure_id)}"' if figure_id else ""
    caption = f"<figcaption>{caption_html}</figcaption>" if caption_html else ""
    size = f'width="{figure.width}" height="{figure.height}"'
    return (
        f'<figure class="figure explore explore-{spec.kind}"{anchor} '
        f'data-explore="{escape(json.dumps(settings, separators=(",", ":")))}">'
        f'<div class="explore-view"><img src="{escape(figure.url)}" alt="{escape(figure.alt)}" '
        f'{size} {LAZY} decoding="async">'
        f'<svg class="explore-layer" viewBox="0 0 {figure.width} {figure.height}" {size} '
        f'aria-hidden="true" focusable="false">{_layer(view, settings)}</svg></div>'
        f'<div class="explore-panel">{_controls(view, words)}{_readouts(view, settings, words)}'
        f'<p class="explore-status" data-readout="status">{escape(_status(view, words))}</p>'
        f'<p class="visually-hidden" aria-live="polite" data-explore-announce></p>'
        f'<p class="nojs-note">{escape(words("explore.nojs"))}</p></div>'
        f"{caption}</figure>"
    )


# --- the settings the script reads ---------------------------------------------------


def explorer_settings(view: ExplorerView) -> dict[str, object]:
    spec, state = view.spec, view.state
    spans = [high - low for low, high in spec.domain]
    settings: dict[str, object] = {
        "kind": spec.kind,
        "function": spec.function,
        "size": [view.figure.width, view.figure.height],
        "box": list(view.box),
        "x": list(view.x),
        "y": list(view.y),
        "domain": [list(pair) for pair in spec.domain],
        "start": list(spec.start),
        "step": [span / KEY_STEPS for span in spans],
        "decimals": [decimals(span, 3) for span in spans],
        "valueDecimals": decimals(state.value_scale, 4),
        "gradientDecimals": decimals(state.gradient_scale, 3),
    }
    if spec.kind == "descent":
        low, high = spec.rate_range
        settings.update({
            "rate": spec.rate,
            "rateRange": list(spec.rate_range),
            "rateLog": high / low >= LOG_SLIDER_RATIO,
            "steps": spec.steps,
            "stepsRange": list(STEPS_RANGE),
            "momentum": spec.momentum,
            "momentumRange": list(spec.momentum_range),
        })
    if spec.kind == "gradient":
        reach = min(spans)
        settings.update({
            "direction": spec.direction,
            # The typical gradient is drawn a quarter of the view long.
            "arrowScale": 0.25 * reach / state.gradient_scale if state.gradient_scale > 0
            else 0.0,
            "directionLength": 0.2 * reach,
        })
    return settings


def decimals(scale: float, significant: int) -> int:
    """Decimals that show ``significant`` digits of numbers of size ``scale``."""
    if not (scale > 0 and math.isfinite(scale)):
        return 2
    return max(0, min(10, significant - 1 - math.floor(math.log10(scale))))


def number_text(value: float, places: int) -> str:
    """A readout as the page's script writes it (``toFixed``, ``toExponential(3)``)."""
    if not math.isfinite(value):
        return NO_VALUE
    if abs(value) >= EXPONENT_FROM:
        with localcontext(_EXACT):  # toExponential rounds half away from zero too
            mantissa, exponent = format(Decimal(value), ".3e").split("e")
        return f"{mantissa}e{int(exponent):+d}"
    text = to_fixed(value, places)
    return text[1:] if text.startswith("-") and not text.strip("-0.") else text


def significant_text(value: float) -> str:
    """Three significant digits, as the page's script writes them: how close to the
    minimum descent came stays visible (0.00123, 1.23e-7, not 0.00)."""
    if not math.isfinite(value):
        return NO_VALUE
    if value == 0:
        return "0"
    size = abs(value)
    if size >= EXPONENT_FROM or size < TINY:
        with localcontext(_EXACT):  # toExponential(2), rounding half away from zero
            mantissa, exponent = format(Decimal(value), ".2e").split("e")
        return f"{mantissa}e{int(exponent):+d}"
    return number_text(value, max(0, 2 - math.floor(math.log10(size))))


def to_fixed(value: float, places: int) -> str:
    """``value.toFixed(places)`` as JavaScript writes it: the float's exact value rounded
    half away from zero, where Python's format rounds half to even (1.125 is "1.13" in
    the page, "1.12" with ``f"{1.125:.2f}"``)."""
    return format(Decimal(value).quantize(Decimal(1).scaleb(-places), context=_EXACT), "f")


def point_text(values: tuple[float, ...], places: list[int],
               words: Words = ENGLISH_WORDS) -> str:
    """A point's readout, ``(1.50, -2.00)``; ``(1,50; -2,00)`` where the decimal mark
    is a comma."""
    return "(" + words.point_separator.join(
        words.number(number_text(v, d)) for v, d in zip(values, places, strict=True)) + ")"


# --- the layer ------------------------------------------------------------------------


def _layer(view: ExplorerView, settings: dict[str, object]) -> str:
    spec, state = view.spec, view.state
    left, top, width, height = view.box
    clip, head = f"explore-{view.index}-clip", f"explore-{view.index}-head"
    parts = [
        f'<defs><clipPath id="{clip}"><rect x="{_c(left)}" y="{_c(top)}" width="{_c(width)}" '
        f'height="{_c(height)}"/></clipPath>'
        f'<marker id="{head}" class="explore-head" viewBox="0 0 10 10" refX="8" refY="5" '
        'markerWidth="6" markerHeight="6" orient="auto"><path d="M0,0L10,5L0,10z"/></marker>'
        "</defs>"
    ]
    to_pixels = _mapping(view)
    start = state.path[0]
    if spec.kind == "descent":
        points = " ".join(_pair(to_pixels(p)) for p in state.path)
        end_x, end_y = to_pixels(state.path[-1])
        parts.append(f'<polyline class="explore-path" clip-path="url(#{clip})" '
                     f'points="{points}"/>'
                     f'<circle class="explore-end" cx="{_c(end_x)}" cy="{_c(end_y)}" r="4"/>')
    elif spec.kind == "tangent":
        readouts = dict(state.readouts)
        value, slope = float(readouts["value"]), float(readouts["slope"])  # type: ignore[arg-type]
        x0, x1 = view.x
        if math.isfinite(value) and math.isfinite(slope):
            (ax, ay), (bx, by) = (to_pixels((x, value + slope * (x - start[0])))
                                  for x in (x0, x1))
            parts.append(f'<line class="explore-tangent" clip-path="url(#{clip})" '
                         f'x1="{_c(ax)}" y1="{_c(ay)}" x2="{_c(bx)}" y2="{_c(by)}"/>')
        start = (start[0], value)
    else:
        readouts = dict(state.readouts)
        gradient = readouts["gradient"]
        assert isinstance(gradient, tuple)
        scale = float(settings["arrowScale"])  # type: ignore[arg-type]
        length = float(settings["directionLength"])  # type: ignore[arg-type]
        angle = math.radians(spec.direction)
        arrows = [("explore-direction-arrow",
                   (start[0] + length * math.cos(angle), start[1] + length * math.sin(angle)))]
        if all(math.isfinite(g) for g in gradient):
            arrows.insert(0, ("explore-gradient-arrow",
                              (start[0] + scale * gradient[0], start[1] + scale * gradient[1])))
        ax, ay = to_pixels(start)
        for name, tip in arrows:
            bx, by = to_pixels(tip)
            parts.append(f'<line class="{name}" clip-path="url(#{clip})" marker-end='
                         f'"url(#{head})" x1="{_c(ax)}" y1="{_c(ay)}" x2="{_c(bx)}" '
                         f'y2="{_c(by)}"/>')
    if all(math.isfinite(v) for v in start):
        x, y = to_pixels(start)
        parts.append(f'<circle class="explore-point" cx="{_c(x)}" cy="{_c(y)}" '
                     f'r="{POINT_RADIUS}"/>')
    return "".join(parts)


def _mapping(view: ExplorerView) -> Callable[[tuple[float, ...]], tuple[float, float]]:
    left, top, width, height = view.box
    (x0, x1), (y0, y1) = view.x, view.y

    def to_pixels(point: tuple[float, ...]) -> tuple[float, float]:
        return (left + (point[0] - x0) / (x1 - x0) * width,
                top + (y1 - point[1]) / (y1 - y0) * height)

    return to_pixels


def _c(value: float) -> str:
    """A coordinate of the layer, to a hundredth of a pixel."""
    text = to_fixed(value, 2).rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _pair(point: tuple[float, float]) -> str:
    return f"{_c(point[0])},{_c(point[1])}"


# --- controls and readouts --------------------------------------------------------------


def _controls(view: ExplorerView, words: Words = ENGLISH_WORDS) -> str:
    spec = view.spec
    sliders: list[str] = []

    def slider(name: str, label: str, low: float, high: float, step: str, value: float,
               shown: str, value_text: str = "") -> None:
        # A label holds one control at most: the shown value is an <output> beside it.
        control = f"explore-{view.index}-{name}"
        spoken = f' aria-valuetext="{escape(value_text)}"' if value_text else ""
        sliders.append(
            f'<div class="explore-control"><label class="explore-control-name" '
            f'for="{control}">{escape(label)}</label><input type="range" id="{control}" '
            f'name="{name}" '
            f'min="{_short(low)}" max="{_short(high)}" step="{step}" value="{_short(value)}"'
            f'{spoken} disabled><output for="{control}">{escape(words.number(shown))}</output>'
            "</div>")

    if spec.kind == "descent":
        low, high = spec.rate_range
        rate = words("explore.rate")
        if high / low >= LOG_SLIDER_RATIO:
            slider("rate", rate, math.log10(low), math.log10(high), "any",
                   math.log10(spec.rate), _short(spec.rate), words.number(_short(spec.rate)))
        else:
            slider("rate", rate, low, high, "any", spec.rate, _short(spec.rate))
        slider("steps", words("explore.steps"), *STEPS_RANGE, "1", spec.steps, str(spec.steps))
        if spec.momentum is not None:
            slider("momentum", words("explore.momentum"), *spec.momentum_range, "any",
                   spec.momentum, _short(spec.momentum))
    if spec.kind == "gradient":
        slider("direction", words("explore.direction"), 0, 360, "any", spec.direction,
               f"{_short(spec.direction)}\N{DEGREE SIGN}")
    if not sliders:
        return ""
    return f'<div class="explore-controls">{"".join(sliders)}</div>'


def _short(value: float) -> str:
    """A setting as written in the page: the shortest text that reads back the same."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _readouts(view: ExplorerView, settings: dict[str, object],
              words: Words = ENGLISH_WORDS) -> str:
    rows = "".join(f'<div><dt>{escape(label)}</dt><dd data-readout="{name}">{escape(text)}'
                   "</dd></div>" for name, label, text in readout_rows(view, settings, words))
    return f'<dl class="explore-readouts">{rows}</dl>'


def readout_rows(
    view: ExplorerView, settings: dict[str, object], words: Words = ENGLISH_WORDS,
) -> list[tuple[str, str, str]]:
    """(name, label, text) of each readout, for the view's first state, in the language
    of ``words`` (its labels, and its numbers' decimal mark)."""
    spec, readouts = view.spec, dict(view.state.readouts)
    name = spec.function
    variables = ", ".join(view.variables)
    places: list[int] = settings["decimals"]  # type: ignore[assignment]
    value_places: int = settings["valueDecimals"]  # type: ignore[assignment]
    slope_places: int = settings["gradientDecimals"]  # type: ignore[assignment]

    def number(key: str, digits: int) -> str:
        return words.number(number_text(float(readouts[key]), digits))  # type: ignore[arg-type]

    def point(key: str) -> str:
        return point_text(readouts[key], places, words)  # type: ignore[arg-type]

    def significant(key: str) -> str:
        return words.number(significant_text(float(readouts[key])))  # type: ignore[arg-type]

    if spec.kind == "descent":
        return [
            ("point", words("explore.last_iterate"), point("point")),
            ("value", words("explore.value_there", function=name), significant("value")),
            ("norm", words("explore.norm_there", function=name), significant("norm")),
            ("taken", words("explore.steps_taken"), str(int(float(readouts["taken"])))),  # type: ignore[arg-type]
        ]
    if spec.kind == "tangent":
        return [
            ("x", view.variables[0], number("x", places[0])),
            ("value", f"{name}({variables})", number("value", value_places)),
            ("slope", words("explore.slope", function=name, variables=variables),
             number("slope", slope_places)),
        ]
    gradient = readouts["gradient"]
    angle = float(readouts["angle"])  # type: ignore[arg-type]
    return [
        ("point", words("explore.point"), point("point")),
        ("gradient", f"\N{NABLA}{name}", point_text(gradient, [slope_places] * 2, words)),  # type: ignore[arg-type]
        ("derivative", words("explore.directional"), number("derivative", slope_places)),
        ("angle", words("explore.angle"),
         f"{words.number(to_fixed(angle, 1))}\N{DEGREE SIGN}" if math.isfinite(angle)
         else NO_VALUE),
    ]


def _status(view: ExplorerView, words: Words = ENGLISH_WORDS) -> str:
    if not view.state.diverged:
        return ""
    taken = len(view.state.path) - 1
    return words.count("explore.diverged", taken) if taken else words("explore.diverged_at_once")
