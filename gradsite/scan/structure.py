"""The block structure of the scanned lines: which admonitions and theorem-like
blocks a line stands in, their headers, and the captions of tables.

A theorem-like block's header becomes ``!!! gsthm<ordinal>x`` and a table's
caption a ``gstable<ordinal>x`` paragraph; the render stage writes their HTML
from what :class:`~gradsite.scan.findings.Findings` recorded of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..diagnostics import Location, did_you_mean, error
from ..model import THEOREM_KINDS, TableCaption, TheoremBlock
from .findings import Findings
from .labels import LABEL, LABEL_HINT

# A theorem-like block's or an admonition's header: !!! theorem "Title" {#label}
THEOREM_HEAD = re.compile(r'^(?P<indent> *)!!! *(?P<kind>[\w-]+)(?P<classes>(?: +[\w-]+)*)'
                          r'(?: +"(?P<title>.*?)")?(?: +\{#(?P<label>[^}\s]*)\})? *$')
# The admonitions the theme styles; every other kind of block is theorem-like or a mistake.
ADMONITION_KINDS = ("note", "tip", "warning", "important", "caution", "danger", "info")
# A table's caption, on the line right above it: Table: Step sizes {#tab-rates}
TABLE_CAPTION = re.compile(r"^(?P<indent> *)Table: *(?P<caption>.*?)"
                           r"(?: +\{#(?P<label>[^}\s]*)\})? *$")


@dataclass
class _OpenBlock:
    """A theorem-like block or an admonition that the scanned lines stand in."""

    indent: int
    ordinal: int  # its place in the chapter's theorem-like blocks; -1 for an admonition
    kind: str
    has_content: bool = False


class BlockStructure:
    """Follows the blocks open at each line, recording headers and captions in ``found``."""

    def __init__(self, found: Findings) -> None:
        self.found = found
        self._open: list[_OpenBlock] = []  # the blocks the current line stands in

    def follow(self, line: str, number: int) -> str:
        """Follow which theorem-like blocks and admonitions are open; a theorem-like
        block's header becomes ``!!! gsthm<ordinal>x`` (the render stage writes its
        head from ``found.theorems``)."""
        if not line.strip():
            return line
        indent = len(line) - len(line.lstrip(" "))
        self.close(indent)
        if self._open:
            self._open[-1].has_content = True
        head = THEOREM_HEAD.match(line) if "!!!" in line else None
        if head is None:
            return line
        found = self.found
        kind, where = head.group("kind"), Location(found.path, number, indent + 1)
        if kind not in THEOREM_KINDS:
            if kind not in ADMONITION_KINDS:
                found.problems.append(error(where, f"unknown kind of block '{kind}'",
                                            did_you_mean(kind, (*THEOREM_KINDS, *ADMONITION_KINDS),
                                                         "kinds")))
            self._open.append(_OpenBlock(indent, -1, kind))
            return line
        label = head.group("label") or ""
        if head.group("label") is not None and not LABEL.match(label):
            found.problems.append(error(where, f"'{label}' is not a label", LABEL_HINT))
            label = ""
        parent = next((block for block in reversed(self._open) if block.ordinal != -1), None)
        if kind in ("hint", "solution") and (parent is None or parent.kind != "exercise"):
            found.problems.append(error(where, f"a {kind} belongs inside an exercise",
                                        f"indent it under a '!!! exercise' block, as its "
                                        f"{'last' if kind == 'solution' else 'first'} part"))
        ordinal = len(found.theorems)
        found.theorems.append(TheoremBlock(kind, head.group("title") or "", label, where,
                                           parent.ordinal if parent is not None else -1))
        self._open.append(_OpenBlock(indent, ordinal, kind))
        return f"{head.group('indent')}!!! gsthm{ordinal}x"

    def table_caption(self, line: str, following: str, number: int) -> str:
        """A ``Table: ...`` line right above a table is its caption: it becomes a
        ``gstable<ordinal>x`` paragraph that the render stage turns into the caption."""
        caption = TABLE_CAPTION.match(line) if "Table:" in line else None
        if caption is None or not following.lstrip().startswith("|"):
            return line
        found = self.found
        label = caption.group("label") or ""
        where = Location(found.path, number, len(caption.group("indent")) + 1)
        if caption.group("label") is not None and not LABEL.match(label):
            found.problems.append(error(where, f"'{label}' is not a label", LABEL_HINT))
            label = ""
        found.tables.append(TableCaption(caption.group("caption").strip(), label, where))
        return f"{caption.group('indent')}gstable{len(found.tables) - 1}x"

    def close(self, indent: int) -> None:
        """Close the blocks a line at ``indent`` is not inside of (-1: all of them)."""
        while self._open and indent <= self._open[-1].indent:
            block = self._open.pop()
            if not block.has_content and block.ordinal != -1:
                self.found.problems.append(error(self.found.theorems[block.ordinal].location,
                                                 f"this {block.kind} block is empty",
                                                 "indent its text by four spaces under the "
                                                 "'!!!' line"))
