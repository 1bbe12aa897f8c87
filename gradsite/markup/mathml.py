"""KaTeX's MathML, mended for MathML Core as Chromium lays it out: one tree, named passes.

Part of rendering math (math.py calls KaTeX, handles its errors and caches the
result). KaTeX writes MathML for browsers that implement all of MathML 3;
Chromium implements MathML Core, which ignores table column alignment and
``mathvariant`` styles, spaces no function name, sets a prime as a tiny
superscript and draws an operator holding elements as an error. Each pass
mends one of those things on the tree: the spacing, sign and letter passes are
here, the layout passes (tables, limits, stacked operators, fence bars, primes)
in mathml_layout.py.

The markup is parsed once (``parse_katex``, mathml_tree.py), the passes run in
the order of ``PASSES`` (``mend``), and the tree is written once (``serialize``).

Order matters where passes meet: the annotation goes first; \\mathop words
become operator names, and tokens holding elements are unwrapped, before
operator names are grouped; the spacing passes tell a name in a row from a
name in a script by its group; the space before a name after a term comes
before the space after a scripted name, which must not add a second one
(\\max_i \\log x); letters are styled last, since the sign passes read
operator names by their Latin letters.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from xml.etree.ElementTree import Element

from .mathml_layout import (
    align_table_cells,
    display_style_under_tags,
    name_mathop_words,
    primes_at_script_size,
    unspace_fence_bars,
    unwrap_stacked_operators,
)
from .mathml_tree import (
    MATHML_NAMESPACE,
    ROWS,
    SCRIPTS,
    is_leaf,
    neighbours,
    parse_katex,
    serialize,
    with_parents,
)

__all__ = ["MATHML_NAMESPACE", "PASSES", "mend", "parse_katex", "serialize"]

_FUNCTION_APPLICATION = "\u2061"
_THIN_SPACE = "0.1667em"
# What a function name takes as its argument (\log p, \sin \frac{x}{2}): a bracket
# (an <mo>) does not, and TeX puts no space before it (\log(x)).
_ARGUMENTS = frozenset({"mi", "mn", "mrow", "mfrac", "msqrt", "mroot", "msub", "msup",
                        "msubsup", "mover", "munder", "mtext"})
# What a function name after it is a factor of (x \cos y, 2 \sin x).
_TERMS = frozenset({"mi", "mn", "mrow", "msub", "msup", "msubsup", "mfrac", "msqrt", "mroot",
                    "mover", "munder"})
_SIGNS = frozenset("\u2212+\u00b1\u2213")
# After these a minus is binary: closing brackets, a factorial, primes (f' - g).
_CLOSING = frozenset(")]}|\u2223\u2225\u2016\u27e9\u232a\u230b\u2309!\u2032\u2033\u2034")
# Only a large operator or an operator name as the base of limits makes a
# following minus a sign: a closing bracket with a power, (a + h)^3 - 3a, does not.
_LARGE_OPERATOR = re.compile(
    "[\u2210\u2211\u220f\u222b-\u2233\u22c0-\u22c3\u2a00-\u2a0c]|[A-Za-z]{2,}")


def mend(math: Element) -> None:
    """Run every pass on the tree, in the order of ``PASSES``."""
    for mend_pass in PASSES:
        mend_pass(math)


def _applications(math: Element, *, bare: bool = True) -> list[Element]:
    """The <mo>&#x2061;</mo> that KaTeX writes after every function name (bare: as
    KaTeX wrote it, before a pass set its spacing)."""
    return [operator for operator in math.iter("mo") if operator.text == _FUNCTION_APPLICATION
            and not len(operator) and not (bare and operator.attrib)]


def _signs(math: Element) -> list[Element]:
    """The minus and plus signs (and ±, ∓) as KaTeX wrote them, in document order."""
    return [operator for operator in math.iter("mo")
            if operator.text in _SIGNS and not operator.attrib and not len(operator)]


def _is_function_group(element: Element | None, *, bare: bool = True) -> bool:
    """<mrow><mi>sin</mi><mo>&#x2061;</mo></mrow>: a function name as one group."""
    return (element is not None and element.tag == "mrow" and not element.attrib
            and len(element) == 2 and is_leaf(element[0], "mi")
            and element[1].tag == "mo" and element[1].text == _FUNCTION_APPLICATION
            and not (bare and element[1].attrib))


def _function_in_row(application: Element, parents: dict[Element, Element], *,
                     bare: bool = True) -> tuple[Element, Element, Element] | None:
    """The function name that ``application`` ends, as its first and last element in
    the row it stands in (its group twice, or a loose <mi> and ``application``),
    and that row; None where the name is not part of a row."""
    parent = parents[application]
    if _is_function_group(parent, bare=bare):
        row = parents.get(parent)
        first = last = parent
    else:
        name, _ = neighbours(application, parent)
        if name is None or not is_leaf(name, "mi"):
            return None
        row, first, last = parent, name, application
    return (first, last, row) if row is not None and row.tag in ROWS else None


def _thin_space() -> Element:
    return Element("mspace", {"width": _THIN_SPACE})


# --- the passes, in order ----------------------------------------------------------


def drop_tex_annotation(math: Element) -> None:
    """Keep only the MathML of <semantics>, not its LaTeX <annotation>.

    Chromium does not show the annotation, but it is text in the page: it would
    leak into heading anchors, the table of contents and search text.
    """
    semantics = math.find("semantics")
    if semantics is None:
        return
    kept = [child for child in semantics if child.tag != "annotation"]
    index = list(math).index(semantics)
    math[index:index + 1] = kept


def group_operator_names(math: Element) -> None:
    """Make each function name and its U+2061 one <mrow>.

    KaTeX writes ``\\lambda_{\\max}`` as <msub><mi>λ</mi><mi>max</mi><mo>&#x2061;</mo>
    </msub>: three children, invalid MathML, which Chromium draws as an error. One
    group per name mends every such script (and fraction part). A pair that starts
    or ends a row is left as it is (KaTeX's own group of a scripted name, \\max_i,
    is such a row); the spacing passes read both forms.
    """
    for application, parents in with_parents(math, _applications(math)):
        parent = parents[application]
        siblings = list(parent)
        index = siblings.index(application)
        name = siblings[index - 1] if index else None
        # A name may be empty here (\operatorname{}): KaTeX still writes the pair.
        if name is None or name.tag != "mi" or len(name):
            continue
        starts_row = index == 1 and parent.tag == "mrow" and not parent.attrib
        ends_row = index + 1 == len(siblings) and parent.tag == "mrow"
        if not (starts_row or ends_row):
            group = Element("mrow")
            group[:] = [name, application]
            parent[index - 1:index + 1] = [group]


def space_after_function_names(math: Element) -> None:
    """A thin space after a function name and before its argument: \\log p.

    KaTeX writes <mi>log</mi><mo>&#x2061;</mo>, an operator with no space, so
    "\\log p" read "logp". TeX puts a thin space there unless a bracket follows
    (\\log(x)). A name with a script (\\sin^2 x) is spaced after the script
    instead (``space_after_scripted_function_names``); a name that is a script
    or a fraction's part (\\lambda_{\\max}, \\frac{\\sin}{x}) has no argument
    beside it.
    """
    for application, parents in with_parents(math, _applications(math)):
        found = _function_in_row(application, parents)
        if found is None:
            continue
        _, last, row = found
        _, argument = neighbours(last, row)
        if argument is not None and argument.tag in _ARGUMENTS:
            application.set("rspace", _THIN_SPACE)


def space_before_function_names_after_terms(math: Element) -> None:
    """A thin space before a function name that follows a term: x \\cos y, 2\\sin x.

    TeX spaces an operator name from the factor before it; MathML Core does not.
    After an operator or an opening bracket the name needs none (they have their
    own spacing), nor after another function name, which has its space after it
    already (``space_after_function_names``).
    """
    for application, parents in with_parents(math, _applications(math, bare=False)):
        found = _function_in_row(application, parents, bare=False)
        if found is None:
            continue
        first, _, row = found
        term, _ = neighbours(first, row)
        if (term is not None and term.tag in _TERMS
                and not _is_function_group(term, bare=False)):
            row.insert(list(row).index(first), _thin_space())


def space_after_scripted_function_names(math: Element) -> None:
    """A thin space after a function name with a script or limits and its argument:
    \\sin^{-1} x, \\lim_{x \\to 0} g, \\max_{i,j} x.

    TeX puts the space after the whole scripted name; Chromium puts none. The
    script may hold anything, scripts of its own included (\\sin^{x^2 y} z).
    """
    for application, parents in with_parents(math, _applications(math)):
        group = parents[application]
        scripted = parents.get(group)
        if (not _is_function_group(group) or scripted is None or scripted.tag not in SCRIPTS
                or scripted.attrib or scripted[0] is not group):
            continue
        row = parents.get(scripted)
        if row is None or row.tag not in ROWS:
            continue
        _, argument = neighbours(scripted, row)
        if argument is not None and argument.tag in _ARGUMENTS:
            row.insert(list(row).index(scripted) + 1, _thin_space())


def sign_after_limits(math: Element) -> None:
    """A minus or plus right after an operator with limits is a sign:
    \\sum_{i=1}^n -x_i, \\lim_{x \\to 0} -x.

    MathML Core takes such a minus as infix, with spaces on both sides, as if it
    subtracted from the sum. ``form="prefix"`` gives it a sign's spacing (none).
    Only a large operator or an operator name as the base counts: a bracket with
    a power, (a + h)^3 - 3a, is followed by a subtraction. A minus inside the
    limits (\\sum_{x_1 - y}) is the limits' own business.
    """
    for sign, parents in with_parents(math, _signs(math)):
        limited, _ = neighbours(sign, parents[sign])
        if limited is None or limited.tag not in SCRIPTS or limited.attrib or not len(limited):
            continue
        base = limited[0]
        if (is_leaf(base, "mo") and _LARGE_OPERATOR.fullmatch(base.text or "")
                or _is_function_group(base)):
            sign.set("form", "prefix")


def sign_after_operators(math: Element) -> None:
    """A minus or plus after an opening bracket, a comma, a relation or another
    operator is a sign, not a binary operator: \\sigma(-z), \\{-1, +1\\}, x = -1.

    MathML Core took it as infix (spaces on both sides) unless it came first in
    its row, so "\\sigma(-z)" read "σ( − z)". ``form="prefix"`` gives it a sign's
    spacing. After a closing bracket, a factorial or a prime it subtracts:
    (a) - b, n! - 1, f' - g. In a run of operators, one read with the operator
    before it is not read with the one after it: x = - - b has one sign.
    """
    paired: set[Element] = set()
    # In document order, so a run of operators is read from its start.
    for sign, parents in with_parents(math, _signs(math)):
        operator, _ = neighbours(sign, parents[sign])
        if operator is None or operator.tag != "mo" or len(operator) or operator in paired:
            continue
        paired.add(sign)
        if operator.text and not set(operator.text) <= _CLOSING:  # f'' - g: a run of primes
            sign.set("form", "prefix")


# Unicode's mathematical alphanumeric characters, per mathvariant: (A, a, 0) code
# points; None where Unicode has no digits.
_LATIN_STARTS = {
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
_STYLED_TAGS = frozenset({"mi", "mn", "mo", "mtext"})


def style_letters_as_unicode(math: Element) -> None:
    """Write styled letters (\\mathbb, \\mathbf, \\mathcal, ...) as the Unicode
    mathematical alphanumeric characters, without ``mathvariant``.

    MathML Core (Chromium) ignores every mathvariant but "normal", so ℝ read R
    and bold vectors were plain; the math font has glyphs for the styled
    characters. "normal" itself stays: Chromium does apply it.
    """
    for element in math.iter():
        variant = element.get("mathvariant")
        if (variant not in _LATIN_STARTS or element.tag not in _STYLED_TAGS
                or len(element)):
            continue
        del element.attrib["mathvariant"]
        element.text = "".join(_styled_char(char, variant) for char in element.text or "")


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


PASSES: tuple[Callable[[Element], None], ...] = (
    drop_tex_annotation,
    name_mathop_words,
    unwrap_stacked_operators,
    group_operator_names,
    primes_at_script_size,
    display_style_under_tags,
    align_table_cells,
    unspace_fence_bars,
    space_after_function_names,
    space_before_function_names_after_terms,
    space_after_scripted_function_names,
    sign_after_limits,
    sign_after_operators,
    style_letters_as_unicode,
)
