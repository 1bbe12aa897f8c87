"""The gradient check (spec section 3): a course can never publish a wrong gradient.

Right gradients pass, also for functions with singular points, kinks and
values of any scale; subtly wrong ones fail with the component, the point, the
declared and the numerical value, at the line of the wrong component.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from gradsite.check.functions import check_functions
from gradsite.expr import CompiledFunction, check_gradient, check_points
from gradsite.expr.gradcheck import CHECK_POINTS, MIN_POINTS
from gradsite.load import load_chapter
from gradsite.model import Chapter
from tests.coursekit import only, where

CH = "content/01-a/01-b.md"


def chapter_with(tmp_path: Path, front: str) -> Chapter:
    path = tmp_path / CH
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("---\ntitle: T\n" + front + "---\nBody.\n", encoding="utf-8")
    chapter, problems = load_chapter(path, 1, "b")
    assert problems == [] and chapter is not None
    return chapter


def declared(expr: str, gradient: tuple[str, ...], domain: tuple[tuple[float, float], ...],
             variables: tuple[str, ...] = ("x", "y")) -> CompiledFunction:
    return CompiledFunction("f", variables[: len(domain)], expr, gradient, domain, "", (), False)


SQUARE = ((-3.0, 3.0), (-3.0, 3.0))
LINE = ((-3.0, 3.0),)


@pytest.mark.parametrize(
    ("expr", "gradient", "domain"),
    [
        ("x**2 + y**2", ("2*x", "2*y"), SQUARE),
        ("x**2*y + 3*y", ("2*x*y", "x**2 + 3"), SQUARE),
        ("sin(x)*cos(y)", ("cos(x)*cos(y)", "-sin(x)*sin(y)"), SQUARE),
        ("exp(x*y/3)", ("y/3*exp(x*y/3)", "x/3*exp(x*y/3)"), SQUARE),
        ("x**4 - 3*x**2 + x + y**2", ("4*x**3 - 6*x + 1", "2*y"), ((-2.0, 2.0), (-1.5, 1.5))),
        ("tanh(3*x)", ("3*(1 - tanh(3*x)**2)",), LINE),
        ("arctan(y/x)", ("-y/(x**2 + y**2)", "x/(x**2 + y**2)"), SQUARE),  # 1/x inside
        ("1/x", ("-1/x**2",), LINE),  # a pole at 0
        ("1/x", ("-1/x**2",), ((-1e-3, 1e-3),)),  # ... and a domain right around it
        ("log(x)", ("1/x",), ((0.0, 2.0),)),  # singular at the domain's edge
        ("log(x)", ("1/x",), ((-1.0, 1.0),)),  # undefined on half the domain
        ("sqrt(x)", ("0.5/sqrt(x)",), ((0.0, 4.0),)),  # infinite slope at 0
        ("sqrt(x**2 + y**2)", ("x/sqrt(x**2 + y**2)", "y/sqrt(x**2 + y**2)"), SQUARE),
        ("abs(x) + maximum(y, 0)", ("where(x > 0, 1, -1)", "where(y > 0, 1, 0)"), SQUARE),
        ("1e6*(x**2 + y**2)", ("2e6*x", "2e6*y"), SQUARE),  # large values
        ("1e-9*(x**2 + y**2)", ("2e-9*x", "2e-9*y"), SQUARE),  # tiny values
        ("1e8 + x", ("1",), LINE),  # a large offset: rounding noise
        ("(x - 1e4)**2", ("2*(x - 1e4)",), ((9990.0, 10010.0),)),  # far from the origin
        ("x*y", ("y", "x"), ((-1e-4, 1e-4), (-1e-4, 1e-4))),  # a tiny domain
        ("x*y*z", ("y*z", "x*z", "x*y"), ((-2.0, 2.0),) * 3),
    ],
)
def test_right_gradients_pass(expr: str, gradient: tuple[str, ...],
                              domain: tuple[tuple[float, float], ...]) -> None:
    variables = ("x", "y", "z")
    result = check_gradient(declared(expr, gradient, domain, variables))
    assert result.mismatches == ()
    assert result.passed, result.usable_points


@pytest.mark.parametrize(
    ("expr", "gradient", "domain", "component"),
    [
        ("x**2 + y**2", ("2*x", "2.001*y"), SQUARE, 1),  # off by 0.05%
        ("x**2*y + 3*y", ("2*x*y", "x**2 + 2"), SQUARE, 1),  # a wrong constant
        ("sin(x)*cos(y)", ("cos(x)*cos(y)", "sin(x)*sin(y)"), SQUARE, 1),  # a sign
        ("x**3", ("3*x**3",), LINE, 0),  # the power not lowered
        ("exp(2*x)", ("exp(2*x)",), LINE, 0),  # the chain rule forgotten
        ("1e6*x**2", ("2.002e6*x",), LINE, 0),  # scale does not hide an error
        ("1/x", ("1/x**2",), LINE, 0),  # a sign, next to a pole
        ("log(x)", ("1/x + 0.001",), ((0.0, 2.0),), 0),
        ("where(x > 2.5, x**2, 0)", ("where(x > 2.5, x, 0)",), LINE, 0),  # wrong in a corner
        ("x*y", ("y", "y"), SQUARE, 1),  # a copied component
    ],
)
def test_subtly_wrong_gradients_fail(expr: str, gradient: tuple[str, ...],
                                     domain: tuple[tuple[float, float], ...],
                                     component: int) -> None:
    result = check_gradient(declared(expr, gradient, domain))
    assert [m.component for m in result.mismatches] == [component]
    mismatch = result.mismatches[0]
    assert len(mismatch.point) == len(domain)
    assert abs(mismatch.declared - mismatch.numerical) > 1e-4 * abs(mismatch.numerical)


def test_a_kink_exactly_at_a_check_point_is_skipped() -> None:
    # At a kink the central difference is the mean of the two one-sided slopes,
    # which no formula for the gradient gives; such a point is not compared.
    kink = repr(float(check_points(LINE)[0][5]))
    function = declared(f"abs(x - {kink})", (f"where(x > {kink}, 1, -1)",), LINE)
    result = check_gradient(function)
    assert result.passed
    assert result.usable_points == (CHECK_POINTS - 1,)


def test_a_pole_right_next_to_a_check_point_is_skipped() -> None:
    # The differences straddle the pole there and mean nothing; they also
    # disagree between the two step sizes, which is how the check notices.
    pole = repr(float(check_points(LINE)[0][5]) - 1e-6)
    function = declared(f"1/(x - {pole})", (f"-1/(x - {pole})**2",), LINE)
    result = check_gradient(function)
    assert result.passed
    assert result.usable_points == (CHECK_POINTS - 1,)


def test_a_gradient_that_is_not_finite_where_the_function_is_smooth_fails() -> None:
    result = check_gradient(declared("x**2", ("2*x + log(x)",), LINE))
    assert [m.component for m in result.mismatches] == [0]
    assert np.isnan(result.mismatches[0].declared)


def test_a_function_undefined_on_its_domain_cannot_be_checked() -> None:
    result = check_gradient(declared("log(-1 - x**2)", ("-2*x/(-1 - x**2)",), LINE))
    assert result.mismatches == ()
    assert result.usable_points == (0,) and MIN_POINTS > 0
    assert not result.complete and not result.passed


def test_check_points_are_reproducible_spread_and_off_round_numbers() -> None:
    points = check_points(SQUARE)
    assert points.shape == (2, CHECK_POINTS)
    assert np.array_equal(points, check_points(SQUARE))
    assert np.all((points > -3.0) & (points < 3.0))
    assert len(set(map(tuple, points.T))) == CHECK_POINTS
    # every quarter of the square holds some points
    for sx in (-1, 1):
        for sy in (-1, 1):
            assert np.sum((np.sign(points[0]) == sx) & (np.sign(points[1]) == sy)) >= 4
    assert not np.any(np.isclose(points, 0.0, atol=1e-3))
    assert not np.any(np.isclose(points, np.round(points), atol=1e-3))


def test_the_check_is_fast() -> None:
    import time

    function = declared("sin(x)*cos(y) + x**4", ("cos(x)*cos(y) + 4*x**3", "-sin(x)*sin(y)"),
                        SQUARE)
    started = time.perf_counter()
    for _ in range(20):
        check_gradient(function)
    assert time.perf_counter() - started < 1.0


# --- as build errors ------------------------------------------------------------------


def test_a_mismatch_is_an_error_naming_component_point_and_values(tmp_path: Path) -> None:
    chapter = chapter_with(tmp_path, (
        "functions:\n"
        "  f:\n"
        "    expr: x**2*y + 3*y\n"
        "    gradient: [2*x*y, x**2 + 2]\n"
    ))
    functions, problems = check_functions(chapter)
    problem = only(problems)
    assert where(problem) == f"{CH}:6"
    assert problem.message.startswith(
        "functions.f.gradient[1]: the declared gradient disagrees with the function at (x=")
    found = re.search(r"at \(x=(\S+), y=(\S+)\): declared (\S+), numerical (\S+)$",
                      problem.message)
    assert found is not None, problem.message
    x, y, declared_value, numerical_value = (float(g.rstrip(",")) for g in found.groups())
    assert -3 < x < 3 and -3 < y < 3
    assert declared_value == pytest.approx(x**2 + 2, rel=1e-3)
    assert numerical_value == pytest.approx(x**2 + 3, rel=1e-3)
    assert "partial derivative of f with respect to y" in problem.hint
    assert functions == {}


def test_each_wrong_component_is_its_own_error(tmp_path: Path) -> None:
    chapter = chapter_with(tmp_path, (
        "functions:\n"
        "  f:\n"
        "    expr: x*y\n"
        "    gradient:\n"
        "      - x\n"
        "      - y\n"
    ))
    _, problems = check_functions(chapter)
    assert [(where(p), p.message.split(":")[0]) for p in problems] == [
        (f"{CH}:7", "functions.f.gradient[0]"), (f"{CH}:8", "functions.f.gradient[1]")]


def test_a_right_gradient_is_marked_checked(tmp_path: Path) -> None:
    chapter = chapter_with(tmp_path, (
        "functions:\n"
        "  f:\n"
        "    expr: log(x) + sqrt(y)\n"
        "    gradient: [1/x, 0.5/sqrt(y)]\n"
        "    domain: [[0, 4], [0, 4]]\n"
    ))
    functions, problems = check_functions(chapter)
    assert problems == []
    assert functions["f"].gradient_checked


def test_an_uncheckable_gradient_is_a_warning_and_not_marked_checked(tmp_path: Path) -> None:
    chapter = chapter_with(tmp_path, (
        "functions:\n"
        "  f:\n"
        "    expr: sqrt(-x**2 - 1)\n"
        "    gradient: [x]\n"
    ))
    functions, problems = check_functions(chapter)
    problem = only(problems)
    assert not problem.is_error
    assert where(problem) == f"{CH}:6"
    assert "could not be checked" in problem.message
    assert not functions["f"].gradient_checked
