"""A question's texts as learning management systems take them: simple HTML with
the math left as TeX between ``\\(`` and ``\\)``.

Canvas and Moodle typeset TeX with MathJax in the reader's browser, so the
formulas go out as their LaTeX, not as the site's MathML. The text is read as
the site reads it (scan/: math, references and code are found first, then
Markdown runs on what is left), with the same rules: raw HTML in the author's
text is shown as written, never parsed.

The LaTeX is made to stand on its own outside the course:

- the course's macros (``course.yml``) are expanded, since an LMS knows none;
- ``\\label`` goes, ``\\eqref``/``\\ref`` become the number they show on the
  site ("(1.2.3)");
- a display formula becomes ``\\(\\displaystyle ...\\)``, one delimiter pair for
  all math as both LMSs understand it; the amsmath environments that number
  rows (``align``, ``gather``, ``equation``), which MathJax refuses inside
  ``\\(``, become their unnumbered inner forms (``aligned``, ``gathered``).

Links: a reference to a label becomes its text ("(1.2.3)", "Figure 1.2.1"),
a link to a page on the web stays a link, and a link to a file of the course
keeps its text only (the file is not in the export). An image from the web
stays; an image of the course becomes its alt text.
"""

from __future__ import annotations

import html
import re
import threading
import xml.etree.ElementTree as etree
from collections.abc import Mapping
from types import MappingProxyType
from urllib.parse import urlsplit

import markdown
from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor
from markdown.treeprocessors import Treeprocessor

from ..diagnostics import Location
from ..markup.markdown import FRAGMENT_EXTENSIONS
from ..markup.numbering import math_with_numbers
from ..model import Block, Macro, Reference
from ..scan import scan_body
from ..scan.findings import TOKEN

# Schemes a link in an LMS may keep: pages on the web and mail.
WEB_SCHEMES = frozenset({"http", "https", "mailto"})
# amsmath environments that number their rows, and what MathJax takes inside \( \).
INLINE_ENVIRONMENTS = {
    "align": "aligned", "align*": "aligned", "gather": "gathered", "gather*": "gathered",
    "alignat": "alignedat", "alignat*": "alignedat", "equation": "", "equation*": "",
}
_ENVIRONMENT = re.compile(r"\\(begin|end)\{(" + "|".join(
    re.escape(name) for name in INLINE_ENVIRONMENTS) + r")\}")
_NUMBERING = re.compile(r"\\(?:notag|nonumber)(?![A-Za-z])|\\tag\*?\s*\{[^{}]*\}")
MAX_EXPANSIONS = 10_000  # a macro that expands to itself would loop; KaTeX refused it already
NO_REFERENCES: Mapping[str, Reference] = MappingProxyType({})


def lms_html(
    text: str, macros: tuple[Macro, ...] = (), references: Mapping[str, Reference] = NO_REFERENCES,
) -> str:
    """``text`` (Markdown with math, as a question's texts are written) as simple HTML
    with its math as TeX in ``\\(...\\)``; one paragraph comes back without its ``<p>``."""
    if not text.strip():
        return ""
    scanned, _ = scan_body(text, Location(""), whole_lines=False)
    pieces = {block.index: _block_html(block, macros, references) for block in scanned.blocks}
    kinds = {block.index: block.kind for block in scanned.blocks}
    md, extension = _markdown()
    extension.pieces, extension.kinds, extension.references = pieces, kinds, references
    md.reset()
    body = md.convert(scanned.text).strip()
    match = re.fullmatch(r"<p>(.*)</p>", body, re.DOTALL)
    if match and "<p>" not in match.group(1):
        return match.group(1)
    return body


def lms_plain(text: str, macros: tuple[Macro, ...] = ()) -> str:
    """A plain text (a chapter's title) with its math as TeX in ``\\(...\\)``, no Markdown."""
    if "$" not in text and "\\(" not in text:
        return text
    scanned, _ = scan_body(text, Location(""), whole_lines=False)
    math = {b.token: b for b in scanned.blocks if b.kind in ("math", "display-math")}

    def formula(match: re.Match[str]) -> str:
        block = math.get(match.group(0))
        return match.group(0) if block is None else f"\\({lms_tex(block.source, macros)}\\)"

    return TOKEN.sub(formula, scanned.text)


def lms_tex(
    latex: str, macros: tuple[Macro, ...] = (), references: Mapping[str, Reference] = NO_REFERENCES,
    display: bool = False,
) -> str:
    """A formula's LaTeX as it stands on its own: numbers for references, no labels,
    the course's macros expanded; a display's numbered environments made inline ones."""
    tex = expand_macros(math_with_numbers(latex, references), macros).strip()
    if display:
        tex = _NUMBERING.sub("", tex)
        tex = _ENVIRONMENT.sub(_inline_environment, tex).strip()
    return tex


def _inline_environment(match: re.Match[str]) -> str:
    inner = INLINE_ENVIRONMENTS[match.group(2)]
    return f"\\{match.group(1)}{{{inner}}}" if inner else ""


def expand_macros(latex: str, macros: tuple[Macro, ...]) -> str:
    """``latex`` with each use of a course macro replaced by its definition, its
    ``#1``, ``#2``, ... by the arguments (a braced group or one token), as TeX does."""
    if not macros or "\\" not in latex:
        return latex
    by_name = {macro.name: macro for macro in macros}
    pattern = re.compile(r"\\(" + "|".join(re.escape(name) for name in sorted(
        by_name, key=len, reverse=True)) + r")(?![A-Za-z])")
    for _ in range(MAX_EXPANSIONS):
        found = pattern.search(latex)
        if found is None:
            return latex
        macro = by_name[found.group(1)]
        end = found.end()
        arguments = []
        for _ in range(macro.arguments):
            argument, end = _argument(latex, end)
            arguments.append(argument)
        latex = latex[:found.start()] + _filled(macro.latex, arguments) + latex[end:]
    return latex


def _filled(definition: str, arguments: list[str]) -> str:
    """A macro's definition with ``#1``, ``#2``, ... replaced by its arguments."""

    def argument(match: re.Match[str]) -> str:
        number = int(match.group(1))
        return arguments[number - 1] if number <= len(arguments) else match.group(0)

    return re.sub(r"#([1-9])", argument, definition)


def _argument(latex: str, start: int) -> tuple[str, int]:
    """A macro's argument at ``start``: the inside of a braced group, a control
    sequence, or one character (spaces before it skipped, as TeX does)."""
    i = start
    while i < len(latex) and latex[i].isspace():
        i += 1
    if i >= len(latex):
        return "", i
    if latex[i] == "{":
        depth, j = 0, i
        while j < len(latex):
            if latex[j] == "\\":  # \{ and \} are no braces of the group
                j += 2
                continue
            if latex[j] == "{":
                depth += 1
            elif latex[j] == "}":
                depth -= 1
                if depth == 0:
                    return latex[i + 1:j], j + 1
            j += 1
        return latex[i + 1:], len(latex)
    if latex[i] == "\\":
        command = re.match(r"\\(?:[A-Za-z]+|.)", latex[i:])
        assert command is not None
        return command.group(0), i + len(command.group(0))
    return latex[i], i + 1


def _block_html(block: Block, macros: tuple[Macro, ...],
                references: Mapping[str, Reference]) -> str:
    if block.kind == "math":
        return html.escape(f"\\({lms_tex(block.source, macros, references)}\\)", quote=False)
    if block.kind == "display-math":
        tex = lms_tex(block.source, macros, references, display=True)
        return html.escape(f"\\(\\displaystyle {tex}\\)", quote=False)
    if block.kind == "ref":
        reference = references.get(block.source)
        if reference is None:
            return html.escape(f"\\{block.lang}{{{block.source}}}", quote=False)
        return html.escape(f"({reference.number})" if block.lang == "eqref"
                           else reference.number, quote=False)
    if block.kind == "code":
        return f"<pre><code>{html.escape(block.source, quote=False)}</code></pre>"
    return ""  # a cell, plot or quiz fence has no place in a question's text


# --- Markdown ---------------------------------------------------------------------------

_per_thread = threading.local()


def _markdown() -> tuple[markdown.Markdown, _LmsExtension]:
    """One Markdown instance per thread for every text (reset before each)."""
    made = getattr(_per_thread, "lms", None)
    if made is None:
        extension = _LmsExtension()
        md = markdown.Markdown(extensions=[*FRAGMENT_EXTENSIONS, extension],
                               output_format="html")
        # Raw HTML in a question is text, as on the site: "<tag>" is escaped.
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        made = _per_thread.lms = (md, extension)
    return made


class _LmsExtension(Extension):
    def __init__(self) -> None:
        super().__init__()
        self.pieces: dict[int, str] = {}
        self.kinds: Mapping[int, str] = {}
        self.references: Mapping[str, Reference] = NO_REFERENCES

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Markdown's API
        # Priority -1: after unescaping (0), on the links' final targets.
        md.treeprocessors.register(_LinkTreeprocessor(md, self), "gradsite-lms-links", -1)
        # Priority 5: after raw HTML and entities are restored, as the site puts blocks back.
        md.postprocessors.register(_TokenPostprocessor(md, self), "gradsite-lms-tokens", 5)


class _TokenPostprocessor(Postprocessor):
    """Puts each block's HTML back in place of its token."""

    def __init__(self, md: markdown.Markdown, extension: _LmsExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, text: str) -> str:
        pieces, kinds = self.extension.pieces, self.extension.kinds

        def standalone(match: re.Match[str]) -> str:
            index = int(match.group(1))
            if kinds.get(index) == "code":
                return pieces[index]
            if kinds.get(index) == "display-math":
                return f"<p>{pieces[index]}</p>"
            return match.group(0)

        text = re.sub(r"<p>\s*gstoken(\d+)x\s*</p>", standalone, text)
        return TOKEN.sub(lambda m: pieces.get(int(m.group(1)), m.group(0)), text)


class _LinkTreeprocessor(Treeprocessor):
    """Links and images that make sense outside the course (see the module doc)."""

    def __init__(self, md: markdown.Markdown, extension: _LmsExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, root: etree.Element) -> None:
        # Deepest first: an image inside a link is made text before the link is.
        for parent in reversed(list(root.iter())):
            for child in list(parent):
                if child.tag == "a" and not self._keeps_link(child):
                    _unwrap(parent, child)
                elif child.tag == "img" and not _from_the_web(child.get("src", ""), images=True):
                    child.text = child.get("alt", "")
                    _unwrap(parent, child)

    def _keeps_link(self, link: etree.Element) -> bool:
        """Whether a link stays one; a reference to a label gets its text first."""
        target = link.get("href", "")
        if target.startswith("#"):
            reference = self.extension.references.get(target[1:])
            if reference is not None and not (link.text or len(link)):
                link.text = reference.text
            return False
        return _from_the_web(target)


def _from_the_web(target: str, images: bool = False) -> bool:
    scheme = urlsplit(target).scheme.lower()
    return scheme in ("http", "https") if images else scheme in WEB_SCHEMES


def _unwrap(parent: etree.Element, child: etree.Element) -> None:
    """``child`` replaced in ``parent`` by its text and its own children."""
    index = list(parent).index(child)
    text = (child.text or "")
    inner = list(child)
    if inner:
        inner[-1].tail = (inner[-1].tail or "") + (child.tail or "")
    else:
        text += child.tail or ""
    if index == 0:
        parent.text = (parent.text or "") + text
    else:
        before = parent[index - 1]
        before.tail = (before.tail or "") + text
    parent.remove(child)
    for offset, element in enumerate(inner):
        parent.insert(index + offset, element)
