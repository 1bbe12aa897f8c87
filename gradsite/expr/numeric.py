"""Numerical derivatives: central differences with Richardson extrapolation.

A declared function without a declared gradient gets this gradient (plots,
answers, ``grad_f`` in cells), and the gradient check (gradcheck.py) compares
a declared gradient with it.

Along variable ``i`` the step is ``h = 1e-4 * max(|x_i|, w_i)``, where ``w_i``
is half the width of the function's domain in that variable: relative to the
point far from the origin, relative to the domain's scale near it. With
``D(h) = (f(x + h) - f(x - h)) / 2h``, the estimate is
``(4 D(h/2) - D(h)) / 3``, whose truncation error is of order ``h**4``; for
smooth functions on domains of ordinary size it is accurate to about 1e-9
relative, far below what a plot or an answer's tolerance can see.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

RELATIVE_STEP = 1e-4

Function = Callable[..., np.ndarray]


@dataclass(frozen=True)
class Differences:
    """The central differences of one variable at steps ``h`` and ``h/2``."""

    coarse: np.ndarray  # D(h)
    fine: np.ndarray  # D(h/2)
    step: np.ndarray  # h

    @property
    def estimate(self) -> np.ndarray:
        """Richardson's extrapolation of the two: error of order h**4."""
        return (4.0 * self.fine - self.coarse) / 3.0


def steps(point: np.ndarray, half_width: float) -> np.ndarray:
    return RELATIVE_STEP * np.maximum(np.abs(point), half_width)


def shifted(point: Sequence[np.ndarray], i: int, delta: np.ndarray) -> list[np.ndarray]:
    """``point`` moved by ``delta`` along variable ``i``."""
    moved = list(point)
    moved[i] = point[i] + delta
    return moved


def differences(
    function: Function, point: Sequence[np.ndarray], i: int, half_width: float
) -> Differences:
    """Central differences of ``function`` along variable ``i`` (arrays of one shape)."""
    h = steps(point[i], half_width)
    coarse = (function(*shifted(point, i, h)) - function(*shifted(point, i, -h))) / (2.0 * h)
    half = h / 2.0
    fine = (function(*shifted(point, i, half)) - function(*shifted(point, i, -half))) / h
    return Differences(coarse, fine, h)


def numerical_gradient(
    function: Function, point: Sequence[np.ndarray], half_widths: Sequence[float]
) -> np.ndarray:
    """The gradient by Richardson-extrapolated central differences, shape ``(n, ...)``.

    Where the function itself is not finite (at a pole, outside its domain of
    definition) the gradient is nan: differences across a pole mean nothing.
    """
    components = [
        differences(function, point, i, half_widths[i]).estimate for i in range(len(point))
    ]
    defined = np.isfinite(function(*point))
    return np.stack([np.where(defined, component, np.nan) for component in components])
