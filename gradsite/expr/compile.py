"""Compiling: a checked expression -> a vectorised numpy callable.

The checked tree (parse.py) is turned into nested closures, one per node, that
call numpy ufuncs. No text is ever handed to ``eval`` or ``exec``, and the
closures can only do what the whitelist allows: there is no path from an
expression to Python's builtins.

Every number is a float64, so a power never builds a huge integer. Parts of an
expression that do not depend on a variable are folded while compiling; a
folded part that is not a finite number (``10**10**10`` overflows to inf,
``log(0)`` is -inf) is an author error, reported at that part. At run time
non-finite values are expected (a function may be singular at a point) and
numpy's warnings about them are switched off for the call only: the callers
(function.py, answers.py) evaluate inside ``np.errstate(all="ignore")``.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from .language import CONSTANTS, FUNCTIONS, ExprError
from .parse import Expression, SourceMap, index_value

Env = tuple[Any, ...]
Evaluator = Callable[[Env], Any]

_BINARY: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: np.add,
    ast.Sub: np.subtract,
    ast.Mult: np.multiply,
    ast.Div: np.divide,
    ast.Pow: np.power,
}
_UNARY: dict[type[ast.unaryop], Callable[[Any], Any]] = {
    ast.USub: np.negative,
    ast.UAdd: np.positive,
}
_COMPARE: dict[type[ast.cmpop], Callable[[Any, Any], Any]] = {
    ast.Lt: np.less,
    ast.LtE: np.less_equal,
    ast.Gt: np.greater,
    ast.GtE: np.greater_equal,
    ast.Eq: np.equal,
    ast.NotEq: np.not_equal,
}


def compile_expression(
    expression: Expression, callees: Mapping[str, Callable[..., Any]] | None = None
) -> Evaluator:
    """A callable taking the variables' values, in ``expression.variables`` order.

    ``callees`` implements the declared functions an answer may call (by name).
    Raises ExprError when a constant part of the expression is not finite.
    """
    positions = expression.positions or SourceMap(expression.source)
    compiler = _Compiler(expression.variables, callees or {}, positions)
    run, _ = compiler.compile(expression.tree)
    return run


def _constant(value: Any) -> Evaluator:
    return lambda env: value


class _Compiler:
    """Builds one closure per node; a node with only constant children is folded."""

    def __init__(
        self,
        variables: tuple[str, ...],
        callees: Mapping[str, Callable[..., Any]],
        positions: SourceMap,
    ) -> None:
        self.index = {name: i for i, name in enumerate(variables)}
        self.callees = callees
        self.positions = positions

    def compile(self, node: ast.expr) -> tuple[Evaluator, bool]:
        """The closure for ``node`` and whether it is a constant."""
        if isinstance(node, ast.Constant):
            assert isinstance(node.value, int | float)  # parse.py allows numbers only
            return _constant(np.float64(node.value)), True
        if isinstance(node, ast.Name):
            return self._name(node.id)
        parts, function = self._parts(node)
        compiled = [self.compile(part) for part in parts]
        runs = tuple(run for run, _ in compiled)
        run = _apply(function, runs)
        if all(constant for _, constant in compiled):
            return _constant(self._fold(node, run)), True
        return run, False

    def _name(self, name: str) -> tuple[Evaluator, bool]:
        if name in CONSTANTS:
            return _constant(np.float64(CONSTANTS[name])), True
        position = self.index[name]
        return (lambda env: env[position]), False

    def _parts(self, node: ast.expr) -> tuple[list[ast.expr], Callable[..., Any]]:
        """The operands of ``node`` and the function that combines their values."""
        if isinstance(node, ast.BinOp):
            return [node.left, node.right], _BINARY[type(node.op)]
        if isinstance(node, ast.UnaryOp):
            return [node.operand], _UNARY[type(node.op)]
        if isinstance(node, ast.Compare):
            ops = tuple(_COMPARE[type(op)] for op in node.ops)
            return [node.left, *node.comparators], _chain(ops)
        if isinstance(node, ast.Subscript):
            position = index_value(node.slice)
            return [node.value], lambda vector: vector[position]
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            name = node.func.id
            function = FUNCTIONS[name][1] if name in FUNCTIONS else self.callees[name]
            return list(node.args), function
        raise AssertionError(f"unchecked node {ast.dump(node)}")  # parse.py rejects it

    def _fold(self, node: ast.expr, run: Evaluator) -> Any:
        with np.errstate(all="ignore"):
            value = run(())
        array = np.asarray(value)
        # A gradient (a vector) is checked once indexed: one undefined component
        # does not spoil the others.
        if array.ndim == 0 and array.dtype.kind == "f" and not np.isfinite(array):
            shown = "nan" if np.isnan(array) else "-inf" if array < 0 else "inf"
            raise ExprError(
                f"'{self.positions.text(node)}' is not a finite number (it is {shown})",
                self.positions.offset(node),
                _fold_hint(node),
            )
        return value


def _fold_hint(node: ast.expr) -> str:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow):
        return "the power overflows: 64-bit floats end at about 1.8e308"
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        return "a division by zero"
    if isinstance(node, ast.Call):
        return "the function is not defined at this argument"
    return "a constant part of the expression overflows or is undefined"


def _apply(function: Callable[..., Any], runs: tuple[Evaluator, ...]) -> Evaluator:
    if len(runs) == 1:
        (first,) = runs
        return lambda env: function(first(env))
    if len(runs) == 2:
        left, right = runs
        return lambda env: function(left(env), right(env))
    return lambda env: function(*(run(env) for run in runs))


def _chain(ops: tuple[Callable[[Any, Any], Any], ...]) -> Callable[..., Any]:
    """``a < b <= c`` as ``(a < b) & (b <= c)``, each operand evaluated once."""

    def compare(*values: Any) -> Any:
        result = ops[0](values[0], values[1])
        for i, op in enumerate(ops[1:], start=1):
            result = np.logical_and(result, op(values[i], values[i + 1]))
        return result

    return compare
