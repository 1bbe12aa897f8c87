"""The writer's guarantees (output.py): checked paths, atomic swap, determinism."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

import gradsite.output
from gradsite.diagnostics import BuildFailed
from gradsite.model import OutputFile, RememberedFile
from gradsite.output import (
    MARKER,
    MARKER_TEXT,
    Survey,
    check_output_folder,
    clean_stale,
    plan_paths,
    read_manifest,
    site_is_current,
    survey_folder,
    write_site,
)
from gradsite.pipeline import BuildOptions, build
from tests.coursekit import (
    build_problems,
    build_site,
    chapter,
    make_course,
    only,
    read_tree,
    stamped_apart,
)

REPO = Path(__file__).resolve().parent.parent

COURSE = {
    "course.yml": "title: Determinism\nbase_url: https://example.org/course/\n",
    "01-basics/_section.yml": "title: Basics\n",
    "01-basics/01-intro.md": chapter(
        "Intro",
        "## Derivatives $f'(x)$\n\nWe have $\\mathbb{R}^n$ and\n\n$$\n\\nabla f = 0\n$$\n\n"
        "```python\nx = 1\n```\n\n![plot](img/p.png)\n\n[next](02-next.md)\n",
        summary="The start.",
    ),
    "01-basics/img/p.png": b"\x89PNG\r\n\x1a\nimage",
    "01-basics/02-next.md": chapter("Next", "| a | b |\n|---|---|\n| 1 | 2 |\n"),
    "02-more/01-end.md": chapter("End", "Fin.[^1]\n\n[^1]: Note.\n"),
}


def leftovers(folder: Path) -> list[str]:
    """Temporary folders of the writer left beside the output."""
    return sorted(p.name for p in folder.iterdir()
                  if p.name.startswith((".gradsite-tmp-", ".gradsite-old-")))


# --- plan_paths ------------------------------------------------------------------


@pytest.mark.parametrize("path", ["../x.html", "a/../../x.html", "/etc/x.html", MARKER, ""])
def test_plan_paths_rejects_paths_outside_the_folder(path: str) -> None:
    with pytest.raises(BuildFailed) as failed:
        plan_paths([OutputFile(path, b"x")])
    assert "outside the output folder" in failed.value.diagnostics[0].message


def test_plan_paths_rejects_two_files_on_one_path() -> None:
    with pytest.raises(BuildFailed) as failed:
        plan_paths([OutputFile("a/b.html", b"1"), OutputFile("a/b.html", b"2")])
    problem = failed.value.diagnostics[0]
    assert problem.location.path == "a/b.html"
    assert "same path" in problem.message


def test_plan_paths_accepts_nested_relative_paths() -> None:
    planned = plan_paths([OutputFile("index.html", b"1"), OutputFile("a/b/c.css", b"2")])
    assert sorted(planned) == ["a/b/c.css", "index.html"]


# --- write_site ------------------------------------------------------------------


def test_write_site_writes_files_and_the_marker(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    write_site([OutputFile("index.html", b"home"), OutputFile("a/b.txt", b"b")], out)
    assert read_tree(out) == {
        MARKER: (out / MARKER).read_bytes(),
        "a/b.txt": b"b",
        "index.html": b"home",
    }
    assert (out / MARKER).read_text().startswith("This folder is made by gradsite")
    assert leftovers(tmp_path) == []


def test_write_site_replaces_the_previous_site_completely(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    write_site([OutputFile("old.html", b"old"), OutputFile("keep.html", b"1")], out)
    write_site([OutputFile("keep.html", b"2")], out)
    assert read_tree(out) == {MARKER: (out / MARKER).read_bytes(), "keep.html": b"2"}
    assert leftovers(tmp_path) == []


def test_unchanged_files_are_linked_from_the_previous_site(tmp_path: Path) -> None:
    # A rebuild after a prose edit would otherwise write tens of MB of figures again.
    out = tmp_path / "_site"
    write_site([OutputFile("fig.svg", b"<svg/>"), OutputFile("page.html", b"v1")], out)
    figure = (out / "fig.svg").stat().st_ino
    write_site([OutputFile("fig.svg", b"<svg/>"), OutputFile("page.html", b"v2")], out)
    assert read_tree(out) == {MARKER: (out / MARKER).read_bytes(), "fig.svg": b"<svg/>",
                              "page.html": b"v2"}
    assert (out / "fig.svg").stat().st_ino == figure
    assert (out / "fig.svg").stat().st_nlink == 1  # the old site's name is gone
    assert leftovers(tmp_path) == []


def test_a_remembered_file_is_linked_unmade_or_made_when_the_site_lacks_it(
        tmp_path: Path) -> None:
    out = tmp_path / "_site"
    write_site([OutputFile("nb.ipynb", b"notebook"), OutputFile("other.ipynb", b"other")], out)
    linked = (out / "nb.ipynb").stat().st_ino
    asked: list[str] = []

    def remembered(path: str, data: bytes) -> RememberedFile:
        def make() -> bytes:
            asked.append(path)
            return data
        return RememberedFile(path, hashlib.sha256(data).hexdigest(), len(data), make)

    (out / "other.ipynb").write_bytes(b"OTHER")  # changed in the site since its build
    write_site([remembered("nb.ipynb", b"notebook"), remembered("other.ipynb", b"other"),
                remembered("new.ipynb", b"new")], out)
    assert asked == ["other.ipynb", "new.ipynb"]
    assert (out / "nb.ipynb").stat().st_ino == linked
    assert read_tree(out) == {MARKER: (out / MARKER).read_bytes(), "nb.ipynb": b"notebook",
                              "other.ipynb": b"other", "new.ipynb": b"new"}
    assert read_manifest(out).files == {  # type: ignore[union-attr]
        name: hashlib.sha256(data).hexdigest()
        for name, data in (("nb.ipynb", b"notebook"), ("other.ipynb", b"other"),
                           ("new.ipynb", b"new"))}


def test_files_linked_into_the_new_site_are_not_read_again_before_the_swap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Linking moves a file's change time; the survey before the swap knows why.
    out = tmp_path / "_site"
    files = [OutputFile(f"fig-{n}.svg", f"<svg>{n}</svg>".encode()) for n in range(3)]
    write_site(files, out)
    stamped_apart(out)
    read: list[str] = []
    real_sha256 = gradsite.output._sha256

    def counting(path: str) -> str:
        read.append(Path(path).name)
        return real_sha256(path)

    monkeypatch.setattr(gradsite.output, "_sha256", counting)
    write_site(files, out)
    assert read == []
    # A linked file edited since it was linked is read again, and found changed.
    manifest = read_manifest(out)
    assert manifest is not None
    when_linked = {f.path: (out / f.path).stat().st_ctime_ns for f in files}
    assert survey_folder(out, manifest, when_linked) == Survey() and read == []
    figure = out / "fig-1.svg"
    time.sleep(0.05)  # a clock's tick: the edit gets a change time of its own
    figure.write_bytes(b"<svg>X</svg>")
    assert survey_folder(out, manifest, when_linked) == Survey(changed=("fig-1.svg",))
    assert read == ["fig-1.svg"]


def test_a_file_touched_since_the_last_build_is_written_not_linked(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    write_site([OutputFile("fig.svg", b"<svg/>")], out)
    (out / "fig.svg").write_bytes(b"<XXX/>")  # same size, new bytes
    write_site([OutputFile("fig.svg", b"<svg/>")], out)
    assert (out / "fig.svg").read_bytes() == b"<svg/>"


def test_an_edit_that_kept_the_files_time_and_size_is_not_linked(tmp_path: Path) -> None:
    # cp -p or a restore from a backup keeps the time: the bytes decide.
    out = tmp_path / "_site"
    write_site([OutputFile("fig.svg", b"<svg/>")], out)
    figure = out / "fig.svg"
    stat = figure.stat()
    figure.write_bytes(b"<XXX/>")
    os.utime(figure, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    write_site([OutputFile("fig.svg", b"<svg/>")], out)
    assert figure.read_bytes() == b"<svg/>"


def test_without_hard_links_every_file_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError(1, "Operation not permitted")

    out = tmp_path / "_site"
    write_site([OutputFile("fig.svg", b"<svg/>")], out)
    monkeypatch.setattr(os, "link", refuse)
    write_site([OutputFile("fig.svg", b"<svg/>"), OutputFile("new.html", b"n")], out)
    assert read_tree(out) == {MARKER: (out / MARKER).read_bytes(), "fig.svg": b"<svg/>",
                              "new.html": b"n"}


def test_stale_temp_folder_beside_the_output_is_cleaned(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    stale = tmp_path / ".gradsite-tmp-_site-xyz"
    (stale / "half").mkdir(parents=True)
    (stale / "half" / "page.html").write_text("half a site")
    unrelated = tmp_path / ".gradsite-tmp-other-xyz"  # belongs to another output folder
    unrelated.mkdir()
    write_site([OutputFile("index.html", b"home")], out)
    assert not stale.exists()
    assert unrelated.exists()
    assert (out / "index.html").read_bytes() == b"home"


def test_killed_swap_is_restored(tmp_path: Path) -> None:
    # A build killed between "move the old site aside" and "move the new one in"
    # leaves no _site, only the old site under a temporary name.
    out = tmp_path / "_site"
    old = tmp_path / ".gradsite-old-_site-abc"
    old.mkdir()
    (old / MARKER).write_text("marker")
    (old / "index.html").write_text("previous site")
    clean_stale(out)
    assert not old.exists()
    assert (out / "index.html").read_text() == "previous site"


def test_build_after_a_killed_swap_leaves_one_site_and_no_stale_folders(tmp_path: Path) -> None:
    content = make_course(tmp_path, COURSE)
    out = tmp_path / "_site"
    build_site(content, out)
    before = read_tree(out)
    os.rename(out, tmp_path / ".gradsite-old-_site-abc")
    (tmp_path / ".gradsite-tmp-_site-def").mkdir()
    build_site(content, out)
    assert read_tree(out) == before
    assert leftovers(tmp_path) == []


def test_old_folder_without_marker_is_not_restored(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    old = tmp_path / ".gradsite-old-_site-abc"
    old.mkdir()
    (old / "notes.txt").write_text("not a site")
    clean_stale(out)
    assert not out.exists()


# --- check_output_folder ---------------------------------------------------------


def test_refuses_to_replace_a_folder_gradsite_did_not_make(tmp_path: Path) -> None:
    content = make_course(tmp_path, COURSE)
    out = tmp_path / "_site"
    out.mkdir()
    (out / "thesis.tex").write_text("precious")
    problems = build_problems(content, out)
    assert "did not make" in problems[0].message
    assert "--out" in problems[0].hint
    assert read_tree(out) == {"thesis.tex": b"precious"}


def test_an_empty_existing_folder_may_be_used(tmp_path: Path) -> None:
    content = make_course(tmp_path, COURSE)
    out = tmp_path / "_site"
    out.mkdir()
    build_site(content, out)
    assert (out / "index.html").is_file()


@pytest.mark.parametrize("out_rel", ["content", "content/_site", "."])
def test_output_folder_overlapping_the_content_is_refused(tmp_path: Path, out_rel: str) -> None:
    content = make_course(tmp_path, COURSE)
    before = read_tree(tmp_path)
    with pytest.raises(BuildFailed) as failed:
        check_output_folder(tmp_path / out_rel, content)
    problem = failed.value.diagnostics[0]
    assert "overlaps the content folder" in problem.message
    # The folder it suggests is one that would work: beside the content folder.
    suggested = Path(problem.hint.rsplit("--out ", 1)[1]).resolve()
    assert suggested == (tmp_path / "content-site").resolve()
    check_output_folder(suggested, content)
    problems = build_problems(content, tmp_path / out_rel)
    assert "overlaps" in problems[0].message
    assert read_tree(tmp_path) == before


def test_output_path_that_is_a_file_is_refused(tmp_path: Path) -> None:
    content = make_course(tmp_path, COURSE)
    (tmp_path / "_site").write_text("a file")
    problems = build_problems(content, tmp_path / "_site")
    assert "not a folder" in problems[0].message
    assert (tmp_path / "_site").read_text() == "a file"


# --- a gradsite folder that holds more than the site (nothing is lost) ------------


def test_files_added_to_a_built_site_stop_the_next_build(tmp_path: Path) -> None:
    content = make_course(tmp_path, COURSE)
    out = tmp_path / "_site"
    build_site(content, out)
    (out / ".git").mkdir()
    (out / ".git/HEAD").write_text("ref")
    (out / "CNAME").write_text("example.org")
    (out / "basics/notes.txt").write_text("mine")
    before = read_tree(out)
    problem = only(build_problems(content, out))
    assert str(problem.location) == str(out.resolve())
    assert problem.message == ("the output folder holds files gradsite did not write: "
                               ".git/, CNAME, basics/notes.txt")
    assert "move them out of it" in problem.hint and "content folder" in problem.hint
    assert read_tree(out) == before
    assert leftovers(tmp_path) == []


def test_files_a_desktop_leaves_in_the_site_are_nobodys_work(tmp_path: Path) -> None:
    # Opening the site folder in Finder or Explorer must not stop the next build.
    content = make_course(tmp_path, COURSE)
    out = tmp_path / "_site"
    build_site(content, out)
    for junk in (".DS_Store", "basics/.DS_Store", "Thumbs.db", "basics/._intro.html"):
        (out / junk).write_bytes(b"\0")
    manifest = read_manifest(out)
    assert manifest is not None
    assert site_is_current(out, manifest.inputs)  # not out of date because of them
    build_site(content, out)  # and replacing the folder is allowed
    assert (out / "index.html").is_file() and not (out / ".DS_Store").exists()


def test_a_refusal_names_five_paths_and_counts_the_rest(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    write_site([OutputFile("index.html", b"home"), OutputFile("a/b.html", b"b")], out)
    for name in ("n1.txt", "n2.txt", "n3.txt", "n4.txt", "a/n5.txt", "a/n6.txt"):
        (out / name).write_text("mine")
    (out / "a/drafts").mkdir()  # an empty folder is the reader's too
    with pytest.raises(BuildFailed) as failed:
        check_output_folder(out, tmp_path / "content")
    assert only(failed.value.diagnostics).message.endswith(
        "did not write: a/drafts/, a/n5.txt, a/n6.txt, n1.txt, n2.txt, and 2 more")


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges on Windows")
def test_a_symlink_in_the_site_is_not_gradsites(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    write_site([OutputFile("index.html", b"home"), OutputFile("a/b.html", b"b")], out)
    (tmp_path / "data").mkdir()
    (out / "a/b.html").unlink()
    (out / "a/b.html").symlink_to(tmp_path / "data")  # on a path the manifest lists
    (out / "data").symlink_to(tmp_path / "data")
    with pytest.raises(BuildFailed) as failed:
        check_output_folder(out, tmp_path / "content")
    assert only(failed.value.diagnostics).message.endswith(
        "did not write: a/b.html, data")


def test_a_changed_site_file_is_written_again_with_a_warning(tmp_path: Path) -> None:
    # gradsite's own files are the build's to write: a touched site is repaired (as
    # test_cli's "touched site" test requires), but never silently.
    content = make_course(tmp_path, COURSE)
    out = tmp_path / "_site"
    build_site(content, out)
    before = read_tree(out)
    page = out / "basics/intro.html"
    page.write_bytes(page.read_bytes().replace(b"</body>", b"<p>my note</p></body>"))
    (out / "index.html").write_bytes(b"x" * len(before["index.html"]))  # the same size
    result = build(BuildOptions(content=content, out=out))
    problem = only([w for w in result.warnings if w.location.path == str(out.resolve())])
    assert problem.message == ("files of the site were changed after gradsite wrote them; "
                               "the build writes them again: basics/intro.html, index.html")
    assert "edit its chapter" in problem.hint
    assert read_tree(out) == before


def test_with_strict_a_changed_site_file_stops_the_build(tmp_path: Path) -> None:
    content = make_course(tmp_path, COURSE)
    out = tmp_path / "_site"
    build_site(content, out)
    (out / "index.html").write_bytes(b"mine")
    before = read_tree(out)
    with pytest.raises(BuildFailed) as failed:
        build(BuildOptions(content=content, out=out, strict=True))
    problem = only(failed.value.diagnostics)
    assert problem.is_error and "index.html" in problem.message
    assert read_tree(out) == before
    assert leftovers(tmp_path) == []


def test_added_and_changed_files_refuse_with_the_added_ones(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    write_site([OutputFile("index.html", b"home")], out)
    (out / "index.html").write_bytes(b"mine")
    (out / "CNAME").write_text("example.org")
    before = read_tree(out)
    with pytest.raises(BuildFailed) as failed:
        write_site([OutputFile("index.html", b"new")], out)
    assert only(failed.value.diagnostics).message.endswith("did not write: CNAME")
    assert read_tree(out) == before
    assert not site_is_current(out, "")


def test_a_site_file_the_reader_deleted_is_simply_written_again(tmp_path: Path) -> None:
    content = make_course(tmp_path, COURSE)
    out = tmp_path / "_site"
    build_site(content, out)
    before = read_tree(out)
    (out / "basics/intro.html").unlink()
    build_site(content, out)  # nothing would be lost
    assert read_tree(out) == before


def test_files_added_while_the_site_is_built_stop_the_swap(tmp_path: Path) -> None:
    # The writer checks again just before the swap: cells may run for minutes.
    out = tmp_path / "_site"
    write_site([OutputFile("index.html", b"old")], out)
    (out / "notes.txt").write_text("written during the build")
    before = read_tree(out)
    with pytest.raises(BuildFailed) as failed:
        write_site([OutputFile("index.html", b"new")], out)
    assert "did not write: notes.txt" in failed.value.diagnostics[0].message
    assert read_tree(out) == before
    assert leftovers(tmp_path) == []


def test_an_added_empty_folder_means_the_site_is_not_up_to_date(tmp_path: Path) -> None:
    # Else `build` would say "up to date" instead of reporting the folder.
    out = tmp_path / "_site"
    write_site([OutputFile("index.html", b"home")], out, inputs="abc")
    assert site_is_current(out, "abc")
    (out / "drafts").mkdir()
    assert not site_is_current(out, "abc")


@pytest.mark.parametrize("marker", [
    "garbage\n",
    "",
    MARKER_TEXT,  # what gradsite wrote before markers held a manifest
    MARKER_TEXT + "[]\n",
    MARKER_TEXT + '{"inputs": "", "files": {"important.txt": "not a hash"}}\n',
    MARKER_TEXT + '{"inputs": "", "files": {"../important.txt": "' + "0" * 64 + '"}}\n',
])
def test_a_marker_that_is_no_manifest_does_not_make_a_folder_gradsites(
    tmp_path: Path, marker: str
) -> None:
    content = make_course(tmp_path, COURSE)
    out = tmp_path / "_site"
    out.mkdir()
    (out / "important.txt").write_text("keep")
    (out / MARKER).write_text(marker)
    before = read_tree(out)
    problem = only(build_problems(content, out))
    assert problem.message == "refusing to replace a folder that gradsite did not make"
    assert MARKER in problem.hint and "--out" in problem.hint
    assert read_tree(out) == before
    assert not site_is_current(out, "")


# --- the cache folder --------------------------------------------------------------


@pytest.mark.parametrize(("out_rel", "cache_rel", "message"), [
    ("_site", "_site/.cache", "the cache folder is inside the output folder"),
    ("_site", "_site", "the cache folder is the output folder"),
    ("_site", "content/.cache", "the cache folder is inside the content folder"),
    ("_site", "content", "the cache folder is the content folder"),
    ("build/_site", "build", "the output folder is inside the cache folder"),
    ("_site", ".", "the content folder is inside the cache folder"),
])
def test_a_cache_folder_overlapping_the_output_or_the_content_is_refused(
    tmp_path: Path, out_rel: str, cache_rel: str, message: str
) -> None:
    content = make_course(tmp_path, COURSE)
    out = tmp_path / out_rel
    build_site(content, out)  # with the default cache, beside the content
    before = read_tree(tmp_path)
    try:
        build(BuildOptions(content=content, out=out, cache_dir=Path(cache_rel)))
    except BuildFailed as failed:
        problems = failed.diagnostics
    else:
        raise AssertionError("the build succeeded but was expected to fail")
    assert message in [p.message for p in problems]
    assert all("--cache-dir" in p.hint for p in problems)
    assert str(problems[0].location) == str((tmp_path / cache_rel).resolve())
    assert read_tree(tmp_path) == before  # no cache entry written, the site untouched


def test_no_cache_folder_overlaps_nothing(tmp_path: Path) -> None:
    content = make_course(tmp_path, COURSE)
    build(BuildOptions(content=content, out=tmp_path / "_site", cache_dir=None))
    assert (tmp_path / "_site/index.html").is_file()


# --- whole builds ----------------------------------------------------------------


def test_failed_build_leaves_the_previous_site_byte_identical(tmp_path: Path) -> None:
    content = make_course(tmp_path, COURSE)
    out = tmp_path / "_site"
    build_site(content, out)
    before = read_tree(out)
    (content / "01-basics/02-next.md").write_text(chapter("Next", "Bad $\\frac{1}{$ math.\n"))
    problems = build_problems(content, out)
    assert [p.location.line for p in problems] == [4]
    assert read_tree(out) == before
    assert leftovers(tmp_path) == []


def test_building_twice_gives_byte_identical_trees(
    tmp_path: Path, real_math_font: None
) -> None:
    content = make_course(tmp_path, COURSE)
    first = read_tree(build_site(content, tmp_path / "one"))
    second = read_tree(build_site(content, tmp_path / "two"))
    assert sorted(first) == sorted(second)
    for path, data in first.items():
        assert second[path] == data, path
    assert "basics/img/p.png" in first
    assert "sitemap.xml" in first


def test_a_build_in_another_process_gives_the_same_bytes(tmp_path: Path) -> None:
    # Another process has another hash seed: set and dict orders must not leak out.
    content = make_course(tmp_path, COURSE)
    here = read_tree(build_site(content, tmp_path / "here"))
    env = {**os.environ, "PYTHONHASHSEED": "12345", "PYTHONPATH": str(REPO)}
    result = subprocess.run(
        [sys.executable, "-m", "gradsite.cli", "--content", str(content),
         "--out", str(tmp_path / "there"), "--cache-dir", str(tmp_path / "other-cache"),
         "--quiet"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode == 0, result.stderr
    there = read_tree(tmp_path / "there")
    assert sorted(here) == sorted(there)
    for path, data in here.items():
        assert there[path] == data, path


def test_rebuilding_into_the_same_folder_replaces_it(tmp_path: Path) -> None:
    content = make_course(tmp_path, COURSE)
    out = tmp_path / "_site"
    build_site(content, out)
    (content / "02-more/01-end.md").unlink()
    (content / "02-more/01-finale.md").write_text(chapter("Finale"))
    build_site(content, out)
    assert not (out / "more/end.html").exists()
    assert (out / "more/finale.html").is_file()
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("failure", [OSError(28, "No space left on device"), KeyboardInterrupt()])
def test_a_write_that_fails_midway_keeps_the_previous_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: BaseException
) -> None:
    out = tmp_path / "_site"
    write_site([OutputFile("index.html", b"old"), OutputFile("a/b.html", b"old b")], out)
    before = read_tree(out)
    written: list[Path] = []
    real_write = Path.write_bytes

    def fill_up(self: Path, data: bytes) -> int:
        if written:  # the second file finds the disk full (or the reader presses Ctrl-C)
            raise failure
        written.append(self)
        return real_write(self, data)

    monkeypatch.setattr(Path, "write_bytes", fill_up)
    files = [OutputFile("index.html", b"new"), OutputFile("a/b.html", b"new b")]
    if isinstance(failure, OSError):
        with pytest.raises(BuildFailed) as caught:
            write_site(files, out)
        assert "No space left on device" in caught.value.diagnostics[0].message
    else:
        with pytest.raises(KeyboardInterrupt):
            write_site(files, out)
    assert read_tree(out) == before
    assert leftovers(tmp_path) == []
