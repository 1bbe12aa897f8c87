"""A chapter as plain Markdown, for the reader's own AI assistant.

The copy is made from the scanned text (scan/), so the prose stays as the
author wrote it, and each block taken out of it is written back as text:
math as LaTeX between ``$`` (numbered displays with their ``\\tag``, references
as their numbers), code as fenced code, a cell's code with what it printed
(a fenced ``output`` block) and its figures, plots and explorers by their
number, caption and alt text, questions with their choices and prompt.

What the page keeps behind a disclosure for the reader to try first is left
out, for the assistant must not give it away: questions' answers, feedback,
hints and explanations, and exercises' hints and solutions. Theorem-like
blocks and admonitions become block quotes headed like the page's
("**Theorem 1.3.1 (Descent lemma).**"). Links to other chapters and files go
where the page's go (absolute with the course's ``base_url``).
"""

from __future__ import annotations

import posixpath
import re
import textwrap
from dataclasses import dataclass

from ..diagnostics import Location
from ..expr import CompiledFunction
from ..i18n import ENGLISH_WORDS, Words, block_name
from ..layout import chapter_key
from ..markup.cards import card_formulas, card_places
from ..markup.chapter import CellView
from ..markup.equations import display_rows, display_tag
from ..markup.outputs import FigureView
from ..markup.questions import choice_order
from ..model import Block, CheckedChapter, Label, Macro, Question, ScannedText
from ..params import substitute
from ..resolve import ChapterFacts
from ..scan import scan_body
from ..scan.findings import TOKEN
from ..scan.labels import LABEL_COMMAND, MATH_REFERENCE
from ..scan.links import inline_link_spans
from ..scan.structure import THEOREM_HEAD

# Blocks that stand on a line of their own in the scanned text.
_LINE_BLOCKS = frozenset({"code", "cell", "plot", "explore", "quiz", "functions",
                          "display-math"})
_THEOREM_MARK = re.compile(r"^gsthm(\d+)x$")
_TABLE_MARK = re.compile(r"^( *)gstable(\d+)x *$")
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(?:(?!\n[ \t]*\n).)+?(?<!`)\1(?!`)", re.DOTALL)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_ATTRIBUTES = re.compile(r"[ \t]*\{[:#.][^{}\n]*\}[ \t]*$")  # a heading's {#id .class}
_BLANKS = re.compile(r"\n{3,}")
_LIST_ITEM = re.compile(r"^ *(?:[-*+]|\d+[.)]) +(?=\S)")


@dataclass(frozen=True)
class CopyHeader:
    """What the copy says above the chapter: where it comes from."""

    title: str
    summary: str
    course: str
    label: str  # "Section 1. Chapter 2"
    section: str
    page_url: str  # the page's absolute address, or "" without a base_url
    macros: tuple[str, ...] = ()  # \newcommand lines of the course's macros
    words: Words = ENGLISH_WORDS  # the interface's, in the course's language


def chapter_markdown(
    checked: CheckedChapter, views: tuple[CellView, ...], facts: ChapterFacts,
    header: CopyHeader, page: str, base_url: str = "",
) -> str:
    """The chapter's Markdown copy (its page is ``page``, its cells' views ``views``)."""
    converter = _Converter(checked, views, facts, page, base_url, header.words)
    parts = [f"# {header.title}", " · ".join((header.course, header.label, header.section))]
    if header.summary:
        parts.append(f"> {_one_line(header.summary)}")
    if header.page_url:
        parts.append(f"<{header.page_url}>")
    if header.macros:
        macros = "\n".join(header.macros)
        parts.append(f"{header.words('copy.macros')}\n\n```latex\n{macros}\n```")
    parts.append(converter.body())
    return _BLANKS.sub("\n\n", "\n\n".join(part.strip("\n") for part in parts if part)) + "\n"


def _one_line(text: str) -> str:
    return " ".join(text.split())


class _Converter:
    """Writes one chapter's scanned text back as Markdown, its blocks as text."""

    def __init__(self, checked: CheckedChapter, views: tuple[CellView, ...],
                 facts: ChapterFacts, page: str, base_url: str, words: Words) -> None:
        self.checked = checked
        self.words = words
        self.path = checked.chapter.display_path
        self.views = {view.index: view for view in views}
        self.references = {reference.name: reference for reference in facts.references}
        self.urls = dict(facts.urls)
        self.page, self.base_url = page, base_url
        labels = checked.labels
        self.equations = {label.block: label for label in labels
                          if label.kind == "equation" and label.row < 0}
        self.rows: dict[int, dict[int, Label]] = {}
        for label in labels:
            if label.kind == "equation" and label.row >= 0:
                self.rows.setdefault(label.block, {})[label.row] = label
        self.images = {label.name: label for label in labels
                       if label.kind == "figure" and label.block < 0}
        self.theorem_numbers = {label.ordinal: label.number for label in labels
                                if label.ordinal >= 0 and label.kind != "table"}
        self.table_numbers = {label.ordinal: label.number for label in labels
                              if label.kind == "table"}
        self.questions = {q.id: q for q in checked.chapter.quiz}
        self.placed: dict[int, str] = {}  # quiz block index -> the question it shows
        for block in checked.scanned.blocks:
            qid = block.source.strip()
            if block.kind == "quiz" and qid in self.questions \
                    and qid not in self.placed.values():
                self.placed[block.index] = qid
        functions = tuple(checked.functions.values())
        self.top_cards, self.placed_cards = card_places(functions, checked.chapter.cards,
                                                        checked.scanned.blocks)

    # --- the whole body ------------------------------------------------------------

    def body(self) -> str:
        scanned = self.checked.scanned
        lines = self._structure(self._links(_COMMENT.sub("", scanned.text)).split("\n"),
                                scanned)
        out = []
        if self.top_cards:
            out.append(self._cards(self.top_cards))
        out.append("\n".join(self._expand(prefix, line, scanned.blocks, body=True)
                             for prefix, line in lines))
        unplaced = [q for q in self.checked.chapter.quiz if q.id not in self.placed.values()]
        if unplaced:
            out.append(f"## {self.words('quiz.heading')}")
            out.extend(self._question(q) for q in unplaced)
        return "\n\n".join(part.strip("\n") for part in out if part.strip())

    def fragment(self, text: str) -> str:
        """A text from YAML (a caption, a question, a choice) as Markdown."""
        if not text:
            return ""
        scanned, _ = scan_body(text, Location(self.path), whole_lines=False)
        lines = self._links(scanned.text).split("\n")
        return "\n".join(self._expand("", line, scanned.blocks, body=False)
                         for line in lines).strip()

    # --- links and images --------------------------------------------------------------

    def _links(self, text: str) -> str:
        """Links go where the page's go; a reference shows its text; an image is
        written as its figure's number, caption and alt text."""
        masked = _CODE_SPAN.sub(lambda m: " " * len(m.group(0)), text)
        out: list[str] = []
        done = 0
        for span in inline_link_spans(masked):
            if span.start < done:
                continue  # an image inside a link's text: the link is written as it is
            out.append(text[done:span.start])
            out.append(self._link(text[span.text[0]:span.text[1]], span.target, span.is_image,
                                  span.title, span.label, text[span.start:span.end]))
            done = span.end
        out.append(text[done:])
        return "".join(out)

    def _link(self, shown: str, target: str, is_image: bool, title: str, label: str,
              written: str) -> str:
        if is_image:
            figure = self.images.get(label)
            if figure is not None:
                return self._figure_text(figure.number, title, shown)
            return f"[{self.words('copy.image')}: {shown}]" if shown.strip() else ""
        if target.startswith("#"):
            reference = self.references.get(target[1:])
            # A no-break space keeps "Figure 1.2.1" on a line of a page; here it is text.
            text = shown if shown.strip() else (reference.text.replace("\u00a0", " ")
                                                if reference else "")
            if reference is None or reference.url.startswith("#"):
                return text  # this chapter's own: the copy holds it
            return f"[{text}]({self._address(reference.url)})"
        url = self.urls.get(target)
        if url is None:
            return written  # another site's address, kept as written
        return f"[{shown}]({self._address(url)})"

    def _address(self, url: str) -> str:
        """A URL relative to the page (the copy sits beside it), absolute under a base_url."""
        if not self.base_url or "://" in url:
            return url
        path, hash_, fragment = url.partition("#")
        folder = posixpath.dirname(self.page)
        joined = posixpath.normpath(posixpath.join(folder, path)) if path else self.page
        return self.base_url + joined + hash_ + fragment

    # --- theorem-like blocks, admonitions, tables' captions ---------------------------

    def _structure(self, lines: list[str], scanned: ScannedText) -> list[tuple[str, str]]:
        """Each line with the block-quote prefix of the blocks it stands in, dedented;
        hints and solutions left out, blocks' headers and tables' captions written."""
        out: list[tuple[str, str]] = []
        stack: list[_Open] = []
        blanks = 0
        for line in lines:
            if not line.strip():
                blanks += 1
                continue
            indent = len(line) - len(line.lstrip(" "))
            while stack and indent <= stack[-1].indent:
                stack.pop()
            hidden = any(block.hidden for block in stack)
            prefix = "> " * len(stack)
            head = THEOREM_HEAD.match(line) if "!!!" in line else None
            if head is not None:
                opened = self._header(head, scanned, indent, hidden)
                if opened.title and not opened.hidden:
                    if blanks:  # the blank lines before a block left out are left out too
                        out.append((prefix, ""))
                    blanks = 0
                stack.append(opened)
                if opened.title and not opened.hidden:
                    out.append(("> " * len(stack), opened.title))
                    if not opened.run_in:
                        out.append(("> " * len(stack), ""))
                continue
            if hidden:
                continue
            if blanks:
                out.append((prefix, ""))
            blanks = 0
            body = line[stack[-1].body:] if stack and line[:stack[-1].body].isspace() \
                else (line.lstrip(" ") if stack else line)
            table = _TABLE_MARK.match(body)
            if table is not None:
                body = table.group(1) + self._table_caption(int(table.group(2)), scanned)
            out.append((prefix, _ATTRIBUTES.sub("", body) if body.lstrip().startswith("#")
                        else body))
        return out

    def _header(self, head: re.Match[str], scanned: ScannedText, indent: int,
                hidden: bool) -> _Open:
        body = indent + 4  # Python-Markdown's admonition body: one tab stop in
        kind = head.group("kind")
        marker = _THEOREM_MARK.match(kind)
        if marker is None:  # an admonition: its title, or its kind, in bold
            title = head.group("title")
            # Its title was scanned with the body: its formulas are the body's blocks.
            shown = title if title is not None else block_name(self.words, kind)
            shown = TOKEN.sub(lambda m: self._inline(scanned.blocks[int(m.group(1))], True),
                              shown)
            return _Open(indent, body, hidden, f"**{shown}**" if shown else "", run_in=False)
        ordinal = int(marker.group(1))
        theorem = scanned.theorems[ordinal]
        if hidden or theorem.kind in ("hint", "solution"):
            return _Open(indent, body, True, "")
        number = self.theorem_numbers.get(ordinal, "")
        name = block_name(self.words, theorem.kind) + (f" {number}" if number else "")
        if theorem.title:
            name += f" ({self.fragment(theorem.title)})"
        return _Open(indent, body, False, f"**{name}.**", run_in=True)

    def _table_caption(self, ordinal: int, scanned: ScannedText) -> str:
        number = self.table_numbers.get(ordinal, "")
        caption = self.fragment(scanned.tables[ordinal].caption)
        return (f"**Table {number}.** {caption}" if number else caption).strip()

    # --- blocks --------------------------------------------------------------------

    def _expand(self, prefix: str, line: str, blocks: tuple[Block, ...], body: bool) -> str:
        """A line with its tokens written back; a block's lines get the line's prefix
        and indentation (a list item's: its text's). ``body``: the chapter's own
        text, whose blocks have numbers and views (not a text from YAML)."""
        alone = TOKEN.fullmatch(line.strip())
        if alone is not None and blocks[int(alone.group(1))].kind in _LINE_BLOCKS:
            lead = line[: len(line) - len(line.lstrip(" "))]
            text = self._block(blocks[int(alone.group(1))], body)
        else:
            item = _LIST_ITEM.match(line)
            lead = " " * (item.end() if item else len(line) - len(line.lstrip(" ")))
            text = TOKEN.sub(lambda m: self._inline(blocks[int(m.group(1))], body), line)
            text = text.replace("&#36;", "\\$")
        if not text:
            return prefix.rstrip()
        first, *rest = text.split("\n")
        if alone is not None:
            first = lead + first
        return "\n".join([(prefix + first).rstrip()]
                         + [(prefix + lead + more).rstrip() if more else prefix.rstrip()
                            for more in rest])

    def _inline(self, block: Block, body: bool) -> str:
        if block.kind == "math":
            return f"${self._latex(block, body).strip()}$"
        if block.kind == "display-math":
            return f"$${self._latex(block, body).strip()}$$"
        if block.kind == "ref":
            reference = self.references.get(block.source)
            if reference is None:
                return block.source
            return f"({reference.number})" if block.lang == "eqref" else reference.number
        return self._block(block, body)

    def _block(self, block: Block, body: bool) -> str:
        if block.kind == "display-math":
            return "$$\n" + self._latex(block, body).strip("\n") + "\n$$"
        if block.kind == "code":
            return _fenced(block.source, block.lang)
        if not body:
            return ""  # no cell, plot or question runs in a text from YAML
        if block.kind == "quiz":
            qid = self.placed.get(block.index)
            return self._question(self.questions[qid]) if qid else ""
        if block.kind == "functions":
            return self._cards(self.placed_cards.get(block.index, ()))
        view = self.views.get(block.index)
        return self._view(view) if view is not None else ""

    def _latex(self, block: Block, body: bool) -> str:
        """A formula's LaTeX with its numbers as ``\\tag``s and references as numbers."""
        latex = block.source
        if block.kind == "display-math" and body:
            rows = self.rows.get(block.index, {})
            if rows:
                found = display_rows(latex).rows
                for index in sorted(rows, reverse=True):
                    if index < len(found) and found[index].numbered:
                        at = found[index].offset
                        at += len(latex[at:]) - len(latex[at:].lstrip())  # at its first sign
                        latex = f"{latex[:at]}\\tag{{{rows[index].number}}} {latex[at:]}"

        def number(match: re.Match[str]) -> str:
            reference = self.references.get(match.group(2).strip())
            if reference is None:
                return match.group(0)
            shown = f"({reference.number})" if match.group(1) == "eqref" else reference.number
            return f"\\text{{{shown}}}"

        latex = MATH_REFERENCE.sub(number, LABEL_COMMAND.sub("", latex))
        if block.kind != "display-math":
            return latex
        # A display's lines as written, less the block's indentation and \label's line.
        latex = textwrap.dedent("\n".join(line for line in latex.split("\n") if line.strip()))
        label = self.equations.get(block.index) if body else None
        if label is not None and not display_tag(latex):
            latex = f"{latex} \\tag{{{label.number}}}"
        return latex

    def _view(self, view: CellView) -> str:
        """A cell's code and outputs, a plot's or an explorer's figure."""
        parts = []
        if view.echo and view.code:
            parts.append(_fenced(view.code, "python"))
        if view.show_output:
            caption = self.fragment(view.caption)
            figures = 0
            for output in view.outputs:
                if isinstance(output, FigureView):
                    number = view.numbers[figures] if figures < len(view.numbers) else ""
                    figures += 1
                    alt = view.alt or ("" if caption else self.words("figure.default_alt"))
                    parts.append(self._figure_text(number, caption, alt,
                                                   interactive=view.explorer is not None))
                elif output.strip("\n"):
                    parts.append(_fenced(output.rstrip("\n"), "output"))
        return "\n\n".join(parts)

    def _cards(self, functions: tuple[CompiledFunction, ...]) -> str:
        if not functions:
            return ""
        parts = [f"**{self.words('cards.label')}**"]
        for function in functions:
            parts.extend("$$\n" + formula + "\n$$" for formula in card_formulas(function))
        return "\n\n".join(parts)

    # --- questions -------------------------------------------------------------------

    def _question(self, question: Question) -> str:
        """A question as the page first shows it: its text and choices (in the page's
        order), and what to do; never its answer, feedback, hints or explanation."""
        variants = self.checked.variants.get(question.id, ((),))
        variant = variants[0] if variants else ()
        key = chapter_key(self.checked.section, self.checked.chapter)  # as the page shuffles
        parts = [f"**{self.words('copy.question')}** "
                 f"{self.fragment(substitute(question.question, variant))}"]
        if question.kind != "numeric":
            items = []
            for i in choice_order(question, key):
                text = self.fragment(substitute(question.choices[i].text, variant))
                items.append("- " + text.replace("\n", "\n  "))
            parts.append("\n".join(items))
        parts.append(f"*{self.words(f'quiz.{question.kind}')}.*")
        return "\n\n".join(parts)

    def _figure_text(self, number: str, caption: str, alt: str,
                     interactive: bool = False) -> str:
        """A figure as text: "**Figure 1.2.1.** Caption. [Image: what it shows]"."""
        parts = []
        if number:
            parts.append(f"**{self.words('kind.figure')} {number}.**")
        if caption:
            parts.append(caption)
        if alt:
            what = self.words("copy.interactive" if interactive else "copy.image")
            parts.append(f"[{what}: {_one_line(alt)}]")
        return " ".join(parts)


@dataclass(frozen=True)
class _Open:
    """A theorem-like block or an admonition that the current line stands in."""

    indent: int  # its header's
    body: int  # the indentation of its body
    hidden: bool  # a hint or a solution, or inside one: left out
    title: str  # its heading in the copy
    run_in: bool = True  # the heading starts the first paragraph ("**Theorem 1.**  Let...")


def _fenced(source: str, lang: str) -> str:
    """Code in a fence longer than any run of backticks in it."""
    longest = max((len(run) for run in re.findall(r"`+", source)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{lang}\n{source}\n{fence}"


def header_macros(macros: tuple[Macro, ...]) -> tuple[str, ...]:
    """``\\newcommand`` lines for the course's macros."""
    return tuple(f"\\newcommand{{\\{macro.name}}}"
                 f"{f'[{macro.arguments}]' if macro.arguments else ''}{{{macro.latex}}}"
                 for macro in macros)

