"""Where each page and asset of the site lives, and relative URLs between them.

Chapter pages are ``<section-slug>/<chapter-slug>.html`` and every link names
a file (``index.html``, never a bare folder), so the site works from disk
(``file://``) and from any sub-path of a domain.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only: the up-to-date check must not load the model
    from .model import Chapter, Section

# The theme: the repository's templates/, reached through the package's link to
# it, so that an installed wheel, which holds a copy there, finds it too.
DEFAULT_THEME = Path(__file__).resolve().parent / "theme"
HOME_PAGE = "index.html"
NOT_FOUND_PAGE = "404.html"
REVIEW_PAGE = "review.html"  # the questions left to answer, from the reader's progress
PRINT_PAGE = "print.html"  # every chapter on one page, for printing the whole course
ASSET_DIR = "assets"
EXPLORE_SCRIPT_FILE = "explore.js"  # in ASSET_DIR: loaded by pages with explorers
OTHER_FILES_DIR = "files"  # assets outside any section folder
# The course for language models (llmstxt.org): an index at the root, and each
# chapter's Markdown copy at its page's address with ".md" appended.
LLMS_FILE = "llms.txt"


def chapter_page(section: Section, chapter: Chapter) -> str:
    return f"{section.slug}/{chapter.slug}.html"


def markdown_copy_path(page: str) -> str:
    """A chapter's Markdown copy, beside its page: ``chapter.html.md``."""
    return f"{page}.md"


def figure_path(section: Section, chapter: Chapter, number: int, fmt: str) -> str:
    """The ``number``-th figure of a chapter, beside the chapter's page."""
    return f"{section.slug}/figures/{chapter.slug}-{number}.{fmt}"


def functions_script_path(section: Section, chapter: Chapter) -> str:
    """The script that computes a chapter's declared functions in the reader's browser."""
    return f"{section.slug}/figures/{chapter.slug}-functions.js"


def notebook_path(section: Section, chapter: Chapter) -> str:
    """The chapter's Jupyter notebook, beside its page and named like it."""
    return f"{section.slug}/{chapter.slug}.ipynb"


def notebook_script_path(section: Section, chapter: Chapter) -> str:
    """The chapter's notebook as a script that hands it to the page: a page opened
    from disk may not read the notebook's file, nor make the browser save it."""
    return f"{section.slug}/{chapter.slug}.ipynb.js"


def print_anchor(section_number: int, chapter_number: int) -> str:
    """The id of a chapter on the print page (``s1c2``); its own ids follow it and a
    dash (``s1c2-eq-1``), which keeps any two chapters' ids apart (``s1c2-3x`` is not
    ``s1c23-x``)."""
    return f"s{section_number}c{chapter_number}"


def chapter_key(section: Section, chapter: Chapter) -> str:
    """The stable id of a chapter for readers' progress: survives renumbering."""
    return f"{section.slug}/{chapter.slug}"


def asset_output_path(content_relative: PurePosixPath, section_slugs: dict[str, str]) -> str:
    """Where a file next to the chapters is copied: its section folder becomes the slug."""
    parts = content_relative.parts
    if parts and parts[0] in section_slugs:
        return "/".join((section_slugs[parts[0]], *parts[1:]))
    return "/".join((OTHER_FILES_DIR, *parts))


def relative_url(from_page: str, to_path: str) -> str:
    """The relative URL of ``to_path`` as seen from the page ``from_page``.

    Both are normalised paths inside the site (no ``..``, no leading ``/``).
    """
    base = from_page.split("/")[:-1]
    target = to_path.split("/")
    common = 0
    while common < min(len(base), len(target) - 1) and base[common] == target[common]:
        common += 1
    return "/".join([".."] * (len(base) - common) + target[common:])


def root_prefix(page: str) -> str:
    """"" for a page at the top of the site, "../" for one a folder down."""
    depth = page.count("/")
    return "../" * depth
