"""HTML of what the scan took out of a text: formulas as MathML, each error at the
line and column of the file where KaTeX stopped; code blocks highlighted; prose
references as links. And a plain text's inline math (``render_text_with_math``),
rendered and placed the same way.

``render_blocks`` makes the HTML of a chapter's or a YAML text's blocks; the
Markdown renderer (markdown.py) puts it back in place of their tokens.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from functools import lru_cache
from types import MappingProxyType

from ..diagnostics import INVALID_LATEX, Diagnostic, Location, error
from ..model import Block, Reference, ScannedText
from ..scan import scan_body
from ..scan.findings import TOKEN
from ..texsource import (
    definitions,
    environment_hint,
    offset_in_source,
    place_in_file,
    undefined_command,
)
from .highlight import highlight_code
from .math import render_math
from .numbering import math_with_numbers, reference_link


def render_math_block(
    block: Block, references: Mapping[str, Reference] = MappingProxyType({}), macros: str = "",
    defined: frozenset[str] = frozenset(),
) -> tuple[str, list[Diagnostic]]:
    """A formula's MathML, or its error at the line and column where KaTeX stopped.
    A definition of a macro in a formula is reported where it stands (scan/prose.py), so
    neither that formula nor a use of one of ``defined`` (the macros the chapter
    defines so) is a second error."""
    display = block.kind == "display-math"
    sent = math_with_numbers(block.source, references).strip()
    result = render_math(sent, display, macros)
    if not result.error:
        return result.mathml, []
    if undefined_command(result.error) in defined or definitions(block.source):
        return "", []
    offset = offset_in_source(block.source, sent, result.offset)
    line, column = place_in_file(block.location.line, block.column, block.source, offset)
    hint = environment_hint(result.error) or ("check the braces and the command names; "
                                              "KaTeX's list of supported functions is the "
                                              "reference")
    return "", [error(Location(block.location.path, line, column),
                      f"{INVALID_LATEX}: {result.error}", hint)]


EMPTY: Mapping[tuple[str, str], str] = MappingProxyType({})


def render_blocks(
    scanned: ScannedText, highlighted: Mapping[tuple[str, str], str] = EMPTY,
    references: Mapping[str, Reference] = MappingProxyType({}), macros: str = "",
) -> tuple[dict[int, str], list[Diagnostic]]:
    """HTML for the code and math blocks and the prose references of a chapter (cells
    show their code here); ``highlighted`` holds code blocks highlighted before, by
    (source, language); ``references`` the labels the chapter refers to, by name;
    ``macros`` the course's macro definitions."""
    rendered: dict[int, str] = {}
    problems: list[Diagnostic] = []
    defined = frozenset(definition.name for block in scanned.blocks
                        if block.kind in ("math", "display-math")
                        for definition in definitions(block.source))
    for block in scanned.blocks:
        if block.kind in ("math", "display-math"):
            mathml, found = render_math_block(block, references, macros, defined)
            problems.extend(found)
            rendered[block.index] = mathml
        elif block.kind == "ref":
            reference = references.get(block.source)
            rendered[block.index] = (reference_link(reference, block.lang) if reference
                                     else html.escape(f"\\{block.lang}{{{block.source}}}"))
        elif block.kind == "code":
            known = highlighted.get((block.source, block.lang))
            rendered[block.index] = known or highlight_code(block.source, block.lang)
    return rendered, problems




_NOWHERE = Location("")


@lru_cache(maxsize=4096)
def render_text_with_math(
    text: str, macros: str = "", start: Location = _NOWHERE
) -> tuple[str, tuple[tuple[str, Location], ...]]:
    """A plain text (a title, a summary) as HTML: escaped, with its inline math as
    MathML; and the error message of each formula that is not valid LaTeX (shown
    as written then), with its place when the text starts at ``start`` (its first
    character's column, if known). Unlike a caption, no other Markdown: "a * b"
    stays as it is.
    """
    if "$" not in text and "\\(" not in text:
        return html.escape(text, quote=False), ()
    scanned, _ = scan_body(text, start, whole_lines=False)
    math = {b.token: b for b in scanned.blocks if b.kind in ("math", "display-math")}
    errors: list[tuple[str, Location]] = []

    def formula(match: re.Match[str]) -> str:
        block = math.get(match.group(0))
        if block is None:
            return match.group(0)
        sent = block.source.strip()
        result = render_math(sent, False, macros)
        if result.error:
            offset = offset_in_source(block.source, sent, result.offset)
            place = place_in_file(block.location.line, block.column, block.source, offset)
            errors.append((result.error, Location(start.path, *place)))
            return html.escape(f"${block.source}$", quote=False)
        return result.mathml

    shown = html.escape(scanned.text, quote=False).replace("&amp;#36;", "&#36;")
    return TOKEN.sub(formula, shown), tuple(errors)


