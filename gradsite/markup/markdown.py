"""One chapter's Markdown -> HTML, with its blocks put back and links rewritten.

The body arrives tokenised by the scan (scan/). ``render_blocks`` (blocks.py) turns
code and math blocks into HTML (other stages supply cells, plots and questions);
``render_markdown`` runs Python-Markdown on the tokenised text with a fresh
instance (instances keep state) and puts every block's HTML back in one
postprocessor, the single point where pre-rendered HTML enters the page.

``render_fragment`` renders the short Markdown texts that come from YAML
(course description, captions, questions, choices, feedback, explanations)
as text only: raw HTML in them is shown as written, never parsed, and
attribute lists are off. ``<script>`` in a choice is a choice about scripts,
not a script. Fragments are many and short, so their results are cached and
one Markdown instance per thread, reset each time, renders them all.

Heading anchors: the toc extension appends a "¶" link to every heading. A
tree processor moves it out, after the heading, and wraps the two in
``<div class="heading heading-N">``: inside the heading the link made its
name "The gradient¶", and the link's own name was "¶". The link is named
"Link to section: The gradient" (the heading as plain text, formulas written
linearly) and its glyph is hidden from screen readers. It stays a Tab stop, as
on GitHub: the way for a keyboard user to get a section's address, one stop
right after the heading it names.

Links: the scan (scan/links.py) reports a Markdown link or image whose scheme could run script
(``javascript:``, ``data:``, ...) with its line. As a safety net, a tree
processor takes the ``href``/``src`` off any such link that reaches the tree
anyway (an attribute list's ``href``, say); in a YAML text that is an error at
the text's place.
"""

from __future__ import annotations

import html
import importlib
import re
import threading
import xml.etree.ElementTree as etree
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import markdown
from markdown.extensions import Extension
from markdown.extensions.toc import remove_fnrefs, render_inner_html, slugify_unicode
from markdown.postprocessors import Postprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AMP_SUBSTITUTE

from ..diagnostics import Diagnostic, Location
from ..i18n import Words
from ..model import Block, Label, Reference, TocEntry
from ..scan import scan_body
from ..scan.findings import TOKEN
from ..scan.links import refused_link, refused_scheme
from ..scan.structure import ADMONITION_KINDS
from .blocks import render_blocks, render_text_with_math
from .equations import display_rows, display_tag
from .mathtext import plain_with_math
from .numbering import (
    NO_NUMBERS,
    PageNumbers,
    figure_images,
    numbered_equation,
    numbered_rows,
    table_captions,
    theorem_blocks,
)

# Python-Markdown extensions the format offers (docs/authoring.md lists them).
EXTENSIONS = ("tables", "footnotes", "toc", "admonition", "attr_list", "def_list", "sane_lists",
              "md_in_html")
# YAML texts: no raw HTML (see render_fragment), no attribute lists, no heading anchors.
FRAGMENT_EXTENSIONS = tuple(e for e in EXTENSIONS if e not in ("toc", "attr_list", "md_in_html"))
BLOCK_KINDS = frozenset({"code", "cell", "plot", "explore", "quiz", "functions",
                         "display-math"})


def render_markdown(
    text: str, blocks: tuple[Block, ...], block_html: Mapping[int, str], urls: Mapping[str, str],
    numbers: PageNumbers = NO_NUMBERS,
) -> tuple[str, tuple[TocEntry, ...]]:
    """Markdown -> HTML; tokens become their blocks' HTML; mapped link targets are
    rewritten; numbered equations, figures and theorem-like blocks get their numbers."""
    md = markdown.Markdown(
        extensions=[*_extensions(EXTENSIONS, {
            "toc": {
                "permalink": "¶",  # named and moved by _HeadingLinkTreeprocessor
                "permalink_title": "",
                "slugify": _slugify,
                "toc_depth": "2-3",
            },
            "footnotes": {"BACKLINK_TITLE": _backlink_title(numbers.words)},
        }), _BlockExtension(blocks, block_html, urls, numbers)],
        output_format="html",
    )
    body = _named_math_headers(md.convert(text))
    toc = tuple(_flatten_toc(md.toc_tokens))
    return body, toc


def _extensions(names: tuple[str, ...], configs: Mapping[str, Mapping[str, Any]]
                ) -> list[Extension]:
    """Python-Markdown's own extensions by name, made as ``Markdown(extensions=names,
    extension_configs=configs)`` would make them, but without its look-up of every
    installed package's entry points, which it repeats for each name of each new
    instance (a chapter's page makes one)."""
    return [importlib.import_module(f"markdown.extensions.{name}")
            .makeExtension(**configs.get(name, {})) for name in names]


def _backlink_title(words: Words) -> str:
    """The footnotes extension's title of a footnote's way back: its number as ``%d``,
    and ``str.format``'s braces doubled (it formats the text)."""
    text = words("footnote.back", number="\0")
    return text.replace("{", "{{").replace("}", "}}").replace("%", "%%").replace("\0", "%d")


# A table header that is only a formula has no name for checkers and some screen
# readers (MathML gives none): it gets the formula written linearly as its name.
_MATH_ONLY_HEADER = re.compile(r"<th([^>]*)>\s*(<math\b(?:(?!</th>).)*</math>)\s*</th>", re.DOTALL)


def _named_math_headers(body: str) -> str:
    if "<th" not in body:
        return body
    return _MATH_ONLY_HEADER.sub(
        lambda m: f'<th{m.group(1)} aria-label="{html.escape(plain_with_math(m.group(2)))}">'
                  f"{m.group(2)}</th>", body)


def render_fragment(
    text: str, location: Location, macros: str = "", references: tuple[Reference, ...] = ()
) -> tuple[str, list[Diagnostic]]:
    """Markdown with math for a short text from YAML (a description, a caption, a question).

    Raw HTML is escaped, not passed through: these texts are shown as written.
    A single paragraph comes back without its ``<p>``, so it fits in a caption or a legend.
    ``macros`` are the course's; ``references`` the labels the chapter refers to, for
    ``\\eqref`` and ``\\ref`` in the text.
    """
    html_text, problems = _render_fragment(text, location, macros, references)
    return html_text, list(problems)


# Cached: the math font's character scan and the render stage both ask for every
# question's texts, and a course has hundreds of them.
@lru_cache(maxsize=8192)
def _render_fragment(
    text: str, location: Location, macros: str, references: tuple[Reference, ...]
) -> tuple[str, tuple[Diagnostic, ...]]:
    scanned, problems = scan_body(text, location, whole_lines=False)
    by_name = {reference.name: reference for reference in references}
    block_html, found = render_blocks(scanned, macros=macros, references=by_name)
    problems.extend(found)
    if problems:
        return "", tuple(problems)
    md, blocks = _fragment_markdown()
    blocks.substitute = _Substituter(scanned.blocks, block_html)
    blocks.refused.clear()
    md.reset()
    body = md.convert(scanned.text)
    if blocks.refused:  # a link the scan could not see; its line is unknown here
        return "", tuple(refused_link(url, scheme, location) for url, scheme in blocks.refused)
    match = re.fullmatch(r"<p>(.*)</p>", body.strip(), re.DOTALL)
    if match and "<p>" not in match.group(1):
        return match.group(1), ()
    return body, ()


_per_thread = threading.local()


def _fragment_markdown() -> tuple[markdown.Markdown, _BlockExtension]:
    """One Markdown instance per thread for all fragments (reset before each): making
    one costs more than converting a short text."""
    made = getattr(_per_thread, "fragment", None)
    if made is None:
        blocks = _BlockExtension((), {}, {})
        md = markdown.Markdown(
            extensions=[*_extensions(FRAGMENT_EXTENSIONS, {
                "footnotes": {"BACKLINK_TITLE": "Back to the text of footnote %d"}}), blocks],
            output_format="html",
        )
        # Without these two, "<tag>" is text: the serializer escapes it like any other "<".
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        made = _per_thread.fragment = (md, blocks)
    return made


def _slugify(value: str, separator: str) -> str:
    # Math in a heading is a token here; leave it out of the anchor.
    slug = slugify_unicode(TOKEN.sub(" ", value), separator)
    return slug or "section"


# A formula's token and the punctuation written right after it ("$x$." or "$x$),").
_TOKEN_AND_PUNCTUATION = re.compile(TOKEN.pattern + r"([.,;:!?)\]\u2026]*)")


class _Substituter:
    """Puts blocks back: block-level ones in place of their paragraph, the rest inline."""

    def __init__(self, blocks: tuple[Block, ...], block_html: Mapping[int, str],
                 labels: tuple[Label, ...] = ()) -> None:
        self.kinds = {b.index: b.kind for b in blocks}
        self.sources = {b.index: b.source for b in blocks if b.kind == "display-math"}
        self.block_html = block_html
        # Numbered displays by block index, and the numbered rows of environments.
        self.equations = {label.block: label for label in labels
                          if label.kind == "equation" and label.row < 0}
        self.rows: dict[int, dict[int, Label]] = {}
        for label in labels:
            if label.kind == "equation" and label.row >= 0:
                self.rows.setdefault(label.block, {})[label.row] = label

    def _html(self, index: int, standalone: bool) -> str:
        content = self.block_html.get(index, "")
        if self.kinds.get(index) == "display-math":
            source = self.sources[index]
            if content and "\\begin" in source:
                equations = display_rows(source)
                if equations.environments:
                    content = numbered_rows(content, equations, self.rows.get(index, {}))
            tag = "div" if standalone else "span"
            display = f'<{tag} class="math-display">{content}</{tag}>'
            label = self.equations.get(index)
            if label is None:
                return display
            # A \tag is shown by KaTeX, in the formula: the label gives it an anchor.
            return numbered_equation(display, label, tag, shows_number=not display_tag(source))
        return content

    def __call__(self, text: str) -> str:
        def standalone(match: re.Match[str]) -> str:
            index = int(match.group(2))
            if self.kinds.get(index) in BLOCK_KINDS:
                return self._html(index, standalone=True)
            return match.group(0)

        def inline(match: re.Match[str]) -> str:
            index, after = int(match.group(1)), match.group(2)
            html_ = self._html(index, standalone=False)
            if after and self.kinds.get(index) == "math":
                # The full stop or comma after a formula stays on its line.
                return f'<span class="math-with-punctuation">{html_}{after}</span>'
            return html_ + after

        text = re.sub(r"<(p|pre><code)>\s*gstoken(\d+)x\s*</(?:p|code></pre)>", standalone, text)
        return _TOKEN_AND_PUNCTUATION.sub(inline, text)


_TABLE_START = re.compile(r"<table((?: id=\"[^\"]*\")?)>")


class _BlockPostprocessor(Postprocessor):
    def __init__(self, md: markdown.Markdown, extension: _BlockExtension,
                 urls: Mapping[str, str]) -> None:
        super().__init__(md)
        self.extension = extension  # its substituter changes when an instance is reused
        self.urls = urls

    def run(self, text: str) -> str:
        text = self.extension.substitute(text)
        # A labelled table's id goes on its wrapper, which is what scrolls.
        text = _TABLE_START.sub(r'<div class="table-wrap"\1><table>', text)
        text = text.replace("</table>", "</table></div>")
        if self.urls:
            text = _URL_ATTR.sub(self._rewrite, text)
        return text

    def _rewrite(self, match: re.Match[str]) -> str:
        # Markdown's links come escaped (& as &amp;), raw HTML as the author wrote it.
        name, quote, value = match.group(1), match.group(2), match.group(3)
        url = self.urls.get(value, self.urls.get(html.unescape(value)))
        if url is None:
            return match.group(0)
        return f"{name}={quote}{html.escape(url, quote=True)}{quote}"


# An attribute that may hold a link target, double- or single-quoted (raw HTML keeps
# the author's quotes): href, src, and a <video>'s poster.
_URL_ATTR = re.compile(r"""(?<![\w-])(href|src|poster)=(["'])(.*?)\2""", re.DOTALL)


class _AttributeMathTreeprocessor(Treeprocessor):
    """A formula in an attribute (an image's title or alt text: ``![$x$](a.png "$y$")``)
    is written there as linear text: its MathML would end the attribute early. Where
    such a title becomes a figure's caption, the caption, made before, shows it as math."""

    def __init__(self, md: markdown.Markdown, extension: _BlockExtension) -> None:
        super().__init__(md)
        self.extension = extension  # its substituter changes when an instance is reused

    def run(self, root: etree.Element) -> None:
        block_html = self.extension.substitute.block_html
        for element in root.iter():
            for name, value in element.items():
                if "gstoken" in value:
                    element.set(name, TOKEN.sub(
                        lambda m: plain_with_math(block_html.get(int(m.group(1)), "")), value))


class _SchemeTreeprocessor(Treeprocessor):
    """Takes the target off a Markdown link or image with a refused scheme (scan/links.py)."""

    def __init__(self, md: markdown.Markdown, extension: _BlockExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            attribute = {"a": "href", "img": "src"}.get(element.tag, "")
            value = element.get(attribute) if attribute else None
            if value is None:
                continue
            scheme = refused_scheme(value)
            if scheme:
                del element.attrib[attribute]
                self.extension.refused.append((value.replace(AMP_SUBSTITUTE, "&"), scheme))


HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


class _HeadingLinkTreeprocessor(Treeprocessor):
    """Moves each heading's "¶" link after the heading and names it (see the module doc)."""

    def __init__(self, md: markdown.Markdown, words: Words) -> None:
        super().__init__(md)
        self.words = words

    def run(self, root: etree.Element) -> None:
        for parent in list(root.iter()):
            for index, heading in enumerate(parent):
                link = self._permalink(heading)
                if link is not None:
                    parent[index] = self._wrap(heading, link)

    @staticmethod
    def _permalink(element: etree.Element) -> etree.Element | None:
        if element.tag not in HEADINGS or not len(element):
            return None
        last = element[-1]
        if last.tag == "a" and "headerlink" in (last.get("class") or "").split():
            return last
        return None

    def _wrap(self, heading: etree.Element, link: etree.Element) -> etree.Element:
        heading.remove(link)
        name = plain_with_math(render_inner_html(remove_fnrefs(heading), self.md))
        link.set("aria-label", self.words("heading.link", heading=name))
        link.attrib.pop("title", None)
        glyph = etree.SubElement(link, "span", {"aria-hidden": "true"})
        glyph.text, link.text = link.text, None
        wrapper = etree.Element("div", {"class": f"heading heading-{heading.tag[1]}"})
        wrapper.tail, heading.tail, link.tail = heading.tail, None, None
        wrapper.append(heading)
        wrapper.append(link)
        return wrapper


class _BlockExtension(Extension):
    def __init__(self, blocks: tuple[Block, ...], block_html: Mapping[int, str],
                 urls: Mapping[str, str], numbers: PageNumbers = NO_NUMBERS) -> None:
        super().__init__()
        self.substitute = _Substituter(blocks, block_html, numbers.labels)
        self.urls = urls
        self.numbers = numbers
        self.refused: list[tuple[str, str]] = []  # (url, scheme) made inert in the last run

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Markdown's API
        # Priority -1: after attribute lists (8) and unescaping (0), on final values.
        md.treeprocessors.register(_SchemeTreeprocessor(md, self), "gradsite-schemes", -1)
        md.treeprocessors.register(_AttributeMathTreeprocessor(md, self),
                                   "gradsite-attribute-math", -1)
        # Priority 4: right after the toc extension (5) has added the links.
        md.treeprocessors.register(_HeadingLinkTreeprocessor(md, self.numbers.words),
                                   "gradsite-heading-links", 4)
        # Priority 2: any time after the admonitions were made (the block parser).
        md.treeprocessors.register(_AdmonitionTitleTreeprocessor(md, self.numbers.words),
                                   "gradsite-admonition-titles", 2)
        # Priority 3: block structure and attribute lists (8) are done.
        md.treeprocessors.register(_NumberingTreeprocessor(md, self.numbers),
                                   "gradsite-numbering", 3)
        # Priority 5: after raw HTML (30) and entities are restored, so every token
        # and every href/src, from Markdown or raw HTML, is final text here.
        md.postprocessors.register(_BlockPostprocessor(md, self, self.urls),
                                   "gradsite-blocks", 5)


class _AdmonitionTitleTreeprocessor(Treeprocessor):
    """A call-out without a title of its own (``!!! note``) is titled by its kind, which
    Python-Markdown writes in English ("Note"): the course's language has the word."""

    def __init__(self, md: markdown.Markdown, words: Words) -> None:
        super().__init__(md)
        self.words = words

    def run(self, root: etree.Element) -> None:
        for div in root.iter("div"):
            kinds = (div.get("class") or "").split()
            if "admonition" not in kinds or not len(div):
                continue
            title = div[0]
            if "admonition-title" not in (title.get("class") or "").split():
                continue
            for kind in kinds:
                if kind in ADMONITION_KINDS and title.text == kind.capitalize() \
                        and not len(title):
                    title.text = self.words(f"admonition.{kind}")


class _NumberingTreeprocessor(Treeprocessor):
    """Theorem-like blocks and labelled images get their numbered HTML (numbering.py)."""

    def __init__(self, md: markdown.Markdown, numbers: PageNumbers) -> None:
        super().__init__(md)
        self.numbers = numbers

    def run(self, root: etree.Element) -> None:
        numbers = self.numbers
        if numbers.theorems:
            titles = {i: render_text_with_math(t.title, numbers.macros)[0]
                      for i, t in enumerate(numbers.theorems) if t.title}
            by_ordinal = {label.ordinal: label for label in numbers.labels
                          if label.ordinal >= 0 and label.kind != "table"}
            theorem_blocks(root, numbers.theorems, by_ordinal, titles, numbers.exercise_key,
                           self.md.htmlStash, numbers.words)
        if numbers.tables:
            captions = {i: render_text_with_math(t.caption, numbers.macros)[0]
                        for i, t in enumerate(numbers.tables)}
            tables = {label.ordinal: label for label in numbers.labels if label.kind == "table"}
            table_captions(root, tables, captions, self.md.htmlStash, numbers.words)
        images = {label.name: label for label in numbers.labels
                  if label.kind == "figure" and label.block < 0}
        if images:
            figure_images(root, images, numbers.words)


def _flatten_toc(tokens: list[dict[str, Any]]) -> list[TocEntry]:
    # The toc extension ran every postprocessor on "html": math is already in place.
    entries: list[TocEntry] = []
    for item in tokens:
        entries.append(TocEntry(item["level"], item["id"], item["html"]))
        entries.extend(_flatten_toc(item.get("children", [])))
    return entries
