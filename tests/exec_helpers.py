"""Helpers for the tests of executed ``{python}`` cells: small courses, builds, cell HTML.

``write_course`` writes ``course.yml`` and chapters into a content folder;
``cell`` and ``chapter_text`` make a chapter's Markdown; ``run_build`` builds
with a cache of the test's own; ``failed_build`` returns the diagnostics of a
build that must fail; ``cells_of`` parses the executed cells of a page.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from gradsite.diagnostics import BuildFailed, Diagnostic
from gradsite.execute.pool import warm_up
from gradsite.pipeline import BuildOptions, BuildResult, build

REPO = Path(__file__).resolve().parent.parent
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
FRONT = "---\ntitle: C\n---\n"


def cell(code: str, *options: str) -> str:
    """A ``{python}`` fence: ``#| key: value`` lines for ``options``, then ``code``."""
    lines = ["```{python}", *(f"#| {o}" for o in options), code.strip("\n"), "```"]
    return "\n".join(lines) + "\n"


def chapter_text(*parts: str, title: str = "C") -> str:
    """A chapter: front matter (``title`` on line 2, body from line 4), then ``parts``."""
    return f"---\ntitle: {title}\n---\n" + "\n".join(parts)


def write_course(content: Path, files: dict[str, str | bytes]) -> Path:
    """Write ``course.yml`` (``title: T``) and ``files`` (relative paths) into ``content``."""
    content.mkdir(parents=True, exist_ok=True)
    files = {"course.yml": "title: T\n", **files}
    for rel, data in files.items():
        path = content / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
    return content


def run_build(
    root: Path,
    out: str = "_site",
    cache: str = "cache",
    jobs: int = 2,
    read_cache: bool = True,
    content: str = "content",
) -> BuildResult:
    """Build ``root/content`` into ``root/out`` with the cache at ``root/cache``."""
    start_fork_server()
    return build(BuildOptions(content=root / content, out=root / out, cache_dir=root / cache,
                              read_cache=read_cache, quiet=True, jobs=jobs))


def built_site(root: Path, files: dict[str, str | bytes]) -> Path:
    """Build a course of ``files`` in ``root``, from inside it (as a module-scoped
    fixture does, outside the per-test ``tmp_path``); the built site's folder."""
    write_course(root / "content", files)
    with working_dir(root):
        run_build(root)
    return root / "_site"


def failed_build(root: Path, **kwargs: object) -> list[Diagnostic]:
    """The diagnostics of a build that must fail (the test fails if it succeeds)."""
    try:
        run_build(root, **kwargs)  # type: ignore[arg-type]
    except BuildFailed as failed:
        return failed.diagnostics
    raise AssertionError("the build succeeded but was expected to fail")


def start_fork_server() -> None:
    """Start the workers' fork server if it is not running (a no-op when it is)."""
    warm_up()


@contextlib.contextmanager
def working_dir(path: Path) -> Iterator[None]:
    """Run in ``path`` (module-scoped fixtures build outside the per-test ``tmp_path``)."""
    before = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


def read_tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` by relative POSIX path, with its bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def messages(problems: list[Diagnostic]) -> str:
    return "\n".join(p.format() for p in problems)


@dataclass
class FigureHTML:
    img: dict[str, str]
    caption_html: str = ""


@dataclass
class CellHTML:
    """One ``div.cell`` of a page: its attributes and what it shows, in order."""

    attrs: dict[str, str]
    has_code: bool = False
    code_text: str = ""
    figures: list[FigureHTML] = field(default_factory=list)
    outputs: list[str] = field(default_factory=list)  # text of each pre.cell-output
    order: list[str] = field(default_factory=list)  # "code", "figure", "text" as they come


class _CellParser(HTMLParser):
    VOID = {"img", "br", "hr", "input", "meta", "link", "source", "wbr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.cells: list[CellHTML] = []
        self.depth = 0  # element depth inside the current cell (0: outside any cell)
        self.code_depth = 0
        self.output_depth = 0
        self.caption_depth = 0
        self.raw_caption: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        classes = values.get("class", "").split()
        if self.depth == 0:
            if tag == "div" and "cell" in classes:
                self.cells.append(CellHTML(values))
                self.depth = 1
            return
        current = self.cells[-1]
        if self.caption_depth:
            self.raw_caption.append(self.get_starttag_text() or "")
        if tag in self.VOID:
            if tag == "img" and not self.code_depth:
                current.figures.append(FigureHTML(values))
                current.order.append("figure")
            return
        self.depth += 1
        for name, depth_attr in (("codeblock", "code_depth"), ("cell-output", "output_depth")):
            if name in classes and not getattr(self, depth_attr):
                setattr(self, depth_attr, self.depth)
                if name == "codeblock":
                    current.has_code = True
                    current.order.append("code")
                else:
                    current.outputs.append("")
                    current.order.append("text")
        if tag == "figcaption":
            self.caption_depth = self.depth
            self.raw_caption = []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.caption_depth:
            self.raw_caption.append(self.get_starttag_text() or "")
            return
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if self.depth == 0 or tag in self.VOID:
            return
        if self.caption_depth == self.depth:
            self.cells[-1].figures[-1].caption_html = "".join(self.raw_caption)
            self.caption_depth = 0
        elif self.caption_depth:
            self.raw_caption.append(f"</{tag}>")
        if self.code_depth == self.depth:
            self.code_depth = 0
        if self.output_depth == self.depth:
            self.output_depth = 0
        self.depth -= 1

    def handle_data(self, data: str) -> None:
        if not self.depth:
            return
        current = self.cells[-1]
        if self.caption_depth:
            self.raw_caption.append(data)
        if self.code_depth:
            current.code_text += data
        if self.output_depth:
            current.outputs[-1] += data


def cells_of(page: Path) -> list[CellHTML]:
    """The executed cells of a built page, in order."""
    parser = _CellParser()
    parser.feed(page.read_text(encoding="utf-8"))
    parser.close()
    return parser.cells
