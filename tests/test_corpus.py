"""The bad-input corpus: small broken courses, one defect each, built with the real CLI.

Each folder of ``tests/corpus/`` holds a complete tiny course (``content/``)
with exactly one mistake, and ``expect.yml``:

``defect``
    what is wrong, in words (documentation only);
``exit``
    the exit status (1: the course has errors);
``where``
    ``path:line`` relative to the case folder, where the error must be reported
    (a list: any one of them);
``phrase``
    text the error's message must contain (a list: all of them);
``hint``
    optional: text the error's ``hint:`` line must contain;
``errors``
    optional: how many errors the build reports (default 1: one defect, one
    error, no follow-on noise);
``symlinks``
    optional: ``link: target`` pairs the test creates before the build (a
    repository should not hold symlinks that point outside itself).

For every case the test copies the folder to a temporary one, puts a previously
built site in ``_site``, runs ``build.py`` from the case folder (so messages read
``content/...``) and checks the exit status, that an error block starts with
``where`` and carries the phrase and hint, that no traceback is printed, and that
``_site`` is byte-identical afterwards.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
BUILD = REPO / "build.py"
CORPUS = Path(__file__).resolve().parent / "corpus"
CASES = sorted(p for p in CORPUS.iterdir() if (p / "expect.yml").is_file())
EXPECT_KEYS = {"defect", "exit", "where", "phrase", "hint", "errors", "symlinks"}
CHAPTER = "content/01-basics/01-intro.md"  # the chapter most cases break

VALID_COURSE = {
    "course.yml": "title: A Previous Course\ndescription: Built before the broken one.\n",
    "01-start/01-welcome.md": "---\ntitle: Welcome\n---\n\nSome text with $x^2$.\n\n"
                              "![A picture](img/dot.svg)\n",
    "01-start/img/dot.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4">'
                            '<circle cx="2" cy="2" r="2"/></svg>\n',
}


# --- running the command line ----------------------------------------------------------


def run_build(folder: Path) -> subprocess.CompletedProcess[str]:
    """``python build.py`` on ``folder/content`` into ``folder/_site``, from ``folder``."""
    return subprocess.run(
        [sys.executable, str(BUILD), "--content", "content", "--out", "_site",
         "--cache-dir", "cache", "--quiet"],
        cwd=folder, capture_output=True, text=True, encoding="utf-8", errors="replace",
        timeout=120, check=False,
    )


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every file (bytes) and folder (None) under ``folder``, by relative path."""
    found: dict[str, bytes | None] = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        found[rel] = None if path.is_dir() else path.read_bytes()
    return found


@pytest.fixture(scope="session")
def previous_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site built by gradsite from a valid course: what a failed build must leave alone."""
    folder = tmp_path_factory.mktemp("previous")
    for rel, text in VALID_COURSE.items():
        path = folder / "content" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    result = run_build(folder)
    assert result.returncode == 0, result.stderr
    site = folder / "_site"
    assert (site / ".gradsite-site").is_file() and (site / "index.html").is_file()
    return site


# --- reading the messages ----------------------------------------------------------------


@dataclass(frozen=True)
class Reported:
    """One diagnostic as printed: its first line and the indented lines under it."""

    header: str
    lines: tuple[str, ...]

    @property
    def text(self) -> str:
        return "\n".join((self.header, *self.lines))

    @property
    def hints(self) -> list[str]:
        return [line.strip()[5:].strip() for line in self.lines
                if line.strip().startswith("hint:")]


def reported(stderr: str) -> list[Reported]:
    """The diagnostics of a failed build's stderr (blocks: a header, then indented lines)."""
    blocks: list[Reported] = []
    # At newlines only: a source line shown may hold a LINE SEPARATOR (U+2028).
    for line in stderr.split("\n"):
        if line.startswith("    ") and blocks:
            header, lines = blocks[-1].header, blocks[-1].lines
            blocks[-1] = Reported(header, (*lines, line))
        elif line.strip():
            blocks.append(Reported(line, ()))
    return blocks


def at(block: Reported, where: str) -> bool:
    """The block's header starts with ``where`` (``path`` or ``path:line``) and a colon."""
    return block.header.startswith(where + ":")


def as_list(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def find_problem(
    blocks: list[Reported], wheres: list[str], phrases: list[str], hint: str | None
) -> Reported | None:
    """The first block at one of ``wheres`` with every phrase (and the hint)."""
    for block in blocks:
        if not any(at(block, where) for where in wheres):
            continue
        if not all(phrase in block.text for phrase in phrases):
            continue
        if hint is not None and not any(hint in h for h in block.hints):
            continue
        return block
    return None


def load_expect(case: Path) -> dict[str, Any]:
    expect = yaml.safe_load((case / "expect.yml").read_text(encoding="utf-8"))
    assert isinstance(expect, dict), f"{case.name}/expect.yml is not a mapping"
    return expect


# --- the corpus itself --------------------------------------------------------------------


def test_the_corpus_is_well_formed() -> None:
    """Every case has a content folder and a valid expect.yml; the corpus covers enough."""
    assert len(CASES) >= 30
    names = [case.name for case in CASES]
    numbers = [name.split("-", 1)[0] for name in names]
    assert len(set(numbers)) == len(numbers), "two cases share a number"
    for case in CASES:
        expect = load_expect(case)
        assert set(expect) <= EXPECT_KEYS, f"{case.name}: unknown keys {set(expect) - EXPECT_KEYS}"
        assert {"defect", "exit", "where", "phrase"} <= set(expect), case.name
        assert (case / "content").is_dir(), case.name
        for where in as_list(expect["where"]):
            path, _, line = where.partition(":")
            assert path.startswith("content"), f"{case.name}: {where}"
            if line:  # a line of a file that exists (the symlink case's link is made later)
                assert int(line) >= 1
                if path not in expect.get("symlinks", {}):
                    lines = (case / path).read_bytes().split(b"\n")
                    assert int(line) <= len(lines), f"{case.name}: {where} is past the end"


# --- one test per broken course ----------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_a_broken_course_fails_with_a_helpful_message(
    case: Path, tmp_path: Path, previous_site: Path
) -> None:
    expect = load_expect(case)
    folder = tmp_path / case.name
    shutil.copytree(case, folder)
    (folder / "expect.yml").unlink()
    for link, target in expect.get("symlinks", {}).items():
        (folder / link).parent.mkdir(parents=True, exist_ok=True)
        (folder / link).symlink_to(target)
        assert (folder / link).resolve().is_file(), f"{link} -> {target} points nowhere"
    shutil.copytree(previous_site, folder / "_site", symlinks=True)
    before = snapshot(folder / "_site")
    beside_before = sorted(p.name for p in folder.iterdir())

    result = run_build(folder)
    output = result.stdout + result.stderr
    shown = f"\n--- stdout ---\n{result.stdout}\n--- stderr ---\n{result.stderr}"

    assert "Traceback" not in output, shown
    assert result.returncode == expect["exit"], shown
    wheres, phrases = as_list(expect["where"]), as_list(expect["phrase"])
    hint = expect.get("hint")
    blocks = reported(result.stderr)
    assert any(at(b, w) for b in blocks for w in wheres), (
        f"no error at {' or '.join(wheres)}" + shown)
    problem = find_problem(blocks, wheres, phrases, None)
    assert problem is not None, f"the error at {' or '.join(wheres)} lacks {phrases}" + shown
    if hint is not None:
        assert find_problem(blocks, wheres, phrases, hint) is not None, (
            f"the error at {' or '.join(wheres)} lacks the hint {hint!r}" + shown)
    errors = expect.get("errors", 1)
    assert f"build failed: {errors} error(s)" in result.stderr, shown
    assert snapshot(folder / "_site") == before, "the previous site was changed" + shown
    beside = sorted(p.name for p in folder.iterdir() if p.name != "cache")
    assert beside == sorted(n for n in beside_before if n != "cache"), (
        "the build left files beside the site" + shown)


# --- many defects at once -----------------------------------------------------------------


def combine(folder: Path, parts: list[tuple[str, str, str]]) -> list[tuple[list[str], list[str]]]:
    """A course from files of several cases: ``(case, file in the case, file in the
    course)``; returns each case's expected ``(wheres, phrases)`` for its new file."""
    expected = []
    for case_name, source, target in parts:
        case = CORPUS / case_name
        destination = folder / target
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(case / source, destination)
        expect = load_expect(case)
        wheres = [target + w[len(source):] for w in as_list(expect["where"])
                  if w.partition(":")[0] == source]
        if wheres:  # else a valid file of the case, such as its course.yml
            expected.append((wheres, as_list(expect["phrase"])))
    return expected


def case_named(suffix: str) -> str:
    matches = [c.name for c in CASES if c.name.split("-", 1)[1] == suffix]
    assert len(matches) == 1, suffix
    return matches[0]


MANY_DEFECTS = {
    # Found while loading: the YAML of course.yml, _section.yml and chapters.
    "load": [
        ("course-yml-unknown-key", "content/course.yml", "content/course.yml"),
        ("section-yml-unknown-key", "content/01-basics/_section.yml",
         "content/01-basics/_section.yml"),
        ("chapter-unknown-key", CHAPTER, CHAPTER),
        ("quiz-no-correct-choice", CHAPTER, "content/01-basics/02-quiz.md"),
        ("function-domain-reversed", CHAPTER, "content/02-functions/01-domain.md"),
        ("chapter-not-utf8", CHAPTER, "content/02-functions/02-latin1.md"),
    ],
    # Found while checking the loaded chapters: expressions, blocks, links, math.
    "check": [
        ("function-numpy-attribute", "content/course.yml", "content/course.yml"),
        ("function-numpy-attribute", CHAPTER, CHAPTER),
        ("plot-unknown-key", CHAPTER, "content/01-basics/02-plot.md"),
        ("cell-unknown-option", CHAPTER, "content/01-basics/03-cell.md"),
        ("link-missing-image", CHAPTER, "content/02-more/01-image.md"),
        ("math-unclosed-display", CHAPTER, "content/02-more/02-math.md"),
        ("quiz-answer-bad-index", CHAPTER, "content/02-more/03-answer.md"),
    ],
}


@pytest.mark.parametrize("stage", sorted(MANY_DEFECTS))
def test_a_course_with_many_defects_reports_them_all_in_one_run(
    stage: str, tmp_path: Path, previous_site: Path
) -> None:
    parts = [(case_named(name), source, target) for name, source, target in MANY_DEFECTS[stage]]
    expected = combine(tmp_path, parts)
    shutil.copytree(previous_site, tmp_path / "_site", symlinks=True)
    before = snapshot(tmp_path / "_site")

    result = run_build(tmp_path)
    shown = f"\n--- stderr ---\n{result.stderr}"
    assert result.returncode == 1, shown
    assert "Traceback" not in result.stdout + result.stderr, shown
    blocks = reported(result.stderr)
    for wheres, phrases in expected:
        assert find_problem(blocks, wheres, phrases, None) is not None, (
            f"missing: {' or '.join(wheres)}: {phrases}" + shown)
    assert f"build failed: {len(expected)} error(s)" in result.stderr, shown
    assert snapshot(tmp_path / "_site") == before, "the previous site was changed" + shown
