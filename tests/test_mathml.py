"""The MathML passes (markup/mathml.py): each pass on a small tree, then the nested
formulas that text patterns over the markup could not see, through render_math."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable
from xml.etree.ElementTree import Element

import pykatex
import pytest

from gradsite.markup import mathml
from gradsite.markup.math import render_math

MATH = f'<math xmlns="{mathml.MATHML_NAMESPACE}">'
SPACE = '<mspace width="0.1667em"></mspace>'


def run(one_pass: Callable[[Element], None], body: str) -> str:
    """The markup of ``<math>body</math>`` after one pass, without the <math> tags."""
    math = mathml.parse_katex(f"{MATH}{body}</math>")
    one_pass(math)
    written = mathml.serialize(math)
    assert written.startswith(MATH) and written.endswith("</math>")
    return written[len(MATH):-len("</math>")]


def katex(latex: str) -> str:
    return pykatex.renderToString(latex, displayMode=False, output=pykatex.OUTPUT_MATHML,
                                  throwOnError=True, strict=pykatex.STRICT_IGNORE)


# Children each element takes; more or fewer is invalid MathML, which Chromium draws
# as an error (a fraction of four children showed f′g′ with no bar).
ARITY = {"msub": 2, "msup": 2, "msubsup": 3, "mfrac": 2, "mroot": 2, "munder": 2, "mover": 2,
         "munderover": 3}


def miscounted(markup: str) -> list[str]:
    tree = ElementTree.fromstring(markup)
    return [f"{tag} with {len(e)}" for e in tree.iter()
            if (tag := e.tag.rpartition("}")[2]) in ARITY and len(e) != ARITY[tag]]


def mathml_of(latex: str) -> str:
    result = render_math(latex, False)
    assert result.error == ""
    assert miscounted(result.mathml) == [], result.mathml
    return result.mathml


# --- parsing and writing -------------------------------------------------------------


@pytest.mark.parametrize("latex", [
    r"a \quad b \\ c",  # KaTeX self-closes a space (<mspace/>), not a line break
    r"\text{don't \"x\" a>b \& c} < d",  # KaTeX's escapes, in text and attributes
    r"\begin{pmatrix} 1 & 2 \end{pmatrix}",  # attributes in KaTeX's order
    r"{}",  # an empty row keeps its closing tag
])
def test_what_no_pass_touches_is_written_as_katex_wrote_it(latex: str) -> None:
    markup = katex(latex)
    math = mathml.parse_katex(markup)
    written = mathml.serialize(math)
    assert written == markup.removeprefix('<span class="katex">').removesuffix("</span>")


def test_the_namespace_stays_a_plain_attribute_without_prefixes() -> None:
    math = mathml.parse_katex(katex("x"))
    assert math.tag == "math" and all("}" not in e.tag for e in math.iter())
    written = mathml.serialize(math)
    assert written.startswith(MATH) and "ns0" not in written
    display = pykatex.renderToString("x", displayMode=True, output=pykatex.OUTPUT_MATHML)
    assert mathml.serialize(mathml.parse_katex(display)).startswith(
        f'<math xmlns="{mathml.MATHML_NAMESPACE}" display="block">')


def test_a_space_a_pass_adds_is_written_with_a_closing_tag() -> None:
    # HTML has no self-closing <mspace>: only its foreign-content rule makes "/>" work,
    # so the passes' own spaces are written open and closed, as KaTeX writes elements.
    assert run(mathml.space_before_function_names_after_terms,
               "<mrow><mi>x</mi><mrow><mi>cos</mi><mo>\u2061</mo></mrow></mrow>") == (
        f"<mrow><mi>x</mi>{SPACE}<mrow><mi>cos</mi><mo>\u2061</mo></mrow></mrow>")


# --- one pass at a time ----------------------------------------------------------------


def test_drop_tex_annotation_keeps_the_mathml_only() -> None:
    body = ('<semantics><mrow><mi>α</mi></mrow>'
            '<annotation encoding="application/x-tex">\\alpha</annotation></semantics>')
    assert run(mathml.drop_tex_annotation, body) == "<mrow><mi>α</mi></mrow>"


@pytest.mark.parametrize(("body", "expected"), [
    # \lambda_{\max}: KaTeX gives the script three children.
    ("<msub><mi>λ</mi><mi>max</mi><mo>\u2061</mo></msub>",
     "<msub><mi>λ</mi><mrow><mi>max</mi><mo>\u2061</mo></mrow></msub>"),
    # Already a group of its own (\max_i): left as it is.
    ("<msub><mrow><mi>max</mi><mo>\u2061</mo></mrow><mi>i</mi></msub>",
     "<msub><mrow><mi>max</mi><mo>\u2061</mo></mrow><mi>i</mi></msub>"),
    # \log \log x: the first name starts its row, the second stands inside it.
    ("<mrow><mi>log</mi><mo>\u2061</mo><mi>log</mi><mo>\u2061</mo><mi>x</mi></mrow>",
     "<mrow><mi>log</mi><mo>\u2061</mo><mrow><mi>log</mi><mo>\u2061</mo></mrow><mi>x</mi></mrow>"),
])
def test_group_operator_names(body: str, expected: str) -> None:
    assert run(mathml.group_operator_names, body) == expected


def test_align_table_cells_gives_each_cell_its_columns_alignment() -> None:
    cell = "<mtd><mi>a</mi></mtd>"
    body = (f'<mtable columnalign="right left"><mtr>{cell * 3}</mtr><mtr>{cell}</mtr></mtable>'
            f'<mtable columnalign="center"><mtr>{cell}</mtr></mtable>')
    right, left = '<mtd columnalign="right">', '<mtd columnalign="left">'
    # The last value repeats for the columns after it; centred cells need nothing.
    assert re.findall(r"<mtd[^>]*>", run(mathml.align_table_cells, body)) == [
        right, left, left, right, "<mtd>"]


@pytest.mark.parametrize(("body", "spaced"), [
    ("<mrow><mi>log</mi><mo>\u2061</mo><mi>p</mi></mrow>", True),
    ("<mrow><mi>log</mi><mo>\u2061</mo><mo>(</mo><mi>x</mi><mo>)</mo></mrow>", False),
    ("<mrow><mi>x</mi><mrow><mi>sin</mi><mo>\u2061</mo></mrow><mfrac><mi>a</mi><mi>b</mi>"
     "</mfrac></mrow>", True),
    # A fraction's part has no argument beside it (\frac{\sin}{x}).
    ("<mfrac><mrow><mi>sin</mi><mo>\u2061</mo></mrow><mi>x</mi></mfrac>", False),
    # Nor a subscript beside its superscript (\lambda_{\max}^2).
    ("<msubsup><mi>λ</mi><mrow><mi>max</mi><mo>\u2061</mo></mrow><mn>2</mn></msubsup>", False),
])
def test_space_after_function_names(body: str, spaced: bool) -> None:
    assert ('<mo rspace="0.1667em">\u2061</mo>' in run(mathml.space_after_function_names, body)
            ) is spaced


@pytest.mark.parametrize(("body", "expected"), [
    ("<mrow><mn>2</mn><mi>sin</mi><mo>\u2061</mo></mrow>",
     f"<mrow><mn>2</mn>{SPACE}<mi>sin</mi><mo>\u2061</mo></mrow>"),
    # After an operator: its own spacing is enough.
    ("<mrow><mo>=</mo><mrow><mi>cos</mi><mo>\u2061</mo></mrow><mi>y</mi></mrow>",
     "<mrow><mo>=</mo><mrow><mi>cos</mi><mo>\u2061</mo></mrow><mi>y</mi></mrow>"),
    # After another name, which is spaced after already.
    ('<mrow><mo>(</mo><mrow><mi>sin</mi><mo rspace="0.1667em">\u2061</mo></mrow>'
     '<mrow><mi>cos</mi><mo>\u2061</mo></mrow></mrow>',
     '<mrow><mo>(</mo><mrow><mi>sin</mi><mo rspace="0.1667em">\u2061</mo></mrow>'
     '<mrow><mi>cos</mi><mo>\u2061</mo></mrow></mrow>'),
    # Not between a fraction's parts (\frac{x}{\sin}).
    ("<mfrac><mi>x</mi><mrow><mi>sin</mi><mo>\u2061</mo></mrow></mfrac>",
     "<mfrac><mi>x</mi><mrow><mi>sin</mi><mo>\u2061</mo></mrow></mfrac>"),
])
def test_space_before_function_names_after_terms(body: str, expected: str) -> None:
    assert run(mathml.space_before_function_names_after_terms, body) == expected


def test_space_after_scripted_function_names_goes_after_the_whole_script() -> None:
    # \sin^{x^2 y} z: the script holds a superscript of its own.
    script = "<mrow><msup><mi>x</mi><mn>2</mn></msup><mi>y</mi></mrow>"
    body = f"<mrow><msup><mrow><mi>sin</mi><mo>\u2061</mo></mrow>{script}</msup><mi>z</mi></mrow>"
    assert run(mathml.space_after_scripted_function_names, body) == (
        f"<mrow><msup><mrow><mi>sin</mi><mo>\u2061</mo></mrow>{script}</msup>{SPACE}<mi>z</mi>"
        "</mrow>")
    in_fraction = "<mfrac><msup><mrow><mi>sin</mi><mo>\u2061</mo></mrow><mn>2</mn></msup>" \
                  "<mi>x</mi></mfrac>"
    assert run(mathml.space_after_scripted_function_names, in_fraction) == in_fraction


@pytest.mark.parametrize(("base", "sign"), [
    ("<mo>∑</mo>", True),
    ("<mrow><mi>lim</mi><mo>\u2061</mo></mrow>", True),
    ('<mo stretchy="false">)</mo>', False),  # (a + h)^3 - 3a
])
def test_sign_after_limits(base: str, sign: bool) -> None:
    body = f"<mrow><msub>{base}<msub><mi>i</mi><mn>1</mn></msub></msub><mo>−</mo><mi>x</mi></mrow>"
    assert ('<mo form="prefix">' in run(mathml.sign_after_limits, body)) is sign


@pytest.mark.parametrize(("body", "signs"), [
    ("<mrow><mi>σ</mi><mo>(</mo><mo>−</mo><mi>z</mi><mo>)</mo></mrow>", 1),
    ("<mrow><mo>(</mo><mi>a</mi><mo>)</mo><mo>−</mo><mi>b</mi></mrow>", 0),
    ("<mrow><mi>f</mi><mo>′′</mo><mo>−</mo><mi>g</mi></mrow>", 0),  # primes of a letter
    ("<mrow><mo>−</mo><mi>x</mi></mrow>", 0),  # first in its row: already a sign
    # x = - - b: the first minus is read with the =, so the second is not a sign.
    ("<mrow><mi>x</mi><mo>=</mo><mo>−</mo><mo>−</mo><mi>b</mi></mrow>", 1),
])
def test_sign_after_operators(body: str, signs: int) -> None:
    assert run(mathml.sign_after_operators, body).count('<mo form="prefix">') == signs


@pytest.mark.parametrize(("body", "expected"), [
    ('<mi mathvariant="bold">x</mi>', "<mi>\U0001d431</mi>"),
    ('<mi mathvariant="double-struck">R</mi>', "<mi>\u211d</mi>"),
    ('<mi mathvariant="bold">θ</mi>', "<mi>\U0001d6c9</mi>"),
    ('<mi mathvariant="normal">d</mi>', '<mi mathvariant="normal">d</mi>'),  # Chromium has it
])
def test_style_letters_as_unicode(body: str, expected: str) -> None:
    assert run(mathml.style_letters_as_unicode, body) == expected


# --- nested formulas, whole ---------------------------------------------------------


def test_a_scripted_name_is_spaced_after_its_whole_script() -> None:
    mathml_ = mathml_of(r"\sin^{x^2 y} z")
    assert mathml_.count(SPACE) == 1
    assert f"<mi>y</mi></mrow></msup>{SPACE}<mi>z</mi>" in mathml_  # not between x² and y
    assert f"</msup></msup>{SPACE}<mi>z</mi>" in mathml_of(r"\sin^{x^2} z")
    assert f"</msub>{SPACE}<mi>y</mi>" in mathml_of(r"\log_{x_1} \log_{x_2} y")
    assert f"</msub>{SPACE}<mi>x</mi>" in mathml_of(r"\min_{\lambda_{\max}} x")


def test_names_in_fractions_are_spaced_in_their_own_part() -> None:
    mathml_ = mathml_of(r"\frac{\sin x}{\sin y}")
    assert mathml_.count('<mo rspace="0.1667em">\u2061</mo>') == 2
    assert "mspace" not in mathml_
    assert "0.1667em" not in mathml_of(r"\frac{\sin}{x}") + mathml_of(r"\frac{x}{\sin}")
    assert "mspace" not in mathml_of(r"\frac{\sin^2}{x}")


def test_a_name_after_a_name_gets_one_space() -> None:
    log_log = mathml_of(r"\log \log x")
    assert log_log.count('rspace="0.1667em"') == 2 and "mspace" not in log_log
    log_log_log = mathml_of(r"\log\log\log x")
    assert log_log_log.count('rspace="0.1667em"') == 3 and "mspace" not in log_log_log
    # The space before a name after a term comes first, so \log is not spaced twice.
    assert mathml_of(r"\max_i \log x").count(SPACE) == 1


@pytest.mark.parametrize("latex", [r"\lambda_{\max}^2", r"x_{\max}^{2} y",
                                   r"\frac{\lambda_{\max}}{2}", r"\frac{1}{\lambda_{\max}}"])
def test_an_operator_name_as_a_script_stays_one_unspaced_script(latex: str) -> None:
    assert "0.1667em" not in mathml_of(latex)


@pytest.mark.parametrize(("latex", "signs"), [
    (r"\sum_{i_1} -x", 1),  # the limits hold a subscript of their own
    (r"\lim_{h_n \to 0} -x", 1),
    (r"\max_{\max_i x} -y", 1),
    (r"\sum_{x_1 - y} z", 0),  # a minus inside the limits subtracts
])
def test_a_sign_after_limits_with_scripts_inside(latex: str, signs: int) -> None:
    assert mathml_of(latex).count('form="prefix"') == signs
