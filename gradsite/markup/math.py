"""LaTeX -> MathML at build time, with KaTeX (through pykatex's embedded QuickJS).

KaTeX's MathML covers what course math needs (``aligned``, ``cases``,
matrices, display limits, ``\\operatorname``, spacing) where pure-Python
converters get some of it wrong. The page then needs no script to show math;
the shipped STIX Two Math font (assets.py) lays it out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

_WRAPPER = re.compile(r'^<span class="katex">(.*)</span>$', re.DOTALL)
# The LaTeX annotation would leak into heading anchors and tables of contents.
_SEMANTICS = re.compile(
    r"<semantics>(.*)<annotation encoding=\"application/x-tex\">.*?</annotation></semantics>",
    re.DOTALL,
)
# KaTeX writes an operator name as <mi>max</mi><mo>&ApplyFunction;</mo> without a
# group of its own when it is a script (\lambda_{\max}): the msub then has three
# children, which is invalid MathML. One mrow around each such pair mends it.
_OPERATOR_NAME = re.compile(r"(?<!<mrow>)(<mi[^>]*>[^<]*</mi><mo>\u2061</mo>)(?!</mrow>)")
_POSITION = re.compile(r" at position (\d+): .*$", re.DOTALL)
# f' is <msup><mi>f</mi><mo>′</mo></msup> in KaTeX's MathML, as in TeX; but the prime
# glyph is already a raised mark, so as a superscript it sits tiny and far too high
# (Chromium applies no script-size prime). Written after its letter it looks as in
# print: f′(x), g″(x).
_PRIMED = re.compile(
    r'<msup>(<mi>[^<]*</mi>)(?:<mo mathvariant="normal" lspace="0em" rspace="0em">′</mo>'
    r'|<mrow>((?:<mo mathvariant="normal">′</mo>)+)</mrow>)</msup>'
)


def _prime_after(match: re.Match[str]) -> str:
    primes = "′" * max(match.group(0).count("′"), 1)
    return f'{match.group(1)}<mo lspace="0em" rspace="0em">{primes}</mo>'


# \href, \url, \includegraphics, \htmlClass...: without KaTeX's "trust" they come out
# as the command's name in its error colour, which would be published as is.
_UNTRUSTED = re.compile(r'<mstyle mathcolor="#cc0000"><mtext>(\\[A-Za-z]+)</mtext></mstyle>')


@dataclass(frozen=True)
class MathResult:
    mathml: str  # empty when the LaTeX is invalid
    error: str = ""
    offset: int = 0  # 0-based offset of the error in the LaTeX, when known


@lru_cache(maxsize=8192)
def render_math(latex: str, display: bool) -> MathResult:
    """MathML for one formula; invalid LaTeX gives an error message instead."""
    import pykatex  # here: worker processes import this module but never render math

    try:
        html = pykatex.renderToString(
            latex,
            displayMode=display,
            output=pykatex.OUTPUT_MATHML,
            throwOnError=True,
            strict=pykatex.STRICT_IGNORE,
        )
    except pykatex.ParseError as exc:
        message = str(exc).replace("\u0332", "")  # KaTeX underlines the culprit
        offset = 0
        found = _POSITION.search(message)
        if found:
            offset = max(int(found.group(1)) - 1, 0)
            message = message[: found.start()]
        return MathResult("", message, offset)
    untrusted = _UNTRUSTED.search(html)
    if untrusted:
        command = untrusted.group(1)
        return MathResult("", f"{command} is not allowed in math here: it could load or link "
                          "to anything, so KaTeX shows it only for trusted input",
                          max(latex.find(command), 0))
    match = _WRAPPER.match(html)
    mathml = match.group(1) if match else html
    mathml = _OPERATOR_NAME.sub(r"<mrow>\1</mrow>", _SEMANTICS.sub(r"\1", mathml))
    mathml = _PRIMED.sub(_prime_after, mathml)
    return MathResult(unicode_styles(_spaced_like_tex(_aligned_cells(mathml))))


# KaTeX aligns table columns with <mtable columnalign="right left">, which MathML
# Core (Chromium) ignores: every cell was centred, so the = of aligned rows did
# not line up and the conditions of cases were centred. Each cell gets its
# column's alignment as an attribute of its own, which the math CSS (assets.py)
# turns into text-align.
_TABLE_PARTS = re.compile(
    r"<mtable\b[^>]*>|</mtable>|<m(?:labeled)?tr\b[^>]*>|<mtd\b(?![^>]*columnalign)"
)
_COLUMNALIGN = re.compile(r'\bcolumnalign="([^"]*)"')


def _aligned_cells(mathml: str) -> str:
    if "<mtable" not in mathml:
        return mathml
    tables: list[list[Any]] = []  # per open table: [its column alignments, next column]

    def mark(match: re.Match[str]) -> str:
        tag = match.group(0)
        if tag.startswith("<mtable"):
            found = _COLUMNALIGN.search(tag)
            tables.append([found.group(1).split() if found else [], 0])
        elif tag == "</mtable>":
            if tables:
                tables.pop()
        elif not tables:
            pass
        elif not tag.startswith("<mtd"):
            tables[-1][1] = 0  # a new row
        else:
            aligns, column = tables[-1]
            tables[-1][1] += 1
            # MathML repeats the last value for the columns after it.
            align = aligns[min(column, len(aligns) - 1)] if aligns else "center"
            if align in ("left", "right"):
                return f'<mtd columnalign="{align}"'
        return tag

    return _TABLE_PARTS.sub(mark, mathml)


# Spacing TeX gives and MathML Core does not:
# - after a function name (\log p, \sin x): KaTeX writes <mi>log</mi><mo>&#x2061;</mo>,
#   an operator with no space, so "\log p" read "logp". TeX puts a thin space
#   there unless a bracket follows (\log(x)); with a script (\sin^2 x) the space
#   goes after the script.
# - a minus or plus after an opening bracket, a comma, a relation or another
#   operator is a sign, not a binary operator: MathML Core took it as infix
#   (spaces on both sides) unless it came first in its row, so "\sigma(-z)" read
#   "σ( − z)". form="prefix" gives it a sign's spacing (none).
_FUNCTION_APPLIED = re.compile(
    r"(?<!<msup>)(?<!<msub>)(?<!<msubsup>)(?<!<munder>)(?<!<mover>)(?<!<munderover>)"
    r"(<mrow>)?(<mi\b[^>]*>[^<]+</mi>)<mo>\u2061</mo>(?(1)</mrow>)"
    r"(?=<(?:mi|mn|mrow|mfrac|msqrt|mroot|msub|msup|msubsup|mover|munder|mtext)\b)"
)
_SCRIPTS = "msup|msub|msubsup|munder|mover|munderover"
# A function name with a script or limits (\sin^{-1} x, \lim_{x \to 0} g): the space
# goes after the whole; the script's own content runs to its closing tag.
_SCRIPTED_FUNCTION = re.compile(
    rf"(<({_SCRIPTS})><mrow><mi\b[^>]*>[^<]+</mi><mo>\u2061</mo></mrow>"
    r"(?:(?!</\2>).)*</\2>)"
    r"(?=<(?:mi|mn|mrow|mfrac|msqrt|mroot|msub|msup|msubsup|mover|munder|mtext)\b)",
    re.DOTALL,
)
# "x \cos y", "2\sin x": a thin space before a function name that follows a term
# (an operator or an opening bracket before it has its own spacing).
_FUNCTION_AFTER_TERM = re.compile(
    r"(</(?:mi|mn|mrow|msub|msup|msubsup|mfrac|msqrt|mroot|mover|munder)>)"
    r"(<mrow><mi\b[^>]*>[^<]+</mi><mo\b[^>]*>\u2061</mo></mrow>"
    r"|<mi\b[^>]*>[^<]+</mi><mo\b[^>]*>\u2061</mo>)"
    r"(?!</m(?:sub|sup|subsup|under|over|underover)>)"  # a script (\lambda_{\max}) stays whole
)
_SIGN = re.compile(r"(<mo\b[^>]*>([^<]*)</mo>)<mo>([\u2212+\u00b1\u2213])</mo>")
# After these a minus is binary: closing brackets, a factorial, primes (f' - g).
_CLOSING = frozenset(")]}|\u2223\u2225\u2016\u27e9\u232a\u230b\u2309!\u2032\u2033\u2034")
# A sign after an operator with limits (\sum_{i=1}^n -x_i, \lim_{x \to 0} -x): as after
# any operator, not a subtraction.
# Only a large operator or an operator name as the base: a closing bracket with a
# power, (a + h)^3 - 3a, is followed by a subtraction.
_LARGE_OPERATOR = "[\u2210\u2211\u220f\u222b-\u2233\u22c0-\u22c3\u2a00-\u2a0c]|[A-Za-z]{2,}"
_SIGN_AFTER_LIMITS = re.compile(
    rf"(<({_SCRIPTS})>(?:<mo\b[^>]*>(?:{_LARGE_OPERATOR})</mo>"
    r"|<mrow><mi\b[^>]*>[^<]+</mi><mo>\u2061</mo></mrow>)"
    r"(?:(?!</\2>).)*</\2>)<mo>([\u2212+\u00b1\u2213])</mo>",
    re.DOTALL,
)
_THIN_SPACE = '<mo rspace="0.1667em">\u2061</mo>'


def _spaced_like_tex(mathml: str) -> str:
    if "\u2061" in mathml:
        mathml = _FUNCTION_APPLIED.sub(
            lambda m: (m.group(1) or "") + m.group(2) + _THIN_SPACE
            + ("</mrow>" if m.group(1) else ""), mathml)
        mathml = _FUNCTION_AFTER_TERM.sub(r'\1<mspace width="0.1667em"></mspace>\2', mathml)
        mathml = _SCRIPTED_FUNCTION.sub(r'\1<mspace width="0.1667em"></mspace>', mathml)

    def sign(match: re.Match[str]) -> str:
        if match.group(2) in _CLOSING or not match.group(2):
            return match.group(0)
        return f'{match.group(1)}<mo form="prefix">{match.group(3)}</mo>'

    mathml = _SIGN_AFTER_LIMITS.sub(r'\1<mo form="prefix">\3</mo>', mathml)
    return _SIGN.sub(sign, mathml)


# MathML Core (Chromium) ignores mathvariant other than "normal", so styled
# letters (\mathbb, \mathbf, \mathcal, ...) are written as the Unicode
# mathematical alphanumeric characters that the math font has glyphs for.
_LATIN_STARTS = {  # variant: (A, a, 0) code points; None where Unicode has no digits
    "bold": (0x1D400, 0x1D41A, 0x1D7CE),
    "italic": (0x1D434, 0x1D44E, None),
    "bold-italic": (0x1D468, 0x1D482, None),
    "script": (0x1D49C, 0x1D4B6, None),
    "bold-script": (0x1D4D0, 0x1D4EA, None),
    "fraktur": (0x1D504, 0x1D51E, None),
    "double-struck": (0x1D538, 0x1D552, 0x1D7D8),
    "bold-fraktur": (0x1D56C, 0x1D586, None),
    "sans-serif": (0x1D5A0, 0x1D5BA, 0x1D7E2),
    "bold-sans-serif": (0x1D5D4, 0x1D5EE, 0x1D7EC),
    "sans-serif-italic": (0x1D608, 0x1D622, None),
    "monospace": (0x1D670, 0x1D68A, 0x1D7F6),
}
_GREEK_STARTS = {"bold": 0x1D6A8, "italic": 0x1D6E2, "bold-italic": 0x1D71C}
# Letters that Unicode encoded earlier, in the Letterlike Symbols block.
_HOLES = {
    ("italic", "h"): "\u210e",
    **{("script", k): v for k, v in zip("BEFHILMRego", "\u212c\u2130\u2131\u210b\u2110"
                                        "\u2112\u2133\u211b\u212f\u210a\u2134", strict=True)},
    **{("fraktur", k): v for k, v in zip("CHIRZ", "\u212d\u210c\u2111\u211c\u2128", strict=True)},
    **{("double-struck", k): v for k, v in zip("CHNPQRZ", "\u2102\u210d\u2115\u2119\u211a"
                                               "\u211d\u2124", strict=True)},
}
_STYLED = re.compile(
    r'<(mi|mn|mo|mtext)([^>]*?) mathvariant="([a-z-]+)"([^>]*)>([^<]*)</\1>'
)


def _styled_char(char: str, variant: str) -> str:
    if (variant, char) in _HOLES:
        return _HOLES[(variant, char)]
    capital, small, digit = _LATIN_STARTS[variant]
    if "A" <= char <= "Z":
        return chr(capital + ord(char) - ord("A"))
    if "a" <= char <= "z":
        return chr(small + ord(char) - ord("a"))
    if "0" <= char <= "9" and digit is not None:
        return chr(digit + ord(char) - ord("0"))
    greek = _GREEK_STARTS.get(variant)
    code = ord(char)
    if greek is not None and 0x391 <= code <= 0x3A9 and code != 0x3A2:
        return chr(greek + code - 0x391)
    if greek is not None and char == "\u03f4":
        return chr(greek + 17)
    if greek is not None and 0x3B1 <= code <= 0x3C9:
        return chr(greek + 26 + code - 0x3B1)
    return char


def unicode_styles(mathml: str) -> str:
    """Replace ``mathvariant`` styling with styled Unicode characters."""

    def replace(match: re.Match[str]) -> str:
        tag, before, variant, after, text = match.groups()
        if variant not in _LATIN_STARTS:
            return match.group(0)
        styled = "".join(_styled_char(c, variant) for c in text)
        return f"<{tag}{before}{after}>{styled}</{tag}>"

    return _STYLED.sub(replace, mathml)
