"""Loading: the only reader of the content folder (spec sections 1 and 2).

``load_course`` reads ``course.yml``, the section folders and their chapter
files, validates every YAML document against its schema, and returns a
:class:`Course` plus every problem found. It reads everything and reports all
problems at once; it never raises for an author's mistake.

Paths never leave the content folder: a chapter, a section folder, a
``_section.yml`` or ``course.yml`` that is a symbolic link to a place outside it
is an error and is not read (else a chapter linked to /etc/passwd would be
published, or its first line shown in an error message).
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import re
import unicodedata
from pathlib import Path
from urllib.parse import urlsplit

from .cache import Cache
from .diagnostics import Diagnostic, Location, error, warning
from .fingerprint import digest, environment_key
from .functions import parse_functions
from .i18n import ENGLISH_WORDS, Words, course_words
from .macros import parse_macros
from .model import Chapter, Course, CourseInfo, Macro, Marks, Section
from .quiz import failed_question_ids, parse_quiz
from .schema import CHAPTER_FIELDS, COURSE_FIELDS, SECTION_FIELDS, check_mapping
from .yamlsrc import load_yaml

NUMBERED = re.compile(r"^(\d+)-(.*)$")
SAFE_SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$")


def display_path(path: Path) -> str:
    """How errors name a file: relative to the working folder when inside it."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


def read_text(path: Path, shown: str) -> tuple[str | None, list[Diagnostic]]:
    """A UTF-8 text file with newlines normalised; a byte-order mark is dropped.
    A file that is not UTF-8, or holds a NUL, is an error."""
    data, problems = _read_bytes(path, shown)
    return (None, problems) if data is None else _decoded(data, shown)


def _read_bytes(path: Path, shown: str) -> tuple[bytes | None, list[Diagnostic]]:
    try:
        return path.read_bytes(), []
    except OSError as exc:
        return None, [error(Location(shown), f"cannot read the file: {exc.strerror}")]


def _decoded(data: bytes, shown: str) -> tuple[str | None, list[Diagnostic]]:
    """A file's bytes as text, as ``read_text`` reads them."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, [
            error(Location(shown, line),
                  f"the file is not valid UTF-8 (byte 0x{data[exc.start]:02x})",
                  "save the file with UTF-8 encoding")
        ]
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    # A NUL is no character of text (a damaged file, or binary data): every later
    # stage, KaTeX's included, may take it as the end of a string.
    nul = text.find("\x00")
    if nul >= 0:
        start = text.rfind("\n", 0, nul) + 1
        return None, [
            error(Location(shown, text.count("\n", 0, nul) + 1, nul - start + 1),
                  "the file holds a NUL character (U+0000), which text never does",
                  "the file is damaged or holds binary data: delete the character "
                  "(editors show it as ^@ or \\0)")
        ]
    return text, []


def load_course(
    root: Path, include_drafts: bool = False, cache: Cache | None = None
) -> tuple[Course | None, list[Diagnostic]]:
    """The course in folder ``root``, and every problem found. Chapters that loaded
    before from the same bytes come from ``cache`` (``load_chapter``)."""
    if not root.is_dir():
        # Named as the user gave it: a path made relative to the working folder
        # (../../nonexistent) is one they never typed.
        what = "is a file, not a folder" if root.exists() else "does not exist"
        return None, [error(Location(str(root)), f"the content folder {what}",
                            "name the folder that holds course.yml with --content")]
    root = root.resolve()
    shown_root = display_path(root)
    problems: list[Diagnostic] = []
    info, found = _load_course_info(root / "course.yml", root)
    problems.extend(found)
    sections: list[Section] = []
    chapter_files: set[Path] = set()
    drafts: list[Chapter] = []
    for number, slug, folder in _numbered(root, dirs=True, problems=problems, root=root):
        section, files, found = _load_section(folder, number, slug, include_drafts, root,
                                              cache)
        problems.extend(found)
        chapter_files.update(files)
        drafts.extend(section.drafts)
        if section.chapters:
            sections.append(section)
    if not any(s.chapters for s in sections) and not any(p.is_error for p in problems):
        problems.append(
            error(Location(shown_root), "the course has no published chapters",
                  "chapters are files like 01-intro/01-welcome.md inside the content folder")
        )
    course = Course(root, shown_root, info, tuple(sections), frozenset(chapter_files),
                    tuple(drafts))
    return course, problems


def _outside(path: Path, root: Path, what: str) -> Diagnostic | None:
    """An error when ``path`` (a symbolic link, or inside one) resolves outside ``root``.

    ``root`` is resolved. A link that cannot be resolved (a loop) passes: reading
    it fails with its own message.
    """
    try:
        path.resolve().relative_to(root)
    except ValueError:
        kind = "folder" if path.is_dir() else "file"
        return error(Location(display_path(path)),
                     f"'{path.name}' points outside the content folder",
                     f"{what} may be a symbolic link only to a {kind} inside the content "
                     f"folder; copy the {kind} into it instead")
    except (OSError, RuntimeError):  # RuntimeError: a symbolic link loop (Python < 3.13)
        pass
    return None


def _numbered(
    folder: Path, dirs: bool, problems: list[Diagnostic], root: Path
) -> list[tuple[int, str, Path]]:
    """The numbered sub-folders (or .md files) of a folder, in order; duplicates reported.

    One that resolves outside ``root`` (a symbolic link) is reported and left out.
    """
    found: list[tuple[int, str, Path]] = []
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        name = entry.name
        if name.startswith(("_", ".")):
            continue
        if entry.is_dir() != dirs or (not dirs and entry.suffix != ".md"):
            problems.extend(_look_alike(entry, top=dirs))
            continue
        if not dirs:
            name = entry.stem
        match = NUMBERED.match(name)
        if not match:
            problems.extend(_look_alike(entry, top=dirs))
            continue
        number, slug = int(match.group(1)), match.group(2)
        outside = _outside(entry, root, "a section" if dirs else "a chapter")
        if outside is not None:
            problems.append(outside)
            continue
        where = Location(display_path(entry))
        if not SAFE_SLUG.match(slug):
            suggestion = slugify(slug) or "name"
            problems.append(
                error(where, f"'{entry.name}': the name after the number must be a URL-safe slug",
                      f"use letters, digits, '-' and '_', e.g. {match.group(1)}-{suggestion}")
            )
            continue
        found.append((number, slug, entry))
    found.sort(key=lambda item: (item[0], item[1]))
    what = "section" if dirs else "chapter"
    for i, (number, slug, entry) in enumerate(found):
        for other_number, other_slug, other in found[:i]:
            if number == other_number or slug == other_slug:
                clash = "number" if number == other_number else "slug"
                problems.append(
                    error(Location(display_path(entry)),
                          f"two {what}s have the same {clash}: '{other.name}' and '{entry.name}'",
                          f"give each {what} its own number and slug")
                )
            elif slug.casefold() == other_slug.casefold():
                # Their pages (or folders) would be one file on macOS and Windows, where
                # names are case-insensitive: one chapter would overwrite the other.
                problems.append(
                    error(Location(display_path(entry)),
                          f"two {what}s have slugs that differ only in case: '{other.name}' "
                          f"and '{entry.name}'",
                          f"give each {what} its own slug: their "
                          f"{'folders' if dirs else 'pages'} would be one on macOS and "
                          "Windows, where file names ignore case")
                )
    return found


# Endings of a Markdown file that is meant as a chapter but is not one (not .md).
_MARKDOWN_ENDINGS = (".md", ".markdown", ".mdown", ".mkd", ".mkdn")


def _look_alike(entry: Path, top: bool) -> list[Diagnostic]:
    """A warning for an entry that looks like a chapter or a section but is not one,
    and so would be left out without a word: its name starts with a digit, and it
    is (or, for a folder, holds) a Markdown file.

    ``top``: ``entry`` is in the content folder, where sections are (else in a
    section folder, where chapters are).
    """
    name = entry.name
    if not name[:1].isdigit():
        return []
    where = Location(display_path(entry))
    if entry.is_dir():
        if name.lower().endswith(_MARKDOWN_ENDINGS):
            return [warning(where, f"'{name}' is not a chapter: it is a folder",
                            "a chapter is a file named NN-slug.md")]
        if not _holds_markdown(entry):
            return []  # a folder of images or data, say
        if top:
            return [warning(where, f"'{name}' is not a section: section folders are named "
                            f"NN-slug, such as {_numbered_name(name)}",
                            "its chapters are left out of the course until it is renamed")]
        return [warning(where, f"'{name}' is not a section: sections cannot be nested",
                        "section folders are in the content folder itself; move this one "
                        "there (or its chapters into this section): its chapters are left "
                        "out of the course")]
    stem, ending = os.path.splitext(name)
    if ending.lower() not in _MARKDOWN_ENDINGS:
        return []
    if top:
        return [warning(where, f"'{name}' is not a chapter: chapters are in section folders",
                        f"move it into a section folder, such as 01-basics/"
                        f"{_numbered_name(stem)}.md")]
    if NUMBERED.match(stem):
        lowercase = " (lowercase)" if ending.lower() == ".md" else ""
        return [warning(where, f"'{name}' is not a chapter: chapter files end in "
                        f".md{lowercase}", f"rename it {stem}.md")]
    return [warning(where, f"'{name}' is not a chapter: chapter files are named NN-slug.md, "
                    f"such as {_numbered_name(stem)}.md",
                    "it is left out of the course until it is renamed")]


def _unnumbered_only(folder: Path) -> list[Diagnostic]:
    """A warning for a section folder whose Markdown files are all unnumbered
    (``notes.md``): the section has no chapters and is left out of the course."""
    names = sorted(p.name for p in folder.iterdir()
                   if p.suffix.lower() == ".md" and not p.name.startswith(("_", "."))
                   and not p.name[:1].isdigit() and p.is_file())
    if not names:
        return []
    listed = ", ".join(f"'{name}'" for name in names[:3]) + (", ..." if len(names) > 3 else "")
    sample = next((name for name in names if name.lower() != "readme.md"), names[0])
    return [warning(Location(display_path(folder)),
                    f"section '{folder.name}' has no chapters and is left out of the course: "
                    f"{listed} {'is' if len(names) == 1 else 'are'} not numbered",
                    f"chapter files are named NN-slug.md, such as "
                    f"01-{slugify(Path(sample).stem) or 'name'}.md")]


def _holds_markdown(folder: Path) -> bool:
    try:
        return any(p.name.lower().endswith(_MARKDOWN_ENDINGS) for p in folder.iterdir())
    except OSError:
        return False


def _numbered_name(name: str) -> str:
    """``01 My Chapter`` -> ``01-my-chapter``: the number prefix and a slug."""
    number = re.match(r"\d+", name)
    digits = number.group(0) if number else "01"
    return f"{digits}-{slugify(name[len(digits):]) or 'name'}"


def _load_course_info(path: Path, root: Path) -> tuple[CourseInfo, list[Diagnostic]]:
    """course.yml's keys; with errors (reported), a stand-in that lets `check` go on
    to report the chapters' problems too (a build stops on the errors before using it)."""
    shown = display_path(path)
    if not path.is_file():
        what = "is a folder, not a file" if path.exists() else "is missing"
        return _stand_in(), [error(Location(shown), f"course.yml {what}",
                                   "create it with at least a title: 'title: My Course'")]
    outside = _outside(path, root, "course.yml")
    if outside is not None:
        return _stand_in(), [outside]
    text, problems = read_text(path, shown)
    if text is None:
        return _stand_in(), problems
    doc, problems = load_yaml(text, shown)
    if doc is None:
        return _stand_in(), problems
    value = doc.value if doc.value is not None else {}
    fields, found = check_mapping(value, COURSE_FIELDS, doc.marks, "", "course.yml")
    problems.extend(found)
    for key in ("base_url", "feedback_url"):
        url = fields.get(key)
        if url is not None:
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                problems.append(error(doc.marks.at(key), f"{key}: '{url}' is not an absolute URL",
                                      "write it like https://example.org/course/"))
    language = fields.get("language", "en")
    if not LANGUAGE_TAG.match(language):
        problems.append(error(doc.marks.at("language"),
                              f"language: '{language}' is not a language tag",
                              "use a BCP 47 tag such as en, de or pt-BR"))
    macros, found = parse_macros(fields.get("macros"), doc.marks)
    problems.extend(found)
    # A tag that is no tag was reported: its words are English, with no second message.
    words, found = course_words(language if LANGUAGE_TAG.match(language) else "en",
                                fields.get("strings"), doc.marks.at("language"),
                                lambda key: doc.marks.key_at(f"strings.{key}"),
                                lambda key: doc.marks.at(f"strings.{key}"))
    problems.extend(found)
    image, found = _course_image(fields.get("image"), root, doc.marks, "base_url" in fields)
    problems.extend(p for p in found if p.is_error)
    if "title" not in fields or any(p.is_error for p in problems):
        # The stand-in keeps the macros and the words that were read: without them,
        # every formula that uses a macro would be reported too.
        return _stand_in(macros, words), problems
    problems.extend(p for p in found if not p.is_error)
    base_url = fields.get("base_url", "")
    if base_url and not base_url.endswith("/"):
        base_url += "/"
    info = CourseInfo(
        title=fields["title"],
        description=fields.get("description", ""),
        language=language,
        author=fields.get("author", ""),
        base_url=base_url,
        feedback_url=fields.get("feedback_url", ""),
        description_location=(doc.marks.texts.get("description")
                              or _text_start(doc.marks.at("description"), text)),
        marks=doc.marks,
        macros=macros,
        words=words,
        image=image,
    )
    return info, problems


def _stand_in(macros: tuple[Macro, ...] = (), words: Words = ENGLISH_WORDS) -> CourseInfo:
    return CourseInfo(title="", description="", language="en", author="", base_url="",
                      feedback_url="", macros=macros, words=words)


# The image types that link previews show, and how each file starts.
_IMAGE_TYPES = {".png": ("PNG", (b"\x89PNG\r\n\x1a\n",)),
                ".jpg": ("JPEG", (b"\xff\xd8\xff",)), ".jpeg": ("JPEG", (b"\xff\xd8\xff",)),
                ".gif": ("GIF", (b"GIF87a", b"GIF89a")), ".webp": ("WebP", (b"RIFF",))}
_IMAGE_HINT = "write the path of a PNG or JPEG from the content folder, e.g. images/preview.png"


def _course_image(
    value: str | None, root: Path, marks: Marks, has_base_url: bool
) -> tuple[str, list[Diagnostic]]:
    """course.yml's ``image``: its path in the content folder ("" without one), and
    the problems with it. It must be an image file of a type link previews show,
    inside the content folder; without ``base_url`` it is not named by the pages
    (a preview needs an absolute address), which is a warning."""
    if value is None:
        return "", []
    where = marks.at("image")
    written = value.strip()
    if urlsplit(written).scheme or written.startswith(("/", "\\")) or not written:
        return "", [error(where, f"image: '{value}' is not a path in the content folder",
                          _IMAGE_HINT)]
    path = root / written
    outside = _outside(path, root, "image")
    if outside is not None or posixpath.normpath(written).startswith("../"):
        return "", [error(where, f"image: '{written}' is outside the content folder",
                          "copy the image into the content folder and write its path from "
                          "there")]
    if not path.is_file():
        what = "is a folder" if path.exists() else "does not exist"
        return "", [error(where, f"image: '{written}' {what}",
                          "the path is read from the content folder, where course.yml is")]
    suffix = path.suffix.lower()
    if suffix == ".svg":
        return "", [error(where, f"image: '{written}' is an SVG, which link previews do not "
                          "show", "use a PNG or JPEG (1200 by 630 pixels suits most sites)")]
    if suffix not in _IMAGE_TYPES:
        return "", [error(where, f"image: '{written}' is not a PNG, JPEG, GIF or WebP image",
                          _IMAGE_HINT)]
    kind, starts = _IMAGE_TYPES[suffix]
    try:
        with path.open("rb") as file:
            head = file.read(12)
    except OSError as exc:
        return "", [error(where, f"image: cannot read '{written}': {exc.strerror}")]
    if not head.startswith(starts) or (kind == "WebP" and head[8:12] != b"WEBP"):
        return "", [error(where, f"image: '{written}' is not a {kind} file, as its name says",
                          f"save it as {kind} again, or give it the ending of its type")]
    found = []
    if not has_base_url:
        found.append(warning(where, "image: link previews need the image's absolute address, "
                             "and course.yml has no base_url",
                             "add base_url, the address of the published site; until then "
                             "no page names the image"))
    return posixpath.normpath(written), found


def _text_start(where: Location, text: str) -> Location:
    """Where a text value's first line is: after the indicator of a | or > block."""
    lines = text.split("\n")
    if 0 < where.line <= len(lines):
        rest = lines[where.line - 1][max(where.column - 1, 0):].strip()
        if rest[:1] in ("|", ">"):
            return Location(where.path, where.line + 1)
    return Location(where.path, where.line)


def _load_section(
    folder: Path, number: int, slug: str, include_drafts: bool, root: Path,
    cache: Cache | None,
) -> tuple[Section, list[Path], list[Diagnostic]]:
    """The section in ``folder``, and the files of all its chapters (drafts and those
    that failed to load too, so that a link to one gets its own message)."""
    problems: list[Diagnostic] = []
    title = " ".join(w.capitalize() for w in re.split(r"[-_]+", slug) if w)
    summary = ""
    meta = folder / "_section.yml"
    marks = Marks(Location(display_path(meta)))
    outside = _outside(meta, root, "_section.yml") if meta.is_file() else None
    if outside is not None:
        problems.append(outside)
    elif meta.is_file():
        shown = display_path(meta)
        text, found = read_text(meta, shown)
        problems.extend(found)
        doc = None
        if text is not None:
            doc, found = load_yaml(text, shown)
            problems.extend(found)
        if doc is not None and doc.value is not None:
            fields, found = check_mapping(doc.value, SECTION_FIELDS, doc.marks, "", "_section.yml")
            problems.extend(found)
            title = fields.get("title", title)
            summary = fields.get("summary", "")
            marks = doc.marks
    chapters: list[Chapter] = []
    drafts: list[Chapter] = []
    numbered = _numbered(folder, dirs=False, problems=problems, root=root)
    if not numbered:
        problems.extend(_unnumbered_only(folder))
    for ch_number, ch_slug, path in numbered:
        chapter, found = load_chapter(path, ch_number, ch_slug, cache)
        problems.extend(found)
        if chapter is not None and (include_drafts or not chapter.draft):
            chapters.append(chapter)
        elif chapter is not None:
            drafts.append(chapter)
    section = Section(folder, display_path(folder), number, slug, title, summary,
                      tuple(chapters), marks, tuple(drafts))
    return section, [_resolved(path) for _, _, path in numbered], problems


def _resolved(path: Path) -> Path:
    """``path`` resolved; as it is when it cannot be (a symbolic link loop, reported
    when the chapter is read)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # RuntimeError: a symbolic link loop (Python < 3.13)
        return path


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """``(front matter, body, first body line)``, or None when the file has none."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return None
    for i in range(1, len(lines)):
        if lines[i].rstrip() in ("---", "..."):
            return "\n".join(lines[1:i]), "\n".join(lines[i + 1 :]), i + 2
    return None


def load_chapter(
    path: Path, number: int, slug: str, cache: Cache | None = None
) -> tuple[Chapter | None, list[Diagnostic]]:
    """The chapter in file ``path``, numbered ``number``. A chapter that loaded
    without a problem is kept in ``cache``, under a key of its file's bytes and
    place: a rebuild reads an unchanged file's bytes but not its YAML."""
    shown = display_path(path)
    data, problems = _read_bytes(path, shown)
    if data is None:
        return None, problems
    source_key = digest(environment_key(), "chapter-file", str(path), shown, str(number), slug,
                        hashlib.sha256(data).hexdigest())
    cache = cache or Cache(None)
    kept = cache.get(source_key)
    if isinstance(kept, Chapter):
        return kept, []
    chapter, problems = _parsed_chapter(data, path, shown, number, slug, source_key)
    if chapter is not None and not problems:
        cache.put(source_key, chapter)
    return chapter, problems


def _parsed_chapter(
    data: bytes, path: Path, shown: str, number: int, slug: str, source_key: str
) -> tuple[Chapter | None, list[Diagnostic]]:
    text, problems = _decoded(data, shown)
    if text is None:
        return None, problems
    parts = split_front_matter(text)
    if parts is None:
        if text.startswith("---"):
            message = "the front matter is not closed: add a line '---' after it"
        else:
            message = "the chapter has no front matter"
        return None, [
            error(Location(shown, 1), message,
                  "a chapter starts with a YAML block between two '---' lines, "
                  "holding at least 'title: ...'")
        ]
    front, body, body_line = parts
    doc, problems = load_yaml(front, shown, first_line=2)
    if doc is None:
        return None, problems
    marks = doc.marks
    if doc.value is None:
        marks = Marks(Location(shown, 1))
    fields, found = check_mapping(
        doc.value if doc.value is not None else {}, CHAPTER_FIELDS, marks, "", "front matter"
    )
    problems.extend(found)
    functions, found = parse_functions(fields.get("functions"), marks)
    problems.extend(found)
    declared = fields.get("functions")
    names = frozenset(map(str, declared)) if isinstance(declared, dict) else frozenset()
    quiz, found = parse_quiz(fields.get("quiz"), marks, names)
    problems.extend(found)
    if "title" not in fields:
        return None, problems
    chapter = Chapter(
        source=path,
        display_path=shown,
        number=number,
        slug=slug,
        title=fields["title"],
        summary=fields.get("summary", ""),
        draft=fields.get("draft", False),
        functions=functions,
        quiz=quiz,
        body=body,
        body_line=body_line,
        marks=marks,
        declared_functions=tuple(map(str, declared)) if isinstance(declared, dict) else (),
        failed_questions=failed_question_ids(fields.get("quiz"), quiz),
        cards=fields.get("cards", True),
        source_key=source_key,
    )
    return chapter, problems


MAX_SLUG = 60


def slugify(title: str) -> str:
    """``"Newton's Method, Part 2"`` -> ``newtons-method-part-2``: ASCII, lowercase, dashes."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower().replace("'", "")).strip("-")
    if len(slug) > MAX_SLUG:
        slug = slug[:MAX_SLUG].rsplit("-", 1)[0]
    return slug
