"""The pre-Markdown scan (scan/): fenced blocks, math spans and link targets with lines."""

from __future__ import annotations

import pytest

from gradsite.diagnostics import Location
from gradsite.model import Block
from gradsite.scan import scan_body
from tests.coursekit import has_class, only, parse_page, render_body, render_ok


def scan(markdown: str, first_line: int = 10):
    return scan_body(markdown, Location("ch.md", first_line))


def kinds(blocks: tuple[Block, ...]) -> list[str]:
    return [b.kind for b in blocks]


def test_python_cell_plot_and_quiz_fences_are_classified_with_their_lines() -> None:
    body = (
        "Intro.\n"                # 10
        "\n"                      # 11
        "```{python}\n"           # 12
        "#| caption: A plot\n"    # 13
        "x = 1\n"                 # 14
        "```\n"                   # 15
        "\n"                      # 16
        "```plot\n"               # 17
        "function: f\n"           # 18
        "```\n"                   # 19
        "\n"                      # 20
        "```quiz\n"               # 21
        "role-of-gradient\n"      # 22
        "```\n"                   # 23
        "\n"                      # 24
        "```python\n"             # 25
        "print('shown only')\n"   # 26
        "```\n"                   # 27
    )
    scanned, problems = scan(body)
    assert problems == []
    cell, plot, quiz, code = scanned.blocks
    assert (cell.kind, cell.lang, cell.location.line, cell.body_line) == ("cell", "python", 12, 13)
    assert cell.source == "#| caption: A plot\nx = 1"
    assert (plot.kind, plot.location.line, plot.body_line, plot.source) == (
        "plot", 17, 18, "function: f")
    assert (quiz.kind, quiz.location.line, quiz.body_line, quiz.source) == (
        "quiz", 21, 22, "role-of-gradient")
    assert (code.kind, code.lang, code.location.line) == ("code", "python", 25)
    assert all(b.location.path == "ch.md" for b in scanned.blocks)
    # Each block is a placeholder token in the text, on a paragraph of its own.
    for block in scanned.blocks:
        assert f"\n{block.token}\n" in scanned.text
    assert "x = 1" not in scanned.text


def test_cell_info_string_allows_spaces_inside_the_braces() -> None:
    scanned, _ = scan("``` { python }\nx = 1\n```\n")
    assert kinds(scanned.blocks) == ["cell"]


def test_tilde_fences_and_longer_backtick_fences_are_code() -> None:
    body = "~~~js\nlet a = 1;\n~~~\n\n````md\n```\nnot a fence end\n```\n````\n"
    scanned, problems = scan(body)
    assert problems == []
    assert [(b.kind, b.lang) for b in scanned.blocks] == [("code", "js"), ("code", "md")]
    assert scanned.blocks[1].source == "```\nnot a fence end\n```"


def test_unclosed_code_fence_is_an_error_at_the_fence() -> None:
    _, problems = scan("Text.\n\n```python\nx = 1\n")
    problem = only(problems)
    assert problem.location.line == 12
    assert "never closed" in problem.message
    assert "```" in problem.hint


def test_dollars_inside_fenced_code_are_not_math() -> None:
    scanned, problems = scan("```bash\necho $HOME and $PATH\n```\n")
    assert problems == []
    assert kinds(scanned.blocks) == ["code"]
    assert scanned.blocks[0].source == "echo $HOME and $PATH"


def test_dollars_inside_inline_code_are_not_math() -> None:
    scanned, problems = scan("Use `$x$` or ``a $b$ c`` in code, and $y$ in math.\n")
    assert problems == []
    assert [b.source for b in scanned.blocks] == ["y"]
    assert "`$x$`" in scanned.text


def test_inline_and_display_math_are_found_with_their_lines() -> None:
    body = "Line $a$.\n\nThen \\(b\\) and\n\n$$\nc\n$$\n\n\\[d\\]\n"
    scanned, problems = scan(body)
    assert problems == []
    assert [(b.kind, b.source.strip(), b.location.line) for b in scanned.blocks] == [
        ("math", "a", 10), ("math", "b", 12), ("display-math", "c", 14),
        ("display-math", "d", 18)]


def test_math_after_a_fence_keeps_the_right_line() -> None:
    body = "```\ncode\n```\n\nAfter $z$.\n"
    scanned, _ = scan(body, first_line=1)
    assert [(b.kind, b.location.line) for b in scanned.blocks] == [("code", 1), ("math", 5)]


def test_currency_is_not_math() -> None:
    scanned, problems = scan("It costs $5 and $10, or $ 3 $ at most.\n")
    assert problems == []
    assert scanned.blocks == ()


def test_escaped_dollar_is_a_literal_dollar() -> None:
    scanned, problems = scan("Pay \\$5 for $x$.\n")
    assert problems == []
    assert [b.source for b in scanned.blocks] == ["x"]


def test_unclosed_display_math_is_an_error_at_its_line() -> None:
    _, problems = scan("Fine.\n\nOpen $$x + y\n\nmore\n")
    problem = only(problems)
    assert problem.location.line == 12
    assert "$$" in problem.message and "never closed" in problem.message
    assert "\\$" in problem.hint


def test_unclosed_backslash_paren_math_is_an_error() -> None:
    _, problems = scan("Some \\(x + y without end.\n")
    problem = only(problems)
    assert problem.location.line == 10
    assert "never closed" in problem.message


def test_fence_inside_an_admonition_is_highlighted() -> None:
    body = (
        '!!! note "Try it"\n'
        "    Run this:\n"
        "\n"
        "    ```python\n"
        "    total = sum(range(10))\n"
        "    ```\n"
    )
    scanned, problems = scan(body, first_line=1)
    assert problems == []
    code = only(list(scanned.blocks))
    assert (code.kind, code.lang, code.location.line) == ("code", "python", 4)
    assert code.source == "total = sum(range(10))"
    html = render_ok(body)
    page = parse_page(html)
    divs = [attrs for tag, attrs in page.tags if tag == "div"]
    assert any(has_class(a, "admonition", "note") for a in divs)
    assert any(has_class(a, "codeblock") and a.get("data-lang") == "python" for a in divs)
    # The code block sits inside the admonition and its tokens are coloured.
    assert html.index('class="admonition note"') < html.index('class="codeblock"')
    assert '<span class="nb">sum</span>' in html
    assert "gstoken" not in html


def test_links_are_found_with_their_lines_but_not_in_code_or_math() -> None:
    body = (
        "See [next](02-next.md) here.\n"        # 10
        "\n"                                     # 11
        "![plot](img/plot.png \"A plot\")\n"    # 12
        "\n"                                     # 13
        '<img src="img/raw.png" alt="raw">\n'   # 14
        "\n"                                     # 15
        "`[not](code.md)` and $[a](b)$\n"       # 16
        "\n"                                     # 17
        "[ref]: other.md\n"                      # 18
        "\n"                                     # 19
        "```\n[in](fence.md)\n```\n"             # 20-22
    )
    scanned, problems = scan(body)
    assert problems == []
    assert [(link.target, link.is_image, link.location.line) for link in scanned.links] == [
        ("02-next.md", False, 10),
        ("img/plot.png", True, 12),
        ("img/raw.png", True, 14),
        ("other.md", False, 18),
    ]


def test_rendered_code_block_has_line_numbers_and_language() -> None:
    html, _, problems = render_body("```python\ndef f(x):\n    return x\n```\n")
    assert problems == []
    assert '<div class="codeblock" data-lang="python">' in html
    assert html.count('<span class="linenos">') == 2
    assert '<span class="k">def</span>' in html


def test_unknown_language_is_shown_as_plain_text() -> None:
    html = render_ok("```nosuchlang\n<b>x</b>\n```\n")
    assert 'data-lang="nosuchlang"' in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html
    assert "<b>x</b>" not in html


@pytest.mark.parametrize(("info", "message", "hint"), [
    ("{python echo=FALSE}", "is not a cell: options go inside it", "'#| echo: false'"),
    ('{python, fig.cap="A plot"}', "is not a cell", "'#| caption: A plot'"),
    ("{r}", "is not run: only {python} cells run", "write '```r'"),
])
def test_a_fence_meant_to_run_in_another_tools_syntax_is_an_error(
        info: str, message: str, hint: str) -> None:
    # R Markdown and Quarto habits: silently showing the code would hide the mistake.
    _, problems = scan_body(f"```{info}\nx = 1\n```\n", Location("c.md", 4))
    (problem,) = problems
    assert problem.location.line == 4
    assert message in problem.message
    assert hint in problem.hint


def test_pandocs_show_only_class_is_a_code_block() -> None:
    scanned, problems = scan_body("```{.python}\nx = 1\n```\n", Location("c.md", 4))
    assert problems == []
    assert [(b.kind, b.lang) for b in scanned.blocks] == [("code", "python")]
