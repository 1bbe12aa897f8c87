"""Scaffolding: ``gradsite new course``, ``new section`` and ``new chapter``.

A new course is a folder that builds at once (starter.py holds its files); it
is made only where nothing is: a new folder, or an empty one. A new section is
a folder ``NN-slug/`` with a ``_section.yml``; a new chapter is ``NN-slug.md``
in a section, with a front matter template that builds as it is
and shows, in YAML comments, how to declare a function, draw it and ask a
question. The number is the next free one, the slug comes from the title, and
nothing that exists is ever overwritten. Problems are diagnostics, like the
build's.
"""

from __future__ import annotations

import json
import subprocess
from importlib import metadata
from pathlib import Path

import yaml

from . import starter
from .diagnostics import Diagnostic, Location, error
from .load import NUMBERED, display_path, slugify

SECTION_TEMPLATE = """\
# This section's title and summary (docs/authoring.md, section 3).
{title}
# summary: One sentence shown under the section title on the course home.
"""

CHAPTER_TEMPLATE = """\
---
# Front matter: YAML between the two '---' lines (docs/authoring.md, section 4).
{title}
# summary: One sentence shown under the title on the course home.
# draft: true                  # leave it out of the site; a build with --drafts shows it
#
# LaTeX in YAML goes in single quotes ('\\frac{{a}}{{b}}') or a block scalar (|):
# in double quotes a backslash starts an escape.
#
# Declared functions: the build checks the gradient, plot blocks draw them,
# cells call them as f(x, y) and grad_f(x, y), answers compute from them.
# functions:
#   f:
#     expr: x**2 + y**2
#     gradient: [2*x, 2*y]         # checked against finite differences
#     domain: [[-3, 3], [-3, 3]]
#     tex: 'x^2 + y^2'
# Their cards open the page, or stand where a ```functions block lists them
# (one name a line; empty: all of them); 'cards: false' hides them.
#
# A plot block in the body draws a declared function, without code:
#   ```plot
#   function: f
#   kind: contour                  # quiver | contour | surface | curve | descent
#   caption: 'Level sets of $f$ with its gradient.'
#   ```
#
# Questions appear at the end of the chapter (or where a ```quiz block names the id):
# quiz:
#   - id: partial-derivative
#     question: 'What is $\\partial f / \\partial x$ at $(1, 2)$?'
#     answer: grad_f(1, 2)[0]      # computed from f at build time
#     tolerance: 0.001
#   - question: Where does the gradient point?
#     choices:
#       - text: Uphill, in the direction of steepest ascent.
#         correct: true
#       - text: Downhill.
#         feedback: Gradient descent steps against the gradient, so it points uphill.
---

Write the chapter here, in Markdown. Math goes between dollars, $f(x) = x^2$,
or on lines of its own:

$$
\\nabla f(x, y) = (2x, 2y)
$$
"""


def new_course(
    folder: Path, title: str = "", requirement: str | None = None
) -> tuple[Path | None, list[Diagnostic]]:
    """Create a course in ``folder`` (new or empty); returns the folder.

    ``title`` defaults to the folder's name; ``requirement`` is the line of
    requirements.txt that installs gradsite (default: ``gradsite_requirement``).
    """
    where = Location(display_path(folder))
    if folder.exists() and not folder.is_dir():
        return None, [error(where, "this is a file, not a folder",
                            "name a new folder for the course")]
    if folder.is_dir() and any(folder.iterdir()):
        return None, [error(where, "the folder is not empty",
                            "a new course is made in a new or empty folder, and nothing "
                            "is ever overwritten: name a new folder")]
    title = title.strip() or _title_from(folder)
    if requirement is None:
        requirement = gradsite_requirement()
    line = starter.REQUIREMENT.format(url=requirement) if requirement \
        else starter.REQUIREMENT_UNKNOWN
    files = {
        "content/course.yml": starter.COURSE_YML.format(title=_title_yaml(title)),
        f"content/{starter.SECTION_FOLDER}/_section.yml": starter.SECTION_YML,
        f"content/{starter.SECTION_FOLDER}/{starter.CHAPTER_FILE}": starter.CHAPTER,
        ".gitignore": starter.GITIGNORE,
        "requirements.txt": starter.REQUIREMENTS.format(line=line),
        ".github/workflows/pages.yml": starter.WORKFLOW,
        "README.md": starter.README.format(title=title),
    }
    try:
        for name, text in files.items():
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            _write_new(path, text)
    except OSError as problem:
        return None, [error(Location(display_path(Path(problem.filename or folder))),
                            f"cannot write the course: {problem.strerror or problem}")]
    return folder, []


def gradsite_requirement() -> str:
    """Where the running gradsite comes from, as pip's ``git+URL@COMMIT``, or "" when
    it is not known: pip's record of a Git install (PEP 610), else the origin of the
    Git checkout it runs from, at its commit when that commit is on a remote branch."""
    try:
        recorded = metadata.distribution("gradsite").read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        recorded = None
    if recorded:
        try:
            url = json.loads(recorded)
        except ValueError:
            url = {}
        vcs = url.get("vcs_info", {}) if isinstance(url, dict) else {}
        if vcs.get("vcs") == "git" and str(url.get("url", "")).startswith("https://"):
            commit = vcs.get("commit_id", "")
            return f"{url['url']}@{commit}" if commit else str(url["url"])
    return checkout_requirement(Path(__file__).resolve().parent.parent)


def checkout_requirement(root: Path) -> str:
    """``URL@COMMIT`` of the Git checkout at ``root`` (its origin, over https), or ""."""
    if not (root / ".git").exists():
        return ""

    def git(*words: str) -> str:
        try:
            done = subprocess.run(["git", "-C", str(root), *words], capture_output=True,
                                  text=True, timeout=10, check=False)
        except (OSError, subprocess.SubprocessError):
            return ""
        return done.stdout.strip() if done.returncode == 0 else ""

    url = _https_url(git("remote", "get-url", "origin"))
    if not url:
        return ""
    commit = git("rev-parse", "HEAD")
    # A commit only this machine has would fail every install from the URL.
    pushed = commit and git("branch", "-r", "--contains", commit)
    return f"{url}@{commit}" if pushed else url


def _https_url(remote: str) -> str:
    """A remote's address as pip reaches it without keys: https, from ``git@host:path``
    too; "" for a local path or another scheme."""
    if remote.startswith("https://"):
        return remote
    if remote.startswith("git@") and ":" in remote:
        host, _, path = remote[4:].partition(":")
        return f"https://{host}/{path}"
    if remote.startswith("ssh://git@"):
        return "https://" + remote[len("ssh://git@"):]
    return ""


def _title_from(folder: Path) -> str:
    """A title from a folder's name: ``my-course`` gives "My course"."""
    words = " ".join(folder.resolve().name.replace("-", " ").replace("_", " ").split())
    return (words[:1].upper() + words[1:]) or "My course"


def new_section(content: Path, title: str) -> tuple[Path | None, list[Diagnostic]]:
    """Create ``content/NN-slug/_section.yml``; returns the new folder."""
    problems = _check_content(content)
    slug, found = _slug(title)
    problems += found
    if problems:
        return None, problems
    taken = _numbered(content, dirs=True)
    problems = _slug_taken(slug, taken, "section", content)
    if problems:
        return None, problems
    folder = content / f"{_next_number(taken)}-{slug}"
    folder.mkdir()  # never exists: the number is new
    _write_new(folder / "_section.yml", SECTION_TEMPLATE.format(title=_title_yaml(title)))
    return folder, []


def new_chapter(
    content: Path, section: str, title: str
) -> tuple[Path | None, list[Diagnostic]]:
    """Create ``NN-slug.md`` in the section named by ``section`` (its folder name,
    slug or number); returns the new file."""
    problems = _check_content(content)
    slug, found = _slug(title)
    problems += found
    if problems:
        return None, problems
    folder, problems = _find_section(content, section)
    if folder is None:
        return None, problems
    taken = _numbered(folder, dirs=False)
    problems = _slug_taken(slug, taken, "chapter", folder)
    if problems:
        return None, problems
    path = folder / f"{_next_number(taken)}-{slug}.md"
    _write_new(path, CHAPTER_TEMPLATE.format(title=_title_yaml(title)))
    return path, []


def _check_content(content: Path) -> list[Diagnostic]:
    if content.is_dir():
        return []
    return [error(Location(display_path(content)), "the content folder does not exist",
                  "run this in the folder that holds content/, or name it with --content")]


def _slug(title: str) -> tuple[str, list[Diagnostic]]:
    slug = slugify(title)
    if not title.strip():
        return "", [error(Location("<title>"), "the title is empty",
                          'give the title in quotes, e.g. "Newton\'s Method"')]
    if not slug:
        return "", [error(Location("<title>"), f"cannot make a file name from '{title}'",
                          "the title needs at least one ASCII letter or digit")]
    return slug, []


def _numbered(folder: Path, dirs: bool) -> list[tuple[int, str, str, Path]]:
    """(number, digits, slug, path) of the numbered sections (or chapter files), drafts
    and broken names included: a new entry must clash with none of them."""
    found = []
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith(("_", ".")) or entry.is_dir() != dirs:
            continue
        name = entry.name if dirs else entry.stem
        if not dirs and entry.suffix != ".md":
            continue
        match = NUMBERED.match(name)
        if match:
            found.append((int(match.group(1)), match.group(1), match.group(2), entry))
    return found


def _next_number(taken: list[tuple[int, str, str, Path]]) -> str:
    """One more than the highest number, as wide as the widest prefix (at least 2 digits)."""
    width = max([2] + [len(digits) for _, digits, _, _ in taken])
    return str(max([0] + [number for number, _, _, _ in taken]) + 1).zfill(width)


def _slug_taken(
    slug: str, taken: list[tuple[int, str, str, Path]], what: str, where: Path
) -> list[Diagnostic]:
    for _, _, other, path in taken:
        if other == slug:
            return [error(Location(display_path(path)),
                          f"a {what} with the slug '{slug}' already exists",
                          f"choose another title: two {what}s of "
                          f"{display_path(where)} may not share a slug")]
    return []


def _find_section(content: Path, ref: str) -> tuple[Path | None, list[Diagnostic]]:
    sections = _numbered(content, dirs=True)
    for number, _, slug, path in sections:
        if ref in (path.name, slug) or (ref.isdigit() and int(ref) == number):
            return path, []
    names = ", ".join(path.name for *_, path in sections) or "none yet"
    hint = f"sections: {names}"
    if not sections:
        hint = 'create one first: gradsite new section "Title"'
    return None, [error(Location(display_path(content)), f"no section '{ref}'",
                        hint + " (name one by its folder, slug or number)")]


def _title_yaml(title: str) -> str:
    """``title: ...`` as YAML, quoted when the title needs it."""
    return yaml.safe_dump({"title": title.strip()}, allow_unicode=True, width=10_000).rstrip("\n")


def _write_new(path: Path, text: str) -> None:
    with path.open("x", encoding="utf-8", newline="\n") as handle:  # "x": never overwrite
        handle.write(text)
