"""A chapter's labels and numbers (spec section 9): what references can point at.

Numbered, in the chapter's order, each kind with its own counter, and written
with the chapter's position ("1.2.3" is the third of its kind in Section 1,
Chapter 2): display equations that carry ``\\label{name}``; figures (a cell
with ``#| id:`` and a caption, a plot block with ``id:`` and a caption, an
image with a title and ``{#name}``); theorem-like blocks, named or not. A
cell's id without a caption is an anchor: a link may go there, but it has no
number. Labels are checked for uniqueness across the course by the resolve
stage, which sees every chapter.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from types import MappingProxyType
from typing import cast

from ..diagnostics import Diagnostic, Location, error
from ..fences import LABEL, LABEL_COMMAND, LABEL_HINT, scan_body
from ..model import (
    NUMBERED_BLOCKS,
    Cell,
    Chapter,
    CheckedChapter,
    Label,
    LabelKind,
    Plot,
    ScannedText,
)
from .cells import parse_cell


def label_commands(latex: str) -> list[str]:
    """The names of every ``\\label{...}`` in a formula."""
    return [name.strip() for name in LABEL_COMMAND.findall(latex)]


def chapter_labels(
    scanned: ScannedText, cells: tuple[Cell, ...], plots: tuple[Plot, ...], position: str,
    figure_counts: Mapping[int, int] = MappingProxyType({}),
) -> tuple[tuple[Label, ...], list[Diagnostic]]:
    """Every label of a chapter, numbered; ``position`` is the chapter's, "1.2".

    A labelled cell with a caption is one figure until it has run: ``figure_counts``
    (by the cell's block index) says how many it drew once it has. A cell that drew
    two numbers both, ``name`` and ``name-2``; one that drew none is an anchor.
    """
    found: list[tuple[int, int, Label]] = []  # (line, order found, label) to sort by place
    problems: list[Diagnostic] = []

    def add(label: Label) -> None:
        if label.name and not LABEL.match(label.name):
            problems.append(error(label.location, f"'{label.name}' is not a label", LABEL_HINT))
            return
        found.append((label.location.line, len(found), label))

    for block in scanned.blocks:
        names = label_commands(block.source) if block.kind in ("math", "display-math") else []
        if not names:
            continue
        if block.kind == "math":
            problems.append(error(block.location, f"\\label{{{names[0]}}} in inline math",
                                  "only a display equation ($$ ... $$) is numbered"))
        elif len(names) > 1:
            problems.append(error(block.location, f"two labels on one display: "
                                  f"{', '.join(repr(n) for n in names)}",
                                  "a display has one number: keep one \\label, or split it "
                                  "into two displays"))
        else:
            add(Label(names[0], "equation", block.location, block=block.index))
    for cell in cells:
        options = cell.options
        if options.id:
            where = Location(cell.block.location.path, options.id_line)
            drawn = figure_counts.get(cell.block.index, 1)
            if not options.caption or drawn == 0:
                add(Label(options.id, "anchor", where, block=cell.block.index))
                continue
            for figure in range(1, drawn + 1):
                name = options.id if figure == 1 else f"{options.id}-{figure}"
                add(Label(name, "figure", where, block=cell.block.index, figure=figure))
    for plot in plots:
        if plot.spec.id:
            if not plot.spec.caption:
                problems.append(error(plot.spec.location, f"the plot's id '{plot.spec.id}' "
                                      "names a figure without a caption",
                                      "a figure is numbered by its caption: add 'caption: ...'"))
                continue
            add(Label(plot.spec.id, "figure", plot.spec.location, block=plot.index))
    for link in scanned.links:
        if link.is_image and link.label:
            if not link.title:
                problems.append(error(link.location, f"the image labelled '{link.label}' has "
                                      "no caption",
                                      'a figure is numbered by its caption: write it as the '
                                      'image\'s title, ![alt](file.png "Caption"){#name}'))
                continue
            add(Label(link.label, "figure", link.location))
    for ordinal, table in enumerate(scanned.tables):
        if table.label:
            add(Label(table.label, "table", table.location, ordinal=ordinal))
    for ordinal, theorem in enumerate(scanned.theorems):
        if theorem.kind in NUMBERED_BLOCKS:
            add(Label(theorem.label, cast(LabelKind, theorem.kind), theorem.location,
                      ordinal=ordinal))
        elif theorem.label:
            add(Label(theorem.label, "anchor", theorem.location, ordinal=ordinal))
    counts: dict[str, int] = {}
    numbered = []
    for _, _, label in sorted(found, key=lambda item: (item[0], item[1])):
        if label.kind != "anchor":
            counts[label.kind] = counts.get(label.kind, 0) + 1
            label = replace(label, number=f"{position}.{counts[label.kind]}")
        numbered.append(label)
    return tuple(numbered), problems


def with_figure_counts(checked: CheckedChapter, counts: Mapping[int, int]) -> CheckedChapter:
    """``checked`` numbered again now that its cells have run: ``counts`` is how many
    figures each labelled cell drew (unchanged when every one drew one)."""
    if all(count == 1 for count in counts.values()):
        return checked
    labels, _ = chapter_labels(checked.scanned, checked.cells, checked.plots, checked.position,
                               counts)
    return replace(checked, labels=labels)


def draft_labels(chapter: Chapter) -> tuple[Label, ...]:
    """The labels of a draft left out of the build, unnumbered: enough to tell a
    reference to it from a mistyped one. Its problems are not reported."""
    scanned, _ = scan_body(chapter.body, Location(chapter.display_path, chapter.body_line))
    cells = tuple(parse_cell(block)[0] for block in scanned.blocks if block.kind == "cell")
    labels, _ = chapter_labels(scanned, cells, (), "")
    return tuple(label for label in labels if label.name)
