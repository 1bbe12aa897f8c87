"""The numbered environments of a display formula (spec section 9): which of their rows
take a number, and those numbers written into KaTeX's MathML.

``equation``, ``align``, ``alignat`` and ``gather`` number themselves as amsmath
does: every row takes the next equation number, labelled or not, unless it
says ``\\nonumber`` or ``\\notag``; ``\\tag{x}`` shows "(x)" instead (``\\tag*{x}``
"x") and takes no number from the counter; ``\\label{name}`` names the row's
number. Their starred forms number no row, but a ``\\tag`` still shows. A
``$$ ... $$`` without such an environment is numbered only when labelled
(check/labels.py). The numbers are the chapter's equation numbers, shared
with labelled displays: "1.2.3" is the third of Section 1, Chapter 2.

``display_rows`` reads the rows from the LaTeX, as KaTeX splits them: at a
``\\\\`` (or ``\\cr``) of the environment itself, not of a matrix or ``aligned``
inside it; an ``equation`` is one row; a last row left empty by a final ``\\\\``
is no row. ``write_numbers`` fills the number cell that KaTeX leaves empty at
the end of each numbered row, and makes every row of such a table alike (KaTeX
gives an unnumbered row no glue and no number cell, which shifted its columns
by one): a balancing cell, a glue cell, the row's cells, a glue cell, the
number cell. The math CSS (assets.py) spreads the table over the line, so each
number sits at the right margin, on its row's baseline, and the rows keep
their display style. The choice was measured in Chromium: a number placed
outside the formula (as a labelled display's is) cannot follow the height of
each row, and one positioned absolutely runs over a formula too wide for the
line, where a table cell makes the line scroll instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from xml.etree.ElementTree import Element, SubElement

NUMBERING_ENVIRONMENTS = frozenset({"equation", "align", "alignat", "gather"})
# The starred forms: their rows take no number, but may show a \tag.
ROW_ENVIRONMENTS = NUMBERING_ENVIRONMENTS | {f"{name}*" for name in NUMBERING_ENVIRONMENTS}

_COMMAND = re.compile(r"\\([A-Za-z@]+|.)", re.DOTALL)
_SPACE = re.compile(r"\s*")
_ROW_END_OPTIONS = re.compile(r"\s*\*?\s*(?:\[[^\]]*\])?")  # \\* and \\[4pt]: no content
_GLUE = "mtr-glue"  # KaTeX's classes for the cells around a row and for its number
_NUMBER = "mml-eqn-num"
_BALANCE = "mtr-balance"  # ours: a cell as wide as a number, before the row


@dataclass(frozen=True)
class EquationRow:
    """One row of a numbered (or starred) environment of a display."""

    offset: int  # where the row starts in the display's LaTeX
    environment: int = 0  # which of the display's environments it is in, from 0
    numbered: bool = False  # takes the next equation number
    tag: str = ""  # the text of its \tag (shown instead of a number), or ""
    tag_starred: bool = False  # \tag*{x}: shown as "x", without parentheses
    labels: tuple[tuple[str, int], ...] = ()  # (name, offset) of each \label in it
    starred: bool = False  # in align*, gather*, ...: numbered only by a \tag

    @property
    def shows_number(self) -> bool:
        return self.numbered or bool(self.tag)


@dataclass(frozen=True)
class DisplayRows:
    """What numbers a display formula shows, read from its LaTeX."""

    rows: tuple[EquationRow, ...] = ()  # the rows of its environments, in order
    environments: int = 0  # how many numbered or starred environments it has
    outside: tuple[tuple[str, int], ...] = ()  # (name, offset) of each \label outside them


def display_tag(latex: str) -> str:
    """The text of the ``\\tag`` of a display without numbered environments, or ""."""
    found = _TAG.search(latex)
    return found.group(1).strip() if found else ""


_TAG = re.compile(r"\\tag\*?\s*\{([^{}]*)\}")


def display_rows(latex: str) -> DisplayRows:
    """The rows of the environments of ``latex`` that number rows (none: a plain display).

    Unbalanced braces or environments are left to KaTeX to report: what was read
    up to there is returned.
    """
    rows: list[EquationRow] = []
    outside: list[tuple[str, int]] = []
    environments = 0
    stack: list[str] = []  # open environments, innermost last
    depth = 0  # braces open inside the innermost environment
    depths: list[int] = []  # the brace depth each open environment started at
    row: _RowBuilder | None = None
    row_of: str = ""  # the environment whose rows are being read
    rows_start = 0  # its first row's index in ``rows``
    position = 0
    while position < len(latex):
        char = latex[position]
        if char == "%":  # a comment, to the end of its line
            end = latex.find("\n", position)
            position = len(latex) if end < 0 else end + 1
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        if char != "\\":
            if row is not None and not char.isspace():
                row.content = True
            position += 1
            continue
        command = _COMMAND.match(latex, position)
        assert command is not None  # a backslash is followed by something, or ends the text
        name, end = command.group(1), command.end()
        if name in ("begin", "end"):
            argument, after = _argument(latex, end)
            if name == "begin":
                if argument in ROW_ENVIRONMENTS and not stack:
                    row_of, rows_start = argument, len(rows)
                    row = _RowBuilder(after, environments, argument in NUMBERING_ENVIRONMENTS)
                    environments += 1
                elif row is not None:
                    row.content = True
                stack.append(argument)
                depths.append(depth)
            elif stack:
                stack.pop()
                depth = depths.pop()
                if row is not None and not stack:  # the numbering environment ends
                    if row.content or len(rows) == rows_start or row.labels:
                        rows.append(row.finish())
                    row = None
                elif row is not None:
                    row.content = True
            position = after
            continue
        if row is None:
            if name == "label":
                argument, end = _argument(latex, end)
                outside.append((argument.strip(), position))
        elif name in ("\\", "cr") and len(stack) == 1 and depth == depths[0] \
                and row_of.rstrip("*") != "equation":
            rows.append(row.finish())
            end = _ROW_END_OPTIONS.match(latex, end).end()  # type: ignore[union-attr]
            row = _RowBuilder(end, row.environment, row_of in NUMBERING_ENVIRONMENTS)
        elif name in ("nonumber", "notag"):
            row.numbered = False
        elif name == "tag":
            starred = latex.startswith("*", end)
            argument, end = _argument(latex, end + starred)
            row.tag, row.tag_starred = argument.strip(), starred
        elif name == "label":
            argument, end = _argument(latex, end)
            row.labels.append((argument.strip(), position))
        else:
            row.content = True
        position = end
    if row is not None:  # an environment left open: KaTeX reports it
        rows.append(row.finish())
    return DisplayRows(tuple(rows), environments, tuple(outside))


class _RowBuilder:
    def __init__(self, offset: int, environment: int, numbered: bool) -> None:
        self.offset = offset
        self.environment = environment
        self.numbered = numbered
        self.starred = not numbered
        self.tag = ""
        self.tag_starred = False
        self.labels: list[tuple[str, int]] = []
        self.content = False  # anything but labels, tags and spaces

    def finish(self) -> EquationRow:
        return EquationRow(self.offset, self.environment, self.numbered and not self.tag, self.tag,
                           self.tag_starred, tuple(self.labels), self.starred)


def _argument(latex: str, position: int) -> tuple[str, int]:
    """The text of the brace group at ``position`` (after spaces), and where it ends."""
    start = _SPACE.match(latex, position).end()  # type: ignore[union-attr]
    if not latex.startswith("{", start):
        return "", start
    depth, index = 0, start
    while index < len(latex):
        if latex[index] == "\\":
            index += 2
            continue
        if latex[index] == "{":
            depth += 1
        elif latex[index] == "}":
            depth -= 1
            if depth == 0:
                return latex[start + 1 : index], index + 1
        index += 1
    return latex[start + 1 :], len(latex)


# --- numbers into KaTeX's MathML ------------------------------------------------------


def numbered_tables(math: Element) -> list[Element]:
    """The tables of ``math`` with a number cell in a row: one per environment whose
    rows show a number, in the order of the LaTeX."""
    return [table for table in math.iter("mtable")
            if any(_has_number_cell(row) for row in table if row.tag == "mtr")]


def write_numbers(math: Element, rows: tuple[EquationRow, ...],
                  shown: list[tuple[Element | None, str]]) -> None:
    """Fill the number cells of ``math``'s numbered tables, in place.

    ``rows`` are the display's rows (``display_rows``); ``shown`` holds, for each
    row that shows a number, the number's MathML (None: the row shows nothing)
    and the id its row takes ("" for none). Rows are given to tables in order;
    an environment whose rows show no number has no such table and is skipped.
    """
    tables = numbered_tables(math)
    tables.reverse()
    place = 0
    environments: dict[int, list[EquationRow]] = {}
    for row in rows:
        environments.setdefault(row.environment, []).append(row)
    for group in environments.values():
        if not any(row.shows_number for row in group) or not tables:
            place += len(group)
            continue
        table = tables.pop()
        table.set("class", "equation-rows")  # spread over the line by the math CSS
        aligns = table.get("columnalign", "").split()
        table_rows = [row for row in table if row.tag == "mtr"]
        for table_row, row in zip(table_rows, group, strict=False):
            content, anchor = shown[place] if row.shows_number else (None, "")
            _regular_row(table_row, aligns, content, anchor)
            place += 1
        for table_row in table_rows[len(group):]:
            _regular_row(table_row, aligns, None, "")
        place += max(len(group) - len(table_rows), 0)


def _has_number_cell(row: Element) -> bool:
    return any(cell.tag == "mtd" and cell.get("class") == _NUMBER for cell in row)


def _regular_row(row: Element, aligns: list[str], content: Element | None,
                 anchor: str) -> None:
    """A balancing cell, a glue cell, the row's own cells, a glue cell and the number
    cell (the math CSS in assets.py sizes them).

    The own cells take their columns' alignment again (``aligns``, the table's
    columnalign): the glue cell KaTeX put first in a numbered row counted as
    the first column, so its left-hand side was aligned as a right-hand side.
    """
    cells = [cell for cell in row if cell.get("class") not in (_GLUE, _NUMBER, _BALANCE)]
    for column, cell in enumerate(cells):
        align = aligns[min(column, len(aligns) - 1)] if aligns else "center"
        cell.attrib.pop("columnalign", None)
        if align in ("left", "right"):
            cell.attrib = {"columnalign": align, **cell.attrib}
    row[:] = []
    SubElement(row, "mtd", {"class": _BALANCE})
    SubElement(row, "mtd", {"class": _GLUE})
    row.extend(cells)
    SubElement(row, "mtd", {"class": _GLUE})
    number = SubElement(row, "mtd", {"class": _NUMBER})
    if content is not None:
        number.append(content)
    if anchor:
        row.set("id", anchor)
