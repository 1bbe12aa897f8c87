"""``gradsite check``: every problem at once, no cell run, nothing written."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from gradsite.cli import main
from gradsite.diagnostics import Diagnostic
from gradsite.pipeline import BuildOptions, check
from tests.coursekit import build_problems, chapter, make_course

REPO = Path(__file__).resolve().parent.parent
QUIZ = [{"question": "Two plus two?", "answer": 4}]


def marker_cell(marker: Path) -> str:
    """A cell that would leave a file behind if it ran."""
    return (f"```{{python}}\n#| caption: A cell.\nopen({str(marker)!r}, 'w').write('ran')\n"
            "print(1)\n```\n")


def snapshot(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns for p in folder.rglob("*")}


def run_check(content: Path, **options: object) -> list[Diagnostic]:
    return check(BuildOptions(content=content, out=content.parent / "_site", **options))


def broken_course(tmp_path: Path) -> Path:
    marker = tmp_path / "ran.txt"
    return make_course(tmp_path, {
        # load: an unknown key (the chapter still loads, so its body is checked too)
        "01-a/01-keys.md": "---\ntitle: Keys\nsumary: typo\nquiz:\n  - question: Q?\n"
                           "    answer: 1\n---\nSee [missing](nowhere.md).\n",
        # expressions, a wrong gradient, a placed question that does not exist
        "01-a/02-math.md": chapter("Math", "```quiz\nno-such-question\n```\n", quiz=QUIZ,
                                   functions={"f": {"expr": "np.sin(x)"},
                                              "g": {"expr": "x**2", "gradient": ["3*x"]}}),
        # LaTeX, a cell option, a cell's syntax, a missing image; and a cell that must not run
        "01-a/03-cells.md": chapter("Cells", "Bad $\\frac{1}{2$ math.\n\n"
                                    "```{python}\n#| colour: red\nx = (1,\n```\n\n"
                                    "![pic](img/none.png)\n\n" + marker_cell(marker),
                                    quiz=QUIZ),
    })


def test_check_reports_every_kind_of_problem_at_once(tmp_path: Path) -> None:
    content = broken_course(tmp_path)
    found = [d for d in run_check(content) if d.is_error]
    by_file: dict[str, list[str]] = {}
    for d in found:
        by_file.setdefault(d.location.path, []).append(d.message)
    keys, math, cells = (f"content/01-a/{name}.md" for name in ("01-keys", "02-math", "03-cells"))
    assert any("sumary" in m for m in by_file[keys])
    assert any("nowhere.md" in m for m in by_file[keys])
    assert any("np.sin" in m for m in by_file[math])
    assert any("gradient" in m for m in by_file[math])
    assert any("no-such-question" in m for m in by_file[math])
    assert any("invalid LaTeX" in m for m in by_file[cells])
    assert any("colour" in m for m in by_file[cells])
    assert any("syntax error" in m for m in by_file[cells])
    assert any("none.png" in m for m in by_file[cells])
    syntax = next(d for d in found if "syntax error" in d.message)
    text = (tmp_path / cells).read_text().split("\n")
    assert text[syntax.location.line - 1] == "x = (1,"


def test_a_failing_build_reports_what_check_reports_and_runs_no_cell(tmp_path: Path) -> None:
    # An error of the check stage stops the build before cells run; the formulas'
    # and headings' problems, found by rendering, still come in the same report.
    content = broken_course(tmp_path)
    errors = [d for d in build_problems(content, tmp_path / "_site") if d.is_error]
    checked = [d for d in run_check(content) if d.is_error]
    assert sorted(map(str, errors)) == sorted(map(str, checked))
    assert any("invalid LaTeX" in d.message for d in errors)
    assert not (tmp_path / "ran.txt").exists()
    assert not (tmp_path / "_site").exists()


def test_a_broken_course_macro_is_reported_once_not_at_every_use(tmp_path: Path) -> None:
    # Formulas in every place, valid ones too: each is read after the macros.
    content = make_course(tmp_path, {
        "course.yml": "title: A Course\ndescription: 'About $x$.'\n"
                      "macros:\n  half: '\\frac{1}{2'\n",
        "01-a/01-b.md": chapter(
            "'B $y$'", "A half: $\\half$, twice: $2 \\half$.\n\n"
            '!!! theorem "On $z$"\n    T.\n', quiz=QUIZ, summary="Plain $x^2$.",
            functions={"f": {"expr": "x**2", "tex": "x^2"}}),
    })
    for found in (run_check(content), build_problems(content, tmp_path / "_site")):
        errors = [d for d in found if d.is_error]
        assert [(d.location.path, d.location.line) for d in errors] == [("content/course.yml", 4)]


def test_a_mistake_in_course_yml_keeps_its_macros_for_the_chapters(tmp_path: Path) -> None:
    # Once, any error there dropped every macro, and each use was reported as well.
    content = make_course(tmp_path, {
        "course.yml": "title: A Course\nautor: Me\nmacros:\n  norm: ['\\lVert #1 \\rVert', 1]\n",
        "01-a/01-b.md": chapter("B", "The norm $\\norm{x}$.\n", quiz=QUIZ),
    })
    for found in (run_check(content), build_problems(content, tmp_path / "_site")):
        assert [(d.location.path, d.location.line, d.message) for d in found if d.is_error] == [
            ("content/course.yml", 2, "unknown key 'autor' in course.yml")]


def test_check_runs_no_cell_and_writes_nothing(tmp_path: Path) -> None:
    content = make_course(tmp_path, {
        "01-a/01-b.md": chapter("B", marker_cell(tmp_path / "ran.txt"), quiz=QUIZ),
    })
    before = snapshot(tmp_path)
    assert run_check(content) == []
    assert not (tmp_path / "ran.txt").exists()
    assert snapshot(tmp_path) == before  # no site, no cache entry, nothing
    assert not (tmp_path / ".gradsite-cache").exists()


def test_check_command_exits_1_with_every_problem_and_0_when_clean(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken_course(tmp_path)
    assert main(["check"]) == 1
    captured = capsys.readouterr()
    assert "content/01-a/01-keys.md:3:1: unknown key 'sumary'" in captured.err
    assert "content/01-a/03-cells.md" in captured.err and "content/01-a/02-math.md" in captured.err
    assert "check failed:" in captured.err
    assert "Traceback" not in captured.err
    assert not (tmp_path / "ran.txt").exists()
    assert not (tmp_path / "_site").exists()

    make_course(tmp_path / "clean", {"01-a/01-b.md": chapter("B", quiz=QUIZ)})
    assert main(["check", "--content", str(tmp_path / "clean/content")]) == 0
    assert "no problems" in capsys.readouterr().out


def test_the_line_shown_is_the_one_named_past_a_line_separator(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Pasted text can hold a LINE SEPARATOR or a form feed: lines are counted at
    # newlines only, by the error's number and by the source line shown under it.
    body = "Pasted\u2028text, and a form\x0cfeed.\n\nA [link](missing.md) to nowhere.\n"
    make_course(tmp_path, {"01-a/01-b.md": chapter("B", body, quiz=QUIZ)})
    assert main(["check"]) == 1
    err = capsys.readouterr().err
    assert re.search(r"content/01-a/01-b\.md:(\d+):3: 'missing\.md' links to a chapter", err), err
    line = int(re.search(r"01-b\.md:(\d+):", err).group(1))  # type: ignore[union-attr]
    text = (tmp_path / "content/01-a/01-b.md").read_text(encoding="utf-8").split("\n")
    assert text[line - 1] == "A [link](missing.md) to nowhere."
    assert "\n    A [link](missing.md) to nowhere.\n" in err


def test_check_reports_warnings_without_failing_unless_strict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_course(tmp_path, {"01-a/01-b.md": chapter("B")})  # no questions: a warning
    assert main(["check"]) == 0
    captured = capsys.readouterr()
    assert "01-b.md:2:1: warning: this chapter has no questions" in captured.err
    assert "1 warning" in captured.out
    assert main(["check", "--strict"]) == 1
    assert "this chapter has no questions [--strict]" in capsys.readouterr().err


def test_check_reports_invalid_latex_in_captions_and_questions(tmp_path: Path) -> None:
    content = make_course(tmp_path, {"01-a/01-b.md": chapter(
        "B", "```{python}\n#| caption: 'Bad $\\sqrt{x$'\n#| alt: A.\nprint(1)\n```\n",
        quiz=[{"question": "What is $\\frac{1}{$?", "answer": 1}],
    )})
    found = [d for d in run_check(content) if d.is_error]
    lines = sorted(d.location.line for d in found if "LaTeX" in d.message)
    text = (content / "01-a/01-b.md").read_text().split("\n")
    assert any("caption" in text[line - 1] for line in lines), [d.format() for d in found]
    assert any("question" in text[line - 1] for line in lines), [d.format() for d in found]


def test_the_shipped_course_checks_clean_and_fast(tmp_path: Path) -> None:
    env = {**os.environ, "NO_COLOR": "1"}
    result = subprocess.run([sys.executable, "build.py", "check", "--cache-dir",
                             str(tmp_path / "cache")], cwd=REPO, capture_output=True, text=True,
                            timeout=120, check=False, env=env)
    assert result.returncode == 0, result.stderr
    assert "no problems" in result.stdout
    assert result.stderr == ""
    assert not (tmp_path / "cache").exists()


@pytest.mark.parametrize("latex, shown", [
    ("\\\\frac{1}{2}", "\\frac"),
    ("\\\\theta", "\\theta"),
    ("\\\\nabla f", "\\nabla"),
    ("\\\\alpha", "\\alpha"),
])
def test_latex_in_double_quotes_is_an_error_with_the_single_quote_hint(
    tmp_path: Path, latex: str, shown: str
) -> None:
    # In double quotes YAML turns '\f', '\t', '\n', '\a' into control characters, silently.
    front = f'---\ntitle: T\nquiz:\n  - question: "What is ${latex}$?"\n    answer: 1\n---\n'
    content = make_course(tmp_path, {"01-a/01-b.md": front.replace("\\\\", "\\")})
    found = [d for d in run_check(content) if d.is_error]
    assert {d.location.line for d in found} == {4}, [d.format() for d in found]
    trap = found[0]  # KaTeX may also trip over the control character: reported after it
    assert f"'{shown}' in double quotes is not LaTeX" in trap.message
    assert "single quotes" in trap.hint


def test_a_question_that_failed_to_load_is_not_also_unknown_where_it_is_placed(
        tmp_path: Path) -> None:
    content = make_course(tmp_path, {"01-a/01-b.md": chapter(
        "B", "```quiz\nyes-or-no\n```\n",
        quiz=[{"id": "yes-or-no", "question": "Q?", "choices": [True, "Maybe"]}])})
    found = [d.message for d in run_check(content) if d.is_error]
    assert any("expected text, got 'true'" in message for message in found), found
    assert not any("no question with id" in message for message in found), found


def test_an_error_in_course_yml_does_not_hide_the_chapters_problems(tmp_path: Path) -> None:
    content = make_course(tmp_path, {"01-a/01-b.md": chapter(
        "B", "See [gone](09-nope.md) and $\\frac{$.\n")})
    (content / "course.yml").write_text("title: T\nautor: me\n")
    found = [d.message for d in run_check(content) if d.is_error]
    assert any("unknown key 'autor'" in m for m in found), found
    assert any("09-nope.md" in m for m in found), found
    assert any("LaTeX" in m for m in found), found


# --- errors in course order -----------------------------------------------------------


def test_problems_are_listed_in_course_order_not_by_path_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_course(tmp_path, {
        "course.yml": "title: T\nautor: Me\n",
        "2-s/_section.yml": "titl: S\n",
        **{f"{n}-s/{m}-c.md": "---\ntitle: C\nsumary: S\n---\nBody.\n"
           for n in (1, 2, 10) for m in (1, 2, 10)},
    })
    assert main(["check", "--content", "content", "--quiet"]) == 1  # errors only
    err = capsys.readouterr().err
    listed = re.findall(r"^(content/\S+?):\d+:\d+: ", err, re.MULTILINE)
    chapters = [f"content/{n}-s/{m}-c.md" for n in (1, 2, 10) for m in (1, 2, 10)]
    assert listed == ["content/course.yml", *chapters[:3], "content/2-s/_section.yml",
                      *chapters[3:]]


# --- no follow-on problems after a real error -----------------------------------------


def test_a_function_with_an_invalid_domain_is_not_also_unknown_where_it_is_used(
    tmp_path: Path,
) -> None:
    content = make_course(tmp_path, {"01-a/01-b.md": chapter(
        "B", "```plot\nfunction: t\ncaption: C.\n```\n\n```plot\nfunction: nope\n```\n",
        functions={"t": {"expr": "x**2", "domain": [[2, 1]]}, "u": "x + 1"},
        quiz=[{"question": "Q?", "answer": "grad_t(1)[0] + t(1)"}])})
    found = run_check(content)
    errors = [d.message for d in found if d.is_error]
    assert len(errors) == 2, errors
    assert "functions.t.domain[0]: low must be less than high" in errors[0]
    # A function that is not declared at all is still unknown, and its hint names
    # every function the front matter declares, the invalid one too.
    nope = next(d for d in found if d.message == "unknown function 'nope'")
    assert nope.hint == "the chapter declares t, u"


def test_a_function_with_errors_is_not_also_warned_unused(tmp_path: Path) -> None:
    content = make_course(tmp_path, {"01-a/01-b.md": chapter(
        "B", "Text.\n", functions={"h": "np.exp(x)"}, quiz=QUIZ)})
    found = run_check(content)
    assert [d.message for d in found] == [
        "functions.h.expr: attribute access is not allowed: 'np.exp'"]


def test_a_chapter_whose_questions_all_have_errors_is_not_warned_it_has_none(
    tmp_path: Path,
) -> None:
    content = make_course(tmp_path, {"01-a/01-b.md": chapter(
        "B", quiz=[{"question": "Q?", "answer": 1, "tolerance": -1},
                   {"question": "R?", "choices": ["only one"]}])})
    found = run_check(content)
    assert all(d.is_error for d in found), [d.format() for d in found]
    assert len(found) == 2


def test_a_bad_placement_is_reported_with_a_duplicate_id_error(tmp_path: Path) -> None:
    content = make_course(tmp_path, {"01-a/01-b.md": chapter(
        "B", "```quiz\nzzz\n```\n\n```quiz\nbroken\n```\n\n```quiz\nq4\n```\n",
        quiz=[{"id": "a", "question": "Q?", "answer": 1},
              {"id": "a", "question": "R?", "answer": 2},
              {"id": "broken", "question": "S?", "answer": 1, "tolerance": -1},
              {"question": "T?", "choices": ["only one"]}])})
    errors = [d for d in run_check(content) if d.is_error]
    messages = [d.message for d in errors]
    assert any("'a' is already the id" in m for m in messages), messages
    assert any("must not be negative" in m for m in messages), messages
    # 'zzz' is no question's id; 'broken' and q4 (by position) failed to load.
    placed = [d for d in errors if "no question with id" in d.message]
    assert [d.message for d in placed] == ["no question with id 'zzz' in this chapter"]
    assert placed[0].hint == "valid question ids: a, broken, q4"
