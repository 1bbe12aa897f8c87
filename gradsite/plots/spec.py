"""Plot blocks' options (spec section 5), read in the builder: no matplotlib here.

``parse_plot`` reads a ``plot`` block's YAML body with line marks, checks every
option and returns a :class:`PlotSpec` with every default filled in;
``default_alt`` describes a plot in a sentence. Drawing is ``draw.py``'s job,
in a worker process. The options table is in the package docstring.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any, cast

import numpy as np

from ..diagnostics import Diagnostic, Location, did_you_mean, error
from ..expr import CompiledFunction
from ..i18n import ENGLISH_WORDS, Words
from ..model import (
    DEFAULT_LEVELS,
    DEFAULT_RATE,
    DEFAULT_STEPS,
    Block,
    Chapter,
    Marks,
    PlotKind,
    PlotSpec,
)
from ..yamlsrc import load_yaml

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
    "id": ALL,
}
POINTS = {  # kind -> (default, least, most)
    "quiver": (20, 2, 60),
    "contour": (12, 2, 40),
    "surface": (50, 5, 150),
    "curve": (400, 10, 5000),
    "descent": (150, 20, 400),
}
MAX_STEPS = 1000


# --- parsing ---------------------------------------------------------------


def parse_plot(
    block: Block, chapter: Chapter, functions: dict[str, CompiledFunction],
    words: Words = ENGLISH_WORDS,
) -> tuple[PlotSpec | None, list[Diagnostic]]:
    """The spec of a ``plot`` block, or None and the problems found; its default alt
    text in the language of ``words``."""
    read, problems = block_options(block, "a plot block", "kind: contour")
    if read is None:
        return None, problems
    reader = OptionReader(block, chapter, *read, words)
    spec = reader.read(functions)
    problems += reader.problems
    return (None if problems else spec), problems


def block_options(
    block: Block, what: str, example: str
) -> tuple[tuple[Marks, dict[str, Any]] | None, list[Diagnostic]]:
    """A block's YAML body as options with their line marks, or None and the problems
    (``what``: "a plot block"; ``example``: a second option for the hint)."""
    doc, problems = load_yaml(block.source, block.location.path, first_line=block.body_line)
    if doc is None:
        return None, problems
    options = {} if doc.value is None else doc.value
    if not isinstance(options, dict):
        return None, problems + [
            error(block.location, f"{what} holds options, one 'key: value' a line",
                  f"for example:  function: f  and  {example}")
        ]
    return (doc.marks, options), problems


class OptionReader:
    """Checks the options of one plot block, collecting problems as it goes."""

    block_name = "plot block"  # as messages name it

    def __init__(self, block: Block, chapter: Chapter, marks: Marks, options: dict[str, Any],
                 words: Words = ENGLISH_WORDS):
        self.block = block
        self.words = words
        self.chapter = chapter
        self.marks = marks
        self.options = options
        self.problems: list[Diagnostic] = []

    def fail(self, key: str, message: str, hint: str = "") -> None:
        where = self.marks.at(key) if key in self.options or "[" in key else self.block.location
        self.problems.append(error(where, message, hint))

    def unknown_keys(self, table: dict[str, tuple[str, ...]]) -> None:
        """Keys of no option in ``table`` (option -> the kinds it applies to)."""
        for key in self.options:
            if key not in table:
                self.fail(key, f"unknown key '{key}' in {self.block_name}",
                          did_you_mean(key, table))

    def keys_of_other_kinds(self, table: dict[str, tuple[str, ...]], kind: str,
                            things: str) -> None:
        """Options of ``table`` that the block's ``kind`` has not (``things``: "plots")."""
        for key in self.options:
            if key in table and kind not in table[key]:
                kinds = " and ".join(table[key])
                self.fail(key, f"'{key}' is an option of {kinds} {things}, not of {kind} "
                          f"{things}")

    def read(self, functions: dict[str, CompiledFunction]) -> PlotSpec | None:
        self.unknown_keys(OPTIONS)
        function = self._function(functions)
        if function is None:
            return None
        kind = self._kind(function)
        if kind is None:
            return None
        self.keys_of_other_kinds(OPTIONS, kind, "plots")
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
            id=self._text("id"),
            words=self.words,
            location=self.block.location,
            # The caption's line: its column in the block is not the file's when
            # the fence is indented.
            caption_location=(Location(self.block.location.path,
                                       self.marks.at("caption").line)
                              if "caption" in self.options else self.block.location),
        )
        if self.problems:
            return None
        alt = self._text("alt") or default_alt(spec, function, self.words)
        return replace(spec, alt=alt)

    # --- one method per option ----------------------------------------------

    def _function(self, functions: dict[str, CompiledFunction]) -> CompiledFunction | None:
        # Every name in the front matter, also one whose declaration has errors: those
        # are reported there, and "unknown function" would be a follow-on.
        declared = list(self.chapter.declared_functions)
        name = self.options.get("function")
        if name is None:
            if len(declared) == 1:
                return functions.get(declared[0])
            hint = (f"the chapter declares {', '.join(declared)}" if declared else
                    "declare one under 'functions' in the front matter")
            self.fail("function", f"the {self.block_name} needs 'function: <name>'", hint)
            return None
        if not isinstance(name, str) or name not in declared:
            hint = did_you_mean(str(name), declared, "functions") if declared else (
                "declare it under 'functions' in the front matter")
            if declared and not hint.startswith("did you mean"):
                hint = f"the chapter declares {', '.join(declared)}"
            self.fail("function", f"unknown function '{name}'", hint)
            return None
        # A declared function that failed its own checks is reported there.
        return functions.get(name)

    def _kind(self, function: CompiledFunction) -> PlotKind | None:
        count = len(function.vars)
        if count > 2:
            self.fail("function", f"plots draw functions of one or two variables; "
                      f"{function.signature} has {count}",
                      "draw it in a {python} cell, e.g. along a line or on a slice")
            return None
        kind = self.options.get("kind", "curve" if count == 1 else "quiver")
        if kind not in KINDS:
            self.fail("kind", f"unknown plot kind '{kind}'",
                      did_you_mean(str(kind), KINDS, "kinds"))
            return None
        if (kind in _ONE_VARIABLE) != (count == 1):
            wanted = "one variable" if kind in _ONE_VARIABLE else "two variables"
            hint = "use kind: curve" if count == 1 else "use kind: quiver, contour, surface " \
                "or descent"
            self.fail("kind", f"a {kind} plot draws a function of {wanted}; "
                      f"{function.signature} has {count}", hint)
            return None
        return cast(PlotKind, kind)  # one of KINDS, as checked above

    def _points(self, kind: str) -> int:
        default, least, most = POINTS[kind]
        return self._count("points", default, least, most)

    def _count(self, key: str, default: int, least: int, most: int) -> int:
        value = self.options.get(key, default)
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # 1e2, as YAML reads it: a whole number all the same
        if isinstance(value, bool) or not isinstance(value, int) or not least <= value <= most:
            self.fail(key, f"{key}: expected a whole number from {least} to {most}, got "
                      f"{shown(value)}")
            return default
        return value

    def _positive(self, key: str, default: float) -> float:
        value = self.options.get(key, default)
        if not is_number(value) or not 0 < value < math.inf:
            self.fail(key, f"{key}: expected a positive number, got {shown(value)}")
            return default
        return float(value)

    def _flag(self, key: str) -> bool:
        value = self.options.get(key, False)
        if not isinstance(value, bool):
            self.fail(key, f"{key}: expected true or false, got {shown(value)}")
            return False
        return value

    def _text(self, key: str) -> str:
        value = self.options.get(key, "")
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        if not isinstance(value, str):
            self.fail(key, f"{key}: expected text, got {shown(value)}")
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
            if not (isinstance(pair, list) and len(pair) == 2 and all(map(is_number, pair))
                    and math.isfinite(pair[0]) and math.isfinite(pair[1]) and pair[0] < pair[1]):
                self.fail(f"domain[{i}]", f"domain[{i}]: expected [low, high] with low < high, "
                          f"got {shown(pair)}")
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
            if not is_number(item) or not low <= item <= high:
                self.fail(key, f"{key}: expected a number from {format_number(low)} to "
                          f"{format_number(high)} (the domain), got {shown(item)}")
                continue
            found.append(float(item))
        return tuple(found)

    def _start(self, domain: tuple[tuple[float, float], ...]) -> tuple[float, ...]:
        default = default_start(domain)
        value = self.options.get("start")
        if value is None:
            return default
        if not (isinstance(value, list) and len(value) == len(domain)
                and all(is_number(v) and math.isfinite(v) for v in value)):
            self.fail("start", f"start: expected a point [x, y] of {len(domain)} numbers, "
                      f"got {shown(value)}")
            return default
        return tuple(float(v) for v in value)

    def _levels(self) -> int | tuple[float, ...]:
        value = self.options.get("levels", DEFAULT_LEVELS)
        if isinstance(value, list):
            ok = len(value) >= 2 and all(is_number(v) and math.isfinite(v) for v in value)
            if ok and all(a < b for a, b in zip(value, value[1:], strict=False)):
                return tuple(float(v) for v in value)
            self.fail("levels", "levels: expected two or more increasing numbers, got "
                      f"{shown(value)}")
            return DEFAULT_LEVELS
        return self._count("levels", DEFAULT_LEVELS, 2, 50)


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def shown(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str):
        return f"'{value}'"
    return str(value)


def format_number(value: float) -> str:
    """A number for a sentence: 3 significant digits, no '-0'."""
    text = f"{value:.3g}"
    return "0" if text in ("-0", "0") else text


# --- alt text ---------------------------------------------------------------


def default_alt(spec: PlotSpec, function: CompiledFunction,
                words: Words = ENGLISH_WORDS) -> str:
    """A sentence that describes the plot: its kind, the function and the domain, in the
    language of ``words``."""
    signature = function.signature
    over = domain_phrase(function.vars, spec.domain, words)
    if spec.kind in ("quiver", "contour"):
        return words(f"alt.{spec.kind}", function=signature, over=over)
    if spec.kind == "surface":
        low, high = _value_range(spec, function)
        if math.isfinite(low) and high > low:
            return words("alt.surface_values", function=signature, over=over,
                         low=words.number(_rounded(low, high - low, 3)),
                         high=words.number(_rounded(high, high - low, 3)))
        return words("alt.surface", function=signature, over=over)
    if spec.kind == "curve":
        if spec.tangent_at:
            at = listing([words.number(format_number(t)) for t in spec.tangent_at], words)
            return words("alt.curve_tangents", function=signature, over=over,
                         variable=function.vars[0], points=at)
        return words("alt.curve", function=signature, over=over)
    path = descent_path(spec, function)
    taken = len(path) - 1
    return descent_alt(words, function, spec.domain, path, spec.rate, None, spec.steps,
                       "alt.diverged" if taken < spec.steps else "")


def descent_alt(
    words: Words, function: CompiledFunction, domain: tuple[tuple[float, float], ...],
    path: Any, rate: float, momentum: float | None, steps: int, stopped: str,
) -> str:
    """The sentence of a descent's path: where it starts, its settings, and where it
    ends, or (``stopped``: the key of the sentence) after how many steps it stopped."""
    values = dict(function=function.signature, over=domain_phrase(function.vars, domain, words),
                  start=format_point(path[0], domain, words),
                  rate=words.number(format_number(rate)),
                  momentum=words("alt.momentum", momentum=words.number(format_number(momentum)))
                  if momentum is not None else "")
    if stopped:
        return words.count(stopped, len(path) - 1, **values)
    value = float(function.value(*path[-1]))
    return words.count("alt.descent", steps, end=format_point(path[-1], domain, words),
                       name=function.name, value=words.number(format_number(value)), **values)


def domain_phrase(variables: tuple[str, ...], domain: tuple[tuple[float, float], ...],
                  words: Words = ENGLISH_WORDS) -> str:
    """``for x from -2 to 2 and y from -1 to 1``."""
    parts = [words("alt.range", variable=v, low=words.number(format_number(low)),
                   high=words.number(format_number(high)))
             for v, (low, high) in zip(variables, domain, strict=True)]
    return words("alt.over", ranges=listing(parts, words))


def format_point(values: Any, domain: tuple[tuple[float, float], ...],
                 words: Words = ENGLISH_WORDS) -> str:
    """``(0.003, 0)``: coordinates to a thousandth of the domain's size, the digits
    that a reader can see in the plot (``(0,003; 0)`` where the decimal mark is a comma)."""
    return "(" + words.point_separator.join(
        words.number(_rounded(float(v), high - low))
        for v, (low, high) in zip(values, domain, strict=True)
    ) + ")"


def _rounded(value: float, scale: float, digits: int = 4) -> str:
    """``value`` to about ``digits`` significant digits of ``scale``."""
    if not math.isfinite(value) or abs(value) >= 10.0 ** (digits + 2):
        return f"{value:.{digits}g}"  # 1e+308, not its 309 digits
    decimals = max(0, digits - 1 - math.floor(math.log10(scale))) if scale > 0 else 3
    text = f"{value:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def listing(items: list[str], words: Words = ENGLISH_WORDS) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    if len(items) == 1:
        return items[0]
    return words("alt.and", first=", ".join(items[:-1]), last=items[-1])


def _value_range(spec: PlotSpec, function: CompiledFunction) -> tuple[float, float]:
    x, y = grid(spec.domain, spec.points)
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


def grid(domain: tuple[tuple[float, float], ...], count: int) -> tuple[np.ndarray, np.ndarray]:
    """A square sampling grid over a two-variable domain."""
    (x0, x1), (y0, y1) = domain
    return np.meshgrid(np.linspace(x0, x1, count), np.linspace(y0, y1, count))
