"""The resolve stage: course-wide facts, computed once between check and render.

A chapter is checked on its own; what it shows can depend on the rest of the
course. This stage works those facts out for every chapter at once, and hands
each chapter only the part it uses (:class:`ChapterFacts`), which becomes part
of its render cache key: an edit that changes no fact another chapter uses
re-renders only the edited chapter.

The facts are the course's labels and link targets. Every label is unique in
the course; a reference (``[](#name)``, ``[text](#name)``, ``\\eqref{name}``,
``\\ref{name}``, in prose or in math) gets the page and anchor of its target
and its reference text, "(1.2.3)" or "Figure 1.2.1" (spec section 9). A
reference to a label that does not exist is an error with the closest label;
one to a draft left out of the build says so. A relative link to another
chapter's ``.md`` file is rewritten to that chapter's page; a relative link
or image to any other file next to the chapters is copied into the site.
Missing targets, and targets that leave the content folder, are errors with
the line of the link (spec section 8).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import quote, unquote, urlsplit

from .check import settings_key
from .check.labels import draft_labels
from .diagnostics import Diagnostic, Location, did_you_mean, error
from .fingerprint import canonical, digest
from .i18n import ENGLISH_WORDS, Words
from .layout import asset_output_path, chapter_page, relative_url
from .load import display_path
from .model import Chapter, CheckedChapter, Course, Label, LinkRef, Reference
from .scan.labels import MATH_REFERENCE
from .texsource import place_in_file


@dataclass(frozen=True)
class ChapterFacts:
    """The course-wide facts one chapter's page shows (part of its render cache key)."""

    urls: tuple[tuple[str, str], ...] = ()  # link target as written -> its URL on the page
    references: tuple[Reference, ...] = ()  # every label the chapter refers to, by name
    macros: str = ""  # the course's macro definitions (course.yml), for all its math
    words: Words = ENGLISH_WORDS  # the interface's words, in the course's language


@dataclass(frozen=True)
class CourseFacts:
    """Every chapter's facts, by chapter page, and the files to copy into the site."""

    chapters: dict[str, ChapterFacts] = field(default_factory=dict)
    assets: dict[str, Path] = field(default_factory=dict)  # output path -> source file
    targets: dict[str, tuple[str, Label]] = field(default_factory=dict)  # name -> page, label
    pending: set[str] = field(default_factory=set)  # references known once cells have run

    def of(self, page: str) -> ChapterFacts:
        return self.chapters.get(page, ChapterFacts())


def facts_key(facts: ChapterFacts) -> str:
    """A chapter's facts as part of a cache key. The course's macros and words, the
    same for every chapter, are digested once a build (``settings_key``), not once
    per chapter: the words alone are hundreds of messages."""
    return digest(settings_key(facts.macros, facts.words),
                  canonical((facts.urls, facts.references)))


def resolve_course(
    course: Course, checked: tuple[CheckedChapter, ...], final: bool = True
) -> tuple[CourseFacts, list[Diagnostic]]:
    """The course-wide facts, with a problem for every link whose target is wrong.

    Before the cells have run (``final`` False), a reference to the second figure of
    a labelled cell (``name-2``) is taken on trust and noted in ``pending``: only the
    cell's run says whether it drew one. The pipeline resolves again once it has.
    """
    pages = {ch.source: chapter_page(s, ch) for s in course.sections for ch in s.chapters}
    section_slugs = {s.source.name: s.slug for s in course.sections}
    facts = CourseFacts()
    problems = _collect_targets(checked, pages, facts.targets)
    drafts = {label.name: chapter for chapter in course.drafts
              for label in draft_labels(chapter)}
    drafted = frozenset(_real(chapter.source) for chapter in course.drafts)
    # A chapter that could not be read (its own error says why) may hold the labels
    # and be the page that others name: a failed link or reference would only echo it.
    unread = course.chapter_files - {_real(source) for source in pages} - drafted
    unread_text = _text_of(unread)
    for one in checked:
        page = pages[one.source]
        urls: dict[str, str] = {}
        for link in one.scanned.links:
            if link.target.startswith("#"):
                continue  # a label (below) or an anchor of this page
            url, problem = _resolve(link, one.source, course.root, page, pages,
                                    section_slugs, drafted, unread, facts.assets)
            if problem is not None:
                problems.append(problem)
            elif url is not None:
                urls[link.target] = url
        references, found = _references(one, page, facts.targets, drafts,
                                         None if final else facts.pending, course.info.words,
                                         unread_text)
        problems.extend(found)
        facts.chapters[page] = ChapterFacts(tuple(sorted(urls.items())), references,
                                            course.info.tex_macros, course.info.words)
    return facts, problems


def _real(path: Path) -> Path:
    """``path`` resolved, as ``course.chapter_files`` holds it; as it is when it cannot
    be (a symbolic link loop, reported when the chapter is read)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # RuntimeError: a symbolic link loop (Python < 3.13)
        return path


def _collect_targets(
    checked: tuple[CheckedChapter, ...], pages: dict[Path, str],
    targets: dict[str, tuple[str, Label]],
) -> list[Diagnostic]:
    """Every named label of the course into ``targets``; a second use of a name is an
    error that names the first."""
    problems = []
    for one in checked:
        for label in one.labels:
            if not label.name:
                continue
            if label.name in targets:
                first = targets[label.name][1].location
                problems.append(error(label.location, f"the label '{label.name}' is already "
                                      f"used at {first.path}:{first.line}",
                                      "labels are unique in the whole course: rename one"))
                continue
            targets[label.name] = (pages[one.source], label)
    return problems


def _text_of(unread: frozenset[Path]) -> bytes | None:
    """The bytes of the chapters that could not be read, one after another; None when
    one of them cannot be read at all."""
    try:
        return b"\n".join(path.read_bytes() for path in sorted(unread))
    except OSError:
        return None


def _references(
    one: CheckedChapter, page: str, targets: dict[str, tuple[str, Label]],
    drafts: dict[str, Chapter], pending: set[str] | None, words: Words = ENGLISH_WORDS,
    unread_text: bytes | None = b"",
) -> tuple[tuple[Reference, ...], list[Diagnostic]]:
    """The labels one chapter refers to (their texts in ``words``' language), and a
    problem for each reference that fails. A missing label that a chapter which could
    not be read may define (its name is in ``unread_text``, the bytes of those
    chapters; None: unknown) is not reported: the reference would only echo that
    chapter's own error."""
    wanted: list[tuple[str, bool, Location]] = []  # (name, needs a number, where)
    for link in one.scanned.links:
        if link.target.startswith("#") and not link.is_image:
            name = link.target[1:]
            if name in targets or link.empty:
                wanted.append((name, link.empty, link.location))
    for text, where in _texts_from_yaml(one):
        for written in _TEXT_LINK.finditer(text):
            name, empty = written.group(2), not written.group(1).strip()
            if name in targets or empty:
                wanted.append((name, empty, where))
        wanted += [(match.group(2).strip(), True, where)
                   for match in MATH_REFERENCE.finditer(text)]
    for block in one.scanned.blocks:
        if block.kind == "ref":
            wanted.append((block.source, True, block.location))
        elif block.kind in ("math", "display-math"):
            wanted += [(match.group(2).strip(), True, Location(
                block.location.path, *place_in_file(block.location.line, block.column,
                                                    block.source, match.start())))
                       for match in MATH_REFERENCE.finditer(block.source)]
    found: dict[str, Reference] = {}
    problems: list[Diagnostic] = []
    for name, numbered, where in wanted:
        target = targets.get(name)
        if target is None:
            if pending is not None and _drawn_later(name, targets):
                pending.add(name)
            elif not name or (unread_text is not None and name.encode() not in unread_text):
                problems.append(_unknown_label(name, where, targets, drafts))
            continue
        target_page, label = target
        if numbered and not label.number:
            problems.append(error(where, f"'{name}' has no number to refer to",
                                  "give the cell a caption to number its figure, or write "
                                  f"the link's text: [the code above](#{name})"))
            continue
        url = f"#{name}" if target_page == page else f"{relative_url(page, target_page)}#{name}"
        found[name] = Reference(name, url, label.reference_in(words), label.number)
    return tuple(found[name] for name in sorted(found)), problems


# A link to a label in a caption or a question's text: [](#name), [text](#name).
_TEXT_LINK = re.compile(r"(?<!!)\[([^\]]*)\]\(#([^)\s]+)\)")


def _texts_from_yaml(one: CheckedChapter) -> list[tuple[str, Location]]:
    """Captions and questions' texts: they may refer to labels too."""
    path = one.chapter.display_path
    texts = [(cell.options.caption, Location(path, cell.options.caption_line))
             for cell in one.cells if cell.options.caption]
    texts += [(plot.spec.caption, plot.spec.caption_location)
              for plot in one.plots if plot.spec.caption]
    for question in one.chapter.quiz:
        parts = [question.question, question.explanation]
        parts += [part for choice in question.choices for part in (choice.text, choice.feedback)]
        texts += [(part, question.location) for part in parts if part]
    return texts


_LATER_FIGURE = re.compile(r"(.+)-([2-9]|[1-9]\d+)")


def _drawn_later(name: str, targets: dict[str, tuple[str, Label]]) -> bool:
    """``name`` may be a labelled cell's second (third, ...) figure: ``fig-a-2``."""
    later = _LATER_FIGURE.fullmatch(name)
    base = targets.get(later.group(1)) if later else None
    return base is not None and base[1].kind == "figure" and base[1].block >= 0


def _unknown_label(
    name: str, where: Location, targets: dict[str, tuple[str, Label]],
    drafts: dict[str, Chapter],
) -> Diagnostic:
    if not name:
        return error(where, "this reference names no label",
                     "write the label after the #, as in [](#eq-descent) or \\eqref{eq-descent}")
    if name in drafts:
        return error(where, f"'{name}' is a label of a draft, {drafts[name].display_path}",
                     "publish that chapter (draft: false), build with --drafts, or remove "
                     "the reference")
    return error(where, f"no label '{name}' in the course",
                 did_you_mean(name, sorted(targets), "labels") or
                 "label an equation with \\label{name}, a figure with an id and a caption, "
                 "a block with {#name} after its title")


def _resolve(
    link: LinkRef,
    source: Path,
    root: Path,
    page: str,
    pages: dict[Path, str],
    section_slugs: dict[str, str],
    drafted: frozenset[Path],
    unread: frozenset[Path],
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
        if resolved in drafted:
            return None, error(link.location, f"'{link.target}' links to a draft chapter",
                               "publish that chapter or remove the link")
        if resolved in unread:
            return None, None  # its own error is reported
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

