"""Parsing and checking: expression text -> a checked syntax tree (spec section 3).

The text is parsed with Python's ``ast`` module and every node is checked
against an explicit whitelist: numbers, names in scope, ``+ - * / **``, unary
``-`` and ``+``, and calls of the language's functions with the right number
of arguments. Anything else (attributes, subscripts, lambdas, comprehensions,
strings, ``__import__``...) raises :class:`ExprError` with the offset of the
offending token and a hint. Nothing here evaluates anything.

Two extensions of the spec's list, both needed and both narrow:

* Comparisons (``< <= > >= == !=``, chained like ``0 < x < 1``) are allowed
  only as the first argument of ``where``, as in ``where(x > 0, x, 0)``.
  Anywhere else a comparison is an error, so an expression always has a number
  as its value.
* Numeric answers (answers.py) may call ``callees``: the chapter's declared
  ``f(...)`` and ``grad_f(...)`` with number arguments, and index a gradient
  with an integer literal (``grad_f(1, 2)[0]``). Function expressions have no
  callees and no subscripts.

Each node gets a kind: a number (``NUMBER``), a condition (``CONDITION``,
only inside ``where``), or a vector of ``n`` components (``n > 0``, the value
of a ``grad_f(...)`` call until it is indexed).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from .language import (
    ALIAS_OF,
    CONSTANTS,
    DEFAULT_VARIABLES,
    FUNCTIONS,
    LANGUAGE_NAMES,
    MAX_DEPTH,
    MAX_LENGTH,
    MODULE_NAMES,
    ExprError,
    arguments,
    listing,
    suggest,
)

NUMBER = 0
CONDITION = -1

_OPERATORS: dict[type[ast.operator], str] = {
    ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**",
    ast.FloorDiv: "//", ast.Mod: "%", ast.MatMult: "@", ast.BitXor: "^", ast.BitAnd: "&",
    ast.BitOr: "|", ast.LShift: "<<", ast.RShift: ">>",
}
ALLOWED_OPERATORS = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow)
_OPERATOR_HINTS = {
    "^": "'^' is not a power here: write x**2 for x squared",
    "//": "use / for division",
    "%": "the language has no remainder operator",
    "@": "the language has no matrix product; write the sum of products",
}
ALLOWED_COMPARISONS = (ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.Eq, ast.NotEq)
_FORBIDDEN = {  # node type -> (what it is, hint)
    ast.Lambda: ("lambda functions are not allowed",
                 "declare another function under 'functions' instead"),
    ast.ListComp: ("comprehensions are not allowed", ""),
    ast.SetComp: ("comprehensions are not allowed", ""),
    ast.DictComp: ("comprehensions are not allowed", ""),
    ast.GeneratorExp: ("comprehensions are not allowed", ""),
    ast.List: ("lists are not allowed", ""),
    ast.Tuple: ("tuples are not allowed", "an expression has one value; a ',' separates "
                "arguments only inside a call such as minimum(x, y)"),
    ast.Set: ("sets are not allowed", ""),
    ast.Dict: ("dictionaries are not allowed", ""),
    ast.IfExp: ("conditional expressions are not allowed", "use where(condition, a, b)"),
    ast.BoolOp: ("'and' and 'or' are not allowed",
                 "use a chained comparison such as where(0 < x < 1, ...) or nest where(...)"),
    ast.JoinedStr: ("text is not allowed", "an expression is arithmetic on numbers"),
    ast.NamedExpr: ("assignments are not allowed", ""),
    ast.Starred: ("'*' unpacking is not allowed", ""),
    ast.Await: ("'await' is not allowed", ""),
    ast.Slice: ("slices are not allowed", "write one index such as [0]"),
}
_LANGUAGE_SUMMARY = (
    "an expression may use numbers, its variables, + - * / **, parentheses, pi, e "
    "and the functions " + " ".join(FUNCTIONS)
)


@dataclass(frozen=True)
class Callee:
    """A declared function an answer may call: ``f`` (a number) or ``grad_f`` (a vector)."""

    name: str
    arity: int
    components: int = NUMBER  # NUMBER for f(...), n for grad_f(...) of n variables


@dataclass(frozen=True)
class Expression:
    """A checked expression: its source, syntax tree and the variables in scope."""

    source: str
    tree: ast.expr = field(compare=False)
    variables: tuple[str, ...]  # in order: the positions of a compiled function's arguments
    used: frozenset[str]  # the variables the expression mentions
    kind: int = NUMBER
    positions: SourceMap | None = field(default=None, compare=False, repr=False)


def parse_expression(
    source: str,
    variables: Sequence[str] | None = None,
    callees: Mapping[str, Callee] | None = None,
) -> Expression:
    """Parse and check ``source``; raise ExprError for anything outside the language.

    ``variables=None`` applies the spec's default: the variables are those of
    x, y and z that the expression uses, in that order.
    """
    tree = _syntax_tree(source)
    scope = tuple(variables) if variables is not None else DEFAULT_VARIABLES
    checker = _Checker(source, scope, dict(callees or {}))
    kind = checker.check(tree, 0)
    if kind == CONDITION:
        raise checker.fail(tree, "a comparison is only allowed as the first argument of where",
                           "write where(x > 0, x, 0) for 'x where x is positive, else 0'")
    if kind > 0:
        raise checker.fail(tree, f"'{checker.text(tree)}' is a vector of {_components(kind)}",
                           f"index it: {checker.text(tree)}[0] is its first component")
    used = frozenset(checker.used)
    if variables is None:
        scope = tuple(v for v in DEFAULT_VARIABLES if v in used)
    return Expression(source, tree, scope, used, kind, checker)


def free_names(source: str) -> tuple[str, ...]:
    """Names in ``source`` that are not the language's, in order of appearance."""
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return ()
    called = {id(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
    found: list[str] = []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Name) and id(node) not in called
                and node.id not in LANGUAGE_NAMES and node.id not in found):
            found.append(node.id)
    return tuple(sorted(found, key=source.find))


def index_value(node: ast.expr) -> int:
    """The integer of a checked subscript: ``0`` or ``-1``."""
    if isinstance(node, ast.UnaryOp):
        return -index_value(node.operand)
    assert isinstance(node, ast.Constant) and isinstance(node.value, int)
    return node.value


def _components(count: int) -> str:
    return f"{count} component" + ("" if count == 1 else "s")


def _syntax_tree(source: str) -> ast.expr:
    """The body of ``source`` parsed in eval mode."""
    stripped = source.strip()
    lead = len(source) - len(source.lstrip())
    if not stripped:
        raise ExprError("the expression is empty", 0, "write a formula such as x**2 + y**2")
    if len(stripped) > MAX_LENGTH:
        raise ExprError(f"the expression is too long ({len(stripped)} characters; "
                        f"at most {MAX_LENGTH})", lead)
    try:
        return ast.parse(stripped, mode="eval").body
    except SyntaxError as exc:
        raise _syntax_error(stripped, exc, lead) from None
    except (ValueError, MemoryError, RecursionError) as exc:
        raise ExprError(f"the expression cannot be parsed: {exc}", lead) from None


_TOKEN = re.compile(r"[A-Za-z_]\w*|\d[\w.]*|\*\*|//|\S")


def _syntax_error(text: str, exc: SyntaxError, lead: int) -> ExprError:
    message = (exc.msg or "invalid syntax").split(". Perhaps")[0]
    lines = text.split("\n")
    row = min(max((exc.lineno or 1) - 1, 0), len(lines) - 1)
    token = None
    if exc.offset:  # 1-based; Python gives 0 when the text ended too early
        column = min(exc.offset - 1, len(lines[row]))
        token = _TOKEN.search(text, sum(len(line) + 1 for line in lines[:row]) + column)
    if token is None:
        return ExprError(f"syntax error: {message} (the expression ends too early)",
                         lead + len(text), "complete the expression after its last operator")
    offset, found = token.start(), token.group(0)
    before = text[:offset].rstrip()
    hint = ""
    if "never closed" in message or "unmatched" in message:
        bracket = re.search(r"'(.)'", message)
        opener = bracket.group(1) if bracket else "("
        pairs = {"(": ")", "[": "]", "{": "}", ")": "(", "]": "[", "}": "{"}
        closer = pairs.get(opener, ")")
        first, second = (opener, closer) if opener in "([{" else (closer, opener)
        hint = f"every '{first}' needs a matching '{second}'"
    elif message == "invalid decimal literal" or (
        before and (before[-1].isalnum() or before[-1] in "_)")
        and (found[0].isalnum() or found in "(_")
    ):
        hint = "multiplication needs '*': write 2*x, not 2x, and x*y, not x y"
        digits = re.match(r"\d[\d.]*", found)
        found = digits.group(0) if digits else found
    elif "\n" in text:
        hint = "an expression over several lines must be wrapped in parentheses"
    return ExprError(f"syntax error at '{found}': {message}", lead + offset, hint)


class SourceMap:
    """Offsets and text of the nodes of one parsed expression, for error messages."""

    def __init__(self, source: str) -> None:
        self.text_source = source.strip()
        self.lead = len(source) - len(source.lstrip())
        starts = [0]
        for line in self.text_source.split("\n"):
            starts.append(starts[-1] + len(line) + 1)
        self.line_starts = starts

    def offset(self, node: ast.AST, column: int | None = None, end: bool = False) -> int:
        """The character offset of ``node`` in the source: its start, its end, or a byte
        column on its first line (``ast`` counts columns in UTF-8 bytes)."""
        row = (node.end_lineno if end else node.lineno) - 1  # type: ignore[attr-defined]
        if column is None:
            column = node.end_col_offset if end else node.col_offset  # type: ignore[attr-defined]
        start = self.line_starts[row]
        line = self.text_source[start:self.line_starts[row + 1]]
        return self.lead + start + len(line.encode()[:column].decode(errors="ignore"))

    def text(self, node: ast.AST) -> str:
        """The source of ``node`` on one line, shortened for a message."""
        segment = ast.get_source_segment(self.text_source, node) or ""
        segment = " ".join(segment.split())
        return segment if len(segment) <= 40 else segment[:37] + "..."

    def fail(self, node: ast.AST, message: str, hint: str = "") -> ExprError:
        return ExprError(message, self.offset(node), hint)


class _Checker(SourceMap):
    """Walks a parsed tree and checks each node against the whitelist."""

    def __init__(
        self, source: str, variables: tuple[str, ...], callees: dict[str, Callee]
    ) -> None:
        super().__init__(source)
        self.variables = variables
        self.callees = callees
        self.used: set[str] = set()
        self.handlers: dict[type[ast.AST], Callable[..., int]] = {
            ast.Constant: self._constant,
            ast.Name: self._name,
            ast.BinOp: self._binop,
            ast.UnaryOp: self._unaryop,
            ast.Call: self._call,
            ast.Compare: self._compare,
            ast.Subscript: self._subscript,
            ast.Attribute: self._attribute,
        }

    # --- the walk -----------------------------------------------------------

    def check(self, node: ast.expr, depth: int, condition: bool = False) -> int:
        if depth > MAX_DEPTH:
            raise self.fail(node, "the expression is nested too deeply",
                            "split it into several declared functions")
        handler = self.handlers.get(type(node))
        if handler is not None:
            return handler(node, depth, condition)
        what, hint = _FORBIDDEN.get(type(node), ("this construct is not allowed", ""))
        raise self.fail(node, f"{what}: '{self.text(node)}'", hint or _LANGUAGE_SUMMARY)

    def number(self, node: ast.expr, depth: int) -> int:
        """Check a node that must be a number (an operand or an argument)."""
        kind = self.check(node, depth + 1)
        if kind == CONDITION:
            raise self.fail(node, f"a comparison is only allowed as the first argument of "
                            f"where: '{self.text(node)}'", "write where(x > 0, x, 0)")
        if kind > 0:
            raise self.fail(node, f"'{self.text(node)}' is a vector of {_components(kind)}, "
                            "not a number", f"index it: {self.text(node)}[0]")
        return NUMBER

    def _constant(self, node: ast.Constant, depth: int, condition: bool) -> int:
        value = node.value
        if isinstance(value, bool) or value is None or value is Ellipsis:
            raise self.fail(node, f"'{value}' is not allowed",
                            "the language has numbers only; write 1 or 0")
        if isinstance(value, str | bytes):
            raise self.fail(node, f"text is not allowed: '{self.text(node)}'",
                            "an expression is arithmetic on numbers")
        if isinstance(value, complex):
            raise self.fail(node, f"complex numbers are not allowed: '{self.text(node)}'")
        try:
            finite = abs(float(value)) < float("inf")
        except OverflowError:
            finite = False
        if not finite:
            raise self.fail(node, f"the number '{self.text(node)}' is too large",
                            "numbers are 64-bit floats, at most about 1.8e308")
        return NUMBER

    def _name(self, node: ast.Name, depth: int, condition: bool) -> int:
        name = node.id
        if name in self.variables:
            self.used.add(name)
            return NUMBER
        if name in CONSTANTS:
            return NUMBER
        if name in FUNCTIONS or name in self.callees:
            raise self.fail(node, f"'{name}' is a function: call it as {name}(...)")
        raise self.fail(node, f"unknown name '{name}'", self._name_hint(name))

    def _name_hint(self, name: str) -> str:
        if name in MODULE_NAMES:
            return "the language has no modules: write sin(x), not np.sin(x)"
        if name.startswith("__"):
            return _LANGUAGE_SUMMARY
        close = suggest(name, (*self.variables, *CONSTANTS))
        if close:
            return close
        if not self.variables:
            return "an answer has no variables: call the chapter's functions with numbers"
        return f"the variables are {listing(self.variables)}; the constants pi and e"

    def _binop(self, node: ast.BinOp, depth: int, condition: bool) -> int:
        if not isinstance(node.op, ALLOWED_OPERATORS):
            symbol = _OPERATORS.get(type(node.op), "?")
            left_end = self.offset(node.left, end=True) - self.lead
            gap = self.text_source.find(symbol, left_end)
            offset = self.lead + gap if gap >= 0 else self.offset(node)
            raise ExprError(f"the operator '{symbol}' is not allowed", offset,
                            _OPERATOR_HINTS.get(symbol, "the operators are + - * / **"))
        self.number(node.left, depth)
        self.number(node.right, depth)
        return NUMBER

    def _unaryop(self, node: ast.UnaryOp, depth: int, condition: bool) -> int:
        if isinstance(node.op, ast.Not | ast.Invert):
            symbol = "not" if isinstance(node.op, ast.Not) else "~"
            raise self.fail(node, f"the operator '{symbol}' is not allowed",
                            "the operators are + - * / ** and unary -")
        return self.number(node.operand, depth)

    def _compare(self, node: ast.Compare, depth: int, condition: bool) -> int:
        if not condition:
            raise self.fail(node, f"a comparison is only allowed as the first argument of "
                            f"where: '{self.text(node)}'", "write where(x > 0, x, 0)")
        for op in node.ops:
            if not isinstance(op, ALLOWED_COMPARISONS):
                raise self.fail(node, f"this comparison is not allowed: '{self.text(node)}'",
                                "the comparisons are < <= > >= == !=")
        for operand in (node.left, *node.comparators):
            self.number(operand, depth)
        return CONDITION

    def _attribute(self, node: ast.Attribute, depth: int, condition: bool) -> int:
        column = node.end_col_offset - len(node.attr) - 1  # type: ignore[operator]
        hint = "the language has no attributes; " + _LANGUAGE_SUMMARY
        owner = node.value
        if isinstance(owner, ast.Name) and owner.id in MODULE_NAMES:
            plain = ALIAS_OF.get(node.attr, node.attr)
            if plain in FUNCTIONS or plain in CONSTANTS:
                hint = f"write '{plain}' instead of '{owner.id}.{node.attr}'"
            else:
                hint = "the language has no modules; " + _LANGUAGE_SUMMARY
        raise ExprError(f"attribute access is not allowed: '{self.text(node)}'",
                        self.offset(node, column), hint)

    def _subscript(self, node: ast.Subscript, depth: int, condition: bool) -> int:
        if not self.callees:
            raise self.fail(node, f"subscripts are not allowed: '{self.text(node)}'",
                            "the language has no arrays; " + _LANGUAGE_SUMMARY)
        kind = self.check(node.value, depth + 1)
        if kind <= 0:
            raise self.fail(node, f"'{self.text(node.value)}' is a number and cannot be indexed",
                            "only a gradient such as grad_f(1, 2) has components")
        index = node.slice
        literal = index.operand if isinstance(index, ast.UnaryOp) else index
        if (isinstance(index, ast.UnaryOp) and not isinstance(index.op, ast.USub)) or not (
            isinstance(literal, ast.Constant) and type(literal.value) is int
        ):
            raise self.fail(index, f"the index must be a whole number: '{self.text(index)}'",
                            f"write {self.text(node.value)}[0] for the first component")
        value = index_value(index)
        if not -kind <= value < kind:
            raise self.fail(index, f"index {value} is out of range: "
                            f"'{self.text(node.value)}' has {_components(kind)}",
                            f"the indices are 0 to {kind - 1}")
        return NUMBER

    def _call(self, node: ast.Call, depth: int, condition: bool) -> int:
        func = node.func
        if isinstance(func, ast.Attribute):
            return self._attribute(func, depth, condition)
        if not isinstance(func, ast.Name):
            raise self.fail(node, f"only named functions can be called: '{self.text(node)}'",
                            _LANGUAGE_SUMMARY)
        if node.keywords:
            keyword = node.keywords[0]
            raise self.fail(keyword, f"keyword arguments are not allowed: '{self.text(keyword)}'",
                            "pass the arguments by position")
        for arg in node.args:
            if isinstance(arg, ast.Starred):
                raise self.fail(arg, f"'*' unpacking is not allowed: '{self.text(arg)}'")
        name = func.id
        if name in FUNCTIONS:
            return self._language_call(node, name, depth)
        if name in self.callees:
            callee = self.callees[name]
            self._arity(node, name, callee.arity)
            for arg in node.args:
                self.number(arg, depth)
            return callee.components
        raise self.fail(func, f"unknown function '{name}'", self._function_hint(name))

    def _language_call(self, node: ast.Call, name: str, depth: int) -> int:
        self._arity(node, name, FUNCTIONS[name][0])
        for i, arg in enumerate(node.args):
            if name == "where" and i == 0:
                self.check(arg, depth + 1, condition=True)
            else:
                self.number(arg, depth)
        return NUMBER

    def _arity(self, node: ast.Call, name: str, arity: int) -> None:
        if len(node.args) != arity:
            raise self.fail(node, f"{name} takes {arguments(arity)}, got {len(node.args)}: "
                            f"'{self.text(node)}'",
                            "where(condition, a, b) takes three" if name == "where" else "")

    def _function_hint(self, name: str) -> str:
        if name in ALIAS_OF:
            return f"the language calls it '{ALIAS_OF[name]}'"
        if name in self.variables or name in CONSTANTS:
            return f"'{name}' is not a function: write {name}*(...) for a product"
        if name.startswith("__"):
            return _LANGUAGE_SUMMARY
        close = suggest(name, (*FUNCTIONS, *self.callees))
        if close:
            return close
        if self.callees:
            declared = sorted(c for c in self.callees if f"grad_{c}" in self.callees)
            return (f"the chapter declares {listing(declared)}; a gradient is called "
                    f"grad_{declared[0]}(...)")
        return _LANGUAGE_SUMMARY
