"""Question variants, measured: what 50 variants of a question in every chapter cost.

Writes the shared generator's course (40 chapters by default) twice, each chapter
with one more question: in the "plain" course a numeric question with a hint and an
explanation, all with math; in the "variants" course the same question with three
parameters and ``variants: 50``. Then, in one sitting and interleaved run by run:

- cold: a build with an empty cache (cells, figures and all), and
- prose edit: a build after one word of every chapter changed, with the cache
  warm (every chapter renders again, no cell runs): the render stage's share.

Reported: medians of the runs and the paired difference variants - plain, which
the target bounds at 2 s for the cold build at 40 chapters.

Usage: python benchmarks/variants.py [--chapters 40] [--runs 3] [--jobs 2]
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from course_generator import ROOT, add_generator_argument, load_generator

QUESTION = """  - id: slope-variant
    question: 'What is the slope of $g(x) = {{a}} x^2 + {{b}} x$ at $x = {{c}}$?'
    answer: 2*a*c + b
    hints:
      - 'Differentiate: $g''(x) = 2 \\cdot {{a}} x + {{b}}$.'
      - 'Put in $x = {{c}}$.'
    explanation: 'The slope is $2 \\cdot {{a}} \\cdot {{c}} + {{b}}$.'
"""
PARAMS = """    params:
      a: [1, 9]
      b: [-5, 5]
      c: {range: [-2, 2], step: 0.5}
    variants: 50
"""
FIXED = {"{{a}}": "3", "{{b}}": "-2", "{{c}}": "1.5", "2*a*c + b": "7"}
REVISION = re.compile(r"\(revision \d+\)")


def with_question(course: Path, variants: bool) -> None:
    question = QUESTION + PARAMS if variants else QUESTION
    if not variants:
        for name, value in FIXED.items():
            question = question.replace(name, value)
    for path in sorted(course.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("quiz:\n", "quiz:\n" + question, 1), encoding="utf-8")


def edit_prose(course: Path, revision: int) -> None:
    for path in sorted(course.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        path.write_text(REVISION.sub(f"(revision {revision})", text), encoding="utf-8")


def build(course: Path, out: Path, cache: Path, jobs: int) -> float:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, str(ROOT / "build.py"), "--content", str(course),
                           "--out", str(out), "--cache-dir", str(cache), "--jobs", str(jobs),
                           "--quiet"], capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"the build of {course} failed:\n{done.stdout}{done.stderr}")
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--chapters", type=int, default=40)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=2)
    add_generator_argument(parser)
    args = parser.parse_args()
    generator = load_generator(args.generator)
    times: dict[str, list[float]] = {f"{kind} {course}": [] for kind in ("cold", "edit")
                                     for course in ("plain", "variants")}
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        for name in ("plain", "variants"):
            generator.write_course(str(work / name), args.chapters, 2, "plain")
            with_question(work / name, name == "variants")
        for run in range(args.runs):
            for name in ("plain", "variants"):
                course, cache, out = work / name, work / f"cache-{name}", work / f"site-{name}"
                shutil.rmtree(cache, ignore_errors=True)
                shutil.rmtree(out, ignore_errors=True)
                times[f"cold {name}"].append(build(course, out, cache, args.jobs))
                edit_prose(course, run + 1)
                times[f"edit {name}"].append(build(course, out, cache, args.jobs))
    for kind in ("cold", "edit"):
        plain, variants = times[f"{kind} plain"], times[f"{kind} variants"]
        differences = [v - p for p, v in zip(plain, variants, strict=True)]
        print(f"{kind:4}: plain {statistics.median(plain):.2f} s, variants "
              f"{statistics.median(variants):.2f} s, paired difference "
              f"{statistics.median(differences):+.2f} s (runs: "
              + ", ".join(f"{d:+.2f}" for d in differences) + ")")


if __name__ == "__main__":
    main()
