"""The ``functions`` front matter key (spec section 3), read into FunctionDecl values.

This checks the shape of each declaration (keys, types, one domain pair per
variable). Whether the expressions themselves are valid, and whether the
gradient is right, is the expression language's job (``expr/``).
"""

from __future__ import annotations

import keyword
import math
from typing import Any

from .diagnostics import Diagnostic, error
from .model import FunctionDecl, Marks
from .schema import FUNCTION_FIELDS, check_mapping

# Names the expression language gives a meaning; a function may not take them.
RESERVED_NAMES = frozenset(
    "x y z pi e sin cos tan arcsin arccos arctan sinh cosh tanh exp log log2 log10 "
    "sqrt abs minimum maximum where".split()
)


def parse_functions(value: Any, marks: Marks) -> tuple[tuple[FunctionDecl, ...], list[Diagnostic]]:
    if value is None:
        return (), []
    problems: list[Diagnostic] = []
    decls: list[FunctionDecl] = []
    for name, spec in value.items():
        path = f"functions.{name}"
        where = marks.key_at(path)
        if not (name.isidentifier() and not keyword.iskeyword(name)) or name.startswith("grad_"):
            problems.append(
                error(
                    where,
                    f"{path}: '{name}' is not a valid function name",
                    "use a Python identifier such as f, loss or g2 that does not start with grad_",
                )
            )
            continue
        if name in RESERVED_NAMES:
            problems.append(
                error(where, f"{path}: '{name}' is a name of the expression language",
                      "choose another name, such as f or loss")
            )
            continue
        if isinstance(spec, str):
            decls.append(FunctionDecl(name, spec, None, None, None, None, where, path))
            continue
        fields, found = check_mapping(spec, FUNCTION_FIELDS, marks, path, f"function '{name}'")
        problems.extend(found)
        if "expr" not in fields:
            continue
        decl, found = _declaration(name, path, fields, marks)
        problems.extend(found)
        if decl is not None:
            decls.append(decl)
    return tuple(decls), problems


def _declaration(
    name: str, path: str, fields: dict[str, Any], marks: Marks
) -> tuple[FunctionDecl | None, list[Diagnostic]]:
    problems: list[Diagnostic] = []
    variables = None
    if "vars" in fields:
        variables = tuple(str(v) for v in fields["vars"])
        for i, var in enumerate(variables):
            if not var.isidentifier() or keyword.iskeyword(var):
                problems.append(
                    error(marks.at(f"{path}.vars[{i}]"),
                          f"{path}.vars[{i}]: '{var}' is not a valid variable name")
                )
        if not variables:
            problems.append(error(marks.at(f"{path}.vars"), f"{path}.vars: the list is empty"))
        if len(set(variables)) != len(variables):
            problems.append(error(marks.at(f"{path}.vars"), f"{path}.vars: a variable is repeated"))
    gradient = None
    if "gradient" in fields:
        components: list[str] = []
        for i, component in enumerate(fields["gradient"]):
            if isinstance(component, bool) or not isinstance(component, str | int | float):
                problems.append(
                    error(marks.at(f"{path}.gradient[{i}]"),
                          f"{path}.gradient[{i}]: expected an expression")
                )
            components.append(str(component))
        gradient = tuple(components)
    domain = None
    if "domain" in fields:
        domain, found = _domain(fields["domain"], f"{path}.domain", marks)
        problems.extend(found)
    tex = fields.get("tex")
    expr = fields["expr"]
    decl = FunctionDecl(name, expr, variables, gradient, domain, tex, marks.at(path), path)
    return (None if problems else decl), problems


def _domain(
    value: list[Any], path: str, marks: Marks
) -> tuple[tuple[tuple[float, float], ...] | None, list[Diagnostic]]:
    pairs: list[tuple[float, float]] = []
    problems: list[Diagnostic] = []
    for i, pair in enumerate(value):
        where = marks.at(f"{path}[{i}]")
        numbers = isinstance(pair, list) and all(
            isinstance(v, int | float) and not isinstance(v, bool) for v in pair
        )
        if not numbers or len(pair) != 2:
            problems.append(error(where, f"{path}[{i}]: expected a pair [low, high] of numbers"))
            continue
        low, high = float(pair[0]), float(pair[1])
        if not (math.isfinite(low) and math.isfinite(high)) or low >= high:
            problems.append(
                error(where, f"{path}[{i}]: low must be less than high, got [{pair[0]}, {pair[1]}]")
            )
            continue
        pairs.append((low, high))
    if not value:
        problems.append(error(marks.at(path), f"{path}: the list is empty"))
    return (tuple(pairs) if not problems else None), problems
