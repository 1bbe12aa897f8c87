"""A whole chapter body to HTML: math, code, cells, questions, then Markdown.

``render_chapter`` is pure: the same ``ChapterInputs`` give the same HTML, so
the pipeline caches its result under a hash of the inputs (an unchanged
chapter costs no KaTeX, Pygments or Markdown work on a rebuild).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from html import escape as html_escape

from ..diagnostics import Diagnostic, Location, error
from ..expr import CompiledFunction
from ..i18n import ENGLISH_WORDS, Words
from ..model import Label, Reference, ScannedText, TocEntry
from .blocks import EMPTY, render_blocks
from .cards import card_places, render_function_cards
from .explore import ExplorerView, render_explorer
from .highlight import highlight_code
from .markdown import render_fragment, render_markdown
from .mathtext import plain_with_math
from .numbering import PageNumbers, figure_caption, link_references
from .outputs import FigureView, first_figure_eager, render_cell
from .questions import QUIZ_HEADING_ID, QuizInputs, question_ids, render_quiz

# What a figure with neither alt nor caption is called where the course's words
# are not at hand (the page has them: ChapterInputs.words).
_HEADING_ID = re.compile(r'<h[1-6] id="([^"]+)"')


@dataclass(frozen=True)
class CellView:
    """What a rendered cell shows: its code (if echoed) and its outputs."""

    index: int  # the block's index
    code: str
    echo: bool
    show_output: bool
    caption: str
    caption_location: Location
    alt: str
    anchor: str
    anchor_location: Location
    # What it shows, in the order the cell produced it: figures, and printed text.
    outputs: tuple[FigureView | str, ...]
    numbers: tuple[str, ...] = ()  # each figure's number, "1.2.1", when it is numbered
    explorer: ExplorerView | None = None  # an explore block's view (its figure is outputs[0])

    @property
    def figures(self) -> tuple[FigureView, ...]:
        return tuple(output for output in self.outputs if isinstance(output, FigureView))


@dataclass(frozen=True)
class ChapterInputs:
    path: str
    scanned: ScannedText
    cells: tuple[CellView, ...]
    urls: tuple[tuple[str, str], ...]  # link target -> rewritten URL
    functions: tuple[CompiledFunction, ...] = ()  # shown as cards (see card_places)
    cards: bool = True  # false: no function cards (the front matter's cards: false)
    quiz: QuizInputs = QuizInputs("")  # questions: in their quiz blocks, the rest at the end
    labels: tuple[Label, ...] = ()  # the chapter's own labels, numbered
    references: tuple[Reference, ...] = ()  # the labels it refers to (resolve.py)
    macros: str = ""  # the course's macro definitions, read before every formula
    words: Words = ENGLISH_WORDS  # the interface's words, in the course's language


def render_chapter(
    inputs: ChapterInputs, highlighted: Mapping[tuple[str, str], str] = EMPTY
) -> tuple[tuple[str, tuple[TocEntry, ...]], list[Diagnostic]]:
    """A chapter's body HTML and table of contents; ``highlighted`` holds code blocks
    highlighted before, by (source, language), so a re-render builds no lexer."""
    references = {reference.name: reference for reference in inputs.references}
    words = inputs.words
    block_html, problems = render_blocks(inputs.scanned, highlighted, references, inputs.macros)
    for cell in inputs.cells:
        html, found = _render_cell(cell, highlighted, inputs.macros, inputs.references, words)
        problems.extend(found)
        block_html[cell.index] = html
    placed, quiz_section, found = render_quiz(inputs.quiz, inputs.scanned.blocks, words)
    problems.extend(found)
    block_html.update(placed)
    top_cards, placed_cards = card_places(inputs.functions, inputs.cards, inputs.scanned.blocks)
    for index, shown in placed_cards.items():
        block_html[index] = _cards_html(shown, inputs.macros, words)
    if problems:
        return ("", ()), problems
    text, blocks = inputs.scanned.text, inputs.scanned.blocks
    numbers = PageNumbers(labels=inputs.labels, theorems=inputs.scanned.theorems,
                          tables=inputs.scanned.tables, exercise_key=inputs.quiz.chapter_key,
                          macros=inputs.macros, words=words)
    body, toc = render_markdown(text, blocks, block_html, dict(inputs.urls), numbers)
    if quiz_section:
        # After the footnotes, which Markdown puts last: they belong to the prose.
        body = f"{body}\n{quiz_section}"
    headings = set(_HEADING_ID.findall(body))
    clashes = [
        error(cell.anchor_location, f"cell id '{cell.anchor}' is also the anchor of a heading",
              "choose another id; heading anchors come from their text")
        for cell in inputs.cells if cell.anchor in headings
    ]
    clashes += [
        error(item.question.location,
              f"question id '{item.question.id}' gives the anchor '{anchor}', which a heading "
              "also has", "choose another question id or reword the heading")
        for item, anchor in zip(inputs.quiz.questions, question_ids(inputs.quiz), strict=True)
        if anchor in headings
    ]
    if clashes:
        return ("", ()), clashes
    if quiz_section:
        toc = (*toc, TocEntry(2, QUIZ_HEADING_ID, html_escape(words("quiz.heading"))))
    if top_cards:
        body = _cards_html(top_cards, inputs.macros, words) + body
    if references:  # links to labels in the prose, captions and questions alike
        body = link_references(body, references)
    return (first_figure_eager(body), toc), []


def _cards_html(functions: tuple[CompiledFunction, ...], macros: str, words: Words) -> str:
    return render_function_cards({function.name: function for function in functions}, macros,
                                 words)


def _render_cell(
    cell: CellView, highlighted: Mapping[tuple[str, str], str], macros: str,
    references: tuple[Reference, ...], words: Words = ENGLISH_WORDS,
) -> tuple[str, list[Diagnostic]]:
    caption_html: str = ""
    problems: list[Diagnostic] = []
    if cell.caption:
        caption_html, problems = render_fragment(cell.caption, cell.caption_location, macros,
                                                 references)
    # The caption as read aloud: math as linear text (x_k, ‖x‖), not its LaTeX.
    alt = cell.alt or plain_with_math(caption_html) or words("figure.default_alt")
    outputs = [FigureView(o.url, alt, o.width, o.height) if isinstance(o, FigureView) else o
               for o in cell.outputs]
    # A numbered cell's figures: "name" is its first (the cell's anchor), then name-2...
    captions = tuple(figure_caption(number, caption_html, words) if number else caption_html
                     for number in cell.numbers)
    figure_ids = tuple(f"{cell.anchor}-{i + 1}" if i and number else ""
                       for i, number in enumerate(cell.numbers))
    code_html = ""
    if cell.echo:
        code_html = highlighted.get((cell.code, "python")) or highlight_code(cell.code, "python")
    if not cell.show_output:
        return render_cell(code_html, [], "", cell.anchor), problems
    if cell.explorer is not None:
        view = replace(cell.explorer, figure=replace(cell.explorer.figure, alt=alt))
        return render_explorer(view, captions[0] if captions else caption_html,
                               cell.anchor, words), problems
    return render_cell(code_html, outputs, caption_html, cell.anchor, captions,
                       figure_ids), problems
