"""A chapter's prose as Jupyter Markdown: what its page says, in a notebook's cells.

The scan (scan/) took the blocks, formulas and references out of the text and
left tokens in their places; this module puts back what a notebook can show:

* formulas as ``$...$`` and ``$$...$$`` (latex.py: macros expanded, numbers as
  ``\\tag``, references as numbers);
* shown code as fenced code, questions as their text and choices (no answer,
  feedback, hint or explanation), plot and explorer blocks as the figure the
  site drew, embedded as an ``<img>`` with a ``data:`` URL (the one way of
  embedding an SVG that JupyterLab, VS Code and GitHub all show), with its
  caption and number;
* theorem-like blocks and admonitions, which Jupyter's Markdown lacks, as a bold
  heading ("Theorem 1.3.1 (Descent lemma)") over their text; hints and solutions
  are left out, as answers are;
* links to labels as their reference text ("Figure 1.2.1"), links to other
  chapters as links to the site when the course has a ``base_url`` (else their
  text), images beside the chapter embedded like figures.

Everything else is the author's Markdown as written.
"""

from __future__ import annotations

import base64
import html
import posixpath
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from ..diagnostics import Location
from ..execute.jobs import Output
from ..i18n import Words, block_name
from ..markup.questions import choice_order
from ..model import Block, Label, Macro, Question, Reference, ScannedText, TheoremBlock
from ..params import Variant, substitute
from ..scan import scan_body
from ..scan.findings import TOKEN
from ..scan.links import inline_link_spans
from ..scan.structure import THEOREM_HEAD
from .latex import notebook_math

_THEOREM_MARKER = re.compile(r"gsthm(\d+)x")
_TABLE_MARKER = re.compile(r"^( *)gstable(\d+)x *$", re.MULTILINE)
_LINE_TOKEN = re.compile(r"^( *)gstoken(\d+)x[ \t]*$", re.MULTILINE)
_HEADING_ATTRIBUTES = re.compile(r"^( {0,3}#{1,6} .*?)[ \t]+\{[:#.][^{}]*\}[ \t]*$", re.MULTILINE)
_ATTRIBUTE_LINE = re.compile(r"^[ \t]*\{:[^{}]*\}[ \t]*\n?", re.MULTILINE)
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1", re.DOTALL)
_STASHED = re.compile("\x00(\\d+)\x00")
_FOOTNOTE = re.compile(r"^\[\^([^\]\s]+)\]:[ \t]*", re.MULTILINE)
_FOOTNOTE_REFERENCE = re.compile(r"\[\^([^\]\s]+)\](?!:)")
_EXTERNAL = ("http", "https", "mailto")
_IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
                ".gif": "image/gif", ".webp": "image/webp", ".svg": "image/svg+xml"}
# What stands for a {python} cell in the body's Markdown, on a line of its own:
# "\x01<block index>\x01" (the notebook is cut there into Markdown and code cells).
CELL_MARKER = re.compile("\x01(\\d+)\x01")


@dataclass(frozen=True)
class Prose:
    """What a chapter's text needs from the rest of the course to be written out."""

    path: str  # the chapter file as messages show it
    page: str  # the chapter's page in the site
    base_url: str  # the course's, "" when it has none
    urls: Mapping[str, str]  # a link target as written -> its URL from the page
    references: Mapping[str, Reference]  # the labels the chapter refers to
    macros: Mapping[str, Macro]  # the course's, by name
    labels: tuple[Label, ...]  # the chapter's own, numbered
    theorems: tuple[TheoremBlock, ...]  # the chapter's theorem-like blocks, in order
    assets: Mapping[str, Path]  # files copied into the site: output path -> source
    words: Words  # the interface's, in the course's language


class ProseWriter:
    """Writes a chapter's texts as Markdown; ``figure`` and ``question`` write the
    blocks that stand for a figure the site drew and for a question."""

    def __init__(self, prose: Prose, figure: Callable[[Block], str],
                 question: Callable[[Block], str]) -> None:
        self.prose = prose
        self.figure = figure
        self.question = question

    # --- whole texts ---------------------------------------------------------------

    def body(self, scanned: ScannedText) -> str:
        """The chapter's body, each {python} cell standing as a ``CELL_MARKER``."""
        return self._markdown(scanned.text, scanned, True)

    def text(self, source: str) -> str:
        """An author's text from the front matter or a block's options (a question, a
        caption, a title): Markdown with math, scanned here."""
        if not source.strip():
            return ""
        scanned, _ = scan_body(source, Location(self.prose.path, 1), whole_lines=False)
        return self._markdown(scanned.text, scanned, False)

    def question_markdown(self, question: Question, variant: Variant, chapter_key: str) -> str:
        """A question as text: the question, what to answer, the choices in the order the
        page shows them. No answer, feedback, hint or explanation."""
        words = self.prose.words
        parts = [f"**{words('copy.question')}** "
                 f"{self.text(substitute(question.question, variant))}"]
        prompt = words(f"quiz.{question.kind}")
        if question.kind == "numeric":
            parts.append(f"*{prompt}.*")
        else:
            parts.append(f"*{prompt}:*")
            choices = [self.text(substitute(question.choices[i].text, variant))
                       for i in choice_order(question, chapter_key)]
            parts.append("\n".join("- " + choice.replace("\n", "\n  ") for choice in choices))
        return "\n\n".join(parts)

    def figure_markdown(self, output: Output, alt: str, caption: str, number: str,
                        interactive: bool = False) -> str:
        """A figure the site drew, embedded, with its number and caption under it."""
        mime = "image/svg+xml" if output.format == "svg" else "image/png"
        lines = [_image(output.data, mime, alt, output.width)]
        shown = self.text(caption)
        if number:
            shown = f"*{self.prose.words('kind.figure')} {number}.* {shown}".rstrip()
        if shown:
            lines += ["", shown]
        if interactive:
            lines += ["", f"*{self.prose.words('notebook.interactive')}*"]
        return "\n".join(lines)

    # --- the passes --------------------------------------------------------------------

    def _flatten(self, text: str, theorems: tuple[TheoremBlock, ...], numbered: bool,
                 stashed: Callable[[str], str]) -> str:
        """Theorem-like blocks and admonitions as a bold heading over their text, moved
        out by the four spaces each block indents it; hints and solutions left out."""
        out: list[str] = []
        # (header's indent, kind, left out, the heading's own indent) of each open block
        open_blocks: list[tuple[int, str, bool, str]] = []

        def shift() -> int:
            return 4 * len(open_blocks)

        def close(indent: int) -> None:
            while open_blocks and indent <= open_blocks[-1][0]:
                _, kind, left_out, lead = open_blocks.pop()
                if kind == "proof" and not left_out:
                    out.extend([f"{lead}\u220e", ""])

        def left_out() -> bool:
            return any(block[2] for block in open_blocks)

        for line in text.split("\n"):
            if not line.strip():
                if not left_out():
                    out.append("")
                continue
            indent = len(line) - len(line.lstrip(" "))
            close(indent)
            if left_out():
                continue
            head = THEOREM_HEAD.match(line) if "!!!" in line else None
            if head is None:
                out.append(line[min(shift(), indent):])
                continue
            lead = " " * max(indent - shift(), 0)
            heading, kind, drop = self._heading(head, theorems, numbered, stashed)
            open_blocks.append((indent, kind, drop, lead))
            if heading and not drop:
                out.extend([lead + heading, ""])
        close(-1)
        return "\n".join(out)

    def _heading(self, head: re.Match[str], theorems: tuple[TheoremBlock, ...],
                 numbered: bool, stashed: Callable[[str], str]) -> tuple[str, str, bool]:
        """A block's heading, its kind, and whether it is left out. A theorem's title is
        written (and stashed) here; an admonition's was scanned with its line."""
        marker = _THEOREM_MARKER.fullmatch(head.group("kind"))
        if marker is None:  # an admonition: its title (scanned with the line), or its kind
            title = head.group("title")
            if title is None:
                title = block_name(self.prose.words, head.group("kind"))
            return (f"**{title}**" if title.strip() else ""), head.group("kind"), False
        ordinal = int(marker.group(1))
        theorem = theorems[ordinal]
        if theorem.kind in ("hint", "solution"):
            return "", theorem.kind, True
        number = next((label.number for label in self.prose.labels if numbered
                       and label.ordinal == ordinal and label.kind == theorem.kind), "")
        name = f"{block_name(self.prose.words, theorem.kind)} {number}".rstrip()
        title = f" ({self.text(theorem.title)})" if theorem.title.strip() else ""
        return stashed(f"**{name}**{title}"), theorem.kind, False

    def _markdown(self, text: str, scanned: ScannedText, numbered: bool) -> str:
        """``text`` with its links rewritten and its tokens replaced. What replaces a
        token is stashed until the end, so that no later pass reads inside code or math."""
        stash: list[str] = []

        def stashed(value: str) -> str:
            stash.append(value)
            return f"\x00{len(stash) - 1}\x00"

        text = self._flatten(text, scanned.theorems, numbered, stashed)
        text = self._links(text, scanned, stashed)
        blocks = scanned.blocks

        def line_token(match: re.Match[str]) -> str:
            indent, index = match.group(1), int(match.group(2))
            if index >= len(blocks):
                return match.group(0)
            written = self._block(blocks[index], numbered, alone=True)
            return indent + stashed(written.replace("\n", "\n" + indent))

        def token(match: re.Match[str]) -> str:
            index = int(match.group(1))
            if index >= len(blocks):  # not a token: the word as an author wrote it
                return match.group(0)
            return stashed(self._block(blocks[index], numbered, alone=False))

        text = _LINE_TOKEN.sub(line_token, text)
        text = TOKEN.sub(token, text)
        text = _TABLE_MARKER.sub(lambda m: m.group(1) + stashed(self._table_caption(
            scanned, int(m.group(2)), numbered)), text)
        text = _HEADING_ATTRIBUTES.sub(r"\1", text)
        text = _ATTRIBUTE_LINE.sub("", text)
        # Every formula is a token by now: a dollar left is currency ("$5"), or the scan's
        # escaped one; Jupyter would take it for the start of a formula.
        text = _outside_code_spans(text, lambda part: part.replace("$", "\\$"))
        text = text.replace("&#36;", "\\$")
        text = _footnotes(text)
        text = re.sub(r"\n{3,}", "\n\n", text).strip("\n")
        while _STASHED.search(text):  # a stashed link's text may hold stashed math
            text = _STASHED.sub(lambda m: stash[int(m.group(1))], text)
        return text

    def _block(self, block: Block, numbered: bool, alone: bool) -> str:
        """What stands for a block the scan took out."""
        if block.kind in ("math", "display-math"):
            display = block.kind == "display-math"
            labels = tuple(label for label in self.prose.labels
                           if label.block == block.index) if numbered else ()
            latex = notebook_math(block.source, display, labels, self.prose.references,
                                  self.prose.macros)
            if not display:
                return f"${' '.join(latex.split())}$"
            latex = re.sub(r"\n\s*\n", "\n", latex)  # a blank line would end the paragraph
            return f"$$\n{latex}\n$$" if alone else f"$${' '.join(latex.split())}$$"
        if block.kind == "ref":
            reference = self.prose.references.get(block.source)
            if reference is None:
                return "?"
            return f"({reference.number})" if block.lang == "eqref" else reference.number
        if block.kind == "code":
            longest = max((len(run) for run in re.findall(r"`{3,}", block.source)), default=2)
            fence = "`" * (longest + 1)
            return f"{fence}{block.lang}\n{block.source}\n{fence}"
        if block.kind == "cell":
            return f"\x01{block.index}\x01"
        if block.kind in ("plot", "explore"):
            return self.figure(block)
        if block.kind == "quiz":
            return self.question(block)
        return ""  # a functions block: the first code cell defines them all

    def _table_caption(self, scanned: ScannedText, ordinal: int, numbered: bool) -> str:
        if ordinal >= len(scanned.tables):
            return ""
        caption = scanned.tables[ordinal]
        number = next((label.number for label in self.prose.labels if numbered
                       and label.kind == "table" and label.ordinal == ordinal), "")
        text = self.text(caption.caption)
        return f"*Table {number}.* {text}".rstrip() if number else text

    def _links(self, text: str, scanned: ScannedText,
               stashed: Callable[[str], str]) -> str:
        """Links to labels as their reference text, to other chapters and files as links
        to the site (or their text), images beside the chapter embedded."""
        masked = _CODE_SPAN.sub(lambda m: " " * len(m.group(0)), text)
        out: list[str] = []
        position = 0
        for link in inline_link_spans(masked):
            out.append(text[position:link.start])
            shown = text[link.text[0]:link.text[1]]  # as written, its code spans too
            out.append(self._link(link.target, text[link.start:link.end], shown,
                                  link.is_image, link.title, link.label, scanned, stashed))
            position = link.end
        out.append(text[position:])
        return "".join(out)

    def _link(self, target: str, written: str, shown: str, is_image: bool, title: str,
              label: str, scanned: ScannedText, stashed: Callable[[str], str]) -> str:
        prose = self.prose
        if urlsplit(target).scheme.lower() in _EXTERNAL:
            return written
        if target.startswith("#") and not is_image:
            reference = prose.references.get(target[1:])
            if not shown.strip() and reference is not None:
                return reference.text
            return shown
        url = prose.urls.get(target)
        path = _site_path(prose.page, url) if url is not None else ""
        if is_image:
            source = prose.assets.get(path)
            mime = _IMAGE_TYPES.get(Path(path).suffix.lower())
            if source is None or mime is None:
                return shown
            alt = self._plain(shown, scanned)
            image = stashed(_image(source.read_bytes(), mime, alt))
            number = next((lab.number for lab in prose.labels
                           if label and lab.name == label and lab.kind == "figure"), "")
            if number:
                figure = prose.words("kind.figure")
                return f"{image}\n\n*{figure} {number}.* {self.text(title)}\n\n"
            return image
        if path and prose.base_url:
            fragment = urlsplit(url or "").fragment
            address = prose.base_url + path + (f"#{fragment}" if fragment else "")
            return f"[{shown}]({address})"
        return shown

    def _plain(self, text: str, scanned: ScannedText) -> str:
        """Text for an alt attribute: formulas as their LaTeX between dollars."""

        def source(match: re.Match[str]) -> str:
            block = scanned.blocks[int(match.group(1))]
            return f"${block.source}$" if block.kind in ("math", "display-math") else ""

        return " ".join(TOKEN.sub(source, text).split())


def _outside_code_spans(text: str, change: Callable[[str], str]) -> str:
    """``text`` with ``change`` applied to all but its code spans."""
    parts, position = [], 0
    for span in _CODE_SPAN.finditer(text):
        parts += [change(text[position:span.start()]), span.group(0)]
        position = span.end()
    return "".join([*parts, change(text[position:])])


def _footnotes(text: str) -> str:
    """Footnotes, which Jupyter's Markdown lacks, as numbers in superscript: ``[^note]``
    becomes ``<sup>1</sup>`` where it is referred to and where it is written out."""
    numbers: dict[str, int] = {}
    for name in _FOOTNOTE_REFERENCE.findall(text):
        numbers.setdefault(name, len(numbers) + 1)
    if not numbers:
        return text
    text = _FOOTNOTE.sub(lambda m: f"<sup>{numbers[m.group(1)]}</sup> "
                         if m.group(1) in numbers else m.group(0), text)
    return _FOOTNOTE_REFERENCE.sub(lambda m: f"<sup>{numbers[m.group(1)]}</sup>", text)


def _site_path(page: str, url: str) -> str:
    """The site's path of a URL relative to ``page`` (its fragment and query dropped)."""
    parts = urlsplit(url)
    if parts.scheme or not parts.path:
        return ""
    return posixpath.normpath(posixpath.join(posixpath.dirname(page), parts.path))


def _image(data: bytes, mime: str, alt: str, width: int = 0) -> str:
    encoded = base64.b64encode(data).decode("ascii")
    size = f' width="{width}"' if width else ""
    return f'<img src="data:{mime};base64,{encoded}" alt="{html.escape(alt)}"{size}>'

