"""The generated JavaScript computes what numpy computes (expr/javascript.py).

Every declared function of the shipped course and of the bad-course corpus
(those that check), and a corpus of expressions covering every construct of
the language with its edge cases, are written by ``functions_module`` and run
under Node. At the gradient check's points (and, for the corpus, at edge
points such as 0, -0, ±1, ±inf and nan) the value and the gradient must agree
with the project's own numpy functions: within 1e-9 relative, with NaN, the
infinities and the sign of zero at the same places. A declared function is
also run without its gradient, so the numerical gradient is compared too.

This runs in the tests, not the build: the build ships no general JavaScript
engine (the one inside pykatex runs only KaTeX), and Node is a test tool.
"""

from __future__ import annotations

import itertools
import json
import subprocess
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from gradsite.check.functions import check_functions
from gradsite.expr import CompiledFunction, check_points
from gradsite.expr.javascript import functions_module
from gradsite.expr.numeric import numerical_gradient
from gradsite.load import load_chapter, load_course, split_front_matter
from tests.test_js_units import node_executable

ROOT = Path(__file__).resolve().parent.parent
RELATIVE = 1e-9

# Loads each module in a fresh context of its own, evaluates value and grad of
# each function at the given points; numbers go back as JavaScript writes them
# (shortest round trip, "-0" kept), and come in as text, since JSON has no NaN
# or Infinity.
_EVALUATE = r"""
const vm = require("node:vm");
const fs = require("node:fs");
const text = (v) => (Object.is(v, -0) ? "-0" : String(v));
const jobs = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
const results = jobs.map(({ script, points }) => {
  const context = vm.createContext({});
  vm.runInContext(fs.readFileSync(script, "utf8"), context, { filename: script });
  const registry = context.GradsiteFunctions;
  const out = {};
  for (const [name, rows] of Object.entries(points)) {
    const f = registry[name];
    const value = [], grad = [];
    for (let k = 0; k < rows[0].length; k++) {
      const point = rows.map((row) => Number(row[k]));
      value.push(text(f.value(...point)));
      grad.push(f.grad(...point).map(text));
    }
    out[name] = { value, grad };
  }
  return out;
});
console.log(JSON.stringify(results));
"""

SQUARE = ((-3.0, 3.0), (-3.0, 3.0))
LINE = ((-3.0, 3.0),)
WIDE = ((-1000.0, 1000.0), (-1000.0, 1000.0))
# (expression, domain); the variables are x, y, z as many as the domain has
CONSTRUCTS: list[tuple[str, tuple[tuple[float, float], ...]]] = [
    # arithmetic, and the order of operations numpy keeps
    ("x + y", SQUARE), ("x - y", SQUARE), ("x * y", SQUARE), ("x / y", SQUARE),
    ("x - (y - x)", SQUARE), ("x - y - x", SQUARE), ("x / (y / 3)", SQUARE),
    ("x / y / 3", SQUARE), ("(x + y) * (x - y)", SQUARE), ("0.1 + (x + 0.2)", SQUARE),
    ("1 / (x - y)", SQUARE), ("x / 0.0", LINE), ("0 / (x*0)", LINE),
    # powers: integer and fractional exponents of negative bases, signs, huge ones
    ("x**2", LINE), ("x**3", LINE), ("x**0.5", LINE), ("x**(1/3)", LINE), ("x**-1", LINE),
    ("x**-2", LINE), ("(-x)**2", LINE), ("-x**2", LINE), ("-(x**2)", LINE), ("(-2)**x", LINE),
    ("x**y", SQUARE), ("2**x**2", LINE), ("(2**x)**2", LINE), ("x**1000", LINE),
    ("x**-1000", LINE), ("10**x", WIDE[:1]), ("1**(x/0)", LINE), ("(-1)**(1/x)", LINE),
    ("x**0", LINE), ("(x/0)**0", LINE), ("(x*0)**-1", LINE), ("(-(x*0))**-3", LINE),
    # unary minus and plus
    ("-x", LINE), ("--x", LINE), ("-(-x)", LINE), ("+x", LINE), ("-+x", LINE),
    ("x - -y", SQUARE), ("x * -y", SQUARE), ("-x * y", SQUARE), ("-(x*y)", SQUARE),
    ("-x/y", SQUARE), ("-(x - y)", SQUARE), ("- - -x", LINE),
    # constants
    ("pi*x", LINE), ("e**x", LINE), ("x*e - pi", LINE), ("sin(pi*x)", LINE),
    # every function, in and out of its domain and at its poles
    ("sin(x)", LINE), ("cos(x)", LINE), ("tan(x)", LINE), ("tan(pi/2 + 0*x)", LINE),
    ("arcsin(x)", LINE), ("arccos(x)", LINE), ("arctan(x)", LINE), ("arctan(y/x)", SQUARE),
    ("sinh(x)", LINE), ("sinh(300*x)", LINE), ("cosh(x)", LINE), ("cosh(400*x)", LINE),
    ("tanh(x)", LINE), ("tanh(1000*x)", LINE), ("exp(x)", LINE), ("exp(1000*x)", LINE),
    ("exp(-1000*x)", LINE), ("log(x)", LINE), ("log(0*x)", LINE), ("log(x*x)", LINE),
    ("log2(x)", LINE), ("log2(2**x)", LINE), ("log10(x)", LINE), ("log10(10**x)", LINE),
    ("sqrt(x)", LINE), ("sqrt(x**2 + y**2)", SQUARE), ("abs(x)", LINE), ("abs(x*0)", LINE),
    ("minimum(x, y)", SQUARE), ("maximum(x, y)", SQUARE), ("minimum(x, log(y))", SQUARE),
    ("maximum(log(x), y)", SQUARE), ("1/minimum(x*0, y*0)", SQUARE),
    ("1/maximum(x*0, y*0)", SQUARE), ("minimum(x, y/0)", SQUARE),
    # where, with every comparison, chains, a number as condition, NaN conditions
    ("where(x > 0, x, -x)", LINE), ("where(x >= y, x, y)", SQUARE),
    ("where(x < 0, 0, 1)", LINE), ("where(x <= 0, x**2, x)", LINE),
    ("where(x == 0, 1, 0)", LINE), ("where(x != y, 1, 2)", SQUARE),
    ("where(0 < x < 1, x, 0)", LINE), ("where(-1 <= x*y < sin(y) <= 1, x, y)", SQUARE),
    ("where(x, 1, 2)", LINE), ("where(x*y - 1, x, y)", SQUARE),
    ("where(log(x) > 0, 1, 2)", LINE), ("where(log(x) != log(x), 1, 2)", LINE),
    ("where(x > 0, where(y > 0, 1, 2), where(y > x**2 > 1, 3, 4))", SQUARE),
    ("-where(x > 0, x, 0)**2", LINE), ("2*where(x > 0, 1, -1) + 1", LINE),
    # large and small magnitudes, overflow and underflow
    ("1e300*x*x", LINE), ("1e-300*x*1e-300", LINE), ("1e308*x*10", LINE),
    ("5e-324*x", LINE), ("(x - 1e4)**2", ((9990.0, 10010.0),)), ("1e8 + x", LINE),
    ("x*y", ((-1e-4, 1e-4), (-1e-4, 1e-4))), ("12345678901234567890*x", LINE),
    # whole functions, three variables
    ("x**4 - 3*x**2 + x + y**2", ((-2.0, 2.0), (-1.5, 1.5))),
    ("x*y*z + z**2 - sin(x*y)*exp(-z)", ((-2.0, 2.0),) * 3),
    ("log(1 + exp(-x*y)) + 0.5*(x**2 + y**2)", WIDE),
]
# Values at which each variable is also taken, on top of the check points.
EDGES = [0.0, -0.0, 1.0, -1.0, 2.0, -2.5, 0.5, 1e-300, -1e300, float("inf"), float("-inf"),
         float("nan")]


def corpus_functions() -> list[CompiledFunction]:
    return [
        CompiledFunction(f"c{i}", ("x", "y", "z")[: len(domain)], expr, None, domain, "", (),
                         False)
        for i, (expr, domain) in enumerate(CONSTRUCTS)
    ]


def checked_functions(files: list[Path]) -> list[dict[str, CompiledFunction]]:
    """The functions of each chapter file that loads and whose functions check."""
    chapters = []
    for path in files:
        chapter, _ = load_chapter(path, 1, path.stem)
        if chapter is not None and chapter.functions:
            functions, _ = check_functions(chapter)
            if functions:
                chapters.append(functions)
    return chapters


def with_numerical_twins(functions: dict[str, CompiledFunction]) -> dict[str, CompiledFunction]:
    """``functions`` and, for each with a declared gradient, ``name_numerical`` without it."""
    twins = {f"{name}_numerical": replace(function, name=f"{name}_numerical", gradient=None)
             for name, function in functions.items() if function.gradient is not None}
    return {**functions, **twins}


def run_in_node(tmp_path: Path, groups: list[tuple[dict[str, CompiledFunction],
                                                   dict[str, np.ndarray]]]) -> list[dict]:
    """Write one module per group, evaluate its functions at their points under Node."""
    jobs = []
    for i, (functions, points) in enumerate(groups):
        script = tmp_path / f"functions-{i}.js"
        script.write_text(functions_module(functions.values()), encoding="utf-8")
        jobs.append({"script": str(script),
                     "points": {name: [[js_number(v) for v in row] for row in rows]
                                for name, rows in points.items()}})
    job_file = tmp_path / "jobs.json"
    job_file.write_text(json.dumps(jobs), encoding="utf-8")
    run = subprocess.run([node_executable(), "-e", _EVALUATE, str(job_file)],
                         capture_output=True, text=True, timeout=300, check=False)
    if run.returncode != 0:
        pytest.fail(f"the generated code failed under Node:\n{run.stderr}", pytrace=False)
    return json.loads(run.stdout)


def js_number(value: float) -> str:
    """A float as text that JavaScript's Number() reads back exactly (JSON has no inf)."""
    if np.isnan(value):
        return "NaN"
    if np.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return repr(float(value))


def disagreements(expected: np.ndarray, found: list[str]) -> list[int]:
    """The indices where Node's numbers are not numpy's (within RELATIVE)."""
    actual = np.array([float(v) for v in found])
    expected = np.asarray(expected, dtype=float)
    with np.errstate(all="ignore"):
        both_finite = np.isfinite(expected) & np.isfinite(actual)
        close = np.abs(expected - actual) <= RELATIVE * np.maximum(np.abs(expected),
                                                                    np.abs(actual))
        same_special = (np.isnan(expected) & np.isnan(actual)) | (
            np.isinf(expected) & (expected == actual))
        zero_sign = (expected != 0) | (np.signbit(expected) == np.signbit(actual))
    agree = (both_finite & close & zero_sign) | same_special
    return [int(k) for k in np.flatnonzero(~agree)]


def assert_agreement(tmp_path: Path, groups: list[tuple[dict[str, CompiledFunction],
                                                        dict[str, np.ndarray]]]) -> int:
    """Compare every group's functions in Node and numpy; report every disagreement."""
    results = run_in_node(tmp_path, groups)
    problems = []
    compared = 0
    for (functions, points), result in zip(groups, results, strict=True):
        for name, rows in points.items():
            function = functions[name]
            value, grad = function.value(*rows), function.grad(*rows)
            found = result[name]
            compared += rows.shape[1]
            for what, expected, got in [
                ("value", value, found["value"]),
                *((f"grad[{i}]", grad[i], [g[i] for g in found["grad"]])
                  for i in range(len(function.vars))),
            ]:
                for k in disagreements(expected, got):
                    problems.append(f"{name}({function.expr}) {what} at "
                                    f"{rows[:, k].tolist()}: numpy {expected[k]!r}, "
                                    f"JavaScript {got[k]}")
    assert not problems, f"{len(problems)} disagreements:\n" + "\n".join(problems[:40])
    return compared


def check_points_of(functions: dict[str, CompiledFunction]) -> dict[str, np.ndarray]:
    return {name: check_points(f.domain) for name, f in functions.items()}


def test_every_construct_agrees_with_numpy(tmp_path: Path) -> None:
    functions = {f.name: f for f in corpus_functions()}
    points = {}
    for name, function in functions.items():
        edges = np.array(list(itertools.product(EDGES, repeat=len(function.vars)))).T
        points[name] = np.concatenate([check_points(function.domain), edges], axis=1)
    assert assert_agreement(tmp_path, [(functions, points)]) > 10_000


def test_declared_gradients_and_their_numerical_twins_agree_with_numpy(tmp_path: Path) -> None:
    declared = {
        "f": CompiledFunction("f", ("x", "y"), "sin(x)*cos(y)",
                              ("cos(x)*cos(y)", "-sin(x)*sin(y)"), SQUARE, "", (), True),
        "g": CompiledFunction("g", ("x",), "log(x)", ("1/x",), ((-1.0, 1.0),), "", (), True),
        "h": CompiledFunction("h", ("x", "y"), "abs(x) + maximum(y, 0)",
                              ("where(x > 0, 1, -1)", "where(y > 0, 1, 0)"), SQUARE, "", (),
                              True),
    }
    functions = with_numerical_twins(declared)
    assert assert_agreement(tmp_path, [(functions, check_points_of(functions))]) == 6 * 32


def test_the_shipped_course_agrees_with_numpy(tmp_path: Path) -> None:
    course, problems = load_course(ROOT / "content")
    assert course is not None, problems
    groups = []
    for chapter in course.chapters:
        functions, problems = check_functions(chapter, course.info.tex_macros)
        assert not problems
        if functions:
            functions = with_numerical_twins(functions)
            groups.append((functions, check_points_of(functions)))
    assert len(groups) >= 5
    assert_agreement(tmp_path, groups)


def test_the_bad_course_corpus_functions_that_check_agree_with_numpy(tmp_path: Path) -> None:
    files = sorted(path for path in (ROOT / "tests" / "corpus").glob("*/content/**/*.md")
                   if split_front_matter(path.read_text(encoding="utf-8", errors="replace")))
    groups = []
    for functions in checked_functions(files):
        functions = with_numerical_twins(functions)
        groups.append((functions, check_points_of(functions)))
    assert len(groups) >= 10
    assert_agreement(tmp_path, groups)


def test_the_numerical_gradient_takes_numpys_steps_bit_for_bit(tmp_path: Path) -> None:
    # Made of + - * / only, IEEE operations that round the same in both: any other
    # step, order of operations or extrapolation changes the last bits, which the
    # 1e-9 tolerance of the other tests cannot see.
    rational = CompiledFunction("r", ("x", "y"), "x*x*y - 3*y/(1 + x*x) + x/7",
                                None, ((-3.0, 3.0), (-0.5, 2.0)), "", (), False)
    points = check_points(rational.domain)
    (result,) = run_in_node(tmp_path, [({"r": rational}, {"r": points})])
    expected = rational.grad(*points)
    found = np.array([[float(v) for v in g] for g in result["r"]["grad"]]).T
    assert np.array_equal(found, expected)
    # ... which a step of another size would change
    other_step = numerical_gradient(rational.value, list(points), [3.0 * 1.01, 1.25 * 1.01])
    assert not np.array_equal(other_step, expected)
