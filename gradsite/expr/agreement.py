"""The browser's functions against numpy's, checked in the build.

An explorer computes its function and gradient in the reader's browser with
the code that javascript.py generates. The build runs that very code (the
module a page loads, as text) in QuickJS, an embedded JavaScript engine, at
the gradient check's points, and compares every value and gradient component
with numpy's. The two are written to agree to the last bit but for the
engines' ``Math`` functions, which may differ in the last place; a difference
beyond ``TOLERANCE`` is a bug in the compiler, and no page should ship it.

Relative means: to the larger of the two numbers, or, where a quantity passes
near zero (a gradient at a minimum, ``sin`` near pi), to the quantity's largest
size over the check points, so that two roundings of a near-zero number agree.
NaN agrees with NaN, an infinity with the same infinity.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

import numpy as np

from .function import CompiledFunction
from .gradcheck import check_points
from .javascript import REGISTRY, functions_module

TOLERANCE = 1e-9


@dataclass(frozen=True)
class Disagreement:
    """One number the browser computes differently from numpy."""

    quantity: str  # "f" or "df/dx"
    point: tuple[float, ...]
    numpy: float
    browser: float


def browser_disagreements(function: CompiledFunction) -> list[Disagreement]:
    """Where the generated JavaScript and numpy differ beyond ``TOLERANCE``."""
    import quickjs  # here: only a build with explorers needs the engine

    points = check_points(function.domain)
    context = quickjs.Context()
    context.eval(functions_module([function]))
    # String(): JSON has no NaN or Infinity, and float() reads JavaScript's shortest
    # round-trip form back to the same double.
    script = (
        f"(function (points) {{ const f = globalThis.{REGISTRY}[{json.dumps(function.name)}];"
        " return JSON.stringify(points.map((p) => [f.value(...p), ...f.grad(...p)]"
        f".map(String))); }})({json.dumps(points.T.tolist())})"
    )
    browser = np.array([[float(v) for v in row] for row in json.loads(context.eval(script))])
    with np.errstate(all="ignore"):
        shape = points[0].shape
        columns = [function.value(*points), *function.grad(*points)]
        expected = np.stack([np.broadcast_to(np.asarray(c, dtype=float), shape)
                             for c in columns], axis=1)
    names = [function.name] + [f"d{function.name}/d{v}" for v in function.vars]
    found = []
    for column, name in enumerate(names):
        finite = np.abs(expected[:, column][np.isfinite(expected[:, column])])
        scale = float(finite.max()) if finite.size else 0.0
        for row, point in enumerate(points.T):
            ours, theirs = float(expected[row, column]), float(browser[row, column])
            if not _agree(ours, theirs, scale):
                found.append(Disagreement(name, tuple(float(v) for v in point), ours, theirs))
    return found


def _agree(ours: float, theirs: float, scale: float) -> bool:
    if math.isnan(ours) or math.isnan(theirs):
        return math.isnan(ours) and math.isnan(theirs)
    if math.isinf(ours) or math.isinf(theirs):
        return ours == theirs
    return abs(ours - theirs) <= TOLERANCE * max(abs(ours), abs(theirs), scale)
