"""Explore blocks (spec section 12): a figure the reader moves, read in the builder.

``parse_explore`` reads an ``explore`` block's options as ``parse_plot`` reads
a plot block's (the same reader, the same messages) and returns an
:class:`ExploreSpec`. ``explore_state`` computes what the view shows before
the reader touches it: the path of gradient descent, the tangent or the
gradient at the start point, and the readouts. The build writes that state
into the page, so the figure is complete without JavaScript; the browser's
script (``templates/assets/js/explore.js``) computes the same things, in the
same order of floating-point operations, whenever the reader moves something.

The options (defaults in brackets):

* ``function`` [the chapter's only function], ``kind``: descent or gradient for
  two variables [descent], tangent for one;
* ``domain`` [the function's]: the view, one ``[low, high]`` per variable; the
  point stays in it;
* ``start`` [80% of the way to the upper corner]: the draggable point, ``[x, y]``
  or, for tangent, a number;
* ``caption``, ``alt`` [a sentence], ``id``: as for a plot block;
* descent: ``rate`` [0.1] and ``rate_range`` [0.001, 1], ``steps`` [20, from 1
  to 200], ``momentum`` [none: no slider] and ``momentum_range`` [0, 0.99];
* gradient: ``direction`` [0], the direction's angle in degrees from the first axis;
* descent and gradient: ``levels`` [12], the number of level sets or their values.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import cast

import numpy as np

from ..diagnostics import Diagnostic, Location, did_you_mean
from ..expr import CompiledFunction
from ..i18n import ENGLISH_WORDS, Words
from ..model import (
    DEFAULT_LEVELS,
    DEFAULT_RATE,
    DEFAULT_STEPS,
    Block,
    Chapter,
    ExploreKind,
    ExploreSpec,
    ExploreState,
)
from .spec import (
    OptionReader,
    block_options,
    default_start,
    descent_alt,
    domain_phrase,
    format_number,
    format_point,
    grid,
    is_number,
    shown,
)

KINDS = ("descent", "gradient", "tangent")
ALL = KINDS
OPTIONS: dict[str, tuple[str, ...]] = {  # option -> the kinds it applies to
    "function": ALL,
    "kind": ALL,
    "domain": ALL,
    "start": ALL,
    "caption": ALL,
    "alt": ALL,
    "id": ALL,
    "rate": ("descent",),
    "rate_range": ("descent",),
    "steps": ("descent",),
    "momentum": ("descent",),
    "momentum_range": ("descent",),
    "direction": ("gradient",),
    "levels": ("descent", "gradient"),
}
MAX_STEPS = 200
DEFAULT_RATE_RANGE = (0.001, 1.0)
DEFAULT_MOMENTUM_RANGE = (0.0, 0.99)
EXPLORE_SAMPLES = 41  # samples per axis for the typical sizes of f and its gradient


def parse_explore(
    block: Block, chapter: Chapter, functions: dict[str, CompiledFunction],
    words: Words = ENGLISH_WORDS,
) -> tuple[ExploreSpec | None, list[Diagnostic]]:
    """The spec of an ``explore`` block, or None and the problems found; its default
    alt text in the language of ``words``."""
    read, problems = block_options(block, "an explore block", "kind: descent")
    if read is None:
        return None, problems
    reader = _ExploreReader(block, chapter, *read, words)
    spec = reader.read_explorer(functions)
    problems += reader.problems
    return (None if problems else spec), problems


class _ExploreReader(OptionReader):
    """Checks the options of one explore block, collecting problems as it goes."""

    block_name = "explore block"

    def read_explorer(self, functions: dict[str, CompiledFunction]) -> ExploreSpec | None:
        self.unknown_keys(OPTIONS)
        function = self._function(functions)
        if function is None:
            return None
        kind = self._explore_kind(function)
        if kind is None:
            return None
        self.keys_of_other_kinds(OPTIONS, kind, "explorers")
        domain = self._domain(function)
        descent = kind == "descent"
        rate_range = self._range("rate_range", DEFAULT_RATE_RANGE, positive=True) if descent \
            else DEFAULT_RATE_RANGE
        momentum_range = (self._range("momentum_range", DEFAULT_MOMENTUM_RANGE, below_one=True)
                          if descent else DEFAULT_MOMENTUM_RANGE)
        momentum = None
        if descent and "momentum" in self.options:
            momentum = self._within("momentum", 0.0, momentum_range, "momentum_range")
        spec = ExploreSpec(
            function=function.name,
            kind=kind,
            domain=domain,
            caption=self._text("caption"),
            alt="",
            start=self._start_point(domain),
            rate=(self._within("rate", DEFAULT_RATE, rate_range, "rate_range") if descent
                  else DEFAULT_RATE),
            rate_range=rate_range,
            steps=self._count("steps", DEFAULT_STEPS, 1, MAX_STEPS) if descent else DEFAULT_STEPS,
            momentum=momentum,
            momentum_range=momentum_range,
            direction=self._angle() if kind == "gradient" else 0.0,
            levels=self._levels() if kind in OPTIONS["levels"] else DEFAULT_LEVELS,
            id=self._text("id"),
            location=self.block.location,
            caption_location=(Location(self.block.location.path, self.marks.at("caption").line)
                              if "caption" in self.options else self.block.location),
        )
        if self.problems:
            return None
        alt = self._text("alt") or explore_alt(spec, function, self.words)
        return replace(spec, alt=alt)

    def _explore_kind(self, function: CompiledFunction) -> ExploreKind | None:
        count = len(function.vars)
        if count > 2:
            self.fail("function", f"explorers show functions of one or two variables; "
                      f"{function.signature} has {count}",
                      "show it in a {python} cell, e.g. along a line or on a slice")
            return None
        kind = self.options.get("kind", "tangent" if count == 1 else "descent")
        if kind not in KINDS:
            self.fail("kind", f"unknown explorer kind '{kind}'",
                      did_you_mean(str(kind), KINDS, "kinds"))
            return None
        if (kind == "tangent") != (count == 1):
            wanted = "one variable" if kind == "tangent" else "two variables"
            hint = "use kind: tangent" if count == 1 else "use kind: descent or gradient"
            self.fail("kind", f"a {kind} explorer shows a function of {wanted}; "
                      f"{function.signature} has {count}", hint)
            return None
        return cast(ExploreKind, kind)  # one of KINDS, as checked above

    def _start_point(self, domain: tuple[tuple[float, float], ...]) -> tuple[float, ...]:
        default = default_start(domain)
        value = self.options.get("start")
        if value is None:
            return default
        if len(domain) == 1 and is_number(value):
            value = [value]
        if not (isinstance(value, list) and len(value) == len(domain)
                and all(is_number(v) and math.isfinite(v) for v in value)):
            shape = "a number x" if len(domain) == 1 else f"a point [x, y] of {len(domain)} numbers"
            self.fail("start", f"start: expected {shape}, got {shown(value)}")
            return default
        point = tuple(float(v) for v in value)
        if not all(low <= v <= high for v, (low, high) in zip(point, domain, strict=True)):
            self.fail("start", f"start: {format_point(point, domain)} is outside the "
                      f"explorer's domain {domain_text(domain)}",
                      "move the start into the domain, or widen 'domain'")
            return default
        return point

    def _range(self, key: str, default: tuple[float, float], positive: bool = False,
               below_one: bool = False) -> tuple[float, float]:
        value = self.options.get(key)
        if value is None:
            return default
        if not (isinstance(value, list) and len(value) == 2 and all(map(is_number, value))
                and all(math.isfinite(v) for v in value)):
            self.fail(key, f"{key}: expected [low, high], got {shown(value)}")
            return default
        low, high = float(value[0]), float(value[1])
        if not low < high:
            self.fail(key, f"{key}: the low end {format_number(low)} is not below the high "
                      f"end {format_number(high)}", f"write it as [{format_number(min(low, high))}"
                      f", {format_number(max(low, high))}]" if low != high else "")
            return default
        if positive and low <= 0:
            self.fail(key, f"{key}: a learning rate is positive; the range starts at "
                      f"{format_number(low)}", "for example: rate_range: [0.001, 1.0]")
            return default
        if below_one and not (low >= 0 and high < 1):
            self.fail(key, f"{key}: momentum lies from 0 up to (not including) 1; got "
                      f"{shown(value)}", "for example: momentum_range: [0, 0.99]")
            return default
        return low, high

    def _within(self, key: str, default: float, bounds: tuple[float, float],
                range_key: str) -> float:
        value = self.options.get(key, default)
        if not is_number(value) or not math.isfinite(value):
            self.fail(key, f"{key}: expected a number, got {shown(value)}")
            return default
        low, high = bounds
        if not low <= value <= high:
            written = "" if range_key in self.options else " (the default)"
            self.fail(key, f"{key}: {format_number(value)} is outside its slider's range "
                      f"[{format_number(low)}, {format_number(high)}]{written}",
                      f"set {range_key} to a range that holds it")
            return min(max(float(value), low), high)
        return float(value)

    def _angle(self) -> float:
        value = self.options.get("direction", 0.0)
        if not is_number(value) or not math.isfinite(value):
            self.fail("direction", f"direction: expected an angle in degrees, got "
                      f"{shown(value)}")
            return 0.0
        return float(value) % 360.0


def domain_text(domain: tuple[tuple[float, float], ...]) -> str:
    return " \N{MULTIPLICATION SIGN} ".join(
        f"[{format_number(low)}, {format_number(high)}]" for low, high in domain)


# --- what the view shows --------------------------------------------------------


def descent_iterates(
    spec: ExploreSpec, function: CompiledFunction, start: tuple[float, ...] | None = None
) -> tuple[list[tuple[float, ...]], bool]:
    """Gradient descent with heavy-ball momentum, as the browser computes it.

    ``v = momentum * v - rate * grad f(x); x = x + v``, component by component in
    Python floats (the same IEEE operations as the page's script). It stops at
    the first iterate that is not finite or leaves the domain: diverged.
    """
    momentum = spec.momentum or 0.0
    point = tuple(start or spec.start)
    velocity = tuple(0.0 for _ in point)
    path = [point]
    for _ in range(spec.steps):
        gradient = [float(g) for g in function.grad(*point)]
        velocity = tuple(momentum * v - spec.rate * g
                         for v, g in zip(velocity, gradient, strict=True))
        point = tuple(p + v for p, v in zip(point, velocity, strict=True))
        if not _inside(point, spec.domain):
            return path, True
        path.append(point)
    return path, False


def _inside(point: tuple[float, ...], domain: tuple[tuple[float, float], ...]) -> bool:
    return all(math.isfinite(p) and low <= p <= high
               for p, (low, high) in zip(point, domain, strict=True))


def explore_state(spec: ExploreSpec, function: CompiledFunction) -> ExploreState:
    """The view before the reader moves anything."""
    with np.errstate(all="ignore"):
        scales = _scales(spec, function)
        if spec.kind == "descent":
            path, diverged = descent_iterates(spec, function)
            end = path[-1]
            gradient = [float(g) for g in function.grad(*end)]
            return ExploreState(tuple(path), diverged, (
                ("point", end),
                ("value", float(function.value(*end))),
                ("norm", math.hypot(*gradient)),
                ("taken", float(len(path) - 1)),
            ), *scales)
        point = spec.start
        gradient = [float(g) for g in function.grad(*point)]
        value = float(function.value(*point))
        if spec.kind == "tangent":
            return ExploreState((point,), False, (
                ("x", point[0]), ("value", value), ("slope", gradient[0])), *scales)
        angle = math.radians(spec.direction)
        direction = (math.cos(angle), math.sin(angle))
        derivative = gradient[0] * direction[0] + gradient[1] * direction[1]
        return ExploreState((point,), False, (
            ("point", point),
            ("gradient", tuple(gradient)),
            ("derivative", derivative),
            ("angle", angle_to_gradient(gradient, direction)),
        ), *scales)


def _scales(spec: ExploreSpec, function: CompiledFunction) -> tuple[float, float]:
    """The spread of f's finite values over the view, and the 90th percentile of the
    gradient's size there (a few huge values near a pole do not count)."""
    samples = EXPLORE_SAMPLES
    if len(spec.domain) == 1:
        (low, high), = spec.domain
        points: tuple[np.ndarray, ...] = (np.linspace(low, high, samples * samples),)
    else:
        points = grid(spec.domain, samples)
    shape = points[0].shape
    values = np.broadcast_to(np.asarray(function.value(*points), dtype=float), shape)
    values = values[np.isfinite(values)]
    gradient = [np.broadcast_to(np.asarray(g, dtype=float), shape)
                for g in function.grad(*points)]
    sizes = np.hypot(*gradient) if len(gradient) == 2 else np.abs(gradient[0])
    sizes = sizes[np.isfinite(sizes)]
    spread = float(values.max() - values.min()) if values.size else 0.0
    typical = float(np.percentile(sizes, 90)) if sizes.size else 0.0
    return spread, typical


def angle_to_gradient(gradient: list[float], direction: tuple[float, float]) -> float:
    """The angle between a unit direction and the gradient, in degrees (NaN: no gradient)."""
    norm = math.hypot(*gradient)
    if not (norm > 0 and math.isfinite(norm)):
        return math.nan
    cosine = (gradient[0] * direction[0] + gradient[1] * direction[1]) / norm
    return math.degrees(math.acos(max(-1.0, min(1.0, cosine))))


# --- alt text ---------------------------------------------------------------------


def explore_alt(spec: ExploreSpec, function: CompiledFunction,
                words: Words = ENGLISH_WORDS) -> str:
    """A sentence that describes the static view (the page's script makes it move), in
    the language of ``words``."""
    over = domain_phrase(function.vars, spec.domain, words)
    state = explore_state(spec, function)
    signature = function.signature
    if spec.kind == "tangent":
        readouts = dict(state.readouts)
        return words("alt.tangent", function=signature, over=over, variable=function.vars[0],
                     point=words.number(format_number(spec.start[0])),
                     slope=words.number(format_number(cast(float, readouts["slope"]))))
    if spec.kind == "gradient":
        return words("alt.gradient", function=signature, over=over,
                     start=format_point(spec.start, spec.domain, words),
                     direction=words.number(format_number(spec.direction)),
                     variable=function.vars[0])
    return descent_alt(words, function, spec.domain, state.path, spec.rate, spec.momentum,
                       spec.steps, "alt.left_view" if state.diverged else "")

