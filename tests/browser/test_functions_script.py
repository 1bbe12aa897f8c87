"""The generated functions script runs in Chromium under a strict Content-Security-Policy.

A page whose policy allows scripts from its own origin only, and no
``'unsafe-eval'``, loads ``functions_module``'s output for a chapter of the
shipped course. Its functions and gradients (declared and numerical) give
numpy's values at the gradient check's points, the script causes no policy
violation, and a probe on the same page shows that the policy does block
``eval`` and ``new Function``: the generated code needs neither.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from gradsite.check.functions import check_functions
from gradsite.expr import check_points
from gradsite.expr.javascript import functions_module
from gradsite.load import load_chapter
from tests.test_expr_javascript_numpy import disagreements, js_number, with_numerical_twins

ROOT = Path(__file__).resolve().parents[2]
CHAPTER = ROOT / "content" / "02-gradient-descent" / "03-convexity.md"

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'self'">
<title>Functions under a strict policy</title>
<script src="watch.js"></script>
<script src="functions.js"></script>
<script src="probe.js"></script>
</head>
<body><p>Functions</p></body>
</html>
"""
# Records every violation of the policy, with the script that caused it.
WATCH = """\
"use strict";
window.violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.violations.push({ source: event.sourceFile, directive: event.violatedDirective,
                           blocked: event.blockedURI });
});
"""
# Proves the policy is in force: evaluating text is refused.
PROBE = """\
"use strict";
window.probe = {};
try { window.probe.eval = String(eval("1 + 1")); } catch (error) { window.probe.eval = error.name; }
try { window.probe.newFunction = String(new Function("return 2")()); }
catch (error) { window.probe.newFunction = error.name; }
"""
EVALUATE = """([name, rows]) => {
  const text = (v) => (Object.is(v, -0) ? "-0" : String(v));
  const f = window.GradsiteFunctions[name];
  const value = [], grad = [];
  for (let k = 0; k < rows[0].length; k++) {
    const point = rows.map((row) => Number(row[k]));
    value.push(text(f.value(...point)));
    grad.push(f.grad(...point).map(text));
  }
  return { value, grad };
}"""


def test_the_functions_script_needs_no_eval_and_agrees_with_numpy(
    tmp_path: Path, serve_folder: Callable[[Path], Any], page: Any
) -> None:
    chapter, problems = load_chapter(CHAPTER, 3, "convexity")
    assert chapter is not None, problems
    declared, problems = check_functions(chapter)
    assert not problems and declared
    functions = with_numerical_twins(declared)
    (tmp_path / "index.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "watch.js").write_text(WATCH, encoding="utf-8")
    (tmp_path / "probe.js").write_text(PROBE, encoding="utf-8")
    (tmp_path / "functions.js").write_text(functions_module(functions.values()),
                                           encoding="utf-8")
    with serve_folder(tmp_path) as url:
        page.goto(url + "index.html")
        page.wait_for_function("window.probe && 'newFunction' in window.probe")
        assert page.evaluate("window.probe") == {"eval": "EvalError", "newFunction": "EvalError"}
        registered = page.evaluate("Object.keys(window.GradsiteFunctions).sort()")
        assert registered == sorted(functions)
        problems = []
        for name, function in functions.items():
            rows = check_points(function.domain)
            found = page.evaluate(EVALUATE, [name, [[js_number(v) for v in row] for row in rows]])
            grad = function.grad(*rows)
            pairs = [("value", function.value(*rows), found["value"])] + [
                (f"grad[{i}]", grad[i], [g[i] for g in found["grad"]])
                for i in range(len(function.vars))]
            problems += [f"{name} {what} at point {k}" for what, expected, got in pairs
                         for k in disagreements(expected, got)]
        assert not problems
        violations = page.evaluate("window.violations")
    # the probe's two refusals, and nothing from the generated script
    assert violations and all(v["source"].endswith("/probe.js") for v in violations), violations
