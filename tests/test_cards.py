"""Function cards: each declared function and its gradient as math, with a badge."""

from __future__ import annotations

from pathlib import Path

from gradsite.check.functions import check_functions
from gradsite.expr import CompiledFunction
from gradsite.load import load_chapter
from gradsite.markup.cards import render_function_cards
from tests.coursekit import has_class, parse_page


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


def test_unrenderable_math_falls_back_to_escaped_source() -> None:
    function = CompiledFunction("f", ("x",), "x < 1 and '<script>'", None, ((-1.0, 1.0),),
                                "\\frac{", (), False)
    html = render_function_cards({"f": function})
    assert "<script>" not in html
    assert "<code>x &lt; 1 and &#x27;&lt;script&gt;&#x27;</code>" in html
    tags = parse_page(html).tags
    assert any(tag == "p" and has_class(attrs, "function-formula") for tag, attrs in tags)
