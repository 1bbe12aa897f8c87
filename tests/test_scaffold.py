"""``gradsite new section`` / ``new chapter``: valid files, next numbers, no overwrite."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from gradsite.cli import main
from gradsite.load import slugify
from gradsite.pipeline import BuildOptions, build, check
from gradsite.scaffold import new_chapter, new_section
from tests.coursekit import chapter, make_course


def errors(diagnostics: list) -> list[str]:
    return [d.format() for d in diagnostics if d.is_error]


def test_new_section_and_chapter_build_as_they_are(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_course(tmp_path, {})
    assert main(["new", "section", "Second-Order Methods: Newton"]) == 0
    out = capsys.readouterr().out
    assert "created content/01-second-order-methods-newton\n" in out
    meta = tmp_path / "content/01-second-order-methods-newton/_section.yml"
    assert meta.is_file()

    assert main(["new", "chapter", "1", "Newton's Method"]) == 0
    assert ("created content/01-second-order-methods-newton/01-newtons-method.md"
            in capsys.readouterr().out)
    result = build(BuildOptions(content=tmp_path / "content", out=tmp_path / "_site", jobs=1))
    # The template has no questions yet: a reminder, not an error.
    assert [d.message for d in result.warnings] == ["this chapter has no questions"]
    page = (tmp_path / "_site/second-order-methods-newton/newtons-method.html").read_text()
    assert "Newton&#39;s Method" in page or "Newton's Method" in page
    home = (tmp_path / "_site/index.html").read_text()
    assert "Second-Order Methods: Newton" in home


def test_numbers_follow_the_highest_and_keep_the_prefix_width(tmp_path: Path) -> None:
    content = make_course(tmp_path, {
        "001-a/001-x.md": chapter("X"),
        "001-a/007-draft.md": chapter("Draft", draft=True),  # drafts count
        "003-b/01-y.md": chapter("Y"),
    })
    section, found = new_section(content, "Third")
    assert found == [] and section == content / "004-third"
    path, found = new_chapter(content, "a", "Next One")
    assert found == [] and path == content / "001-a/008-next-one.md"
    path, found = new_chapter(content, "004-third", "First")
    assert found == [] and path == content / "004-third/01-first.md"
    path, found = new_chapter(content, "3", "Second")
    assert found == [] and path == content / "003-b/02-second.md"


def test_titles_that_need_quoting_stay_valid_yaml(tmp_path: Path) -> None:
    content = make_course(tmp_path, {})
    section, _ = new_section(content, "Part 1: 'Basics' #1")
    assert section is not None
    path, found = new_chapter(content, section.name, "The $\\nabla$ operator: a \"tour\"")
    assert found == [] and path is not None
    assert path.name == "01-the-nabla-operator-a-tour.md"
    options = BuildOptions(content=content, out=tmp_path / "_site", jobs=1)
    assert errors(check(options)) == []
    build(options)
    home = (tmp_path / "_site/index.html").read_text()
    assert "Part 1: &#39;Basics&#39; #1" in home or "Part 1: 'Basics' #1" in home


def test_never_overwrites_and_refuses_clashing_slugs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content = make_course(tmp_path, {"01-a/01-intro.md": chapter("Mine")})
    before = (content / "01-a/01-intro.md").read_text()
    assert main(["new", "chapter", "01-a", "Intro"]) == 1
    err = capsys.readouterr().err
    assert "content/01-a/01-intro.md: a chapter with the slug 'intro' already exists" in err
    assert (content / "01-a/01-intro.md").read_text() == before
    assert sorted(p.name for p in (content / "01-a").iterdir()) == ["01-intro.md"]

    assert main(["new", "section", "A"]) == 1
    assert "a section with the slug 'a' already exists" in capsys.readouterr().err


def test_unknown_sections_empty_titles_and_missing_content_are_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content = make_course(tmp_path, {"01-basics/01-intro.md": chapter("Intro")})
    assert main(["new", "chapter", "basic", "X"]) == 1
    err = capsys.readouterr().err
    assert "no section 'basic'" in err and "01-basics" in err
    assert new_section(content, "  ")[1][0].message == "the title is empty"
    assert "cannot make a file name" in new_section(content, "???")[1][0].message
    assert main(["new", "section", "X", "--content", str(tmp_path / "nope")]) == 1
    assert "the content folder does not exist" in capsys.readouterr().err


def test_new_needs_its_arguments(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["new"], ["new", "chapter", "1"], ["new", "page", "X"]):
        with pytest.raises(SystemExit) as exited:
            main(argv)
        assert exited.value.code == 2
    capsys.readouterr()


def test_the_commented_examples_in_the_template_are_valid(tmp_path: Path) -> None:
    """Uncommenting the template's function, plot and questions gives a chapter that checks
    clean, with no warning: the examples teach only what works."""
    content = make_course(tmp_path, {})
    section, _ = new_section(content, "S")
    assert section is not None
    path, _ = new_chapter(content, section.name, "Examples")
    assert path is not None
    front, body = path.read_text().split("\n---\n", 1)
    yaml_lines, plot_lines = [], []
    for line in front.split("\n"):
        if line.startswith("#   ```") or (plot_lines and len(plot_lines) < 5):
            plot_lines.append(line.removeprefix("#   "))
        elif re.match(r"# (functions:|quiz:|  )", line):
            yaml_lines.append(line.removeprefix("# "))
        else:
            yaml_lines.append(line)
    assert plot_lines[0] == "```plot" and plot_lines[-1] == "```"
    path.write_text("\n".join(yaml_lines) + "\n---\n" + body + "\n" + "\n".join(plot_lines) + "\n")
    options = BuildOptions(content=content, out=tmp_path / "_site", jobs=1)
    assert [d.format() for d in check(options)] == []
    text = path.read_text()
    assert "functions:\n  f:" in text and "quiz:\n  - id: partial-derivative" in text


@pytest.mark.parametrize("title, slug", [
    ("Newton's Method", "newtons-method"),
    ("Über Gradienten", "uber-gradienten"),
    ("  Part 2: The $L^2$ norm!  ", "part-2-the-l-2-norm"),
    ("x" * 80, "x" * 60),
    ("word " * 20, "-".join(["word"] * 12)),
])
def test_slugs(title: str, slug: str) -> None:
    assert slugify(title) == slug


def test_the_next_command_after_new_section_keeps_the_content_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (make_course(tmp_path, {})).rename(tmp_path / "course")
    assert main(["new", "section", "Basics", "--content", "course"]) == 0
    hint = capsys.readouterr().out.splitlines()[-1]
    assert hint == 'next: gradsite new chapter 01-basics "Chapter Title" --content course'


def test_the_next_command_is_written_as_the_author_ran_this_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (make_course(tmp_path, {})).rename(tmp_path / "course")
    monkeypatch.setattr(sys, "argv", ["build.py", "new", "section", "Basics"])
    assert main(["new", "section", "Basics", "--content", "course"]) == 0
    hint = capsys.readouterr().out.splitlines()[-1]
    assert hint.startswith("next: python build.py new chapter 01-basics ")
