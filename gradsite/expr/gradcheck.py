"""The gradient check: a declared gradient against central finite differences.

Spec section 3: "A course can never publish a wrong gradient." declare.py
runs this check for every function that declares a ``gradient`` and turns each
mismatch into a build error naming the component, the point, the declared and
the numerical value.

The points. ``CHECK_POINTS`` (32) points of a Halton sequence (bases 2, 3,
5, ...) with a fixed Cranley-Patterson shift (multiples of the golden ratio),
mapped into the domain with a margin of 1% of its width on each side. The set
is reproducible (no randomness) and spreads evenly over the domain, and the
shift keeps points off the round numbers (0, the domain's midpoint, grid
lines) where kinks and singularities of hand-written functions tend to sit.

The numerical value. Along variable ``i`` at point ``p``, with the step ``h``
of numeric.py (``1e-4 * max(|p_i|, half the domain width)``): the central
differences ``D(h)`` and ``D(h/2)`` and their Richardson extrapolation
``N = (4 D(h/2) - D(h)) / 3`` (error of order ``h**4``).

Points that are skipped, per component: where ``f`` is not finite at ``p``,
``p ± h`` or ``p ± h/2`` (``log(x)`` at ``x <= 0``, ``1/x`` at 0, ``sqrt`` left
of 0); where the differences have not converged, ``|D(h) - D(h/2)| > 1e-3 *
max(|N|, G) + noise`` (next to a singularity, or across a kink); and where the
function has a kink at ``p`` (the one-sided slopes differ by as much at
``h/2`` as at ``h``, while for a smooth function the gap halves).

The tolerance. A declared value ``d`` disagrees with ``N`` when

    |d - N| > 1e-4 * max(|d|, |N|, G) + noise

where ``G`` is the typical size of the gradient, the median over the usable
points of the largest component, and ``noise = 16 * eps * max|f| / h`` bounds
the rounding error of the differences (``eps`` is the float64 machine
epsilon). The rule is invariant under scaling ``f`` or its variables: a
component that is small at one point is judged against the gradient's size
elsewhere, not against 0. Smooth functions are differentiated to about 1e-9
relative, so a gradient that is off by 0.1% anywhere in the domain fails,
while rounding and truncation never make a right gradient fail. A declared
value that is not finite where the numerical one is counts as a mismatch.

When fewer than ``MIN_POINTS`` (4) points remain for some component, the
gradient is not checked at all, and declare.py says so in a warning.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .function import CompiledFunction
from .numeric import shifted, steps

CHECK_POINTS = 32
MIN_POINTS = 4
RELATIVE_TOLERANCE = 1e-4
CONVERGENCE = 1e-3
NOISE_FACTOR = 16.0
MARGIN = 0.01
_GOLDEN = (5**0.5 - 1) / 2


@dataclass(frozen=True)
class Mismatch:
    """One component of a declared gradient that disagrees at one point."""

    component: int
    point: tuple[float, ...]
    declared: float
    numerical: float


@dataclass(frozen=True)
class GradientCheck:
    mismatches: tuple[Mismatch, ...]  # the first mismatch of each wrong component
    usable_points: tuple[int, ...]  # per component: how many points could be checked

    @property
    def complete(self) -> bool:
        """Every component was compared at enough points."""
        return min(self.usable_points, default=0) >= MIN_POINTS

    @property
    def passed(self) -> bool:
        return self.complete and not self.mismatches


@dataclass(frozen=True)
class _Component:
    """Finite differences of one variable at every check point."""

    estimate: np.ndarray  # N, the extrapolated derivative
    spread: np.ndarray  # |D(h) - D(h/2)|
    gap: np.ndarray  # one-sided slopes' difference at h
    gap_half: np.ndarray  # ... and at h/2
    finite: np.ndarray  # f is finite at all five points
    noise: np.ndarray  # bound of the rounding error

    def trusted(self, typical: float) -> np.ndarray:
        """Where the numerical value can be trusted: finite, converged, no kink."""
        with np.errstate(all="ignore"):
            allowance = CONVERGENCE * np.maximum(np.abs(self.estimate), typical) + self.noise
            converged = self.spread <= allowance
            # For a smooth f the gap (about h f'') halves with h; at a kink it
            # stays the size of the jump in slope.
            kink = (np.abs(self.gap_half) > 0.75 * np.abs(self.gap)) & (
                np.abs(self.gap_half) > allowance
            )
        return self.finite & converged & ~kink


def check_points(domain: tuple[tuple[float, float], ...], count: int = CHECK_POINTS) -> np.ndarray:
    """The reproducible check points, shape ``(n, count)``: one row per variable."""
    rows = []
    for j, (low, high) in enumerate(domain):
        base = _PRIMES[j % len(_PRIMES)]
        shift = ((j + 1) * _GOLDEN) % 1.0
        unit = np.array([(_radical_inverse(k, base) + shift) % 1.0 for k in range(1, count + 1)])
        width = high - low
        rows.append(low + width * (MARGIN + (1 - 2 * MARGIN) * unit))
    return np.array(rows)


def check_gradient(function: CompiledFunction) -> GradientCheck:
    """Compare ``function``'s declared gradient with finite differences at the check points."""
    points = check_points(function.domain)
    point = list(points)
    with np.errstate(all="ignore"):
        centre = function.value(*point)
        declared = function.grad(*point)
    half_widths = [(high - low) / 2.0 for low, high in function.domain]
    components = [
        _differentiate(function.value, point, centre, i, half_widths[i])
        for i in range(len(point))
    ]
    typical = _typical_size(components)
    mismatches: list[Mismatch] = []
    usable: list[int] = []
    for i, component in enumerate(components):
        trusted = component.trusted(typical)
        usable.append(int(np.count_nonzero(trusted)))
        wrong = trusted & _disagrees(declared[i], component.estimate, typical, component.noise)
        if np.any(wrong):
            k = int(np.argmax(wrong))
            mismatches.append(
                Mismatch(i, tuple(float(v) for v in points[:, k]), float(declared[i][k]),
                         float(component.estimate[k]))
            )
    return GradientCheck(tuple(mismatches), tuple(usable))


def _differentiate(
    value: Callable[..., np.ndarray],
    point: list[np.ndarray],
    centre: np.ndarray,
    i: int,
    half_width: float,
) -> _Component:
    h = steps(point[i], half_width)
    with np.errstate(all="ignore"):
        plus, minus = value(*shifted(point, i, h)), value(*shifted(point, i, -h))
        plus2, minus2 = value(*shifted(point, i, h / 2)), value(*shifted(point, i, -h / 2))
        coarse = (plus - minus) / (2 * h)
        fine = (plus2 - minus2) / h
        values = np.stack([centre, plus, minus, plus2, minus2])
        return _Component(
            estimate=(4 * fine - coarse) / 3,
            spread=np.abs(coarse - fine),
            gap=(plus - 2 * centre + minus) / h,
            gap_half=(plus2 - 2 * centre + minus2) / (h / 2),
            finite=np.all(np.isfinite(values), axis=0),
            noise=NOISE_FACTOR * np.finfo(float).eps * np.max(np.abs(values), axis=0) / h,
        )


def _typical_size(components: list[_Component]) -> float:
    """The median over the points where f is finite of the gradient's largest component."""
    estimates = np.abs(np.stack([c.estimate for c in components]))
    usable = np.all(np.stack([c.finite for c in components]), axis=0)
    if not np.any(usable):
        return 0.0
    return float(np.median(np.max(estimates[:, usable], axis=0)))


def _disagrees(
    declared: np.ndarray, numerical: np.ndarray, typical: float, noise: np.ndarray
) -> np.ndarray:
    with np.errstate(all="ignore"):
        scale = np.maximum(np.maximum(np.abs(declared), np.abs(numerical)), typical)
        tolerance = RELATIVE_TOLERANCE * scale + noise
        return ~np.isfinite(declared) | (np.abs(declared - numerical) > tolerance)


def _radical_inverse(index: int, base: int) -> float:
    result, fraction = 0.0, 1.0 / base
    while index:
        index, digit = divmod(index, base)
        result += digit * fraction
        fraction /= base
    return result


_PRIMES = (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47)
