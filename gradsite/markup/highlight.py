"""Syntax highlighting at build time with Pygments, with line numbers.

The page gets a ``div.codeblock`` around Pygments' HTML; its script adds a copy
button (none without JavaScript). Token colours come from ``pygments_css``.
"""

from __future__ import annotations

from functools import lru_cache
from html import escape

from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name
from pygments.lexers.special import TextLexer
from pygments.util import ClassNotFound

LIGHT_STYLE = "xcode"  # both chosen for WCAG AA contrast of every token colour
DARK_STYLE = "lightbulb"


def highlight_code(source: str, lang: str) -> str:
    """A highlighted code block with inline, unselectable line numbers.

    Nothing is remembered here: the render stage keeps what was highlighted in
    the build cache, so a long ``serve`` session holds no growing memo.
    """
    body = highlight(source.rstrip("\n") + "\n", _lexer(lang), _formatter())
    shown = escape(lang or "text", quote=True)
    return f'<div class="codeblock" data-lang="{shown}">{body}</div>'


# Lexers and the formatter are reusable between blocks, and costly to make
# (a lookup by name, a style sheet): made once each.
@lru_cache(maxsize=64)
def _lexer(lang: str) -> Lexer:
    try:
        return get_lexer_by_name(lang) if lang else TextLexer()
    except ClassNotFound:
        return TextLexer()


@lru_cache(maxsize=1)
def _formatter() -> HtmlFormatter:
    return HtmlFormatter(linenos="inline", wrapcode=True, cssclass="highlight")


def pygments_css() -> str:
    """Token colours for light pages, and for dark ones when the system asks for it."""
    light = HtmlFormatter(style=LIGHT_STYLE).get_style_defs(".highlight")
    dark = HtmlFormatter(style=DARK_STYLE).get_style_defs(".highlight")
    dark_indented = "\n".join("  " + line for line in dark.splitlines())
    return f"{light}\n@media screen and (prefers-color-scheme: dark) {{\n{dark_indented}\n}}\n"
