"""Python source for declared functions: what a chapter's cells see, as text for a notebook.

A chapter's notebook starts with a cell that defines ``f(x, y)`` and
``grad_f(x, y)`` for every declared ``f``, so that its cells run in Jupyter as
they ran on the site (function.py gives the site's cells the same names). The
source is generated from the same checked tree that compile.py turns into numpy
closures, and it computes the same values, operation by operation:

* the arguments become float64 arrays, and the result is broadcast to their
  shape: ``f(1, 2)`` is the float ``5.0``, not the integer ``5``, as on the site;
* numpy's warnings about values out of a function's domain are off inside the
  function (``log(0)`` is ``-inf`` without a message), as compile.py has it;
* the language's functions are numpy's of the same name (``np.sin``, ...,
  ``np.where``), ``pi`` and ``e`` are ``np.pi`` and ``np.e``;
* a chained comparison ``a < b < c`` is ``(a < b) & (b < c)``, which numpy's
  arrays need (compile.py's ``_chain`` combines them the same way);
* a function without a declared gradient gets the numerical one of numeric.py,
  with the same steps and the same order of floating-point operations.

Nothing here evaluates anything: the text is written with ``ast.unparse`` from a
checked tree (a copy, or one parsed for the purpose), so operator precedence is
Python's own.
"""

from __future__ import annotations

import ast
import copy
from collections.abc import Iterable

from .function import CompiledFunction
from .language import CONSTANTS, FUNCTIONS
from .numeric import RELATIVE_STEP
from .parse import Expression, parse_expression

# Every function of the language is numpy's ufunc of the same name.
assert all(name.isidentifier() for name in FUNCTIONS)

# Helpers the generated functions call; renamed with trailing underscores if a
# declared function or a variable takes one of these names.
_HELPERS = ("np", "_floats", "_shaped", "_stacked", "_numerical_gradient")


def python_expression(expression: Expression, numpy: str = "np") -> str:
    """The Python text of a checked expression over its variables, with numpy as
    ``numpy``. Evaluated on float64 arrays, it gives compile.py's values."""
    return _python_text(copy.deepcopy(expression.tree), numpy)


def _python_text(tree: ast.AST, numpy: str) -> str:
    """``python_expression`` of a tree nothing else holds: rewritten in place."""
    return ast.unparse(ast.fix_missing_locations(_Numpy(numpy).visit(tree)))


def _fresh_python(source: str, variables: tuple[str, ...], numpy: str) -> str:
    """The Python text of a declared source, from a tree parsed for it alone (not
    copied: copying the tree took half the time of writing a notebook's functions)."""
    return _python_text(parse_expression(source, variables).tree, numpy)


def functions_source(functions: Iterable[CompiledFunction]) -> str:
    """A module defining ``name`` and ``grad_name`` for each function (sorted by name,
    so the same functions give the same text), with numpy imported as ``np``."""
    functions = sorted(functions, key=lambda function: function.name)
    names = _names(functions)
    np = names["np"]
    numerical = any(function.gradient is None for function in functions)
    parts = [f"import numpy as {np}"]
    if functions:
        parts.append(_helpers(names, numerical))
        parts += [_definitions(function, names) for function in functions]
    return "\n\n\n".join(parts) + "\n"


def numpy_name(functions: Iterable[CompiledFunction]) -> str:
    """The name ``functions_source`` imports numpy as: ``np``, unless a function or a
    variable has that name."""
    return _names(list(functions))["np"]


def _names(functions: list[CompiledFunction]) -> dict[str, str]:
    taken = {name for function in functions
             for name in (function.name, f"grad_{function.name}", *function.vars)}
    return {helper: _free(helper, taken) for helper in _HELPERS}


def _free(name: str, taken: set[str]) -> str:
    while name in taken:
        name += "_"
    return name


def _helpers(names: dict[str, str], numerical: bool) -> str:
    np = names["np"]
    helpers = [
        f'''def {names["_floats"]}(*values):
    """The arguments as float64 arrays, as the site's cells get them."""
    return [{np}.asarray(value, dtype=float) for value in values]''',
        f'''def {names["_shaped"]}(value, *arguments):
    """A function's value, broadcast to its arguments' shape: a float for numbers."""
    shape = {np}.broadcast_shapes(*(argument.shape for argument in arguments))
    return {np}.array({np}.broadcast_to(value, shape), dtype=float)[()]''',
        f'''def {names["_stacked"]}(components, *arguments):
    """A gradient: one row per variable, each broadcast to the arguments' shape."""
    shape = {np}.broadcast_shapes(*(argument.shape for argument in arguments))
    return {np}.stack([{np}.broadcast_to({np}.asarray(component, dtype=float), shape)
                     for component in components])''',
    ]
    if numerical:
        helpers.append(f'''def {names["_numerical_gradient"]}(value, point, half_widths):
    """The gradient by central differences with Richardson extrapolation (error of
    order h**4), where h is {RELATIVE_STEP!r} times the larger of |x_i| and half the
    domain's width; nan where the function itself is not finite."""
    shape = {np}.broadcast_shapes(*(coordinate.shape for coordinate in point))
    point = [{np}.broadcast_to(coordinate, shape) for coordinate in point]

    def at(i, delta):
        moved = list(point)
        moved[i] = point[i] + delta
        return {np}.asarray(value(*moved), dtype=float)

    components = []
    for i, half_width in enumerate(half_widths):
        h = {RELATIVE_STEP!r} * {np}.maximum({np}.abs(point[i]), half_width)
        coarse = (at(i, h) - at(i, -h)) / (2.0 * h)
        half = h / 2.0
        fine = (at(i, half) - at(i, -half)) / h
        components.append((4.0 * fine - coarse) / 3.0)
    defined = {np}.isfinite({np}.asarray(value(*point), dtype=float))
    return {np}.stack([{np}.where(defined, component, {np}.nan) for component in components])''')
    return "\n\n\n".join(helpers)


def _definitions(function: CompiledFunction, names: dict[str, str]) -> str:
    np = names["np"]
    arguments = ", ".join(function.vars)
    unpacked = f"[{arguments}]" if len(function.vars) == 1 else arguments
    convert = f"    {unpacked} = {names['_floats']}({arguments})"
    ignore = f'    with {np}.errstate(all="ignore"):'
    value = _fresh_python(function.expr, function.vars, np)
    head = f"{function.name}({arguments})"
    lines = [f"def {head}:", _docstring(f"{head} = {function.expr}"), convert, ignore,
             f"        return {names['_shaped']}({value}, {arguments})"]
    gradient = [f"def grad_{head}:"]
    if function.gradient is not None:
        components = ", ".join(_fresh_python(source, function.vars, np)
                               for source in function.gradient)
        gradient += [_docstring(f"The gradient of {function.name}, as declared: "
                                f"[{', '.join(function.gradient)}]"),
                     convert, ignore,
                     f"        return {names['_stacked']}([{components}], {arguments})"]
    else:
        half_widths = ", ".join(repr((high - low) / 2.0) for low, high in function.domain)
        gradient += [_docstring(f"The gradient of {function.name}, computed numerically "
                                "(none is declared)"),
                     convert, ignore,
                     f"        return {names['_numerical_gradient']}(lambda {arguments}: {value}, "
                     f"[{arguments}], [{half_widths}])"]
    return "\n".join(lines) + "\n\n\n" + "\n".join(gradient)


def _docstring(text: str) -> str:
    text = " ".join(text.split())  # an expression written over several YAML lines
    if '"' in text or "\\" in text:  # not in a checked expression; a name could hold none
        return f"    {text!r}"
    return f'    """{text}"""'


class _Numpy(ast.NodeTransformer):
    """The language's names as numpy's; chained comparisons as ``&`` of pairs."""

    def __init__(self, numpy: str) -> None:
        self.numpy = numpy

    def _attribute(self, name: str) -> ast.Attribute:
        return ast.Attribute(ast.Name(self.numpy, ast.Load()), name, ast.Load())

    def visit_Name(self, node: ast.Name) -> ast.expr:
        if node.id in CONSTANTS:
            return self._attribute(node.id)
        return node

    def visit_Call(self, node: ast.Call) -> ast.expr:
        node.args = [self.visit(arg) for arg in node.args]
        if isinstance(node.func, ast.Name) and node.func.id in FUNCTIONS:
            node.func = self._attribute(node.func.id)
        return node

    def visit_Compare(self, node: ast.Compare) -> ast.expr:
        operands = [self.visit(node.left), *(self.visit(c) for c in node.comparators)]
        pairs: list[ast.expr] = [
            ast.Compare(operands[i], [op], [operands[i + 1]]) for i, op in enumerate(node.ops)]
        result = pairs[0]
        for pair in pairs[1:]:
            result = ast.BinOp(result, ast.BitAnd(), pair)
        return result
