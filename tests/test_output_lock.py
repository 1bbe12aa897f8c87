"""Two builds into one output folder take turns (output.OutputLock): never interleaved,
the site always one build's whole output."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from gradsite.diagnostics import BuildFailed
from gradsite.output import OutputLock
from tests.coursekit import build_problems, chapter, make_course, read_tree

REPO = Path(__file__).resolve().parent.parent
WAIT = 120.0  # seconds: generous, for a loaded machine
SLOW_CELL = "```{python}\nimport time\ntime.sleep(6)\nprint('slow done')\n```\n"


def wait_for(what: str, condition: Callable[[], object], timeout: float = WAIT) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def course(root: Path, words: str, body: str = "") -> Path:
    """A two-chapter course in ``root/content`` whose pages say ``words``."""
    return make_course(root, {
        "01-a/01-one.md": chapter("One", f"{words}\n\n{body}"),
        "01-a/02-two.md": chapter("Two", f"More of {words}.\n"),
    })


def gradsite(*args: str, cwd: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(REPO)}
    return subprocess.Popen([sys.executable, str(REPO / "build.py"), *args], cwd=cwd, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(process: subprocess.Popen[str]) -> tuple[int, str, str]:
    try:
        out, err = process.communicate(timeout=WAIT)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
        raise AssertionError(f"the build did not end:\n{out}\n{err}") from None
    return process.returncode, out, err


def leftovers(folder: Path) -> list[str]:
    """What a build leaves beside the site: temp, old and lock files."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".gradsite-")
                  and p.name != ".gradsite-cache" and not p.name.startswith(".gradsite-cache-"))


@pytest.fixture
def held(tmp_path: Path) -> Iterator[OutputLock]:
    """The lock of ``tmp_path/_site``, held by this test as another build would."""
    lock = OutputLock(tmp_path / "_site")
    assert lock.acquire(wait=0)
    try:
        yield lock
    finally:
        lock.release()


# --- the lock itself ---------------------------------------------------------------


def test_the_lock_file_lies_beside_the_site_while_held_and_goes_with_it(tmp_path: Path) -> None:
    lock = OutputLock(tmp_path / "_site")
    assert lock.acquire(wait=0)
    assert lock.path == tmp_path / ".gradsite-lock-_site"
    assert lock.path.read_text() == f"{os.getpid()}\n"
    lock.release()
    assert not lock.path.exists()
    lock.release()  # a second release does nothing


def test_a_build_that_waits_too_long_fails_naming_the_other(
    tmp_path: Path, held: OutputLock
) -> None:
    heard: list[str] = []
    waiting = OutputLock(Path("_site"))
    started = time.monotonic()
    with pytest.raises(BuildFailed) as failed:
        waiting.acquire(wait=0.5, on_wait=heard.append)
    assert 0.4 < time.monotonic() - started < 10
    assert heard == [f"waiting for the other build writing _site (pid {os.getpid()}) to finish"]
    problem = failed.value.diagnostics[0]
    assert problem.location.path == "_site"
    assert problem.message == (f"another build (pid {os.getpid()}) was still writing the output "
                               "folder after 0 s of waiting")
    assert "take turns" in (problem.hint or "")


def test_a_waiting_build_can_be_cancelled(tmp_path: Path, held: OutputLock) -> None:
    stop = threading.Event()
    threading.Timer(0.3, stop.set).start()
    started = time.monotonic()
    assert OutputLock(tmp_path / "_site").acquire(wait=60, stop=stop) is False
    assert time.monotonic() - started < 10


def test_a_waiting_build_gets_the_lock_on_the_file_that_is_there(tmp_path: Path) -> None:
    # The holder removes the file on release: the waiter, which opened the removed
    # file, must lock the next one, or a third build would get in beside it.
    first = OutputLock(tmp_path / "_site")
    assert first.acquire(wait=0)
    second = OutputLock(tmp_path / "_site")
    got: list[bool] = []
    waiter = threading.Thread(target=lambda: got.append(second.acquire(wait=30)))
    waiter.start()
    time.sleep(0.3)
    assert got == []
    first.release()
    waiter.join(timeout=30)
    assert got == [True]
    assert second._fd is not None
    assert os.fstat(second._fd).st_ino == os.stat(second.path).st_ino
    third = OutputLock(tmp_path / "_site")
    with pytest.raises(BuildFailed):
        third.acquire(wait=0.2)
    second.release()
    assert not second.path.exists()


def test_the_lock_of_a_killed_build_is_free_and_its_file_is_taken_over(tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from pathlib import Path; "
         "from gradsite.output import OutputLock; "
         "assert OutputLock(Path(sys.argv[1])).acquire(wait=0); print('held', flush=True); "
         "time.sleep(120)", str(tmp_path / "_site")],
        env={**os.environ, "PYTHONPATH": str(REPO)}, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        with pytest.raises(BuildFailed) as failed:
            OutputLock(tmp_path / "_site").acquire(wait=0)
        assert f"(pid {holder.pid})" in failed.value.diagnostics[0].message
    finally:
        holder.kill()  # SIGKILL: no release; the system drops the lock with the process
        holder.wait()
        if holder.stdout is not None:
            holder.stdout.close()
    lock_file = tmp_path / ".gradsite-lock-_site"
    assert lock_file.read_text() == f"{holder.pid}\n"  # left behind, its lock gone
    lock_file.write_text("1234567890\n")  # a longer pid than this build's
    lock = OutputLock(tmp_path / "_site")
    assert lock.acquire(wait=0)
    heard: list[str] = []
    with pytest.raises(BuildFailed):
        OutputLock(tmp_path / "_site").acquire(wait=0, on_wait=heard.append)
    assert heard == [f"waiting for the other build writing {tmp_path / '_site'} "
                     f"(pid {os.getpid()}) to finish"]
    lock.release()
    assert not lock_file.exists()


def test_a_failed_build_into_a_new_folder_leaves_no_folder_behind(tmp_path: Path) -> None:
    content = make_course(tmp_path, {"01-a/01-b.md": chapter("B", "Bad $\\frac{1}{$ math.\n")})
    build_problems(content, tmp_path / "new/deeper/_site")
    assert not (tmp_path / "new").exists()


def test_an_output_folder_under_a_file_is_refused_before_waiting(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(BuildFailed) as failed:
        OutputLock(blocker / "_site").acquire(wait=0)
    problem = failed.value.diagnostics[0]
    assert problem.message.startswith("the output folder cannot be created: ")
    assert "is a file, not a folder" in problem.message


def test_a_lock_file_that_is_a_symlink_is_never_written_through(tmp_path: Path) -> None:
    target = tmp_path / "precious.txt"
    target.write_text("keep me\n")
    (tmp_path / ".gradsite-lock-_site").symlink_to(target)
    with pytest.raises(BuildFailed) as failed:
        OutputLock(tmp_path / "_site").acquire(wait=0)
    assert failed.value.diagnostics[0].message == "the output's lock file is a symbolic link"
    assert target.read_text() == "keep me\n"


# --- two real builds ---------------------------------------------------------------


def test_two_builds_into_one_folder_take_turns(tmp_path: Path) -> None:
    first = course(tmp_path / "a", "Version A", SLOW_CELL)
    second = course(tmp_path / "b", "Version B")
    lock = tmp_path / ".gradsite-lock-_site"
    one = gradsite("--content", str(first), "--out", "_site", "--cache-dir", "cache-a",
                   cwd=tmp_path)
    try:
        wait_for("the first build to take the lock", lock.exists)
        two = gradsite("--content", str(second), "--out", "_site", "--cache-dir", "cache-b",
                       cwd=tmp_path)
        code_two, _, err_two = finish(two)
    finally:
        code_one, _, err_one = finish(one)
    assert code_one == 0, err_one
    assert code_two == 0, err_two
    assert "Traceback" not in err_one + err_two
    assert f"waiting for the other build writing _site (pid {one.pid}) to finish" in err_two
    # The second build waited, so its site is the one left, whole: the same bytes as
    # the same course built on its own.
    alone = gradsite("--content", str(second), "--out", "alone", "--cache-dir", "cache-b",
                     cwd=tmp_path)
    assert finish(alone)[0] == 0
    site = read_tree(tmp_path / "_site")
    assert site == read_tree(tmp_path / "alone")
    assert b"Version B" in site["a/one.html"]
    assert leftovers(tmp_path) == []



def test_a_build_that_waited_for_the_same_course_finds_the_site_up_to_date(
    tmp_path: Path
) -> None:
    content = course(tmp_path / "a", "Version A", SLOW_CELL)
    lock = tmp_path / ".gradsite-lock-_site"
    args = ("--content", str(content), "--out", "_site", "--cache-dir", "cache")
    one = gradsite(*args, cwd=tmp_path)
    try:
        wait_for("the first build to take the lock", lock.exists)
        two = gradsite(*args, cwd=tmp_path)
        code_two, out_two, err_two = finish(two)
    finally:
        code_one, out_one, err_one = finish(one)
    assert code_one == 0 and code_two == 0, err_one + err_two
    assert f"waiting for the other build writing _site (pid {one.pid}) to finish" in err_two
    assert "built 2 chapters" in out_one
    # The first build made the site from the same inputs: the second builds nothing.
    assert "nothing changed since the last build: _site is up to date" in out_two
    assert "built" not in out_two and "cells:" not in out_two
    assert b"Version A" in read_tree(tmp_path / "_site")["a/one.html"]
    assert leftovers(tmp_path) == []

def test_serve_waits_for_a_build_writing_its_folder(tmp_path: Path) -> None:
    slow = course(tmp_path / "a", "Version A", SLOW_CELL)
    served = course(tmp_path / "b", "Version B")
    lock = tmp_path / ".gradsite-lock-_site"
    one = gradsite("--content", str(slow), "--out", "_site", "--cache-dir", "cache-a",
                   cwd=tmp_path)
    server = None
    try:
        wait_for("the build to take the lock", lock.exists)
        server = gradsite("serve", "--port", "0", "--content", str(served), "--out", "_site",
                          "--cache-dir", "cache-b", cwd=tmp_path)
        code_one, _, err_one = finish(one)
        assert code_one == 0, err_one
        wait_for("serve's build", lambda: (tmp_path / "_site/a/one.html").is_file()
                 and b"Version B" in (tmp_path / "_site/a/one.html").read_bytes())
        wait_for("the lock's release", lambda: not lock.exists())
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            code, out, err = finish(server)
    assert code == 0, err
    assert "Traceback" not in err + err_one
    assert f"waiting for the other build writing _site (pid {one.pid}) to finish" in err
    url = next(line.split(" at ", 1)[1].split()[0] for line in out.splitlines()
               if line.startswith("serving "))
    assert url.startswith("http://127.0.0.1:")
    assert "built 2 chapters" in out
    site = read_tree(tmp_path / "_site")
    assert b"Version B" in site["a/one.html"] and b"Version A" not in site["a/two.html"]
    assert leftovers(tmp_path) == []
