"""Warm, isolated worker processes: one per chapter, forked from a fork server.

The fork server imports numpy, matplotlib and the worker module once; each
chapter then gets a fresh process forked from it, so no state passes between
chapters, a crash or a hang cannot take the build down, and no chapter pays
for ``import matplotlib`` again. What a chapter's cells start and leave running
is killed with it (its process group), and every chapter's process group is
killed the moment the builder ends, however it ends (a pipe whose reading end
each chapter's process holds; worker.py). Up to ``jobs`` chapters run at once;
the worker interrupts a cell at its timeout itself (naming the line it was on);
here, a worker still busy a grace period later is killed.

The hand-over between chapters does not wait for the builder: one process more
than ``jobs`` is started, and each takes one of ``jobs`` slots (a semaphore the
processes share) before its first cell and frees it after its last, so the
next chapter starts the moment a core is free, even while the builder's own
thread is busy rendering. A process that dies or is killed holding a slot has
it freed here. Where the system has no shared semaphores, no process is started
ahead and the builder hands over.
"""

from __future__ import annotations

import atexit
import contextlib
import multiprocessing
import multiprocessing.connection
import os
import re
import signal
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing import forkserver
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from .jobs import ChapterJob, Task, TaskError, TaskResult
from .starting import refuse_in_a_starting_worker

# This module too: each chapter's process starts in its _run_in_child, and would
# otherwise import it again.
PRELOAD = ["numpy", "matplotlib", "gradsite.execute.worker", "gradsite.execute.pool",
           "gradsite.execute.server"]
_context = multiprocessing.get_context("forkserver")


def warm_up() -> None:
    """Start the fork server now, so it imports matplotlib while the builder works.

    Python 3.11's fork server ignores the builder's sys.path when it imports the
    preload modules (and swallows the ImportError), so it gets the folder that
    holds gradsite through PYTHONPATH, for its own start only; PYTHONSAFEPATH
    keeps the current folder off its path, where another copy of gradsite could
    shadow the builder's own.
    """
    refuse_in_a_starting_worker()
    _context.set_forkserver_preload(PRELOAD)
    package_parent = str(Path(__file__).resolve().parents[2])
    previous = {name: os.environ.get(name) for name in ("PYTHONPATH", "PYTHONSAFEPATH")}
    os.environ["PYTHONPATH"] = os.pathsep.join(
        p for p in (package_parent, previous["PYTHONPATH"]) if p)
    os.environ["PYTHONSAFEPATH"] = "1"
    try:
        forkserver.ensure_running()
    finally:
        for name, value in previous.items():
            if value is None:
                del os.environ[name]
            else:
                os.environ[name] = value


def _stop_fork_server() -> None:
    """End the fork server with the builder, at once.

    Left to itself it outlives the builder by the time it takes to tear down an
    interpreter holding matplotlib (~0.2 s), with the builder's stdout and stderr
    open: whoever reads them through a pipe (`| tee`, CI) waits for it. It holds
    no state worth a clean exit. Its pid is not public API, hence the getattr. A
    process forked from the builder inherits this handler, and must leave the
    builder's fork server alone.
    """
    pid = getattr(forkserver._forkserver, "_forkserver_pid", None)
    if pid and os.getpid() == _IMPORTED_BY:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGTERM)


_IMPORTED_BY = os.getpid()
atexit.register(_stop_fork_server)


@dataclass
class _Running:
    job: ChapterJob
    process: Any
    conn: Connection
    alive: Connection  # the builder's end of the chapter's life pipe
    current: int | None = None
    started: float = 0.0
    fault_file: str = ""  # where its faulthandler writes (see run_jobs)
    results: list[TaskResult] = field(default_factory=list)
    holds_slot: bool = False  # from its first "start" to its "end"


def run_jobs(
    jobs: list[ChapterJob],
    workers: int,
    on_result: Callable[[ChapterJob, TaskResult], None] = lambda job, result: None,
    cancel: threading.Event | None = None,
    on_end: Callable[[ChapterJob], None] = lambda job: None,
) -> dict[str, list[TaskResult]]:
    """Run every job, ``workers`` at a time; results by chapter path, in task order.

    ``on_result`` hears each task's result as it comes, ``on_end`` each job's end
    (done, failed, timed out or died). Once ``cancel`` is set, every running
    process is killed and no job starts (and no job's end is heard).
    """
    warm_up()
    workers = max(workers, 1)
    try:
        slots: Any = _context.Semaphore(workers)
        waiting = 1  # processes started ahead, waiting for a slot
    except (ImportError, OSError):  # no POSIX semaphores here (no /dev/shm)
        slots, waiting = _NoSlots(), 0
    pending = list(jobs)
    running: dict[Connection, _Running] = {}
    finished: dict[str, list[TaskResult]] = {}
    stopped: list[Any] = []  # processes killed, not yet reaped
    # Where each chapter's process writes the Python stack when it crashes or hangs
    # in compiled code (faulthandler), so the error can name the line it was on.
    faults = tempfile.TemporaryDirectory(prefix="gradsite-faults-")
    # The cells' environment: the builder's as it is now. The fork server's is that
    # of its start, with PYTHONPATH and PYTHONSAFEPATH set for it (warm_up).
    environment = dict(os.environ)

    def stop(state: _Running) -> None:
        if state.holds_slot:
            slots.release()
        stopped.append(_stop(state))

    try:
        while pending or running:
            while pending and len(running) < workers + waiting:
                job = pending.pop(0)
                parent_end, child_end = _context.Pipe(duplex=False)
                # Not a daemon: a daemonic process may not start processes, and a cell
                # may well use a multiprocessing.Pool. Every process is killed in the
                # finally below if the build ends before it does.
                fault_file = os.path.join(faults.name, f"{len(jobs) - len(pending)}.txt")
                # Only the builder holds the writing end, ``alive``: the system closes it
                # when the builder ends, however it ends, and the chapter's process group
                # is killed then (worker._end_with_the_builder). One pipe per chapter:
                # its reading end names the group to kill.
                life, alive = _context.Pipe(duplex=False)
                process = _context.Process(
                    target=_run_in_child,
                    args=(job, child_end, slots, fault_file, life, environment))
                process.start()
                child_end.close()
                life.close()
                running[parent_end] = _Running(job, process, parent_end, alive,
                                               fault_file=fault_file)
            timeout = _next_timeout(running)
            if cancel is not None:
                if cancel.is_set():
                    break  # the finally below kills what still runs
                timeout = min(timeout, _CANCEL_POLL)
            ready = multiprocessing.connection.wait(list(running), timeout=timeout)
            for conn in ready:
                assert isinstance(conn, Connection)  # wait() returns what it was given
                state = running[conn]
                if _receive(state, on_result):
                    stop(state)
                    finished[state.job.path] = state.results
                    del running[conn]
                    on_end(state.job)
            for conn, state in list(running.items()):
                if _timed_out(state):
                    task = _task(state.job, state.current)
                    stop(state)
                    error = TaskError(_line_from_fault(state, task), f"the cell ran longer than "
                                      f"its timeout of {task.timeout:g} s and was stopped", "",
                                      True)
                    state.results.append(TaskResult(task.index, (), error))
                    on_result(state.job, state.results[-1])
                    finished[state.job.path] = state.results
                    del running[conn]
                    on_end(state.job)
            stopped[:] = [process for process in stopped if process.exitcode is None]
    finally:
        for state in running.values():
            stop(state)
        for process in stopped:
            process.join()
        faults.cleanup()
    return finished


class _NoSlots:
    """The slots where the system has no shared semaphores: no process is started
    ahead, so none has to wait, and the builder hands over between chapters."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None

    def release(self) -> None:
        return None


def _run_in_child(job: ChapterJob, conn: Connection, slots: Any, fault_file: str,
                  life: Connection, environment: dict[str, str]) -> None:
    # The worker module is imported here, in the child (the fork server already
    # holds it): importing it in the builder would load pyplot there for nothing.
    from .worker import run_job

    run_job(job, conn, slots, fault_file, life, environment)


def _receive(state: _Running, on_result: Callable[[ChapterJob, TaskResult], None]) -> bool:
    """Handle one message; True when the job is over (finished or its process died)."""
    try:
        kind, payload = state.conn.recv()
    except (EOFError, OSError):
        state.process.join(timeout=5)
        done = {r.index for r in state.results}
        failed = any(r.error is not None for r in state.results)
        unfinished = [t for t in state.job.tasks if t.index not in done]
        if unfinished and not failed:
            # The process died without a word: blame the task it was on (or was to start).
            task = _task(state.job, state.current) if state.current is not None else unfinished[0]
            error = TaskError(_line_from_fault(state, task), _death(state.process.exitcode), "")
            state.results.append(TaskResult(task.index, (), error))
            on_result(state.job, state.results[-1])
        return True
    if kind == "start":
        state.current, state.started = payload, time.monotonic()
        state.holds_slot = True
    elif kind == "done":
        state.results.append(payload)
        on_result(state.job, payload)
        state.current = None
    elif kind == "end":
        state.holds_slot = False
    return kind == "end"


def _death(code: int | None) -> str:
    """Why a chapter's process ended without a word, from its exit code."""
    if code is not None and code < 0:
        with contextlib.suppress(ValueError):
            name = signal.Signals(-code).name
            why = {"SIGSEGV": "a crash in compiled code", "SIGABRT": "an abort in compiled "
                   "code", "SIGKILL": "killed, perhaps for using too much memory"}.get(name)
            return f"its process ended on signal {name}" + (f" ({why})" if why else "")
    return (f"its process ended before the cell finished (exit code {code}): os._exit() "
            "or a library that ends the process")


def _line_from_fault(state: _Running, task: Task) -> int:
    """The Markdown line the cell was on when its process crashed or was stopped,
    from faulthandler's stack (most recent call first); the cell's first line if
    the stack does not say."""
    try:
        with open(state.fault_file, encoding="utf-8", errors="replace") as handle:
            stack = handle.read()
    except OSError:
        return task.code_line
    where = re.search(rf'File "{re.escape(state.job.path)}", line (\d+)', stack)
    return int(where.group(1)) if where else task.code_line


def _task(job: ChapterJob, index: int | None):  # type: ignore[no-untyped-def]
    return next(t for t in job.tasks if t.index == index)


def _timed_out(state: _Running) -> bool:
    if state.current is None:
        return False
    return time.monotonic() - state.started > _deadline(state)


KILL_GRACE = 3.0  # seconds past a task's timeout before its worker is killed
_CANCEL_POLL = 0.1  # seconds between looks at ``cancel`` while chapters run


def _deadline(state: _Running) -> float:
    return _task(state.job, state.current).timeout + KILL_GRACE


def _next_timeout(running: dict[Connection, _Running]) -> float:
    waits = [
        _deadline(s) - (time.monotonic() - s.started)
        for s in running.values()
        if s.current is not None
    ]
    return max(min(waits, default=1.0), 0.01)


def _stop(state: _Running) -> Any:
    """Kill the job's process if it still runs, and what its cells left running;
    reaped later (``exitcode``, ``join``): waiting here for a big process to be torn
    down would keep a core idle."""
    # The process leads a process group of its own (worker.run_job), which its cells'
    # subprocesses, forked children and Pools join: they end with the chapter. No such
    # group yet (killed before it began) or any more (it and they ended): nothing to do.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(state.process.pid, signal.SIGKILL)
    if state.process.is_alive():
        state.process.kill()
    state.conn.close()
    state.alive.close()
    return state.process
