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

A question with parameters (params.py) has one answer per variant: its
parameters are the expression's variables, and each variant's values are put
in. A variant whose answer is not finite is an error that names its values.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

import numpy as np

from ..diagnostics import Diagnostic, error
from ..expr.compile import compile_expression
from ..expr.function import CompiledFunction
from ..expr.language import ExprError
from ..expr.locate import LineReader, file_lines, token_location
from ..expr.parse import NUMBER, Callee, parse_expression
from ..model import Chapter, Question
from ..params import Variant, variant_text


def evaluate_answers(
    chapter: Chapter, functions: dict[str, CompiledFunction],
    variants: dict[str, tuple[Variant, ...]],
) -> tuple[dict[str, tuple[float, ...]], list[Diagnostic]]:
    """The value of every numeric question's answer in each of its variants, by id."""
    callees, implementations = _callees(functions)
    # Declared functions that failed to load or to check: their errors are reported
    # at the declaration, and "unknown function" here would be a follow-on.
    declared = set(chapter.declared_functions) | {decl.name for decl in chapter.functions}
    broken = declared - set(functions)
    lines = file_lines(chapter.source)
    answers: dict[str, tuple[float, ...]] = {}
    problems: list[Diagnostic] = []
    for question in chapter.quiz:
        if question.answer is None or _mentions(question.answer, broken):
            continue
        drawn = variants.get(question.id, ((),))
        try:
            answers[question.id] = _evaluate(question.answer, callees, implementations, drawn)
        except _VariantError as failed:
            problems.append(_diagnostic(chapter, question, failed.error, lines,
                                        failed.variant))
    return answers, problems


class _VariantError(Exception):
    def __init__(self, error: ExprError, variant: Variant) -> None:
        super().__init__(error.message)
        self.error = error
        self.variant = variant


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
    variants: tuple[Variant, ...],
) -> tuple[float, ...]:
    """The answer's value in each variant (a question without parameters has one,
    the empty variant)."""
    if not isinstance(answer, str):
        if not math.isfinite(answer):
            raise _VariantError(ExprError(f"the answer is not a finite number ({answer})", 0,
                                          "write the number the reader should enter"), ())
        return (float(answer),) * len(variants)
    first = variants[0]
    texts = [name for name, value in first if isinstance(value, str)]
    used = [name for name in texts if re.search(rf"\b{re.escape(name)}\b", answer)]
    if used:
        raise _VariantError(ExprError(
            f"the parameter '{used[0]}' has text values, and an answer is computed from "
            "numbers", answer.find(used[0]),
            "use it in the question's texts only, as {{" + used[0] + "}}"), ())
    names = tuple(name for name, value in first if not isinstance(value, str))
    try:
        evaluate = compile_expression(parse_expression(answer, names, callees), implementations)
    except ExprError as exc:
        raise _VariantError(exc, ()) from exc
    values = []
    for variant in variants:
        # Every part of an answer is constant once a variant's values are in; numpy's
        # warning about a division by zero is the error below, said with the values.
        with np.errstate(all="ignore"):
            value = float(evaluate(tuple(float(v) for _, v in variant
                                         if not isinstance(v, str))))
        if not math.isfinite(value):
            raise _VariantError(ExprError(f"the answer is not a finite number (it is {value})",
                                          0), variant)
        values.append(value)
    return tuple(values)


def _mentions(answer: str | float, names: set[str]) -> bool:
    if not isinstance(answer, str) or not names:
        return False
    pattern = r"\b(?:grad_)?(?:" + "|".join(re.escape(n) for n in sorted(names)) + r")\b"
    return re.search(pattern, answer) is not None


def _diagnostic(
    chapter: Chapter, question: Question, exc: ExprError, lines: LineReader,
    variant: Variant = (),
) -> Diagnostic:
    path = f"{question.key_path}.answer"
    where = chapter.marks.at(path)
    if isinstance(question.answer, str):
        where = token_location(where, question.answer, exc.offset, lines)
    which = f" in the variant {variant_text(variant)}" if variant else ""
    return error(where, f"{path}{which}: {exc.message}", exc.hint)
