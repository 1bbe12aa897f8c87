"""``gradsite export``: the command, the shipped course's questions all exported,
``--chapters``, and errors stopping an export as they stop a build."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from xml.etree import ElementTree

import pytest

from gradsite.cli import main
from gradsite.options import BuildOptions
from gradsite.pipeline import checked_course
from tests.coursekit import chapter, make_course
from tests.lmskit import assessments, find_all, lms_course

SHIPPED = Path(__file__).resolve().parent.parent / "content"


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, bytes]:
    folder = tmp_path_factory.mktemp("shipped")
    for kind, name in (("qti", "q.zip"), ("moodle", "m.xml")):
        assert main(["export", kind, "--content", str(SHIPPED), "--out", str(folder / name),
                     "--cache-dir", str(folder / "cache"), "--quiet"]) == 0
    return (folder / "q.zip").read_bytes(), (folder / "m.xml").read_bytes()


def expected_questions() -> dict[str, Counter[str]]:
    """By chapter ("1.2 Learning Rates"), how many exported questions each id should
    have: one, or one per variant."""
    course = checked_course(BuildOptions(content=SHIPPED, out=Path("_site"), cache_dir=None))
    expected = {}
    for one in course.chapters:
        if one.chapter.quiz:
            expected[f"{one.position} {one.chapter.title}"] = Counter({
                q.id: len(one.variants[q.id]) for q in one.chapter.quiz})
    return expected


def question_id(title: str) -> str:
    """``1.2 one-step-rate (a = 3)`` -> ``one-step-rate``."""
    return title.split(" ")[1]


def test_every_question_of_the_shipped_course_is_in_the_qti_export(
    shipped: tuple[bytes, bytes]
) -> None:
    expected = expected_questions()
    assert sum(len(ids) for ids in expected.values()) == 19
    assert sum(sum(ids.values()) for ids in expected.values()) == 50  # with the variants
    found = {title: Counter(question_id(item.get("title", ""))
                            for item in find_all(assessment, "item"))
             for title, assessment in assessments(shipped[0]).items()}
    assert found == expected


def test_every_question_of_the_shipped_course_is_in_the_moodle_export(
    shipped: tuple[bytes, bytes]
) -> None:
    found: dict[str, Counter[str]] = {}
    for question in ElementTree.fromstring(shipped[1]):
        name = question.findtext("category/text") or question.findtext("name/text") or ""
        if question.get("type") == "category":
            chapter_name = name.split("/")[3]  # $course$/top/COURSE/CHAPTER[/family]
            found.setdefault(chapter_name, Counter())
        else:
            found[chapter_name][question_id(name)] += 1
    assert found == expected_questions()


def test_no_dollar_math_is_left_in_the_shipped_course_export(
    shipped: tuple[bytes, bytes]
) -> None:
    texts = [e.text or "" for e in ElementTree.fromstring(shipped[1]).iter("text")]
    assert texts and not [t for t in texts if "$" in t and not t.startswith("$course$")]
    assert sum("\\(" in t for t in texts) > 100


def test_chapters_selects_sections_and_chapters(tmp_path: Path) -> None:
    lms_course(tmp_path)
    assert main(["export", "qti", "--chapters", "1.2", "--out", "one.zip", "-q"]) == 0
    assert list(assessments((tmp_path / "one.zip").read_bytes())) == ["1.2 Params"]
    assert main(["export", "qti", "--chapters", "2", "01.1", "--out", "two.zip", "-q"]) == 0
    assert list(assessments((tmp_path / "two.zip").read_bytes())) == [
        "1.1 Choices and \\(\\frac{1}{2}\\)", "2.1 More"]


def test_chapters_that_do_not_exist_are_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lms_course(tmp_path)
    assert main(["export", "moodle", "--chapters", "1.1", "3.1", "3"]) == 2
    err = capsys.readouterr().err
    assert "--chapters 3.1 3: no such section or chapter" in err
    assert "(the course has 1.1, 1.2, 2.1, 2.2)" in err
    assert not (tmp_path / "questions-moodle.xml").exists()
    with pytest.raises(SystemExit) as exited:
        main(["export", "moodle", "--chapters", "one"])
    assert exited.value.code == 2
    assert "'one' is not SECTION or SECTION.CHAPTER" in capsys.readouterr().err


def test_chapters_without_questions_write_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lms_course(tmp_path)
    assert main(["export", "qti", "--chapters", "2.2"]) == 1
    assert "have no questions; nothing was written" in capsys.readouterr().err
    assert not (tmp_path / "questions-qti.zip").exists()


def test_the_default_files_and_what_the_command_says(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lms_course(tmp_path)
    assert main(["export", "qti"]) == 0
    assert main(["export", "moodle"]) == 0
    out = capsys.readouterr().out
    assert "exported 6 questions (10 with their variants) from 3 chapters to " \
           "questions-qti.zip" in out
    assert (tmp_path / "questions-qti.zip").is_file()
    assert (tmp_path / "questions-moodle.xml").is_file()


BROKEN = {
    "01-a/01-b.md": chapter("B", quiz=[{"id": "q", "question": "What is $\\frac{1$?",
                                        "answer": 1}], sumary="typo"),
}


def test_errors_stop_the_export_as_they_stop_a_build(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_course(tmp_path, BROKEN)
    (tmp_path / "questions-qti.zip").write_bytes(b"an earlier export")
    assert main(["export", "qti"]) == 1
    exported = capsys.readouterr().err
    assert (tmp_path / "questions-qti.zip").read_bytes() == b"an earlier export"
    assert main(["export", "moodle"]) == 1
    assert capsys.readouterr().err == exported
    assert not (tmp_path / "questions-moodle.xml").exists()
    assert main(["build", "--out", "_site"]) == 1
    built = capsys.readouterr().err
    # The same problems, said the same way: a front matter key and a question's LaTeX.
    problems = exported.split("\nexport failed:")[0]
    assert problems == built.split("\nbuild failed:")[0]
    assert "content/01-a/01-b.md:7:1: unknown key 'sumary'" in problems
    assert "did you mean 'summary'?" in problems
    assert "content/01-a/01-b.md:5:29: invalid LaTeX" in problems
    assert "export failed: 2 error(s); nothing was written" in exported
    assert "Traceback" not in exported


def test_the_export_is_never_written_into_a_site_or_onto_a_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lms_course(tmp_path)
    assert main(["--out", "_site", "-q"]) == 0
    assert main(["export", "qti", "--out", "_site/quiz.zip"]) == 1
    assert "is a site that gradsite builds" in capsys.readouterr().err
    assert not (tmp_path / "_site/quiz.zip").exists()  # the next build may replace the site
    (tmp_path / "folder").mkdir()
    assert main(["export", "moodle", "--out", "folder"]) == 1
    assert "folder is a folder" in capsys.readouterr().err
    assert main(["export", "moodle", "--out", "missing/bank.xml"]) == 1
    assert "there is no folder missing" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".gradsite-ex")) == []


def test_drafts_are_exported_only_with_drafts(tmp_path: Path) -> None:
    quiz = [{"id": "d", "question": "Draft?", "answer": 1}]
    make_course(tmp_path, {"01-a/01-b.md": chapter("B", quiz=quiz),
                           "01-a/02-c.md": chapter("C", quiz=quiz, draft=True)})
    assert main(["export", "qti", "--out", "a.zip", "-q"]) == 0
    assert list(assessments((tmp_path / "a.zip").read_bytes())) == ["1.1 B"]
    assert main(["export", "qti", "--drafts", "--out", "b.zip", "-q"]) == 0
    assert list(assessments((tmp_path / "b.zip").read_bytes())) == ["1.1 B", "1.2 C"]
