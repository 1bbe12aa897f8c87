"""What learners download for figures: the bytes of every figure a built site holds,
by format, for the shipped course and a course from the shared generator.

Each course is built by every gradsite source tree given (``--tree``, default
this repository), so one run compares two versions, e.g. a checkout of an
older commit and this one:

    git worktree add --detach /tmp/base b5fb19e
    python benchmarks/weight.py --tree /tmp/base --tree . --chapters 40

For each tree and course it prints the figures' bytes: SVG files (and, inside
them, the images drawn as pixels), PNG files, all figures gzipped (as a server
that compresses would send them), and the chapter notebooks, which embed the
same figures. Builds use an empty cache and ``--jobs 2``; sizes do not depend
on the machine's load, so one run is enough.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from course_generator import ROOT, add_generator_argument, load_generator

_EMBEDDED = re.compile(rb'xlink:href="data:image/png;base64,\s*([^"]*)"')


@dataclass(frozen=True)
class Weight:
    figures: int  # files
    svg: int  # bytes of SVG files
    svg_pixels: int  # of which base64 images inside them
    png: int  # bytes of PNG files
    gzipped: int  # all figure files, each gzipped at level 9
    notebooks: int  # bytes of the .ipynb files

    @property
    def total(self) -> int:
        return self.svg + self.png


def measure(site: Path) -> Weight:
    figures = sorted(p for p in site.glob("*/figures/*") if p.suffix in (".svg", ".png"))
    svg = png = pixels = zipped = 0
    for path in figures:
        data = path.read_bytes()
        zipped += len(gzip.compress(data, compresslevel=9, mtime=0))
        if path.suffix == ".svg":
            svg += len(data)
            pixels += sum(len(m.group(1)) for m in _EMBEDDED.finditer(data))
        else:
            png += len(data)
    notebooks = sum(p.stat().st_size for p in site.glob("*/*.ipynb"))
    return Weight(len(figures), svg, pixels, png, zipped, notebooks)


def build(tree: Path, content: Path, work: Path) -> Path:
    out, cache = work / "site", work / "cache"
    env = {**os.environ, "PYTHONPATH": str(tree), "PYTHONDONTWRITEBYTECODE": "1"}
    command = [sys.executable, str(tree / "build.py"), "--content", str(content),
               "--out", str(out), "--cache-dir", str(cache), "--jobs", "2", "--quiet"]
    subprocess.run(command, check=True, env=env, cwd=tree)
    return out


def _kb(n: int) -> str:
    return f"{n / 1000:,.1f} KB"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tree", type=Path, action="append", default=None,
                        help="a gradsite source tree to build with (repeatable; default: this one)")
    parser.add_argument("--chapters", type=int, default=40,
                        help="chapters of the generated course (default 40)")
    parser.add_argument("--json", type=Path, default=None, help="also write the numbers here")
    add_generator_argument(parser)
    args = parser.parse_args(argv)
    trees = [t.resolve() for t in (args.tree or [ROOT])]
    generator = load_generator(args.generator)
    results: dict[str, dict[str, Weight]] = {}
    with tempfile.TemporaryDirectory(prefix="gradsite-weight-") as temp:
        work = Path(temp)
        generated = work / "generated"
        generator.write_course(str(generated), args.chapters, 2, "plain")
        courses = {"shipped course": ROOT / "content",
                   f"generated, {args.chapters} chapters": generated}
        for course, content in courses.items():
            for index, tree in enumerate(trees):
                place = work / f"{len(results)}-{index}"
                results.setdefault(course, {})[str(tree)] = measure(build(tree, content, place))
    header = ("| course | tree | figures | SVG (pixels inside) | PNG | all | gzipped "
              "| notebooks | all, to the first tree |")
    print(header)
    print("|" + " --- |" * header.count(" | ") + " --- |")
    for course, by_tree in results.items():
        first = next(iter(by_tree.values()))
        for tree, weight in by_tree.items():
            print(f"| {course} | {tree} | {weight.figures} | {_kb(weight.svg)} "
                  f"({_kb(weight.svg_pixels)}) | {_kb(weight.png)} | {_kb(weight.total)} "
                  f"| {_kb(weight.gzipped)} | {_kb(weight.notebooks)} "
                  f"| {weight.total / first.total:.2f} |")
    if args.json:
        args.json.write_text(json.dumps(
            {course: {tree: asdict(w) for tree, w in by_tree.items()}
             for course, by_tree in results.items()}, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
