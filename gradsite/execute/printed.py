"""What a running cell prints, caught where a terminal would see it: file descriptors 1
and 2, not only Python's ``sys.stdout``.

A subprocess (``os.system("echo hi")``, ``subprocess.run``), a C extension's
``printf`` and ``os.write(1, ...)`` write to the descriptors, not to Python's
streams; Jupyter shows their output too. For the cell's run, descriptors 1 and 2
point at one file, opened for appending, and ``sys.stdout`` and ``sys.stderr``
write to that file at once, unbuffered (as ``python -u`` does): every writer,
Python's print, a subprocess, a C library, lands in it in the order it wrote.
stdout and stderr share the file, as the page shows them as one stream. A file,
not a pipe: nothing has to read it while the cell runs, and a cell that prints a
lot never blocks on a full pipe.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import io
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from typing import Any

_fflush: Callable[[Any], int] | None
try:  # C's stdio buffers what a C extension prints with printf until fflush
    _fflush = ctypes.CDLL(None).fflush
except (OSError, AttributeError):  # no C library to ask: nothing can be flushed
    _fflush = None


class _CellStream(io.TextIOWrapper):
    """``sys.stdout`` and ``sys.stderr`` of a cell: text written through to the file
    at once. A lone surrogate (a file name that is not UTF-8, from os.listdir) has no
    UTF-8 form: it is written as its escape, ``\\udcff``, as Python's stderr does."""

    def close(self) -> None:
        # A cell that closes sys.stdout must not lose what it prints (here or later).
        self.flush()


class Printed:
    """A chapter process's catcher of what its cells print: one file, emptied as each
    cell starts; its size is the place in the text where a figure is shown."""

    def __init__(self) -> None:
        self.fd, path = tempfile.mkstemp(prefix="gradsite-printed-")
        os.unlink(path)  # gone with the process, however it ends
        fcntl.fcntl(self.fd, fcntl.F_SETFL, fcntl.fcntl(self.fd, fcntl.F_GETFL) | os.O_APPEND)
        # One stream for the process's life: a logging handler that a cell made with
        # it keeps printing into the later cells' text, as in a notebook.
        self.stream = _CellStream(io.FileIO(self.fd, "w", closefd=False), encoding="utf-8",
                                  errors="backslashreplace", write_through=True)

    @contextlib.contextmanager
    def caught(self) -> Iterator[None]:
        """Run the cell inside: descriptors 1 and 2, and ``sys.stdout`` and
        ``sys.stderr``, write to the file, emptied first."""
        _flush()  # what the process printed before is not the cell's
        os.ftruncate(self.fd, 0)
        saved = os.dup(1), os.dup(2)
        try:
            os.dup2(self.fd, 1)
            os.dup2(self.fd, 2)
            with contextlib.redirect_stdout(self.stream), contextlib.redirect_stderr(self.stream):
                yield
        finally:
            _flush()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            os.close(saved[0])
            os.close(saved[1])

    def position(self) -> int:
        """How many bytes the cell has printed so far, every buffer flushed."""
        _flush()
        return os.fstat(self.fd).st_size

    def read(self) -> bytes:
        """Everything the cell printed (once it has ended)."""
        size = os.fstat(self.fd).st_size
        chunks: list[bytes] = []
        done = 0
        while done < size:
            chunk = os.pread(self.fd, size - done, done)
            if not chunk:
                break  # emptied under us (a cell's leftover process): what was read
            chunks.append(chunk)
            done += len(chunk)
        return b"".join(chunks)


def _flush() -> None:
    """Write out what Python's and C's buffers hold, so it lands in its place."""
    for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
        with contextlib.suppress(Exception):  # closed or replaced by the cell: its loss
            if stream is not None:
                stream.flush()
    if _fflush is not None:
        _fflush(None)
