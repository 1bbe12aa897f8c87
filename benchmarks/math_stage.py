"""Math-stage benchmark: KaTeX's time and the MathML passes' time, per formula.

Collects every formula of a synthetic course (the shared generator's chapters:
``$...$`` and ``$$...$$`` in the bodies, ``tex:`` of the declared functions),
adds the entries of ``--corpus`` files (the format of tests/math_corpus/corpus.tex),
and renders each distinct one the way a build does, with the in-memory cache cleared:

- KaTeX: ``pykatex.renderToString`` alone, with the build's settings;
- whole: gradsite's ``render_math`` (KaTeX, the trust check, the passes, writing);
- passes: whole minus KaTeX, per formula.

Times are the process's CPU time (``time.process_time``), which another load on a
shared machine disturbs less than the wall clock. Prints medians over ``--runs``
rounds of the total for the course (each distinct formula once, as the build's
cache has it). The script imports whatever gradsite
``PYTHONPATH`` points at, so two versions are compared by running it twice in one
sitting, alternating: ``PYTHONPATH=/path/to/other/clone python benchmarks/math_stage.py``.

Usage: python benchmarks/math_stage.py [--chapters 160] [--runs 5] [--corpus FILE ...]
"""

from __future__ import annotations

import argparse
import contextlib
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

from course_generator import add_generator_argument, load_generator

_DISPLAY = re.compile(r"\$\$(.+?)\$\$", re.DOTALL)
_INLINE = re.compile(r"(?<![\\$])\$([^$\n]+?)\$")
_TEX_KEY = re.compile(r'^\s+tex:\s*"(.*)"\s*$', re.MULTILINE)


def course_formulas(course: Path) -> set[tuple[str, bool]]:
    """(LaTeX, display) of every formula in the course's chapters."""
    formulas: set[tuple[str, bool]] = set()
    for chapter in sorted(course.rglob("*.md")):
        text = chapter.read_text(encoding="utf-8")
        front, _, body = text.partition("\n---\n")
        for found in _TEX_KEY.finditer(front):
            formulas.add((found.group(1).encode().decode("unicode_escape"), False))
        for found in _DISPLAY.finditer(body):
            formulas.add((found.group(1).strip(), True))
        for found in _INLINE.finditer(_DISPLAY.sub("", body)):
            formulas.add((found.group(1), False))
    return formulas


def corpus_formulas(path: Path) -> set[tuple[str, bool]]:
    """(LaTeX, display) of each entry of a math corpus (tests/math_corpus/corpus.tex:
    an entry starts with ``%% name`` or ``%% name inline``; lines with one ``%`` are notes)."""
    formulas: set[tuple[str, bool]] = set()
    for entry in path.read_text(encoding="utf-8").split("\n%% ")[1:]:
        head, _, body = entry.partition("\n")
        latex = "\n".join(line for line in body.splitlines() if not line.startswith("%"))
        formulas.add((latex.strip(), not head.strip().endswith(" inline")))
    return formulas


def one_round(formulas: list[tuple[str, bool]]) -> tuple[float, float]:
    """Seconds spent in KaTeX alone, and in the whole of render_math, for all formulas."""
    import pykatex

    from gradsite.markup.math import render_math

    render_math.cache_clear()
    katex = whole = 0.0
    for latex, display in formulas:
        started = time.process_time()
        with contextlib.suppress(pykatex.ParseError):
            pykatex.renderToString(latex, displayMode=display, output=pykatex.OUTPUT_MATHML,
                                   throwOnError=True, strict=pykatex.STRICT_IGNORE)
        katex += time.process_time() - started
        started = time.process_time()
        render_math(latex, display)
        whole += time.process_time() - started
    return katex, whole


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chapters", type=int, default=160)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--corpus", type=Path, nargs="*", default=[])
    add_generator_argument(parser)
    arguments = parser.parse_args()

    generator = load_generator(arguments.generator)
    with tempfile.TemporaryDirectory() as folder:
        course = Path(folder) / "course"
        generator.write_course(str(course), chapters=arguments.chapters, k=2, flavor="plain")
        formulas = course_formulas(course)
    for corpus in arguments.corpus:
        formulas |= corpus_formulas(corpus)
    ordered = sorted(formulas)
    one_round(ordered)  # warms KaTeX's engine and the imports
    rounds = [one_round(ordered) for _ in range(arguments.runs)]
    katex = statistics.median(k for k, _ in rounds)
    whole = statistics.median(w for _, w in rounds)
    passes = statistics.median(w - k for k, w in rounds)
    import gradsite

    print(f"gradsite from {Path(gradsite.__file__).parent.parent}", file=sys.stderr)
    print(f"{len(ordered)} distinct formulas, medians of {arguments.runs} rounds:")
    print(f"  KaTeX   {katex * 1000:8.1f} ms")
    print(f"  whole   {whole * 1000:8.1f} ms  (render_math: KaTeX, checks, passes, writing)")
    print(f"  passes  {passes * 1000:8.1f} ms  ({passes / len(ordered) * 1e6:.0f} us per formula)")


if __name__ == "__main__":
    main()
