"""Math: found on the raw text, rendered to MathML at build time, errors with file:line.

String-in/string-out tests through the chapter renderer, plus KaTeX MathML checks.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable

import pytest

from gradsite.diagnostics import Diagnostic, Location
from gradsite.markup.math import render_math
from gradsite.scan import scan_body
from tests.coursekit import chapter, only, render_body, render_ok, where

MATH = '<math xmlns="http://www.w3.org/1998/Math/MathML">'
DISPLAY = '<math xmlns="http://www.w3.org/1998/Math/MathML" display="block">'


def maths(html: str) -> list[str]:
    return re.findall(r"<math\b.*?</math>", html, re.DOTALL)


# In a process of its own: the failure it guards against crashes the interpreter.
_FROM_THREADS = """
import threading
from gradsite.markup.math import render_math
results = []
def render(i):
    results.append(render_math(r"\\tfrac12 x^2 + %d y^2" % i, False))
def in_a_thread(i):
    thread = threading.Thread(target=render, args=(i,))
    thread.start()
    thread.join()
in_a_thread(0)
stop = threading.Event()
others = [threading.Thread(target=stop.wait) for _ in range(20)]
for other in others:
    other.start()
for i in range(1, 6):
    in_a_thread(i)
render(6)
stop.set()
print(sum(1 for r in results if r.mathml.startswith("<math") and not r.error))
"""


def test_math_is_set_from_any_thread_one_after_another() -> None:
    # serve builds on a new thread each time: KaTeX's engine, made on the first one,
    # reported a stack overflow for valid formulas on a later one, or crashed.
    run = subprocess.run([sys.executable, "-c", _FROM_THREADS], capture_output=True, text=True,
                         timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "7"


def test_inline_dollar_math_becomes_mathml() -> None:
    html = render_ok("The function $f(x) = x^2$ grows.\n")
    assert html.startswith("<p>The function " + MATH)
    assert "<msup><mi>x</mi><mn>2</mn></msup>" in html
    assert "$" not in html


def test_multiline_display_math_is_a_block_in_div_math_display() -> None:
    html = render_ok("Before.\n\n$$\nf(x) = x^2\n  + 1\n$$\n\nAfter.\n")
    assert '<div class="math-display">' + DISPLAY in html
    assert "<p>Before.</p>" in html and "<p>After.</p>" in html
    # The block is not wrapped in a paragraph.
    assert '<p><div class="math-display">' not in html


def test_backslash_paren_and_bracket_delimiters() -> None:
    html = render_ok("Inline \\(a + b\\).\n\n\\[\nc^2\n\\]\n")
    inline, display = maths(html)
    assert inline.startswith(MATH)
    assert display.startswith(DISPLAY)
    assert '<div class="math-display">' + DISPLAY in html
    assert "\\(" not in html and "\\[" not in html


def test_currency_stays_text() -> None:
    html = render_ok("It costs $5 and $10.\n")
    assert html == "<p>It costs $5 and $10.</p>"


def test_currency_before_real_math_in_one_paragraph() -> None:
    # Pandoc's rule: a closing $ must follow a non-space. The $ of "$x$" after a
    # space cannot close the span opened by "$5", so "$5" stays a dollar amount.
    html = render_ok("The book costs $5, and $x$ is the unknown.\n")
    assert html.startswith("<p>The book costs $5, and " + MATH)
    assert len(maths(html)) == 1
    assert "<mi>x</mi>" in maths(html)[0]


def test_escaped_dollar_stays_a_literal_dollar() -> None:
    html = render_ok("A \\$ sign, \\$5 and \\$x\\$.\n")
    assert "<math" not in html
    assert html == "<p>A &#36; sign, &#36;5 and &#36;x&#36;.</p>"


def test_dollar_in_inline_code_and_fenced_code_is_untouched() -> None:
    html = render_ok("Type `echo $HOME$` now.\n\n```bash\necho $x$ and $$y$$\n```\n")
    assert "<code>echo $HOME$</code>" in html
    assert "<math" not in html
    assert "echo $x$ and $$y$$" in re.sub(r"<[^>]+>", "", html)


def test_underscores_and_asterisks_in_math_never_become_emphasis() -> None:
    html = render_ok("We have $a_1 * b_2$ and $x_i * y_i$ and $$p_* = q_*$$ here.\n")
    assert "<em>" not in html and "<strong>" not in html
    assert len(maths(html)) == 3
    assert "<msub><mi>a</mi><mn>1</mn></msub>" in html


def test_math_in_headings_gives_a_clean_anchor_and_shows_in_the_toc() -> None:
    html, toc, problems = render_body("# Title\n\n## The gradient $\\nabla f_i$ of $f$\n\nText.\n")
    assert problems == []
    entry = only(list(toc))
    assert entry.level == 2
    assert re.fullmatch(r"[a-z0-9-]+", entry.id), entry.id
    assert entry.id == "the-gradient-fi-of-f"  # the math's letters, as authoring.md says
    assert "gstoken" not in entry.id
    assert entry.title_html.count("<math") == 2
    assert f'<h2 id="{entry.id}">The gradient {MATH}' in html
    assert "gstoken" not in html


def test_invalid_latex_is_an_error_with_file_and_line() -> None:
    _, _, problems = render_body("Intro.\n\nThen $\\frac{1}{$ here.\n", "c/ch.md", 20)
    problem = only(problems)
    assert (problem.location.path, problem.location.line) == ("c/ch.md", 22)
    assert "invalid LaTeX" in problem.message


def test_invalid_latex_fails_the_build_with_the_chapter_file_and_line(
    failing_build: Callable[..., list[Diagnostic]],
) -> None:
    # Front matter is lines 1-3, the body starts on line 4.
    problems = failing_build({"01-a/01-b.md": chapter("B", "Fine $x$.\n\nBad $x^{2$ here.\n")})
    assert [where(p) for p in problems] == ["content/01-a/01-b.md:6"]
    assert "invalid LaTeX" in problems[0].message


def test_undefined_command_is_named_in_the_error() -> None:
    _, _, problems = render_body("Now $\\notacommand{x}$.\n", "ch.md", 7)
    problem = only(problems)
    assert problem.location.line == 7
    assert "\\notacommand" in problem.message


@pytest.mark.parametrize("command", ["\\href{https://example.org}{x}", "\\url{x}",
                                     "\\includegraphics{a.png}", "\\htmlClass{c}{x}"])
def test_commands_that_need_trust_are_errors_not_red_text(command: str) -> None:
    # KaTeX renders them as their own name in red; that would be published.
    _, _, problems = render_body(f"See $a + {command}$.\n", "ch.md", 7)
    problem = only(problems)
    assert problem.location.line == 7
    assert command.split("{")[0] + " is not allowed in math" in problem.message


def test_a_colour_that_looks_like_katexs_error_colour_is_fine() -> None:
    assert render_math("\\textcolor{#cc0000}{x}", False).error == ""


def test_invalid_latex_on_a_later_line_of_a_display_block_names_that_line() -> None:
    body = (
        "Text.\n"          # 30
        "\n"               # 31
        "$$\n"             # 32
        "a = b\n"          # 33
        "\\\\\n"           # 34
        "c = \\badcmd{d}\n"  # 35
        "$$\n"             # 36
    )
    _, _, problems = render_body(body, "ch.md", 30)
    problem = only(problems)
    assert "\\badcmd" in problem.message
    assert problem.location.line == 35


def test_invalid_latex_on_the_first_line_of_a_display_block() -> None:
    body = "$$\n\\badcmd{d} + 1\n$$\n"  # the formula is on line 2
    _, _, problems = render_body(body, "ch.md", 1)
    assert only(problems).location.line == 2


def test_invalid_latex_in_a_bracket_display_block_names_its_line() -> None:
    body = "\\[\nx\n+ \\badcmd\n\\]\n"  # \badcmd is on line 3
    _, _, problems = render_body(body, "ch.md", 1)
    assert only(problems).location.line == 3


def test_unclosed_display_math_is_reported_with_its_line() -> None:
    _, _, problems = render_body("Text.\n\n$$ x^2\n\nMore.\n", "ch.md", 4)
    problem = only(problems)
    assert problem.location.line == 6
    assert "never closed" in problem.message


def test_math_of_a_scanned_block_keeps_its_latex() -> None:
    scanned, _ = scan_body("$$\n\\int_0^1 x\\,dx\n$$", Location("ch.md", 1))
    assert scanned.blocks[0].source.strip() == "\\int_0^1 x\\,dx"


# --- KaTeX MathML ----------------------------------------------------------------


def test_display_math_has_display_block() -> None:
    result = render_math("x", True)
    assert result.error == ""
    assert result.mathml.startswith(DISPLAY)
    assert 'display="block"' not in render_math("x", False).mathml


def test_blackboard_and_bold_letters_are_styled_unicode() -> None:
    reals = render_math("\\mathbb{R}", False).mathml
    bold = render_math("\\mathbf{x}", False).mathml
    assert "\u211d" in reals  # ℝ
    assert "\U0001d431" in bold  # 𝐱 MATHEMATICAL BOLD SMALL X
    assert "mathvariant" not in reals + bold


def test_more_styled_alphabets() -> None:
    assert "\U0001d4a9" in render_math("\\mathcal{N}", False).mathml  # 𝒩
    assert "\u2112" in render_math("\\mathcal{L}", False).mathml  # ℒ from Letterlike Symbols
    assert "\U0001d7d9" in render_math("\\mathbb{1}", False).mathml  # 𝟙


def test_aligned_gives_an_mtable() -> None:
    mathml = render_math("\\begin{aligned} a &= b \\\\ c &= d \\end{aligned}", True).mathml
    assert "<mtable" in mathml
    assert mathml.count("<mtr>") == 2


def test_display_limit_puts_the_subscript_under() -> None:
    mathml = render_math("\\lim_{x\\to0} f(x)", True).mathml
    assert "<munder>" in mathml
    assert "→" in mathml


def test_row_spacing_argument_is_not_printed() -> None:
    mathml = render_math("\\begin{aligned} a &= b \\\\[4pt] c &= d \\end{aligned}", True).mathml
    assert mathml
    assert "4pt" not in re.sub(r"<[^>]+>", "", mathml)


def test_no_latex_annotation_leaks_into_the_mathml() -> None:
    mathml = render_math("\\alpha + \\beta", False).mathml
    assert "annotation" not in mathml
    assert "\\alpha" not in mathml
    assert "α" in mathml


def test_invalid_latex_gives_an_error_and_no_mathml() -> None:
    result = render_math("\\frac{1}{", False)
    assert result.mathml == ""
    assert result.error


def test_an_operator_name_as_a_script_is_one_group() -> None:
    # KaTeX alone gives <msub><mi>λ</mi><mi>max</mi><mo>⁡</mo></msub>: three children.
    mathml = render_math(r"\lambda_{\max}", False).mathml
    assert "<msub><mi>λ</mi><mrow><mi>max</mi><mo>\u2061</mo></mrow></msub>" in mathml
    assert "<mrow><mrow>" not in render_math(r"\max_i x_i", False).mathml


def test_a_prime_is_a_superscript_set_at_script_size() -> None:
    # The text-size prime glyph (already raised) sat tiny and far too high as a
    # plain superscript; it is shifted in a script of its own (mathml_layout.py).
    mathml = render_math("g'(x) + g''(x)", False).mathml
    assert mathml.count('<msup><mi>g</mi><mrow><mstyle scriptlevel="-1"><mpadded') == 2
    assert '<mo lspace="0em" rspace="0em">′′</mo>' in mathml


def test_punctuation_after_inline_math_is_kept_with_it() -> None:
    # Narrow screens wrapped the "." after a formula onto a line of its own.
    html = render_ok("Text $x^2$. And $y$, then $z$ end.\n")
    assert html.count('<span class="math-with-punctuation">') == 2
    assert re.search(r'<span class="math-with-punctuation"><math[^>]*>.*?</math>\.</span>', html)
    assert "then <math" in html  # no punctuation, no span


def test_aligned_cells_carry_their_columns_alignment() -> None:
    # Chromium ignores <mtable columnalign>: each cell says it (math.css aligns it).
    mathml = render_math(r"\begin{aligned} a &= b \\ cc &= d \end{aligned}", True).mathml
    assert re.findall(r"<mtd(?: columnalign=\"(\w+)\")?>", mathml) == ["right", "left"] * 2
    cases = render_math(r"|x| = \begin{cases} x & x \ge 0 \\ -x & 0 \end{cases}", True).mathml
    assert re.findall(r"<mtd(?: columnalign=\"(\w+)\")?>", cases) == ["left"] * 4


def test_a_table_inside_a_table_keeps_its_own_alignment() -> None:
    mathml = render_math(r"\begin{array}{rc} \begin{array}{l} 1 \\ 2 \end{array} & 3 \\ 4 & 5"
                         r"\end{array}", True).mathml
    # outer r, inner l, inner l, outer c (centre: no attribute), outer r, outer c
    assert re.findall(r"<mtd(?: columnalign=\"(\w+)\")?>", mathml) == [
        "right", "left", "left", "", "right", ""]


@pytest.mark.parametrize(("latex", "spaced"), [
    (r"\log p", True),
    (r"\log \frac{1}{\varepsilon}", True),
    (r"\log(x)", False),  # a bracket follows: no space, as in TeX
    (r"\lambda_{\max}", False),  # a name as a subscript
])
def test_a_function_name_is_followed_by_a_thin_space(latex: str, spaced: bool) -> None:
    assert ('rspace="0.1667em"' in render_math(latex, False).mathml) is spaced


@pytest.mark.parametrize("latex", [r"\lim_{x \to 0} g", r"\max_{i,j} x", r"\sin^{-1} x",
                                   r"\operatorname{argmin}_x f"])
def test_a_function_name_with_a_longer_script_is_spaced_after_the_script(latex: str) -> None:
    mathml = render_math(latex, False).mathml
    assert re.search(r'</(msub|msup|munder)><mspace width="0.1667em"></mspace><mi>', mathml)


def test_a_function_name_after_a_term_or_with_a_power_is_spaced() -> None:
    assert '<mi>x</mi><mspace width="0.1667em"></mspace><mrow><mi>cos</mi>' in render_math(
        r"\sin x \cos y", False).mathml
    assert '</msup><mspace width="0.1667em"></mspace><mi>x</mi>' in render_math(
        r"\sin^2 x", False).mathml


@pytest.mark.parametrize(("latex", "signs"), [
    (r"\sigma(-z)", 1),
    (r"\{-1, +1\}", 2),
    (r"x = -1", 1),
    (r"a - b", 0),
    (r"(a) - b", 0),
    (r"-x", 0),  # first in its row: MathML Core already takes it as a sign
    (r"f' - g", 0),  # after a prime: a subtraction
    (r"\sum_{i=1}^n -x_i", 1),  # after an operator with limits: a sign
    (r"\lim_{x \to 0} -x", 1),
    (r"(a + h)^3 - 3a", 0),  # a power of a bracket: a subtraction
    (r"\int_0^1 -f", 1),
])
def test_a_minus_after_a_bracket_or_an_operator_is_a_sign(latex: str, signs: int) -> None:
    assert render_math(latex, False).mathml.count('form="prefix"') == signs
