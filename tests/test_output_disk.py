"""A full disk or a read-only output folder while the site is written: the previous
site stays as it was, no staging folder is left, and the build says what happened
in one line (the path and the system's reason), with exit status 1 and no traceback.

Where a mount namespace can be made (root, or unprivileged user namespaces), the
disk is a real small tmpfs that vanishes with the namespace; elsewhere the tests
that need one are skipped, and the same failures are injected into a subprocess
build instead.
"""

from __future__ import annotations

import errno
import functools
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest

from gradsite.cache import Cache
from gradsite.options import BuildOptions
from gradsite.session import build_session
from tests.coursekit import build_site, chapter, make_course, read_tree

REPO = Path(__file__).resolve().parent.parent
SLOW_CELL = "```{python}\nimport time\ntime.sleep(SECONDS)\nprint('ran')\n```\n"


def courses(tmp_path: Path, cell: str = "") -> tuple[Path, Path]:
    """Two versions of one course: the second changes every page, links a 300 KB file
    (so its site needs new bytes on the disk, not only links to the old ones) and
    has ``cell``."""
    first = make_course(tmp_path / "one", {
        "01-a/01-b.md": chapter("B", "First words.\n"),
        "01-a/02-c.md": chapter("C", "More first words.\n"),
    })
    second = make_course(tmp_path / "two", {
        "course.yml": "title: Second Edition\n",
        "01-a/01-b.md": chapter("B", f"Second words.\n\n[data](big.bin)\n\n{cell}"),
        "01-a/big.bin": os.urandom(300_000),
        "01-a/02-c.md": chapter("C", "More second words.\n"),
    })
    return first, second


def error_lines(stderr: str) -> list[str]:
    """The lines of a report that are not hints, the verdict or progress."""
    return [line for line in stderr.splitlines()
            if line.strip() and not line.startswith(("    ", "build failed", "ran "))]


# --- a real small disk, in a mount namespace ---------------------------------------

DRIVER = r"""
import hashlib, json, os, subprocess, sys, time
from pathlib import Path

args = json.loads(sys.argv[1])
disk = Path(args["disk"])
subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(disk)], check=True)
env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": args["repo"]}
report = {"builds": [], "trees": [], "lists": []}
for step in args["steps"]:
    if step[0] == "build":
        process = subprocess.Popen([sys.executable, args["build"], *step[1]], cwd=args["cwd"],
                                   env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   text=True)
        if len(step) > 2:  # made read-only once the build holds the output's lock
            deadline = time.monotonic() + 120
            while not (disk / step[2]).exists() and time.monotonic() < deadline:
                time.sleep(0.05)
            time.sleep(1)
            # A read-only mount over the disk: a remount of the disk itself is refused
            # while the build holds a file on it open for writing (its lock file).
            subprocess.run(["mount", "--bind", str(disk), str(disk)], check=True)
            subprocess.run(["mount", "-o", "remount,bind,ro", str(disk)], check=True)
        out, err = process.communicate(timeout=300)
        report["builds"].append([process.returncode, out, err])
    elif step[0] == "fill":  # leave step[1] KiB free
        free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
        with open(disk / "filler", "wb") as filler:
            filler.write(bytes(max(0, free - step[1] * 1024)))
    elif step[0] == "tree":
        site = disk / step[1]
        report["trees"].append({str(p.relative_to(site)): hashlib.sha256(p.read_bytes())
                                .hexdigest() for p in sorted(site.rglob("*")) if p.is_file()})
    elif step[0] == "list":  # what lies on the disk, but the site's own files
        report["lists"].append(sorted(str(p.relative_to(disk)) for p in disk.rglob("*")
                                      if p.parent == disk or not p.is_relative_to(disk / "_site")))
print(json.dumps(report))
"""


@functools.cache
def namespace() -> tuple[str, ...] | None:
    """A command prefix that runs a program in a mount namespace of its own, where it
    may mount a tmpfs; None where none can be made."""
    unshare = shutil.which("unshare")
    if unshare is None or not sys.platform.startswith("linux"):
        return None
    with tempfile.TemporaryDirectory() as probe:
        for prefix in ((unshare, "--mount", "--propagation", "private"),
                       (unshare, "--user", "--map-root-user", "--mount", "--propagation",
                        "private")):
            tried = subprocess.run([*prefix, "mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs",
                                    probe], capture_output=True, timeout=30, check=False)
            if tried.returncode == 0:
                return prefix
    return None


def on_small_disk(tmp_path: Path, steps: list[list[Any]]) -> dict[str, Any]:
    """Run ``steps`` with ``tmp_path/disk`` a 4 MB tmpfs; what they found."""
    prefix = namespace()
    if prefix is None:
        pytest.skip("no mount namespace can be made here (needs root or user namespaces)")
    disk = tmp_path / "disk"
    disk.mkdir()
    args = {"disk": str(disk), "repo": str(REPO), "build": str(REPO / "build.py"),
            "cwd": str(tmp_path), "steps": steps}
    ran = subprocess.run([*prefix, sys.executable, "-c", DRIVER, json.dumps(args)],
                         capture_output=True, text=True, timeout=600, check=False)
    assert ran.returncode == 0, ran.stderr
    found: dict[str, Any] = json.loads(ran.stdout)
    return found


def test_a_full_disk_while_the_site_is_written_keeps_the_previous_site(tmp_path: Path) -> None:
    first, second = courses(tmp_path)
    found = on_small_disk(tmp_path, [
        ["build", ["--content", str(first), "--out", "disk/_site", "--cache-dir", "cache"]],
        ["tree", "_site"],
        ["fill", 48],
        ["build", ["--content", str(second), "--out", "disk/_site", "--cache-dir", "cache"]],
        ["tree", "_site"],
        ["list"],
        # A cache on the full disk: its first entry fails, the build stops before the
        # site is written.
        ["build", ["--content", str(second), "--out", "disk/_site", "--cache-dir",
                   "disk/cache"]],
        ["tree", "_site"],
        ["list"],
    ])
    (code, _, err), (full, _, full_err), (cached, _, cache_err) = found["builds"]
    assert code == 0, err
    assert full == 1
    assert "Traceback" not in full_err
    [line] = error_lines(full_err)
    assert line.startswith("disk/_site: cannot write the site: No space left on "
                           "device (writing "), full_err
    assert "hint: free some space on the disk, then build again" in full_err
    assert full_err.rstrip().endswith("the previous site was left as it was")
    assert found["trees"][1] == found["trees"][0]  # the previous site, byte for byte
    assert found["lists"][0] == ["_site", "filler"]  # no staging folder, no lock file
    assert cached == 1
    assert "Traceback" not in cache_err
    [line] = error_lines(cache_err)
    assert line == "disk/cache: cannot write the cache: No space left on device"
    assert found["trees"][2] == found["trees"][0]
    assert "cache" in found["lists"][1]
    assert not [name for name in found["lists"][1] if "/.tmp-" in name or "gradsite" in name]


def test_a_disk_made_read_only_during_the_build_keeps_the_previous_site(
    tmp_path: Path,
) -> None:
    first, second = courses(tmp_path, SLOW_CELL.replace("SECONDS", "6"))
    found = on_small_disk(tmp_path, [
        ["build", ["--content", str(first), "--out", "disk/_site", "--cache-dir", "cache"]],
        ["tree", "_site"],
        # Read-only once the build has checked the folder and runs its cells.
        ["build", ["--content", str(second), "--out", "disk/_site", "--cache-dir", "cache"],
         ".gradsite-lock-_site"],
        ["tree", "_site"],
        ["build", ["--content", str(second), "--out", "disk/_site", "--cache-dir", "cache"]],
        ["tree", "_site"],
    ])
    (code, _, err), (midway, _, midway_err), (after, _, after_err) = found["builds"]
    assert code == 0, err
    assert midway == 1
    assert "Traceback" not in midway_err
    [line] = error_lines(midway_err)
    assert line == "disk/_site: cannot write the site: Read-only file system"
    assert "make the folder writable, or choose another place for the site with --out" in \
        midway_err
    assert found["trees"][1] == found["trees"][0]
    # The next build finds the folder read-only before it runs anything.
    assert after == 1
    assert "Traceback" not in after_err
    [line] = error_lines(after_err)
    assert line == ("disk/_site: the output folder cannot be created: cannot write "
                    "in 'disk' (Read-only file system)")
    assert found["trees"][2] == found["trees"][0]


# --- the same failures, injected into a subprocess build ---------------------------

RUNNER = r"""
import errno, json, os, pathlib, sys, tempfile
args = json.loads(sys.argv[1])
failure = OSError(args["errno"], os.strerror(args["errno"]))
if args["where"] == "site":  # the third file written into the staging folder fails
    real = pathlib.Path.write_bytes
    calls = []
    def write_bytes(self, data):
        if ".gradsite-tmp-" in str(self):
            calls.append(self)
            if len(calls) == 3:
                raise failure
        return real(self, data)
    pathlib.Path.write_bytes = write_bytes
else:  # every entry written into the cache folder fails
    real_mkstemp = tempfile.mkstemp
    def mkstemp(*a, **k):
        if os.path.abspath(k.get("dir", "")).startswith(args["cache"]):
            raise failure
        return real_mkstemp(*a, **k)
    tempfile.mkstemp = mkstemp
from gradsite.cli import main
sys.exit(main(args["argv"]))
"""


def injected(tmp_path: Path, where: str, code: int, argv: list[str]) -> tuple[int, str]:
    env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(REPO)}
    args = {"errno": code, "where": where, "argv": argv, "cache": str(tmp_path / "cache")}
    ran = subprocess.run([sys.executable, "-c", RUNNER, json.dumps(args)], cwd=tmp_path,
                         env=env, capture_output=True, text=True, timeout=300, check=False)
    return ran.returncode, ran.stderr


@pytest.mark.parametrize(("code", "hint"), [
    (errno.ENOSPC, "free some space on the disk, then build again"),
    (errno.EROFS, "make the folder writable, or choose another place for the site with --out"),
])
def test_a_write_of_the_site_that_fails_midway_is_one_line(
    tmp_path: Path, code: int, hint: str
) -> None:
    first, second = courses(tmp_path)
    out = tmp_path / "_site"
    build_site(first, out)
    before = read_tree(out)
    status, err = injected(tmp_path, "site", code, ["--content", str(second), "--out", "_site"])
    assert status == 1
    assert "Traceback" not in err
    [line] = error_lines(err)
    assert line.startswith("_site: cannot write the site: "
                           f"{os.strerror(code)} (writing ")
    assert f"hint: {hint}" in err
    assert read_tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".gradsite-")) == \
        [".gradsite-cache"]  # no staging folder, no lock file


def test_a_cache_that_cannot_be_written_stops_the_build_before_the_site(tmp_path: Path) -> None:
    first, second = courses(tmp_path)
    out = tmp_path / "_site"
    build_site(first, out)
    before = read_tree(out)
    status, err = injected(tmp_path, "cache", errno.ENOSPC,
                           ["--content", str(second), "--out", "_site", "--cache-dir", "cache"])
    assert status == 1
    assert "Traceback" not in err
    assert error_lines(err) == ["cache: cannot write the cache: No space left on device"]
    assert "hint: free some space on its disk, then build again" in err
    assert read_tree(out) == before


# --- in-process ----------------------------------------------------------------------


def test_a_failed_cache_write_is_kept_and_nothing_more_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = Cache(tmp_path / "cache")
    cache.put("aa" + "0" * 62, "kept")
    real_replace = os.replace

    def full(src: str, dst: str) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    cache.put("bb" + "0" * 62, "lost")
    monkeypatch.setattr(os, "replace", real_replace)
    assert cache.failure is not None
    assert cache.failure.errno == errno.ENOSPC
    assert cache.failure.filename == str(tmp_path / "cache/bb" / ("bb" + "0" * 62 + ".entry"))
    cache.put("cc" + "0" * 62, "not tried")
    assert sorted(p.name for p in (tmp_path / "cache").rglob("*") if p.is_file()) == \
        ["aa" + "0" * 62 + ".entry"]  # the temp file of the failed write is gone
    assert cache.get("aa" + "0" * 62) == "kept"


def test_a_full_disk_elsewhere_in_a_build_is_an_error_not_a_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gradsite.pipeline

    content = make_course(tmp_path, {"01-a/01-b.md": chapter("B")})

    def full(*args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", "/somewhere/jinja")

    monkeypatch.setattr(gradsite.pipeline, "make_environment", full)
    outcome = build_session(BuildOptions(content=content, out=tmp_path / "_site"))
    assert outcome.kind == "failed"
    [problem] = outcome.diagnostics
    assert problem.location.path == "/somewhere/jinja"
    assert problem.message == "cannot write: No space left on device"

    def bug(*args: object) -> None:
        raise FileNotFoundError(errno.ENOENT, "No such file or directory", "/x")

    monkeypatch.setattr(gradsite.pipeline, "make_environment", bug)
    with pytest.raises(FileNotFoundError):  # not the disk's state: a bug, with its traceback
        build_session(BuildOptions(content=content, out=tmp_path / "_site"))
