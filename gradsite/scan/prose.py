"""The prose between fenced blocks: math spans, bare display environments, prose
references and escaped dollars are taken out of the text; code spans are kept as
written; link targets are recorded (links.py) on the text with code and math
blanked out.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..diagnostics import Location, error
from ..model import BlockKind
from ..texsource import (
    BEGIN_ENVIRONMENT,
    bare_environment_end,
    bare_environment_problem,
    definitions,
    place_in_file,
)
from .findings import Findings
from .labels import PROSE_REFERENCE
from .links import find_links

# An attribute list right after a display's closing $$, as Quarto labels equations.
_ATTRIBUTE_LABEL = re.compile(r"[ \t]*\{#([^}\s]+)\}")
_SPECIAL = re.compile(r"[\\`$]")


class ProseScanner:
    """Takes the math and the references out of a text's prose, into ``found``.

    ``first_line`` is the line of the whole text's first line; ``first_column``
    the column of its first character (0: unknown); ``whole_lines``: the text's
    lines are lines of the file, so every formula gets its column (see scan_body).
    """

    def __init__(self, found: Findings, first_line: int, first_column: int = 0,
                 whole_lines: bool = True) -> None:
        self.found = found
        self.path = found.path
        self.first_line = first_line
        self.first_column = first_column
        self.whole_lines = whole_lines

    def scan(self, text: str, first_line: int) -> str:
        """Replace math spans and escaped dollars; record link targets."""
        out: list[str] = []
        masked = list(text)  # the text with code and math blanked out, for link finding
        line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

        def line_of(offset: int) -> int:
            lo, hi = 0, len(line_starts) - 1
            while lo < hi:
                mid = (lo + hi + 1) // 2
                if line_starts[mid] <= offset:
                    lo = mid
                else:
                    hi = mid - 1
            return first_line + lo

        def column_of(offset: int) -> int:
            column = offset - text.rfind("\n", 0, offset)
            if self.whole_lines:
                return column
            first = line_of(offset) == self.first_line and self.first_column
            return column + self.first_column - 1 if first else 0

        def blank(begin: int, end: int) -> None:
            for k in range(begin, end):
                if masked[k] != "\n":
                    masked[k] = " "

        i, n = 0, len(text)
        while i < n:
            special = _SPECIAL.search(text, i)
            if special is None:
                out.append(text[i:])
                break
            if special.start() > i:  # plain prose up to the next \\, ` or $
                out.append(text[i : special.start()])
                i = special.start()
            char = text[i]
            if char == "\\" and i + 1 < n:
                nxt = text[i + 1]
                if nxt == "$":
                    out.append("&#36;")
                    i += 2
                    continue
                begin = BEGIN_ENVIRONMENT.match(text, i) if nxt == "b" else None
                end = self._bare_environment(text, begin, line_of, column_of) if begin else -1
                if end >= 0:
                    out.append(self._math("display-math", text[i:end], line_of(i), column_of(i)))
                    blank(i, end)
                    i = end
                    continue
                reference = PROSE_REFERENCE.match(text, i)
                if reference is not None:
                    out.append(self.found.add("ref", reference.group(1),
                                              reference.group(2).strip(),
                                              Location(self.path, line_of(i), column_of(i)),
                                              line_of(i), column=column_of(i)))
                    blank(i, reference.end())
                    i = reference.end()
                    continue
                if nxt in "([":
                    closer = "\\)" if nxt == "(" else "\\]"
                    end = text.find(closer, i + 2)
                    if end < 0:
                        self.found.problems.append(
                            error(Location(self.path, line_of(i)),
                                  f"math opened with \\{nxt} is never closed with {closer}",
                                  "write \\\\ for a literal backslash")
                        )
                        out.append(text[i : i + 2])
                        i += 2
                        continue
                    kind: BlockKind = "math" if nxt == "(" else "display-math"
                    out.append(self._math(kind, text[i + 2 : end], line_of(i), column_of(i + 2)))
                    blank(i, end + 2)
                    i = end + 2
                    continue
                out.append(text[i : i + 2])
                i += 2
                continue
            if char == "`":
                run = len(text) - len(text[i:].lstrip("`"))
                ticks = text[i:run]
                end = _find_code_span_end(text, run, ticks)
                if end < 0:
                    out.append(ticks)
                    i = run
                    continue
                out.append(text[i:end])
                blank(i, end)
                i = end
                continue
            if char == "$":
                if text.startswith("$$", i):
                    end = text.find("$$", i + 2)
                    if end < 0:
                        self.found.problems.append(
                            error(Location(self.path, line_of(i)),
                                  "display math opened with $$ is never closed",
                                  "close it with $$; write \\$ for a literal dollar sign")
                        )
                        out.append("$$")
                        i += 2
                        continue
                    out.append(self._math("display-math", text[i + 2 : end], line_of(i),
                                          column_of(i + 2)))
                    blank(i, end + 2)
                    i = end + 2
                    after = _ATTRIBUTE_LABEL.match(text, i)
                    if after is not None:  # Quarto's label: said, and kept off the page
                        name, brace = after.group(1), i + after.group(0).find("{")
                        self.found.problems.append(error(
                            Location(self.path, line_of(brace), column_of(brace)),
                            f"{{#{name}}} after $$ labels nothing: an equation's label goes "
                            "inside its display",
                            f"write \\label{{{name}}} before the closing $$ (as in LaTeX)"))
                        blank(i, after.end())
                        i = after.end()
                    continue
                end = _find_inline_dollar_end(text, i)
                if end >= 0:
                    out.append(self._math("math", text[i + 1 : end], line_of(i), column_of(i + 1)))
                    blank(i, end + 1)
                    i = end + 1
                    continue
            out.append(char)
            i += 1
        find_links(self.found, "".join(masked), line_of, column_of)
        return "".join(out)

    def _math(self, kind: BlockKind, latex: str, line: int, column: int) -> str:
        for definition in definitions(latex):
            where = Location(self.path, *place_in_file(line, column, latex, definition.offset))
            defined = f"defines \\{definition.name}" if definition.name else "defines a macro"
            self.found.problems.append(error(where, f"{definition.command} {defined} for this "
                                             "formula only", definition.hint))
        return self.found.add(kind, "", latex, Location(self.path, line), line, column=column)

    def _bare_environment(
        self, text: str, begin: re.Match[str], line_of: Callable[[int], int],
        column_of: Callable[[int], int],
    ) -> int:
        """The end of a display environment written outside $$ (texsource.py), or -1
        when ``begin`` starts no math here (an error says why, when it is a mistake)."""
        start = begin.start()
        at_line_start = not text[text.rfind("\n", 0, start) + 1 : start].strip()
        message, hint = bare_environment_problem(begin.group(1), at_line_start)
        end = -1 if message else bare_environment_end(text, begin)
        if not message and end < 0:
            message = f"{begin.group(0)} is never closed with \\end{{{begin.group(1)}}}"
            hint = f"end the formula with \\end{{{begin.group(1)}}}"
        if message:
            where = Location(self.path, line_of(start), column_of(start))
            self.found.problems.append(error(where, message, hint))
        return end


def _find_code_span_end(text: str, start: int, ticks: str) -> int:
    """End offset of a code span whose opening backticks end at ``start``, or -1."""
    pos = start
    while True:
        found = text.find(ticks, pos)
        if found < 0:
            return -1
        # A run of a different length does not close the span (CommonMark).
        after = found + len(ticks)
        if (after < len(text) and text[after] == "`") or text[found - 1] == "`":
            pos = after
            while pos < len(text) and text[pos] == "`":
                pos += 1
            continue
        # A code span does not cross a blank line.
        if "\n\n" in text[start:found]:
            return -1
        return after


def _find_inline_dollar_end(text: str, start: int) -> int:
    """Offset of the ``$`` closing inline math opened at ``start``, or -1.

    Pandoc's rule keeps currency as text: the opening ``$`` is followed by a
    non-space, the closing one follows a non-space and is not followed by a
    digit ("costs $5 and $10" holds no math).
    """
    if start + 1 >= len(text) or text[start + 1].isspace() or text[start + 1] == "$":
        return -1
    pos = start + 1
    while pos < len(text):
        char = text[pos]
        if char == "\\":
            pos += 2
            continue
        if (char == "\n" and text.startswith("\n\n", pos)) or char == "`":
            return -1  # inline math ends in its paragraph and never holds code
        if char == "$":
            before = text[pos - 1]
            after = text[pos + 1] if pos + 1 < len(text) else ""
            if not before.isspace() and not after.isdigit():
                return pos
            return -1  # "$5 and $x$": the first $ was currency, not math
        pos += 1
    return -1
