"""Fixture courses written in code: small courses on disk, built or loaded, for tests.

``make_course`` writes files (paths relative to the content folder) into
``tmp_path / "content"``; ``chapter`` writes a chapter's text with its front
matter. The ``load_problems`` / ``build_problems`` helpers return the
diagnostics an author would see, so tests can assert ``path:line`` and hints.
"""

from __future__ import annotations

import os
import re
import time
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml

from gradsite.diagnostics import BuildFailed, Diagnostic, Location
from gradsite.load import load_course
from gradsite.markup.blocks import render_blocks
from gradsite.markup.markdown import render_markdown
from gradsite.model import TocEntry
from gradsite.output import MARKER
from gradsite.pipeline import BuildOptions, build
from gradsite.scan import scan_body

DEFAULT_COURSE_YML = "title: Test Course\n"


def count_renders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The file name of every chapter the render stage renders from now on (not
    taken from the cache), in order."""
    import gradsite.render

    rendered: list[str] = []
    real = gradsite.render.render_chapter

    def counting(inputs: Any, highlighted: Any) -> Any:
        rendered.append(inputs.path.rsplit("/", 1)[1])
        return real(inputs, highlighted)

    monkeypatch.setattr(gradsite.render, "render_chapter", counting)
    return rendered


def count_made(monkeypatch: pytest.MonkeyPatch, owner: object, name: str) -> list[str]:
    """The slug of every chapter that ``owner.name`` (a maker whose first argument is
    the checked chapter: its notebook, its Markdown copy) is called for from now on."""
    made: list[str] = []
    real = getattr(owner, name)

    def counting(checked: Any, *rest: Any) -> Any:
        made.append(checked.chapter.slug)
        return real(checked, *rest)

    monkeypatch.setattr(owner, name, counting)
    return made


def rebuilt(options: BuildOptions, made: list[str]) -> list[str]:
    """What ``made`` (``count_made``) records in one more build, sorted."""
    made.clear()
    build(options)
    return sorted(made)


def stamped_apart(site: Path) -> None:
    """A built site's marker stamped anew, a clock's tick after its files were written
    and one before what follows: on a file system with a coarse clock, its files
    would otherwise look changed after the build (and be written again, not linked)."""
    time.sleep(0.05)
    os.utime(site / MARKER)
    time.sleep(0.05)


def without_copy(page: str) -> str:
    """A chapter page without its Markdown copy (the ``<template>`` that the "Copy this
    chapter for an AI assistant" button copies): the page as it shows."""
    return re.sub(r'<template class="chapter-copy-text">.*?</template>', "", page, flags=re.S)


def make_course(tmp_path: Path, files: dict[str, str | bytes | None]) -> Path:
    """Write a course into ``tmp_path / "content"`` and return the content folder.

    Keys are paths relative to the content folder; ``str`` values are written as
    UTF-8, ``bytes`` as they are. A minimal ``course.yml`` is added unless given
    (pass ``None`` as its value to leave it out).
    """
    content = tmp_path / "content"
    content.mkdir(parents=True, exist_ok=True)
    files = dict(files)
    files.setdefault("course.yml", DEFAULT_COURSE_YML)
    for rel, text in files.items():
        if text is None:
            continue
        path = content / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
    return content


def chapter(title: str = "A Chapter", body: str = "Some text.\n", **front: object) -> str:
    """A chapter file: front matter (title plus ``front``, as YAML) then ``body``.

    The front matter is ``---``, ``title: <title>`` (written as given, so it may
    be any YAML), the other keys, ``---``: the title is on line 2 and the body
    starts on the line after the closing ``---``.
    """
    lines = ["---", f"title: {title}"]
    if front:
        dumped = yaml.safe_dump(front, sort_keys=False, allow_unicode=True).rstrip("\n")
        lines.extend(dumped.split("\n"))
    lines.append("---")
    return "\n".join(lines) + "\n" + body


def render_body(
    markdown: str, path: str = "ch.md", first_line: int = 1
) -> tuple[str, tuple[TocEntry, ...], list[Diagnostic]]:
    """Markdown in, HTML out: the scan, block rendering and Markdown of one chapter body."""
    scanned, problems = scan_body(markdown, Location(path, first_line))
    block_html, found = render_blocks(scanned)
    problems = problems + found
    html, toc = render_markdown(scanned.text, scanned.blocks, block_html, {})
    return html, toc, problems


def render_ok(markdown: str) -> str:
    """The HTML of a body that must render without problems."""
    html, _, problems = render_body(markdown)
    assert problems == [], [p.format() for p in problems]
    return html


def load_problems(content: Path, include_drafts: bool = False) -> list[Diagnostic]:
    """Every diagnostic that loading the course reports."""
    _, problems = load_course(content, include_drafts)
    return problems


def build_site(content: Path, out: Path, include_drafts: bool = False) -> Path:
    build(BuildOptions(content=content, out=out, include_drafts=include_drafts))
    return out


def build_problems(content: Path, out: Path, include_drafts: bool = False) -> list[Diagnostic]:
    """The diagnostics of a build that must fail; fails the test if it succeeds."""
    try:
        build(BuildOptions(content=content, out=out, include_drafts=include_drafts))
    except BuildFailed as failed:
        return failed.diagnostics
    raise AssertionError("the build succeeded but was expected to fail")


def only(problems: list[Diagnostic]) -> Diagnostic:
    """The single diagnostic of a list (with a readable failure otherwise)."""
    assert len(problems) == 1, "expected one problem, got:\n" + "\n".join(
        p.format() for p in problems
    )
    return problems[0]


def where(problem: Diagnostic) -> str:
    """``path:line`` of a diagnostic, with ``/`` separators."""
    return f"{Path(problem.location.path).as_posix()}:{problem.location.line}"


def read_tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` by its relative POSIX path, with its bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


class PageParser(HTMLParser):
    """Collects tags with their attributes, and the text, of an HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse_page(html: str) -> PageParser:
    parser = PageParser()
    parser.feed(html)
    parser.close()
    return parser


def has_class(attrs: dict[str, str], *names: str) -> bool:
    classes = attrs.get("class", "").split()
    return all(name in classes for name in names)
