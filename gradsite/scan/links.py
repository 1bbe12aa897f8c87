"""Link targets in the raw text, with their lines, and the schemes a link may not use.

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

from ..diagnostics import Diagnostic, Location, error
from ..model import LinkRef
from .findings import Findings

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


def find_links(found: Findings, masked: str, line_of: Callable[[int], int],
               column_of: Callable[[int], int]) -> None:
    """Record the link targets of ``masked`` (prose with its code and math blanked
    out), each at its line and column (of an offset: ``line_of``, ``column_of``); a
    refused scheme is a problem."""
    # Raw HTML is the author's own, so only Markdown's links have their scheme checked.
    links = _inline_links(masked)
    links += [_InlineLink(m.start(1), m.group(1), False)
              for m in REFERENCE_DEF.finditer(masked)]
    for tag in HTML_TAG.finditer(masked):
        for attr in HTML_URL_ATTR.finditer(tag.group(2)):
            value = attr.group(2) if attr.group(2) is not None else attr.group(3)
            if value:
                is_link = attr.group(1).lower() == "href"
                links.append(_InlineLink(tag.start(2) + attr.start(), value, not is_link,
                                         markdown=False))
    for link in sorted(links, key=lambda link: link.offset):
        location = Location(found.path, line_of(link.offset), column_of(link.offset))
        scheme = refused_scheme(link.target) if link.markdown else ""
        if scheme:
            found.problems.append(refused_link(link.target, scheme, location))
        else:
            found.links.append(LinkRef(link.target, link.is_image, location, link.empty,
                                       link.title, link.label))


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
    end: int = 0  # the offset after the link, its {#label} included
    text: tuple[int, int] = (0, 0)  # where the link's text (an image's alt) starts and ends


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
                title=(title or "") if label else "", label=label.group(1) if label else "",
                end=base + (label.end() if label else end),
                text=(base + start + 1, base + index - 1)))
    return found


@dataclass(frozen=True)
class LinkSpan:
    """An inline link or image of a text, where it stands: ``text[start:end]``."""

    start: int
    end: int
    target: str
    is_image: bool
    text: tuple[int, int]  # where the link's text (an image's alt) starts and ends
    title: str  # an image's title, when it is labelled
    label: str  # an image's {#label}


def inline_link_spans(text: str) -> list[LinkSpan]:
    """Every ``[text](target)`` and ``![alt](target "title"){#label}`` of ``text``, by
    Python-Markdown's grammar, in order. Blank out its code spans first: they hold no
    link, but may hold brackets."""
    return [LinkSpan(link.offset, link.end, link.target, link.is_image, link.text, link.title,
                     link.label) for link in _inline_links(text)]
