"""Progress of cell execution: a live line on a terminal, plain lines elsewhere (CI)."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from typing import TextIO


@dataclass(frozen=True)
class ExecutionStats:
    chapters: int  # chapters whose cells or plots had to run
    cells_run: int
    cells_cached: int
    figures: int
    seconds: float

    def summary(self) -> str:
        return (f"cells: {self.cells_run} run, {self.cells_cached} from cache, "
                f"{self.figures} figures, {self.chapters} chapters executed "
                f"in {self.seconds:.2f} s")


class Progress:
    def __init__(self, total: int, stream: TextIO | None = None, quiet: bool = False) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.live = self.stream.isatty()
        self.quiet = quiet
        self.total = total
        self.done = 0
        self.started = time.perf_counter()

    def task_done(self, chapter: str) -> None:
        self.done += 1
        if self.live and not self.quiet:
            self.stream.write(f"\rrunning cells: {self.done}/{self.total}  {chapter[-50:]:50}")
            self.stream.flush()

    def chapter_done(self, chapter: str) -> None:
        """A plain line per chapter where there is no terminal to redraw (CI, a pipe)."""
        if not self.live and not self.quiet:
            self.stream.write(f"ran {chapter} ({self.done}/{self.total} tasks)\n")

    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    def close(self) -> None:
        if self.live and not self.quiet and self.total:
            self.stream.write("\r" + " " * 78 + "\r")
            self.stream.flush()
