"""Python source for declared functions (expr/python.py): what a chapter's notebook
defines in its first cell computes what the site's cells get from function.py, bit
for bit, and keeps the names the cells use.
"""

from __future__ import annotations

import copy
import itertools
from typing import Any

import numpy as np

from gradsite.expr import function_namespace
from gradsite.expr.parse import parse_expression
from gradsite.expr.python import functions_source, numpy_name, python_expression
from tests.test_expr_javascript_numpy import (
    EDGES,
    ROOT,
    checked_functions,
    corpus_functions,
    with_numerical_twins,
)


def test_generated_functions_compute_what_the_sites_cells_get_bit_for_bit() -> None:
    """The corpus of every construct of the language, and the shipped course's functions
    with their numerical twins, at the edge values: same bits, signs of zero, nan."""
    groups = [{f.name: f for f in corpus_functions()}]
    groups += [with_numerical_twins(functions) for functions in
               checked_functions(sorted((ROOT / "content").rglob("*.md")))]
    compared = 0
    for functions in groups:
        namespace: dict[str, Any] = {}
        exec(functions_source(functions.values()), namespace)  # noqa: S102 - generated code under test
        site = function_namespace(functions)
        for name, function in functions.items():
            grid = np.array(list(itertools.product(EDGES, repeat=len(function.vars)))).T
            for each in (name, f"grad_{name}"):
                with np.errstate(all="ignore"):
                    expected, found = site[each](*grid), namespace[each](*grid)
                assert same_bits(expected, found), (each, function.expr)
                scalar = [1.5] * len(function.vars)
                assert type(namespace[each](*scalar)) is type(site[each](*scalar))
                compared += 1
    assert compared > 200


def same_bits(expected: np.ndarray, found: np.ndarray) -> bool:
    expected, found = np.asarray(expected), np.asarray(found)
    return (expected.shape == found.shape and expected.dtype == found.dtype
            and np.array_equal(expected, found, equal_nan=True)
            and np.array_equal(np.signbit(expected), np.signbit(found)))


def test_numpy_keeps_its_name_unless_the_chapter_declares_np() -> None:
    (function,) = corpus_functions()[:1]
    assert numpy_name([function]) == "np"
    clash = copy.copy(function)
    object.__setattr__(clash, "name", "np")
    source = functions_source([clash])
    assert source.startswith("import numpy as np_\n")
    namespace: dict[str, Any] = {}
    exec(source, namespace)  # noqa: S102 - generated code under test
    assert namespace["np"](1, 2) == 3.0


def test_expressions_are_written_with_numpy_and_pairs_of_comparisons() -> None:
    def written(source: str, variables: tuple[str, ...] = ("x", "y")) -> str:
        return python_expression(parse_expression(source, variables))

    assert written("sin(pi*x) + e**y") == "np.sin(np.pi * x) + np.e ** y"
    assert written("-x**2") == "-x ** 2"
    assert written("where(0 < x <= y < 1, abs(x), minimum(x, y))") == (
        "np.where((0 < x) & (x <= y) & (y < 1), np.abs(x), np.minimum(x, y))")
