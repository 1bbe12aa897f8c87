"""Checking a chapter's declared functions: FunctionDecl -> CompiledFunction.

gradsite/functions.py checked the shape of each declaration when it was
loaded; this module checks its meaning (spec section 3): the expression and
every gradient component parse and compile in the language, ``vars`` names
no word of the language, ``domain`` has one pair per variable, ``tex`` is
valid LaTeX, and a declared
gradient agrees with the function (expr/gradcheck.py).

Each problem is a Diagnostic at the YAML value it is about
(``functions.f.gradient[1]``), with the column of the offending token when the
value is a plain one-line scalar (expr/locate.py). The checked functions are
cached under the declarations (``functions_key``): the gradient check
evaluates every gradient at dozens of points. A function with any error is
left out of the result; the pipeline stops at the phase boundary anyway, and
later stages (plots, answers) say nothing more about a declared function that
is missing from the result.
"""

from __future__ import annotations

from dataclasses import replace

from ..cache import Cache
from ..diagnostics import INVALID_LATEX, Diagnostic, error, warning
from ..expr.compile import compile_expression
from ..expr.function import DEFAULT_DOMAIN, CompiledFunction
from ..expr.gradcheck import CHECK_POINTS, GradientCheck, check_gradient
from ..expr.language import DEFAULT_VARIABLES, LANGUAGE_NAMES, ExprError, listing
from ..expr.latex import expression_latex
from ..expr.locate import LineReader, file_lines, token_location
from ..expr.parse import Expression, parse_expression
from ..fingerprint import canonical, digest, environment_key
from ..markup.math import render_math
from ..model import Chapter, FunctionDecl


def check_functions(
    chapter: Chapter, macros: str = ""
) -> tuple[dict[str, CompiledFunction], list[Diagnostic]]:
    """Parse, compile and check every declared function of ``chapter``; a ``tex`` is
    checked with the course's ``macros``."""
    lines = file_lines(chapter.source)
    functions: dict[str, CompiledFunction] = {}
    problems: list[Diagnostic] = []
    for decl in chapter.functions:
        checker = _DeclarationCheck(chapter, decl, lines, macros)
        function = checker.run()
        problems.extend(checker.problems)
        if function is not None:
            functions[decl.name] = function
    return functions, problems


class _DeclarationCheck:
    """The checks of one declaration, collecting their diagnostics."""

    def __init__(
        self, chapter: Chapter, decl: FunctionDecl, lines: LineReader, macros: str
    ) -> None:
        self.macros = macros
        self.chapter = chapter
        self.decl = decl
        self.lines = lines
        self.problems: list[Diagnostic] = []

    def run(self) -> CompiledFunction | None:
        decl = self.decl
        if not self._variables_valid():
            return None
        expression = self._expression(decl.expr, "expr", decl.vars)
        if expression is None:
            return None
        variables = expression.variables
        if not variables:
            self._error("expr", f"the expression uses none of the variables "
                        f"{listing(DEFAULT_VARIABLES)}",
                        "a constant function needs its variables declared, e.g. vars: [x]")
            return None
        domain = self._domain(len(variables))
        gradient_valid, gradient = self._gradient(variables)
        tex = self._tex(expression)
        if domain is None or not gradient_valid or tex is None:
            return None
        function = CompiledFunction(
            name=decl.name,
            vars=variables,
            expr=decl.expr,
            gradient=tuple(g.source for g in gradient) if gradient else None,
            domain=domain,
            tex=tex,
            gradient_tex=tuple(expression_latex(g) for g in gradient) if gradient else (),
            gradient_checked=False,
        )
        if not gradient:
            return function
        result = check_gradient(function)
        self._report_check(function, result)
        if result.mismatches:
            return None
        return replace(function, gradient_checked=result.passed)

    # --- the parts of a declaration ---------------------------------------

    def _variables_valid(self) -> bool:
        valid = True
        for i, name in enumerate(self.decl.vars or ()):
            if name in LANGUAGE_NAMES:
                self._error(f"vars[{i}]", f"'{name}' is a name of the expression language",
                            "choose another variable name, such as x, t or w1")
                valid = False
        return valid

    def _expression(
        self, source: str, key: str, variables: tuple[str, ...] | None
    ) -> Expression | None:
        """Parse and compile one expression; report its error at ``key``."""
        try:
            expression = parse_expression(source, variables)
            compile_expression(expression)
        except ExprError as exc:
            hint = exc.hint
            if variables is None and hint.startswith("the variables are"):
                hint = ("without 'vars' the variables are those of x, y and z the expression "
                        "uses; declare others in order, e.g. vars: [w, b]")
            self._error(key, exc.message, hint, source, exc.offset)
            return None
        return expression

    def _domain(self, count: int) -> tuple[tuple[float, float], ...] | None:
        domain = self.decl.domain
        if domain is None:
            return (DEFAULT_DOMAIN,) * count
        if len(domain) != count:
            self._error("domain", f"{len(domain)} interval{'s' if len(domain) != 1 else ''} "
                        f"for {count} variable{'s' if count != 1 else ''}",
                        f"give one [low, high] per variable, e.g. {_domain_example(count)}")
            return None
        return domain

    def _gradient(self, variables: tuple[str, ...]) -> tuple[bool, list[Expression] | None]:
        """Whether the gradient is valid, and its parsed components (None: not declared)."""
        sources = self.decl.gradient
        if sources is None:
            return True, None
        if len(sources) != len(variables):
            hint = "give one partial derivative per variable, in the order of the variables"
            if any(s.count("(") != s.count(")") for s in sources):
                hint = ("YAML splits [a, b] at every comma, also inside parentheses: quote a "
                        "component that contains a comma, e.g. ['where(x > 0, 1, -1)', '2*y']")
            self._error("gradient", f"{len(sources)} component"
                        f"{'s' if len(sources) != 1 else ''} for {len(variables)} variable"
                        f"{'s' if len(variables) != 1 else ''} ({', '.join(variables)})", hint)
            return False, None
        parsed = [self._expression(s, f"gradient[{i}]", variables) for i, s in enumerate(sources)]
        components = [p for p in parsed if p is not None]
        return len(components) == len(parsed), components

    def _tex(self, expression: Expression) -> str | None:
        tex = self.decl.tex
        if tex is None:
            return expression_latex(expression)
        result = render_math(tex, True, self.macros)
        if result.error:
            self._error("tex", f"{INVALID_LATEX}: {result.error}",
                        "check the braces and the command names; write LaTeX in single quotes",
                        tex, result.offset)
            return None
        return tex

    def _report_check(self, function: CompiledFunction, result: GradientCheck) -> None:
        for mismatch in result.mismatches:
            i = mismatch.component
            point = ", ".join(f"{v}={p:.4g}" for v, p in zip(
                function.vars, mismatch.point, strict=True))
            self._error(
                f"gradient[{i}]",
                f"the declared gradient disagrees with the function at ({point}): "
                f"declared {_number(mismatch.declared)}, numerical {_number(mismatch.numerical)}",
                f"this component should be the partial derivative of {function.name} with "
                f"respect to {function.vars[i]}; the build compares it with finite "
                f"differences at {CHECK_POINTS} points of the domain",
            )
        if not result.mismatches and not result.complete:
            where = self.chapter.marks.at(f"{self.decl.key_path}.gradient")
            self.problems.append(warning(
                where,
                f"{self.decl.key_path}.gradient: the gradient could not be checked: the "
                "function is undefined or not differentiable at too many points of its domain",
                "narrow the domain to where the function is smooth",
            ))

    def _error(
        self, key: str, message: str, hint: str = "", source: str | None = None,
        offset: int | None = None,
    ) -> None:
        path = f"{self.decl.key_path}.{key}"
        where = self.chapter.marks.at(path)
        if source is not None and offset is not None:
            where = token_location(where, source, offset, self.lines)
        self.problems.append(error(where, f"{path}: {message}", hint))


def _number(value: float) -> str:
    return f"{value:.6g}"


def _domain_example(count: int) -> str:
    return "[" + ", ".join(["[-3, 3]"] * count) + "]"


def checked_functions(
    chapter: Chapter, cache: Cache, macros: str = ""
) -> tuple[dict[str, CompiledFunction], list[Diagnostic]]:
    """``check_functions``, from the cache when the declarations are unchanged: the
    gradient check evaluates every gradient at dozens of points. Only a clean
    result is stored, so a declaration with problems reports them every time."""
    if not chapter.functions:
        return {}, []
    key = functions_key(chapter.functions, macros)
    cached = cache.get(key)
    if isinstance(cached, dict) and all(isinstance(f, CompiledFunction)
                                        for f in cached.values()):
        return cached, []
    functions, problems = check_functions(chapter, macros)
    if not problems:
        cache.put(key, functions)
    return functions, problems


def functions_key(decls: tuple[FunctionDecl, ...], macros: str = "") -> str:
    """The cache key of the checked functions: what the author declared, not where,
    and the course's macros (a ``tex`` is checked with them)."""
    declared = [[d.name, d.expr, d.vars, d.gradient, d.domain, d.tex] for d in decls]
    return digest(environment_key(), "functions", canonical([declared, macros]))
