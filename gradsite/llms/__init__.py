"""The course for the reader's own AI assistant (llmstxt.org): ``llms.txt`` at the
site's root, and a plain Markdown copy of each chapter beside its page.

A course site has no server to answer questions; the reader's assistant can,
given the chapter. Each chapter page's Markdown copy is written at the page's
address with ``.md`` appended (``chapter.html.md``, the llms.txt convention), is
embedded in the page for its "Copy this chapter for an AI assistant" button,
and is listed in ``llms.txt``. Questions are copied without their answers,
feedback, hints or explanations, and exercises without their hints and
solutions (chapter.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from pathlib import Path

from ..cache import Cache
from ..check import settings_key
from ..fingerprint import canonical, digest, environment_key
from ..layout import LLMS_FILE, chapter_page, markdown_copy_path
from ..markup.chapter import CellView
from ..model import CheckedChapter, Course
from ..resolve import CourseFacts, facts_key
from ..site import chapter_label
from .chapter import CopyHeader, chapter_markdown, header_macros

__all__ = ["LLMS_FILE", "chapter_copies", "llms_index"]

def chapter_copies(
    course: Course, checked: tuple[CheckedChapter, ...],
    views: Mapping[str, tuple[CellView, ...]], facts: CourseFacts,
    cache: Cache, checked_keys: Mapping[Path, str],
) -> dict[str, str]:
    """Each chapter's Markdown copy, by its page's path; from the cache when made
    before from the same inputs, the chapter as its ``check.checked_key`` (in
    ``checked_keys``, by its source)."""
    by_source = {one.source: one for one in checked}
    info = course.info
    macros = header_macros(info.macros)
    copies: dict[str, str] = {}
    for s_number, section in enumerate(course.sections, start=1):
        for c_number, chapter in enumerate(section.chapters, start=1):
            page = chapter_page(section, chapter)
            one = by_source.get(chapter.source)
            if one is None or page not in views:
                continue
            header = CopyHeader(
                title=chapter.title, summary=chapter.summary, course=info.title,
                label=chapter_label(s_number, c_number, info.words), section=section.title,
                page_url=info.base_url + page if info.base_url else "", macros=macros,
                words=info.words)
            key = digest(environment_key(), "markdown-copy", checked_keys[one.source],
                         facts_key(facts.of(page)), settings_key(info.tex_macros, header.words),
                         canonical(
                             [views[page], _without_words(header), page, info.base_url]))
            found = cache.get(key)
            if isinstance(found, str):
                copies[page] = found
                continue
            copies[page] = chapter_markdown(one, views[page], facts.of(page), header, page,
                                            info.base_url)
            cache.put(key, copies[page])
    return copies


def _without_words(header: CopyHeader) -> dict[str, object]:
    """The header's fields but its words: those are the course's, digested once a
    build (``settings_key``)."""
    return {f.name: getattr(header, f.name) for f in fields(header) if f.name != "words"}


def llms_index(course: Course) -> str:
    """``llms.txt``: the course's title and description, then each section's chapters,
    linked to their Markdown copies (drafts left out, as from the sitemap)."""
    info = course.info
    parts = [f"# {_one_line(info.title)}"]
    if info.description:
        parts.append(f"> {_one_line(info.description)}")
    parts.append(info.words("llms.about"))
    if info.macros:  # the description, titles and summaries may use them, as chapters do
        macros = "\n".join(header_macros(info.macros))
        parts.append(f"{info.words('copy.macros')}\n\n```latex\n{macros}\n```")
    for section in course.sections:
        items = []
        for chapter in section.chapters:
            if chapter.draft:
                continue
            url = (info.base_url or "") + markdown_copy_path(chapter_page(section, chapter))
            title = _one_line(chapter.title).replace("[", "\\[").replace("]", "\\]")
            item = f"- [{title}]({url})"
            if chapter.summary:
                item += f": {_one_line(chapter.summary)}"
            items.append(item)
        if items:
            parts.append(f"## {_one_line(section.title)}\n\n" + "\n".join(items))
    return "\n\n".join(parts) + "\n"


def _one_line(text: str) -> str:
    return " ".join(text.split())
