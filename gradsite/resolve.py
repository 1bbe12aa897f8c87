"""The resolve stage: course-wide facts, computed once between check and render.

A chapter is checked on its own; what it shows can depend on the rest of the
course. This stage works those facts out for every chapter at once, and hands
each chapter only the part it uses (:class:`ChapterFacts`), which becomes part
of its render cache key: an edit that changes no fact another chapter uses
re-renders only the edited chapter.

The facts today are the course's link targets. A relative link to another
chapter's ``.md`` file is rewritten to that chapter's page; a relative link
or image to any other file next to the chapters is copied into the site.
Missing targets, and targets that leave the content folder, are errors with
the line of the link (spec section 8).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import quote, unquote, urlsplit

from .diagnostics import Diagnostic, error
from .layout import asset_output_path, chapter_page, relative_url
from .load import display_path
from .model import CheckedChapter, Course, LinkRef


@dataclass(frozen=True)
class ChapterFacts:
    """The course-wide facts one chapter's page shows (part of its render cache key)."""

    urls: tuple[tuple[str, str], ...] = ()  # link target as written -> its URL on the page


@dataclass(frozen=True)
class CourseFacts:
    """Every chapter's facts, by chapter page, and the files to copy into the site."""

    chapters: dict[str, ChapterFacts] = field(default_factory=dict)
    assets: dict[str, Path] = field(default_factory=dict)  # output path -> source file

    def of(self, page: str) -> ChapterFacts:
        return self.chapters.get(page, ChapterFacts())


def resolve_course(
    course: Course, checked: tuple[CheckedChapter, ...]
) -> tuple[CourseFacts, list[Diagnostic]]:
    """The course-wide facts, with a problem for every link whose target is wrong."""
    pages = {ch.source: chapter_page(s, ch) for s in course.sections for ch in s.chapters}
    section_slugs = {s.source.name: s.slug for s in course.sections}
    facts = CourseFacts()
    problems: list[Diagnostic] = []
    for one in checked:
        page = pages[one.source]
        urls: dict[str, str] = {}
        for link in one.scanned.links:
            url, problem = _resolve(link, one.source, course.root, page, pages,
                                    section_slugs, course.chapter_files, facts.assets)
            if problem is not None:
                problems.append(problem)
            elif url is not None:
                urls[link.target] = url
        facts.chapters[page] = ChapterFacts(tuple(sorted(urls.items())))
    return facts, problems


def _resolve(
    link: LinkRef,
    source: Path,
    root: Path,
    page: str,
    pages: dict[Path, str],
    section_slugs: dict[str, str],
    all_chapter_files: frozenset[Path],
    assets: dict[str, Path],
) -> tuple[str | None, Diagnostic | None]:
    parts = urlsplit(link.target)
    if parts.scheme or parts.netloc or not parts.path:
        return None, None  # external, or a fragment of this page
    if parts.path.startswith("/"):
        return None, error(link.location, f"'{link.target}' is an absolute path",
                           "use a path relative to this chapter, so the site works from disk "
                           "and from any sub-path")
    suffix = ("#" + parts.fragment) if parts.fragment else ""
    target = Path(source.parent, unquote(parts.path))
    try:
        resolved = target.resolve()
    except (OSError, RuntimeError):  # RuntimeError: a symbolic link loop (Python < 3.13)
        return None, error(link.location, f"'{link.target}' cannot be resolved",
                           f"{display_path(target)} is a symbolic link loop or unreadable")
    try:
        resolved.relative_to(root)
    except ValueError:
        return None, error(link.location, f"'{link.target}' points outside the content folder",
                           "keep linked files inside the content folder")
    if resolved.suffix == ".md":
        if resolved in pages:
            return relative_url(page, pages[resolved]) + suffix, None
        if resolved in all_chapter_files:
            return None, error(link.location, f"'{link.target}' links to a draft chapter",
                               "publish that chapter or remove the link")
        return None, error(link.location, f"'{link.target}' links to a chapter that does not "
                           "exist", "check the section folder and the file name with its number")
    if not resolved.is_file():
        return None, error(link.location, f"'{link.target}': no such file",
                           f"looked for {display_path(target)}")
    relative = PurePosixPath(resolved.relative_to(root).as_posix())
    if any(part.startswith(".") for part in relative.parts):
        return None, error(link.location, f"'{link.target}' is a hidden file",
                           "hidden files are never published")
    output = asset_output_path(relative, section_slugs)
    assets[output] = resolved
    return quote(relative_url(page, output)) + suffix, None

