"""LaTeX -> MathML at build time, with KaTeX (through pykatex's embedded QuickJS).

KaTeX's MathML covers what course math needs (``aligned``, ``cases``,
matrices, display limits, ``\\operatorname``, spacing) where pure-Python
converters get some of it wrong. The page then needs no script to show math;
the shipped STIX Two Math font (assets.py) lays it out. KaTeX's MathML is then
mended for Chromium's MathML Core, one pass per rule (mathml.py).
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from xml.etree.ElementTree import Element

from .mathml import mend
from .mathml_tree import parse_katex, serialize

# KaTeX ends a message with where the error is and an excerpt of the formula.
_POSITION = re.compile(r" at position (\d+): .*$", re.DOTALL)
_AT_END = re.compile(r" at end of input: .*$", re.DOTALL)
_COMMAND = re.compile(r"\\[A-Za-z]+")
# TeX gives \mathop limits under and over it in display style; KaTeX puts them at
# its side unless \limits follows. In a display, \mathop{...} reads as
# \mathop{...}\limits, and a \nolimits the author writes after it still wins.
_DISPLAY_MATHOP = r"\let\gradsiteMathop\mathop\def\mathop#1{\gradsiteMathop{#1}\limits}"


# pykatex keeps one QuickJS runtime for the whole process, made on the thread that
# first renders, and QuickJS may only ever run on that thread: called from another
# (serve builds on a new thread each time) it reports a stack overflow for a valid
# formula, hangs, or corrupts memory. So every formula is set on this one thread.
_KATEX_THREAD = ThreadPoolExecutor(max_workers=1, thread_name_prefix="gradsite-katex")


@dataclass(frozen=True)
class MathResult:
    mathml: str  # empty when the LaTeX is invalid
    error: str = ""
    offset: int = 0  # 0-based offset of the error in the LaTeX (its length: at the end)


@lru_cache(maxsize=8192)
def render_math(latex: str, display: bool, macros: str = "") -> MathResult:
    """MathML for one formula; invalid LaTeX gives an error message instead.

    ``macros`` holds the course's macro definitions (``\\def\\R{\\mathbb{R}}...``),
    read by KaTeX ahead of the formula; error offsets are the formula's own.
    """
    import pykatex  # here: worker processes import this module but never render math

    if display and "\\mathop" in latex:
        macros = _DISPLAY_MATHOP + macros
    try:
        html = _KATEX_THREAD.submit(
            pykatex.renderToString,
            macros + latex,
            displayMode=display,
            output=pykatex.OUTPUT_MATHML,
            throwOnError=True,
            strict=pykatex.STRICT_IGNORE,
        ).result()
    except pykatex.ParseError as exc:
        message = str(exc).replace("\u0332", "")  # KaTeX underlines the culprit
        offset = 0
        found = _POSITION.search(message)
        at_end = _AT_END.search(message)
        if found:
            offset = max(int(found.group(1)) - 1 - len(macros), 0)
            message = message[: found.start()]
        elif at_end:
            offset = len(latex)
            message = message[: at_end.start()]
        # A message is one line: KaTeX's may carry the formula's own line breaks.
        return MathResult("", " ".join(message.split()), offset)
    math = parse_katex(html)
    command = _untrusted_command(math)
    if command:
        return MathResult("", f"{command} is not allowed in math here: it could load or link "
                          "to anything, so KaTeX shows it only for trusted input",
                          max(latex.find(command), 0))
    mend(math)
    return MathResult(serialize(math))


def _untrusted_command(math: Element) -> str:
    """The command KaTeX left unrendered for want of "trust", or ""."""
    # \href, \url, \includegraphics, \htmlClass...: without KaTeX's "trust" they come
    # out as the command's name in its error colour, which would be published as is.
    for style in math.iter("mstyle"):
        if style.attrib == {"mathcolor": "#cc0000"} and len(style) == 1:
            text = style[0]
            if (text.tag == "mtext" and not text.attrib and not len(text)
                    and _COMMAND.fullmatch(text.text or "")):
                return text.text or ""
    return ""

