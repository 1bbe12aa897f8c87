"""Build-speed benchmark: gradsite against the floor, and its rebuilds.

For each course size (chapters x 2 figure cells, written by the shared
generator ``gen_course.py``) this measures, as medians of ``--runs`` runs:

- floor: a bare script that runs the same figure code and saves SVG figures
  with the same number of processes (each importing matplotlib), and no
  builder around it; and "floor cropped", the same saving them cropped to what
  they draw (``bbox_inches="tight"``), as gradsite's figures are;
- engine: gradsite's execution engine alone on the same figure code (its fork
  server, one process per chapter, the house style), no builder: where the
  cold build's time goes beyond it is site building;
- cold: ``build.py`` with an empty cache and no output folder;
- no-op: a rebuild with nothing changed;
- prose: a rebuild after editing one chapter's prose (must run zero cells), with
  ``build.py`` and, as ``serve`` does it, in a process that built before;
- cell: a rebuild after editing one cell (re-runs that chapter's cells);
- peak memory of the builder's own process (workers excluded), cold build;
- builder CPU: the builder process's own CPU time (user + system, all its threads;
  the fork server and the chapters' processes excluded), cold build;
- optionally, Sphinx with matplotlib's plot directive on the same course
  (``--sphinx PYTHON``: an interpreter with sphinx, myst-parser and matplotlib;
  cold builds, with ``-j`` set to the same number of processes), one after each
  of gradsite's cold builds.

Usage: python benchmarks/bench.py [--chapters 10 40 160] [--runs 5] [--jobs 2]
       [--sphinx /path/to/venv/bin/python]
Timings depend on the machine and its load: compare ratios within one run. The
ratios printed are paired: the median over the runs of each run's own ratio.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path
from types import ModuleType

from course_generator import add_generator_argument, load_generator

ROOT = Path(__file__).resolve().parent.parent

# Runs one builder in a fresh interpreter and reports its own peak memory and CPU time
# (user + system, all its threads; RUSAGE_SELF leaves out the fork server and the
# chapters' processes, its children). Registered first, so it runs last at exit.
BUILD_SCRIPT = textwrap.dedent("""\
    import atexit, resource, sys
    def report():
        own = resource.getrusage(resource.RUSAGE_SELF)
        print(f"PEAK_KIB={own.ru_maxrss} CPU_S={own.ru_utime + own.ru_stime:.4f}",
              file=sys.stderr)
    atexit.register(report)
    from gradsite.cli import entry
    entry()  # what build.py and the gradsite command run
    """)

# What `build.py serve` does after a save: rebuild in the same process (imports and
# in-memory caches warm). Edits one chapter's prose before each timed rebuild.
SERVE_SCRIPT = textwrap.dedent("""\
    import dataclasses, json, re, sys, time
    from pathlib import Path
    from gradsite.fingerprint import inputs_fingerprint
    from gradsite.pipeline import BuildOptions, build
    course, out, cache, edit_file, jobs, runs = sys.argv[1:7]
    options = BuildOptions(content=Path(course), out=Path(out), cache_dir=Path(cache),
                           jobs=int(jobs), quiet=True)
    build(options)
    times, cells = [], []
    for run in range(int(runs)):
        path = Path(edit_file)
        path.write_text(re.sub(r"\\(revision \\d+\\)", f"(revision {run + 5000})",
                               path.read_text(), count=1))
        started = time.perf_counter()
        inputs = inputs_fingerprint(options.content, options.theme, options.include_drafts)
        result = build(dataclasses.replace(options, inputs=inputs))
        times.append(time.perf_counter() - started)
        cells.append(result.execution.cells_run)
    print(json.dumps({"seconds": times, "cells_run": cells}))
    """)

# One process of the floor: import matplotlib, draw its share, save SVGs (cropped to
# what they draw, as gradsite's are, when argv[2] is "tight").
FLOOR_SCRIPT = textwrap.dedent("""\
    import io, json, sys
    import matplotlib
    matplotlib.use("agg")
    import matplotlib.pyplot as plt
    snippets = json.load(open(sys.argv[1]))
    bbox = "tight" if sys.argv[2] == "tight" else None
    for code in snippets:
        exec(code, {"__name__": "__main__"})
        for number in plt.get_fignums():
            buffer = io.BytesIO()
            plt.figure(number).savefig(buffer, format="svg", bbox_inches=bbox)
        plt.close("all")
    """)


# gradsite's execution engine alone: the same figure code through its worker pool
# (fork server, one process per chapter, house style), with no builder around it.
ENGINE_SCRIPT = textwrap.dedent("""\
    import json, sys
    from gradsite.execute.jobs import ChapterJob, Task
    from gradsite.execute.pool import run_jobs
    snippets, jobs, cwd = json.load(open(sys.argv[1])), int(sys.argv[2]), sys.argv[3]
    tasks = {}
    for chapter, index, code in snippets:
        tasks.setdefault(chapter, []).append(Task(index, "cell", code, 1, "svg", 60.0))
    work = [ChapterJob(f"chapter-{n}.md", cwd, tuple(t), {}) for n, t in sorted(tasks.items())]
    results = run_jobs(work, jobs)
    figures = sum(len(r.outputs) for rs in results.values() for r in rs if r.error is None)
    if figures != len(snippets):
        sys.exit(f"the engine drew {figures} of {len(snippets)} figures")
    """)


def timed(command: list[str], cwd: Path = ROOT) -> tuple[float, str, str]:
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"command failed: {' '.join(command)}\n{done.stdout}\n{done.stderr}")
    return seconds, done.stdout, done.stderr


def build(course: Path, out: Path, cache: Path, jobs: int) -> tuple[float, str, int, float]:
    """Wall seconds, stdout, the builder's peak RSS (KiB) and its own CPU seconds."""
    seconds, stdout, stderr = timed([
        sys.executable, "-c", BUILD_SCRIPT, "--content", str(course), "--out", str(out),
        "--cache-dir", str(cache), "--jobs", str(jobs),
    ])
    found = re.search(r"PEAK_KIB=(\d+) CPU_S=([\d.]+)", stderr)
    assert found is not None, stderr
    return seconds, stdout, int(found.group(1)), float(found.group(2))


def cells_run(stdout: str) -> int:
    match = re.search(r"cells: (\d+) run", stdout)
    return int(match.group(1)) if match else -1


def floor(snippets: list[str], jobs: int, work: Path, crop: bool = False) -> float:
    shares = [snippets[i::jobs] for i in range(jobs)]
    files = []
    for i, share in enumerate(shares):
        path = work / f"floor-{i}.json"
        path.write_text(json.dumps(share))
        files.append(path)
    started = time.perf_counter()
    crop_arg = "tight" if crop else "standard"
    processes = [subprocess.Popen([sys.executable, "-c", FLOOR_SCRIPT, str(f), crop_arg])
                 for f in files]
    if any(p.wait() != 0 for p in processes):
        sys.exit("the floor script failed")
    return time.perf_counter() - started


def engine(snippets: list[tuple[int, int, str]], jobs: int, work: Path) -> float:
    path = work / "engine.json"
    path.write_text(json.dumps(snippets))
    return timed([sys.executable, "-c", ENGINE_SCRIPT, str(path), str(jobs), str(work)])[0]


def edit(path: Path, pattern: str, replacement: str) -> None:
    text = path.read_text()
    new, count = re.subn(pattern, replacement, text, count=1)
    if count != 1:
        sys.exit(f"could not edit {path}: no match for {pattern!r}")
    path.write_text(new)


def sphinx_course(generator: ModuleType, chapters: int, work: Path) -> Path:
    source = work / f"sphinx{chapters}"
    generator.write_course(str(source), chapters, 2, "sphinx")
    return source


def sphinx_cold(python: str, source: Path, jobs: int) -> float:
    out = source / "_build"
    shutil.rmtree(out, ignore_errors=True)
    return timed([python, "-m", "sphinx", "-b", "html", "-q", "-j", str(jobs),
                  str(source), str(out)])[0]


def compile_bytecode() -> None:
    """Byte-compile gradsite first, as `pip install` does for an installed package.

    An editable install run with PYTHONDONTWRITEBYTECODE set (CI machines, this
    project's own) would otherwise compile every gradsite module from source on
    every build, which no installed copy does; numpy and matplotlib, which the
    floor imports, were compiled when pip installed them.
    """
    if not compileall.compile_dir(ROOT / "gradsite", quiet=1):
        sys.exit("could not byte-compile gradsite")


def measure(generator: ModuleType, chapters: int, runs: int, jobs: int, work: Path,
            sphinx: str | None) -> dict[str, object]:
    """Medians of ``runs`` runs. Each run times every measure once, one after the
    other, so a machine that slows down mid-way weighs on all of them alike; the
    ratios are also taken run by run (paired) before their median."""
    sphinx_source = sphinx_course(generator, chapters, work) if sphinx else None
    course = work / f"course{chapters}"
    meta = generator.write_course(str(course), chapters, 2, "plain")
    numbered = generator.figure_snippets(chapters, 2)  # (chapter, figure, code)
    snippets = [code for _, _, code in numbered]
    edit_file = course / meta["edit_file"]
    results: dict[str, list[float]] = {
        k: [] for k in ("floor", "floor_cropped", "engine", "cold", "noop", "prose", "cell")}
    peaks, builder_cpu, prose_cells, cell_cells = [], [], [], []
    for run in range(runs):
        results["floor"].append(floor(snippets, jobs, work))
        results["floor_cropped"].append(floor(snippets, jobs, work, crop=True))
        results["engine"].append(engine(numbered, jobs, work))
        out, cache = work / f"site{chapters}", work / f"cache{chapters}"
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(cache, ignore_errors=True)
        seconds, _, peak, cpu = build(course, out, cache, jobs)
        results["cold"].append(seconds)
        peaks.append(peak)
        builder_cpu.append(cpu)
        if sphinx and sphinx_source:
            results.setdefault("sphinx", []).append(sphinx_cold(sphinx, sphinx_source, jobs))
        results["noop"].append(build(course, out, cache, jobs)[0])
        edit(edit_file, r"\(revision (\d+)\)", f"(revision {run + 1000})")
        seconds, stdout, *_ = build(course, out, cache, jobs)
        results["prose"].append(seconds)
        prose_cells.append(cells_run(stdout))
        edit(edit_file, r"ax\.grid\((True|False)\)", f"ax.grid(True)  # edited {run}")
        seconds, stdout, *_ = build(course, out, cache, jobs)
        results["cell"].append(seconds)
        cell_cells.append(cells_run(stdout))
    # As serve does it: rebuilds in one process; __main__-guarded for the fork server.
    script = work / "serve_rebuilds.py"
    script.write_text(f"import sys\nsys.path.insert(0, {str(ROOT)!r})\n"
                      "if __name__ == '__main__':\n" + textwrap.indent(SERVE_SCRIPT, "    "))
    _, stdout, _ = timed([sys.executable, str(script), str(course), str(out), str(cache),
                          str(edit_file), str(jobs), str(runs)])
    serve = json.loads(stdout)
    results["serve_prose"] = serve["seconds"]
    medians = {k: statistics.median(v) for k, v in results.items()}
    return {
        "chapters": chapters,
        "figures": chapters * 2,
        "runs": runs,
        "jobs": jobs,
        "median_seconds": medians,
        "all_seconds": results,
        "cold_over_floor": paired(results, "cold", "floor"),
        "cold_over_floor_cropped": paired(results, "cold", "floor_cropped"),
        "engine_over_floor": paired(results, "engine", "floor"),
        **({"sphinx_over_cold": paired(results, "sphinx", "cold")} if sphinx else {}),
        "peak_builder_mib": statistics.median(peaks) / 1024,
        "builder_cpu_seconds": statistics.median(builder_cpu),
        "all_builder_cpu_seconds": builder_cpu,
        "cells_run_after_prose_edit": prose_cells,
        "cells_run_after_serve_prose_edit": serve["cells_run"],
        "cells_run_after_cell_edit": cell_cells,
    }


def paired(results: dict[str, list[float]], a: str, b: str) -> float:
    """The median of a / b over the runs, each run's two times taken minutes apart
    at most (the machine's speed drifts more than that between measures' medians)."""
    return statistics.median(x / y for x, y in zip(results[a], results[b], strict=True))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chapters", type=int, nargs="+", default=[10, 40, 160])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    add_generator_argument(parser)
    parser.add_argument("--sphinx", metavar="PYTHON",
                        help="also time Sphinx (plot directive) with this interpreter")
    args = parser.parse_args()
    generator = load_generator(args.generator)
    compile_bytecode()
    rows = []
    with tempfile.TemporaryDirectory(prefix="gradsite-bench-") as temp:
        for chapters in args.chapters:
            rows.append(measure(generator, chapters, args.runs, args.jobs, Path(temp), args.sphinx))
            row = rows[-1]
            if args.sphinx:
                print(f"{chapters:4d} chapters: Sphinx + plot directive (-j {args.jobs}) cold "
                      f"{row['median_seconds']['sphinx']:.2f} s = "
                      f"{row['sphinx_over_cold']:.2f} x gradsite's cold build (paired)",
                      flush=True)
            m = row["median_seconds"]
            print(f"{chapters:4d} chapters, {row['figures']} figures, jobs={args.jobs}, "
                  f"medians of {args.runs}: floor {m['floor']:.2f} s | floor cropped "
                  f"{m['floor_cropped']:.2f} s | engine {m['engine']:.2f} s "
                  f"({row['engine_over_floor']:.2f} x floor) | cold {m['cold']:.2f} s "
                  f"({row['cold_over_floor']:.2f} x floor, "
                  f"{row['cold_over_floor_cropped']:.2f} x cropped) | no-op {m['noop']:.2f} s | "
                  f"prose edit {m['prose']:.2f} s (cells run {row['cells_run_after_prose_edit']})"
                  f", in serve {m['serve_prose']:.2f} s (cells run "
                  f"{row['cells_run_after_serve_prose_edit']})"
                  f" | cell edit {m['cell']:.2f} s (cells run "
                  f"{row['cells_run_after_cell_edit']}) | builder peak "
                  f"{row['peak_builder_mib']:.0f} MiB | builder CPU (cold) "
                  f"{row['builder_cpu_seconds']:.2f} s", flush=True)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
