"""Question parameters (spec section 13): ``params``, ``variants`` and ``{{name}}``.

A question with ``params`` is a family of questions. Each parameter is a list
of values, written one of three ways::

    params:
      a: [1, 5]                      # the integers 1, 2, 3, 4, 5
      b: {choices: [0.5, 2, 10]}     # these values
      c: {range: [-1, 1], step: 0.5} # -1, -0.5, 0, 0.5, 1

``variants: N`` (default 10, at most 50) variants are drawn from all the
combinations. The draw is reproducible and prefix-stable: it is seeded by the
chapter and the question, and raising N keeps the first variants as they were,
so a reader's progress on variant 3 still means the same numbers.

In the question, the choices, their feedback, the explanation and the hints,
``{{name}}`` is replaced by the value (inside math too); the answer and the
tolerance use the names as variables of the expression language.
"""

from __future__ import annotations

import hashlib
import math
import random
import re
from typing import Any

from .diagnostics import Diagnostic, error
from .expr import FUNCTIONS, LANGUAGE_NAMES
from .model import Marks, Param
from .model import ParamValue as Value

DEFAULT_VARIANTS = 10
MAX_VARIANTS = 50
MAX_VALUES = 10_000  # values of one parameter: a step too small for its range is a mistake
NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
PARAMETER_USE = re.compile(r"\{\{\s*([^{}\s]*)\s*\}\}")

Variant = tuple[tuple[str, Value], ...]  # (name, value) in the parameters' order


def parse_params(
    value: Any, marks: Marks, path: str, declared: frozenset[str]
) -> tuple[tuple[Param, ...], list[Diagnostic]]:
    """The parameters of the question at ``path`` (``quiz[0]``); ``declared`` are the
    chapter's function names, which a parameter may not shadow."""
    where = marks.at(f"{path}.params")
    if not isinstance(value, dict) or not value:
        return (), [error(where, f"{path}.params: expected a mapping of names to values",
                          "for example:  params: {a: [1, 5], b: {choices: [0.5, 2]}}")]
    params: list[Param] = []
    problems: list[Diagnostic] = []
    for name, written in value.items():
        key = f"{path}.params.{name}"
        at = marks.at(key)
        name = str(name)
        if not NAME.match(name):
            problems.append(error(at, f"{key}: '{name}' is not a name",
                                  "a letter, then letters, digits or _"))
            continue
        shadowed = _shadowed(name, declared)
        if shadowed:
            problems.append(error(at, f"{key}: '{name}' is already {shadowed}",
                                  "choose another name for the parameter"))
            continue
        values, problem = _values(written, key)
        if problem:
            problems.append(error(at, problem[0], problem[1]))
            continue
        params.append(Param(name, values, at))
    return tuple(params), problems


def _shadowed(name: str, declared: frozenset[str]) -> str:
    if name in declared or (name.startswith("grad_") and name[5:] in declared):
        return "a function the chapter declares"
    if name in FUNCTIONS:
        return "a function of the expression language"
    if name in LANGUAGE_NAMES:
        return "a name of the expression language"
    return ""


def _values(written: Any, key: str) -> tuple[tuple[Value, ...], tuple[str, str] | None]:
    """A parameter's values, or (message, hint)."""
    if isinstance(written, list):
        if not (len(written) == 2 and all(_is_integer(v) for v in written)):
            return (), (f"{key}: a range of integers is [low, high], got {_shown(written)}",
                        "for other values write {choices: [...]} or {range: [low, high], "
                        "step: ...}")
        first, last = int(written[0]), int(written[1])
        if not first < last:
            return (), (f"{key}: the low end {first} is not below the high end {last}", "")
        if last - first + 1 > MAX_VALUES:
            return (), (f"{key}: {last - first + 1} values is more than {MAX_VALUES}", "")
        return tuple(range(first, last + 1)), None
    if isinstance(written, dict) and set(written) == {"choices"}:
        choices = written["choices"]
        if not (isinstance(choices, list) and choices
                and all(_is_number(v) or isinstance(v, str) for v in choices)):
            return (), (f"{key}.choices: expected a list of numbers or texts, got "
                        f"{_shown(choices)}", "")
        if len({str(v) for v in choices}) != len(choices):
            return (), (f"{key}.choices: a value is listed twice: {_shown(choices)}", "")
        return tuple(choices), None
    if isinstance(written, dict) and set(written) == {"range", "step"}:
        bounds, step = written["range"], written["step"]
        if not (isinstance(bounds, list) and len(bounds) == 2 and all(map(_is_number, bounds))):
            return (), (f"{key}.range: expected [low, high], got {_shown(bounds)}", "")
        low, high = float(bounds[0]), float(bounds[1])
        if not low < high:
            return (), (f"{key}.range: the low end {_text(low)} is not below the high end "
                        f"{_text(high)}", "")
        if not (_is_number(step) and step > 0):
            return (), (f"{key}.step: expected a positive number, got {_shown(step)}", "")
        count = math.floor((high - low) / step + 1e-9) + 1
        if count > MAX_VALUES:
            return (), (f"{key}: {count} values is more than {MAX_VALUES}", "a larger step")
        # Rounded to the step's digits: 0.1 * 3 is 0.30000000000000004, not 0.3.
        digits = max(0, -math.floor(math.log10(step)) + 6)
        return tuple(_tidy(round(low + k * step, digits)) for k in range(count)), None
    return (), (f"{key}: expected [low, high], {{choices: [...]}} or {{range: [low, high], "
                f"step: ...}}, got {_shown(written)}", "")


def _tidy(value: float) -> Value:
    return int(value) if float(value).is_integer() else value


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _is_integer(value: Any) -> bool:
    return _is_number(value) and float(value).is_integer()


def _shown(value: Any) -> str:
    return str(value).replace("'", "") if not isinstance(value, str) else f"'{value}'"


def _text(value: float) -> str:
    return str(_tidy(value))


# --- variants -----------------------------------------------------------------------


def combinations(params: tuple[Param, ...]) -> int:
    return math.prod(len(p.values) for p in params)


def draw_variants(params: tuple[Param, ...], count: int, seed: str) -> tuple[Variant, ...]:
    """``count`` distinct combinations (fewer when there are not as many), drawn
    reproducibly from ``seed``; the first ``k`` are the same for any ``count >= k``."""
    if not params:
        return ((),)
    total = combinations(params)
    digest = hashlib.sha256(seed.encode("utf-8")).digest()
    rng = random.Random(int.from_bytes(digest[:8], "big"))
    picked: list[int] = []
    seen: set[int] = set()
    while len(picked) < min(count, total):
        index = rng.randrange(total)
        if index not in seen:
            seen.add(index)
            picked.append(index)
    return tuple(_combination(params, index) for index in picked)


def _combination(params: tuple[Param, ...], index: int) -> Variant:
    values = []
    for param in reversed(params):
        index, digit = divmod(index, len(param.values))
        values.append((param.name, param.values[digit]))
    return tuple(reversed(values))


def variant_text(variant: Variant) -> str:
    """``a = 2, b = 0.5``: a variant as messages name it."""
    return ", ".join(f"{name} = {value_text(value)}" for name, value in variant)


def value_text(value: Value) -> str:
    """A value as it is written into a text: 3, 0.5, -2, 1e-08, or the text itself."""
    if isinstance(value, str):
        return value
    if isinstance(value, int) or float(value).is_integer():
        return str(int(value))
    return repr(float(value))


def new_glyph_variants(variants: tuple[Variant, ...]) -> tuple[Variant, ...]:
    """The variants whose values may bring characters the first variant lacks: those
    with a text value or a number written with an exponent. (Digits, signs and the
    point are always in the math font.)"""
    return variants[:1] + tuple(
        variant for variant in variants[1:]
        if any(isinstance(value, str) or "e" in value_text(value) for _, value in variant))


# --- substitution -------------------------------------------------------------------


def unknown_parameter_names(text: str, names: set[str]) -> list[str]:
    """The ``{{name}}`` of ``text`` that name no parameter, in order."""
    return [m.group(1) for m in PARAMETER_USE.finditer(text) if m.group(1) not in names]


def substitute(text: str, variant: Variant) -> str:
    """``text`` with each ``{{name}}`` replaced by the variant's value.

    A text value is inserted as it is: the text is rendered as Markdown with raw
    HTML escaped afterwards, so no value can add markup to the page.
    """
    if not variant or "{{" not in text:
        return text
    values = dict(variant)
    return PARAMETER_USE.sub(lambda m: value_text(values[m.group(1)]) if m.group(1) in values
                           else m.group(0), text)
