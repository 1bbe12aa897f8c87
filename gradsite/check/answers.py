"""Computed answers of numeric questions (spec section 6).

A numeric question's ``answer`` is a number, or an expression in the language
that may also call the chapter's declared functions and their gradients and
index a gradient with an integer: ``grad_f(1, 2)[0]``, ``f(0.5, -1)``,
``sqrt(grad_f(1, 1)[0]**2 + grad_f(1, 1)[1]**2)``. An answer has no
variables. It is parsed, checked and evaluated at build time with the same
checker and compiler as the functions, so the answer can never disagree with
the function it is about.

Undeclared functions, wrong numbers of arguments, indices out of range and
results that are not finite are errors at the ``answer`` value. An answer that
mentions a declared function which itself failed its checks is skipped
silently: that function's error is already reported.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

from ..diagnostics import Diagnostic, error
from ..expr.compile import compile_expression
from ..expr.function import CompiledFunction
from ..expr.language import ExprError
from ..expr.locate import LineReader, file_lines, token_location
from ..expr.parse import NUMBER, Callee, parse_expression
from ..model import Chapter, Question


def evaluate_answers(
    chapter: Chapter, functions: dict[str, CompiledFunction]
) -> tuple[dict[str, float], list[Diagnostic]]:
    """The value of every numeric question's answer, by question id."""
    callees, implementations = _callees(functions)
    # Declared functions that failed to load or to check: their errors are reported
    # at the declaration, and "unknown function" here would be a follow-on.
    declared = set(chapter.declared_functions) | {decl.name for decl in chapter.functions}
    broken = declared - set(functions)
    lines = file_lines(chapter.source)
    answers: dict[str, float] = {}
    problems: list[Diagnostic] = []
    for question in chapter.quiz:
        if question.answer is None or _mentions(question.answer, broken):
            continue
        try:
            answers[question.id] = _evaluate(question.answer, callees, implementations)
        except ExprError as exc:
            problems.append(_diagnostic(chapter, question, exc, lines))
    return answers, problems


def _callees(
    functions: dict[str, CompiledFunction],
) -> tuple[dict[str, Callee], dict[str, Callable[..., Any]]]:
    callees: dict[str, Callee] = {}
    implementations: dict[str, Callable[..., Any]] = {}
    for name, function in functions.items():
        arity = len(function.vars)
        callees[name] = Callee(name, arity, NUMBER)
        callees[f"grad_{name}"] = Callee(f"grad_{name}", arity, arity)
        implementations[name] = function.value
        implementations[f"grad_{name}"] = function.grad
    return callees, implementations


def _evaluate(
    answer: str | float,
    callees: dict[str, Callee],
    implementations: dict[str, Callable[..., Any]],
) -> float:
    if not isinstance(answer, str):
        if not math.isfinite(answer):
            raise ExprError(f"the answer is not a finite number ({answer})", 0,
                            "write the number the reader should enter")
        return float(answer)
    expression = parse_expression(answer, (), callees)
    # Every part of an answer is constant, so compiling folds it to its value
    # and reports a part that is not finite (f at a singular point, an overflow).
    value = float(compile_expression(expression, implementations)(()))
    if not math.isfinite(value):
        raise ExprError(f"the answer is not a finite number (it is {value})", 0)
    return value


def _mentions(answer: str | float, names: set[str]) -> bool:
    if not isinstance(answer, str) or not names:
        return False
    pattern = r"\b(?:grad_)?(?:" + "|".join(re.escape(n) for n in sorted(names)) + r")\b"
    return re.search(pattern, answer) is not None


def _diagnostic(
    chapter: Chapter, question: Question, exc: ExprError, lines: LineReader
) -> Diagnostic:
    path = f"{question.key_path}.answer"
    where = chapter.marks.at(path)
    if isinstance(question.answer, str):
        where = token_location(where, question.answer, exc.offset, lines)
    return error(where, f"{path}: {exc.message}", exc.hint)
