"""Mutation fuzz: broken courses through the real command line (tests/fuzzkit.py).

Mutants of two courses, the shipped one (content/) and the one ``gradsite new
course`` writes, go through ``gradsite check``; a few mutants of the second are
built into an output folder that holds a site built before. For each: the exit
status is 0 or 1 (never 2 or 3, a crash), no traceback is printed, it ends
within its time limit, and a failed build leaves the previous site byte for
byte as it was, with no temporary folder beside it.

The mutants are seeded, so a run is the same every time: ``GRADSITE_FUZZ_SEED``
picks other ones, ``GRADSITE_FUZZ_SCALE`` multiplies their number (10 makes
about 1300), and ``GRADSITE_FUZZ_KEEP=DIR`` keeps each failing mutant's
``content/`` there, to become a case of the bad-course corpus. Two processes
share the mutants (an import of gradsite costs more than a check of a small
course); the default run takes about a minute on two cores.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from gradsite.pipeline import BuildOptions, build
from gradsite.scaffold import new_course

REPO = Path(__file__).resolve().parent.parent
SHIPPED = REPO / "content"
SEED = int(os.environ.get("GRADSITE_FUZZ_SEED", "0"))
SCALE = float(os.environ.get("GRADSITE_FUZZ_SCALE", "1"))
# How many mutants of each kind; the shipped course is 9 files, the new one 3.
SHIPPED_CHECKS = round(36 * SCALE)
STARTER_CHECKS = round(80 * SCALE)
STARTER_BUILDS = round(10 * SCALE)
# A mutant's time limit: far past what any takes on a loaded machine, far short
# of a hang's forever.
LIMIT = 120.0


def _batches(tmp: Path) -> list[list[dict[str, Any]]]:
    """The work of the two processes: the shipped course's checks in one, the new
    course's checks and builds in the other."""
    starter = tmp / "starter"
    made, problems = new_course(starter, "Fuzz")
    assert made is not None, problems
    site = tmp / "site" / "_site"
    cache = tmp / "cache"
    build(BuildOptions(content=starter / "content", out=site, cache_dir=cache, quiet=True))
    work = tmp / "work"
    work.mkdir()
    common = {"seed": SEED, "work": str(work), "limit": LIMIT,
              "keep": os.environ.get("GRADSITE_FUZZ_KEEP", "")}
    shipped = {**common, "name": "shipped", "course": str(SHIPPED), "command": "check",
               "cache": str(tmp / "no-cache"), "indexes": list(range(SHIPPED_CHECKS))}
    checks = {**common, "name": "starter", "course": str(starter / "content"),
              "command": "check", "cache": str(cache), "indexes": list(range(STARTER_CHECKS))}
    # One blow each: more of them build, and replace the site.
    builds = {**common, "name": "starter-build", "course": str(starter / "content"),
              "command": "build", "cache": str(cache), "site": str(site), "most": 1,
              "indexes": list(range(STARTER_BUILDS))}
    return [[shipped], [checks, builds]]


def _run(batches: list[list[dict[str, Any]]], tmp: Path) -> tuple[list[dict[str, Any]], list[str]]:
    """Run the batches in parallel processes: every mutant's result, and what went
    wrong with a process itself (a hang past every limit, a crash of the runner)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(REPO)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p])}
    running = []
    for number, batch in enumerate(batches):
        spec = tmp / f"batch-{number}.json"
        spec.write_text(json.dumps(batch), encoding="utf-8")
        running.append((subprocess.Popen(
            [sys.executable, "-m", "tests.fuzzkit", str(spec)], cwd=tmp, env=env,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True), batch))
    results, broken = [], []
    for process, batch in running:
        total = sum(len(spec["indexes"]) for spec in batch)
        try:
            out, err = process.communicate(timeout=LIMIT * 2 + 30 * total)
        except subprocess.TimeoutExpired:
            process.kill()
            out, err = process.communicate()
        lines = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
        ended = {line["key"] for line in lines if "key" in line}
        hung = [line["start"] for line in lines if "start" in line and line["start"] not in ended]
        results += [line for line in lines if "key" in line]
        if process.returncode != 0 or hung:
            broken.append(f"runner exit {process.returncode}, unfinished {hung}:\n{err[-3000:]}")
    return results, broken


def _failure(result: dict[str, Any]) -> str:
    what = []
    if result["code"] not in (0, 1):
        what.append(f"exit {result['code']}")
    if result["traceback"]:
        what.append("a traceback")
    if result.get("site_kept") is False:
        what.append("the previous site changed")
    if result.get("left_beside"):
        what.append(f"left beside the site: {result['left_beside']}")
    if not what:
        return ""
    return (f"{result['key']} ({'; '.join(result['changes'])}): {', '.join(what)}\n"
            f"{result['output']}")


def test_broken_courses_never_crash_hang_or_touch_the_previous_site(tmp_path: Path) -> None:
    results, broken = _run(_batches(tmp_path), tmp_path)
    failures = [text for text in map(_failure, results) if text]
    assert not broken and not failures, "\n\n".join(broken + failures) + (
        "\n\nreproduce one with GRADSITE_FUZZ_SEED and GRADSITE_FUZZ_KEEP=DIR (tests/fuzzkit.py)")
    assert len(results) == SHIPPED_CHECKS + STARTER_CHECKS + STARTER_BUILDS
    # The mutants reach past the loader: some courses fail, some still build.
    codes = {(result["key"].split("/")[0], result["code"]) for result in results}
    assert {("shipped", 1), ("starter", 0), ("starter", 1), ("starter-build", 0),
            ("starter-build", 1)} <= codes, codes
