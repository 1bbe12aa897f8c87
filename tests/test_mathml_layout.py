"""The layout passes (markup/mathml_layout.py): each pass on a small tree, then the
whole formula through render_math. How Chromium lays the result out is measured
in tests/browser/test_math_corpus.py."""

from __future__ import annotations

import re

import pytest

from gradsite.markup import mathml_layout as layout
from gradsite.markup.math import render_math
from tests.test_mathml import mathml_of, miscounted, run

KATEX_PRIME = '<mo mathvariant="normal" lspace="0em" rspace="0em">′</mo>'
SHIFTED = ('<mstyle scriptlevel="-1"><mpadded voffset="-0.21em" height="0.493em" depth="0em">'
           '<mo lspace="0em" rspace="0em">{}</mo></mpadded></mstyle>')


def display(latex: str) -> str:
    result = render_math(latex, True)
    assert result.error == ""
    assert miscounted(result.mathml) == [], result.mathml
    return result.mathml


# --- \mathop words and stacked operators ---------------------------------------------


def test_name_mathop_words_writes_the_word_as_an_operator_name() -> None:
    letters = "".join(f'<mi mathvariant="normal">{c}</mi>' for c in "argmin")
    body = f"<munder><mo><mrow>{letters}</mrow></mo><mi>x</mi></munder>"
    assert run(layout.name_mathop_words, body) == (
        '<munder><mrow><mi mathvariant="normal">argmin</mi><mo>\u2061</mo></mrow>'
        "<mi>x</mi></munder>")
    # Not a word of upright letters: left to unwrap_stacked_operators.
    assert run(layout.name_mathop_words, "<mo><mi>x</mi></mo>") == "<mo><mi>x</mi></mo>"


@pytest.mark.parametrize(("body", "expected"), [
    # \stackrel{\text{def}}{=}
    ("<mrow><mo><mover><mo><mo>=</mo></mo><mtext>def</mtext></mover></mo></mrow>",
     "<mrow><mover><mo>=</mo><mtext>def</mtext></mover></mrow>"),
    # \overset{a}{b}
    ("<mrow><mi><mover><mo><mi>b</mi></mo><mi>a</mi></mover></mi><mo>+</mo></mrow>",
     "<mrow><mover><mi>b</mi><mi>a</mi></mover><mo>+</mo></mrow>"),
    # A token holding several elements becomes their row.
    ("<mo><mi>a</mi><mi>b</mi></mo>", "<mrow><mi>a</mi><mi>b</mi></mrow>"),
    ("<mo>=</mo>", "<mo>=</mo>"),
])
def test_unwrap_stacked_operators(body: str, expected: str) -> None:
    assert run(layout.unwrap_stacked_operators, body) == expected


def test_mathop_takes_limits_in_display_and_keeps_nolimits() -> None:
    name = '<mrow><mi mathvariant="normal">argmin</mi><mo>\u2061</mo></mrow>'
    assert f"<munder>{name}<mi>x</mi></munder>" in display(r"\mathop{\mathrm{argmin}}_x f(x)")
    # The same as \operatorname*: one way to write an operator with limits.
    assert (display(r"\mathop{\mathrm{argmin}}_x f(x)")
            == display(r"\operatorname*{argmin}_x f(x)"))
    assert f"<msub>{name}<mi>x</mi></msub>" in display(r"\mathop{\mathrm{argmin}}\nolimits_x f")
    assert f"<msub>{name}<mi>x</mi></msub>" in mathml_of(r"\mathop{\mathrm{argmin}}_x f")
    assert "<munderover><mo>∫</mo>" in display(r"\int\limits_0^1 f")
    assert "<msub><mo>∑</mo>" in display(r"\sum\nolimits_i x_i")
    assert "<mover><mo>=</mo><mtext>def</mtext></mover>" in display(r"a \stackrel{\text{def}}{=} b")
    assert "<munder><mo>=</mo><mi>x</mi></munder>" in display(r"a \underset{x}{=} b")


def test_an_error_after_a_display_mathop_points_into_the_formula() -> None:
    result = render_math(r"\mathop{x}_1 + a}", True)
    assert result.error and result.offset == len(r"\mathop{x}_1 + a")


# --- tags, tables ----------------------------------------------------------------------


def test_display_style_under_tags() -> None:
    tagged = display(r"\sum_i \frac{a}{b} \tag{3}")
    assert '<mtable width="100%" displaystyle="true">' in tagged
    assert "<munder><mo>∑</mo>" in tagged
    assert 'displaystyle="true"' not in run(
        layout.display_style_under_tags, '<mtable><mtr><mtd><mi>a</mi></mtd></mtr></mtable>')


def test_align_columns_skip_katexs_glue_cells() -> None:
    aligned = display(r"\begin{align} a &= b \\ cc &= d \end{align}")
    cells = re.findall(r"<mtd[^>]*>", aligned)
    glue, number = '<mtd class="mtr-glue">', '<mtd class="mml-eqn-num">'
    right, left = '<mtd columnalign="right">', '<mtd columnalign="left">'
    assert cells == [glue, right, left, glue, number] * 2
    alignat = display(r"\begin{alignat}{2} a &= b &\quad c &= d \end{alignat}")
    assert re.findall(r"<mtd[^>]*>", alignat) == [glue, right, left, right, left, glue, number]


def test_align_table_cells_gives_each_cell_its_columns_alignment() -> None:
    cell = "<mtd><mi>a</mi></mtd>"
    body = (f'<mtable columnalign="right left"><mtr>{cell * 3}</mtr><mtr>{cell}</mtr></mtable>'
            f'<mtable columnalign="center"><mtr>{cell}</mtr></mtable>')
    right, left = '<mtd columnalign="right">', '<mtd columnalign="left">'
    # The last value repeats for the columns after it; centred cells need nothing.
    assert re.findall(r"<mtd[^>]*>", run(layout.align_table_cells, body)) == [
        right, left, left, right, "<mtd>"]


# --- fence bars ---------------------------------------------------------------------


@pytest.mark.parametrize(("latex", "unspaced"), [
    (r"\left| x \right| \le c", 2),
    (r"\lvert x \rvert", 2),
    (r"\left\| x \right\|", 2),
    (r"\lVert x \rVert", 2),
    (r"\{x \mid x > 0\}", 0),  # a relation keeps its spacing
    (r"|x|", 0),  # bare bars are KaTeX's letter-like <mi>: no spacing to take
])
def test_unspace_fence_bars(latex: str, unspaced: int) -> None:
    assert mathml_of(latex).count('lspace="0em" rspace="0em">') == unspaced


def test_a_middle_bar_keeps_katexs_spacing() -> None:
    assert 'lspace="0.05em" rspace="0.05em">|</mo>' in mathml_of(
        r"\left\{ x \middle| y \right\}")


# --- primes -------------------------------------------------------------------------


@pytest.mark.parametrize(("body", "expected"), [
    (f"<msup><mi>f</mi>{KATEX_PRIME}</msup>",
     f"<msup><mi>f</mi><mrow>{SHIFTED.format('′')}</mrow></msup>"),
    ('<msup><mi>g</mi><mrow><mo mathvariant="normal">′</mo><mo mathvariant="normal">′</mo>'
     "<mn>2</mn></mrow></msup>",
     f"<msup><mi>g</mi><mrow>{SHIFTED.format('′′')}<mn>2</mn></mrow></msup>"),
    # x'_i: the prime is the superscript of a sub-superscript.
    (f"<msubsup><mi>x</mi><mi>i</mi>{KATEX_PRIME}</msubsup>",
     f"<msubsup><mi>x</mi><mi>i</mi><mrow>{SHIFTED.format('′')}</mrow></msubsup>"),
    # A prime the author styled is left alone; so is a superscript without primes.
    ('<msup><mi>f</mi><mo mathcolor="red" mathvariant="normal">′</mo></msup>',
     '<msup><mi>f</mi><mo mathcolor="red" mathvariant="normal">′</mo></msup>'),
    ("<msup><mi>f</mi><mn>2</mn></msup>", "<msup><mi>f</mi><mn>2</mn></msup>"),
])
def test_primes_at_script_size(body: str, expected: str) -> None:
    assert run(layout.primes_at_script_size, body) == expected


@pytest.mark.parametrize("latex", [r"\mathbf{x}'", r"\operatorname{loss}'(w)", r"f^\prime",
                                   r"x_{f'}", r"e^{f''}", r"\frac{f'}{g'}", r"\sqrt[f']{x}"])
def test_every_prime_is_shifted_and_its_elements_keep_their_children(latex: str) -> None:
    assert '<mstyle scriptlevel="-1"><mpadded' in mathml_of(latex)


@pytest.mark.parametrize("latex", [r"f'' - g", r"f' - g", r"f'^2 - 1", r"x'_i - y"])
def test_a_minus_after_primes_subtracts(latex: str) -> None:
    assert 'form="prefix"' not in mathml_of(latex)
