"""Memory benchmark: does a long ``serve`` session grow without bound?

Writes a synthetic course (``--chapters`` chapters x 2 figure cells, by the shared
generator ``gen_course.py``, as bench.py does), starts ``build.py serve`` on it on a
free port of 127.0.0.1 and edits the course ``--rebuilds`` times. After each edit it
waits until serve has rebuilt (the generation in ``/__gradsite__/status`` advances)
and samples the resident memory (VmRSS) of serve's own process. The edits:

- most change one chapter's prose (a different chapter each time; no cell runs);
- every ``--listing-every``-th puts new code in a listing at the end of a chapter,
  so code no earlier build saw is highlighted: a memo of highlighted blocks that is
  never emptied grows with these;
- every ``--cell-every``-th edits one figure cell (its chapter's cells run again;
  slow, so rare).

What counts is the builder's own RSS: the workers that run cells are processes of
their own that come and go. The process tree's total is reported too (a sum of RSS,
so pages that processes share count more than once).

It prints the RSS at a few rebuilds, the first, last and median, and a least-squares
slope in KiB per rebuild over the second half (after the warm-up), and writes every
sample to ``benchmarks/out/`` (ignored by git).

Usage: python benchmarks/serve_memory.py [--rebuilds 200] [--chapters 20] [--jobs 2]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from course_generator import add_generator_argument, load_generator

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
STATUS_PATH = "/__gradsite__/status"  # serve's status document (gradsite/serve.py)
SERVING = re.compile(r"serving .* at (http://127\.0\.0\.1:\d+/)")
STATUS_POLL_SECONDS = 0.1  # serve answers each request in a thread of its own
STOP_SECONDS = 20  # serve's grace on SIGTERM: it cancels the build and closes its workers

# 127.0.0.1 straight, even when the environment names an HTTP proxy.
DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))

REVISION = re.compile(r"\(revision \d+\)")  # the generator's prose marker
CELL_LINE = re.compile(r"ax\.grid\(True\)(  # edit \d+)?")  # a line of each figure cell
LISTING = re.compile(r"\n```python\n# listing \d+\n.*?```\n", re.DOTALL)  # ours, appended


@dataclass(frozen=True)
class Sample:
    """serve's memory after one rebuild (rebuild 0: the first build)."""

    rebuild: int
    edit: str  # "start", "prose", "listing" or "cell"
    chapter: str  # the file edited, relative to the course
    seconds: float  # from the edit until serve's status showed the rebuild
    rss_kib: int  # serve's own process
    tree_kib: int  # serve and every process under it


@dataclass(frozen=True)
class EditPlan:
    """Which kind the n-th edit is, and what it writes into a chapter."""

    listing_every: int
    cell_every: int
    listing_rows: int  # rows of the table below each listing's function

    def kind(self, number: int) -> str:
        if number % self.cell_every == 0:
            return "cell"
        if number % self.listing_every == 0:
            return "listing"
        return "prose"

    def apply(self, kind: str, text: str, number: int) -> str:
        if kind == "cell":
            return replace_once(CELL_LINE, f"ax.grid(True)  # edit {number}", text)
        if kind == "listing":
            # A chapter keeps one listing of ours: an earlier one is replaced.
            new = listing(number, self.listing_rows)
            return replace_once(LISTING, new, text) if LISTING.search(text) else text + new
        return replace_once(REVISION, f"(revision {number})", text)


def listing(number: int, rows: int) -> str:
    """A Python listing whose code no earlier edit wrote (its names and numbers are
    the edit's own): a function, then a table of ``rows`` rows."""
    table = "".join(f"    ({(row + 1) / 1000:.3f}, {0.5 + row % 5 / 10:.1f}, "
                    f'"trial {row} of listing {number}"),\n' for row in range(rows))
    code = textwrap.dedent(f"""
        ```python
        # listing {number}
        def momentum_descent_{number}(grad, x0, eta={0.01 + number % 7 / 100:.2f}, beta=0.9):
            # Heavy-ball descent: each step keeps a share of the previous one.
            x, velocity = list(x0), [0.0] * len(x0)
            for step in range({10 + number}):
                g = grad(x)
                velocity = [beta * v - eta * gi for v, gi in zip(velocity, g)]
                x = [xi + v for xi, v in zip(x, velocity)]
                if max(abs(gi) for gi in g) < 1e-{3 + number % 5}:
                    return x, step
            return x, {10 + number}
        """)
    if rows:
        code += f"\nTRIALS_{number} = [  # (eta, beta, label)\n{table}]\n"
    return code + "```\n"


def replace_once(pattern: re.Pattern[str], replacement: str, text: str) -> str:
    new, count = pattern.subn(lambda _: replacement, text, count=1)
    if count != 1:
        sys.exit(f"could not edit a chapter: no match for {pattern.pattern!r}")
    return new


def write_atomically(path: Path, text: str, spare: Path) -> None:
    """serve must never see a half-written chapter (it would fail to build)."""
    spare.write_text(text)
    os.replace(spare, path)


def rss_kib(pid: int) -> int:
    """VmRSS of a process, in KiB; 0 once it is gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    match = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
    return int(match.group(1)) if match else 0  # a zombie has no VmRSS


def descendants(pid: int) -> list[int]:
    """Every process under ``pid``, found through the parent ids in /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # ended while we looked
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])  # the name may hold spaces
        children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        below = children.get(todo.pop(), [])
        found.extend(below)
        todo.extend(below)
    return found


def tree_kib(pid: int) -> int:
    """RSS of a process and of every process under it (a page they share counts
    once for each)."""
    return rss_kib(pid) + sum(rss_kib(child) for child in descendants(pid))


@contextmanager
def serving(course: Path, work: Path, jobs: int, timeout: float,
            environment: dict[str, str]) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """``build.py serve`` on the course, on a free port of 127.0.0.1: its process
    and the status URL. It is stopped on the way out, whatever happened."""
    log = work / "serve.log"
    with log.open("wb") as output:
        # A session of its own, so a serve that ignores SIGTERM is killed with its
        # workers; its output goes to a file, which never fills up as a pipe can.
        process = subprocess.Popen(
            [sys.executable, str(ROOT / "build.py"), "serve", "--content", str(course),
             "--out", str(work / "site"), "--cache-dir", str(work / "cache"),
             "--jobs", str(jobs), "--port", "0"],
            cwd=work, env=environment, stdin=subprocess.DEVNULL, stdout=output,
            stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + timeout
        while not (match := SERVING.search(log.read_text())):
            if process.poll() is not None or time.monotonic() > deadline:
                sys.exit("serve did not start")
            time.sleep(STATUS_POLL_SECONDS)
        yield process, match.group(1).rstrip("/") + STATUS_PATH
    except SystemExit:
        print(f"serve's output, last lines:\n{tail(log)}", file=sys.stderr)
        raise
    finally:
        stop(process)


def stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM (serve stops as on Ctrl-C), then SIGKILL to its whole session if it
    has not ended in time; either way nothing it started is left running."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            print("serve did not stop on SIGTERM: killing it", file=sys.stderr)
    with suppress(ProcessLookupError):  # serve and everything in its session have ended
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def tail(log: Path, lines: int = 30) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])


def status_of(url: str) -> dict[str, Any]:
    with DIRECT.open(url, timeout=10) as response:
        return json.load(response)


def wait_for_build(process: subprocess.Popen[bytes], url: str, after: int,
                   timeout: float) -> int:
    """Waits until serve has built past generation ``after``; the new generation."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"serve exited (status {process.returncode}) during a build")
        status = status_of(url)
        generation = int(status["generation"])
        if generation > after:
            return generation
        if not status["ok"] and not status["building"]:
            sys.exit("a build failed: serve's output is above")
        time.sleep(STATUS_POLL_SECONDS)
    sys.exit(f"no build within {timeout:g} s (generation still {after})")


def run(args: argparse.Namespace, work: Path) -> list[Sample]:
    course = work / "course"
    load_generator(args.generator).write_course(str(course), args.chapters, 2, "plain")
    chapters = sorted(course.glob("*/*-chapter-*.md"))
    spare = work / "edit.tmp"  # beside the course, on the same file system
    plan = EditPlan(args.listing_every, args.cell_every, args.listing_rows)
    edited = dict.fromkeys(("prose", "listing", "cell"), 0)  # which chapter is next
    samples = []
    environment = dict(os.environ)
    if args.malloc_arena_max:
        environment["MALLOC_ARENA_MAX"] = str(args.malloc_arena_max)
    with serving(course, work, args.jobs, args.timeout, environment) as (process, url):
        started = time.perf_counter()
        generation = wait_for_build(process, url, 0, args.timeout)
        samples.append(Sample(0, "start", "", time.perf_counter() - started,
                              rss_kib(process.pid), tree_kib(process.pid)))
        for number in range(1, args.rebuilds + 1):
            kind = plan.kind(number)
            chapter = chapters[edited[kind] % len(chapters)]
            edited[kind] += 1
            started = time.perf_counter()
            write_atomically(chapter, plan.apply(kind, chapter.read_text(), number), spare)
            generation = wait_for_build(process, url, generation, args.timeout)
            samples.append(Sample(number, kind, str(chapter.relative_to(course)),
                                  time.perf_counter() - started,
                                  rss_kib(process.pid), tree_kib(process.pid)))
            if number in report_points(args.rebuilds):
                print(f"rebuild {number:4d}: {samples[-1].rss_kib / 1024:6.1f} MiB", flush=True)
    return samples


def report_points(rebuilds: int) -> list[int]:
    """The rebuilds shown in the table: the first build, the first rebuild, and
    eighths of the way."""
    return sorted({0, 1, *(rebuilds * eighth // 8 for eighth in range(1, 9))})


@dataclass(frozen=True)
class Summary:
    """serve's own RSS over the session, in MiB unless named otherwise."""

    first: float  # after the first build
    last: float
    median: float  # over the rebuilds
    second_half_from: int  # the rebuild where the slope's fit starts, after the warm-up
    second_half_low: float
    second_half_high: float
    slope_kib: float  # least squares over the second half, KiB per rebuild
    tree_slope_kib: float  # the same for the process tree
    quarter_floors: tuple[float, ...]  # the lowest RSS in each quarter of the rebuilds
    median_rebuild_seconds: float  # from the edit until the status showed the rebuild


def summarize(samples: list[Sample]) -> Summary:
    """The slope is fitted over the second half: the first rebuilds fill caches that
    are meant to stay. RSS after a rebuild swings by MiB from one rebuild to the next
    (memory freed after a build's peak that the allocators keep for a while): the
    lowest RSS of each quarter is a steadier floor."""
    rebuilds = samples[1:]
    second_half = rebuilds[len(rebuilds) // 2:]
    numbers = [s.rebuild for s in second_half]
    quarter = len(rebuilds) / 4
    quarters = [rebuilds[round(i * quarter):round((i + 1) * quarter)] for i in range(4)]
    return Summary(
        first=samples[0].rss_kib / 1024,
        last=samples[-1].rss_kib / 1024,
        median=statistics.median(s.rss_kib for s in rebuilds) / 1024,
        second_half_from=second_half[0].rebuild,
        second_half_low=min(s.rss_kib for s in second_half) / 1024,
        second_half_high=max(s.rss_kib for s in second_half) / 1024,
        slope_kib=statistics.linear_regression(
            numbers, [s.rss_kib for s in second_half]).slope,
        tree_slope_kib=statistics.linear_regression(
            numbers, [s.tree_kib for s in second_half]).slope,
        quarter_floors=tuple(min(s.rss_kib for s in q) / 1024 for q in quarters if q),
        median_rebuild_seconds=statistics.median(s.seconds for s in rebuilds),
    )


def commit() -> str:
    done = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                          capture_output=True, text=True)
    return done.stdout.strip() or "unknown"


def print_report(samples: list[Sample], summary: Summary, rebuilds: int) -> None:
    print("\n| rebuild | edit | serve RSS | process tree |\n| --- | --- | --- | --- |")
    by_number = {s.rebuild: s for s in samples}
    for number in report_points(rebuilds):
        s = by_number[number]
        print(f"| {number} | {s.edit} | {s.rss_kib / 1024:.1f} MiB | "
              f"{s.tree_kib / 1024:.1f} MiB |")
    floors = ", ".join(f"{floor:.1f}" for floor in summary.quarter_floors)
    print(f"\nserve's own RSS: first build {summary.first:.1f} MiB, last {summary.last:.1f} "
          f"MiB, median {summary.median:.1f} MiB; rebuilds {summary.second_half_from}-"
          f"{rebuilds}: {summary.second_half_low:.1f} to {summary.second_half_high:.1f} MiB, "
          f"slope {summary.slope_kib:.1f} KiB per rebuild (process tree: "
          f"{summary.tree_slope_kib:.1f}); lowest in each quarter: {floors} MiB. "
          f"Median rebuild, edit to status: {summary.median_rebuild_seconds:.2f} s")


def at_least(minimum: int) -> Callable[[str], int]:
    def count(text: str) -> int:
        value = int(text)
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}")
        return value

    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rebuilds", type=at_least(2), default=200,
                        help="edits, each waited for until serve has rebuilt (default 200)")
    parser.add_argument("--chapters", type=at_least(1), default=20)
    parser.add_argument("--listing-every", type=at_least(1), default=4, metavar="K",
                        help="every K-th edit puts new code in a listing (default 4)")
    parser.add_argument("--listing-rows", type=at_least(0), default=0, metavar="N",
                        help="a table of N rows under each listing's 10-line function "
                             "(default 0): how much new code a listing edit brings")
    parser.add_argument("--cell-every", type=at_least(1), default=15, metavar="K",
                        help="every K-th edit changes a cell, which runs again (default 15)")
    parser.add_argument("--jobs", type=at_least(1), default=os.cpu_count() or 1)
    parser.add_argument("--malloc-arena-max", type=at_least(1), metavar="N",
                        help="run serve with MALLOC_ARENA_MAX=N: fewer glibc heaps for its "
                             "threads, less noise in RSS (not how serve is run otherwise)")
    parser.add_argument("--timeout", type=float, default=300,
                        help="seconds one build may take, the first included (default 300)")
    add_generator_argument(parser)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="gradsite-serve-memory-") as temp:
        samples = run(args, Path(temp))
    summary = summarize(samples)
    print_report(samples, summary, args.rebuilds)
    revision = commit()
    OUT.mkdir(exist_ok=True)
    path = OUT / f"serve-memory-{revision}-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps({
        "commit": revision, "chapters": args.chapters, "rebuilds": args.rebuilds,
        "listing_every": args.listing_every, "listing_rows": args.listing_rows,
        "cell_every": args.cell_every,
        "jobs": args.jobs, "malloc_arena_max": args.malloc_arena_max,
        "summary": asdict(summary), "samples": [asdict(s) for s in samples],
    }, indent=1))
    print(f"samples: {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
