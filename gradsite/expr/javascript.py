"""JavaScript for declared functions: the browser computes what numpy computes.

An interactive figure evaluates a declared function and its gradient in the
reader's browser. Its code is generated here from the same checked tree that
compile.py turns into numpy closures, and written into a site asset as source
text: nothing is evaluated from text in the browser either (no ``eval``, no
``new Function``), so a Content-Security-Policy without ``'unsafe-eval'`` holds.

``functions_module`` writes one classic script for a chapter's functions. It
registers each under its name on ``globalThis.GradsiteFunctions`` (an object
without a prototype, so any identifier is a safe key)::

    GradsiteFunctions["f"] = {vars: ["x", "y"], domain: [[-3, 3], [-3, 3]],
                              numericalGradient: false,
                              value: (x, y) => number, grad: (x, y) => [number, number]}

The semantics are numpy's float64 ones, construct by construct:

* variables are the parameters ``v0, v1, ...`` in the function's order, so an
  author's name never meets a JavaScript global or keyword;
* ``+ - * /`` are IEEE operations in both; parentheses keep numpy's order of
  evaluation exactly (``a + (b + c)`` is not ``a + b + c`` in floating point);
* ``**`` is the helper ``power``: ``Math.pow`` except where C's ``pow`` (which
  numpy uses) differs, ``1**nan`` and ``(-1)**inf`` being 1. As a call it also
  sidesteps JavaScript's rule against ``-x ** 2``; ``-x**2`` is ``-power(x, 2)``.
  A constant exponent of 0.5 is ``Math.sqrt``, as numpy computes it (its other
  shortcuts for constant exponents, -1, 0, 1 and 2, give pow's values);
* ``minimum``/``maximum`` are numpy's ufuncs: the first argument when it is
  NaN or strictly smaller (larger), else the second, which propagates NaN and
  gives numpy's signs of zero (``Math.min`` does not);
* the other functions are ``Math``'s, which like numpy give NaN outside their
  domain (``log(-1)``, ``sqrt(-1)``, ``arcsin(2)``) and ±Infinity at poles;
* ``where(c, a, b)`` is ``c ? a : b``: numpy evaluates both branches, which have
  no side effects, so choosing one is the same value. A chained comparison
  ``a < b < c`` evaluates ``b`` once into a local constant, as numpy does;
* ``pi`` and ``e`` are the language's constants, written as their float64 value.

A function without a declared gradient gets the numerical one of numeric.py:
Richardson-extrapolated central differences with the same step rule and
constant (``RELATIVE_STEP``), the same order of floating-point operations, and
NaN where the function itself is not finite. The tests run this code under
Node at the gradient check's points and compare it with numpy.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Iterable

from .compile import compile_expression
from .function import CompiledFunction
from .language import CONSTANTS, FUNCTIONS, ExprError
from .numeric import RELATIVE_STEP
from .parse import Expression, parse_expression

REGISTRY = "GradsiteFunctions"

# How tightly a written node holds together: an operand looser than its
# operator needs parentheses.
_SUM, _PRODUCT, _UNARY, _ATOM = 1, 2, 3, 4

_MATH = {
    "sin": "Math.sin", "cos": "Math.cos", "tan": "Math.tan", "arcsin": "Math.asin",
    "arccos": "Math.acos", "arctan": "Math.atan", "sinh": "Math.sinh", "cosh": "Math.cosh",
    "tanh": "Math.tanh", "exp": "Math.exp", "log": "Math.log", "log2": "Math.log2",
    "log10": "Math.log10", "sqrt": "Math.sqrt", "abs": "Math.abs",
    "minimum": "minimum", "maximum": "maximum",
}
_OPERATORS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}
_COMPARISONS = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "===",
                ast.NotEq: "!=="}
assert set(_MATH) | {"where"} == set(FUNCTIONS), "every function of the language has its JS"

# The helpers every module starts with; see the module's docstring for why each
# differs from the obvious JavaScript.
_RUNTIME = f"""\
  const RELATIVE_STEP = {RELATIVE_STEP!r};
  const power = (a, b) =>
    a === 1 || (a === -1 && (b === Infinity || b === -Infinity)) ? 1 : Math.pow(a, b);
  const minimum = (a, b) => (a < b || a !== a ? a : b);
  const maximum = (a, b) => (a > b || a !== a ? a : b);

  function numericalGradient(value, halfWidths, point) {{
    const defined = Number.isFinite(value(...point));
    return point.map((coordinate, i) => {{
      const at = (delta) => {{
        const moved = point.slice();
        moved[i] = coordinate + delta;
        return value(...moved);
      }};
      const h = RELATIVE_STEP * Math.max(Math.abs(coordinate), halfWidths[i]);
      const coarse = (at(h) - at(-h)) / (2.0 * h);
      const half = h / 2.0;
      const fine = (at(half) - at(-half)) / h;
      return defined ? (4.0 * fine - coarse) / 3.0 : NaN;
    }});
  }}

  function declare(name, vars, domain, value, grad) {{
    const halfWidths = domain.map(([low, high]) => (high - low) / 2.0);
    registry[name] = Object.freeze({{
      vars: Object.freeze(vars),
      domain: Object.freeze(domain.map((pair) => Object.freeze(pair))),
      numericalGradient: grad === null,
      value,
      grad: grad || ((...point) => numericalGradient(value, halfWidths, point)),
    }});
  }}
"""


def parameters(count: int) -> list[str]:
    """The generated functions' parameters: ``v0, v1, ...``, never an author's name."""
    return [f"v{i}" for i in range(count)]


def function_source(expressions: Iterable[Expression], indent: str = "",
                    vector: bool = False) -> str:
    """``function (v0, v1) {...}`` returning the value of one expression, or with
    ``vector`` the array of the values of each (a gradient); they share their variables."""
    expressions = list(expressions)
    writer = _Writer(expressions[0].variables)
    values = [writer.write(e.tree).text for e in expressions]
    result = f"[{', '.join(values)}]" if vector else values[0]
    body = [f"{indent}  const {name} = {value};" for name, value in writer.locals]
    body.append(f"{indent}  return {result};")
    head = f"function ({', '.join(parameters(len(expressions[0].variables)))}) {{"
    return "\n".join([head, *body, f"{indent}}}"])


def expression_source(expression: Expression) -> str:
    """The JavaScript expression of a checked expression that has no chained comparison
    (a chain needs a local constant: use ``function_source``)."""
    writer = _Writer(expression.variables)
    text = writer.write(expression.tree).text
    if writer.locals:
        raise ValueError("a chained comparison needs function_source")
    return text


def declaration(function: CompiledFunction) -> str:
    """The ``declare(...)`` statement registering one function."""
    value = parse_expression(function.expr, function.vars)
    if function.gradient is None:
        grad = "null"
    else:
        grad = function_source(
            (parse_expression(source, function.vars) for source in function.gradient), "    ",
            vector=True)
    domain = ", ".join(f"[{_number(low)}, {_number(high)}]" for low, high in function.domain)
    return (f"  declare({json.dumps(function.name)}, {json.dumps(list(function.vars))}, "
            f"[{domain}],\n"
            f"    {function_source([value], '    ')},\n"
            f"    {grad});\n")


def functions_module(functions: Iterable[CompiledFunction]) -> str:
    """One classic script registering ``functions`` (sorted by name, so the same
    functions give the same bytes) on ``globalThis.GradsiteFunctions``."""
    declarations = "\n".join(declaration(f) for f in sorted(functions, key=lambda f: f.name))
    return (
        "// Generated by gradsite from the chapter's declared functions.\n"
        "(function () {\n"
        '  "use strict";\n'
        f"  const registry = globalThis.{REGISTRY} ||\n"
        f"    (globalThis.{REGISTRY} = Object.create(null));\n"
        f"{_RUNTIME}\n{declarations}"
        "})();\n"
    )


def _number(value: float) -> str:
    """A float64 as JavaScript reads it back to the same value."""
    number = float(value)
    if number.is_integer() and abs(number) < 2**53:
        return str(int(number))
    return repr(number)  # shortest round-trip form; 1e-05 and 1e+20 are JavaScript too


def _constant_value(node: ast.expr) -> float | None:
    """The value of a part without variables, folded by numpy as compile.py folds it."""
    if any(isinstance(n, ast.Name) and n.id not in CONSTANTS for n in ast.walk(node)):
        return None
    try:
        evaluate = compile_expression(Expression(ast.unparse(node), node, (), frozenset()))
    except ExprError:  # not finite: a checked function has no such part, numpy no shortcut
        return None
    return float(evaluate(()))


class _Js:
    """A written node and how tightly it holds together."""

    def __init__(self, text: str, level: int) -> None:
        self.text = text
        self.level = level

    def at_least(self, level: int) -> str:
        """The text as an operand that must hold at ``level``."""
        return self.text if self.level >= level else f"({self.text})"


class _Writer:
    """Writes the nodes of checked trees over one list of variables."""

    def __init__(self, variables: tuple[str, ...]) -> None:
        self.position = {name: i for i, name in enumerate(variables)}
        self.locals: list[tuple[str, str]] = []  # (name, value) in the order they are needed

    def write(self, node: ast.expr) -> _Js:
        if isinstance(node, ast.Constant):
            assert isinstance(node.value, int | float)  # parse.py allows numbers only
            return _Js(_number(node.value), _ATOM)
        if isinstance(node, ast.Name):
            if node.id in CONSTANTS:
                return _Js(_number(CONSTANTS[node.id]), _ATOM)
            return _Js(f"v{self.position[node.id]}", _ATOM)
        if isinstance(node, ast.UnaryOp):
            return self._unary(node)
        if isinstance(node, ast.BinOp):
            return self._binary(node)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            return self._call(node.func.id, node.args)
        raise AssertionError(f"unchecked node {ast.dump(node)}")  # parse.py rejects it

    def _unary(self, node: ast.UnaryOp) -> _Js:
        operand = self.write(node.operand)
        if isinstance(node.op, ast.UAdd):
            return operand  # np.positive returns its float argument unchanged
        # "- -x" must not become "--x", a decrement
        inner = operand.text if operand.level > _UNARY and not operand.text.startswith("-") else (
            f"({operand.text})")
        return _Js(f"-{inner}", _UNARY)

    def _binary(self, node: ast.BinOp) -> _Js:
        left, right = self.write(node.left), self.write(node.right)
        if isinstance(node.op, ast.Pow):
            if _constant_value(node.right) == 0.5:
                # numpy's power takes a constant exponent of 0.5 as sqrt, whose -0 and
                # -inf differ from pow's: sqrt(-0) is -0, sqrt(-inf) is nan
                return _Js(f"Math.sqrt({left.text})", _ATOM)
            return _Js(f"power({left.text}, {right.text})", _ATOM)
        level = _SUM if isinstance(node.op, ast.Add | ast.Sub) else _PRODUCT
        # Left-associative: the right operand of the same level keeps its parentheses,
        # so the order of floating-point operations stays numpy's.
        return _Js(f"{left.at_least(level)} {_OPERATORS[type(node.op)]} "
                   f"{right.at_least(level + 1)}", level)

    def _call(self, name: str, args: list[ast.expr]) -> _Js:
        if name == "where":
            condition = self._condition(args[0])
            then, otherwise = self.write(args[1]), self.write(args[2])
            return _Js(f"({condition} ? {then.text} : {otherwise.text})", _ATOM)
        written = ", ".join(self.write(arg).text for arg in args)
        return _Js(f"{_MATH[name]}({written})", _ATOM)

    def _condition(self, node: ast.expr) -> str:
        if not isinstance(node, ast.Compare):
            # where's first argument is a number: numpy takes it as true unless 0 (NaN is true)
            return f"{self.write(node).text} !== 0"
        operands = [self.write(node.left).text]
        last = len(node.comparators) - 1
        for i, comparator in enumerate(node.comparators):
            text = self.write(comparator).text
            if i < last and not isinstance(comparator, ast.Name | ast.Constant):
                # a middle operand is evaluated once, as numpy does
                name = f"t{len(self.locals)}"
                self.locals.append((name, text))
                text = name
            operands.append(text)
        parts = [f"{operands[i]} {_COMPARISONS[type(op)]} {operands[i + 1]}"
                 for i, op in enumerate(node.ops)]
        return " && ".join(parts)
