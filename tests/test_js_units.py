"""The site's script under Node: its pieces' unit tests, and the joined script loading.

``node --test tests/js/`` runs the unit tests of the pure pieces (grading, the
progress store, export and import) with Node's own test runner, no npm
package. The joined script (``assets.joined_script``) is then run in an empty
Node context standing in for a page that is still loading. Without Node these
tests fail, saying what to install; they are never skipped.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from gradsite.assets import SCRIPT_PIECES_DIR, joined_script
from gradsite.layout import DEFAULT_THEME

ROOT = Path(__file__).resolve().parent.parent
JS_TESTS = ROOT / "tests" / "js"

# Runs a script in a fresh context holding only a stub of a page that is still
# loading; prints what the script left behind as JSON.
_LOAD_ON_A_STUB_PAGE = r"""
const vm = require("node:vm");
const source = require("node:fs").readFileSync(process.argv[1], "utf8");
const listeners = [];
const page = {
  document: {
    readyState: "loading",
    documentElement: { getAttribute: (name) => (name === "data-course" ? "c" : null) },
    addEventListener: (type) => listeners.push(type),
  },
};
page.window = page;
const context = vm.createContext(page);
vm.runInContext(source, context, { filename: "gradsite.js" });
const globals = Object.keys(context).filter((name) => !["document", "window"].includes(name));
console.log(JSON.stringify({ listeners, globals }));
"""


def node_executable() -> str:
    node = shutil.which("node")
    if node is None:
        pytest.fail("the script's tests need Node 20 or newer (apt-get install nodejs)",
                    pytrace=False)
    return node


def test_the_script_pieces_pass_their_node_unit_tests() -> None:
    run = subprocess.run(
        [node_executable(), "--test", "--test-reporter=tap", str(JS_TESTS.relative_to(ROOT)) + "/"],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )
    output = f"{run.stdout}\n{run.stderr}".strip()
    if run.returncode != 0:
        pytest.fail(f"node --test tests/js/ failed (exit {run.returncode}):\n{output}",
                    pytrace=False)
    counts = dict(re.findall(r"^# (tests|pass|fail) (\d+)$", run.stdout, re.MULTILINE))
    # A run that found no test file passes too: it must have run the tests.
    assert int(counts.get("tests", "0")) > 0 and counts.get("pass") == counts["tests"], output
    assert sorted(JS_TESTS.glob("*.test.js")), "no tests/js/*.test.js"


def test_the_joined_script_loads_without_a_trace_in_the_page(tmp_path: Path) -> None:
    # Every piece defines its namespace as the script loads, in order: a piece
    # placed before one it uses at load time fails here. Nothing becomes a
    # global of the page, and the features wait for the document.
    script = tmp_path / "gradsite.js"
    script.write_bytes(joined_script(DEFAULT_THEME / "assets" / SCRIPT_PIECES_DIR))
    run = subprocess.run([node_executable(), "-e", _LOAD_ON_A_STUB_PAGE, str(script)],
                         capture_output=True, text=True, timeout=60, check=False)
    if run.returncode != 0:
        pytest.fail(f"the joined script failed to load:\n{run.stderr}", pytrace=False)
    loaded = json.loads(run.stdout)
    assert loaded == {"listeners": ["DOMContentLoaded"], "globals": []}
