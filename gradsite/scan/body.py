"""The scan's entry point: a text's lines, split into fenced blocks and the prose
between them, with the block structure followed line by line."""

from __future__ import annotations

import re

from ..diagnostics import Diagnostic, Location
from ..model import ScannedText
from .fences import FENCE_OPEN, fenced_block
from .findings import Findings
from .prose import ProseScanner
from .structure import BlockStructure

# A table caption's marker (structure.py) needs a blank line below it to be a paragraph
# of its own. It is added once the prose is scanned, so that the scan counts the
# file's own lines: where it was added before, every later line was reported one low.
_CAPTION_MARKER = re.compile(r"^( *gstable\d+x)$", re.MULTILINE)


def scan_body(
    body: str, start: Location, whole_lines: bool = True
) -> tuple[ScannedText, list[Diagnostic]]:
    """Find blocks, math and links in Markdown whose first line is at ``start``.

    ``whole_lines``: the text's lines are lines of the file (a chapter body), so every
    formula gets its column; else (a YAML value) only the first line's formulas do,
    and only when ``start`` has the column of the text's first character.
    """
    found = Findings(start.path)
    first_line = max(start.line, 1)
    prose = ProseScanner(found, first_line, start.column if not whole_lines else 0, whole_lines)
    text = _scan_lines(body.split("\n"), first_line, found, prose)
    scanned = ScannedText(text, tuple(found.blocks), tuple(found.links),
                          tuple(found.theorems), tuple(found.tables))
    return scanned, found.problems


def _scan_lines(lines: list[str], first_line: int, found: Findings, prose: ProseScanner) -> str:
    """The text with every block, formula and reference replaced by its token."""
    structure = BlockStructure(found)
    out: list[str] = []
    prose_lines: list[str] = []  # since the last fenced block
    prose_start = first_line
    i = 0
    while i < len(lines):
        match = FENCE_OPEN.match(lines[i])
        if not match:
            line = structure.follow(lines[i], first_line + i)
            following = lines[i + 1] if i + 1 < len(lines) else ""
            prose_lines.append(structure.table_caption(line, following, first_line + i))
            i += 1
            continue
        structure.follow(lines[i], first_line + i)
        out.append(_scanned(prose, prose_lines, prose_start))
        prose_lines = []
        i = fenced_block(found, lines, i, match, first_line, out)
        prose_start = first_line + i
    out.append(_scanned(prose, prose_lines, prose_start))
    structure.close(-1)
    return "\n".join(out)


def _scanned(prose: ProseScanner, lines: list[str], first_line: int) -> str:
    scanned = prose.scan("\n".join(lines), first_line)
    return _CAPTION_MARKER.sub(r"\1\n", scanned) if "gstable" in scanned else scanned
