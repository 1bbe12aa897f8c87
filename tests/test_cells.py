"""Options of executed cells (spec section 4): parsing ``#| key: value`` and what each does.

``parse_cell`` is tested on blocks found by the real scanner, so lines are the
lines of the Markdown file. The options' effects are checked on one course,
built once for the module, by reading the built page and figure files.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gradsite.check.cells import parse_cell
from gradsite.diagnostics import BuildFailed, Diagnostic, Location
from gradsite.i18n import ENGLISH
from gradsite.model import DEFAULT_TIMEOUT, Cell, CellOptions
from gradsite.pipeline import BuildOptions, check
from gradsite.scan import scan_body
from gradsite.yamlsrc import load_yaml
from tests.coursekit import without_copy
from tests.exec_helpers import (
    PNG_SIGNATURE,
    built_site,
    cell,
    cells_of,
    chapter_text,
    failed_build,
    messages,
    run_build,
    write_course,
)

PATH = "content/01-s/01-c.md"


def parse(markdown: str, first_line: int = 4) -> tuple[Cell, list]:
    """The only ``{python}`` cell of a chapter body whose first line is ``first_line``."""
    scanned, problems = scan_body(markdown, Location(PATH, first_line))
    assert problems == [], messages(problems)
    blocks = [b for b in scanned.blocks if b.kind == "cell"]
    assert len(blocks) == 1
    return parse_cell(blocks[0])


def parse_ok(markdown: str, first_line: int = 4) -> Cell:
    parsed, problems = parse(markdown, first_line)
    assert problems == [], messages(problems)
    return parsed


# --- parse_cell: options and the code after them ---------------------------------------


def test_a_cell_without_options_has_the_defaults() -> None:
    parsed = parse_ok("Text.\n\n```{python}\nx = 1\nprint(x)\n```\n")
    assert parsed.options == CellOptions()
    assert parsed.options.timeout == DEFAULT_TIMEOUT == 60
    assert parsed.options.format == "svg"
    assert parsed.options.echo is True and parsed.options.output is True
    assert parsed.code == "x = 1\nprint(x)"
    # body starts on line 4: "Text." 4, blank 5, fence 6, code 7
    assert parsed.code_line == 7


def test_every_option_is_read_and_the_code_starts_after_them() -> None:
    body = (
        "```{python}\n"                                          # line 4
        "#| caption: Gradient field of $f(x, y) = x^2 + y^2$\n"  # 5
        "#| alt: Arrows pointing away from the origin.\n"        # 6
        "#| echo: false\n"                                       # 7
        "#| output: false\n"                                     # 8
        "#| timeout: 2.5\n"                                      # 9
        "#| format: png\n"                                       # 10
        "#| id: gradient-field\n"                                # 11
        "import math\n"                                          # 12
        "#| not an option any more: this is code\n"              # 13
        "```\n"
    )
    parsed = parse_ok(body)
    assert parsed.options == CellOptions(
        caption="Gradient field of $f(x, y) = x^2 + y^2$",
        caption_line=5,
        alt="Arrows pointing away from the origin.",
        echo=False,
        output=False,
        timeout=2.5,
        format="png",
        id="gradient-field",
        id_line=11,
    )
    assert parsed.code_line == 12
    assert parsed.code == "import math\n#| not an option any more: this is code"


def test_option_values_are_yaml_scalars() -> None:
    parsed = parse_ok(
        "```{python}\n#| caption: 'Quoted: with a colon'\n#| timeout: 3\n#| echo: no\n"
        "#| alt: 42\npass\n```\n"
    )
    assert parsed.options.caption == "Quoted: with a colon"
    assert parsed.options.timeout == 3.0
    assert parsed.options.echo is False
    assert parsed.options.alt == "42"


def test_a_timeout_in_exponent_form_is_a_number() -> None:
    # YAML 1.1 reads 1.5e2 (no sign in the exponent) as text.
    assert parse_ok("```{python}\n#| timeout: 1.5e2\nx = 1\n```\n").options.timeout == 150.0


def test_a_cell_of_options_only_has_no_code() -> None:
    parsed = parse_ok("```{python}\n#| echo: false\n```\n")
    assert parsed.code.strip() == ""
    assert parsed.options.echo is False


@pytest.mark.parametrize(
    ("line", "hint"),
    [
        ("#| captoin: A field", "did you mean 'caption'?"),
        ("#| ehco: false", "did you mean 'echo'?"),
        ("#| timout: 5", "did you mean 'timeout'?"),
        ("#| fromat: png", "did you mean 'format'?"),
        ("#| fig-cap: A field", "gradsite calls it 'caption'"),  # Quarto's name
        ("#| fig-alt: Arrows", "gradsite calls it 'alt'"),
        ("#| eval: false", "use a ```python block"),
    ],
)
def test_an_unknown_option_is_an_error_at_its_line_with_a_suggestion(line: str, hint: str) -> None:
    # body from line 4: "Some text." 4, blank 5, fence 6, "#| echo: true" 7, the bad line 8
    _, problems = parse(f"Some text.\n\n```{{python}}\n#| echo: true\n{line}\nx = 1\n```\n")
    assert len(problems) == 1, messages(problems)
    problem = problems[0]
    assert problem.is_error
    assert problem.location == Location(PATH, 8)
    key = line[3:].split(":")[0]
    assert f"'{key}'" in problem.message
    assert "unknown" in problem.message
    assert hint in problem.hint


def test_every_unknown_option_is_reported_together() -> None:
    _, problems = parse("```{python}\n#| captoin: a\n#| zzz: 1\n#| echo: maybe\nx = 1\n```\n")
    assert [p.location.line for p in problems] == [5, 6, 7], messages(problems)


@pytest.mark.parametrize(
    ("line", "key"),
    [
        ("#| echo: maybe", "echo"),
        ("#| output: 3", "output"),
        ("#| format: gif", "format"),
        ("#| timeout: -1", "timeout"),
        ("#| timeout: 0", "timeout"),
        ("#| timeout: soon", "timeout"),
        ("#| timeout: 1.0e10", "timeout"),  # the timer overflowed
        ("#| id: Not A Slug", "id"),
    ],
)
def test_a_bad_value_is_an_error_at_the_options_line(line: str, key: str) -> None:
    # fence on line 4, "#| alt: ok" 5, the bad option on line 6
    _, problems = parse(f"```{{python}}\n#| alt: ok\n{line}\nx = 1\n```\n")
    assert len(problems) == 1, messages(problems)
    problem = problems[0]
    assert problem.is_error
    assert problem.location == Location(PATH, 6)
    assert f"'{key}'" in problem.message
    value = line.split(":", 1)[1].strip()
    assert value in problem.message  # the offending value is named


@pytest.mark.parametrize("value", ["[a, b]", "a: b", "{x: 1}"])
def test_a_caption_that_is_not_text_is_an_error_at_its_line(value: str) -> None:
    _, problems = parse(f"```{{python}}\n#| caption: {value}\nx = 1\n```\n")
    assert [(p.location.line, "'caption'" in p.message) for p in problems] == [(5, True)]
    # The author's own text is quoted back (not a Python repr), with how to quote it.
    assert f"from '{value}'" in problems[0].message
    assert "quote" in problems[0].hint


def test_a_value_that_is_not_yaml_is_an_error_at_its_line() -> None:
    _, problems = parse("```{python}\n#| alt: \"unclosed\nx = 1\n```\n")
    assert [(p.location.line, "'alt'" in p.message) for p in problems] == [(5, True)]
    assert "YAML" in problems[0].message
    assert "quote" in problems[0].hint


def test_a_malformed_option_line_is_an_error() -> None:
    _, problems = parse("```{python}\n#| caption\nx = 1\n```\n")
    assert len(problems) == 1, messages(problems)
    assert problems[0].location.line == 5
    assert "#| key: value" in problems[0].message


def test_option_lines_are_found_with_the_chapters_line_offset() -> None:
    # The same cell lower in the file: the lines follow.
    _, problems = parse("```{python}\n#| format: gif\nx = 1\n```\n", first_line=40)
    assert [p.location.line for p in problems] == [41]


def _front_matter_problem(line: str) -> Diagnostic:
    """The one problem the front matter's YAML reader finds in ``line``."""
    _, problems = load_yaml(line, PATH, 2)
    assert len(problems) == 1, messages(problems)
    return problems[0]


def test_latex_in_double_quotes_is_the_front_matters_error_at_the_values_column() -> None:
    # YAML reads "\f" as a form feed: the caption would publish "rac{1}{2}".
    cell_, problems = parse('```{python}\n#| caption: "Half: $\\frac{1}{2}$"\nx = 1\n```\n')
    assert len(problems) == 1, messages(problems)
    problem = problems[0]
    assert problem.location == Location(PATH, 5, 13)  # the opening quote
    assert "'caption'" in problem.message and "'\\frac' in double quotes" in problem.message
    assert problem.hint == _front_matter_problem('summary: "$\\frac{1}{2}$"').hint
    assert cell_.options.caption == ""  # nothing with a form feed is published


def test_an_apostrophe_in_single_quotes_gets_the_front_matters_hint() -> None:
    _, problems = parse("```{python}\n#| caption: 'Newton's method'\nx = 1\n```\n")
    assert len(problems) == 1, messages(problems)
    problem = problems[0]
    assert problem.location == Location(PATH, 5, 21)  # where YAML gave up: after 'Newton'
    assert "'caption'" in problem.message
    assert problem.hint == _front_matter_problem("summary: 'Newton's method'").hint
    assert "write a quote (a prime, an apostrophe) as two" in problem.hint


def test_the_column_counts_the_indentation_of_an_indented_cell() -> None:
    # A cell inside a list item: its lines are indented by four spaces in the file.
    _, problems = parse('- An item.\n\n    ```{python}\n    #| alt: "\\theta"\n    x = 1\n'
                        "    ```\n")
    assert [p.location for p in problems] == [Location(PATH, 7, 13)], messages(problems)


def test_a_syntax_error_that_yaml_finds_past_the_line_stays_on_the_option() -> None:
    _, problems = parse("```{python}\n#| caption: {x: 1\nx = 1\n```\n")
    assert [p.location.line for p in problems] == [5], messages(problems)
    assert "'caption'" in problems[0].message


@pytest.mark.parametrize("line", ['caption: "Half: $\\frac{1}{2}$"',
                                  "caption: 'Newton's method'", "caption: [a, b]"])
def test_a_failed_option_adds_no_warning_that_it_is_missing(tmp_path: Path, line: str) -> None:
    text = chapter_text(cell("import matplotlib.pyplot as plt\nplt.plot([1, 2])", line))
    content = write_course(tmp_path / "content", {"01-s/01-c.md": text})
    found = check(BuildOptions(content=content, out=tmp_path / "_site", cache_dir=None))
    assert [p.location.line for p in found if p.is_error] == [5], messages(found)
    assert [p for p in found if "figure" in p.message] == [], messages(found)


def test_a_figure_still_without_caption_is_warned_about_next_to_a_failed_option(
    tmp_path: Path,
) -> None:
    # Only the option that failed is spared: a bad 'echo' says nothing about a caption,
    # a bad 'alt' nothing about the caption either (only that the alt text is missing).
    for line, warned in (("echo: maybe", ["this cell's figure has no alt text",
                                           "this cell's figure has no caption"]),
                         ("alt: 'it's'", ["this cell's figure has no caption"])):
        text = chapter_text(cell("import matplotlib.pyplot as plt\nplt.plot([1, 2])", line))
        content = write_course(tmp_path / "content", {"01-s/01-c.md": text})
        found = check(BuildOptions(content=content, out=tmp_path / "_site", cache_dir=None))
        assert sorted(p.message for p in found if "figure" in p.message) == warned, line


# --- the options in a built page ------------------------------------------------------

TWO_FIGURES = """
import matplotlib.pyplot as plt
plt.plot([1, 2, 3])
plt.figure()
plt.plot([3, 2, 1])
"""

OPTIONS_CHAPTER = chapter_text(
    "Some prose.\n",
    cell(TWO_FIGURES + 'print("two")', "caption: The field of $f(x) = x^2$, *drawn*",
         "id: two-figures"),
    "Between.\n",
    cell('import matplotlib.pyplot as plt\nplt.plot([0, 1])\nprint("alt given")',
         "caption: With an alt", 'alt: \'Arrows "out" & <away>\''),
    cell('plt.plot([1, 0])\nprint("hidden code")', "echo: false"),
    cell('plt.plot([2, 2])\nprint("HIDDEN OUTPUT")', "output: false"),
    cell("plt.plot([1, 3])", "format: png", "caption: As PNG"),
    cell("plt.plot([5, 5])"),
    cell('x = 3 * 7\nprint("no figure")', "id: plain-cell"),
)


@pytest.fixture(scope="module")
def options_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built_site(tmp_path_factory.mktemp("options"), {"01-s/01-c.md": OPTIONS_CHAPTER})


@pytest.fixture(scope="module")
def option_cells(options_site: Path) -> list:
    found = cells_of(options_site / "s" / "c.html")
    assert len(found) == 7
    return found


def test_a_caption_is_the_figcaption_of_every_figure_with_math_as_mathml(option_cells) -> None:
    first = option_cells[0]
    assert len(first.figures) == 2
    for figure in first.figures:
        assert "The field of" in figure.caption_html
        assert "<math" in figure.caption_html
        assert "$" not in figure.caption_html
        assert "<em>drawn</em>" in figure.caption_html


def test_alt_defaults_to_the_captions_text(option_cells) -> None:
    for figure in option_cells[0].figures:
        alt = figure.img["alt"]
        assert alt.startswith("The field of")
        assert "$" not in alt and "*" not in alt and "<" not in alt
        assert alt == "The field of f(x) = x^2, drawn"  # math read as linear text


def test_alt_from_a_caption_reads_its_math_not_its_latex(tmp_path: Path) -> None:
    write_course(tmp_path / "content", {"01-s/01-c.md": chapter_text(cell(
        "import matplotlib.pyplot as plt\nplt.plot([1, 2])",
        r"caption: 'Loss $\|x_k - x^\star\|$ over $k$'"))})
    run_build(tmp_path)
    (found,) = cells_of(tmp_path / "_site" / "s" / "c.html")
    assert found.figures[0].img["alt"] == "Loss ∥x_k − x^⋆ ∥ over k"


def test_alt_is_on_the_img_and_escaped(options_site: Path, option_cells) -> None:
    (figure,) = option_cells[1].figures
    assert figure.img["alt"] == 'Arrows "out" & <away>'
    assert "With an alt" in figure.caption_html
    page = (options_site / "s" / "c.html").read_text(encoding="utf-8")
    assert 'alt="Arrows &quot;out&quot; &amp; &lt;away&gt;"' in page


def test_a_figure_without_caption_has_a_default_alt_and_no_figcaption(options_site: Path,
                                                                     option_cells) -> None:
    (figure,) = option_cells[5].figures
    assert figure.img["alt"] == ENGLISH["figure.default_alt"]
    assert figure.caption_html == ""
    page = (options_site / "s" / "c.html").read_text(encoding="utf-8")
    assert page.count("<figcaption>") == 4  # two for the first cell, one each for two more


def test_echo_false_hides_the_code_but_keeps_the_outputs(option_cells) -> None:
    hidden = option_cells[2]
    assert not hidden.has_code
    assert "plt.plot" not in hidden.code_text
    assert len(hidden.figures) == 1
    assert hidden.outputs == ["hidden code\n"]


def test_output_false_shows_the_code_but_no_outputs(options_site: Path, option_cells) -> None:
    quiet = option_cells[3]
    assert quiet.has_code
    assert "HIDDEN OUTPUT" in quiet.code_text
    assert quiet.figures == [] and quiet.outputs == []
    assert quiet.order == ["code"]
    page = (options_site / "s" / "c.html").read_text(encoding="utf-8")
    # The chapter's Markdown copy (in its <template>, and beside the page) has the
    # code too, and no output either.
    shown = without_copy(page)
    assert shown.count("HIDDEN OUTPUT") == 1  # only in the code
    copy = (options_site / "s" / "c.html.md").read_text(encoding="utf-8")
    assert copy.count("HIDDEN OUTPUT") == 1 and "```output\nHIDDEN" not in copy


def test_every_figure_file_of_the_site_is_shown_on_a_page(options_site: Path) -> None:
    # A cell with 'output: false' shows no figure, so none of its figures should be
    # written into the site either (nothing links to it).
    page = (options_site / "s" / "c.html").read_text(encoding="utf-8")
    files = sorted(p.name for p in (options_site / "s" / "figures").iterdir())
    unreferenced = [name for name in files if f"figures/{name}" not in page]
    assert unreferenced == []


def test_format_png_writes_a_png_file_with_its_size_on_the_img(options_site: Path,
                                                              option_cells) -> None:
    (figure,) = option_cells[4].figures
    src = figure.img["src"]
    assert src.endswith(".png")
    data = (options_site / "s" / src).read_bytes()
    assert data.startswith(PNG_SIGNATURE)
    width, height = int(figure.img["width"]), int(figure.img["height"])
    assert width > 100 and height > 100
    # drawn at twice the CSS size, for sharp screens
    assert int.from_bytes(data[16:20], "big") == 2 * width
    assert int.from_bytes(data[20:24], "big") == 2 * height


def test_figures_are_svg_by_default_with_their_size(options_site: Path, option_cells) -> None:
    for found in option_cells[0].figures + option_cells[5].figures:
        src = found.img["src"]
        assert src.endswith(".svg")
        data = (options_site / "s" / src).read_bytes()
        assert b"<svg" in data[:2000]
        assert int(found.img["width"]) > 100 and int(found.img["height"]) > 100


def test_id_is_the_anchor_of_the_cell(option_cells) -> None:
    assert option_cells[0].attrs.get("id") == "two-figures"
    assert option_cells[6].attrs.get("id") == "plain-cell"
    assert "id" not in option_cells[1].attrs


def test_a_cell_without_figures_shows_its_code_and_text(option_cells) -> None:
    plain = option_cells[6]
    assert plain.has_code and plain.figures == []
    assert plain.outputs == ["no figure\n"]


def test_bad_options_fail_the_build_before_any_cell_runs(tmp_path: Path) -> None:
    marker = tmp_path / "content" / "01-s" / "ran.txt"
    text = chapter_text(
        "Text.\n",                                      # line 4, blank 5
        cell("open('ran.txt', 'w').write('x')"),        # 6-8, blank 9
        cell("x = 1", "captoin: A", "echo: maybe"),     # fence 10, options 11, 12
        cell("y = 2", "format: gif", "timeout: -1"),    # fence 16, options 17, 18
    )
    write_course(tmp_path / "content", {"01-s/01-c.md": text})
    problems = failed_build(tmp_path)
    found = sorted((p.location.path, p.location.line) for p in problems)
    assert found == [(PATH, 11), (PATH, 12), (PATH, 17), (PATH, 18)], messages(problems)
    assert any("did you mean 'caption'?" in p.hint for p in problems)
    assert not marker.exists()
    assert not (tmp_path / "_site").exists()


def test_two_cells_with_the_same_id_are_an_error(tmp_path: Path) -> None:
    text = chapter_text(
        "Text.\n",                              # line 4, blank 5
        cell("x = 1", "id: same"),              # fence 6, option 7, code 8, fence 9, blank 10
        cell("y = 2", "id: same"),              # fence 11, option 12
    )
    write_course(tmp_path / "content", {"01-s/01-c.md": text})
    problems = failed_build(tmp_path)
    assert [(p.location.path, p.location.line) for p in problems] == [(PATH, 12)], \
        messages(problems)
    assert "same" in problems[0].message


def test_a_cell_id_does_not_duplicate_a_heading_anchor(tmp_path: Path) -> None:
    # '## Results' gets the anchor 'results'; a cell asking for the same id must
    # either be reported (at its option's line) or leave every id of the page unique.
    text = chapter_text("## Results\n", cell("x = 1", "id: results"))  # option on line 7
    write_course(tmp_path / "content", {"01-s/01-c.md": text})
    try:
        run_build(tmp_path)
    except BuildFailed as failed:
        assert [p.location.line for p in failed.diagnostics] == [7], messages(failed.diagnostics)
        return
    page = (tmp_path / "_site" / "s" / "c.html").read_text(encoding="utf-8")
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), sorted(ids)
    assert cells_of(tmp_path / "_site" / "s" / "c.html")[0].attrs["id"] == "results"
