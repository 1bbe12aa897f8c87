"""Warnings and ``--strict``: each warning, where it points, and the exit code."""

from __future__ import annotations

from pathlib import Path

import pytest

from gradsite.cli import main
from gradsite.diagnostics import BuildFailed, Diagnostic
from gradsite.lint import draws_figure
from gradsite.pipeline import BuildOptions, build, check
from tests.coursekit import chapter, make_course

QUIZ = [{"question": "Two plus two?", "answer": 4}]
DRAW = "import matplotlib.pyplot as plt\nplt.plot([0, 1], [0, 1])\n"

COURSE = {
    # A figure with neither alt nor caption (two warnings), one with alt only (one),
    # one with both (none), a cell that only prints (none), a hidden output (none).
    "01-a/01-figures.md": chapter("Figures", (
        "```{python}\n" + DRAW + "```\n\n"
        "```{python}\n#| alt: A line.\n" + DRAW + "```\n\n"
        "```{python}\n#| alt: A line.\n#| caption: A line.\n" + DRAW + "```\n\n"
        "```{python}\nprint('no figure')\n```\n\n"
        "```{python}\n#| output: false\n" + DRAW + "```\n"
    ), quiz=QUIZ),
    # f is unused; g is used by a plot block (without caption), h only through grad_h in
    # an answer, k in the prose.
    "01-a/02-functions.md": chapter(
        "Functions", "```plot\nfunction: g\n```\n\nThe function k grows.\n",
        functions={"f": "x**2", "g": "x*y", "h": "x**3", "k": "exp(x)"},
        quiz=[{"question": "Slope?", "answer": "grad_h(1)[0]"}],
    ),
    "01-a/03-no-quiz.md": chapter("No quiz"),
}


def warnings_of(diagnostics: list[Diagnostic]) -> set[tuple[str, int, str]]:
    return {(Path(d.location.path).name, d.location.line, d.message)
            for d in diagnostics if not d.is_error}


def line_of(content: Path, rel: str, text: str, nth: int = 1) -> int:
    lines = (content / rel).read_text().split("\n")
    hits = [i + 1 for i, line in enumerate(lines) if line.startswith(text)]
    return hits[nth - 1]


def expected(content: Path) -> set[tuple[str, int, str]]:
    figures = "01-a/01-figures.md"
    first, second = (line_of(content, figures, "```{python}", n) for n in (1, 2))
    return {
        ("01-figures.md", first, "this cell's figure has no alt text"),
        ("01-figures.md", first, "this cell's figure has no caption"),
        ("01-figures.md", second, "this cell's figure has no caption"),
        ("02-functions.md", line_of(content, "01-a/02-functions.md", "  f:"),
         "function 'f' is declared but never used"),
        ("02-functions.md", line_of(content, "01-a/02-functions.md", "```plot"),
         "this plot has no caption"),
        ("03-no-quiz.md", 2, "this chapter has no questions"),
    }


def test_a_build_reports_each_warning_with_its_line_and_still_succeeds(tmp_path: Path) -> None:
    content = make_course(tmp_path, COURSE)
    result = build(BuildOptions(content=content, out=tmp_path / "_site", jobs=2))
    assert warnings_of(result.warnings) == expected(content)
    assert (tmp_path / "_site/a/figures.html").is_file()


def test_check_finds_the_same_warnings_without_running_cells(tmp_path: Path) -> None:
    content = make_course(tmp_path, COURSE)
    assert warnings_of(check(BuildOptions(content=content, out=tmp_path / "_site"))) == \
        expected(content)


def test_check_knows_which_cells_drew_once_a_build_cached_them(tmp_path: Path) -> None:
    # This cell draws through a helper: the code alone does not show it, the cache does.
    body = ("```{python}\n#| caption: Helper.\nimport matplotlib.pyplot as plt\n"
            "def draw():\n    plt.plot([1, 2])\n```\n\n```{python}\ndraw()\n```\n")
    content = make_course(tmp_path, {"01-a/01-b.md": chapter("B", body, quiz=QUIZ)})
    options = BuildOptions(content=content, out=tmp_path / "_site", jobs=1)
    assert warnings_of(check(options)) == set()  # a guess: draw() does not look like drawing
    build(options)
    second = line_of(content, "01-a/01-b.md", "```{python}", 2)
    assert warnings_of(check(options)) == {
        ("01-b.md", second, "this cell's figure has no alt text"),
        ("01-b.md", second, "this cell's figure has no caption"),
    }


def test_strict_makes_warnings_errors_and_keeps_the_previous_site(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_course(tmp_path, {"01-a/01-b.md": chapter("B", quiz=QUIZ),
                           "01-a/02-c.md": chapter("C")})
    assert main([]) == 0
    captured = capsys.readouterr()
    assert "content/01-a/02-c.md:2:1: warning: this chapter has no questions" in captured.err
    before = (tmp_path / "_site/.gradsite-site").read_text()

    (tmp_path / "content/01-a/03-d.md").write_text(chapter("D"))
    assert main(["--quiet", "--strict"]) == 1
    err = capsys.readouterr().err
    assert "content/01-a/02-c.md:2:1: this chapter has no questions [--strict]" in err
    assert "content/01-a/03-d.md:2:1: this chapter has no questions [--strict]" in err
    assert "build failed: 2 error(s)" in err
    assert (tmp_path / "_site/.gradsite-site").read_text() == before
    assert not (tmp_path / "_site/a/d.html").exists()


def test_strict_is_not_fooled_by_an_up_to_date_site(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_course(tmp_path, {"01-a/01-b.md": chapter("B")})
    assert main(["--quiet"]) == 0  # a warning, built anyway
    assert main(["--quiet", "--strict"]) == 1  # the same inputs: strict still sees it
    assert "[--strict]" in capsys.readouterr().err


def test_quiet_leaves_warnings_out(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_course(tmp_path, {"01-a/01-b.md": chapter("B")})
    assert main(["--quiet"]) == 0
    assert main(["check", "--quiet"]) == 0
    assert capsys.readouterr() == ("", "")


def test_a_failed_build_reports_its_errors_without_the_warnings(tmp_path: Path) -> None:
    # Advice about a course that does not build yet would bury the errors.
    content = make_course(tmp_path, {"01-a/01-b.md": chapter("B", "Bad $\\frac{1}{$.\n")})
    with pytest.raises(BuildFailed) as failed:
        build(BuildOptions(content=content, out=tmp_path / "_site"))
    assert [d.message.split(":")[0] for d in failed.value.diagnostics] == ["invalid LaTeX"]


def test_strict_build_raises_with_the_warnings_as_errors(tmp_path: Path) -> None:
    content = make_course(tmp_path, {"01-a/01-b.md": chapter("B")})
    with pytest.raises(BuildFailed) as failed:
        build(BuildOptions(content=content, out=tmp_path / "_site", strict=True))
    assert [d.is_error for d in failed.value.diagnostics] == [True]


@pytest.mark.parametrize("code, draws", [
    ("plt.plot(x, y)", True),
    ("fig, ax = plt.subplots()\nax.quiver(X, Y, U, V)", True),
    ("ax2.set_title('t')", True),
    ("import matplotlib.pyplot as plt\nimport numpy as np", False),
    ("print(np.linalg.norm(v))", False),
])
def test_the_guess_of_a_figure_cell(code: str, draws: bool) -> None:
    assert draws_figure(code) is draws
