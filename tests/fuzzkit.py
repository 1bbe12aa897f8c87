"""Mutation fuzzing of courses: broken copies of a course, run through the command line.

A mutant is a course whose YAML and Markdown files took 1 to 3 blows, each
chosen by a seeded ``random.Random``: a line deleted, two lines swapped, a line
duplicated, a line replaced by junk or with junk put into it, a junk line
inserted, a file truncated (at a byte, so maybe inside a UTF-8 character).
The junk is made of what YAML, Markdown and LaTeX give meaning to (``: - { [
& * | > ' " $ \\ ```` and whole pieces like ``---``, `````{python}``, ``$$``),
some non-ASCII text, and now and then bytes that are not UTF-8.

``python -m tests.fuzzkit SPEC.json`` runs a batch of mutants in one process,
calling the command line's ``main`` in-process for each (an import of gradsite
costs more than a check of a small course). It prints a JSON line as it starts
each mutant (so the test knows which one hung if the process must be killed)
and one with what happened:

- ``check``: ``gradsite check`` on the mutant;
- ``build``: ``gradsite build`` of the mutant into an output folder holding a
  copy of a site built before; a failed build must leave that copy as it was,
  with nothing beside it.

The test (tests/test_fuzz.py) asserts every exit status is 0 or 1 (never 2, a
usage error, or 3, a crash), that no traceback is printed, and that each mutant
ends within its time limit.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import random
import shutil
import signal
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from gradsite.output import _OLD_PREFIX, _TEMP_PREFIX

# What a build leaves beside its output folder while it works, and must remove.
WORK_PREFIXES = (_TEMP_PREFIX, _OLD_PREFIX, ".gradsite-probe-")

# Pieces of junk: single characters with a meaning somewhere, and whole tokens.
JUNK_CHARACTERS = list(":-{}[]&*!|>'\"%@#,?\\`$^_~=+<>()/.\t ") + list("aZ09") + [
    "é", "∇", "😀", "\u00a0", "\u200b", "\u2028", "\ufeff", "\x00", "\x0b", "\r",
]
JUNK_TOKENS = [
    "---", "...", "```", "```{python}", "```plot", "```explore", "```quiz", "~~~", "$$",
    "\\[", "\\]", "\\begin{align}", "\\end{align}", "\\label{eq-x}", "\\eqref{eq-x}",
    "\\frac{", "}{", "\\newcommand{\\x}{", "#| ", "#| id: fig-", "#| caption: '", "!!! ",
    "!!! theorem \"T\" {#thm-x}", "{#", "[](#", "](", "![", "<div>", "<script>", "&amp;",
    "- ", "  - ", "    ", "key: ", "id: ", "title: ", "answer: ", "tolerance: ", "expr: ",
    "gradient: [", "domain: [[", "choices:", "correct: true", "params:", "variants: ",
    "{{", "}}", "quiz:", "functions:", "&anchor", "*anchor", "!!python/object:os.system",
    "? ", "|", ">-", "%YAML 1.2", "1e400", "-0", "nan", "inf", "0x1F", "~", "null", "yes",
    "x**2", "grad_f(", "f(1, 2)[0]", "sqrt(-1)", "1/0", "# ", "## ", "[^1]", "[^1]: ",
    "| a | b |", "|---|---|", ": ", "\t", "\\", "$", "`", "é" * 3, "∇" * 2,
]
NOT_UTF8 = [b"\xff", b"\xfe\xff", b"\xc3", b"\xe2\x88", b"\x80\x80"]
OPERATIONS = ("delete", "swap", "duplicate", "junk_line", "junk_inside", "insert_junk",
              "truncate")


def course_files(content: Path) -> dict[str, bytes]:
    """Every file of a content folder (relative POSIX path -> bytes)."""
    return {path.relative_to(content).as_posix(): path.read_bytes()
            for path in sorted(content.rglob("*")) if path.is_file()}


def junk(rng: random.Random) -> bytes:
    """A few pieces of junk, now and then with bytes that are not UTF-8."""
    pieces = []
    for _ in range(rng.randint(1, 6)):
        pool = JUNK_TOKENS if rng.random() < 0.5 else JUNK_CHARACTERS
        pieces.append(rng.choice(pool).encode("utf-8"))
    if rng.random() < 0.05:
        pieces.insert(rng.randrange(len(pieces) + 1), rng.choice(NOT_UTF8))
    return b"".join(pieces)


def mutate_text(data: bytes, operation: str, rng: random.Random) -> tuple[bytes, str]:
    """``data`` after one ``operation``, and what was done ("line 14 deleted")."""
    lines = data.split(b"\n")
    at = rng.randrange(len(lines))
    if operation == "truncate":
        cut = rng.randrange(len(data) + 1)
        return data[:cut], f"truncated to {cut} bytes"
    if operation == "delete":
        del lines[at]
        done = f"line {at + 1} deleted"
    elif operation == "swap":
        other = min(len(lines) - 1, at + rng.choice([1, 1, 2, rng.randrange(1, 40)]))
        lines[at], lines[other] = lines[other], lines[at]
        done = f"lines {at + 1} and {other + 1} swapped"
    elif operation == "duplicate":
        lines.insert(at, lines[at])
        done = f"line {at + 1} duplicated"
    elif operation == "junk_line":
        lines[at] = junk(rng)
        done = f"line {at + 1} replaced by {lines[at]!r}"
    elif operation == "junk_inside":
        column = rng.randrange(len(lines[at]) + 1)
        piece = junk(rng)
        lines[at] = lines[at][:column] + piece + lines[at][column:]
        done = f"{piece!r} put into line {at + 1} at byte {column + 1}"
    elif operation == "insert_junk":
        piece = junk(rng)
        lines.insert(at, piece)
        done = f"{piece!r} inserted as line {at + 1}"
    else:
        raise ValueError(operation)
    return b"\n".join(lines), done


def mutant(files: Mapping[str, bytes], seed: str,
           most: int = 3) -> tuple[dict[str, bytes], list[str]]:
    """A mutant of a course, the same for the same seed: its files and what was done,
    with 1 to ``most`` blows."""
    rng = random.Random(seed)
    texts = sorted(name for name in files if name.endswith((".md", ".yml", ".yaml")))
    changed = dict(files)
    changes = []
    for _ in range(min(most, rng.choice([1, 1, 1, 2, 2, 3]))):
        name = rng.choice(texts)
        data, done = mutate_text(changed[name], rng.choice(OPERATIONS), rng)
        changed[name] = data
        changes.append(f"{name}: {done}")
    return changed, changes


def write_course(content: Path, files: Mapping[str, bytes]) -> None:
    for name, data in files.items():
        path = content / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file and folder under ``folder``: relative path -> sha256 (or "dir")."""
    found = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        found[rel] = "dir" if path.is_dir() else hashlib.sha256(path.read_bytes()).hexdigest()
    return found


class Hung(BaseException):
    """A mutant ran past its time limit (a BaseException: the CLI must not catch it)."""


def _alarm(signum: int, frame: object) -> None:
    raise Hung


def run_cli(argv: list[str], limit: float) -> tuple[int | str, str]:
    """``main(argv)`` in this process: its exit status ("hung" past ``limit``
    seconds) and everything it printed."""
    from gradsite.cli import main

    printed = io.StringIO()
    signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, limit)
    try:
        with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
            code: int | str = main(argv)
    except Hung:
        code = "hung"
    except SystemExit as exit_:  # argparse on a usage error
        code = exit_.code if isinstance(exit_.code, int) else 2
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    return code, printed.getvalue()


def run_one(spec: Mapping[str, Any], index: int,
            site_digest: dict[str, str] | None) -> dict[str, Any]:
    """Make mutant ``index`` of the spec's course, run it, and say what happened."""
    base = Path(spec["course"])
    key = f"{spec['name']}/{spec['seed']}/{index}"
    files, changes = mutant(course_files(base), key, spec.get("most", 3))
    folder = Path(spec["work"]) / f"{spec['name']}-{index}"
    shutil.rmtree(folder, ignore_errors=True)
    write_course(folder / "content", files)
    os.chdir(folder)  # messages name content/... as for an author in the course's folder
    started = time.perf_counter()
    result: dict[str, Any] = {"key": key, "changes": changes}
    if spec["command"] == "check":
        argv = ["check", "--content", "content", "--cache-dir", spec["cache"], "--quiet"]
    else:
        shutil.copytree(spec["site"], folder / "_site", symlinks=True)
        argv = ["build", "--content", "content", "--out", "_site", "--cache-dir", spec["cache"],
                "--jobs", "1", "--quiet"]
    code, printed = run_cli(argv, spec["limit"])
    result.update(code=code, seconds=round(time.perf_counter() - started, 2),
                  traceback="Traceback (most recent call last)" in printed,
                  output=printed[-3000:])
    if spec["command"] == "build":
        if code != 0:
            result["site_kept"] = tree_digest(folder / "_site") == site_digest
        # A build's temporary folder goes, whatever became of the build.
        result["left_beside"] = sorted(p.name for p in folder.iterdir()
                                       if p.name.startswith(WORK_PREFIXES))
    os.chdir(spec["work"])
    bad = (code not in (0, 1) or result["traceback"] or result.get("site_kept") is False
           or result.get("left_beside"))
    if bad and spec.get("keep"):
        kept = Path(spec["keep"]) / f"{spec['name']}-{spec['seed']}-{index}"
        shutil.rmtree(kept, ignore_errors=True)
        shutil.copytree(folder / "content", kept / "content")
    shutil.rmtree(folder, ignore_errors=True)
    return result


def run_batch(spec: Mapping[str, Any]) -> None:
    """Run the spec's mutants one after another, a JSON line for each start and end."""
    site_digest = tree_digest(Path(spec["site"])) if spec["command"] == "build" else None
    for index in spec["indexes"]:
        print(json.dumps({"start": f"{spec['name']}/{spec['seed']}/{index}"}), flush=True)
        print(json.dumps(run_one(spec, index, site_digest)), flush=True)


if __name__ == "__main__":
    for one in json.loads(Path(sys.argv[1]).read_text(encoding="utf-8")):
        run_batch(one)
