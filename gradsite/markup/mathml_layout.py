"""Passes that mend the layout of KaTeX's MathML where TeX and Chromium differ:
operators and their limits, stacked relations, fence bars, primes and tables.

Part of ``mathml.PASSES`` (mathml.py runs them, in its order, with the spacing
and letter passes). Each pass here restores what TeX does and MathML Core,
as Chromium implements it, would not do from KaTeX's markup: an invalid
element (an operator holding elements) is rebuilt, and where Chromium reads
no attribute for a rule (column alignment, script-size glyph variants), the
tree gets one it does read.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element

from .mathml_tree import row_of, with_parents

_FUNCTION_APPLICATION = "\u2061"
_PRIME = "\u2032"
_TOKENS = frozenset({"mi", "mo", "mn", "mtext"})
# The bars of absolute values and norms: \left| \right|, \lvert \rvert, \| as fences.
_BARS = frozenset("|\u2223\u2225\u2016")
# KaTeX's empty cells around a row of align, gather and tagged displays: they
# centre the row and hold its number, and are no column of the author's.
_UNCOUNTED_CELLS = frozenset({"mtr-glue", "mml-eqn-num"})
# A prime as a superscript is the font's script-size prime: the math font has one
# (the 'ssty' glyph variant) but Chromium does not select it, and the text-size
# prime, a raised mark, sat tiny and high as a script. The text-size glyph one
# script level up is the script glyph's size; lowered by this much (its ink spans
# 0.4 to 0.7 em above its baseline) it sits where the script glyph would, its top
# level with a digit beside it, as TeX sets f'^2. Its box is cut to its ink, so it
# does not raise the line.
_PRIME_SHIFT = {"voffset": "-0.21em", "height": "0.493em", "depth": "0em"}


def name_mathop_words(math: Element) -> None:
    """Write \\mathop{\\mathrm{argmin}} as KaTeX writes \\operatorname*{argmin}.

    KaTeX puts the letters of a \\mathop word in an <mo>, as six upright <mi>:
    an operator holding elements, which Chromium drew as an error. As a function
    name (<mi>argmin</mi> and U+2061 in one group) it gets the spacing passes'
    treatment of every operator name. Its limits go under it in display math
    because math.py reads a display's \\mathop with \\limits, as TeX does.
    """
    for operator in [o for o in math.iter("mo") if len(o) == 1 and not o.attrib]:
        (word,) = operator
        letters = list(word) if word.tag == "mrow" and not word.attrib else [word]
        if letters and all(letter.tag == "mi" and not len(letter)
                           and letter.attrib == {"mathvariant": "normal"}
                           for letter in letters):
            name = Element("mi", {"mathvariant": "normal"})
            name.text = "".join(letter.text or "" for letter in letters)
            application = Element("mo")
            application.text = _FUNCTION_APPLICATION
            operator.tag = "mrow"
            operator[:] = [name, application]


def unwrap_stacked_operators(math: Element) -> None:
    """Take an operator or letter out of the token KaTeX wraps it in.

    KaTeX writes \\stackrel{\\text{def}}{=} as <mo><mover><mo><mo>=</mo></mo>
    <mtext>def</mtext></mover></mo> (\\overset, \\underset and \\mathop of anything
    else alike): tokens holding elements, invalid MathML, which Chromium laid out
    as one line, "=def". Each such token gives way to what it holds, so "def"
    stands over an = that keeps a relation's spacing (an embellished operator).
    """
    wrappers = [element for element in math.iter() if element.tag in _TOKENS and len(element)
                and not (element.text or "").strip()]
    # Innermost first, so an outer wrapper sees its contents already unwrapped.
    for wrapper, parents in with_parents(math, wrappers[::-1]):
        parent = parents[wrapper]
        contents = list(wrapper)
        inner = contents[0] if len(contents) == 1 else row_of(contents)
        inner.tail = wrapper.tail
        index = list(parent).index(wrapper)
        parent[index] = inner
        parents[inner] = parent


def display_style_under_tags(math: Element) -> None:
    """Keep display style in a display with a \\tag.

    KaTeX sets a tagged display as a full-width table (the formula in the middle,
    its tag at the right margin) and MathML Core lays out a table's cells in text
    style: \\sum's limits moved to its side and fractions shrank.
    """
    for table in math.iter("mtable"):
        if table.get("width") == "100%" and "displaystyle" not in table.attrib:
            table.set("displaystyle", "true")


def align_table_cells(math: Element) -> None:
    """Give each table cell its column's alignment as an attribute of its own.

    KaTeX aligns columns with <mtable columnalign="right left">, which MathML
    Core ignores: every cell was centred, so the = of aligned rows did not line
    up and the conditions of cases were centred. The math CSS (assets.py) turns
    the cell's columnalign into text-align. The empty cells KaTeX puts around a
    row of align and gather are not counted as columns (counted, they gave the
    left-hand sides of align a left column). A table inside a cell keeps its own
    columns.
    """
    for table in math.iter("mtable"):
        aligns = table.get("columnalign", "").split()
        for row in table:
            if row.tag not in ("mtr", "mlabeledtr"):
                continue
            cells = [cell for cell in row if cell.tag == "mtd" and "columnalign" not in cell.attrib
                     and cell.get("class", "").strip() not in _UNCOUNTED_CELLS]
            for column, cell in enumerate(cells):
                # MathML repeats the last value for the columns after it.
                align = aligns[min(column, len(aligns) - 1)] if aligns else "center"
                if align in ("left", "right"):
                    cell.attrib = {"columnalign": align, **cell.attrib}


def unspace_fence_bars(math: Element) -> None:
    """No relation spacing around the bars of |x| and ||x|| written as fences.

    KaTeX writes \\left| and \\lvert as <mo>∣</mo> (U+2223, "divides"), which MathML
    Core's operator dictionary spaces as a relation: "| e |  ≤ c". A bar that
    KaTeX marks as a fence (\\left, \\right) or as not stretchy (\\lvert, \\rVert,
    \\|) opens or closes a group and takes no space. \\mid, a relation, is left
    alone; a bare | is a letter-like symbol already.
    """
    for operator in math.iter("mo"):
        if (operator.text in _BARS and not len(operator)
                and (operator.get("fence") == "true" or operator.get("stretchy") == "false")
                and "lspace" not in operator.attrib and "rspace" not in operator.attrib):
            operator.set("lspace", "0em")
            operator.set("rspace", "0em")


def primes_at_script_size(math: Element) -> None:
    """Set the primes of f', f'^2, x'_i, \\mathbf{x}' and f''' at a superscript's size
    and height, level with a superscript after them.

    The primes stay a superscript, as TeX has them, so a minus after f'' still
    subtracts and a power after them (f'^2) shares their line; each run of
    primes is one operator, shifted as ``_PRIME_SHIFT`` says.
    """
    scripted = [s for s in math.iter() if s.tag in ("msup", "msubsup") and len(s) >= 2]
    for superscript in scripted:
        script = superscript[-1]
        primes, rest = _leading_primes(script)
        if not primes:
            continue
        prime = Element("mo", {"lspace": "0em", "rspace": "0em"})
        prime.text = _PRIME * primes
        shifted = Element("mpadded", _PRIME_SHIFT)
        shifted.append(prime)
        # One level up: (X)HTML's MathML allows scriptlevel on <mstyle> only. In a
        # row of its own: a script level set on the script itself would count from
        # the base's level, not the script's.
        larger = Element("mstyle", {"scriptlevel": "-1"})
        larger.append(shifted)
        superscript[-1] = row_of([larger, *rest])


def _leading_primes(script: Element) -> tuple[int, list[Element]]:
    """How many primes a superscript starts with (as KaTeX writes ' and \\prime),
    and what follows them."""
    if _is_prime(script):
        return 1, []
    if script.tag != "mrow" or script.attrib:
        return 0, []
    children = list(script)
    count = 0
    while count < len(children) and _is_prime(children[count]):
        count += 1
    return count, children[count:]


def _is_prime(element: Element) -> bool:
    return (element.tag == "mo" and element.text == _PRIME and not len(element)
            and element.get("mathvariant") == "normal"
            and set(element.attrib) <= {"mathvariant", "lspace", "rspace"})
