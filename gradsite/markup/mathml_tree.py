"""KaTeX's MathML as a tree: read once, written once in KaTeX's own style, and the
few questions every pass asks of it (parents, neighbours, rows).

The passes that mend the tree for Chromium are in mathml.py (spacing, signs,
letters) and mathml_layout.py (tables, scripts, stacked and fenced operators).
The tree is written in KaTeX's style: the same escapes, attribute order and
empty-element forms, so a formula no pass touches comes out byte for byte as
KaTeX wrote it.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from xml.etree.ElementTree import Element

MATHML_NAMESPACE = "http://www.w3.org/1998/Math/MathML"
_NAMESPACE_ATTRIBUTE = f' xmlns="{MATHML_NAMESPACE}"'
# KaTeX writes a space as <mspace width="1em"/> and every other element, empty or
# not, with a closing tag. ElementTree forgets which form an element had, so
# self-closed ones carry this mark from parsing to writing.
_SELF_CLOSED = "gradsite-self-closed"
# KaTeX's own escapes (utils.escape), for text and attribute values alike.
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;",
                          "'": "&#x27;"})
_TO_ESCAPE = re.compile("[&<>\"']")

# Elements that lay out their children as a row (MathML Core's inferred mrow): a
# child can be split in two or a space added beside it. Any other parent (msub,
# mfrac, mroot, ...) takes a fixed number of children, each with its own role.
ROWS = frozenset({"math", "mrow", "mstyle", "mphantom", "mpadded", "msqrt", "menclose",
                   "merror", "mtd"})
SCRIPTS = frozenset({"msub", "msup", "msubsup", "munder", "mover", "munderover"})

def parse_katex(markup: str) -> Element:
    """The <math> element of KaTeX's markup, without namespace prefixes in its tags."""
    # Parsed with its xmlns, every tag would read "{namespace}mi" and be written back
    # with "ns0:" prefixes; the namespace is put back as a plain attribute instead.
    markup = markup.replace(_NAMESPACE_ATTRIBUTE, "", 1)
    if "/>" in markup:  # only a tag's end: KaTeX escapes ">" in text and attributes
        markup = markup.replace("/>", f' {_SELF_CLOSED}=""/>')
    root = ElementTree.fromstring(markup)
    math = root if root.tag == "math" else next(root.iter("math"))
    math.attrib = {"xmlns": MATHML_NAMESPACE, **math.attrib}
    return math


def serialize(math: Element) -> str:
    """The tree as markup, in KaTeX's style; valid as foreign content in HTML."""
    parts: list[str] = []
    _write(math, parts)
    return "".join(parts)


def _write(element: Element, parts: list[str]) -> None:
    tag = element.tag
    if element.attrib:
        attributes = "".join([f' {name}="{_escaped(value)}"' for name, value in element.items()
                              if name != _SELF_CLOSED])
        if _SELF_CLOSED in element.attrib:
            parts.append(f"<{tag}{attributes}/>")
            if element.tail:
                parts.append(_escaped(element.tail))
            return
        opening = f"<{tag}{attributes}>"
    else:
        opening = f"<{tag}>"
    text = _escaped(element.text) if element.text else ""
    if len(element):
        parts.append(opening + text)
        for child in element:
            _write(child, parts)
        parts.append(f"</{tag}>")
    else:  # most elements: a letter, a number, an operator
        parts.append(f"{opening}{text}</{tag}>")
    if element.tail:
        parts.append(_escaped(element.tail))


def _escaped(text: str) -> str:
    # The search first: most text has nothing to escape, and translate is slower.
    return text.translate(_ESCAPES) if _TO_ESCAPE.search(text) else text


# --- what the passes look for ------------------------------------------------------
#
# ElementTree keeps no parent links. A pass first finds the few elements its rule
# is about (the U+2061 operators, the signs, the superscripts: scans by tag, in C)
# and only then maps the tree's parents, once, to look at their neighbours.


def with_parents(math: Element, found: list[Element],
                  ) -> Iterator[tuple[Element, dict[Element, Element]]]:
    """Each element found, with the map of the tree's parents (made only when
    something was found: most formulas have no function name, sign or prime)."""
    if found:
        parents = {child: parent for parent in math.iter() for child in parent}
        for element in found:
            yield element, parents


def neighbours(element: Element, parent: Element) -> tuple[Element | None, Element | None]:
    """The siblings just before and just after ``element``."""
    siblings = list(parent)
    index = siblings.index(element)
    return (siblings[index - 1] if index else None,
            siblings[index + 1] if index + 1 < len(siblings) else None)


def is_leaf(element: Element, tag: str) -> bool:
    """An element of ``tag`` with text and no children."""
    return element.tag == tag and not len(element) and bool(element.text)


def row_of(children: list[Element]) -> Element:
    row = Element("mrow")
    row[:] = children
    return row
