"""fingerprint.py: what every cache key and the no-op check depend on."""

from __future__ import annotations

import os
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pytest

from gradsite.cli import main
from gradsite.fingerprint import digest, installed_version
from tests.coursekit import chapter, make_course

# Every distribution whose version goes into a cache key or the font's key.
KEYED = ("numpy", "matplotlib", "pykatex", "pygments", "markdown", "ziamath", "fonttools")


@pytest.mark.parametrize("name", KEYED)
def test_installed_version_agrees_with_importlib_metadata(name: str) -> None:
    assert installed_version(name) == version(name)


def test_installed_version_ignores_how_a_name_is_written() -> None:
    assert installed_version("Markdown") == installed_version("markdown")
    assert installed_version("PyYAML") == version("pyyaml")


def test_an_unknown_distribution_is_an_error_not_a_guess() -> None:
    with pytest.raises(PackageNotFoundError):
        installed_version("no-such-distribution-gradsite")


def test_digest_separates_its_parts() -> None:
    assert digest("ab", "c") != digest("a", "bc")
    assert digest("ab", "c") == digest("ab", "c")


# --- the up-to-date check cannot be fooled by kept times ---------------------------


def _tamper(path: Path, old: bytes, new: bytes) -> None:
    """Replace ``old`` with ``new`` (the same length) in ``path`` and put its
    modification and access times back: what `cp -p`, a restore from a backup or
    an editor that keeps times leaves."""
    assert len(old) == len(new)
    before = path.stat()
    data = path.read_bytes()
    assert old in data
    path.write_bytes(data.replace(old, new, 1))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_mtime_ns, after.st_size) == (before.st_mtime_ns, before.st_size)


def _built(capsys: pytest.CaptureFixture[str]) -> bool:
    out = capsys.readouterr().out
    assert ("up to date" in out) != ("built 1 chapters" in out), out
    return "built 1 chapters" in out


def test_a_chapter_edited_with_its_time_and_size_kept_is_built_again(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content = make_course(tmp_path, {"01-a/01-b.md": chapter("B", "Alpha text.\n")})
    assert main([]) == 0
    assert _built(capsys)
    assert main([]) == 0
    assert not _built(capsys)
    _tamper(content / "01-a/01-b.md", b"Alpha", b"Omega")
    assert main([]) == 0
    assert _built(capsys)
    assert "Omega text." in (tmp_path / "_site/a/b.html").read_text()


def test_a_data_file_edited_with_its_time_and_size_kept_is_copied_again(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    body = "Read [the data](data.csv).\n"
    content = make_course(tmp_path, {"01-a/01-b.md": chapter("B", body),
                                     "01-a/data.csv": "x,y\n1,2\n"})
    assert main([]) == 0
    capsys.readouterr()
    _tamper(content / "01-a/data.csv", b"1,2", b"3,4")
    assert main([]) == 0
    assert _built(capsys)
    copied = (tmp_path / "_site").rglob("data.csv")
    assert [p.read_text() for p in copied] == ["x,y\n3,4\n"]


def test_a_site_file_edited_with_its_time_and_size_kept_is_written_again(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The site is surveyed by times, as a fast path; the inode's change time, which
    # no program can set back, says that the bytes must be hashed.
    make_course(tmp_path, {"01-a/01-b.md": chapter("B", "Alpha text.\n")})
    assert main([]) == 0
    page = tmp_path / "_site/a/b.html"
    original = page.read_bytes()
    capsys.readouterr()
    assert main([]) == 0
    assert not _built(capsys)  # the build's own links and renames count as no change
    _tamper(page, b"Alpha", b"Omega")
    assert main([]) == 0
    assert _built(capsys)
    assert page.read_bytes() == original
    assert main([]) == 0
    assert not _built(capsys)
