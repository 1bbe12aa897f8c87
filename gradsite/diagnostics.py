"""Author-facing problems as values: where they are, what is wrong, how to fix it.

Every stage of the build reports an author's mistake as a :class:`Diagnostic`
instead of raising. Stages collect them and carry on, so one build reports
every problem at once; the pipeline stops at a phase boundary when any error
was found (STYLE.md, practice 2).
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal, TextIO

Severity = Literal["error", "warning"]

# ANSI styles for a terminal (``use_color``): bold red errors, yellow warnings.
_BOLD, _RED, _YELLOW, _CYAN, _GREEN, _RESET = (
    "\033[1m", "\033[1;31m", "\033[1;33m", "\033[36m", "\033[1;32m", "\033[0m"
)


@dataclass(frozen=True, order=True)
class Location:
    """A place in an author's file. ``line`` and ``column`` are 1-based; 0 means unknown."""

    path: str
    line: int = 0
    column: int = 0

    def shifted(self, lines: int) -> Location:
        """The same place, ``lines`` further down (for text embedded in a file)."""
        return Location(self.path, self.line + lines, 0)

    def __str__(self) -> str:
        text = self.path
        if self.line:
            text += f":{self.line}"
            if self.column:
                text += f":{self.column}"
        return text


@dataclass(frozen=True)
class Diagnostic:
    """One problem in a course, with the place it was found and a hint."""

    location: Location
    message: str
    hint: str = ""
    severity: Severity = "error"
    detail: str = ""  # more lines, such as the cell's traceback

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def format(self, source_line: str | None = None, color: bool = False) -> str:
        """Render like a compiler: ``path:line:column: message``, the line, a caret, a hint.

        Plain text names only warnings (``path:line: warning: ...``), as the spec's
        ``file:line: message`` has it; with ``color`` (a terminal), the location is
        bold and a bold red ``error:`` or a yellow ``warning:`` label leads the message.
        """
        if color:
            label = f"{_RED}error:{_RESET} " if self.is_error else f"{_YELLOW}warning:{_RESET} "
            text = f"{_BOLD}{self.location}:{_RESET} {label}{_BOLD}{self.message}{_RESET}"
        else:
            label = "" if self.is_error else "warning: "
            text = f"{self.location}: {label}{self.message}"
        if source_line is not None and source_line.strip():
            shown, before = excerpt(source_line.rstrip("\n"), self.location.column)
            text += f"\n    {shown}"
            if self.location.column:
                caret = f"{_GREEN}^{_RESET}" if color else "^"
                text += "\n    " + " " * len(before) + caret
        if self.detail:
            text += "\n" + "\n".join("    " + line for line in self.detail.splitlines())
        if self.hint:
            hint = f"{_CYAN}hint:{_RESET}" if color else "hint:"
            text += f"\n    {hint} {self.hint}"
        return text


# A source line longer than this is shown cut to the part around the column (a
# paragraph written on one line can run to hundreds of characters).
EXCERPT_WIDTH = 80
EXCERPT_SIDE = 30


def excerpt(line: str, column: int) -> tuple[str, str]:
    """The line as shown under a message, and what is shown before ``column`` (the
    caret goes after it): tabs expanded; a long line cut to ``EXCERPT_SIDE``
    characters either side of the column (its start when the column is unknown),
    with "…" where it was cut."""
    if len(line) <= EXCERPT_WIDTH:
        return line.expandtabs(4), line[: max(column - 1, 0)].expandtabs(4)
    at = min(max(column - 1, 0), len(line))
    start = max(at - EXCERPT_SIDE, 0) if column else 0
    end = min(at + EXCERPT_SIDE, len(line)) if column else 2 * EXCERPT_SIDE
    lead = "…" if start else ""
    shown = lead + line[start:end].expandtabs(4) + ("…" if end < len(line) else "")
    return shown, lead + line[start:at].expandtabs(4)


# How every problem found in a formula's LaTeX begins (after the field it is in):
# a course macro that is broken itself makes every formula fail, and then only the
# macro's problem is reported (check/chapters.py).
INVALID_LATEX = "invalid LaTeX"


def error(location: Location, message: str, hint: str = "", detail: str = "") -> Diagnostic:
    return Diagnostic(location, message, hint, "error", detail)


def warning(location: Location, message: str, hint: str = "") -> Diagnostic:
    return Diagnostic(location, message, hint, "warning")


@dataclass
class Report:
    """Collects diagnostics across the stages of one build (the only mutable log).

    ``strict`` (``--strict``): every warning is recorded as an error, so it stops
    the build at the next phase boundary like any other error.
    """

    diagnostics: list[Diagnostic] = field(default_factory=list)
    strict: bool = False

    def add(self, diagnostic: Diagnostic) -> None:
        if self.strict and not diagnostic.is_error:
            diagnostic = replace(diagnostic, severity="error",
                                 message=f"{diagnostic.message} [--strict]")
        self.diagnostics.append(diagnostic)

    def extend(self, diagnostics: Iterable[Diagnostic]) -> None:
        for diagnostic in diagnostics:
            self.add(diagnostic)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.is_error]

    @property
    def has_errors(self) -> bool:
        return any(d.is_error for d in self.diagnostics)


class BuildFailed(Exception):
    """The course has author errors; the build stops at a phase boundary."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__(f"{len(diagnostics)} problem(s) in the course")
        self.diagnostics = diagnostics


def did_you_mean(word: str, choices: Iterable[str], what: str = "keys") -> str:
    """A hint naming the closest valid choice, or listing the valid ones (``what``
    they are: "keys", "kinds", "question ids", ...)."""
    options = sorted(choices)
    close = closest(word, options)
    if close is not None:
        return f"did you mean '{close}'?"
    return f"valid {what}: " + ", ".join(options)


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The valid choice ``word`` is most likely a typo of (what ``did_you_mean`` names)."""
    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return close[0] if close else None


def format_all(
    diagnostics: Iterable[Diagnostic], base: Path | None = None, color: bool = False
) -> str:
    """Every diagnostic in reading order (files in course order, then by line), each
    with its source line."""
    ordered = sorted(diagnostics, key=reading_order)
    blocks = [d.format(_source_line(d.location, base), color) for d in ordered]
    return "\n".join(blocks)


def reading_order(diagnostic: Diagnostic) -> tuple[object, ...]:
    """A sort key that puts diagnostics in course order: ``course.yml``, then the
    sections by number, each with its ``_section.yml`` and then its chapters by
    number (``2-b`` before ``10-c``), then by line and column.

    Sorting by path text would put chapter 10 between 1 and 2.
    """
    where = diagnostic.location
    parts = tuple(_path_part_order(part) for part in re.split(r"[/\\]", where.path))
    return (parts, where.line, where.column, where.path, diagnostic.message)


def _path_part_order(part: str) -> tuple[int, tuple[tuple[str, int], ...]]:
    """A path part's place: unnumbered names (course.yml, _section.yml) first, then
    numbered ones by their numbers, as numbers."""
    pieces = re.split(r"(\d+)", part)  # text, number, text, number, ..., text
    natural = tuple((pieces[i], int(pieces[i + 1]) if i + 1 < len(pieces) else -1)
                    for i in range(0, len(pieces), 2))
    return (1 if part[:1].isdigit() else 0, natural)


def summary(diagnostics: Iterable[Diagnostic]) -> str:
    """``2 errors, 1 warning``: the count of each kind (an empty string for none)."""
    found = list(diagnostics)
    errors = sum(1 for d in found if d.is_error)
    warnings = len(found) - errors
    parts = [f"{n} {word}{'' if n == 1 else 's'}"
             for n, word in ((errors, "error"), (warnings, "warning")) if n]
    return ", ".join(parts)


def use_color(stream: TextIO) -> bool:
    """Colour for a terminal, unless ``NO_COLOR`` is set (https://no-color.org) or
    the terminal is dumb; ``FORCE_COLOR`` turns it on anywhere."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    try:
        tty = stream.isatty()
    except (AttributeError, ValueError):  # a closed or unusual stream
        return False
    return tty and os.environ.get("TERM") != "dumb"


def _source_line(location: Location, base: Path | None) -> str | None:
    if not location.line:
        return None
    path = Path(location.path)
    if base is not None and not path.is_absolute():
        path = base / path
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    # Lines as load.read_text counts them: str.splitlines would also break at a form
    # feed or a LINE SEPARATOR (U+2028), and show a line that is not the one meant.
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if location.line <= len(lines):
        return lines[location.line - 1]
    return None
