"""KaTeX's MathML, mended for MathML Core as Chromium lays it out: one tree, named passes.

Part of rendering math (math.py calls KaTeX, handles its errors and caches the
result). KaTeX writes MathML for browsers that implement all of MathML 3;
Chromium implements MathML Core, which ignores table column alignment and
``mathvariant`` styles, spaces no function name and sets a prime as a tiny
superscript. Each pass below mends one of those things on the tree.

The markup is parsed once (``parse_katex``), the passes run in the order of
``PASSES`` (``mend``), and the tree is written once (``serialize``) in KaTeX's
own style: the same escapes, attribute order and empty-element forms, so a
formula no pass touches comes out byte for byte as KaTeX wrote it.

Order matters where passes meet: the annotation goes first; operator names
are grouped before the spacing passes, which tell a name in a row from a name
in a script by its group; primes are written after their letters before the
sign passes read what stands before a minus (f' - g subtracts); the space
before a name after a term comes before the space after a scripted name, which
must not add a second one (\\max_i \\log x); letters are styled last, since the
sign passes read operator names by their Latin letters.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable, Iterator
from xml.etree.ElementTree import Element

MATHML_NAMESPACE = "http://www.w3.org/1998/Math/MathML"
_NAMESPACE_ATTRIBUTE = f' xmlns="{MATHML_NAMESPACE}"'
# KaTeX writes a space as <mspace width="1em"/> and every other element, empty or
# not, with a closing tag. ElementTree forgets which form an element had, so
# self-closed ones carry this mark from parsing to writing.
_SELF_CLOSED = "gradsite-self-closed"
# KaTeX's own escapes (utils.escape), for text and attribute values alike.
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;",
                          "'": "&#x27;"})
_TO_ESCAPE = re.compile("[&<>\"']")

# Elements that lay out their children as a row (MathML Core's inferred mrow): a
# child can be split in two or a space added beside it. Any other parent (msub,
# mfrac, mroot, ...) takes a fixed number of children, each with its own role.
_ROWS = frozenset({"math", "mrow", "mstyle", "mphantom", "mpadded", "msqrt", "menclose",
                   "merror", "mtd"})
_SCRIPTS = frozenset({"msub", "msup", "msubsup", "munder", "mover", "munderover"})
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
_PRIME = "\u2032"


def parse_katex(markup: str) -> Element:
    """The <math> element of KaTeX's markup, without namespace prefixes in its tags."""
    # Parsed with its xmlns, every tag would read "{namespace}mi" and be written back
    # with "ns0:" prefixes; the namespace is put back as a plain attribute instead.
    markup = markup.replace(_NAMESPACE_ATTRIBUTE, "", 1)
    if "/>" in markup:  # only a tag's end: KaTeX escapes ">" in text and attributes
        markup = markup.replace("/>", f' {_SELF_CLOSED}=""/>')
    root = ElementTree.fromstring(markup)
    math = root if root.tag == "math" else next(root.iter("math"))
    math.attrib = {"xmlns": MATHML_NAMESPACE, **math.attrib}
    return math


def serialize(math: Element) -> str:
    """The tree as markup, in KaTeX's style; valid as foreign content in HTML."""
    parts: list[str] = []
    _write(math, parts)
    return "".join(parts)


def _write(element: Element, parts: list[str]) -> None:
    tag = element.tag
    if element.attrib:
        attributes = "".join([f' {name}="{_escaped(value)}"' for name, value in element.items()
                              if name != _SELF_CLOSED])
        if _SELF_CLOSED in element.attrib:
            parts.append(f"<{tag}{attributes}/>")
            if element.tail:
                parts.append(_escaped(element.tail))
            return
        opening = f"<{tag}{attributes}>"
    else:
        opening = f"<{tag}>"
    text = _escaped(element.text) if element.text else ""
    if len(element):
        parts.append(opening + text)
        for child in element:
            _write(child, parts)
        parts.append(f"</{tag}>")
    else:  # most elements: a letter, a number, an operator
        parts.append(f"{opening}{text}</{tag}>")
    if element.tail:
        parts.append(_escaped(element.tail))


def _escaped(text: str) -> str:
    # The search first: most text has nothing to escape, and translate is slower.
    return text.translate(_ESCAPES) if _TO_ESCAPE.search(text) else text


def mend(math: Element) -> None:
    """Run every pass on the tree, in the order of ``PASSES``."""
    for mend_pass in PASSES:
        mend_pass(math)


# --- what the passes look for ------------------------------------------------------
#
# ElementTree keeps no parent links. A pass first finds the few elements its rule
# is about (the U+2061 operators, the signs, the superscripts: scans by tag, in C)
# and only then maps the tree's parents, once, to look at their neighbours.


def _with_parents(math: Element, found: list[Element],
                  ) -> Iterator[tuple[Element, dict[Element, Element]]]:
    """Each element found, with the map of the tree's parents (made only when
    something was found: most formulas have no function name, sign or prime)."""
    if found:
        parents = {child: parent for parent in math.iter() for child in parent}
        for element in found:
            yield element, parents


def _neighbours(element: Element, parent: Element) -> tuple[Element | None, Element | None]:
    """The siblings just before and just after ``element``."""
    siblings = list(parent)
    index = siblings.index(element)
    return (siblings[index - 1] if index else None,
            siblings[index + 1] if index + 1 < len(siblings) else None)


def _is_leaf(element: Element, tag: str) -> bool:
    """An element of ``tag`` with text and no children."""
    return element.tag == tag and not len(element) and bool(element.text)


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
            and len(element) == 2 and _is_leaf(element[0], "mi")
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
        name, _ = _neighbours(application, parent)
        if name is None or not _is_leaf(name, "mi"):
            return None
        row, first, last = parent, name, application
    return (first, last, row) if row is not None and row.tag in _ROWS else None


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
    for application, parents in _with_parents(math, _applications(math)):
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


def write_primes_after_letters(math: Element) -> None:
    """Set f' as f then a prime, not as f with a prime superscript.

    KaTeX writes f' as TeX does, <msup><mi>f</mi><mo>′</mo></msup>. But the prime
    glyph of the math font is already a raised mark, and Chromium applies no
    script-size prime: as a superscript it sat tiny and far too high. Written
    after its letter it looks as in print: f′(x), g″(x). Primes that begin a
    longer superscript (f'^2, whose script is ′2) go after the letter the same
    way, and the rest stays a superscript of both: f′². Where the superscript
    was one child of a script or a fraction (x_{f'}, \\frac{f'}{g'}), letter and
    prime stay one group, so that element keeps its number of children.
    """
    # Innermost first: rewriting one never moves a superscript still to be visited.
    superscripts = list(math.iter("msup"))[::-1]
    for superscript, parents in _with_parents(math, superscripts):
        if superscript.attrib or len(superscript) != 2:
            continue
        base, script = superscript
        if base.tag != "mi" or base.attrib or len(base):
            continue
        primes, rest = _leading_primes(script)
        if not primes:
            continue
        prime = Element("mo", {"lspace": "0em", "rspace": "0em"})
        prime.text = _PRIME * primes
        parent = parents[superscript]
        if rest:
            primed = Element("mrow")
            primed[:] = [base, prime]
            superscript[:] = [primed, rest[0] if len(rest) == 1 else _row_of(rest)]
        elif parent.tag in _ROWS:
            index = list(parent).index(superscript)
            parent[index:index + 1] = [base, prime]
        else:
            superscript.tag = "mrow"
            superscript[:] = [base, prime]


def _leading_primes(script: Element) -> tuple[int, list[Element]]:
    """How many primes a superscript starts with, and what follows them."""
    if script.attrib == {"mathvariant": "normal", "lspace": "0em", "rspace": "0em"}:
        return (1, []) if script.tag == "mo" and script.text == _PRIME else (0, [])
    if script.tag != "mrow" or script.attrib:
        return 0, []
    children = list(script)
    count = 0
    while (count < len(children) and children[count].tag == "mo"
           and children[count].text == _PRIME
           and children[count].attrib == {"mathvariant": "normal"}):
        count += 1
    return count, children[count:]


def _row_of(children: list[Element]) -> Element:
    row = Element("mrow")
    row[:] = children
    return row


def align_table_cells(math: Element) -> None:
    """Give each table cell its column's alignment as an attribute of its own.

    KaTeX aligns columns with <mtable columnalign="right left">, which MathML
    Core ignores: every cell was centred, so the = of aligned rows did not line
    up and the conditions of cases were centred. The math CSS (assets.py) turns
    the cell's columnalign into text-align. A table inside a cell keeps its own
    columns.
    """
    for table in math.iter("mtable"):
        aligns = table.get("columnalign", "").split()
        for row in table:
            if row.tag not in ("mtr", "mlabeledtr"):
                continue
            cells = [cell for cell in row if cell.tag == "mtd" and "columnalign" not in cell.attrib]
            for column, cell in enumerate(cells):
                # MathML repeats the last value for the columns after it.
                align = aligns[min(column, len(aligns) - 1)] if aligns else "center"
                if align in ("left", "right"):
                    cell.attrib = {"columnalign": align, **cell.attrib}


def space_after_function_names(math: Element) -> None:
    """A thin space after a function name and before its argument: \\log p.

    KaTeX writes <mi>log</mi><mo>&#x2061;</mo>, an operator with no space, so
    "\\log p" read "logp". TeX puts a thin space there unless a bracket follows
    (\\log(x)). A name with a script (\\sin^2 x) is spaced after the script
    instead (``space_after_scripted_function_names``); a name that is a script
    or a fraction's part (\\lambda_{\\max}, \\frac{\\sin}{x}) has no argument
    beside it.
    """
    for application, parents in _with_parents(math, _applications(math)):
        found = _function_in_row(application, parents)
        if found is None:
            continue
        _, last, row = found
        _, argument = _neighbours(last, row)
        if argument is not None and argument.tag in _ARGUMENTS:
            application.set("rspace", _THIN_SPACE)


def space_before_function_names_after_terms(math: Element) -> None:
    """A thin space before a function name that follows a term: x \\cos y, 2\\sin x.

    TeX spaces an operator name from the factor before it; MathML Core does not.
    After an operator or an opening bracket the name needs none (they have their
    own spacing), nor after another function name, which has its space after it
    already (``space_after_function_names``).
    """
    for application, parents in _with_parents(math, _applications(math, bare=False)):
        found = _function_in_row(application, parents, bare=False)
        if found is None:
            continue
        first, _, row = found
        term, _ = _neighbours(first, row)
        if (term is not None and term.tag in _TERMS
                and not _is_function_group(term, bare=False)):
            row.insert(list(row).index(first), _thin_space())


def space_after_scripted_function_names(math: Element) -> None:
    """A thin space after a function name with a script or limits and its argument:
    \\sin^{-1} x, \\lim_{x \\to 0} g, \\max_{i,j} x.

    TeX puts the space after the whole scripted name; Chromium puts none. The
    script may hold anything, scripts of its own included (\\sin^{x^2 y} z).
    """
    for application, parents in _with_parents(math, _applications(math)):
        group = parents[application]
        scripted = parents.get(group)
        if (not _is_function_group(group) or scripted is None or scripted.tag not in _SCRIPTS
                or scripted.attrib or scripted[0] is not group):
            continue
        row = parents.get(scripted)
        if row is None or row.tag not in _ROWS:
            continue
        _, argument = _neighbours(scripted, row)
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
    for sign, parents in _with_parents(math, _signs(math)):
        limited, _ = _neighbours(sign, parents[sign])
        if limited is None or limited.tag not in _SCRIPTS or limited.attrib or not len(limited):
            continue
        base = limited[0]
        if (_is_leaf(base, "mo") and _LARGE_OPERATOR.fullmatch(base.text or "")
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
    for sign, parents in _with_parents(math, _signs(math)):
        operator, _ = _neighbours(sign, parents[sign])
        if operator is None or operator.tag != "mo" or len(operator) or operator in paired:
            continue
        paired.add(sign)
        if operator.text and operator.text not in _CLOSING:
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
    group_operator_names,
    write_primes_after_letters,
    align_table_cells,
    space_after_function_names,
    space_before_function_names_after_terms,
    space_after_scripted_function_names,
    sign_after_limits,
    sign_after_operators,
    style_letters_as_unicode,
)
