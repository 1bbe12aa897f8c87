"""``gradsite new course DIR``: a course that builds at once, with no warning, in a new
or empty folder only; its requirements line, workflow, .gitignore and README."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from gradsite.cli import EXIT_USAGE, main
from gradsite.scaffold import checkout_requirement, new_course

REPO = Path(__file__).resolve().parent.parent
URL = "https://github.com/someone/gradsite"


def test_a_new_course_builds_at_once_with_no_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["new", "course", "optimization-basics"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("created optimization-basics")
    assert "cd optimization-basics" in out and "gradsite serve" in out
    folder = tmp_path / "optimization-basics"
    assert yaml.safe_load((folder / "content/course.yml").read_text())["title"] == \
        "Optimization basics"

    # What the installed command does in the course's folder: ./content into ./_site.
    monkeypatch.chdir(folder)
    assert main(["--strict", "--jobs", "1"]) == 0
    captured = capsys.readouterr()
    assert "warning" not in captured.err and "warning" not in captured.out
    page = (folder / "_site/getting-started/a-first-chapter.html").read_text()
    assert 'class="function-card"' in page  # the declared function
    assert page.count('<figure class="figure') >= 3  # the plot, the explorer, the cell's
    assert "data-explore=" in page
    assert "after 20 steps: f = " in page  # the cell's printed output
    assert page.count('<form class="question"') == 2
    assert 'class="hint"' in page
    assert "(1.1.1)" in page  # a numbered equation, referred to


def test_it_refuses_a_folder_that_is_not_empty(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "notes.txt").write_text("mine")
    assert main(["new", "course", str(taken)]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "the folder is not empty" in err and "nothing is ever overwritten" in err
    assert sorted(p.name for p in taken.iterdir()) == ["notes.txt"]

    hidden = tmp_path / "hidden"
    hidden.mkdir()
    (hidden / ".git").mkdir()  # a hidden entry counts too
    assert main(["new", "course", str(hidden)]) == EXIT_USAGE

    a_file = tmp_path / "file"
    a_file.write_text("x")
    assert main(["new", "course", str(a_file)]) == EXIT_USAGE
    assert "is a file, not a folder" in capsys.readouterr().err


def test_an_empty_folder_is_fine_and_the_title_can_be_given(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    made, problems = new_course(empty, title="Newton's Method: a course", requirement=URL)
    assert problems == [] and made == empty
    assert yaml.safe_load((empty / "content/course.yml").read_text())["title"] == \
        "Newton's Method: a course"
    assert (empty / "README.md").read_text().startswith("# Newton's Method: a course\n")


def test_requirements_name_the_gradsite_to_install(tmp_path: Path) -> None:
    new_course(tmp_path / "known", requirement=f"{URL}@0123abc")
    lines = _active_lines(tmp_path / "known/requirements.txt")
    assert lines == [f"gradsite @ git+{URL}@0123abc"]
    assert _workflow_guard_passes(tmp_path / "known/requirements.txt")

    # Unknown: a commented example, and the workflow stops with a message saying so.
    new_course(tmp_path / "unknown", requirement="")
    assert _active_lines(tmp_path / "unknown/requirements.txt") == []
    assert not _workflow_guard_passes(tmp_path / "unknown/requirements.txt")


def test_the_requirement_comes_from_the_checkout_of_gradsite(tmp_path: Path) -> None:
    repo = tmp_path / "gradsite"
    repo.mkdir()

    def git(*words: str) -> str:
        return subprocess.run(["git", "-C", str(repo), *words], check=True, text=True,
                              capture_output=True).stdout.strip()

    git("init", "-q")
    (repo / "a").write_text("a")
    git("add", "a")
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "a")
    assert checkout_requirement(repo) == ""  # no origin
    git("remote", "add", "origin", "git@github.com:someone/gradsite.git")
    # The commit is on no remote branch: an install at it would fail, so none is named.
    assert checkout_requirement(repo) == "https://github.com/someone/gradsite.git"
    commit = git("rev-parse", "HEAD")
    git("update-ref", "refs/remotes/origin/main", commit)
    assert checkout_requirement(repo) == f"https://github.com/someone/gradsite.git@{commit}"
    git("remote", "set-url", "origin", "/some/local/path")
    assert checkout_requirement(repo) == ""


def test_the_workflow_publishes_as_the_repository_s_own_does(tmp_path: Path) -> None:
    new_course(tmp_path / "c", requirement=URL)
    ours = yaml.safe_load((tmp_path / "c/.github/workflows/pages.yml").read_text())
    repos = yaml.safe_load((REPO / ".github/workflows/pages.yml").read_text())
    assert _actions(ours) == _actions(repos)
    assert ours["permissions"] == repos["permissions"]
    steps = {step.get("name"): step for step in ours["jobs"]["build"]["steps"]}
    assert "-r requirements.txt" in steps["Install gradsite"]["run"]
    assert steps["Build the site"]["run"] == "gradsite"
    ignored = (tmp_path / "c/.gitignore").read_text().split("\n")
    assert "_site/" in ignored and ".gradsite-cache/" in ignored
    readme = (tmp_path / "c/README.md").read_text()
    assert "gradsite serve" in readme and "\ngradsite         # build" in readme


def test_the_workflows_keep_the_cache_only_for_the_same_environment(tmp_path: Path) -> None:
    new_course(tmp_path / "c", requirement=URL)
    for workflow in (tmp_path / "c/.github/workflows/pages.yml",
                     REPO / ".github/workflows/pages.yml"):
        steps = yaml.safe_load(workflow.read_text())["jobs"]["build"]["steps"]
        names = [step.get("name") or step["uses"] for step in steps]
        kept = next(step for step in steps if step.get("uses", "").startswith("actions/cache@"))
        # Restored before the build, described after the install (pip freeze).
        assert names.index("Install gradsite") < names.index("Describe the build environment") \
            < names.index(kept["uses"]) < names.index("Build the site")
        assert kept["with"]["path"] == ".gradsite-cache"
        environment = "${{ steps.environment.outputs.key }}-"
        # A restore may only come from a run with the same system, Python and packages;
        # the exact key adds the content, so a run with new content saves a new entry.
        assert kept["with"]["restore-keys"] == environment
        assert kept["with"]["key"] == environment + "${{ hashFiles('content/**') }}"


def test_the_workflow_describes_its_environment(tmp_path: Path) -> None:
    # The step's script, run here with this interpreter and its pip first on PATH.
    steps = yaml.safe_load((REPO / ".github/workflows/pages.yml").read_text())["jobs"]["build"]
    script = next(s for s in steps["steps"] if s.get("id") == "environment")["run"]
    outputs = tmp_path / "outputs"
    path = f"{Path(sys.executable).parent}:{os.environ['PATH']}"

    def describe(image: str) -> str:
        outputs.write_text("")
        subprocess.run(["bash", "-e", "-c", script], check=True, timeout=120, env={
            **os.environ, "PATH": path, "GITHUB_OUTPUT": str(outputs), "ImageOS": image,
            "RUNNER_OS": "Linux"})
        return outputs.read_text()

    said = describe("ubuntu24")
    assert re.fullmatch(r"key=gradsite-Linux-[0-9a-f]{16}\n", said)
    assert describe("ubuntu22") != said


def _active_lines(path: Path) -> list[str]:
    return [line for line in path.read_text().split("\n")
            if line.strip() and not line.startswith("#")]


def _workflow_guard_passes(requirements: Path) -> bool:
    """The workflow's check, `grep -Eq '^[^#]*gradsite' requirements.txt`."""
    return any(re.match(r"^[^#]*gradsite", line)
               for line in requirements.read_text().split("\n"))


def _actions(workflow: dict) -> list[str]:
    return [step["uses"] for job in workflow["jobs"].values() for step in job["steps"]
            if "uses" in step]
