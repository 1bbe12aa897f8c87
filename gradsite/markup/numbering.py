"""Numbers and references in a chapter's HTML (spec sections 9 and 10), as pure functions.

The check stage numbered the chapter's labels and the resolve stage found
what each reference points at; this module writes them into the page:

- a display equation with a label is wrapped with its number at the right
  margin; the rows of ``equation``, ``align`` and ``gather`` get theirs at
  the end of each row (equations.py); ``\\label`` leaves its LaTeX, and
  ``\\eqref``/``\\ref`` in a formula become the number as text (MathML has no
  links that browsers follow);
- ``[](#name)``, ``[text](#name)``, and ``\\eqref``/``\\ref`` in prose become
  links with the class ``xref`` to the target's page and anchor;
- a numbered figure's caption starts with "Figure 1.2.1.";
- theorem-like blocks get their heading ("Theorem 1.3.1 (Descent lemma)"), a
  proof its ∎, and an exercise's hints and solution become closed disclosures.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree
from collections.abc import Mapping
from dataclasses import dataclass
from xml.etree.ElementTree import Element

from ..i18n import ENGLISH_WORDS, Words
from ..model import Label, Reference, TableCaption, TheoremBlock
from ..scan.labels import LABEL_COMMAND, MATH_REFERENCE
from .equations import DisplayRows, write_numbers
from .math import render_math
from .mathml import parse_katex, serialize


@dataclass(frozen=True)
class PageNumbers:
    """What Markdown rendering needs of a chapter's numbers."""

    labels: tuple[Label, ...] = ()  # the chapter's own, numbered
    theorems: tuple[TheoremBlock, ...] = ()  # its theorem-like blocks, in order
    tables: tuple[TableCaption, ...] = ()  # its tables' captions, in order
    exercise_key: str = ""  # "section/chapter": an exercise's key in the reader's progress
    macros: str = ""  # the course's macro definitions, for titles and captions
    words: Words = ENGLISH_WORDS  # "Theorem", "Figure", "Show solution" in the course's language


NO_NUMBERS = PageNumbers()

_LINK = re.compile(r'<a href="#([^"]+)">(.*?)</a>', re.DOTALL)


def math_with_numbers(latex: str, references: Mapping[str, Reference]) -> str:
    """A formula's LaTeX for KaTeX: no ``\\label``, references written as their numbers."""

    def number(match: re.Match[str]) -> str:
        reference = references.get(match.group(2).strip())
        if reference is None:  # not resolved (yet): the resolve stage reports a wrong one
            return "\\text{?}"
        text = f"({reference.number})" if match.group(1) == "eqref" else reference.number
        return f"\\text{{{text}}}"

    return MATH_REFERENCE.sub(number, LABEL_COMMAND.sub("", latex))


def numbered_equation(display_html: str, label: Label, tag: str = "div",
                      shows_number: bool = True) -> str:
    """A display equation with its number at the right margin (a ``span`` when it
    stands inside a paragraph; no number when the formula shows its own \\tag)."""
    number = (f'<span class="equation-number">({label.number})</span>' if shows_number
              else "")
    return (f'<{tag} class="equation" id="{html.escape(label.name)}">{display_html}'
            f"{number}</{tag}>")


def numbered_rows(mathml: str, equations: DisplayRows, labels: Mapping[int, Label]) -> str:
    """A display's MathML with the numbers of its environments' rows (``labels``: the
    numbered rows' labels, named or not, by row): "(1.2.3)", or the row's \\tag, at
    the end of the row; a labelled row takes its label as its id, for links."""
    shown: list[tuple[Element | None, str]] = []
    for index, row in enumerate(equations.rows):
        label = labels.get(index)
        anchor = label.name if label else ""
        if row.tag:
            shown.append((_tag_mathml(row.tag, row.tag_starred), anchor))
        elif row.numbered and label:
            number = Element("mtext")
            number.text = f"({label.number})"
            shown.append((number, anchor))
        else:
            shown.append((None, ""))
    math = parse_katex(mathml)
    write_numbers(math, equations.rows, shown)
    return serialize(math)


def _tag_mathml(tag: str, starred: bool) -> Element:
    """A \\tag's text as KaTeX sets it (text, with math between $ signs)."""
    written = tag if starred else f"({tag})"
    math = parse_katex(render_math(f"\\text{{{written}}}", False).mathml)
    children = list(math)
    if len(children) == 1 and children[0].tag == "mrow":
        return children[0]
    row = Element("mrow")
    row[:] = children
    return row


def reference_link(reference: Reference, style: str, text_html: str = "") -> str:
    """A link to a label: ``style`` "eqref" writes (1.2.3), "ref" 1.2.3, "link" the
    reference text unless the author gave ``text_html``."""
    if text_html:
        shown = text_html
    elif style == "eqref":
        shown = f"({reference.number})"
    elif style == "ref":
        shown = reference.number
    else:
        shown = html.escape(reference.text)
    return (f'<a class="xref" href="{html.escape(reference.url, quote=True)}" '
            f'data-xref="{html.escape(reference.name, quote=True)}">{shown}</a>')


def link_references(body: str, references: Mapping[str, Reference]) -> str:
    """Markdown's ``<a href="#name">`` links to labels, as references."""

    def rewrite(match: re.Match[str]) -> str:
        reference = references.get(html.unescape(match.group(1)))
        if reference is None:
            return match.group(0)  # an anchor of this page that is not a label
        return reference_link(reference, "link", match.group(2))

    return _LINK.sub(rewrite, body)


def figure_caption(number: str, caption_html: str, words: Words = ENGLISH_WORDS) -> str:
    """A numbered figure's caption: "Figure 1.2.1." before the author's text."""
    kind = html.escape(words("kind.figure"))
    return f'<span class="figure-number">{kind} {number}.</span> {caption_html}'.rstrip()


# --- theorem-like blocks ---------------------------------------------------------------

_MARKER = re.compile(r"^gsthm(\d+)x$")


def theorem_blocks(
    root: etree.Element,
    theorems: tuple[TheoremBlock, ...],
    labels: Mapping[int, Label],
    titles_html: Mapping[int, str],
    exercise_key: str,
    stash: object,
    words: Words = ENGLISH_WORDS,
) -> None:
    """Turn the admonitions that the scan (scan/structure.py) made of theorem-like blocks
    (``!!! gsthm<ordinal>x``) into their HTML, in place.

    ``labels`` holds the numbered blocks by ordinal, ``titles_html`` their titles'
    HTML, ``exercise_key`` the chapter's key for an exercise's ``data-exercise``;
    ``stash`` is Markdown's HTML stash, where pre-rendered HTML goes.
    """
    for parent in list(root.iter()):
        for div in list(parent):
            marker = _marker(div)
            if marker is None:
                continue
            theorem = theorems[marker]
            title = div.find("p")  # the admonition's title paragraph
            if title is not None and "admonition-title" in title.get("class", ""):
                div.remove(title)
            if theorem.kind in ("hint", "solution"):
                _disclosure(parent, div, theorem, theorems, marker, words)
                continue
            label = labels.get(marker)
            div.attrib.clear()
            div.set("class", f"theorem theorem-{theorem.kind}")
            if theorem.label:
                div.set("id", theorem.label)
            if theorem.kind == "exercise":
                # An unlabelled exercise is known by its place among the exercises: a
                # label keeps the key (and the reader's progress) when exercises move.
                place = [i for i, t in enumerate(theorems) if t.kind == "exercise"].index(marker)
                key = theorem.label or f"exercise-{place + 1}"
                div.set("data-exercise", f"{exercise_key}/{key}")
            head = etree.Element("p", {"class": "theorem-head"})
            number = etree.SubElement(head, "span", {"class": "theorem-number"})
            number.text = words(f"kind.{theorem.kind}") + (f" {label.number}" if label else "")
            if marker in titles_html:
                number.tail = " "
                name = etree.SubElement(head, "span", {"class": "theorem-name"})
                name.text = stash.store(f"({titles_html[marker]})")  # type: ignore[attr-defined]
            div.insert(0, head)
            if theorem.kind == "proof":
                qed = etree.SubElement(div, "p", {"class": "qed"})
                qed.text = stash.store(  # type: ignore[attr-defined]
                    '<span aria-hidden="true">∎</span><span class="visually-hidden">'
                    f"{html.escape(words('proof.end'))}</span>")


def _marker(element: etree.Element) -> int | None:
    if element.tag != "div" or "admonition" not in element.get("class", "").split():
        return None
    for name in element.get("class", "").split():
        match = _MARKER.match(name)
        if match:
            return int(match.group(1))
    return None


def _disclosure(
    parent: etree.Element, div: etree.Element, theorem: TheoremBlock,
    theorems: tuple[TheoremBlock, ...], ordinal: int, words: Words = ENGLISH_WORDS,
) -> None:
    """A hint or a solution: a closed ``<details>``; several hints are numbered."""
    hints = [i for i, t in enumerate(theorems) if t.kind == "hint" and t.parent == theorem.parent]
    summary_text = words("exercise.solution") if theorem.kind == "solution" \
        else words("exercise.hint")
    if theorem.kind == "hint" and len(hints) > 1:
        summary_text = words("exercise.hint_numbered", number=hints.index(ordinal) + 1)
    details = etree.Element("details", {"class": f"exercise-{theorem.kind}"})
    summary = etree.SubElement(details, "summary")
    summary.text = summary_text
    body = etree.SubElement(details, "div", {"class": "disclosure-body"})
    body.text, div.text = div.text, None
    for child in list(div):
        div.remove(child)
        body.append(child)
    index = list(parent).index(div)
    parent.remove(div)
    parent.insert(index, details)


def figure_images(root: etree.Element, images: Mapping[str, Label],
                  words: Words = ENGLISH_WORDS) -> None:
    """An image labelled ``{#name}`` that stands alone in its paragraph becomes a
    numbered figure, its title the caption."""
    for paragraph in list(root.iter("p")):
        children = list(paragraph)
        if len(children) != 1 or children[0].tag != "img" or (paragraph.text or "").strip() \
                or (children[0].tail or "").strip():
            continue
        image = children[0]
        label = images.get(image.get("id", ""))
        if label is None:
            continue
        del image.attrib["id"]
        paragraph.clear()
        paragraph.tag = "figure"
        paragraph.set("class", "figure")
        paragraph.set("id", label.name)
        image.tail = None
        paragraph.append(image)
        caption = etree.SubElement(paragraph, "figcaption")
        number = etree.SubElement(caption, "span", {"class": "figure-number"})
        number.text = f"{words('kind.figure')} {label.number}."
        number.tail = " " + image.get("title", "")


_TABLE_MARKER = re.compile(r"^gstable(\d+)x$")


def table_captions(
    root: etree.Element, labels: Mapping[int, Label], captions_html: Mapping[int, str],
    stash: object, words: Words = ENGLISH_WORDS,
) -> None:
    """Each ``gstable<ordinal>x`` paragraph that the scan (scan/structure.py) left above
    a table becomes that table's ``<caption>``, numbered when the table is labelled."""
    for parent in list(root.iter()):
        children = list(parent)
        for position, paragraph in enumerate(children):
            marker = _TABLE_MARKER.match((paragraph.text or "").strip()) \
                if paragraph.tag == "p" and not len(paragraph) else None
            if marker is None:
                continue
            ordinal = int(marker.group(1))
            parent.remove(paragraph)
            following = children[position + 1] if position + 1 < len(children) else None
            if following is None or following.tag != "table":
                continue
            label = labels.get(ordinal)
            kind = html.escape(words("kind.table"))
            number = (f'<span class="table-number">{kind} {label.number}.</span> '
                      if label else "")
            caption = etree.Element("caption")
            caption.text = stash.store(number + captions_html.get(ordinal, ""))  # type: ignore[attr-defined]
            following.insert(0, caption)
            if label:
                following.set("id", label.name)
