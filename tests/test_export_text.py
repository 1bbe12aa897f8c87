"""The texts and numbers of the LMS export: Markdown with math to simple HTML with
TeX in ``\\(...\\)`` (export/lmstext.py), and answers and tolerances as decimals
(export/questions.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gradsite.export.lmstext import expand_macros, lms_html, lms_plain, lms_tex
from gradsite.export.questions import decimal_text, numeric_answer
from gradsite.model import Macro, Reference

REFERENCES = {
    "eq-one": Reference("eq-one", "#eq-one", "(1.2.3)", "1.2.3"),
    "fig-a": Reference("fig-a", "../b/c.html#fig-a", "Figure 2.1.1", "2.1.1"),
}


def test_inline_math_is_tex_between_backslash_parentheses() -> None:
    assert lms_html("Let $x^2$ and \\(y\\) be.") == "Let \\(x^2\\) and \\(y\\) be."


def test_display_math_is_display_style_tex_in_its_own_paragraph() -> None:
    html = lms_html("Then\n\n$$\n\\frac{a}{b}\n$$\n\nso.")
    assert html == "<p>Then</p>\n<p>\\(\\displaystyle \\frac{a}{b}\\)</p>\n<p>so.</p>"


def test_tex_is_escaped_as_html_text() -> None:
    assert lms_html("$a < b & c$") == "\\(a &lt; b &amp; c\\)"


def test_currency_and_code_keep_their_dollars() -> None:
    assert lms_html("It costs $5 and $10.") == "It costs $5 and $10."
    assert lms_html("Write `$x$` for math.") == "Write <code>$x$</code> for math."


def test_raw_html_is_shown_as_written() -> None:
    assert lms_html("<script>alert(1)</script> <b>x</b>") == (
        "&lt;script&gt;alert(1)&lt;/script&gt; &lt;b&gt;x&lt;/b&gt;")


def test_markdown_becomes_simple_html() -> None:
    html = lms_html("**Bold**, *it*.\n\n- one\n- two $n$")
    assert html == ("<p><strong>Bold</strong>, <em>it</em>.</p>\n"
                    "<ul>\n<li>one</li>\n<li>two \\(n\\)</li>\n</ul>")


def test_course_macros_are_expanded() -> None:
    macros = (Macro("R", "\\mathbb{R}", 0), Macro("norm", "\\lVert #1 \\rVert", 1),
              Macro("inner", "\\langle #1, #2 \\rangle", 2))
    assert lms_html("$x \\in \\R^n$, $\\norm{\\frac{a}{b}}$", macros) == (
        "\\(x \\in \\mathbb{R}^n\\), \\(\\lVert \\frac{a}{b} \\rVert\\)")
    # One token as an argument, a nested macro, a longer name than a macro's.
    assert expand_macros("\\norm x + \\inner{\\R}{y} + \\Rn", macros) == (
        "\\lVert x \\rVert + \\langle \\mathbb{R}, y \\rangle + \\Rn")
    assert expand_macros("\\norm{\\{a\\}}", macros) == "\\lVert \\{a\\} \\rVert"


def test_labels_go_and_references_show_their_numbers() -> None:
    html = lms_html("See [](#eq-one), [the figure](#fig-a) and \\eqref{eq-one}, "
                    "\\ref{fig-a}: $y \\eqref{eq-one}$.", references=REFERENCES)
    assert html == ("See (1.2.3), the figure and (1.2.3), 2.1.1: "
                    "\\(y \\text{(1.2.3)}\\).")
    assert lms_tex("x = 1 \\label{eq-one}") == "x = 1"


def test_numbered_environments_become_what_mathjax_takes_inline() -> None:
    tex = lms_tex("\\begin{align}\na &= b \\tag{A} \\\\\nc &= d \\notag\n\\end{align}",
                  display=True)
    assert tex == "\\begin{aligned}\na &= b  \\\\\nc &= d \n\\end{aligned}"
    assert lms_tex("\\begin{equation*}x\\end{equation*}", display=True) == "x"
    assert lms_tex("\\begin{gather}x\\end{gather}", display=True) == (
        "\\begin{gathered}x\\end{gathered}")


def test_links_to_the_web_stay_and_links_into_the_course_keep_their_text() -> None:
    html = lms_html("[web](https://example.org/a?b=1&c=2), [page](02-other.md), "
                    "[mail](mailto:a@example.org), [anchor](#nowhere), "
                    "![a plot](plot.svg), ![web](https://example.org/i.png) and "
                    "[![the plot](plot.svg) here](02-other.md)")
    assert html == ('<a href="https://example.org/a?b=1&amp;c=2">web</a>, page, '
                    '<a href="mailto:a@example.org">mail</a>, anchor, a plot, '
                    '<img alt="web" src="https://example.org/i.png"> and the plot here')


def test_a_title_keeps_its_text_and_its_math_becomes_tex() -> None:
    assert lms_plain("The $\\nabla f$ of *f*") == "The \\(\\nabla f\\) of *f*"
    assert lms_plain("No math") == "No math"


@pytest.mark.parametrize(("answer", "tolerance"), [
    (0.2, 0.001), (0.30000000000000004, 1e-4), (-0.064, 0.0001), (9.0, 0.001),
    (1e-8, 1e-12), (123456.789, 0.5), (2.0 ** 0.5, 0.001), (1 / 3, None), (-0.0, None),
    (4.0, 0.0),
])
def test_numeric_bounds_are_the_answer_plus_and_minus_the_tolerance_exactly(
    answer: float, tolerance: float | None
) -> None:
    exact, margin = numeric_answer(answer, tolerance)
    expected = tolerance if tolerance is not None else 1e-6 * max(1.0, abs(answer))
    assert float(exact) == answer and float(margin) == expected
    low, high = exact - margin, exact + margin
    # Written and read back as an LMS does, the margin is the tolerance to the digit.
    written = [Decimal(decimal_text(v)) for v in (low, exact, high)]
    assert written[2] - written[1] == margin and written[1] - written[0] == margin
    assert "e" not in decimal_text(high).lower()


def test_decimals_are_written_without_an_exponent_or_trailing_zeros() -> None:
    assert decimal_text(Decimal("1E-8")) == "0.00000001"
    assert decimal_text(Decimal("1.500")) == "1.5"
    assert decimal_text(Decimal("1E+3")) == "1000"
    assert decimal_text(Decimal("-0.0")) == "0"
