"""The plain, picklable data that crosses into worker processes and back."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from ..expr.function import CompiledFunction
    from ..model import ExploreSpec, PlotSpec

TaskKind = Literal["cell", "plot"]
OutputKind = Literal["figure", "text"]


@dataclass(frozen=True)
class Task:
    """One thing to run in a chapter's worker: a cell's code, or a plot block.

    ``index`` is the block's index in the chapter; ``code_line`` the line of
    the Markdown file where the code starts, so errors point into that file.
    """

    index: int
    kind: TaskKind
    code: str
    code_line: int
    format: str
    timeout: float
    plot: PlotSpec | ExploreSpec | None = None  # what a plot task draws
    function: CompiledFunction | None = None  # the declared function it draws
    fence_line: int = 0  # a cell's opening fence: where an error while drawing is reported


@dataclass(frozen=True)
class ChapterJob:
    path: str  # the chapter file as errors show it; also the code's file name
    cwd: str  # the chapter's folder: cells run there
    tasks: tuple[Task, ...]
    functions: dict[str, CompiledFunction]  # seeded into the cells' namespace
    # The course's folder: files under it that a cell reads are noted with their
    # hash (TaskResult.reads), so editing a data file runs the cell again.
    root: str = ""


@dataclass(frozen=True)
class AxesBox:
    """Where a figure's axes stand in its saved image, for a layer drawn over it: the
    plot area as shares of the image's width and height, and the data it spans."""

    left: float
    top: float
    width: float
    height: float
    x: tuple[float, float]  # the data range from the left edge to the right
    y: tuple[float, float]  # from the bottom edge to the top


@dataclass(frozen=True)
class StoredBytes:
    """A figure's bytes kept in the cache's store (``Cache.blob``), not in memory."""

    sha256: str
    size: int


@dataclass(frozen=True)
class Output:
    kind: OutputKind
    data: bytes  # figure bytes, or UTF-8 text; empty for a figure whose bytes are ``stored``
    format: str = ""  # "svg" or "png" for figures
    width: int = 0  # CSS pixels
    height: int = 0
    axes: AxesBox | None = None  # an explorer's figure: where its layer goes
    stored: StoredBytes | None = None


@dataclass(frozen=True)
class TaskError:
    line: int  # line of the Markdown file; 0 when unknown
    message: str  # "ZeroDivisionError: division by zero"
    traceback: str  # the cell's own frames only
    timed_out: bool = False


@dataclass(frozen=True)
class FileRead:
    path: str  # relative to the course's folder, POSIX
    sha256: str  # of the file's bytes when the cell had run


@dataclass(frozen=True)
class TaskResult:
    index: int
    outputs: tuple[Output, ...]
    error: TaskError | None = None
    reads: tuple[FileRead, ...] = ()  # files of the course the task opened to read
