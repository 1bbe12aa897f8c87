"""The worker side: runs one chapter's tasks in a process of its own.

Imported once by the fork server (numpy and matplotlib with it), so each
chapter's process starts warm. Cells share one namespace, in order, like a
notebook. Code is compiled with the chapter's file name and its Markdown line
numbers, so a traceback points into the author's file. Never imports Jinja
or Markdown.
"""

from __future__ import annotations

import ast
import contextlib
import dataclasses
import faulthandler
import fcntl
import hashlib
import importlib.util
import multiprocessing
import os
import random
import re
import select
import signal
import site
import sys
import threading
import traceback
import types
import warnings
from collections.abc import Iterator
from multiprocessing import forkserver, resource_tracker
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("module://gradsite.execute.backend")

import matplotlib.pyplot as plt  # noqa: E402 - after choosing the backend
import numpy  # noqa: E402 - imported here so every forked worker has it warm
from cycler import cycler  # noqa: E402

# Imported here, so the fork server holds them: a chapter's process would
# otherwise import them again (unpickling its job needs expr) at ~0.1 s each.
from ..expr import function_namespace  # noqa: E402
from ..model import ExploreSpec  # noqa: E402
from ..plots.draw import NothingToDraw, draw_explorer, draw_plot  # noqa: E402
from ..style import HOUSE_STYLE, PALETTE  # noqa: E402
from . import backend  # noqa: E402
from .figures import save_figure  # noqa: E402
from .jobs import ChapterJob, FileRead, Output, Task, TaskError, TaskResult  # noqa: E402
from .printed import Printed  # noqa: E402

# matplotlib's type stubs name every setting in a Literal; the style's keys are
# plain strings (checked by matplotlib when it applies them).
_HOUSE_STYLE: Any = HOUSE_STYLE


def _warm_caches() -> None:
    """Draw and save one small figure with text and math, once, in the fork server:
    the font and mathtext caches it fills are inherited by every chapter's process."""
    with matplotlib.rc_context(_HOUSE_STYLE):
        figure, axes = plt.subplots(figsize=(2, 1.5))
        axes.plot([0, 1], [0, 1], label=r"$\nabla f(x)$")
        axes.set_title("warm-up")
        axes.legend()
        for fmt in ("svg", "png"):
            save_figure(figure, fmt)
        plt.close(figure)


_warm_caches()

# The fork server's path, as it imports this module: a fresh interpreter's (no
# script's folder: pool.warm_up starts it with PYTHONSAFEPATH), but for gradsite's
# parent folder, put first (PYTHONPATH) for the server's own start only. When
# gradsite is installed (not editable) that folder is site-packages, which a fresh
# interpreter has too: site.py then skips it, as already on the path, so it stays.
_PACKAGE_PARENT = str(Path(__file__).resolve().parents[2])
_SITE_DIRS = {os.path.realpath(d) for d in (*site.getsitepackages(), site.getusersitepackages())}
_FRESH_PATH = tuple(
    sys.path[1:]
    if sys.path[:1] == [_PACKAGE_PARENT] and os.path.realpath(_PACKAGE_PARENT) not in _SITE_DIRS
    else sys.path)


def run_job(job: ChapterJob, conn: Connection, slots: Any, fault_file: str = "",
            life: Connection | None = None,
            environment: dict[str, str] | None = None) -> None:
    """Entry point of a chapter's process: wait for a free slot (pool.py), then
    report each task's start and result.

    ``fault_file`` gets the Python stack if the process crashes (a segfault in
    compiled code), or if a cell is still running a second past its timeout
    (stuck in compiled code, where the timeout's exception cannot reach it):
    the builder reads the line it was on from there. ``life`` is the reading end
    of a pipe whose other end only the builder holds; ``environment`` the
    builder's environment, the cells' own.
    """
    # A session (and process group) of its own: whatever the cells start and leave
    # running is killed with the chapter (pool._stop). With no terminal, a process
    # that reads one fails at once, instead of being stopped (SIGTTIN) until killed.
    os.setsid()
    if life is not None:
        _end_with_the_builder(life.fileno())
    if environment is not None:
        _environment_of_the_cells(environment)
    fault = open(fault_file, "w") if fault_file else None  # noqa: SIM115 - lives with the process
    if fault is not None:
        faulthandler.enable(fault)
    os.chdir(job.cwd)
    _as_a_script_in_its_folder(job)
    matplotlib.rcParams.update(_HOUSE_STYLE)
    matplotlib.rcParams["axes.prop_cycle"] = cycler(color=list(PALETTE))
    # Random data drawn without a seed is the same on every build, as the rest of
    # the site is (numpy's default_rng() takes fresh entropy: authors pass a seed).
    random.seed(0)
    numpy.random.seed(0)
    namespace = _namespace(job)
    printed = Printed()
    reads = _ReadsOfTheCourse(job.root) if job.root else None
    chapter = os.getpid()
    failed = False
    with slots:  # freed before "end": the builder frees it only for a process that dies
        for task in job.tasks:
            is_plot = task.kind == "plot"
            if failed and not is_plot:
                continue  # later cells may depend on the failed one; a plot depends on none
            conn.send(("start", task.index))
            if reads is not None:
                reads.paths.clear()
            if fault is not None:
                faulthandler.dump_traceback_later(task.timeout + 1, file=fault)
            result = _run_plot(task) if is_plot else _run_cell(task, job.path, namespace, printed)
            if os.getpid() != chapter:
                # A child the cell forked (os.fork()) came out of the cell: it is not the
                # chapter, to report or run the next cells (its parent may wait for it).
                os._exit(0 if result.error is None else 1)
            faulthandler.cancel_dump_traceback_later()
            if reads is not None and reads.paths and result.error is None:
                result = dataclasses.replace(result, reads=reads.hashed())
            conn.send(("done", result))
            failed = failed or result.error is not None
    conn.send(("end", None))
    conn.close()


def _end_with_the_builder(life: int) -> None:
    """Kill this chapter's process group, the cells' subprocesses with it, the moment
    the builder ends, however it ends (SIGKILL, a closed terminal): the builder
    holds the only writing end of the ``life`` pipe, which the system closes then.

    On Linux the kernel itself sends the signal: a pipe whose writing end closes
    signals its reader's owner, here the whole process group, with the signal
    F_SETSIG names, SIGKILL. No thread, so a cell that forks sees a process of one
    thread, and nothing waits for the interpreter. Elsewhere a thread watches.
    """
    # Nor do the cells' subprocesses need the fork server's and the resource tracker's
    # pipes, passed to every chapter: one that a subprocess holds keeps them alive.
    for fd in (life, getattr(forkserver._forkserver, "_forkserver_alive_fd", None),
               getattr(resource_tracker._resource_tracker, "_fd", None)):
        if fd is not None:
            with contextlib.suppress(OSError):
                os.set_inheritable(fd, False)
    setsig = getattr(fcntl, "F_SETSIG", None)
    if setsig is not None:
        fcntl.fcntl(life, fcntl.F_SETOWN, -os.getpgrp())
        fcntl.fcntl(life, setsig, signal.SIGKILL)
        fcntl.fcntl(life, fcntl.F_SETFL, fcntl.fcntl(life, fcntl.F_GETFL) | os.O_ASYNC)
        if select.select([life], [], [], 0)[0]:  # the builder ended before the line above
            os.killpg(0, signal.SIGKILL)
        return

    def watch() -> None:
        with contextlib.suppress(OSError):
            os.read(life, 1)  # the builder never writes: this returns when it has gone
        os.killpg(0, signal.SIGKILL)

    threading.Thread(target=watch, name="gradsite-builder-life", daemon=True).start()


# Set by the engine on purpose: a Python script that a cell runs draws without a
# window (plt.show() would otherwise open one and wait for it to be closed).
ENGINE_ENVIRONMENT = {"MPLBACKEND": "agg"}


def _environment_of_the_cells(environment: dict[str, str]) -> None:
    """The builder's environment as the build found it, not the fork server's: that
    started with PYTHONPATH and PYTHONSAFEPATH set for its own start (pool.warm_up),
    and with the builder's environment of then, not of this build (serve)."""
    os.environ.clear()
    os.environ.update(environment)
    os.environ.update(ENGINE_ENVIRONMENT)


class _ReadsOfTheCourse:
    """The files under the course's folder that the chapter's code opens to read.

    An audit hook (PEP 578) hears every open() -- numpy.loadtxt, pandas, PIL and
    plain open() alike -- at a cost of a function call per audited event; it stays
    for the life of this chapter's process, which ends with the chapter.
    """

    def __init__(self, root: str) -> None:
        self.root = os.path.realpath(root)
        self.paths: set[str] = set()
        sys.addaudithook(self._hear)

    def _hear(self, event: str, args: tuple[Any, ...]) -> None:
        if event != "open" or isinstance(args[0], int):
            return
        path, mode, flags = args
        writing = (mode is not None and any(c in mode for c in "wax")) or (
            mode is None and flags & (os.O_WRONLY | os.O_CREAT))
        if writing or path is None:
            return
        full = os.path.realpath(os.fsdecode(path))
        if full.startswith(self.root + os.sep):
            if full.endswith(".pyc") and os.sep + "__pycache__" + os.sep in full:
                # An import of a module next to the chapter read its bytecode, which is
                # written again only on the next import: the source is what changes.
                with contextlib.suppress(ValueError):
                    full = importlib.util.source_from_cache(full)
            self.paths.add(full)

    def hashed(self) -> tuple[FileRead, ...]:
        found = []
        for full in sorted(self.paths):
            try:
                with open(full, "rb") as handle:  # heard too: a read of the course
                    sha = hashlib.file_digest(handle, "sha256").hexdigest()
            except OSError:
                continue  # gone, or a folder: nothing to compare next time
            found.append(FileRead(os.path.relpath(full, self.root).replace(os.sep, "/"), sha))
        return tuple(found)


def _as_a_script_in_its_folder(job: ChapterJob) -> None:
    """Give the cells what a script in the chapter's folder would see, not what the
    fork server's spawn copied from the builder.

    The folder comes first on the path, so a module next to the chapter imports
    (as Jupyter puts the notebook's folder first); the builder's script folder and
    its flags are none of the cells' business (a page printed them, argparse read
    them). multiprocessing's children inherit their start method, here the fork
    server's: the platform's default (fork, on Linux) lets a Pool's workers find a
    function defined in a cell, as in a notebook.
    """
    sys.path[:] = [os.getcwd(), *_FRESH_PATH]
    sys.argv = [os.path.basename(job.path)]
    multiprocessing.set_start_method(None, force=True)


def _namespace(job: ChapterJob) -> dict[str, Any]:
    """That of a fresh module installed as ``__main__``, as IPython runs cells: pickle
    finds a function by its module, so one that a cell defines reaches a Pool's workers."""
    main = types.ModuleType("__main__")
    namespace = main.__dict__
    namespace["__builtins__"] = __builtins__
    if job.functions:
        namespace.update(function_namespace(job.functions))
    sys.modules["__main__"] = main
    return namespace


def _run_cell(task: Task, path: str, namespace: dict[str, Any], printed: Printed) -> TaskResult:
    offset = task.code_line - 1
    try:
        tree = ast.parse(task.code, filename=path)
    except SyntaxError as exc:
        line = (exc.lineno or 1) + offset
        message = f"SyntaxError: {exc.msg}"
        return TaskResult(task.index, (), TaskError(line, message, ""))
    ast.increment_lineno(tree, offset)
    code = compile(tree, path, "exec")
    drawing = False
    with printed.caught(), backend.capture(printed.position) as shown:
        try:
            with _timeout(task.timeout):
                exec(code, namespace)  # noqa: S102 - running the author's cell is the point
                # Drawing happens on save: a bad label or mathtext fails here, in the cell.
                drawing = True
                figures = _save_figures(task, path, namespace, shown)
        except BaseException as exc:  # noqa: BLE001 - any failure of the cell is reported
            plt.close("all")
            error = _task_error(exc, path)
            if drawing:
                error = _drawing_error(error, exc, task)
            return TaskResult(task.index, (), error)
    return TaskResult(task.index, in_order(printed.read(), figures))


def in_order(text: bytes, figures: list[tuple[int, Output]]) -> tuple[Output, ...]:
    """The cell's outputs as they were produced: its printed ``text`` cut at each
    figure's place in it (the figures in order, with how many bytes had been
    printed when each was shown), as a notebook shows a cell's outputs. Bytes that
    are not UTF-8 (a subprocess's) show as their escapes, ``\\xff``."""
    outputs: list[Output] = []
    start = 0
    for at, figure in [*figures, (len(text), None)]:
        shown = printable(text[start:at].decode("utf-8", "backslashreplace"))
        if shown:
            outputs.append(Output("text", shown.encode("utf-8")))
        if figure is not None:
            outputs.append(figure)
        start = at
    return tuple(outputs)


def _drawing_line(task: Task) -> int:
    """Where a figure's drawing is reported when no line of the cell's code is
    running: the cell's fence."""
    return task.fence_line or task.code_line - 1


def _save_figures(task: Task, path: str, namespace: dict[str, Any],
                  shown: backend.CellOutput) -> list[tuple[int, Output]]:
    """The cell's figures, saved, each with its place in the printed text.
    Matplotlib's warnings while drawing them (a constrained layout that
    collapsed, say) are the cell's: they are warned again at the cell's line,
    so they land in its printed output as its own warnings do, through its
    filters, and not at gradsite's line that saved."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")  # the cell's filters apply when warned again
        figures = [(at, save_figure(figure, task.format))
                   for figure, at in shown.take_figures()]
    registry = namespace.setdefault("__warningregistry__", {})  # as for the cell's own
    for each in caught:
        # A tick formatter the cell defined keeps its own line.
        line = each.lineno if each.filename == path else _drawing_line(task)
        warnings.warn_explicit(each.message, each.category, path, line,
                               module=namespace.get("__name__"), registry=registry)
    return figures


# The position pyparsing appends; the span itself is quoted instead.
_MATHTEXT_POSITION = re.compile(r"\s+\(at char \d+\), \(line:\d+, col:\d+\)$")


def _drawing_error(error: TaskError, exc: BaseException, task: Task) -> TaskError:
    """An error raised while a figure was drawn, after the cell's code ran: at the
    line of the cell's code that raised if any (a tick formatter it defined), else
    at its fence, never at its first line; the message on one line."""
    line = error.line or _drawing_line(task)
    if error.timed_out:
        return dataclasses.replace(error, line=line)
    message = " ".join(part.strip() for part in error.message.splitlines() if part.strip())
    frames = traceback.extract_tb(exc.__traceback__)
    parts = str(exc).strip("\n").split("\n")
    if (isinstance(exc, ValueError) and frames and len(parts) == 3
            and frames[-1].filename.endswith(os.path.join("matplotlib", "_mathtext.py"))):
        # matplotlib's ValueError: the span, a caret under it, then pyparsing's reason.
        reason = _MATHTEXT_POSITION.sub("", parts[2].partition(": ")[2])
        message = printable(f"ValueError: mathtext cannot parse ${parts[0]}$: {reason}")
    return dataclasses.replace(error, line=line, message="drawing its figure failed: " + message)


def _run_plot(task: Task) -> TaskResult:
    assert task.plot is not None and task.function is not None  # a plot task has both
    try:
        if isinstance(task.plot, ExploreSpec):
            figure, axes = draw_explorer(task.plot, task.function)
            return TaskResult(task.index, (save_figure(figure, task.format, axes),))
        figure = draw_plot(task.plot, task.function)
        return TaskResult(task.index, (save_figure(figure, task.format),))
    except NothingToDraw as exc:  # the author's to fix: said in words, no exception name
        return TaskResult(task.index, (), TaskError(task.code_line, str(exc), ""))
    except Exception as exc:  # noqa: BLE001 - reported at the block's line
        message = f"{type(exc).__name__}: {exc}"
        return TaskResult(task.index, (), TaskError(task.code_line, message, ""))


# Terminal control: colour and cursor sequences (ESC [ ... letter, ESC ] ... BEL),
# then any other control character but newline and tab.
_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b.?")
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def printable(text: str) -> str:
    """Printed text as a terminal would leave it, without control characters.

    Colour codes (from coloured logging, tqdm, ...) are dropped; a line that a
    carriage return rewrote keeps its last version, as on screen. HTML has no
    place for the rest (the Nu checker rejects them), nor does the builder's
    own terminal when an error message carries them.

    A lone surrogate (a file name that is not UTF-8, from os.listdir) has no UTF-8
    form: it is shown as its escape, ``\\udcff``, as Python's own stderr shows it.
    """
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    text = _ESCAPES.sub("", text.replace("\r\n", "\n"))
    text = "\n".join(line.rsplit("\r", 1)[-1] for line in text.split("\n"))
    return _CONTROLS.sub("", text)


class CellTimeout(BaseException):
    """Raised in a cell that ran past its timeout (a BaseException: ``except Exception``
    in the cell does not swallow it)."""


@contextlib.contextmanager
def _timeout(seconds: float) -> Iterator[None]:
    """Interrupt the cell where it stands after ``seconds``, so the error names the
    line it was running. Code stuck outside Python bytecode is still killed by the
    builder a little later."""

    def expire(signum: int, frame: object) -> None:
        raise CellTimeout(f"the cell ran longer than its timeout of {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _task_error(exc: BaseException, path: str) -> TaskError:
    """The exception, with only the frames of the author's own file."""
    frames = traceback.extract_tb(exc.__traceback__)
    own = [frame for frame in frames if frame.filename == path]
    line = own[-1].lineno if own and own[-1].lineno else 0
    if isinstance(exc, CellTimeout):
        return TaskError(line, str(exc), "".join(traceback.format_list(own)).rstrip(), True)
    if isinstance(exc, SystemExit):
        message = f"SystemExit: the cell called exit({exc.code!r})"
    else:
        message = "".join(traceback.format_exception_only(type(exc), exc)).strip()
    shown = "".join(traceback.format_list(own)) if own else ""
    return TaskError(line, printable(message), printable(shown.rstrip()))


if __name__ == "__main__":  # pragma: no cover - imported, never run as a script
    sys.exit("gradsite.execute.worker is started by the builder")
