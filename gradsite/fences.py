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

from markdown.inlinepatterns import LinkInlineProcessor
from markdown.util import AMP_SUBSTITUTE

from .diagnostics import Diagnostic, Location, error
from .model import Block, BlockKind, LinkRef, ScannedText

FENCE_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^`]*?)[ \t]*$")
CELL_INFO = re.compile(r"^\{\s*python\s*\}$")
TOKEN = re.compile(r"gstoken(\d+)x")
# A fence meant to run, in another tool's syntax: {python echo=FALSE} (R Markdown),
# {r}, {julia}. {.python} is Pandoc's "show as Python" and stays a code block.
_LOOKS_EXECUTABLE = re.compile(r"^\{\s*[A-Za-z]")
_SPECIAL = re.compile(r"[\\`$]")

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


def scan_body(body: str, start: Location) -> tuple[ScannedText, list[Diagnostic]]:
    """Find blocks, math and links in Markdown whose first line is at ``start``."""
    scanner = _Scanner(start.path)
    text = scanner.scan(body, max(start.line, 1))
    return ScannedText(text, tuple(scanner.blocks), tuple(scanner.links)), scanner.problems


class _Scanner:
    def __init__(self, path: str) -> None:
        self.path = path
        self.blocks: list[Block] = []
        self.links: list[LinkRef] = []
        self.problems: list[Diagnostic] = []

    def _add(
        self, kind: BlockKind, lang: str, source: str, location: Location, body_line: int
    ) -> str:
        index = len(self.blocks)
        self.blocks.append(Block(index, kind, token(index), lang, source, location, body_line))
        return token(index)

    def scan(self, body: str, first_line: int) -> str:
        lines = body.split("\n")
        out: list[str] = []
        prose: list[str] = []
        prose_start = first_line
        i = 0
        while i < len(lines):
            match = FENCE_OPEN.match(lines[i])
            if not match:
                prose.append(lines[i])
                i += 1
                continue
            out.append(self._prose("\n".join(prose), prose_start))
            prose = []
            i = self._fence(lines, i, match, first_line, out)
            prose_start = first_line + i
        out.append(self._prose("\n".join(prose), prose_start))
        return "\n".join(out)

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
        else:
            kind, lang = "code", info.split()[0].strip("{}.") if info else ""
        marker = self._add(kind, lang, source, location, first_line + start + 1)
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
                    out.append(self._math(kind, text[i + 2 : end], line_of(i)))
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
                    out.append(self._math("display-math", text[i + 2 : end], line_of(i)))
                    blank(i, end + 2)
                    i = end + 2
                    continue
                end = _find_inline_dollar_end(text, i)
                if end >= 0:
                    out.append(self._math("math", text[i + 1 : end], line_of(i)))
                    blank(i, end + 1)
                    i = end + 1
                    continue
            out.append(char)
            i += 1
        self._find_links("".join(masked), line_of)
        return "".join(out)

    def _math(self, kind: BlockKind, latex: str, line: int) -> str:
        return self._add(kind, "", latex, Location(self.path, line), line)

    def _find_links(self, masked: str, line_of) -> None:  # type: ignore[no-untyped-def]
        # (offset, target, is_image, markdown): raw HTML is the author's own, so only
        # Markdown's links have their scheme checked.
        found = [(offset, target, is_image, True) for offset, target, is_image
                 in _inline_links(masked)]
        for m in REFERENCE_DEF.finditer(masked):
            found.append((m.start(1), m.group(1), False, True))
        for tag in HTML_TAG.finditer(masked):
            for attr in HTML_URL_ATTR.finditer(tag.group(2)):
                value = attr.group(2) if attr.group(2) is not None else attr.group(3)
                if value:
                    is_link = attr.group(1).lower() == "href"
                    found.append((tag.start(2) + attr.start(), value, not is_link, False))
        for offset, target, is_image, markdown in sorted(found):
            location = Location(self.path, line_of(offset))
            scheme = refused_scheme(target) if markdown else ""
            if scheme:
                self.problems.append(refused_link(target, scheme, location))
            else:
                self.links.append(LinkRef(target, is_image, location))


def _inline_links(masked: str) -> list[tuple[int, str, bool]]:
    """``(offset, target, is_image)`` of every ``[text](target)`` and ``![alt](target)``.

    As Python-Markdown reads them: within one paragraph, escaped brackets are text,
    a link's text may hold an image but no other link, an image's alt holds nothing.
    """
    # Escapes become two characters (the offsets stay): STX and a private-use twin
    # of the escaped character, which is no bracket, parenthesis or quote.
    text = _ESCAPE.sub(lambda m: "\x02" + chr(0xE000 + ord(m.group(1))), masked)
    found: list[tuple[int, str, bool]] = []
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
            href, _, _, handled = _LINK_SYNTAX.getLink(data, index)
            if not handled:
                continue
            spans.append((start, index, is_image))
            target = _ESCAPED.sub(lambda m: chr(ord(m.group(1)) - 0xE000), href)
            if target:
                found.append((base + start - (1 if is_image else 0), target, is_image))
    return found


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
