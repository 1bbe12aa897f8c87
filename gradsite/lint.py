"""Warnings: things that build fine but that a reader would miss.

A figure without alt text or a caption, a declared function that nothing uses,
a chapter without questions. They are printed as ``path:line: warning: ...``
and never fail a build, unless ``--strict`` turns them into errors. Like every
check, they are values (``Diagnostic``), found on data the stages already made:
the chapters, their cells and plots, and which cells drew figures.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from .diagnostics import Diagnostic, Location, warning
from .model import CheckedChapter, PlotSpec

# A cell whose outputs are unknown (``check`` runs nothing) is taken for a figure
# cell when its code calls a drawing function of matplotlib.
_DRAWS = re.compile(r"\b(?:plt|pyplot|ax\w*|fig\w*)\s*\.\s*\w+\s*\(")


def course_warnings(
    works: Iterable[CheckedChapter], drawn: Mapping[Path, frozenset[int]] | None = None
) -> list[Diagnostic]:
    """Every warning about the course's chapters.

    ``drawn`` maps a chapter file to the block indexes of the cells that drew a
    figure (known after execution); without an entry, a cell's code is read to
    guess whether it draws.
    """
    found: list[Diagnostic] = []
    for work in works:
        chapter_drawn = None if drawn is None else drawn.get(work.chapter.source)
        found.extend(_figure_warnings(work, chapter_drawn))
        found.extend(_unused_functions(work))
        found.extend(_questions(work))
    return found


def draws_figure(code: str) -> bool:
    """A guess from the code alone: does this cell draw with matplotlib?"""
    return bool(_DRAWS.search(code))


def _figure_warnings(work: CheckedChapter, drawn: frozenset[int] | None) -> list[Diagnostic]:
    path = work.chapter.display_path
    found: list[Diagnostic] = []
    for cell in work.cells:
        options = cell.options
        if not options.output:
            continue
        figure = cell.block.index in drawn if drawn is not None else draws_figure(cell.code)
        if not figure:
            continue
        where = cell.block.location
        # An option whose value failed has its error already: it is not also missing.
        if not options.alt and not options.caption and not {"alt", "caption"} & options.failed:
            found.append(warning(where, "this cell's figure has no alt text",
                                 "add '#| alt: ...' describing what the figure shows, for "
                                 "readers who cannot see it"))
        if not options.caption and "caption" not in options.failed:
            found.append(warning(where, "this cell's figure has no caption",
                                 "add '#| caption: ...' (Markdown with math)"))
    for plot in work.plots:
        if not plot.spec.caption:
            block = "plot" if isinstance(plot.spec, PlotSpec) else "explore"
            what = "plot" if block == "plot" else "explorer"
            found.append(warning(Location(path, plot.line), f"this {what} has no caption",
                                 f"add 'caption: ...' to the {block} block"))
    return found


def _unused_functions(work: CheckedChapter) -> list[Diagnostic]:
    """Declared functions named nowhere: not in the body (prose, cells, plot blocks),
    not in a question or an answer. A word search; ``grad_f`` counts as using ``f``."""
    chapter = work.chapter
    if not chapter.functions:
        return []
    texts = [chapter.body]
    for question in chapter.quiz:
        texts += [question.question, question.explanation, str(question.answer or "")]
        texts += [part for c in question.choices for part in (c.text, c.feedback)]
    words = set(re.findall(r"[A-Za-z_]\w*", "\n".join(texts)))
    found = []
    for decl in chapter.functions:
        if decl.name not in work.functions:
            continue  # its declaration has errors: fixing them comes first
        if decl.name not in words and f"grad_{decl.name}" not in words:
            found.append(warning(decl.location, f"function '{decl.name}' is declared but never "
                                 "used",
                                 "use it in a plot block, a cell, a question's answer or the "
                                 "text, or remove it from 'functions'"))
    return found


def _questions(work: CheckedChapter) -> list[Diagnostic]:
    chapter = work.chapter
    if chapter.quiz or "quiz[0]" in chapter.marks.by_path:
        return []  # questions, or questions with errors (reported): not "no questions"
    return [warning(chapter.marks.key_at("title"), "this chapter has no questions",
                    "add a 'quiz:' list to the front matter, so readers can check what they "
                    "learnt")]
