"""Where in the author's file an expression's offending token stands.

An expression comes from a YAML value whose location (line, column of its
first character) the loader recorded. For a plain, single-line scalar the
text in the file is exactly the expression, so the token's column is the
value's column plus the token's offset. A quoted, folded or multi-line value
has escapes or line breaks between the two, and then the column is left out
(0) rather than guessed. The file's line is read only when an error needs it,
to verify that the value really is plain.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..diagnostics import Location

LineReader = Callable[[int], str | None]


def file_lines(path: Path) -> LineReader:
    """Lines of a file by number (1-based), read on first use; None when unreadable."""
    cache: list[list[str]] = []

    def line(number: int) -> str | None:
        if not cache:
            try:
                text = path.read_text(encoding="utf-8")
                # As load.read_text counts lines (not str.splitlines: U+2028, \f, ...)
                cache.append(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
            except (OSError, UnicodeDecodeError):
                cache.append([])
        lines = cache[0]
        return lines[number - 1] if 0 < number <= len(lines) else None

    return line


def text_lines(text: str, first_line: int) -> LineReader:
    """Lines of text that starts at line ``first_line`` of a file (a fenced block's body)."""
    lines = text.split("\n")

    def line(number: int) -> str | None:
        index = number - first_line
        return lines[index] if 0 <= index < len(lines) else None

    return line


def token_location(where: Location, value: str, offset: int, lines: LineReader) -> Location:
    """The location of character ``offset`` of ``value``, a YAML scalar found at ``where``."""
    if not where.line or not where.column or "\n" in value:
        return Location(where.path, where.line)
    raw = lines(where.line)
    start = where.column - 1
    if raw is None or raw[start : start + len(value)] != value:
        return Location(where.path, where.line)
    return Location(where.path, where.line, where.column + min(offset, len(value)))
