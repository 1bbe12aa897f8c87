"""LaTeX habits of other tools (texsource.py): display environments outside $$, macro
definitions inside a formula; and where a LaTeX error is (line, column, excerpt)."""

from __future__ import annotations

import pytest

from gradsite.diagnostics import Diagnostic, Location, error, excerpt
from gradsite.markup.markdown import render_fragment
from gradsite.markup.math import render_math
from gradsite.scan import scan_body
from gradsite.texsource import definitions, offset_in_source, place_in_file
from tests.coursekit import only, render_body, render_ok


def at(problem: Diagnostic) -> tuple[int, int]:
    return problem.location.line, problem.location.column


# --- display environments outside $$ ------------------------------------------------------


@pytest.mark.parametrize("environment", ["align", "align*", "equation", "equation*", "gather",
                                         "gather*"])
def test_a_bare_display_environment_is_the_same_display_as_inside_dollars(
    environment: str,
) -> None:
    latex = f"\\begin{{{environment}}}\na &= b \\\\\nc &= d\n\\end{{{environment}}}"
    if environment.startswith("equation"):
        latex = latex.replace("&", "").replace(" \\\\\n", " + ")
    bare = render_ok(f"Text.\n\n{latex}\n\nMore.\n")
    wrapped = render_ok(f"Text.\n\n$$\n{latex}\n$$\n\nMore.\n")
    assert bare == wrapped
    assert '<div class="math-display"><math' in bare and "\\begin" not in bare


def test_a_bare_environment_keeps_its_source_and_line() -> None:
    body = "Text.\n\n\\begin{alignat}{2}\nx &= 1 &\\quad y &= 2\n\\end{alignat}\n"
    scanned, problems = scan_body(body, Location("ch.md", 10))
    assert problems == []
    (block,) = scanned.blocks
    assert (block.kind, block.location.line, block.column) == ("display-math", 12, 1)
    assert block.source == "\\begin{alignat}{2}\nx &= 1 &\\quad y &= 2\n\\end{alignat}"


def test_a_bare_environment_inside_an_admonition_is_display_math() -> None:
    html = render_ok("!!! note\n    \\begin{align}\n    a &= b\n    \\end{align}\n")
    assert 'class="math-display"' in html and "\\begin" not in html


def test_environments_in_code_and_in_dollars_are_left_alone() -> None:
    body = ("`\\begin{align}` in code.\n\n```latex\n\\begin{align}\na\n\\end{align}\n```\n\n"
            "$$\\begin{align}a\\end{align}$$\n")
    scanned, problems = scan_body(body, Location("ch.md", 1))
    assert problems == []
    assert [b.kind for b in scanned.blocks] == ["code", "display-math"]
    assert scanned.blocks[1].source == "\\begin{align}a\\end{align}"


@pytest.mark.parametrize(("body", "place", "message", "hint"), [
    ("Text.\n\nSo \\begin{align} a \\end{align} here.\n", (7, 4),
     "\\begin{align} is display math only at the start of a line", "on a line of its own"),
    ("\\begin{aligned}\na &= b\n\\end{aligned}\n", (5, 1),
     "\\begin{aligned} works only inside math", "write it inside $$ ... $$"),
])
def test_an_environment_that_is_not_math_here_is_an_error_at_its_column(
    body: str, place: tuple[int, int], message: str, hint: str
) -> None:
    _, _, problems = render_body(body, "ch.md", 5)
    problem = only(problems)
    assert (at(problem), problem.message) == (place, message)
    assert hint in problem.hint


def test_an_unclosed_bare_environment_is_an_error() -> None:
    _, _, problems = render_body("Text.\n\n\\begin{gather}\na\n\nMore.\n", "ch.md", 1)
    problem = only(problems)
    assert at(problem) == (3, 1)
    assert problem.message == "\\begin{gather} is never closed with \\end{gather}"


def test_an_environment_katex_lacks_says_what_to_write() -> None:
    _, _, problems = render_body("\\begin{eqnarray}\na &=& b\n\\end{eqnarray}\n", "ch.md", 1)
    problem = only(problems)
    assert "No such environment: eqnarray" in problem.message
    assert "\\begin{align}" in problem.hint and "'a &= b'" in problem.hint


# --- macro definitions in a formula -------------------------------------------------------


@pytest.mark.parametrize(("latex", "name", "hint"), [
    ("\\newcommand{\\R}{\\mathbb{R}}", "R", "macros: {R: '\\mathbb{R}'}"),
    ("\\newcommand\\R{\\mathbb{R}}", "R", "macros: {R: '\\mathbb{R}'}"),
    ("\\renewcommand{\\norm}[1]{\\left\\| #1 \\right\\|}", "norm",
     "macros: {norm: ['\\left\\| #1 \\right\\|', 1]}"),
    ("\\def\\inner#1#2{\\langle #1, #2 \\rangle}", "inner",
     "macros: {inner: ['\\langle #1, #2 \\rangle', 2]}"),
    ("\\def\\fp{f'}", "fp", "macros: {fp: 'f'''}"),
    ("\\DeclareMathOperator*{\\argmin}{arg\\,min}", "argmin",
     "macros: {argmin: '\\operatorname*{arg\\,min}'}"),
    ("\\let\\eps\\varepsilon", "eps", "macros: {eps: '\\varepsilon'}"),
])
def test_a_definition_gives_the_course_yml_line(latex: str, name: str, hint: str) -> None:
    (definition,) = definitions(f"x + {latex} y")
    assert (definition.offset, definition.name) == (4, name)
    assert f"put it in course.yml: {hint}" in definition.hint


def test_a_definition_with_an_optional_argument_names_no_value() -> None:
    (definition,) = definitions("\\newcommand{\\v}[2][x]{#1_#2}")
    assert definition.name == "v"
    assert "define \\v in course.yml, under macros:" in definition.hint


def test_commands_that_only_start_like_a_definition_are_not_one() -> None:
    assert definitions("\\default + \\letter + \\deff") == []


def test_a_definition_in_a_formula_is_an_error_at_its_column_and_its_uses_say_nothing() -> None:
    body = ("Let $\\newcommand{\\Rn}{\\mathbb{R}^n} x \\in \\Rn$ and then\n"
            "$$\n"
            "y \\in \\Rn\n"
            "$$\n")
    _, _, problems = render_body(body, "ch.md", 4)
    problem = only(problems)
    assert at(problem) == (4, 6)
    assert problem.message == "\\newcommand defines \\Rn for this formula only"
    assert problem.hint.startswith("put it in course.yml: macros: {Rn: '\\mathbb{R}^n'}")


def test_a_definition_on_a_later_line_of_a_display_is_found_there() -> None:
    _, _, problems = render_body("$$\nx\n  \\def\\a{1}\n$$\n", "ch.md", 1)
    assert at(only(problems)) == (3, 3)


# --- where a LaTeX error is ---------------------------------------------------------------


def test_an_error_has_the_column_of_the_command_in_its_line() -> None:
    line = "word " * 100 + "then $a + \\fracc{1}{2}$ and more."
    _, _, problems = render_body(f"Intro.\n\n{line}\n", "ch.md", 1)
    problem = only(problems)
    assert at(problem) == (3, line.index("\\fracc") + 1)


def test_two_errors_on_one_line_come_in_their_order() -> None:
    from gradsite.diagnostics import format_all

    body = "First $\\zzz$ then $\\aaa$.\n"
    _, _, problems = render_body(body, "ch.md", 1)
    printed = format_all(problems)
    assert printed.index("\\zzz") < printed.index("\\aaa")
    assert [p.location.column for p in problems] == [8, 20]


def test_an_error_on_a_later_line_of_a_display_has_that_lines_column() -> None:
    body = "$$\na = b \\\\\n    c = \\badcmd{d}\n$$\n"
    _, _, problems = render_body(body, "ch.md", 10)
    assert at(only(problems)) == (12, 9)


def test_an_end_of_input_error_points_at_the_end_of_the_formula() -> None:
    body = "Text.\n\n$$\n\\frac{a}{b\n  + c\n$$\n"
    _, _, problems = render_body(body, "ch.md", 1)
    problem = only(problems)
    assert at(problem) == (5, 6)  # after "  + c", not at the opening $$
    assert problem.message == ("invalid LaTeX: Unexpected end of input in a macro argument, "
                               "expected '}'")


def test_katex_messages_never_carry_a_line_break() -> None:
    result = render_math("\\left(\na\n+ b", True)
    assert result.error == "Expected '\\right', got 'EOF'"
    assert result.offset == len("\\left(\na\n+ b")
    _, _, problems = render_body("$$\n\\left(\na\n+ b\n$$\n", "ch.md", 1)
    assert "\n" not in only(problems).message
    assert at(only(problems)) == (4, 4)


def test_an_error_after_a_removed_label_keeps_its_column() -> None:
    # \label is taken out before KaTeX reads the formula: the offset is mapped back.
    line = "$$\\label{eq-a} x + \\badcmd$$"
    _, _, problems = render_body(f"{line}\n", "ch.md", 1)
    assert at(only(problems)) == (1, line.index("\\badcmd") + 1)


def test_offsets_map_back_through_a_changed_formula() -> None:
    assert offset_in_source("  \\label{a} x + \\bad", "x + \\bad", 4) == 16
    assert offset_in_source("x\n  ", "x", 1) == 1
    assert place_in_file(3, 5, "ab\ncd", 1) == (3, 6)
    assert place_in_file(3, 5, "ab\ncd", 4) == (4, 2)
    assert place_in_file(3, 0, "ab\ncd", 1) == (3, 0)


def test_an_error_in_a_yaml_text_has_a_column_only_when_its_first_character_is_known() -> None:
    _, problems = render_fragment("Is $\\badcmd$ true?", Location("ch.md", 7, 13))
    assert at(only(problems)) == (7, 17)
    _, problems = render_fragment("First\nthen $\\badcmd$", Location("ch.md", 7, 13))
    assert at(only(problems)) == (8, 0)


# --- the excerpt under a message ----------------------------------------------------------


def test_a_long_line_is_shown_around_the_column() -> None:
    line = "a" * 200 + "X" + "b" * 200
    shown, before = excerpt(line, 201)
    assert shown == "…" + "a" * 30 + "X" + "b" * 29 + "…"
    assert len(before) == 31
    printed = error(Location("ch.md", 3, 201), "bad").format(line).splitlines()
    assert printed[1] == "    " + shown
    assert printed[2] == "    " + " " * 31 + "^"


def test_a_long_line_without_a_column_is_shown_from_its_start() -> None:
    shown, _ = excerpt("word " * 100, 0)
    assert shown == ("word " * 12) + "…"


def test_a_short_line_is_shown_whole() -> None:
    assert excerpt("\tx = $\\bad$", 7) == ("    x = $\\bad$", "    x = $")


def test_yaml_records_where_a_one_line_text_starts_when_the_file_holds_it_as_it_is() -> None:
    from gradsite.yamlsrc import load_yaml

    doc, _ = load_yaml("a: 'x $y$'\nb: plain $z$\nc: 'it''s'\nd: \"\\\\frac\"\ne: |\n  $w$\n",
                       "f.yml", 3)
    assert doc is not None
    assert doc.marks.texts == {"a": Location("f.yml", 3, 5), "b": Location("f.yml", 4, 4)}


def test_a_title_error_has_its_column_when_the_text_start_is_known() -> None:
    from gradsite.markup.blocks import render_text_with_math

    _, errors = render_text_with_math("A $\\badcmd$ title", "", Location("f.yml", 2, 9))
    assert errors == (("Undefined control sequence: \\badcmd", Location("f.yml", 2, 12)),)
