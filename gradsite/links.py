"""Whole-course link checks: chapter links become page links, assets get copied.

A relative link to another chapter's ``.md`` file is rewritten to that
chapter's page; a relative link or image to any other file next to the
chapters is copied into the site. Missing targets, and targets that leave the
content folder, are errors with the line of the link (spec section 8).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import quote, unquote, urlsplit

from .diagnostics import Diagnostic, error
from .layout import asset_output_path, chapter_page, relative_url
from .load import display_path
from .model import Chapter, Course, LinkRef, ScannedText


@dataclass(frozen=True)
class LinkPlan:
    """Rewritten URLs per chapter page, and the assets to copy (output path -> source)."""

    urls: dict[str, dict[str, str]] = field(default_factory=dict)  # page -> target -> url
    assets: dict[str, Path] = field(default_factory=dict)


def plan_links(
    course: Course, scanned: list[tuple[Chapter, ScannedText]], all_chapter_files: set[Path]
) -> tuple[LinkPlan, list[Diagnostic]]:
    """Check every relative link of every chapter; ``all_chapter_files`` includes drafts."""
    pages = {ch.source: chapter_page(s, ch) for s in course.sections for ch in s.chapters}
    section_slugs = {s.source.name: s.slug for s in course.sections}
    plan = LinkPlan()
    problems: list[Diagnostic] = []
    for chapter, text in scanned:
        page = pages[chapter.source]
        urls: dict[str, str] = {}
        for link in text.links:
            url, problem = _resolve(link, chapter.source, course.root, page, pages,
                                    section_slugs, all_chapter_files, plan.assets)
            if problem is not None:
                problems.append(problem)
            elif url is not None:
                urls[link.target] = url
        plan.urls[page] = urls
    return plan, problems


def _resolve(
    link: LinkRef,
    source: Path,
    root: Path,
    page: str,
    pages: dict[Path, str],
    section_slugs: dict[str, str],
    all_chapter_files: set[Path],
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

