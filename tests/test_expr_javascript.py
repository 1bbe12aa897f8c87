"""The JavaScript source written for declared functions (expr/javascript.py).

What each construct becomes, parentheses included, and the module that
registers a chapter's functions: deterministic, sorted, free of eval, with the
author's names only as data. That the code computes numpy's values is
test_expr_javascript_numpy.py's part.
"""

from __future__ import annotations

import re

import pytest

from gradsite.expr import CompiledFunction, parse_expression
from gradsite.expr.javascript import (
    REGISTRY,
    expression_source,
    function_source,
    functions_module,
)
from gradsite.expr.numeric import RELATIVE_STEP


def js(source: str, variables: tuple[str, ...] = ("x", "y")) -> str:
    return expression_source(parse_expression(source, variables))


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # numbers keep their float64 value; variables are parameters by position
        ("2", "2"), ("2.5", "2.5"), ("1e-5", "1e-05"), ("1e20", "1e+20"), ("4096.0", "4096"),
        ("1e300", "1e+300"), ("12345678901234567890", "1.2345678901234567e+19"),
        ("x", "v0"), ("y", "v1"), ("pi", "3.141592653589793"), ("e", "2.718281828459045"),
        # + - * / keep numpy's grouping, and no more parentheses than that needs
        ("x + y", "v0 + v1"), ("x - y - x", "v0 - v1 - v0"), ("x - (y - x)", "v0 - (v1 - v0)"),
        ("x + (y + x)", "v0 + (v1 + v0)"), ("x * y / 2", "v0 * v1 / 2"),
        ("x / (y * 2)", "v0 / (v1 * 2)"), ("(x + y) * 2", "(v0 + v1) * 2"),
        ("x + y * 2", "v0 + v1 * 2"), ("x * y + 2", "v0 * v1 + 2"),
        # unary minus: never "--", a decrement; a sum or product it negates is grouped
        ("-x", "-v0"), ("--x", "-(-v0)"), ("- - -x", "-(-(-v0))"), ("+x", "v0"),
        ("-+x", "-v0"), ("-(x + y)", "-(v0 + v1)"), ("-(x*y)", "-(v0 * v1)"),
        ("-x*y", "-v0 * v1"), ("x - -y", "v0 - -v1"), ("x * -y", "v0 * -v1"),
        ("-2", "-2"),
        # powers are calls, so -x**2 needs no rule: it is -(x**2) as in Python
        ("x**2", "power(v0, 2)"), ("-x**2", "-power(v0, 2)"), ("(-x)**2", "power(-v0, 2)"),
        ("x**-1", "power(v0, -1)"), ("2**x**2", "power(2, power(v0, 2))"),
        ("(2**x)**2", "power(power(2, v0), 2)"), ("x**y", "power(v0, v1)"),
        ("(x + 1)**(1/3)", "power(v0 + 1, 1 / 3)"),
        # numpy computes a constant exponent of 0.5 as sqrt
        ("x**0.5", "Math.sqrt(v0)"), ("(x + y)**(1/2)", "Math.sqrt(v0 + v1)"),
        ("x**(0.25*2)", "Math.sqrt(v0)"), ("x**(y/2)", "power(v0, v1 / 2)"),
        ("x**(1/0)", "power(v0, 1 / 0)"),  # unchecked: a constant that is not finite
        # the functions
        ("sin(x)", "Math.sin(v0)"), ("cos(x)", "Math.cos(v0)"), ("tan(x)", "Math.tan(v0)"),
        ("arcsin(x)", "Math.asin(v0)"), ("arccos(x)", "Math.acos(v0)"),
        ("arctan(x)", "Math.atan(v0)"), ("sinh(x)", "Math.sinh(v0)"),
        ("cosh(x)", "Math.cosh(v0)"), ("tanh(x)", "Math.tanh(v0)"), ("exp(x)", "Math.exp(v0)"),
        ("log(x)", "Math.log(v0)"), ("log2(x)", "Math.log2(v0)"),
        ("log10(x)", "Math.log10(v0)"), ("sqrt(x)", "Math.sqrt(v0)"),
        ("abs(x)", "Math.abs(v0)"), ("minimum(x, y)", "minimum(v0, v1)"),
        ("maximum(x, 2*y)", "maximum(v0, 2 * v1)"), ("-sin(x)", "-Math.sin(v0)"),
        # where: a conditional, grouped; each comparison; a number as the condition
        ("where(x > 0, x, 0)", "(v0 > 0 ? v0 : 0)"),
        ("where(x >= y, 1, 2)", "(v0 >= v1 ? 1 : 2)"),
        ("where(x < y, 1, 2)", "(v0 < v1 ? 1 : 2)"), ("where(x <= y, 1, 2)", "(v0 <= v1 ? 1 : 2)"),
        ("where(x == y, 1, 2)", "(v0 === v1 ? 1 : 2)"),
        ("where(x != y, 1, 2)", "(v0 !== v1 ? 1 : 2)"),
        ("where(x, 1, 2)", "(v0 !== 0 ? 1 : 2)"),
        ("where(x - y, 1, 2)", "(v0 - v1 !== 0 ? 1 : 2)"),
        ("where(0 < x < 1, x, 0)", "(0 < v0 && v0 < 1 ? v0 : 0)"),
        ("-where(x > 0, x, 0)**2", "-power((v0 > 0 ? v0 : 0), 2)"),
        ("2*where(x > 0, 1, -1)", "2 * (v0 > 0 ? 1 : -1)"),
        ("where(x > 0, where(y > 0, 1, 2), 3)", "(v0 > 0 ? (v1 > 0 ? 1 : 2) : 3)"),
    ],
)
def test_each_construct_is_written_as_expected(source: str, expected: str) -> None:
    assert js(source) == expected


def test_a_chained_comparison_evaluates_its_middle_operands_once() -> None:
    expression = parse_expression("where(-1 <= x*y < sin(y) <= 1, x, y)", ("x", "y"))
    assert function_source([expression]) == (
        "function (v0, v1) {\n"
        "  const t0 = v0 * v1;\n"
        "  const t1 = Math.sin(v1);\n"
        "  return (-1 <= t0 && t0 < t1 && t1 <= 1 ? v0 : v1);\n"
        "}"
    )
    with pytest.raises(ValueError, match="function_source"):
        expression_source(expression)


def test_a_gradient_is_one_function_returning_an_array_even_of_one_component() -> None:
    components = [parse_expression(s, ("x",)) for s in ["3*x**2 - 3"]]
    assert function_source(components, vector=True) == (
        "function (v0) {\n  return [3 * power(v0, 2) - 3];\n}")


def test_names_of_javascript_globals_and_keywords_are_only_positions() -> None:
    assert js("window*eval + Math - this", ("window", "eval", "Math", "this")) == (
        "v0 * v1 + v2 - v3")


def function(name: str, expr: str, gradient: tuple[str, ...] | None = None,
             variables: tuple[str, ...] = ("x", "y")) -> CompiledFunction:
    domain = ((-3.0, 3.0), (-1.5, 0.25), (0.0, 1e-3))[: len(variables)]
    return CompiledFunction(name, variables, expr, gradient, domain, "", (), gradient is not None)


def test_the_module_registers_each_function_with_its_variables_domain_and_gradient() -> None:
    module = functions_module([
        function("g", "x**3 - 3*x", ("3*x**2 - 3",), ("x",)),
        function("f", "x**2 + y**2", ("2*x", "2*y")),
        function("h", "sin(rate)*window", None, ("rate", "window")),
    ])
    assert module.startswith("// Generated by gradsite from the chapter's declared functions.\n"
                             "(function () {\n  \"use strict\";\n")
    assert f"globalThis.{REGISTRY} = Object.create(null)" in module
    assert f"const RELATIVE_STEP = {RELATIVE_STEP!r};" in module
    declarations = re.findall(r'declare\("(\w+)", (\[[^\]]*\]), (\[\[.*?\]\]),', module)
    assert declarations == [  # sorted by name
        ("f", '["x", "y"]', "[[-3, 3], [-1.5, 0.25]]"),
        ("g", '["x"]', "[[-3, 3]]"),
        ("h", '["rate", "window"]', "[[-3, 3], [-1.5, 0.25]]"),
    ]
    assert (
        '  declare("f", ["x", "y"], [[-3, 3], [-1.5, 0.25]],\n'
        "    function (v0, v1) {\n"
        "      return power(v0, 2) + power(v1, 2);\n"
        "    },\n"
        "    function (v0, v1) {\n"
        "      return [2 * v0, 2 * v1];\n"
        "    });\n"
    ) in module
    assert (
        "    function (v0, v1) {\n"
        "      return Math.sin(v0) * v1;\n"
        "    },\n"
        "    null);\n"  # no declared gradient: the numerical one
    ) in module
    assert module.endswith("    null);\n})();\n")


def test_the_module_is_deterministic_and_evaluates_no_text() -> None:
    functions = [function("f", "x*y"), function("loss", "log(1 + exp(-x))", None, ("x",)),
                 function("__proto__", "x"), function("constructor", "y")]
    module = functions_module(functions)
    assert functions_module(reversed(functions)) == module
    assert not re.search(r"\beval\b|\bFunction\s*\(|setTimeout|import\(", module)
    # names are data: JSON strings, and keys of an object without a prototype
    assert 'declare("__proto__", ["x", "y"]' in module
    assert "Object.create(null)" in module


def test_a_domain_keeps_its_exact_float_values() -> None:
    module = functions_module([function("f", "x*y*z", None, ("x", "y", "z"))])
    assert "[[-3, 3], [-1.5, 0.25], [0, 0.001]]" in module
