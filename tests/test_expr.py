"""The expression language (spec section 3): parser, compiler, LaTeX, declarations.

Parser tests check every allowed construct by evaluating it against numpy, and
every forbidden one (including escape attempts and expressions built to stall
the build) by the message, the offset of the offending token and the hint.
Declaration tests load real chapter files, so they assert the ``path:line:col``
an author sees.
"""

from __future__ import annotations

import math
import pickle
import time
from pathlib import Path

import numpy as np
import pytest

from gradsite.check.functions import check_functions
from gradsite.expr import (
    FUNCTIONS,
    Callee,
    CompiledFunction,
    ExprError,
    compile_expression,
    function_name_latex,
    function_namespace,
    name_latex,
    parse_expression,
    to_latex,
)
from gradsite.load import load_chapter
from gradsite.model import Chapter
from tests.coursekit import only, where

CH = "content/01-a/01-b.md"


def chapter_with(tmp_path: Path, front: str) -> Chapter:
    """A chapter file whose front matter is ``title: T`` then ``front`` from line 3."""
    path = tmp_path / CH
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("---\ntitle: T\n" + front + "---\nBody.\n", encoding="utf-8")
    chapter, problems = load_chapter(path, 1, "b")
    assert problems == [], [p.format() for p in problems]
    assert chapter is not None
    return chapter


def evaluate(source: str, **values: float) -> float:
    expression = parse_expression(source, tuple(values))
    with np.errstate(all="ignore"):
        return float(compile_expression(expression)(tuple(values.values())))


def error_of(source: str, variables: tuple[str, ...] | None = ("x", "y")) -> ExprError:
    with pytest.raises(ExprError) as caught:
        compile_expression(parse_expression(source, variables))
    return caught.value


# --- allowed constructs -----------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("42", 42.0),
        ("2.5", 2.5),
        ("1e-3", 1e-3),
        ("1.5E2", 150.0),
        (".5", 0.5),
        ("x + y", 5.0),
        ("x - y", -1.0),
        ("x * y", 6.0),
        ("x / y", 2 / 3),
        ("x ** y", 8.0),
        ("2 ** -1", 0.5),
        ("-x", -2.0),
        ("+x", 2.0),
        ("-x ** 2", -4.0),
        ("(x + 1) * (y - 1)", 6.0),
        ("2 ** 3 ** 2", 512.0),
        ("pi", math.pi),
        ("e", math.e),
        ("e ** x", math.e**2),
        ("minimum(x, y)", 2.0),
        ("maximum(x, y)", 3.0),
        ("where(x > 1, x, 0)", 2.0),
        ("where(x < 1, x, 0)", 0.0),
        ("where(x >= 2, 1, 0)", 1.0),
        ("where(x <= 1.5, 1, 0)", 0.0),
        ("where(x == 2, 1, 0)", 1.0),
        ("where(x != 2, 1, 0)", 0.0),
        ("where(1 < x < y, 1, 0)", 1.0),
        ("where(1 < y < x, 1, 0)", 0.0),
        ("where(x - 2, 1, 0)", 0.0),
        ("x  +\ty", 5.0),
        ("  x + y  ", 5.0),
        ("(x +\n y)", 5.0),
        ("x + y  # a comment", 5.0),
    ],
)
def test_allowed_constructs_evaluate_like_numpy(source: str, expected: float) -> None:
    assert evaluate(source, x=2.0, y=3.0) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("name", sorted(n for n, (arity, _) in FUNCTIONS.items() if arity == 1))
def test_every_one_argument_function_is_numpys(name: str) -> None:
    implementation = FUNCTIONS[name][1]
    assert evaluate(f"{name}(x)", x=0.5) == pytest.approx(float(implementation(0.5)))


def test_function_list_is_the_spec_list_with_its_arities() -> None:
    spec = ("sin cos tan arcsin arccos arctan sinh cosh tanh exp log log2 log10 sqrt abs "
            "minimum maximum where").split()
    assert list(FUNCTIONS) == spec
    assert {n: a for n, (a, _) in FUNCTIONS.items() if a != 1} == {
        "minimum": 2, "maximum": 2, "where": 3}


def test_compiled_expressions_are_vectorised_and_broadcast() -> None:
    run = compile_expression(parse_expression("x**2 + y", ("x", "y")))
    x = np.linspace(0, 1, 5)
    result = run((x[:, None], np.array([0.0, 10.0])[None, :]))
    assert result.shape == (5, 2)
    assert np.allclose(result[:, 1], x**2 + 10)


def test_where_evaluates_both_branches_but_keeps_the_chosen_one() -> None:
    run = compile_expression(parse_expression("where(x > 0, log(x), 0)", ("x",)))
    with np.errstate(all="raise"), pytest.raises(FloatingPointError):
        run((np.array([-1.0, 1.0]),))
    with np.errstate(all="ignore"):
        assert list(run((np.array([-1.0, np.e]),))) == [0.0, 1.0]


def test_constant_parts_are_folded_once() -> None:
    expression = parse_expression("x * (2**10 + sqrt(16))", ("x",))
    assert float(compile_expression(expression)((np.float64(1.0),))) == 1028.0


# --- default variables ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "variables"),
    [("x", ("x",)), ("y**2 + x", ("x", "y")), ("z * y", ("y", "z")), ("x*y*z", ("x", "y", "z")),
     ("2", ())],
)
def test_default_variables_are_those_of_x_y_z_used_in_that_order(
    source: str, variables: tuple[str, ...]
) -> None:
    assert parse_expression(source).variables == variables


def test_declared_variables_replace_the_defaults() -> None:
    expression = parse_expression("w**2 + b", ("w", "b"))
    assert expression.variables == ("w", "b")
    problem = error_of("w + x", ("w", "b"))
    assert problem.message == "unknown name 'x'"
    assert problem.hint == "the variables are w and b; the constants pi and e"


# --- forbidden constructs: message, offending token, hint ------------------------------


@pytest.mark.parametrize(
    ("source", "message", "offset", "hint"),
    [
        ("np.sin(x)", "attribute access is not allowed: 'np.sin'", 2, "write 'sin' instead"),
        ("numpy.exp(x)", "attribute access", 5, "write 'exp' instead of 'numpy.exp'"),
        ("math.pi * x", "attribute access", 4, "write 'pi' instead of 'math.pi'"),
        ("np.asin(x)", "attribute access", 2, "write 'arcsin' instead of 'np.asin'"),
        ("x.real", "attribute access is not allowed: 'x.real'", 1, "no attributes"),
        ("().__class__", "attribute access is not allowed: '().__class__'", 2, "no attributes"),
        ("().__class__.__bases__[0].__subclasses__()", "attribute access", 25, ""),
        ("__import__('os').system('ls')", "attribute access", 16, ""),
        ("__import__('os')", "unknown function '__import__'", 0, ""),
        ("eval('1')", "unknown function 'eval'", 0, ""),
        ("open('/etc/passwd')", "unknown function 'open'", 0, ""),
        ("getattr(x, 'y')", "unknown function 'getattr'", 0, ""),
        ("__builtins__", "unknown name '__builtins__'", 0, ""),
        ("x[0]", "subscripts are not allowed: 'x[0]'", 0, "no arrays"),
        ("lambda: 1", "lambda functions are not allowed", 0, "declare another function"),
        ("(lambda: 0)()", "only named functions can be called", 0, ""),
        ("[x for x in y]", "comprehensions are not allowed", 0, ""),
        ("sum(x for x in y)", "unknown function 'sum'", 0, ""),
        ("{x: 1}", "dictionaries are not allowed", 0, ""),
        ("[x, y]", "lists are not allowed", 0, ""),
        ("x, y", "tuples are not allowed", 0, "a ',' separates arguments"),
        ("x if y else 0", "conditional expressions are not allowed", 0, "where(condition, a, b)"),
        ("x and y", "'and' and 'or' are not allowed", 0, "chained comparison"),
        ("not x", "the operator 'not' is not allowed", 0, ""),
        ("~x", "the operator '~' is not allowed", 0, ""),
        ("x ^ 2", "the operator '^' is not allowed", 2, "write x**2"),
        ("x // 2", "the operator '//' is not allowed", 2, "use / for division"),
        ("x % 2", "the operator '%' is not allowed", 2, ""),
        ("x @ y", "the operator '@' is not allowed", 2, ""),
        ("x << 1", "the operator '<<' is not allowed", 2, ""),
        ("'text'", "text is not allowed", 0, ""),
        ("f'{x}'", "text is not allowed", 0, ""),
        ("True", "'True' is not allowed", 0, "numbers only"),
        ("None", "'None' is not allowed", 0, ""),
        ("2j", "complex numbers are not allowed", 0, ""),
        ("x < 1", "a comparison is only allowed as the first argument of where", 0, ""),
        ("sin(x > 0)", "a comparison is only allowed", 4, "where(x > 0, x, 0)"),
        ("where(x > 0, y < 1, 0)", "a comparison is only allowed", 13, ""),
        ("where(x in y, 1, 0)", "this comparison is not allowed", 6, ""),
        ("sin(x, y)", "sin takes 1 argument, got 2: 'sin(x, y)'", 0, ""),
        ("where(x, 1)", "where takes 3 arguments, got 2", 0, "three"),
        ("minimum(x)", "minimum takes 2 arguments, got 1", 0, ""),
        ("sin(x=1)", "keyword arguments are not allowed: 'x=1'", 4, ""),
        ("sin(*x)", "'*' unpacking is not allowed", 4, ""),
        ("sine(x)", "unknown function 'sine'", 0, "did you mean 'sin'?"),
        ("min(x, y)", "unknown function 'min'", 0, "the language calls it 'minimum'"),
        ("ln(x)", "unknown function 'ln'", 0, "the language calls it 'log'"),
        ("x(y + 1)", "unknown function 'x'", 0, "write x*(...) for a product"),
        ("x + yy", "unknown name 'yy'", 4, "did you mean 'y'?"),
        ("np", "unknown name 'np'", 0, "the language has no modules"),
        ("sin + 1", "'sin' is a function: call it as sin(...)", 0, ""),
        ("2x + 1", "syntax error at '2': invalid decimal literal", 0, "write 2*x"),
        ("x y", "syntax error at 'y'", 2, "multiplication needs '*'"),
        ("x +", "syntax error", 3, "complete the expression"),
        ("sin(x", "syntax error at '(': '(' was never closed", 3, "matching ')'"),
        ("x)", "syntax error at ')': unmatched ')'", 1, ""),
        ("x +\n y", "syntax error at 'y'", 5, "wrapped in parentheses"),
        ("", "the expression is empty", 0, ""),
        ("x := 1", "syntax error", 2, ""),
    ],
)
def test_forbidden_constructs_are_errors_with_the_token_and_a_hint(
    source: str, message: str, offset: int, hint: str
) -> None:
    problem = error_of(source)
    assert message in problem.message
    assert problem.offset == offset
    assert hint in problem.hint


def test_offsets_count_characters_not_bytes() -> None:
    assert error_of("é + 2 + yy", ("é",)).offset == 8


def test_huge_exponents_are_errors_found_at_once() -> None:
    started = time.perf_counter()
    for source in ("10**10**10", "9**9**9", "x + 9**9**9", "2**10000"):
        problem = error_of(source)
        assert "is not a finite number (it is inf)" in problem.message
        assert "overflows" in problem.hint
    assert error_of("x + 9**9**9").offset == 4
    assert time.perf_counter() - started < 1.0


def test_a_variable_exponent_overflows_to_inf_without_stalling() -> None:
    run = compile_expression(parse_expression("x**10**10", ("x",)))
    started = time.perf_counter()
    with np.errstate(all="ignore"):
        assert list(run((np.array([2.0, 1.0, 0.5]),))) == [math.inf, 1.0, 0.0]
    assert time.perf_counter() - started < 1.0


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("1" * 400, "is too large"),
        ("1e400", "is too large"),
        ("1" * 1990, "is too large"),
        ("1" * 5000, "too long"),
        ("x+" * 1200 + "x", "too long"),
        ("x+" * 600 + "x", "nested too deeply"),
        ("(" * 300 + "x" + ")" * 300, "syntax error"),
        ("-" * 500 + "x", "nested too deeply"),
        ("log(0) + x", "'log(0)' is not a finite number (it is -inf)"),
        ("sqrt(-1) * x", "'sqrt(-1)' is not a finite number (it is nan)"),
        ("x + 1/0", "'1/0' is not a finite number"),
    ],
)
def test_pathological_constants_and_sizes_are_errors(source: str, message: str) -> None:
    assert message in error_of(source).message


def test_answers_callees_are_only_known_to_answers() -> None:
    callees = {"f": Callee("f", 2), "grad_f": Callee("grad_f", 2, 2)}
    assert parse_expression("grad_f(1, 2)[0] + f(0, 0)", (), callees).kind == 0
    assert "unknown function 'f'" in error_of("f(1, 2)").message


# --- CompiledFunction and the cell namespace -------------------------------------------


def bowl() -> CompiledFunction:
    return CompiledFunction("f", ("x", "y"), "x**2 + 3*y**2", ("2*x", "6*y"),
                            ((-3.0, 3.0), (-3.0, 3.0)), "x^2 + 3y^2", ("2x", "6y"), True)


def test_value_and_grad_broadcast_and_grad_has_one_row_per_variable() -> None:
    f = bowl()
    x, y = np.meshgrid(np.linspace(-1, 1, 4), np.linspace(0, 2, 3))
    assert f.value(x, y).shape == (3, 4)
    assert f.grad(x, y).shape == (2, 3, 4)
    assert f.grad(1.0, np.array([0.0, 1.0])).tolist() == [[2.0, 2.0], [0.0, 6.0]]
    assert f.value(1, 2).shape == ()


def test_a_constant_gradient_component_broadcasts() -> None:
    f = CompiledFunction("f", ("x", "y"), "x + 2*y", ("1", "2"), ((-1.0, 1.0),) * 2, "", (),
                         True)
    assert f.grad(np.zeros(3), np.zeros(3)).tolist() == [[1.0] * 3, [2.0] * 3]


def test_one_variable_gradient_still_has_a_leading_axis() -> None:
    g = CompiledFunction("g", ("x",), "x**3", None, ((-2.0, 2.0),), "", (), False)
    assert g.grad(2.0).shape == (1,)
    assert g.grad(np.array([1.0, 2.0])).shape == (1, 2)
    assert g.grad(np.array([1.0, 2.0]))[0] == pytest.approx([3.0, 12.0], rel=1e-9)


def test_numerical_gradient_is_accurate() -> None:
    h = CompiledFunction("h", ("x", "y"), "sin(x)*cos(y) + exp(x*y/4)", None,
                         ((-3.0, 3.0), (-3.0, 3.0)), "", (), False)
    x, y = np.meshgrid(np.linspace(-2.9, 2.9, 9), np.linspace(-2.9, 2.9, 7))
    exact = np.stack([np.cos(x) * np.cos(y) + y / 4 * np.exp(x * y / 4),
                      -np.sin(x) * np.sin(y) + x / 4 * np.exp(x * y / 4)])
    assert np.max(np.abs(h.grad(x, y) - exact)) < 1e-8


def test_compiled_functions_pickle_without_their_compiled_callables() -> None:
    f = bowl()
    f.value(1.0, 1.0)  # compiles and caches
    assert "_evaluators" in vars(f)
    data = pickle.dumps(f)
    copy = pickle.loads(data)
    assert copy == f and hash(copy) == hash(f)
    assert "_evaluators" not in vars(copy)
    assert copy.grad(1.0, 1.0).tolist() == [2.0, 6.0]


def test_namespace_gives_f_and_grad_f_for_every_function() -> None:
    g = CompiledFunction("g", ("x",), "x**3 - 3*x", ("3*x**2 - 3",), ((-2.0, 2.0),), "", (), True)
    namespace = function_namespace({"f": bowl(), "g": g})
    assert sorted(namespace) == ["f", "g", "grad_f", "grad_g"]
    assert namespace["f"](1, 2) == 13.0
    assert isinstance(namespace["f"](1, 2), float)
    assert namespace["grad_g"](2).tolist() == [9.0]
    assert namespace["grad_f"](np.zeros((2, 5)), np.ones((2, 5))).shape == (2, 2, 5)
    assert namespace["f"].__name__ == "f"
    with pytest.raises(TypeError, match=r"f\(x, y\) takes 2 arguments, got 1"):
        namespace["f"](1)


# --- LaTeX -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "latex"),
    [
        ("x**2 + y**2", "x^{2} + y^{2}"),
        ("2*x", "2x"),
        ("3*x**2 - 3", "3x^{2} - 3"),
        ("x**2*y + 3*y", "x^{2} y + 3y"),
        ("x*y*z", "x y z"),
        ("sin(x)*cos(y)", r"\sin x \cos y"),
        ("-sin(x)*sin(y)", r"-\sin x \sin y"),
        ("log(x)*y", r"\log x \cdot y"),
        ("x*2", r"x \cdot 2"),
        ("2*3", r"2 \cdot 3"),
        ("0.5*x**2 + 5*y**2", "0.5x^{2} + 5y^{2}"),
        ("x + -2*y", "x - 2y"),
        ("x - -y", "x + y"),
        ("x - (y - z)", "x - (y - z)"),
        ("x - (y * z)", "x - y z"),
        ("x + (y - z)", "x + y - z"),
        ("-(x + y)", "-(x + y)"),
        ("(x + 1)*(y - 1)", "(x + 1) (y - 1)"),
        ("2*(x + 1)", "2(x + 1)"),
        ("2*-x", "2(-x)"),
        ("(-x)**2", "(-x)^{2}"),
        ("-x**2", "-x^{2}"),
        ("(x**2)**3", "(x^{2})^{3}"),
        ("2**x**2", "2^{x^{2}}"),
        ("x**-1", "x^{-1}"),
        ("x/(y + 1)", r"\frac{x}{y + 1}"),
        ("(x/y)**2", r"\left(\frac{x}{y}\right)^{2}"),
        ("sin(x)/x", r"\frac{\sin x}{x}"),
        ("exp(-x**2)", "e^{-x^{2}}"),
        ("e**x", "e^{x}"),
        ("sqrt(x**2 + y**2)", r"\sqrt{x^{2} + y^{2}}"),
        ("abs(x)", r"\lvert x \rvert"),
        ("sin(x)**2", r"\sin^{2} x"),
        ("sin(2*x)**2", r"\sin^{2}(2x)"),
        ("log10(x) + log2(y)", r"\log_{10} x + \log_{2} y"),
        ("arctan(y/x)", r"\arctan\left(\frac{y}{x}\right)"),
        ("minimum(x, y)**2", r"\min(x, y)^{2}"),
        ("maximum(0, x)", r"\max(0, x)"),
        ("where(x > 0, x, 0)",
         r"\begin{cases} x & \text{if } x > 0 \\ 0 & \text{otherwise} \end{cases}"),
        ("where(0 <= x < 1, 1, 0)",
         r"\begin{cases} 1 & \text{if } 0 \le x < 1 \\ 0 & \text{otherwise} \end{cases}"),
        ("2*pi*x", r"2\pi x"),
        ("1e-5*x", "10^{-5} x"),
        ("1.5e-7 + x", r"1.5 \times 10^{-7} + x"),
        ("2.0*x", "2x"),
        ("theta*x1 + x_max*rate", r"\theta x_{1} + x_{\text{max}} \text{rate}"),
        ("w_1 + lr", r"w_{1} + \text{lr}"),
        ("ell*x + x_ell", r"\ell x + x_{\ell}"),  # ℓ, as sigma is σ
        # TeX's spacing: an operator name takes plain parentheses with no space before
        # them; only around something tall do they grow (\left), as in TeX.
        ("cos(pi*x)", r"\cos(\pi x)"),
        ("-pi*sin(pi*x)*cos(2*y)", r"-\pi \sin(\pi x) \cos(2y)"),
        ("2*pi*cos(2*pi*x)", r"2\pi \cos(2\pi x)"),
        ("log(1 + exp(-x))", r"\log(1 + e^{-x})"),
        ("minimum(x/2, 1)", r"\min\left(\frac{x}{2}, 1\right)"),
        ("abs(x/y)", r"\left\lvert \frac{x}{y} \right\rvert"),
        ("x*(-y/2)", r"x \left(-\frac{y}{2}\right)"),
        ("-(x**2 + y**2)/2", r"-\frac{x^{2} + y^{2}}{2}"),
        ("2*x*exp(-x**2 - y**2)", "2x e^{-x^{2} - y^{2}}"),
        ("exp(-(x**2 + y**2)/2)", r"\exp\left(-\frac{x^{2} + y^{2}}{2}\right)"),
        ("exp(sqrt(x))", r"e^{\sqrt{x}}"),
        # names: digits and what follows an underscore are subscripts; a subscript
        # that is a word or a label is upright, a name of several letters too
        ("f_2d + x_k + w_in_1", r"f_{\text{2d}} + x_{k} + w_{\text{in},1}"),
        ("x_ij + alpha1 + theta_0", r"x_{\text{ij}} + \alpha_{1} + \theta_{0}"),
        ("rate1 + loss_train", r"\text{rate}_{1} + \text{loss}_{\text{train}}"),
        ("x2_a", r"\text{x2}_{a}"),  # one subscript: the digits stay in the word
    ],
)
def test_latex_from_the_tree(source: str, latex: str) -> None:
    assert to_latex(source) == latex


def test_generated_latex_renders_with_katex() -> None:
    from gradsite.markup.math import render_math

    for source in ("where(0 <= x < 1, sqrt(x), exp(-x)/2)", "x_max*theta + abs(sin(y))**2",
                   "exp(-(x**2 + y**2)/2)*cos(pi*x)", "abs(x/y) + minimum(x/2, 1)",
                   "f_2d*w_in_1 + x2_a - rate1/loss_train", "sin(2*x)**2 + _a + b_"):
        assert render_math(to_latex(source), True).error == ""


@pytest.mark.parametrize(
    ("name", "variable", "function"),
    [
        ("f", "f", "f"),
        ("f_2d", r"f_{\text{2d}}", r"f_{\text{2d}}"),
        ("loss", r"\text{loss}", r"\operatorname{loss}"),
        ("loss_train", r"\text{loss}_{\text{train}}", r"\operatorname{loss}_{\text{train}}"),
        ("g2", "g_{2}", "g_{2}"),
        ("f2_a", r"\text{f2}_{a}", r"\operatorname{f2}_{a}"),
        ("theta_k", r"\theta_{k}", r"\theta_{k}"),
        ("h_", r"\text{h\_}", r"\operatorname{h\_}"),
    ],
)
def test_names_in_latex(name: str, variable: str, function: str) -> None:
    assert name_latex(name) == variable
    assert function_name_latex(name) == function


def test_spacing_follows_tex_in_the_mathml() -> None:
    """\\cos(\\pi x): no space between the name and its parenthesis, none inside;
    \\left( would add TeX's thin space after the name (an inner group)."""
    from gradsite.markup.math import render_math

    mathml = render_math(to_latex("cos(pi*x)"), True).mathml
    assert "rspace" not in mathml and "<mspace" not in mathml
    assert "<mi>cos</mi><mo>\u2061</mo><mo stretchy=\"false\">(</mo><mi>π</mi><mi>x</mi>" in mathml


@pytest.mark.parametrize("source", ["np.sin(x)", "sin + 1", "x ^ 2", "f(x)"])
def test_latex_of_an_invalid_expression_raises(source: str) -> None:
    with pytest.raises(ExprError):
        to_latex(source)


# --- declarations: check_functions ------------------------------------------------------


def test_valid_declarations_compile_with_defaults(tmp_path: Path) -> None:
    chapter = chapter_with(tmp_path, (
        "functions:\n"
        "  f:\n"
        "    expr: x**2 + y**2\n"
        "    gradient: [2*x, 2*y]\n"
        "    tex: 'x^2 + y^2'\n"
        "  g: sin(y) * z\n"
        "  loss:\n"
        "    expr: (w - 1)**2\n"
        "    vars: [w]\n"
        "    domain: [[-1, 3]]\n"
    ))
    functions, problems = check_functions(chapter)
    assert problems == []
    f, g, loss = functions["f"], functions["g"], functions["loss"]
    assert (f.vars, f.domain, f.tex, f.gradient_tex, f.gradient_checked) == (
        ("x", "y"), ((-3.0, 3.0), (-3.0, 3.0)), "x^2 + y^2", ("2x", "2y"), True)
    assert (g.vars, g.tex, g.gradient, g.gradient_tex, g.gradient_checked) == (
        ("y", "z"), r"\sin y \cdot z", None, (), False)
    assert (loss.vars, loss.domain, loss.tex) == (("w",), ((-1.0, 3.0),),
                                                  "(w - 1)^{2}")


def test_an_unknown_name_names_file_line_column_key_path_and_suggests(tmp_path: Path) -> None:
    chapter = chapter_with(tmp_path, (
        "functions:\n"
        "  f:\n"
        "    expr: x**2 + y**2\n"
        "    gradient: [2*x, 2*yy]\n"
    ))
    functions, problems = check_functions(chapter)
    problem = only(problems)
    assert problem.location.path == CH
    assert (problem.location.line, problem.location.column) == (6, 23)
    assert problem.message == "functions.f.gradient[1]: unknown name 'yy'"
    assert problem.hint == "did you mean 'y'?"
    assert functions == {}


def test_np_prefix_error_points_at_the_attribute(tmp_path: Path) -> None:
    chapter = chapter_with(tmp_path, "functions:\n  g: np.sin(x) + 1\n")
    problem = only(check_functions(chapter)[1])
    assert (where(problem), problem.location.column) == (f"{CH}:4", 8)
    assert problem.message == "functions.g.expr: attribute access is not allowed: 'np.sin'"
    assert problem.hint == "write 'sin' instead of 'np.sin'"


def test_a_quoted_value_gets_the_line_but_no_column(tmp_path: Path) -> None:
    chapter = chapter_with(tmp_path, "functions:\n  f:\n    expr: 'x + yy'\n")
    problem = only(check_functions(chapter)[1])
    assert (where(problem), problem.location.column) == (f"{CH}:5", 0)
    assert problem.message == "functions.f.expr: unknown name 'yy'"


def test_a_block_scalar_expression_is_reported_on_its_key_line(tmp_path: Path) -> None:
    chapter = chapter_with(tmp_path, "functions:\n  f:\n    expr: |\n      x +\n      q\n")
    problem = only(check_functions(chapter)[1])
    assert where(problem) == f"{CH}:5"
    assert problem.message == "functions.f.expr: syntax error at 'q': invalid syntax"
    assert "parentheses" in problem.hint


@pytest.mark.parametrize(
    ("front", "line", "message", "hint"),
    [
        ("  f:\n    expr: 2\n", 5, "functions.f.expr: the expression uses none of the variables",
         "vars: [x]"),
        ("  f:\n    expr: a*t**2\n", 5, "functions.f.expr: unknown name 'a'",
         "without 'vars'"),
        ("  f:\n    expr: x\n    vars: [x, e]\n", 6, "functions.f.vars[1]: 'e' is a name",
         "another variable name"),
        ("  f:\n    expr: x + y\n    domain: [[0, 1]]\n", 6,
         "functions.f.domain: 1 interval for 2 variables", "[[-3, 3], [-3, 3]]"),
        ("  f:\n    expr: x + y\n    gradient: [1]\n", 6,
         "functions.f.gradient: 1 component for 2 variables (x, y)", "one partial derivative"),
        ("  f:\n    expr: abs(x) + y\n    gradient: [where(x > 0, 1, -1), 1]\n", 6,
         "functions.f.gradient: 4 components for 2 variables", "quote a component"),
        ("  f:\n    expr: x\n    tex: '\\frac{x'\n", 6, "functions.f.tex: invalid LaTeX",
         "braces"),
        ("  f:\n    expr: x + 10**400\n", 5,
         "functions.f.expr: '10**400' is not a finite number (it is inf)", "overflows"),
    ],
)
def test_declaration_errors(tmp_path: Path, front: str, line: int, message: str,
                            hint: str) -> None:
    chapter = chapter_with(tmp_path, "functions:\n" + front)
    functions, problems = check_functions(chapter)
    problem = only(problems)
    assert where(problem) == f"{CH}:{line}"
    assert problem.message.startswith(message)
    assert hint in problem.hint
    assert functions == {}


def test_a_constant_function_with_vars_is_fine(tmp_path: Path) -> None:
    chapter = chapter_with(tmp_path, "functions:\n  c:\n    expr: 2\n    vars: [x]\n")
    functions, problems = check_functions(chapter)
    assert problems == []
    assert functions["c"].value(np.zeros(3)).tolist() == [2.0, 2.0, 2.0]


def test_every_broken_function_is_reported_and_the_others_kept(tmp_path: Path) -> None:
    chapter = chapter_with(tmp_path, (
        "functions:\n"
        "  a: x ^ 2\n"
        "  b: x**2\n"
        "  c: 'lambda x: x'\n"
    ))
    functions, problems = check_functions(chapter)
    assert sorted(functions) == ["b"]
    assert [where(p) for p in problems] == [f"{CH}:4", f"{CH}:6"]
