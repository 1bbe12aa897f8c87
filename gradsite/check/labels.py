"""A chapter's labels and numbers (spec section 9): what references can point at.

Numbered, in the chapter's order, each kind with its own counter, and written
with the chapter's position ("1.2.3" is the third of its kind in Section 1,
Chapter 2): display equations that carry ``\\label{name}``, and every row of
the environments that number themselves (``equation``, ``align``, ``alignat``,
``gather``: see markup/equations.py), labelled or not, as amsmath numbers
them, the counter shared with labelled displays; figures (a cell
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
from ..markup.equations import DisplayRows, display_rows, display_tag
from ..model import (
    NUMBERED_BLOCKS,
    Block,
    Cell,
    Chapter,
    CheckedChapter,
    Label,
    LabelKind,
    Plot,
    PlotSpec,
    ScannedText,
)
from ..scan import scan_body
from ..scan.labels import LABEL, LABEL_COMMAND, LABEL_HINT
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
        if block.kind == "display-math":
            equations = display_rows(block.source)
            if equations.environments:
                for label in environment_labels(block, equations, problems):
                    add(label)
                continue
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
        else:  # a \\tag is the display's number: KaTeX shows it, the counter stays
            tag = display_tag(block.source) if block.kind == "display-math" else ""
            add(Label(names[0], "equation", block.location, tag, block=block.index))
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
                what = "plot" if isinstance(plot.spec, PlotSpec) else "explorer"
                problems.append(error(plot.spec.location, f"the {what}'s id '{plot.spec.id}' "
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
        if label.kind != "anchor" and not label.number:  # a \\tag is a number of its own
            counts[label.kind] = counts.get(label.kind, 0) + 1
            label = replace(label, number=f"{position}.{counts[label.kind]}")
        numbered.append(label)
    return tuple(numbered), problems


def environment_labels(
    block: Block, equations: DisplayRows, problems: list[Diagnostic]
) -> list[Label]:
    """A label for each row of ``block``'s environments that takes a number (named by
    its ``\\label``, or unnamed) and for each labelled ``\\tag``; a \\label that names
    no number is a problem."""
    path, line = block.location.path, block.location.line

    def at(offset: int) -> Location:
        # A column only below the display's first line, whose start is not known here.
        lines = block.source.count("\n", 0, offset)
        column = offset - block.source.rfind("\n", 0, offset) if lines else 0
        return Location(path, line + lines, column)

    labels = []
    for index, row in enumerate(equations.rows):
        names = row.labels
        if len(names) > 1:
            problems.append(error(at(names[1][1]), f"two labels on one row: "
                                  f"{', '.join(repr(name) for name, _ in names)}",
                                  "a row has one number: keep one \\label, or split the row "
                                  "with \\\\"))
        if names and not row.shows_number:
            problems.append(error(at(names[0][1]), f"\\label{{{names[0][0]}}} on a row without "
                                  "a number", _STARRED_HINT if row.starred else _NONUMBER_HINT))
            continue
        name, offset = names[0] if names else ("", row.offset)
        if row.numbered:
            labels.append(Label(name, "equation", at(offset), block=block.index, row=index))
        elif name:  # a \tag names the row: its text is the number, the counter stays
            labels.append(Label(name, "equation", at(offset), row.tag, block.index, row=index))
    for name, offset in equations.outside:
        problems.append(error(at(offset), f"\\label{{{name}}} outside the rows of the "
                              "environment", "put the \\label in the row it names, before "
                              "that row's \\\\ (or before \\end)"))
    return labels


_NONUMBER_HINT = ("the row says \\nonumber or \\notag: remove it to number the row, or "
                  "give the row a \\tag{...}")
_STARRED_HINT = ("a starred environment (align*, gather*, equation*) numbers no row: drop the "
                 "star, or give the row a \\tag{...}")


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
