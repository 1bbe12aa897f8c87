"""LaTeX for expressions: the function cards show ``f`` and its gradient as math.

``to_latex`` renders a checked expression tree the way a textbook writes it,
with TeX's own spacing: ``2*x**2 + sin(pi*x)*cos(y)`` becomes
``2x^{2} + \\sin(\\pi x) \\cos y``. The rules:

* precedence decides parentheses: a sum inside a product or a power, a
  negative number as a factor or a base. They are plain ``( )``, so an
  operator name takes them with no space (``\\cos(\\pi x)``); only around
  something tall (a fraction, cases, a bracket that grows) are they
  ``\\left( \\right)``, which grow with it;
* a product is implicit (``2x``, ``\\pi x``, ``3\\sin x``) unless the next factor
  starts with a digit or follows a function written without parentheses
  (``\\sin x \\cdot y``), where a ``\\cdot`` keeps it unambiguous;
* ``a/b`` is ``\\frac{a}{b}`` (``-a/b`` is ``-\\frac{a}{b}``), ``exp(u)`` is
  ``e^{u}``, or ``\\exp(u)`` when ``u`` is tall (a fraction in a superscript is
  hard to read), ``sqrt`` a root, ``abs`` bars, ``minimum``/``maximum`` are
  ``\\min``/``\\max``, and ``where(c, a, b)`` a ``cases`` block;
* ``sin(x)**2`` is ``\\sin^{2} x``; a function's argument goes without
  parentheses only when it is a single variable or number;
* ``a + (-b)`` is written ``a - b``; numbers keep their value (``1e-05`` is
  ``10^{-5}``).

Names (``name_latex``, ``function_name_latex``): one letter is italic (``x``),
a Greek letter's name is the letter (``theta`` is ``\\theta``), digits at the
end are a subscript (``x1`` is ``x_{1}``), and what follows an underscore is a
subscript: a letter, Greek letter or number in math (``x_k``, ``w_0``), anything
longer upright as a word (``f_2d`` is ``f_{\\text{2d}}``: a label, not 2 times d).
Other names of several letters are upright words: a variable ``rate`` is
``\\text{rate}`` (one word to a screen reader, where ``\\mathrm`` would give
four letters), a function ``loss`` is ``\\operatorname{loss}``, spaced as
``\\log`` is.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from dataclasses import dataclass

from .parse import Expression, free_names, parse_expression

ADD, MUL, POW, ATOM = 1, 2, 3, 4

# Names written as one letter: the Greek ones, and ell (ℓ, a loss's usual name).
_LETTER_NAMES = (
    "alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa mu nu xi "
    "rho varrho sigma tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi Pi "
    "Sigma Upsilon Phi Psi Omega ell"
)
LETTERS = frozenset(_LETTER_NAMES.split())
# Functions written as an operator name before the argument: \sin x.
_OPERATOR_NAMES = {
    "sin": r"\sin", "cos": r"\cos", "tan": r"\tan", "arcsin": r"\arcsin",
    "arccos": r"\arccos", "arctan": r"\arctan", "sinh": r"\sinh", "cosh": r"\cosh",
    "tanh": r"\tanh", "log": r"\log", "log2": r"\log_{2}", "log10": r"\log_{10}",
}
_COMPARISONS = {ast.Lt: "<", ast.LtE: r"\le", ast.Gt: ">", ast.GtE: r"\ge", ast.Eq: "=",
                ast.NotEq: r"\ne"}
# x1 and x_1: a name whose digits are its subscript.
# What makes brackets around it grow: a fraction, a cases block, grown brackets.
_TALL = ("\\frac", "\\begin", "\\left")
_SUBSCRIPTED = re.compile(r"([A-Za-z]+?)_?(\d+)")


@dataclass(frozen=True)
class _Tex:
    """A rendered node, with what its neighbours need to know about it."""

    text: str
    level: int  # ADD, MUL, POW or ATOM: how tightly it holds together
    closed: bool = False  # a superscript may follow without parentheses
    bare_call: bool = False  # "\sin x": a following factor would read as its argument
    call: bool = False


def to_latex(expr_source: str) -> str:
    """LaTeX for an expression; every name that is not the language's is a variable.

    Raises ExprError when the source is not a valid expression.
    """
    return expression_latex(parse_expression(expr_source, free_names(expr_source)))


def expression_latex(expression: Expression) -> str:
    return _render(expression.tree).text


def name_latex(name: str) -> str:
    """A variable's name in LaTeX: ``x``, ``x_{1}``, ``\\theta``, ``w_{\\text{in}}``,
    ``\\text{rate}``."""
    return _subscripted(name, _word)


def function_name_latex(name: str) -> str:
    """A declared function's name: ``f``, ``g_{2}``, ``f_{\\text{2d}}``,
    ``\\operatorname{loss}``."""
    return _subscripted(name, _operator_name)


def _subscripted(name: str, word: Callable[[str], str]) -> str:
    """``name`` with what follows its first underscore, or its final digits, as a
    subscript; ``word`` sets a base of several letters."""
    base, underscore, subscript = name.partition("_")
    if underscore and base and subscript:
        if _SUBSCRIPTED.fullmatch(base):  # f2_a: one subscript only, so f2 stays a word
            return f"{word(base)}_{{{_subscript(subscript)}}}"
        return f"{_letter(base) or word(base)}_{{{_subscript(subscript)}}}"
    digits = _SUBSCRIPTED.fullmatch(name)
    if digits:
        letters = digits.group(1)
        return f"{_letter(letters) or word(letters)}_{{{digits.group(2)}}}"
    return _letter(name) or word(name)


def _letter(name: str) -> str:
    """A name written as one letter (``x``, ``\\theta``, ``\\ell``), or ``""``."""
    if len(name) == 1:
        return name
    return "\\" + name if name in LETTERS else ""


def _subscript(text: str) -> str:
    """An index in math (``k``, ``0``, ``\\alpha``); a label as an upright word (``2d``)."""
    parts = text.split("_")
    if len(parts) > 1 and all(parts):  # w_in_1: two indices, w_{\text{in},1}
        return ",".join(map(_subscript, parts))
    return text if text.isdigit() else _letter(text) or _word(text)


def _word(text: str) -> str:
    return f"\\text{{{_escaped(text)}}}"


def _operator_name(text: str) -> str:
    return f"\\operatorname{{{_escaped(text)}}}"


def _escaped(text: str) -> str:
    return text.replace("_", "\\_")


def _render(node: ast.expr) -> _Tex:
    if isinstance(node, ast.Constant):
        assert isinstance(node.value, int | float)  # parse.py allows numbers only
        return _number(node.value)
    if isinstance(node, ast.Name):
        return _name(node.id)
    if isinstance(node, ast.UnaryOp):
        return _unary(node)
    if isinstance(node, ast.BinOp):
        return _binary(node)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        return _call(node.func.id, [_render(arg) for arg in node.args], node.args)
    if isinstance(node, ast.Compare):
        parts = [_render(node.left).text]
        for op, right in zip(node.ops, node.comparators, strict=True):
            parts += [_COMPARISONS[type(op)], _render(right).text]
        return _Tex(" ".join(parts), ADD)
    raise AssertionError(f"unchecked node {ast.dump(node)}")  # parse.py rejects it


def _number(value: float) -> _Tex:
    number = float(value)
    if number.is_integer() and abs(number) < 1e15:
        return _Tex(str(int(number)), ATOM, closed=True)
    text = repr(number)
    if "e" not in text:
        return _Tex(text, ATOM, closed=True)
    mantissa, exponent = text.split("e")
    power = f"10^{{{int(exponent)}}}"
    if float(mantissa) == 1.0:
        return _Tex(power, POW)
    return _Tex(f"{mantissa.removesuffix('.0')} \\times {power}", MUL)


def _name(name: str) -> _Tex:
    if name == "pi":
        return _Tex(r"\pi", ATOM, closed=True)
    return _Tex(name_latex(name), ATOM, closed=True)


def _parens(tex: _Tex | str) -> str:
    text = tex.text if isinstance(tex, _Tex) else tex
    return f"\\left({text}\\right)" if _is_tall(text) else f"({text})"


def _is_tall(text: str) -> bool:
    """Taller than a line of text: brackets around it must grow (``\\left(``)."""
    return any(command in text for command in _TALL)


def _unary(node: ast.UnaryOp) -> _Tex:
    operand = _render(node.operand)
    if isinstance(node.op, ast.UAdd):
        return operand
    inner = _parens(operand) if operand.level == ADD or operand.text.startswith("-") else (
        operand.text
    )
    return _Tex(f"-{inner}", MUL)


def _binary(node: ast.BinOp) -> _Tex:
    op = node.op
    if isinstance(op, ast.Add | ast.Sub):
        return _sum(node)
    left, right = _render(node.left), _render(node.right)
    if isinstance(op, ast.Div):
        if isinstance(node.left, ast.UnaryOp) and isinstance(node.left.op, ast.USub):
            # -(a + b)/2 is -\frac{a + b}{2}: the sign goes before the bar
            numerator = _render(node.left.operand).text
            return _Tex(f"-\\frac{{{numerator}}}{{{right.text}}}", MUL)
        return _Tex(f"\\frac{{{left.text}}}{{{right.text}}}", MUL)
    if isinstance(op, ast.Mult):
        return _product(left, right)
    return _power(node.left, left, right)


def _sum(node: ast.BinOp) -> _Tex:
    left = _render(node.left)
    right, sign = _render(node.right), "+" if isinstance(node.op, ast.Add) else "-"
    if right.text.startswith("-") and right.level != ADD:
        # a + (-b) is a - b, and a - (-2y) is a + 2y: a leading minus negates the term
        right = _Tex(right.text[1:], right.level)
        sign = "-" if sign == "+" else "+"
    right_text = _parens(right) if sign == "-" and right.level == ADD else right.text
    return _Tex(f"{left.text} {sign} {right_text}", ADD)


def _product(left: _Tex, right: _Tex) -> _Tex:
    left_text = _parens(left) if left.level == ADD else left.text
    right_parens = right.level == ADD or right.text.startswith("-")
    right_text = _parens(right) if right_parens else right.text
    if not right_parens and (right_text[0].isdigit() or (left.bare_call and not right.call)):
        joined = f"{left_text} \\cdot {right_text}"
    elif re.fullmatch(r"-?[\d.]+", left_text):
        joined = f"{left_text}{right_text}"  # 2x, 3\sin x
    else:
        joined = f"{left_text} {right_text}"
    # `call`: the product starts with a function; `bare_call`: it ends with one unbracketed
    return _Tex(joined, MUL, bare_call=right.bare_call, call=left.call and left.level != ADD)


def _power(base_node: ast.expr, base: _Tex, exponent: _Tex) -> _Tex:
    if (isinstance(base_node, ast.Call) and isinstance(base_node.func, ast.Name)
            and base_node.func.id in _OPERATOR_NAMES):
        # sin(x)**2 is \sin^{2} x, as textbooks write it
        name = _OPERATOR_NAMES[base_node.func.id]
        argument = base.text[len(name):]
        return _Tex(f"{name}^{{{exponent.text}}}{argument}", POW, bare_call=base.bare_call,
                    call=True)
    base_text = base.text if base.closed else _parens(base)
    return _Tex(f"{base_text}^{{{exponent.text}}}", POW)


def _call(name: str, args: list[_Tex], nodes: list[ast.expr]) -> _Tex:
    if name in _OPERATOR_NAMES:
        (arg,) = args
        simple = isinstance(nodes[0], ast.Name | ast.Constant) and arg.closed
        argument = f" {arg.text}" if simple else _parens(arg)
        return _Tex(f"{_OPERATOR_NAMES[name]}{argument}", ATOM, bare_call=simple, call=True)
    if name == "exp":
        if _is_tall(args[0].text):
            return _Tex(f"\\exp{_parens(args[0])}", ATOM, closed=True, call=True)
        return _Tex(f"e^{{{args[0].text}}}", POW, call=True)
    if name == "sqrt":
        return _Tex(f"\\sqrt{{{args[0].text}}}", ATOM, closed=True, call=True)
    if name == "abs":
        bars = ("\\left\\lvert ", " \\right\\rvert") if _is_tall(args[0].text) else (
            "\\lvert ", " \\rvert")
        return _Tex(f"{bars[0]}{args[0].text}{bars[1]}", ATOM, closed=True, call=True)
    if name in ("minimum", "maximum"):
        command = r"\min" if name == "minimum" else r"\max"
        return _Tex(f"{command}{_parens(f'{args[0].text}, {args[1].text}')}", ATOM, closed=True,
                    call=True)
    if name == "where":
        condition, then, otherwise = (arg.text for arg in args)
        cases = (f"\\begin{{cases}} {then} & \\text{{if }} {condition} \\\\ "
                 f"{otherwise} & \\text{{otherwise}} \\end{{cases}}")
        return _Tex(cases, ATOM, call=True)
    raise AssertionError(f"unchecked function {name}")  # parse.py rejects it
