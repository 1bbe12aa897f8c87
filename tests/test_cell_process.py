"""A cell's process and its edges: nothing of a build outlives its builder, a cell sees
the builder's environment and not the fork server's, and everything a cell prints
reaches the page, subprocesses and C code included (execute/worker.py, printed.py).

Builds are real: the builder is ``python build.py`` where it must be killed, and
the processes of a build are found through /proc by a variable in their
environment.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tests.exec_helpers import (
    FRONT,
    REPO,
    cell,
    cells_of,
    run_build,
    start_fork_server,
    write_course,
)

MARK = "GRADSITE_TEST_BUILD"


def _processes_marked(token: str) -> dict[int, str]:
    """The running processes (not zombies) whose environment holds ``MARK=token``,
    with their command lines."""
    wanted = f"{MARK}={token}".encode()
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes()
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(
                errors="replace")
        except OSError:
            continue  # ended meanwhile, or not ours to read
        if wanted in environ.split(b"\0") and state != "Z":
            found[int(entry.name)] = command
    return found


def _sleeping(token: str) -> int:
    return sum(c.startswith("sleep ") for c in _processes_marked(token).values())


def _builder(tmp_path: Path, token: str, *flags: str) -> subprocess.Popen[bytes]:
    """``python build.py`` on ``tmp_path/content``, marked with ``token``, in a session
    of its own (as a terminal's foreground job is a process group of its own)."""
    return subprocess.Popen(
        [sys.executable, str(REPO / "build.py"), "--content", "content", "--out", "_site",
         "--cache-dir", "cache", "-q", *flags],
        cwd=tmp_path, env={**os.environ, MARK: token}, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


SLEEPING_CELL = (
    "import os, subprocess, time\n"
    "subprocess.Popen(['sleep', '60'])\n"
    "os.system('sleep 61 &')  # through a shell, in the background\n"
    "open('started-{name}', 'w').close()\n"
    "time.sleep(50)\n"
)


# The terminal that closes sends SIGHUP to its foreground process group: the builder's,
# which the fork server shares; the chapters are in sessions of their own.
@pytest.mark.parametrize(("signum", "whole_group"), [(signal.SIGKILL, False),
                                                     (signal.SIGHUP, True)])
def test_nothing_of_a_build_outlives_its_killed_builder(tmp_path: Path, signum: int,
                                                        whole_group: bool) -> None:
    write_course(tmp_path / "content", {
        f"01-s/0{n}-c{n}.md": FRONT + cell(SLEEPING_CELL.format(name=f"c{n}"),
                                           "timeout: 55")
        for n in (1, 2)})
    token = uuid.uuid4().hex
    builder = _builder(tmp_path, token, "-j", "2")
    started = [tmp_path / "content" / "01-s" / f"started-c{n}" for n in (1, 2)]
    try:
        # the builder, the fork server, two chapters and their four sleeps (and more)
        deadline = time.monotonic() + 90
        while not (all(p.exists() for p in started) and _sleeping(token) == 4):
            assert builder.poll() is None, "the build ended before its cells ran"
            assert time.monotonic() < deadline, _processes_marked(token)
            time.sleep(0.05)
        if whole_group:
            os.killpg(builder.pid, signum)
        else:
            builder.send_signal(signum)
        builder.wait(timeout=10)
        killed = time.monotonic()
        while _processes_marked(token) and time.monotonic() - killed < 1.0:
            time.sleep(0.02)
        assert _processes_marked(token) == {}
    finally:
        builder.kill()
        builder.wait()
        for pid in _processes_marked(token):  # a failing run's leftovers
            os.kill(pid, signal.SIGKILL)


ENVIRONMENT_PROBE = (
    "import os, subprocess\n"
    "names = ('PYTHONPATH', 'PYTHONSAFEPATH', 'MPLBACKEND', 'FROM_THE_USER')\n"
    "print(sorted((n, os.environ[n]) for n in names if n in os.environ))\n"
    "lines = subprocess.run(['env'], capture_output=True, text=True).stdout.splitlines()\n"
    "print(sorted(line for line in lines if line.split('=')[0] in names))\n"
)


def test_a_cell_sees_the_users_environment_not_what_the_builder_set_for_itself(
    tmp_path: Path,
) -> None:
    # The fork server starts with PYTHONPATH (the folder that holds gradsite) and
    # PYTHONSAFEPATH set for itself: a cell and its subprocesses saw both, and a
    # script the cell ran did not find a module beside it (PYTHONSAFEPATH).
    write_course(tmp_path / "content", {"01-s/01-c.md": FRONT + cell(ENVIRONMENT_PROBE)})
    user = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    done = subprocess.run(
        [sys.executable, str(REPO / "build.py"), "--content", "content", "--out", "_site",
         "--cache-dir", "cache", "-q"],
        cwd=tmp_path, env={**user, "FROM_THE_USER": "kept"}, capture_output=True,
        text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    (found,) = cells_of(tmp_path / "_site" / "s" / "c.html")
    assert found.outputs[0].splitlines() == [
        "[('FROM_THE_USER', 'kept'), ('MPLBACKEND', 'agg')]",
        "['FROM_THE_USER=kept', 'MPLBACKEND=agg']",
    ]


def test_a_cell_sees_the_environment_of_its_build_not_of_the_fork_servers_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    # `serve` keeps one fork server for every build it makes.
    start_fork_server()  # it runs from here on, if it did not already
    monkeypatch.setenv("FROM_THE_USER", "set after the fork server started")
    monkeypatch.setenv("PYTHONPATH", "/the/users/own")
    write_course(tmp_path / "content", {"01-s/01-c.md": FRONT + cell(ENVIRONMENT_PROBE)})
    run_build(tmp_path)
    (found,) = cells_of(tmp_path / "_site" / "s" / "c.html")
    assert found.outputs[0].splitlines() == [
        "[('FROM_THE_USER', 'set after the fork server started'), ('MPLBACKEND', 'agg'), "
        "('PYTHONPATH', '/the/users/own')]",
        "['FROM_THE_USER=set after the fork server started', 'MPLBACKEND=agg', "
        "'PYTHONPATH=/the/users/own']",
    ]


PRINTS_EVERY_WAY = (
    "import ctypes, os, subprocess, sys\n"
    "import matplotlib.pyplot as plt\n"
    "print('print')\n"
    "os.system('echo os.system')\n"
    "subprocess.run(['echo', 'subprocess.run'])\n"
    "os.write(1, b'os.write(1)\\n')\n"
    "print('print to stderr', file=sys.stderr)\n"
    "os.write(2, b'os.write(2)\\n')\n"
    "ctypes.CDLL(None).printf(b'printf in C\\n')\n"
    "sys.__stdout__.write('sys.__stdout__\\n')\n"
    "plt.plot([0, 1])\n"
    "plt.show()\n"
    "sys.stdout.write('after the figure\\n')\n"
    "subprocess.run(['sh', '-c', 'echo to stderr from sh >&2'])\n"
)


def test_everything_a_cell_prints_reaches_the_page_in_order(tmp_path: Path) -> None:
    # Output written to file descriptors 1 and 2 (a subprocess, C code) went to the
    # builder's terminal, and C's printf was lost; as in Jupyter, it is the cell's.
    write_course(tmp_path / "content", {"01-s/01-c.md": FRONT + cell(PRINTS_EVERY_WAY) + cell(
        "import logging, os\n"
        "os.write(1, b'caf\\xc3\\xa9 \\xff\\n')  # not all UTF-8\n"
        "logging.basicConfig(format='%(levelname)s %(message)s')  # on this cell's stderr\n"
        "subprocess.run(['seq', '30000'])  # more than a pipe holds") + cell(
        "logging.warning('a handler made in an earlier cell')")})
    assert run_build(tmp_path).execution.cells_run == 3
    page = tmp_path / "_site" / "s" / "c.html"
    first, second, third = cells_of(page)
    assert first.order == ["code", "text", "figure", "text"]
    assert first.outputs == [
        "print\nos.system\nsubprocess.run\nos.write(1)\nprint to stderr\nos.write(2)\n"
        "printf in C\nsys.__stdout__\n",
        "after the figure\nto stderr from sh\n",
    ]
    (text,) = second.outputs
    assert text.startswith("café \\xff\n1\n2\n3\n") and text.endswith("\n29999\n30000\n")
    assert third.outputs == ["WARNING a handler made in an earlier cell\n"]
    built = page.read_bytes()
    assert run_build(tmp_path, cache="fresh-cache").execution.cells_run == 3
    assert page.read_bytes() == built  # the same on every run
    assert run_build(tmp_path, cache="fresh-cache").execution.cells_run == 0
    assert page.read_bytes() == built  # and from the cache


def test_nothing_a_cell_prints_reaches_the_builders_own_output(tmp_path: Path) -> None:
    write_course(tmp_path / "content", {"01-s/01-c.md": FRONT + cell(PRINTS_EVERY_WAY)})
    done = subprocess.run(
        [sys.executable, str(REPO / "build.py"), "--content", "content", "--out", "_site",
         "--cache-dir", "cache", "-q"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert (done.stdout, done.stderr) == ("", "")


def test_a_script_that_builds_without_a_main_guard_gets_the_fix_not_a_hang(
        tmp_path: Path) -> None:
    # Each chapter's process runs the builder's main script again as it starts; one
    # that builds at its top level would start a build there that waits for the
    # first one's output folder (up to ten minutes) while the first waits for it.
    write_course(tmp_path / "content", {"01-s/01-c.md": FRONT + cell("print(6 * 7)")})
    script = tmp_path / "unguarded.py"
    script.write_text("from gradsite.cli import entry\n\nentry()\n")
    done = subprocess.run(
        [sys.executable, str(script), "--content", "content", "--out", "_site",
         "--cache-dir", "cache", "-q"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert (f"{script}: this script starts a build each time it runs, and each of "
            "the build's chapter processes runs it again as it starts") in done.stderr
    assert 'hint: start the build under `if __name__ == "__main__":`' in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "_site").exists()
