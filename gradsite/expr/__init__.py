"""The expression language of declared functions and computed answers (spec sections 3, 6).

Authors write math as whitelisted Python/numpy arithmetic. This package owns
that language, between loading (functions.py read the declarations' shape)
and everything that uses a function: cells, plot blocks, function cards,
numeric answers.

Modules, in the order the data flows:

| module | owns |
| --- | --- |
| ``language.py`` | the whitelist: functions and their arity, constants, limits; ExprError |
| ``parse.py`` | text -> checked ``ast`` tree; every forbidden construct is an ExprError |
| ``compile.py`` | checked tree -> vectorised numpy closure; constant folding (no eval/exec) |
| ``numeric.py`` | central differences with Richardson extrapolation |
| ``function.py`` | CompiledFunction (plain, picklable) and the cell namespace |
| ``gradcheck.py`` | declared gradient vs finite differences: points and tolerance |
| ``latex.py`` | LaTeX from the tree for the function cards |
| ``javascript.py`` | JavaScript source from the tree, with numpy's semantics, for the browser |
| ``python.py`` | Python source from the tree, with the same values, for a chapter's notebook |
| ``agreement.py`` | that JavaScript run in QuickJS against numpy at the gradient check's points |
| ``locate.py`` | file, line and column of an offending token |
"""

from __future__ import annotations

from .compile import compile_expression
from .function import DEFAULT_DOMAIN, CompiledFunction, function_namespace
from .gradcheck import GradientCheck, Mismatch, check_gradient, check_points
from .language import FUNCTIONS, LANGUAGE_NAMES, ExprError
from .latex import expression_latex, function_name_latex, name_latex, to_latex
from .parse import Callee, Expression, parse_expression

__all__ = [
    "DEFAULT_DOMAIN",
    "FUNCTIONS",
    "LANGUAGE_NAMES",
    "Callee",
    "CompiledFunction",
    "Expression",
    "ExprError",
    "GradientCheck",
    "Mismatch",
    "check_gradient",
    "check_points",
    "compile_expression",
    "expression_latex",
    "function_name_latex",
    "function_namespace",
    "name_latex",
    "parse_expression",
    "to_latex",
]
