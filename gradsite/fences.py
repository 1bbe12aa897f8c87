"""The pre-Markdown pass: fenced blocks, math spans and link targets, with their lines.

Python-Markdown keeps no source lines, so everything that must be reported as
``path:line`` is found here, on the raw text, before Markdown runs (STYLE.md).
Each fenced block and math span is replaced by a token and put
back as finished HTML after Markdown, so ``_`` and ``*`` in formulas never
meet the emphasis parser (Python-Markdown's HtmlStash idea).

Link targets are read with Python-Markdown's own link grammar (nested brackets,
``<destinations with spaces>``, balanced parentheses), so the targets checked
are the ones Markdown renders. A Markdown link or image whose scheme could run
script (``javascript:``, ``data:``, ...) is an error here: only relative URLs,
``#fragments``, ``http:``, ``https:`` and ``mailto:`` are allowed
(``refused_scheme``; raw HTML in a chapter body is the author's own and is not
restricted).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass

from markdown.inlinepatterns import LinkInlineProcessor
from markdown.util import AMP_SUBSTITUTE

from .diagnostics import Diagnostic, Location, did_you_mean, error
from .model import (
    THEOREM_KINDS,
    Block,
    BlockKind,
    LinkRef,
    ScannedText,
    TableCaption,
    TheoremBlock,
)
from .texsource import (
    BEGIN_ENVIRONMENT,
    bare_environment_end,
    bare_environment_problem,
    definitions,
    place_in_file,
)

FENCE_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^`]*?)[ \t]*$")
CELL_INFO = re.compile(r"^\{\s*python\s*\}$")
TOKEN = re.compile(r"gstoken(\d+)x")
# A fence meant to run, in another tool's syntax: {python echo=FALSE} (R Markdown),
# {r}, {julia}. {.python} is Pandoc's "show as Python" and stays a code block.
_LOOKS_EXECUTABLE = re.compile(r"^\{\s*[A-Za-z]")
_SPECIAL = re.compile(r"[\\`$]")
# A theorem-like block's or an admonition's header: !!! theorem "Title" {#label}
THEOREM_HEAD = re.compile(r'^(?P<indent> *)!!! *(?P<kind>[\w-]+)(?P<classes>(?: +[\w-]+)*)'
                          r'(?: +"(?P<title>.*?)")?(?: +\{#(?P<label>[^}\s]*)\})? *$')
# The admonitions the theme styles; every other kind of block is theorem-like or a mistake.
ADMONITION_KINDS = ("note", "tip", "warning", "important", "caution", "danger", "info")
LABEL = re.compile(r"^[a-z0-9][a-z0-9_:-]*$")
LABEL_HINT = "a label is a slug: lowercase letters, digits, '-', '_' and ':', e.g. eq-descent"
# A table's caption, on the line right above it: Table: Step sizes {#tab-rates}
TABLE_CAPTION = re.compile(r"^(?P<indent> *)Table: *(?P<caption>.*?)"
                           r"(?: +\{#(?P<label>[^}\s]*)\})? *$")
# \eqref{name} and \ref{name} in prose (in math they are read by the check stage).
PROSE_REFERENCE = re.compile(r"\\(eqref|ref)\{([^{}]*)\}")
# The same commands inside a formula, and the label of a display equation.
MATH_REFERENCE = re.compile(r"\\(eqref|ref)\s*\{([^{}]*)\}")
LABEL_COMMAND = re.compile(r"\\label\s*\{([^{}]*)\}")

# Link targets: inline links and images (read by _LinkSyntax), reference definitions,
# raw HTML attributes.
REFERENCE_DEF = re.compile(r"^[ ]{0,3}\[(?!\^)[^\]]+\]:[ \t]*<?([^\s>]+)>?", re.MULTILINE)
HTML_TAG = re.compile(r"<(img|a|video|audio|source|track)\b([^>]*)>", re.IGNORECASE)
HTML_URL_ATTR = re.compile(r"""(?<![\w-])(src|href|poster)\s*=\s*(?:"([^"]*)"|'([^']*)')""",
                           re.IGNORECASE)
# Python-Markdown's backslash escapes (its ESCAPED_CHARS, with the tables extension's
# "|"): an escaped bracket or parenthesis is text, not link syntax.
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()>#+\-.!|])")
_ESCAPED = re.compile("\x02([\ue000-\ue07f])")
# A paragraph: Markdown never reads a link across a blank line.
_PARAGRAPH = re.compile(r"(?:[^\n]|\n(?![ \t]*\n))+")

# What a link may point at: "[here](javascript:...)" must not become a live link.
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
SCHEMES_HINT = ("a link or image may go to a relative path, a #fragment, or an http:, https: "
                "or mailto: address")
_URL_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_URL_IGNORED = re.compile(r"[\x00-\x20\x7f-\x9f\s]")


def refused_scheme(url: str) -> str:
    """The scheme of a link target that is not allowed (``"javascript"``), or ``""``.

    Decided on what a browser would see: character references decoded, then every
    space and control character dropped (``jav&#x09;ascript:`` and `` JavaScript:``
    are ``javascript:``). Relative URLs and ``#fragments`` have no scheme and pass.
    """
    text = _URL_IGNORED.sub("", html.unescape(url.replace(AMP_SUBSTITUTE, "&")))
    match = _URL_SCHEME.match(text)
    if match is None or match.group(1).lower() in SAFE_SCHEMES:
        return ""
    return match.group(1).lower()


def refused_link(target: str, scheme: str, location: Location) -> Diagnostic:
    shown = target if len(target) <= 60 else target[:57] + "..."
    return error(location, f"'{shown}' uses the '{scheme}:' scheme, which a link may not use",
                 SCHEMES_HINT)


class _LinkSyntax(LinkInlineProcessor):
    """Python-Markdown's reading of ``[text](destination "title")``, used on the raw text.

    ``getText`` matches nested brackets; ``getLink`` reads ``<a destination with
    spaces>`` or one with balanced parentheses, and the optional title.
    """

    def __init__(self) -> None:
        super().__init__(r"\[")

    def unescape(self, text: str) -> str:
        return text  # before Markdown runs there is no inline stash to restore from


_LINK_SYNTAX = _LinkSyntax()


def token(index: int) -> str:
    return f"gstoken{index}x"


def scan_body(
    body: str, start: Location, whole_lines: bool = True
) -> tuple[ScannedText, list[Diagnostic]]:
    """Find blocks, math and links in Markdown whose first line is at ``start``.

    ``whole_lines``: the text's lines are lines of the file (a chapter body), so every
    formula gets its column; else (a YAML value) only the first line's formulas do,
    and only when ``start`` has the column of the text's first character.
    """
    scanner = _Scanner(start.path, start.column if not whole_lines else 0, whole_lines)
    text = scanner.scan(body, max(start.line, 1))
    scanned = ScannedText(text, tuple(scanner.blocks), tuple(scanner.links),
                          tuple(scanner.theorems), tuple(scanner.tables))
    return scanned, scanner.problems


class _Scanner:
    def __init__(self, path: str, first_column: int = 0, whole_lines: bool = True) -> None:
        self.path = path
        self.first_column = first_column  # of a YAML value's first character (0: unknown)
        self.whole_lines = whole_lines
        self.first_line = 0
        self.blocks: list[Block] = []
        self.links: list[LinkRef] = []
        self.problems: list[Diagnostic] = []
        self.theorems: list[TheoremBlock] = []
        self.tables: list[TableCaption] = []
        self._open: list[_OpenBlock] = []  # the blocks the current line stands in

    def _add(
        self, kind: BlockKind, lang: str, source: str, location: Location, body_line: int,
        body_indent: int = 0,
        column: int = 0,
    ) -> str:
        index = len(self.blocks)
        self.blocks.append(Block(index, kind, token(index), lang, source, location, body_line,
                                 body_indent, column))
        return token(index)

    def scan(self, body: str, first_line: int) -> str:
        self.first_line = first_line
        lines = body.split("\n")
        out: list[str] = []
        prose: list[str] = []
        prose_start = first_line
        i = 0
        while i < len(lines):
            match = FENCE_OPEN.match(lines[i])
            if not match:
                line = self._block_structure(lines[i], first_line + i)
                following = lines[i + 1] if i + 1 < len(lines) else ""
                prose.append(self._table_caption(line, following, first_line + i))
                i += 1
                continue
            self._block_structure(lines[i], first_line + i)
            out.append(self._prose("\n".join(prose), prose_start))
            prose = []
            i = self._fence(lines, i, match, first_line, out)
            prose_start = first_line + i
        out.append(self._prose("\n".join(prose), prose_start))
        self._close_blocks(-1)
        return "\n".join(out)

    def _block_structure(self, line: str, number: int) -> str:
        """Follow which theorem-like blocks and admonitions are open; a theorem-like
        block's header becomes ``!!! gsthm<ordinal>x`` (the render stage writes its
        head from ``self.theorems``)."""
        if not line.strip():
            return line
        indent = len(line) - len(line.lstrip(" "))
        self._close_blocks(indent)
        if self._open:
            self._open[-1].has_content = True
        head = THEOREM_HEAD.match(line) if "!!!" in line else None
        if head is None:
            return line
        kind, where = head.group("kind"), Location(self.path, number, indent + 1)
        if kind not in THEOREM_KINDS:
            if kind not in ADMONITION_KINDS:
                self.problems.append(error(where, f"unknown kind of block '{kind}'",
                                           did_you_mean(kind, (*THEOREM_KINDS, *ADMONITION_KINDS),
                                                        "kinds")))
            self._open.append(_OpenBlock(indent, -1, kind))
            return line
        label = head.group("label") or ""
        if head.group("label") is not None and not LABEL.match(label):
            self.problems.append(error(where, f"'{label}' is not a label", LABEL_HINT))
            label = ""
        parent = next((block for block in reversed(self._open) if block.ordinal != -1), None)
        if kind in ("hint", "solution") and (parent is None or parent.kind != "exercise"):
            self.problems.append(error(where, f"a {kind} belongs inside an exercise",
                                       f"indent it under a '!!! exercise' block, as its "
                                       f"{'last' if kind == 'solution' else 'first'} part"))
        ordinal = len(self.theorems)
        self.theorems.append(TheoremBlock(kind, head.group("title") or "", label, where,
                                          parent.ordinal if parent is not None else -1))
        self._open.append(_OpenBlock(indent, ordinal, kind))
        return f"{head.group('indent')}!!! gsthm{ordinal}x"

    def _table_caption(self, line: str, following: str, number: int) -> str:
        """A ``Table: ...`` line right above a table is its caption: it becomes a
        ``gstable<ordinal>x`` paragraph that the render stage turns into the caption."""
        caption = TABLE_CAPTION.match(line) if "Table:" in line else None
        if caption is None or not following.lstrip().startswith("|"):
            return line
        label = caption.group("label") or ""
        where = Location(self.path, number, len(caption.group("indent")) + 1)
        if caption.group("label") is not None and not LABEL.match(label):
            self.problems.append(error(where, f"'{label}' is not a label", LABEL_HINT))
            label = ""
        self.tables.append(TableCaption(caption.group("caption").strip(), label, where))
        return f"{caption.group('indent')}gstable{len(self.tables) - 1}x\n"

    def _close_blocks(self, indent: int) -> None:
        """Close the blocks a line at ``indent`` is not inside of (-1: all of them)."""
        while self._open and indent <= self._open[-1].indent:
            block = self._open.pop()
            if not block.has_content and block.ordinal != -1:
                self.problems.append(error(self.theorems[block.ordinal].location,
                                           f"this {block.kind} block is empty",
                                           "indent its text by four spaces under the '!!!' line"))

    def _fence(
        self, lines: list[str], start: int, match: re.Match[str], first_line: int, out: list[str]
    ) -> int:
        indent, fence, info = match.group("indent"), match.group("fence"), match.group("info")
        location = Location(self.path, first_line + start)
        end = start + 1
        while end < len(lines) and not _closes(lines[end], fence):
            end += 1
        if end == len(lines):
            self.problems.append(
                error(location, f"this code fence ({fence}) is never closed",
                      f"add a line '{fence}' after the block")
            )
        body_lines = [_dedent(line, indent) for line in lines[start + 1 : end]]
        source = "\n".join(body_lines)
        kind: BlockKind
        if CELL_INFO.match(info):
            kind, lang = "cell", "python"
        elif _LOOKS_EXECUTABLE.match(info):
            self.problems.append(_not_a_cell(info, location))
            kind, lang = "code", info.strip("{} ").split()[0].split(",")[0]
        elif info == "plot":
            kind, lang = "plot", ""
        elif info == "quiz":
            kind, lang = "quiz", ""
        elif info == "functions":
            kind, lang = "functions", ""
        else:
            kind, lang = "code", info.split()[0].strip("{}.") if info else ""
        marker = self._add(kind, lang, source, location, first_line + start + 1,
                           body_indent=len(indent))
        # Blank lines around the token make it a paragraph of its own, so the
        # block's HTML never ends up inside a <p>.
        out.append(f"\n{indent}{marker}\n")
        return end + 1

    def _prose(self, text: str, first_line: int) -> str:
        """Replace math spans and escaped dollars; record link targets."""
        out: list[str] = []
        masked = list(text)  # the text with code and math blanked out, for link finding
        line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

        def line_of(offset: int) -> int:
            lo, hi = 0, len(line_starts) - 1
            while lo < hi:
                mid = (lo + hi + 1) // 2
                if line_starts[mid] <= offset:
                    lo = mid
                else:
                    hi = mid - 1
            return first_line + lo

        def column_of(offset: int) -> int:
            column = offset - text.rfind("\n", 0, offset)
            if self.whole_lines:
                return column
            first = line_of(offset) == self.first_line and self.first_column
            return column + self.first_column - 1 if first else 0

        def blank(begin: int, end: int) -> None:
            for k in range(begin, end):
                if masked[k] != "\n":
                    masked[k] = " "

        i, n = 0, len(text)
        while i < n:
            special = _SPECIAL.search(text, i)
            if special is None:
                out.append(text[i:])
                break
            if special.start() > i:  # plain prose up to the next \\, ` or $
                out.append(text[i : special.start()])
                i = special.start()
            char = text[i]
            if char == "\\" and i + 1 < n:
                nxt = text[i + 1]
                if nxt == "$":
                    out.append("&#36;")
                    i += 2
                    continue
                begin = BEGIN_ENVIRONMENT.match(text, i) if nxt == "b" else None
                end = self._bare_environment(text, begin, line_of, column_of) if begin else -1
                if end >= 0:
                    out.append(self._math("display-math", text[i:end], line_of(i), column_of(i)))
                    blank(i, end)
                    i = end
                    continue
                reference = PROSE_REFERENCE.match(text, i)
                if reference is not None:
                    out.append(self._add("ref", reference.group(1), reference.group(2).strip(),
                                         Location(self.path, line_of(i)), line_of(i)))
                    blank(i, reference.end())
                    i = reference.end()
                    continue
                if nxt in "([":
                    closer = "\\)" if nxt == "(" else "\\]"
                    end = text.find(closer, i + 2)
                    if end < 0:
                        self.problems.append(
                            error(Location(self.path, line_of(i)),
                                  f"math opened with \\{nxt} is never closed with {closer}",
                                  "write \\\\ for a literal backslash")
                        )
                        out.append(text[i : i + 2])
                        i += 2
                        continue
                    kind: BlockKind = "math" if nxt == "(" else "display-math"
                    out.append(self._math(kind, text[i + 2 : end], line_of(i), column_of(i + 2)))
                    blank(i, end + 2)
                    i = end + 2
                    continue
                out.append(text[i : i + 2])
                i += 2
                continue
            if char == "`":
                run = len(text) - len(text[i:].lstrip("`"))
                ticks = text[i:run]
                end = _find_code_span_end(text, run, ticks)
                if end < 0:
                    out.append(ticks)
                    i = run
                    continue
                out.append(text[i:end])
                blank(i, end)
                i = end
                continue
            if char == "$":
                if text.startswith("$$", i):
                    end = text.find("$$", i + 2)
                    if end < 0:
                        self.problems.append(
                            error(Location(self.path, line_of(i)),
                                  "display math opened with $$ is never closed",
                                  "close it with $$; write \\$ for a literal dollar sign")
                        )
                        out.append("$$")
                        i += 2
                        continue
                    out.append(self._math("display-math", text[i + 2 : end], line_of(i),
                                          column_of(i + 2)))
                    blank(i, end + 2)
                    i = end + 2
                    continue
                end = _find_inline_dollar_end(text, i)
                if end >= 0:
                    out.append(self._math("math", text[i + 1 : end], line_of(i), column_of(i + 1)))
                    blank(i, end + 1)
                    i = end + 1
                    continue
            out.append(char)
            i += 1
        self._find_links("".join(masked), line_of)
        return "".join(out)

    def _math(self, kind: BlockKind, latex: str, line: int, column: int) -> str:
        for definition in definitions(latex):
            where = Location(self.path, *place_in_file(line, column, latex, definition.offset))
            defined = f"defines \\{definition.name}" if definition.name else "defines a macro"
            self.problems.append(error(where, f"{definition.command} {defined} for this "
                                       "formula only", definition.hint))
        return self._add(kind, "", latex, Location(self.path, line), line, column=column)

    def _bare_environment(
        self, text: str, begin: re.Match[str], line_of: Callable[[int], int],
        column_of: Callable[[int], int],
    ) -> int:
        """The end of a display environment written outside $$ (texsource.py), or -1
        when ``begin`` starts no math here (an error says why, when it is a mistake)."""
        start = begin.start()
        at_line_start = not text[text.rfind("\n", 0, start) + 1 : start].strip()
        message, hint = bare_environment_problem(begin.group(1), at_line_start)
        end = -1 if message else bare_environment_end(text, begin)
        if not message and end < 0:
            message = f"{begin.group(0)} is never closed with \\end{{{begin.group(1)}}}"
            hint = f"end the formula with \\end{{{begin.group(1)}}}"
        if message:
            where = Location(self.path, line_of(start), column_of(start))
            self.problems.append(error(where, message, hint))
        return end

    def _find_links(self, masked: str, line_of) -> None:  # type: ignore[no-untyped-def]
        # Raw HTML is the author's own, so only Markdown's links have their scheme checked.
        found = _inline_links(masked)
        found += [_InlineLink(m.start(1), m.group(1), False)
                  for m in REFERENCE_DEF.finditer(masked)]
        for tag in HTML_TAG.finditer(masked):
            for attr in HTML_URL_ATTR.finditer(tag.group(2)):
                value = attr.group(2) if attr.group(2) is not None else attr.group(3)
                if value:
                    is_link = attr.group(1).lower() == "href"
                    found.append(_InlineLink(tag.start(2) + attr.start(), value, not is_link,
                                             markdown=False))
        for link in sorted(found, key=lambda link: link.offset):
            location = Location(self.path, line_of(link.offset))
            scheme = refused_scheme(link.target) if link.markdown else ""
            if scheme:
                self.problems.append(refused_link(link.target, scheme, location))
            else:
                self.links.append(LinkRef(link.target, link.is_image, location, link.empty,
                                          link.title, link.label))


@dataclass(frozen=True)
class _InlineLink:
    """A link target found in the raw text, with what the build needs to know of it."""

    offset: int
    target: str
    is_image: bool
    markdown: bool = True  # Markdown's syntax, not an attribute of raw HTML
    empty: bool = False  # a link with no text: [](#name)
    title: str = ""
    label: str = ""  # an image's {#label}


_IMAGE_LABEL = re.compile(r"\{#([^}\s]*)\}")


def _inline_links(masked: str) -> list[_InlineLink]:
    """Every ``[text](target)`` and ``![alt](target "title"){#label}``.

    As Python-Markdown reads them: within one paragraph, escaped brackets are text,
    a link's text may hold an image but no other link, an image's alt holds nothing.
    """
    # Escapes become two characters (the offsets stay): STX and a private-use twin
    # of the escaped character, which is no bracket, parenthesis or quote.
    text = _ESCAPE.sub(lambda m: "\x02" + chr(0xE000 + ord(m.group(1))), masked)
    found: list[_InlineLink] = []
    for paragraph in _PARAGRAPH.finditer(text):
        data, base = paragraph.group(0), paragraph.start()
        spans: list[tuple[int, int, bool]] = []  # the text of each link found, and if an image
        for bracket in re.finditer(r"\[", data):
            start = bracket.start()
            is_image = start > 0 and data[start - 1] == "!"
            if any(s < start < e and (image or not is_image) for s, e, image in spans):
                continue
            _, index, closed = _LINK_SYNTAX.getText(data, start + 1)
            if not closed:
                continue
            href, title, end, handled = _LINK_SYNTAX.getLink(data, index)
            if not handled:
                continue
            spans.append((start, index, is_image))
            target = _ESCAPED.sub(lambda m: chr(ord(m.group(1)) - 0xE000), href)
            if not target:
                continue
            label = _IMAGE_LABEL.match(data, end) if is_image else None
            found.append(_InlineLink(
                base + start - (1 if is_image else 0), target, is_image,
                empty=not is_image and not data[start + 1 : index - 1].strip(),
                title=(title or "") if label else "", label=label.group(1) if label else ""))
    return found


@dataclass
class _OpenBlock:
    """A theorem-like block or an admonition that the scanned lines stand in."""

    indent: int
    ordinal: int  # its place in the chapter's theorem-like blocks; -1 for an admonition
    kind: str
    has_content: bool = False


def _closes(line: str, fence: str) -> bool:
    """A closing fence: only the fence's character, at least as many as it opened with."""
    stripped = line.strip()
    return len(stripped) >= len(fence) and stripped == fence[0] * len(stripped)


def _dedent(line: str, indent: str) -> str:
    return line[len(indent) :] if line.startswith(indent) else line.lstrip(" \t")


def _find_code_span_end(text: str, start: int, ticks: str) -> int:
    """End offset of a code span whose opening backticks end at ``start``, or -1."""
    pos = start
    while True:
        found = text.find(ticks, pos)
        if found < 0:
            return -1
        # A run of a different length does not close the span (CommonMark).
        after = found + len(ticks)
        if (after < len(text) and text[after] == "`") or text[found - 1] == "`":
            pos = after
            while pos < len(text) and text[pos] == "`":
                pos += 1
            continue
        # A code span does not cross a blank line.
        if "\n\n" in text[start:found]:
            return -1
        return after


def _find_inline_dollar_end(text: str, start: int) -> int:
    """Offset of the ``$`` closing inline math opened at ``start``, or -1.

    Pandoc's rule keeps currency as text: the opening ``$`` is followed by a
    non-space, the closing one follows a non-space and is not followed by a
    digit ("costs $5 and $10" holds no math).
    """
    if start + 1 >= len(text) or text[start + 1].isspace() or text[start + 1] == "$":
        return -1
    pos = start + 1
    while pos < len(text):
        char = text[pos]
        if char == "\\":
            pos += 2
            continue
        if (char == "\n" and text.startswith("\n\n", pos)) or char == "`":
            return -1  # inline math ends in its paragraph and never holds code
        if char == "$":
            before = text[pos - 1]
            after = text[pos + 1] if pos + 1 < len(text) else ""
            if not before.isspace() and not after.isdigit():
                return pos
            return -1  # "$5 and $x$": the first $ was currency, not math
        pos += 1
    return -1


def _not_a_cell(info: str, location: Location) -> Diagnostic:
    """The error for a fence written to run in another tool's syntax."""
    lang, _, rest = info.strip("{} ").replace(",", " ", 1).partition(" ")
    if lang.lower() != "python":
        return error(location, f"'```{info}' is not run: only {{python}} cells run",
                     f"to show {lang} code without running it, write '```{lang}'")
    lines = []
    for key, value in _OPTION.findall(rest):
        value = value.strip("'\"")
        if value in ("TRUE", "FALSE", "True", "False"):  # R's and Python's spellings
            value = value.lower()
        lines.append(f"'#| {OTHER_TOOLS_OPTIONS.get(key, key)}: {value}'")
    inside = f" and, as its first lines, {'; '.join(lines)}" if lines else ""
    return error(location, f"'```{info}' is not a cell: options go inside it",
                 f"write '```{{python}}'{inside}")


_OPTION = re.compile(r"""([\w.-]+)\s*=\s*("[^"]*"|'[^']*'|[^\s,]+)""")
# Names that R Markdown and Quarto give the options gradsite has.
OTHER_TOOLS_OPTIONS = {"fig.cap": "caption", "fig-cap": "caption", "fig.alt": "alt",
                       "fig-alt": "alt", "fig.format": "format", "fig-format": "format",
                       "label": "id", "include": "output"}
