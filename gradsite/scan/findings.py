"""What a scan finds, collected as it goes: the blocks with their tokens, the link
targets, the theorem-like blocks' headers, the tables' captions and the problems."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..diagnostics import Diagnostic, Location
from ..model import Block, BlockKind, LinkRef, TableCaption, TheoremBlock

# What stands in the text for a block taken out of it, until its HTML is put back.
TOKEN = re.compile(r"gstoken(\d+)x")


def token(index: int) -> str:
    return f"gstoken{index}x"


@dataclass
class Findings:
    """Everything found so far in one text, in the order it was found."""

    path: str
    blocks: list[Block] = field(default_factory=list)
    links: list[LinkRef] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)
    theorems: list[TheoremBlock] = field(default_factory=list)
    tables: list[TableCaption] = field(default_factory=list)

    def add(
        self, kind: BlockKind, lang: str, source: str, location: Location, body_line: int,
        body_indent: int = 0,
        column: int = 0,
    ) -> str:
        """Record a block taken out of the text; the token that stands in its place."""
        index = len(self.blocks)
        self.blocks.append(Block(index, kind, token(index), lang, source, location, body_line,
                                 body_indent, column))
        return token(index)
