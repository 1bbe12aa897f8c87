"""A declared function, checked and ready to evaluate: :class:`CompiledFunction`.

The value holds plain data only (sources, variables, domain, LaTeX), so it
pickles into the cell workers (STYLE.md, practice 7). The numpy callables are
compiled from the sources on first use and cached on the instance, outside the
pickled state; the sources were checked by declare.py before any
CompiledFunction was made.

``function_namespace`` gives the callables that a chapter's cells see (spec
section 3): ``f(x, y)`` and ``grad_f(x, y)`` for every declared ``f``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any

import numpy as np

from .compile import Evaluator, compile_expression
from .numeric import numerical_gradient
from .parse import parse_expression

DEFAULT_DOMAIN = (-3.0, 3.0)


@dataclass(frozen=True)
class CompiledFunction:
    """A declared function: its sources and what the build learned about it."""

    name: str
    vars: tuple[str, ...]
    expr: str
    gradient: tuple[str, ...] | None  # the author's gradient, one source per variable
    domain: tuple[tuple[float, float], ...]  # one (low, high) per variable
    tex: str  # the author's LaTeX, or LaTeX generated from expr
    gradient_tex: tuple[str, ...]  # LaTeX of the declared gradient; () when numerical
    gradient_checked: bool  # the declared gradient agreed with finite differences

    def value(self, *arrays: Any) -> np.ndarray:
        """The function at the given points (broadcast), as a float array."""
        args, shape = self._arguments(arrays)
        evaluate = self._compiled()[0]
        with np.errstate(all="ignore"):
            result = evaluate(tuple(args))
        return np.array(np.broadcast_to(result, shape), dtype=float)

    def grad(self, *arrays: Any) -> np.ndarray:
        """The gradient at the given points: shape ``(n, *broadcast shape)``."""
        args, shape = self._arguments(arrays)
        components = self._compiled()[1]
        with np.errstate(all="ignore"):
            if components is None:
                half_widths = [(high - low) / 2.0 for low, high in self.domain]
                point = [np.broadcast_to(a, shape) for a in args]
                return numerical_gradient(self._value_of_arrays, point, half_widths)
            values = [run(tuple(args)) for run in components]
        return np.stack([np.broadcast_to(np.asarray(v, dtype=float), shape) for v in values])

    @property
    def signature(self) -> str:
        """``f(x, y)``, as messages and alt texts name the function."""
        return f"{self.name}({', '.join(self.vars)})"

    # --- internals ---------------------------------------------------------

    def _value_of_arrays(self, *arrays: np.ndarray) -> np.ndarray:
        return np.asarray(self._compiled()[0](arrays), dtype=float)

    def _arguments(self, arrays: tuple[Any, ...]) -> tuple[list[np.ndarray], tuple[int, ...]]:
        if len(arrays) != len(self.vars):
            count = len(self.vars)
            raise TypeError(
                f"{self.signature} takes {count} argument{'s' if count != 1 else ''}, "
                f"got {len(arrays)}"
            )
        args = [np.asarray(a, dtype=float) for a in arrays]
        return args, np.broadcast_shapes(*(a.shape for a in args))

    def _compiled(self) -> tuple[Evaluator, tuple[Evaluator, ...] | None]:
        cached = self.__dict__.get("_evaluators")
        if cached is None:
            cached = self._compile()
            self.__dict__["_evaluators"] = cached  # a cache: not part of the value
        return cached

    def _compile(self) -> tuple[Evaluator, tuple[Evaluator, ...] | None]:
        value = compile_expression(parse_expression(self.expr, self.vars))
        if self.gradient is None:
            return value, None
        return value, tuple(
            compile_expression(parse_expression(source, self.vars)) for source in self.gradient
        )

    def __getstate__(self) -> dict[str, Any]:
        # Closures do not pickle; the receiving process compiles again on first use.
        return {f.name: getattr(self, f.name) for f in fields(self)}


class _Value:
    """``f(x, y)`` in a cell: a number for numbers, an array for arrays."""

    def __init__(self, function: CompiledFunction) -> None:
        self.function = function
        self.__name__ = function.name
        self.__doc__ = f"{function.signature} = {function.expr}"

    def __call__(self, *arrays: Any) -> Any:
        return self.function.value(*arrays)[()]

    def __repr__(self) -> str:
        return f"<declared function {self.__doc__}>"


class _Gradient:
    """``grad_f(x, y)`` in a cell: an array with one row per variable."""

    def __init__(self, function: CompiledFunction) -> None:
        self.function = function
        self.__name__ = f"grad_{function.name}"
        kind = "declared" if function.gradient is not None else "numerical"
        self.__doc__ = f"the gradient of {function.signature} ({kind}), shape (n, ...)"

    def __call__(self, *arrays: Any) -> np.ndarray:
        return self.function.grad(*arrays)

    def __repr__(self) -> str:
        return f"<{self.__doc__}>"


def function_namespace(functions: dict[str, CompiledFunction]) -> dict[str, Callable[..., Any]]:
    """``{'f': ..., 'grad_f': ...}`` for every declared function, to seed a cell's namespace."""
    namespace: dict[str, Callable[..., Any]] = {}
    for name, function in functions.items():
        namespace[name] = _Value(function)
        namespace[f"grad_{name}"] = _Gradient(function)
    return namespace
