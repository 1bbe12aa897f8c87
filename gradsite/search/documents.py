"""A rendered chapter cut into search documents: its top, then one per heading.

The text comes from the chapter's rendered body, so search sees what the page
shows: prose, admonitions, theorem-like blocks, captions, question texts and
choices. Left out, with their whole content: exercise solutions, a question's
answers, feedback and explanations, its buttons and prompts, code listings and
what cells print, and what is there for screen readers or decoration only.

Math is shown in snippets as linear text (``∇f(x)``, ``x^2``); its symbols are
also searchable by their LaTeX names (``nabla``, ``alpha``: mathwords.py), which
go to a document's ``terms_text``, not to its snippet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from html.parser import HTMLParser

from ..markup.blocks import render_text_with_math
from ..markup.mathtext import mathml_text, plain_with_math
from ..model import RenderedChapter
from .mathwords import symbol_names


@dataclass(frozen=True)
class SearchDocument:
    url: str  # the page from the site's root: "gradient-descent/convexity.html"
    anchor: str  # the heading's id, "" for the chapter's top
    position: str  # "2.3", as the menus show it
    chapter: str  # the chapter's title, plain text
    heading: str  # the heading's plain text, "" for the chapter's top
    text: str  # what a snippet shows: the section's readable text, math written linearly
    terms_text: str = ""  # searchable, never shown: math symbols' names, the section's title


# Whole elements left out, by a class they carry.
SKIPPED_CLASSES = frozenset({
    "exercise-solution",  # a theorem-like block's solution
    "choice-feedback", "explanation", "answer-key", "answer-key-explanation", "verdict",
    "question-prompt", "question-actions", "nojs-note",
    "hint", "question-variant",  # hints give answers away; a later variant repeats the first
    "codeblock", "cell-output",  # code listings and what cells print
    "headerlink", "visually-hidden", "qed", "function-badge", "footnote-backref", "footnote-ref",
    "equation-number",
    "explore-panel",  # an explorer's sliders and readouts: its caption is what it is about
})
SKIPPED_TAGS = frozenset({"template", "script", "style", "button", "summary", "pre", "svg"})
_VOID = frozenset({"area", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                   "source", "track", "wbr"})
# Inline elements join their text to the words around them; any other tag separates.
# A formula is inline too: "an $L$-smooth f" reads "an L-smooth f"; a display's
# own block element spaces it off.
_INLINE = frozenset({"a", "abbr", "b", "code", "em", "i", "kbd", "mark", "q", "s", "small",
                     "span", "strong", "sub", "sup", "u", "gs-math"})
_SECTION_HEADINGS = frozenset({"h2", "h3"})
_MATH = re.compile(r"<math\b.*?</math>", re.DOTALL)
_MATH_TAG = "gs-math"  # what a formula becomes before the walk: its linear text
# A question's later variants repeat its first: cut before the walk, which would
# skip them anyway (a course may have fifty of each question), as forms do not nest.
_LATER_VARIANT = re.compile(r'<form class="question question-variant".*?</form>', re.DOTALL)
# A listing's content is skipped too, and is most of a body's tags (a highlighted
# token is a span): emptied before the walk, which spaces the words around it off
# in the same way. A pre holds no element that could hold "</pre>".
_LISTING = re.compile(r"<pre\b[^>]*>.*?</pre>", re.DOTALL)


def chapter_documents(
    rendered: RenderedChapter, url: str, position: str, section_title: str, macros: str = ""
) -> tuple[SearchDocument, ...]:
    """The search documents of one chapter page, in page order."""
    chapter = rendered.chapter
    title = _plain(chapter.title, macros)
    summary = _plain(chapter.summary, macros)
    walk = _BodyWalk()
    walk.feed(_math_as_text(_LISTING.sub("<pre></pre>",
                                         _LATER_VARIANT.sub("", rendered.body_html))))
    walk.close()
    documents = []
    for index, part in enumerate(walk.parts):
        if index == 0:
            text = " ".join(t for t in (summary, part.text) if t)
            extra = [_plain(section_title, macros), *part.names,
                     *symbol_names(_formulas_of(chapter.title + " " + chapter.summary, macros))]
        else:
            text, extra = part.text, list(part.names)
        documents.append(SearchDocument(
            url=url, anchor=part.anchor, position=position, chapter=title,
            heading=part.heading, text=text, terms_text=" ".join(_unique(extra))))
    return tuple(documents)


def _plain(text: str, macros: str) -> str:
    shown = render_text_with_math(text, macros)[0]
    return " ".join(plain_with_math(shown).split()) if "<math" in shown else " ".join(text.split())


def _formulas_of(text: str, macros: str) -> list[str]:
    return _MATH.findall(render_text_with_math(text, macros)[0]) if "$" in text or "\\(" in text \
        else []


def _math_as_text(body: str) -> str:
    """Each formula replaced by an element holding its linear text and, in an
    attribute, the names of its symbols."""
    return _MATH.sub(lambda match: _formula_as_text(match.group(0)), body)


@lru_cache(maxsize=2048)
def _formula_as_text(formula: str) -> str:
    # Remembered: a course writes the same symbols ($f$, $\nabla f$) on every page.
    names = " ".join(symbol_names([formula]))
    text = mathml_text(formula).replace("&", "&amp;").replace("<", "&lt;")
    return f'<{_MATH_TAG} data-names="{names}">{text}</{_MATH_TAG}>'


def _unique(words: list[str]) -> list[str]:
    return [w for w in dict.fromkeys(" ".join(words).split())]


@dataclass
class _Part:
    """A heading's share of the body while it is read (the first: what precedes any)."""

    anchor: str = ""
    heading: str = ""
    words: list[str] = field(default_factory=list)
    heading_words: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return _tidy("".join(self.words))


def _tidy(text: str) -> str:
    text = " ".join(text.split())
    return re.sub(r"\s+([,.;:?!)\]])", r"\1", re.sub(r"([(\[])\s+", r"\1", text))


class _BodyWalk(HTMLParser):
    """Collects the indexed text of a body, cut at its h2 and h3 headings."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[_Part] = [_Part()]
        self._open: list[tuple[str, bool]] = []  # (tag, skipped)
        self._in_heading = False

    @property
    def _skipping(self) -> bool:
        return bool(self._open) and self._open[-1][1]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        classes = set((values.get("class") or "").split())
        skipped = (self._skipping or tag in SKIPPED_TAGS or bool(classes & SKIPPED_CLASSES)
                   or values.get("aria-hidden") == "true" or "hidden" in values)
        if tag in _SECTION_HEADINGS and values.get("id") and not skipped:
            self.parts.append(_Part(anchor=values["id"] or ""))
            self._in_heading = True
        elif tag == _MATH_TAG and not skipped:
            self.parts[-1].names.extend((values.get("data-names") or "").split())
        if tag not in _INLINE:
            self._add(" ")
        if tag not in _VOID:
            self._open.append((tag, skipped))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _INLINE:
            self._add(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        while self._open:
            opened, _ = self._open.pop()
            if opened == tag:
                break
        if tag in _SECTION_HEADINGS and self._in_heading:
            self._in_heading = False
            part = self.parts[-1]
            part.heading = _tidy("".join(part.heading_words))
        if tag not in _INLINE:
            self._add(" ")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self._add(data)

    def _add(self, text: str) -> None:
        part = self.parts[-1]
        (part.heading_words if self._in_heading else part.words).append(text)
