"""MathML -> one line of plain text, for accessible names (render stage).

Browsers give a ``<math>`` element no name from its content (ARIA: the math
role is named by its author only), so a label or legend that holds math names
its control "What is ?". Questions therefore give such controls an explicit
``aria-label`` written here: the formula as linear text, the way one types it
(``x^2 + 3``, ``(-3/5, 4/5)``, ``∂f/∂x``). The MathML itself stays in the page
for reading and navigating.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET

_MATH = re.compile(r"<math\b.*?</math>", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
_SPACED = frozenset("=<>+−-±×·≤≥≠≈∈∉⊂⊆→↦∣")
_SKIPPED = frozenset({"annotation", "annotation-xml", "mphantom", "none", "mprescripts"})
_ACCENTS = {"^": "hat", "ˆ": "hat", "¯": "bar", "‾": "bar", "ˉ": "bar", "→": "vector", "⃗": "vector",
            "˙": "dot", "¨": "double dot", "~": "tilde", "˜": "tilde"}
# A minus sign after an opening bracket, an operator or at the start is unary: "(-3/5".
_UNARY = re.compile(r"(^|[(\[{=<>≤≥≠≈,;+±×·]\s*)\s*([−-])\s+")
# KaTeX writes an invisible "function application" after a function's name: "sin x"
# needs a space there, "log(x)" none. Invisible times and separators are dropped.
_APPLY = "\u2061"
_INVISIBLE = str.maketrans("", "", "\u2062\u2063\u2064")
_SEPARATORS = frozenset(",;")
_PRIMES = re.compile("[\u2032\u2033\u2034]+")


def plain_with_math(fragment: str) -> str:
    """The text of an HTML fragment, each formula in it written as linear text."""
    text = _MATH.sub(lambda m: mathml_text(m.group(0)), fragment)
    text = html.unescape(_TAG.sub("", text))
    text = re.sub(r"\s+([,.;:?!)])", r"\1", " ".join(text.split()))
    return re.sub(r"\(\s+", "(", text)


def mathml_text(mathml: str) -> str:
    """One ``<math>`` element as linear text; its bare text if it is not well-formed."""
    try:
        root = ET.fromstring(mathml)
    except ET.ParseError:
        return " ".join(html.unescape(_TAG.sub(" ", mathml)).split())
    text = " ".join(_text(root).translate(_INVISIBLE).split())
    text = re.sub(f"{_APPLY}\\s*(?=[(\\[|_^\u2032-\u2034])", "", text).replace(_APPLY, " ")
    return _UNARY.sub(r"\1\2", " ".join(text.split()))


def _local(element: ET.Element) -> str:
    return element.tag.rsplit("}", 1)[-1]


def _group(element: ET.Element) -> str:
    """A script or a fraction's part: in parentheses unless it is a single token."""
    return _group_text(" ".join(_text(element).split()))


def _group_text(text: str) -> str:
    if len(text) <= 1 or re.fullmatch(r"[\w.′″]+|\(.*\)", text):
        return text
    return f"({text})"


def _text(element: ET.Element) -> str:
    name = _local(element)
    children = list(element)
    if name in _SKIPPED:
        return ""
    if name == "mo":
        op = (element.text or "").strip()
        if op in _SEPARATORS:
            return f"{op} "
        return f" {op} " if op in _SPACED else op
    if name in ("mi", "mn", "mtext", "ms"):
        return element.text or ""
    if name == "mspace":
        return " "
    if name == "mfrac" and len(children) == 2:
        return f"{_group(children[0])}/{_group(children[1])}"
    if name == "msqrt":
        return "√(" + "".join(_text(c) for c in children) + ")"
    if name == "mroot" and len(children) == 2:
        return f"root {_group(children[1])} of ({_text(children[0])})"
    if name in ("msup", "msub", "munder", "mover") and len(children) == 2:
        base, script = _text(children[0]), children[1]
        if name == "mover" and element.get("accent") == "true":
            accent = _text(script).strip()
            return f"{_ACCENTS[accent]} {base}" if accent in _ACCENTS else base + accent
        mark = "^" if name in ("msup", "mover") else "_"
        primes = _PRIMES.match(" ".join(_text(script).split())) if name == "msup" else None
        if primes:  # f′′(x) and f′^2(x), not f^′′ (x)
            rest = " ".join(_text(script).split())[primes.end():].strip()
            return base + primes.group() + (f"^{_group_text(rest)} " if rest else "")
        return f"{base}{mark}{_group(script)} "  # a space keeps "x^2 y" from reading "x^2y"
    if name in ("msubsup", "munderover") and len(children) == 3:
        return f"{_text(children[0])}_{_group(children[1])}^{_group(children[2])} "
    if name == "mtable":
        return "; ".join(", ".join(_text(cell).strip() for cell in row) for row in children)
    texts = [_text(c) for c in children]
    for i, child in enumerate(children):
        # \frac{a}{2}x^2 as "a/2x^2" reads a/(2x^2): a fraction that a term touches
        # (no operator between them) gets parentheses, "(a/2)x^2".
        if _local(child) == "mfrac" and (_touches(children, texts, i - 1)
                                          or _touches(children, texts, i + 1)):
            texts[i] = f"({texts[i].strip()})"
    return "".join(texts)


def _touches(children: list[ET.Element], texts: list[str], i: int) -> bool:
    """Whether the sibling at ``i`` is a term written right next to its neighbour."""
    return 0 <= i < len(children) and _local(children[i]) != "mo" and bool(texts[i].strip())
