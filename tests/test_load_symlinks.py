"""Paths never leave the content folder: symbolic links among the course's own files.

A chapter, a section folder, ``_section.yml`` or ``course.yml`` that is a symbolic
link to a place outside the content folder is an error at its path, and the target
is not read (so not published, and never quoted in an error). Links that stay
inside the content folder keep working.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gradsite.diagnostics import format_all
from gradsite.load import load_course
from tests.coursekit import build_problems, chapter, make_course, only, where

SECRET = "root:x:0:0:root:/root:/bin/bash"


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder beside the content folder, holding a chapter, a section and plain files."""
    folder = tmp_path / "outside"
    (folder / "section").mkdir(parents=True)
    (folder / "chapter.md").write_text(chapter("Outside", "Not part of the course.\n"))
    (folder / "section" / "01-away.md").write_text(chapter("Away"))
    (folder / "passwd").write_text(SECRET + "\n")
    (folder / "meta.yml").write_text("title: From Outside\n")
    return folder


def course_with(tmp_path: Path, links: dict[str, Path]) -> Path:
    content = make_course(tmp_path, {"01-basics/01-intro.md": chapter("Intro")})
    for rel, target in links.items():
        (content / rel).symlink_to(target)
    return content


def test_a_chapter_linked_to_a_file_outside_is_an_error(tmp_path: Path, outside: Path) -> None:
    content = course_with(tmp_path, {"01-basics/02-ext.md": outside / "chapter.md"})
    course, problems = load_course(content)
    problem = only(problems)
    assert where(problem) == "content/01-basics/02-ext.md:0"
    assert problem.message == "'02-ext.md' points outside the content folder"
    assert "symbolic link" in problem.hint
    assert course is not None
    assert [c.title for c in course.chapters] == ["Intro"]


def test_the_target_of_a_refused_chapter_is_never_shown(tmp_path: Path, outside: Path) -> None:
    # /etc/passwd linked as a chapter used to print its first line under
    # "the chapter has no front matter".
    content = course_with(tmp_path, {"01-basics/02-pw.md": outside / "passwd"})
    problems = build_problems(content, tmp_path / "_site")
    assert "points outside the content folder" in only(problems).message
    assert "root:" not in format_all(problems)


def test_a_refused_chapters_target_is_not_read_for_the_labels_it_may_hold(
        tmp_path: Path, outside: Path) -> None:
    # A chapter that cannot be read hides the references it may answer, found by
    # reading its file; one that leads out of the content folder is no chapter, and
    # its target is never read, though it names the label.
    (outside / "labelled.md").write_text(chapter("Away", "!!! theorem {#thm-gone}\n    T.\n"))
    content = course_with(tmp_path, {"01-basics/02-away.md": outside / "labelled.md"})
    (content / "01-basics/01-intro.md").write_text(chapter("Intro", "See [](#thm-gone).\n"))
    problems = build_problems(content, tmp_path / "_site")
    assert sorted(problem.message for problem in problems) == [
        "'02-away.md' points outside the content folder", "no label 'thm-gone' in the course"]


def test_a_section_folder_linked_outside_is_an_error(tmp_path: Path, outside: Path) -> None:
    content = course_with(tmp_path, {"02-away": outside / "section"})
    course, problems = load_course(content)
    problem = only(problems)
    assert where(problem) == "content/02-away:0"
    assert problem.message == "'02-away' points outside the content folder"
    assert "folder" in problem.hint
    assert course is not None
    assert [s.slug for s in course.sections] == ["basics"]


def test_a_section_yml_linked_outside_is_an_error(tmp_path: Path, outside: Path) -> None:
    content = course_with(tmp_path, {"01-basics/_section.yml": outside / "meta.yml"})
    course, problems = load_course(content)
    problem = only(problems)
    assert where(problem) == "content/01-basics/_section.yml:0"
    assert "points outside the content folder" in problem.message
    assert course is not None
    assert course.sections[0].title == "Basics"  # the outside title was not read


def test_a_course_yml_linked_outside_is_an_error(tmp_path: Path, outside: Path) -> None:
    content = make_course(tmp_path, {"course.yml": None,
                                     "01-basics/01-intro.md": chapter("Intro")})
    (content / "course.yml").symlink_to(outside / "meta.yml")
    course, problems = load_course(content)
    problem = only(problems)
    assert where(problem) == "content/course.yml:0"
    assert problem.message == "'course.yml' points outside the content folder"
    # Not read: the course goes on with a stand-in (so `check` reports the rest).
    assert course is not None and course.info.title == ""


def test_symbolic_links_inside_the_content_folder_still_work(tmp_path: Path) -> None:
    content = make_course(tmp_path, {"01-basics/01-intro.md": chapter("Intro"),
                                     "_shared/notes.md": chapter("Shared notes"),
                                     "_shared/02-more/01-deep.md": chapter("Deep")})
    (content / "01-basics" / "02-notes.md").symlink_to(Path("..", "_shared", "notes.md"))
    (content / "02-more").symlink_to(content / "_shared" / "02-more")
    course, problems = load_course(content)
    assert problems == []
    assert course is not None
    assert [c.title for c in course.chapters] == ["Intro", "Shared notes", "Deep"]


def test_a_chapter_that_is_a_symbolic_link_loop_is_an_error_not_a_crash(tmp_path: Path) -> None:
    content = course_with(tmp_path, {"01-basics/02-loop.md": Path("02-loop.md")})
    problem = only(load_course(content)[1])
    assert where(problem) == "content/01-basics/02-loop.md:0"
    assert "cannot read the file" in problem.message
