"""Function cards: each declared function and its gradient as math, with a badge."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from gradsite.check.functions import check_functions
from gradsite.diagnostics import Diagnostic, Location
from gradsite.expr import CompiledFunction
from gradsite.load import load_chapter
from gradsite.markup.cards import card_places, fence_names, render_function_cards
from gradsite.scan import scan_body
from tests.coursekit import build_problems, has_class, make_course, only, parse_page, where


def compiled(tmp_path: Path, functions: str) -> dict[str, CompiledFunction]:
    path = tmp_path / "content/01-a/01-b.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("---\ntitle: T\n" + functions + "---\nBody.\n", encoding="utf-8")
    chapter, problems = load_chapter(path, 1, "b")
    assert problems == [] and chapter is not None
    result, problems = check_functions(chapter)
    assert problems == []
    return result


def cards_of(tmp_path: Path, functions: str) -> list[str]:
    """The HTML of each card."""
    html = render_function_cards(compiled(tmp_path, functions))
    assert html.startswith('<section class="function-cards" '
                           'aria-label="Functions in this chapter">')
    return html.split('<div class="function-card">')[1:]


def math_text(html: str) -> str:
    """The characters of the HTML without tags or white space: what a reader sees, roughly."""
    return "".join("".join(parse_page(html).text).split())


def test_no_functions_no_section() -> None:
    assert render_function_cards({}) == ""


def test_a_checked_function_shows_the_function_its_gradient_and_the_badge(
    tmp_path: Path,
) -> None:
    (card,) = cards_of(tmp_path, (
        "functions:\n  f:\n    expr: x**2 + 3*y**2\n    gradient: [2*x, 6*y]\n"
    ))
    formulas = [f.split("</div>")[0] for f in card.split('<div class="function-formula">')[1:]]
    assert len(formulas) == 2
    assert all('display="block"' in f for f in formulas)
    assert math_text(formulas[0]) == "f(x,y)=x2+3y2"
    gradient = formulas[1]
    assert "<mtable" in gradient  # a column vector
    assert math_text(gradient) == "∇f(x,y)=(2x6y)"
    assert '<span class="gradient-checked">gradient checked</span>' in card


def test_the_authors_tex_is_shown_for_the_function(tmp_path: Path) -> None:
    (card,) = cards_of(tmp_path, (
        "functions:\n  f:\n    expr: 0.5*x**2 + 5*y**2\n    gradient: [x, 10*y]\n"
        "    tex: '\\frac{1}{2}x^2 + 5y^2'\n"
    ))
    assert "<mfrac>" in card


def test_a_tex_that_is_a_whole_equation_is_shown_as_written(tmp_path: Path) -> None:
    # "sigma(z) = sigma(z) = ..." when the card put its own left-hand side first.
    cards = cards_of(tmp_path, (
        "functions:\n  s:\n    expr: 1/(1 + exp(-z))\n    vars: [z]\n"
        "    tex: '\\sigma(z) = \\frac{1}{1 + e^{-z}}'\n"
        "  f:\n    expr: x**2\n    vars: [x]\n    tex: '\\sum_{i=1}^{1} x^2'\n"
    ))
    first = cards[0].split('<div class="function-formula">')[1].split("</div>")[0]
    assert math_text(first).count("=") == 1 and math_text(first).startswith("σ(z)=")
    second = cards[1].split('<div class="function-formula">')[1].split("</div>")[0]
    assert math_text(second).startswith("f(x)=")  # the = of i=1 is inside braces


def test_a_function_of_one_variable_shows_its_derivative(tmp_path: Path) -> None:
    (card,) = cards_of(tmp_path, (
        "functions:\n  g:\n    expr: x**3 - 3*x\n    gradient: [3*x**2 - 3]\n"
    ))
    derivative = card.split('<div class="function-formula">')[2].split("</div>")[0]
    assert "<mtable" not in derivative
    assert math_text(derivative) == "g′(x)=3x2−3"


def test_without_a_declared_gradient_the_badge_says_numerical(tmp_path: Path) -> None:
    (card,) = cards_of(tmp_path, "functions:\n  h: sin(x)*cos(y)\n")
    assert card.count('<div class="function-formula">') == 1
    assert '<span class="gradient-numerical">numerical gradient</span>' in card
    assert "gradient-checked" not in card


def test_one_card_per_function_in_order(tmp_path: Path) -> None:
    cards = cards_of(tmp_path, "functions:\n  f: x**2\n  g: y**2\n  loss: x*y\n")
    names = [math_text(card).split("(")[0] for card in cards]
    assert names == ["f", "g", "loss\u2061"]  # an operator name, with a function application


def test_names_and_variables_are_set_as_math(tmp_path: Path) -> None:
    (card,) = cards_of(tmp_path, (
        "functions:\n  loss:\n    expr: (theta - 1)**2 + w_1**2\n    vars: [theta, w_1]\n"
    ))
    assert math_text(card).startswith("loss\u2061(θ,w1)=(θ−1)2+w12")


def test_a_name_with_an_underscore_is_subscripted_in_function_and_derivative(
    tmp_path: Path,
) -> None:
    (card,) = cards_of(tmp_path, "functions:\n  f_2d:\n    expr: x**3\n    gradient: [3*x**2]\n")
    function, derivative = (f.split("</div>")[0]
                            for f in card.split('<div class="function-formula">')[1:])
    assert "<msub><mi>f</mi><mtext>2d</mtext></msub>" in function  # f, upright 2d below
    assert math_text(function) == "f2d(x)=x3"
    assert "<msubsup><mi>f</mi><mtext>2d</mtext>" in derivative  # the prime above the 2d
    assert math_text(derivative) == "f2d′(x)=3x2"


def test_unrenderable_math_falls_back_to_escaped_source() -> None:
    function = CompiledFunction("f", ("x",), "x < 1 and '<script>'", None, ((-1.0, 1.0),),
                                "\\frac{", (), False)
    html = render_function_cards({"f": function})
    assert "<script>" not in html
    assert "<code>x &lt; 1 and &#x27;&lt;script&gt;&#x27;</code>" in html
    tags = parse_page(html).tags
    assert any(tag == "p" and has_class(attrs, "function-formula") for tag, attrs in tags)


# --- where the cards go: the front matter's cards key and functions blocks -------------

CH = "content/01-a/01-b.md"
FRONT = """\
---
title: B
functions:
  f_2d:
    expr: cos(pi*x)*y**2
    gradient: [-pi*sin(pi*x)*y**2, 2*y*cos(pi*x)]
  loss:
    expr: (w - 1)**2
    vars: [w]
  g: x**3
"""  # the body starts on line 12


def page_of(site: Callable[..., Path], body: str, front: str = FRONT) -> str:
    out = site({"01-a/01-b.md": front + "---\n" + body})
    html = (out / "a" / "b.html").read_text(encoding="utf-8")
    return html[html.index('<div class="chapter-body prose">'):]


def card_labels(html: str) -> list[str]:
    """The functions shown, by their cards' names, in page order."""
    return re.findall(r'role="group" aria-label="Function ([^"(]*)\(', html)


def test_without_a_functions_block_the_cards_open_the_chapter(
    site: Callable[..., Path],
) -> None:
    html = page_of(site, "Intro.\n\nMore text.\n")
    assert html.count('<section class="function-cards"') == 1
    assert html.index('<section class="function-cards"') < html.index("Intro.")
    assert card_labels(html) == ["f_2d", "loss", "g"]


def test_a_functions_block_shows_the_cards_it_lists_where_it_stands(
    site: Callable[..., Path],
) -> None:
    html = page_of(site, "Intro.\n\n```functions\nloss\nf_2d\n```\n\nMore text.\n")
    assert html.count('<section class="function-cards"') == 1
    cards = html.index('<section class="function-cards"')
    assert html.index("Intro.") < cards < html.index("More text.")
    assert card_labels(html) == ["loss", "f_2d"]  # in the block's order; g is not shown
    assert "<p>gstoken" not in html and "gstoken" not in html


def test_an_empty_functions_block_shows_every_function_there(
    site: Callable[..., Path],
) -> None:
    html = page_of(site, "Intro.\n\n```functions\n```\n\nMore text.\n")
    assert html.index("Intro.") < html.index('<section class="function-cards"')
    assert card_labels(html) == ["f_2d", "loss", "g"]


def test_functions_blocks_can_split_the_cards(site: Callable[..., Path]) -> None:
    body = "```functions\ng\n```\n\nBetween.\n\n!!! note\n    ```functions\n    f_2d\n    ```\n"
    html = page_of(site, body)
    first, second = (m.start() for m in re.finditer('<section class="function-cards"', html))
    assert first < html.index("Between.") < second
    assert card_labels(html) == ["g", "f_2d"]


def test_cards_false_shows_no_cards(site: Callable[..., Path]) -> None:
    html = page_of(site, "Intro. f_2d loss g\n", FRONT + "cards: false\n")
    assert "function-card" not in html


def test_the_cards_use_subscripts_and_tex_spacing(site: Callable[..., Path]) -> None:
    html = page_of(site, "Intro.\n")
    # f_2d: f with the upright subscript 2d; cos(πx) with no space before its parenthesis
    assert "<msub><mi>f</mi><mtext>2d</mtext></msub>" in html
    assert '<mi>cos</mi><mo>\u2061</mo></mrow><mo stretchy="false">(</mo><mi>π</mi>' in html
    assert 'rspace="0.1667em">\u2061' not in html


# --- their mistakes -----------------------------------------------------------------------


def problems_of(tmp_path: Path, body: str, front: str = FRONT) -> list[Diagnostic]:
    content = make_course(tmp_path, {"01-a/01-b.md": front + "---\n" + body})
    return build_problems(content, tmp_path / "_site")


@pytest.mark.parametrize(
    ("body", "line", "message", "hint"),
    [
        ("Text.\n\n```functions\nf_2d\nlos\n```\n", 16,
         "no function 'los' is declared in this chapter", "did you mean 'loss'?"),
        ("```functions\ng\n```\n\nText.\n\n```functions\nloss\ng\n```\n", 20,
         "function 'g' is already shown at line 13", "a function's card appears once on the page"),
        ("```functions\nf_2d, g\n```\n", 13,
         "'f_2d, g' is more than one function name", "write one name a line"),
        ("```functions\ng\n```\n\n```functions\n```\n", 16,
         "an empty functions block shows every function, and another one is at line 12",
         "list the names each block shows, one a line"),
    ],
)
def test_a_functions_blocks_mistake_is_an_error_at_its_line(
    tmp_path: Path, body: str, line: int, message: str, hint: str
) -> None:
    problem = only(problems_of(tmp_path, body))
    assert (where(problem), problem.message, problem.hint) == (f"{CH}:{line}", message, hint)


def test_a_functions_block_with_cards_false_is_an_error_at_the_block(tmp_path: Path) -> None:
    front = FRONT.replace("title: B\n", "title: B\ncards: false\n")
    problem = only(problems_of(tmp_path, "Text.\n\n```functions\n```\n", front))
    assert where(problem) == f"{CH}:15"  # one line more of front matter
    assert problem.message == ("this functions block shows function cards, but the front matter "
                               "says 'cards: false' (line 3)")
    assert "remove 'cards: false'" in problem.hint


def test_a_functions_block_without_functions_is_an_error(tmp_path: Path) -> None:
    problem = only(problems_of(tmp_path, "```functions\n```\n", "---\ntitle: B\n"))
    assert where(problem) == f"{CH}:4"
    assert problem.message == ("this functions block has no function to show: the chapter "
                               "declares none")


def test_a_name_whose_declaration_failed_says_nothing_more(tmp_path: Path) -> None:
    front = FRONT.replace("  g: x**3\n", "  h: x**3 +\n")
    problem = only(problems_of(tmp_path, "```functions\nh\n```\n", front))
    assert problem.message.startswith("functions.h.expr:")


def test_cards_must_be_true_or_false(tmp_path: Path) -> None:
    problem = only(problems_of(tmp_path, "Text.\n", "---\ntitle: B\ncards: maybe\n"))
    assert where(problem) == f"{CH}:3"
    assert problem.message == "cards: expected true or false, got the text 'maybe'"


# --- card_places, on its own ----------------------------------------------------------------


def test_card_places(tmp_path: Path) -> None:
    functions = tuple(compiled(tmp_path, "functions:\n  f: x**2\n  g: y**2\n").values())
    f, g = functions
    scanned, _ = scan_body("```functions\ng\nnope\n```\n\n```functions\n```\n",
                           Location("ch.md", 1))
    first, second = scanned.blocks
    assert card_places(functions, True, ()) == ((f, g), {})
    assert card_places(functions, False, ()) == ((), {})
    assert card_places(functions, False, scanned.blocks) == ((), {})
    assert card_places(functions, True, scanned.blocks) == (
        (), {first.index: (g,), second.index: (f, g)})
    assert fence_names(first) == [(2, "g"), (3, "nope")]
