"""The command line: exit codes, messages on stderr, and --help."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import gradsite.cli
import gradsite.output
import gradsite.pipeline
from gradsite.cli import main, make_parser
from tests.coursekit import chapter, make_course

REPO = Path(__file__).resolve().parent.parent


def test_successful_build_exits_0_and_says_what_it_built(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    quiz = [{"question": "Two plus two?", "answer": 4}]  # no warning: a chapter has questions
    content = make_course(tmp_path, {"01-a/01-b.md": chapter("B", quiz=quiz),
                                     "01-a/02-c.md": chapter("C", quiz=quiz)})
    code = main(["--content", str(content), "--out", str(tmp_path / "_site")])
    captured = capsys.readouterr()
    assert code == 0
    assert "built 2 chapters" in captured.out
    assert captured.err == ""
    assert (tmp_path / "_site/a/b.html").is_file()


def test_defaults_read_content_and_write_site_in_the_working_folder(tmp_path: Path) -> None:
    make_course(tmp_path, {"01-a/01-b.md": chapter("B")})
    assert main(["--quiet"]) == 0  # the working folder is tmp_path (conftest)
    assert (tmp_path / "_site/index.html").is_file()


def test_content_errors_exit_1_with_path_and_line_and_no_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_course(tmp_path, {
        "course.yml": "title: T\ntitel: X\n",
        "01-a/01-b.md": "---\ntitle: B\nsumary: S\n---\nBody.\n",
    })
    code = main(["--content", "content", "--out", "_site"])
    captured = capsys.readouterr()
    assert code == 1
    assert "content/course.yml:2:" in captured.err
    assert "content/01-a/01-b.md:3:" in captured.err
    assert "did you mean 'summary'?" in captured.err
    assert "sumary: S" in captured.err  # the offending source line is quoted
    assert "2 error(s)" in captured.err
    assert "Traceback" not in captured.err + captured.out
    assert not (tmp_path / "_site").exists()
    assert "2 error(s); no site was written" in captured.err  # there was none before


def test_a_failed_build_says_the_previous_site_is_as_it_was(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content = make_course(tmp_path, {"01-a/01-b.md": chapter("B")})
    assert main(["--content", str(content), "--out", "_site", "--quiet"]) == 0
    (content / "01-a/01-b.md").write_text("---\ntitel: B\n---\n")
    capsys.readouterr()
    assert main(["--content", str(content), "--out", "_site"]) == 1
    assert "; the previous site was left as it was" in capsys.readouterr().err


def test_drafts_flag_includes_draft_chapters(tmp_path: Path) -> None:
    make_course(tmp_path, {"01-a/01-b.md": chapter("B"),
                           "01-a/02-wip.md": chapter("WIP", draft=True)})
    assert main(["--quiet"]) == 0
    assert not (tmp_path / "_site/a/wip.html").exists()
    assert main(["--quiet", "--drafts"]) == 0
    assert (tmp_path / "_site/a/wip.html").is_file()


def test_a_draft_built_with_drafts_is_marked_and_kept_from_search_engines(
        tmp_path: Path) -> None:
    # A preview build is easy to deploy by mistake: it says what is a draft.
    make_course(tmp_path, {"course.yml": "title: T\nbase_url: https://example.org/c/\n",
                           "01-a/01-b.md": chapter("B"),
                           "01-a/02-wip.md": chapter("WIP", draft=True)})
    assert main(["--quiet", "--drafts"]) == 0
    wip = (tmp_path / "_site/a/wip.html").read_text()
    final = (tmp_path / "_site/a/b.html").read_text()
    assert '<span class="draft-badge">Draft</span>' in wip
    assert '<meta name="robots" content="noindex">' in wip
    assert "draft-badge" not in final and "noindex" not in final
    sitemap = (tmp_path / "_site/sitemap.xml").read_text()
    assert "a/b.html" in sitemap and "a/wip.html" not in sitemap


def test_a_crash_inside_gradsite_exits_3_and_asks_for_a_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(options: object, cancel: object = None, **kwargs: object) -> None:
        raise RuntimeError("internal failure")

    monkeypatch.setattr(gradsite.pipeline, "build", broken)
    assert main(["--quiet"]) == 3
    err = capsys.readouterr().err
    assert "Traceback" in err and "RuntimeError: internal failure" in err
    assert "bug in gradsite" in err


def test_unknown_flag_is_a_usage_error_with_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--no-such-flag"])
    assert exited.value.code == 2
    assert "--no-such-flag" in capsys.readouterr().err


def test_help_mentions_every_flag(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--help"])
    assert exited.value.code == 0
    text = capsys.readouterr().out
    flags = {flag for action in make_parser()._actions for flag in action.option_strings}
    assert {"--content", "--out", "--drafts", "--no-cache", "--help", "--version"} <= flags
    for flag in flags:
        assert flag in text, flag
    assert "Exit status" in text


def test_build_py_help_works_from_the_repository_root() -> None:
    result = subprocess.run([sys.executable, "build.py", "--help"], cwd=REPO,
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert "--content" in result.stdout and "--out" in result.stdout
    assert "Traceback" not in result.stderr


def test_an_unchanged_course_is_not_built_again(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    make_course(tmp_path, {"01-a/01-b.md": chapter("B")})
    assert main([]) == 0
    capsys.readouterr()
    before = (tmp_path / "_site/a/b.html").stat().st_mtime_ns

    def must_not_build(options: object, cancel: object = None, **kwargs: object) -> None:
        raise AssertionError("the builder ran for an unchanged course")

    monkeypatch.setattr(gradsite.pipeline, "build", must_not_build)
    assert main([]) == 0
    assert "up to date" in capsys.readouterr().out
    assert (tmp_path / "_site/a/b.html").stat().st_mtime_ns == before


def test_an_edited_course_or_a_touched_site_is_built_again(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content = make_course(tmp_path, {"01-a/01-b.md": chapter("B")})
    assert main([]) == 0
    page = tmp_path / "_site/a/b.html"
    original = page.read_bytes()
    page.write_text("vandalised")  # the site no longer matches its manifest
    assert main([]) == 0
    assert "built 1 chapters" in capsys.readouterr().out
    assert page.read_bytes() == original
    (content / "01-a/01-b.md").write_text(chapter("B, revised"))
    assert main([]) == 0
    assert "B, revised" in page.read_text()


def test_no_cache_always_builds(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_course(tmp_path, {"01-a/01-b.md": chapter("B")})
    assert main([]) == 0
    assert main(["--no-cache"]) == 0
    assert capsys.readouterr().out.count("built 1 chapters") == 2


def test_build_is_the_default_command_and_can_be_named(tmp_path: Path) -> None:
    make_course(tmp_path, {"01-a/01-b.md": chapter("B")})
    assert main(["build", "--quiet", "--out", "named"]) == 0
    assert (tmp_path / "named/a/b.html").is_file()
    assert main(["--quiet", "--out", "default"]) == 0
    assert (tmp_path / "default/a/b.html").is_file()


def test_an_unknown_command_is_a_usage_error_with_a_suggestion(
    capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["serv"])
    assert exited.value.code == 2
    assert "unknown command 'serv'; did you mean 'serve'?" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["build", "serve", "check", "new", "export"])
def test_every_command_has_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main([command, "--help"])
    assert exited.value.code == 0
    text = capsys.readouterr().out
    assert f"usage: gradsite {command}" in text
    assert "Exit status" in text


def test_top_level_help_lists_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    text = capsys.readouterr().out
    for words in ("build", "serve", "check", "new section TITLE", "new chapter SECTION TITLE",
                  "export {qti,moodle}"):
        assert f"\n  {words} " in text, words


def test_verbose_prints_each_chapter_and_each_stage(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_course(tmp_path, {"01-a/01-b.md": chapter("B", "```{python}\nprint(1)\n```\n")})
    assert main(["--verbose", "--jobs", "1"]) == 0
    out = capsys.readouterr().out
    assert "content/01-a/01-b.md: 1 cell, 0 plots, 0 questions, 0 figures" in out
    for stage in ("load", "check", "resolve", "execute and render", "warnings",
                  "figures and notebooks", "pages", "write"):
        assert re.search(rf"^  {stage} +\d+\.\d{{3}} s$", out, re.MULTILINE), stage
    with pytest.raises(SystemExit) as exited:
        main(["--verbose", "--quiet"])
    assert exited.value.code == 2


def test_errors_are_coloured_on_request_and_never_with_no_color(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    make_course(tmp_path, {"01-a/01-b.md": "---\ntitle: B\nsumary: S\n---\n"})
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert main([]) == 1
    err = capsys.readouterr().err
    assert "\033[1;31merror:\033[0m" in err and "content/01-a/01-b.md:3:1:" in err
    monkeypatch.setenv("NO_COLOR", "1")
    assert main([]) == 1
    err = capsys.readouterr().err
    assert "\033[" not in err
    assert "content/01-a/01-b.md:3:1: unknown key 'sumary' in front matter" in err


def test_the_command_exits_with_mains_code_and_skips_the_last_garbage_collection(
    tmp_path: Path,
) -> None:
    # cli.entry (build.py, the gradsite command) freezes the collector before exit:
    # Python's last collection would visit every object a build made. An object in
    # a reference cycle that lives until exit is therefore not finalized then; the
    # command's output and exit code are intact.
    content = make_course(tmp_path, {"01-a/01-b.md": chapter("B")})
    script = (
        "import os, sys\n"
        "class Cycle:\n"
        "    def __del__(self):\n"
        "        os.write(2, b'finalized at exit')\n"
        "kept = Cycle()  # until the interpreter clears this module, on its way out\n"
        "kept.itself = kept\n"
        f"sys.argv = ['gradsite', 'check', '--content', {str(content)!r}]\n"
        "from gradsite.cli import entry\n"
        "entry()\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"checked {content}")
    assert "finalized at exit" not in done.stderr


# --- output and cache folders that cannot be made -------------------------------------


def _course_with_a_marker_cell(tmp_path: Path) -> Path:
    """A course whose one cell leaves ran.txt behind if it runs."""
    marker = tmp_path / "ran.txt"
    cell = f"```{{python}}\nopen({str(marker)!r}, 'w').write('ran')\n```\n"
    return make_course(tmp_path, {"01-a/01-b.md": chapter("B", cell)})


def test_an_output_folder_under_a_file_is_an_error_before_any_cell_runs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _course_with_a_marker_cell(tmp_path)
    (tmp_path / "afile").write_text("a file")
    code = main(["--content", "content", "--out", "afile/sub", "--cache-dir", "cache"])
    err = capsys.readouterr().err
    assert code == 1
    assert ("afile/sub: the output folder cannot be created: 'afile' is a file, not a folder"
            in err)
    assert "--out" in err
    assert "Traceback" not in err
    assert not (tmp_path / "ran.txt").exists()
    assert (tmp_path / "afile").read_text() == "a file"


def test_an_output_folder_where_nothing_can_be_written_is_an_error_before_any_cell_runs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A read-only parent (chmod has no effect for root, so the failure is simulated
    # where gradsite tries to make a folder in it).
    _course_with_a_marker_cell(tmp_path)
    (tmp_path / "locked").mkdir()
    real_mkdtemp = gradsite.output.tempfile.mkdtemp

    def refuse(*args: object, **kwargs: object) -> str:
        folder = Path(str(kwargs.get("dir")))
        if folder.resolve() == (tmp_path / "locked").resolve():
            raise PermissionError(13, "Permission denied", str(folder))
        return real_mkdtemp(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(gradsite.output.tempfile, "mkdtemp", refuse)
    code = main(["--content", "content", "--out", "locked/site/deeper", "--cache-dir", "cache"])
    err = capsys.readouterr().err
    assert code == 1
    assert "locked/site/deeper: the output folder cannot be created: cannot write in " in err
    assert "Permission denied" in err
    assert "Traceback" not in err
    assert not (tmp_path / "ran.txt").exists()


@pytest.mark.parametrize("cache", ["afile", "afile/sub"])
def test_a_cache_folder_that_is_or_lies_under_a_file_is_an_error_in_build_and_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], cache: str
) -> None:
    _course_with_a_marker_cell(tmp_path)
    (tmp_path / "afile").write_text("a file")
    for command in (["build", "--out", "_site"], ["check"]):
        code = main([*command, "--content", "content", "--cache-dir", cache])
        err = capsys.readouterr().err
        assert code == 1, command
        reason = ("is a file, not a folder" if cache == "afile"
                  else "cannot be created: 'afile' is a file, not a folder")
        assert f"{cache}: the cache folder {reason}" in err
        assert "--cache-dir" in err
        assert "Traceback" not in err
    assert not (tmp_path / "ran.txt").exists()
    assert (tmp_path / "afile").read_text() == "a file"
