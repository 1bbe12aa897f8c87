"""Numbered environments (spec section 9): equation, align, alignat and gather number
their rows as amsmath does, with the chapter's equation numbers.

The rows read from the LaTeX (and that KaTeX agrees on them), the counting with
labelled displays, the numbers written into the MathML, the errors at their
line and column, and a course built with references to rows.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gradsite.check.labels import chapter_labels
from gradsite.diagnostics import Location
from gradsite.markup.equations import display_rows, numbered_tables
from gradsite.markup.math import render_math
from gradsite.markup.mathml import parse_katex
from gradsite.markup.numbering import math_with_numbers, numbered_rows
from gradsite.model import Label
from gradsite.scan import scan_body
from tests.coursekit import build_problems, build_site, chapter, make_course

PATH = "content/01-a/01-b.md"
ALIGN = ("$$\n\\begin{align}\n"
         "f(x) &= \\frac{1}{2} \\sum_{i=1}^n x_i^2 \\label{eq-f} \\\\\n"
         "g(x) &= \\frac{a}{b} \\nonumber \\\\\n"
         "h(x) &= c \\\\\n"
         "k &= 1 \\tag{A} \\label{eq-k}\n"
         "\\end{align}\n$$\n")


def rows(latex: str) -> list[tuple[bool, str, tuple[str, ...]]]:
    return [(row.numbered, row.tag, tuple(name for name, _ in row.labels))
            for row in display_rows(latex).rows]


# --- the rows of the LaTeX ---------------------------------------------------------------


@pytest.mark.parametrize(("latex", "expected"), [
    # Every row of align is numbered, labelled or not; \nonumber and \notag skip one.
    (r"\begin{align} a&=b \label{x} \\ c&=d \nonumber \\ e&=f \notag \\ g&=h \end{align}",
     [(True, "", ("x",)), (False, "", ()), (False, "", ()), (True, "", ())]),
    # \tag overrides the number (also after \nonumber); \tag* is shown without parentheses.
    (r"\begin{gather} a \tag{1a} \\ b \nonumber \tag*{B} \end{gather}",
     [(False, "1a", ()), (False, "B", ())]),
    # A starred environment numbers nothing but its tags.
    (r"\begin{align*} a&=b \\ c&=d \tag{3} \end{align*}", [(False, "", ()), (False, "3", ())]),
    # equation is one row: its \\ is a line break, and a split inside it is one row.
    (r"\begin{equation} \begin{split} a&=b \\ c&=d \end{split} \label{s} \end{equation}",
     [(True, "", ("s",))]),
    # The \\ of a matrix, cases or aligned inside a row, or of a group, splits nothing.
    (r"\begin{align} a&=\begin{cases} 1 \\ 2 \end{cases} \\ {b \\ c} \end{align}",
     [(True, "", ()), (True, "", ())]),
    # A final \\ (with its spacing) makes no row; a % comment hides what it comments.
    (r"\begin{align} a&=b \\[2pt] c&=d % \\ e" "\n" r"\\*[3pt] \end{align}",
     [(True, "", ()), (True, "", ())]),
    (r"\begin{alignat}{2} a&=b & c&=d \\ e&=f & g&=h \end{alignat}",
     [(True, "", ()), (True, "", ())]),
    (r"f(x) = x^2 \label{plain}", []),
])
def test_the_rows_and_their_numbers_are_read_as_amsmath_reads_them(
    latex: str, expected: list[tuple[bool, str, tuple[str, ...]]]
) -> None:
    assert rows(latex) == expected


@pytest.mark.parametrize("latex", [
    r"\begin{align} a&=b \\ c&=d \nonumber \\ e&=f \tag{x} \end{align}",
    r"\begin{align} a&=b \\ \\ c&=d \\ \end{align}",
    r"\begin{gather*} a \\ b \tag*{hi} \end{gather*}",
    r"\begin{align} a&=\begin{pmatrix} 1 \\ 2 \end{pmatrix} \\ b&=c \\[4pt] \end{align}",
    r"\begin{equation} \begin{aligned} a&=b \\ c&=d \end{aligned} \end{equation}",
    r"\begin{align} a&=b \end{align} \begin{gather} c \\ d \end{gather}",
])
def test_katex_makes_a_numbered_row_of_each_row_that_shows_a_number(latex: str) -> None:
    math = parse_katex(render_math(latex, True).mathml)
    tables = numbered_tables(math)
    found = [[any(cell.get("class") == "mml-eqn-num" for cell in row) for row in table]
             for table in tables]
    read = display_rows(latex).rows
    expected = [[row.shows_number for row in read if row.environment == env]
                for env in sorted({row.environment for row in read})]
    assert found == [group for group in expected if any(group)]


# --- counting ----------------------------------------------------------------------------


def labels_of(body: str) -> tuple[tuple[Label, ...], list[str]]:
    scanned, problems = scan_body(body, Location(PATH, 5))
    assert problems == []
    labels, problems = chapter_labels(scanned, (), (), "2.3")
    return labels, [f"{p.location.line}:{p.location.column}: {p.message}" for p in problems]


def test_rows_share_the_counter_of_labelled_displays_and_unlabelled_rows_count() -> None:
    labels, problems = labels_of("$$ a \\label{eq-a} $$\n\n$$ b $$\n\n" + ALIGN +
                                 "\n$$ c \\label{eq-c} $$\n")
    assert problems == []
    assert [(label.name, label.number, label.row) for label in labels] == [
        ("eq-a", "2.3.1", -1),
        ("eq-f", "2.3.2", 0),
        ("", "2.3.3", 2),  # h(x): numbered though unlabelled; g(x) says \nonumber
        ("eq-k", "A", 3),  # the tag is its number and takes none from the counter
        ("eq-c", "2.3.4", -1),
    ]
    assert labels[3].reference_text == "(A)"


@pytest.mark.parametrize(("body", "expected"), [
    ("$$\n\\begin{align}\na &= b \\nonumber \\label{eq-a}\n\\end{align}\n$$\n",
     ["7:18: \\label{eq-a} on a row without a number"]),
    ("$$\n\\begin{align}\na &= b \\label{one} \\label{two}\n\\end{align}\n$$\n",
     ["7:20: two labels on one row: 'one', 'two'"]),
    ("$$\n\\begin{align*}\na &= b \\label{eq-s}\n\\end{align*}\n$$\n",
     ["7:8: \\label{eq-s} on a row without a number"]),
    ("$$\n\\begin{gather}\na\n\\end{gather} \\label{eq-out}\n$$\n",
     ["8:14: \\label{eq-out} outside the rows of the environment"]),
])
def test_a_label_that_names_no_row_number_is_an_error_at_its_column(
    body: str, expected: list[str]
) -> None:
    assert labels_of(body)[1] == expected


def test_a_tagged_row_of_a_starred_environment_may_be_labelled() -> None:
    labels, problems = labels_of("$$\n\\begin{align*}\na &= b \\\\\nc &= d \\tag{$\\ast$} "
                                 "\\label{eq-star}\n\\end{align*}\n$$\n")
    assert problems == [] and [(label.name, label.number) for label in labels] == [
        ("eq-star", "$\\ast$")]


# --- the numbers in the MathML -----------------------------------------------------------


def test_each_row_gets_its_number_or_tag_at_its_end_and_labelled_rows_an_id() -> None:
    latex = ALIGN.strip().strip("$").strip()
    labels = {0: Label("eq-f", "equation", Location(PATH), "2.3.2", row=0),
              2: Label("", "equation", Location(PATH), "2.3.3", row=2)}
    mathml = render_math(math_with_numbers(latex, {}), True).mathml
    written = numbered_rows(mathml, display_rows(latex), labels)
    table = parse_katex(written).find("mtable")
    assert table is not None and table.get("class") == "equation-rows"
    found = []
    for row in table:
        classes = [cell.get("class") for cell in row]
        # Every row alike: balance, glue, its two cells, glue, number.
        assert classes == ["mtr-balance", "mtr-glue", None, None, "mtr-glue", "mml-eqn-num"]
        found.append((row.get("id"), "".join(row[-1].itertext())))
    assert found == [("eq-f", "(2.3.2)"), (None, ""), (None, "(2.3.3)"), (None, "(A)")]
    # The left-hand sides are flush right against the =, the right-hand sides left.
    assert [cell.get("columnalign") for cell in table[1][2:4]] == ["right", "left"]
    # Display style is kept: each cell's own mstyle, the \sum with limits under and over.
    assert 'displaystyle="true"' in written and "<munderover><mo>∑</mo>" in written


# --- a course, built ---------------------------------------------------------------------

ONE = ("Intro.\n\n$$ a = b \\label{eq-first} $$\n\n" + ALIGN +
       "\n$$\n\\begin{equation}\n\\frac{1}{2} = 0.5 \\label{eq-half}\n\\end{equation}\n$$\n")
TWO = ("By \\eqref{eq-f}, [](#eq-k), \\ref{eq-half} and $\\eqref{eq-first} \\ne "
       "\\eqref{eq-f}$.\n")


def test_a_built_chapter_numbers_its_rows_and_others_refer_to_them(tmp_path: Path) -> None:
    content = make_course(tmp_path, {"01-basics/01-one.md": chapter("One", ONE),
                                     "02-more/01-two.md": chapter("Two", TWO)})
    site = build_site(content, tmp_path / "_site")
    one = (site / "basics/one.html").read_text()
    assert '<span class="equation-number">(1.1.1)</span>' in one
    numbers = re.findall(r'<mtd class="mml-eqn-num">(.*?)</mtd>', one)
    assert [re.sub("<[^>]+>", "", n) for n in numbers] == [
        "(1.1.2)", "", "(1.1.3)", "(A)", "(1.1.4)"]
    assert re.findall(r'<mtr id="([^"]+)">', one) == ["eq-f", "eq-k", "eq-half"]
    two = (site / "more/two.html").read_text()
    assert re.findall(r'<a class="xref" href="([^"]*)" data-xref="[^"]*">(.*?)</a>', two) == [
        ("../basics/one.html#eq-f", "(1.1.2)"), ("../basics/one.html#eq-k", "(A)"),
        ("../basics/one.html#eq-half", "1.1.4")]
    assert re.search(r"<mtext>\(1.1.1\)</mtext><mo[^>]*>≠</mo><mtext>\(1.1.2\)</mtext>", two)
    # The preview of a row is that row, with its number, in a display of its own.
    preview = two[two.index('<template class="xref-preview" data-xref="eq-f">'):]
    preview = preview[:preview.index("</template>")]
    assert preview.count("<mtr") == 1 and "(1.1.2)" in preview and "g(x)" not in preview
    assert '<mtable rowspacing="0.25em"' in preview and ' id="' not in preview
    assert preview.startswith('<template class="xref-preview" data-xref="eq-f">'
                              '<div class="math-display"><math ')


def test_a_label_on_an_unnumbered_row_fails_the_build_at_its_line(tmp_path: Path) -> None:
    body = "$$\n\\begin{align}\na &= b \\notag \\label{eq-a}\n\\end{align}\n$$\n"
    problems = build_problems(make_course(tmp_path, {"01-a/01-b.md": chapter("B", body)}),
                              tmp_path / "_site")
    assert [(p.location.line, p.location.column, p.message) for p in problems if p.is_error] == [
        (6, 15, "\\label{eq-a} on a row without a number")]


def test_a_tag_numbers_a_labelled_plain_display_instead_of_the_counter(tmp_path: Path) -> None:
    body = ("$$ a = b \\tag{T} \\label{eq-t} $$\n\n$$ c = d \\label{eq-d} $$\n\n"
            "See [](#eq-t) and [](#eq-d).\n")
    labels, problems = labels_of(body)
    assert problems == [] and [(label.name, label.number) for label in labels] == [
        ("eq-t", "T"), ("eq-d", "2.3.1")]
    content = make_course(tmp_path, {"01-a/01-b.md": chapter("B", body)})
    page = (build_site(content, tmp_path / "_site") / "a/b.html").read_text()
    # KaTeX shows (T) in the formula: the wrapper adds the anchor and no second number.
    assert page.split('<template')[0].count('<span class="equation-number">') == 1
    assert '<div class="equation" id="eq-t"><div class="math-display">' in page
    assert re.search(r'href="#eq-t" data-xref="eq-t">\(T\)</a>', page)
