"""Planning execution: cache keys, what must run, and the results assembled in order.

Keys hash everything that changes a result: gradsite's, numpy's and
matplotlib's versions, the house style, the chapter's folder (the cells'
working directory), the chapter's declared functions, and
for a cell the code and format of every cell up to it (cells share a
namespace, so a cell's output depends on the cells before it). Captions, alt
text and line numbers are not part of a key: editing prose runs nothing. An
entry also lists the files of the course its cell read, with their hashes;
one that changed makes the entry a miss.

When any cell of a chapter misses, all of that chapter's cells run: the
namespace the edited cell sees can only be rebuilt by running the cells
before it. Plot blocks are independent and run only when their own key misses.
"""

from __future__ import annotations

import hashlib
import re
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from ..cache import Cache
from ..diagnostics import BuildFailed, Diagnostic, Location, error
from ..fingerprint import canonical, digest, environment_key
from ..model import Cell, Chapter, CheckedChapter, ExploreSpec, FunctionDecl, Plot, PlotSpec
from .jobs import ChapterJob, FileRead, Output, StoredBytes, Task, TaskError, TaskResult
from .progress import ExecutionStats, Progress


def _functions_key(decls: tuple[FunctionDecl, ...]) -> str:
    """The declared functions as cells and plots see them (their LaTeX is not drawn)."""
    return canonical([[d.name, d.expr, d.vars, d.gradient, d.domain] for d in decls])


def figure_key(spec: PlotSpec | ExploreSpec) -> str:
    """Everything a plot's figure depends on: the caption and the alt text are shown
    beside the figure, not drawn in it, and its place in the file is no part of it.
    An explorer's figure is its static part: what the reader moves is drawn by the page."""
    if isinstance(spec, ExploreSpec):
        return canonical([spec.function, spec.kind, spec.domain, spec.levels])
    drawn = replace(spec, caption="", alt="", id="", location=Location(""),
                    caption_location=Location(""))
    return canonical(drawn)


def task_keys(work: CheckedChapter, env_key: str) -> dict[int, str]:
    """The cache key of every cell and plot of a chapter, by block index."""
    keys: dict[int, str] = {}
    functions = _functions_key(work.chapter.functions)
    # The folder is part of the key: cells run there, and may read files next to them.
    chain = digest(env_key, work.chapter.source.parent.name, functions)
    for cell in work.cells:
        chain = digest(chain, "cell", cell.code, cell.options.format)
        keys[cell.block.index] = chain
    for plot in work.plots:
        keys[plot.index] = digest(env_key, "plot", figure_key(plot.spec), plot.format,
                                  functions)
    return keys


def execute_course(
    works: list[CheckedChapter],
    cache: Cache,
    workers: int,
    quiet: bool = False,
    on_chapter: Callable[[Path, dict[int, tuple[Output, ...]] | None], None] = lambda s, o: None,
    cancel: threading.Event | None = None,
    on_planned: Callable[[int], None] = lambda tasks: None,
) -> tuple[dict[Path, dict[int, tuple[Output, ...]]], list[Diagnostic], ExecutionStats]:
    """Outputs of every cell and plot, by chapter file and block index; failures as errors.

    ``on_planned`` hears how many tasks will run once the cache has been read, before
    any runs. ``on_chapter`` hears of each chapter as soon as its outputs are final
    (None: it failed), from the thread that runs this, so the builder can render it
    meanwhile.
    Setting ``cancel`` stops every running chapter at once (the build was stopped).
    """
    env_key = environment_key()
    outputs: dict[Path, dict[int, tuple[Output, ...]]] = {}
    jobs: list[ChapterJob] = []
    keys_of: dict[str, dict[int, str]] = {}
    by_path: dict[str, CheckedChapter] = {}
    cached_cells = 0
    current = FileHashes()
    for work in works:
        keys = task_keys(work, env_key)
        found = cached_outputs(work, keys, cache, current)
        chapter_outputs = {i: o for i, o in found.items() if o is not None}
        outputs[work.chapter.source] = chapter_outputs
        cell_hits = all(found[c.block.index] is not None for c in work.cells)
        tasks = [] if cell_hits else [_cell_task(c) for c in work.cells]
        cached_cells += len(work.cells) if cell_hits else 0
        tasks += [_plot_task(p) for p in work.plots if found[p.index] is None]
        if tasks:
            path = work.chapter.display_path
            jobs.append(ChapterJob(path, str(work.chapter.source.parent), tuple(tasks),
                                   work.functions, str(_course_folder(work.chapter))))
            keys_of[path] = keys
            by_path[path] = work
    on_planned(sum(len(job.tasks) for job in jobs))
    if jobs:
        # Imported only now: a build with every output cached starts no process.
        from .pool import run_jobs, warm_up

        warm_up()
    for work in works:
        if work.chapter.display_path not in by_path:
            on_chapter(work.chapter.source, outputs[work.chapter.source])
    progress = Progress(sum(len(j.tasks) for j in jobs), quiet=quiet)
    problems: list[Diagnostic] = []
    cells_run = 0

    failed: set[str] = set()  # chapters with a failed task: none of their outputs shows

    def on_result(job: ChapterJob, result: TaskResult) -> None:
        nonlocal cells_run
        source = by_path[job.path].chapter.source
        task = next(t for t in job.tasks if t.index == result.index)
        cells_run += task.kind == "cell"
        progress.task_done(job.path)
        if result.error is not None:
            # After a failed task the worker skips the chapter's later cells but runs
            # its plots, which depend on no cell: all their errors come at once.
            problems.append(_failure(job.path, task, result))
            failed.add(job.path)
            return
        kept = tuple(_kept(output, cache) for output in result.outputs)
        outputs[source][result.index] = kept
        cache.put(keys_of[job.path][result.index], CachedTask(kept, result.reads))

    def on_end(job: ChapterJob) -> None:
        progress.chapter_done(job.path)
        source = by_path[job.path].chapter.source
        on_chapter(source, None if job.path in failed else outputs[source])

    if jobs:
        run_jobs(jobs, workers, on_result, cancel, on_end)
    progress.close()
    figures = sum(
        1 for chapter in outputs.values() for outs in chapter.values() for o in outs
        if o.kind == "figure"
    )
    stats = ExecutionStats(len(jobs), cells_run, cached_cells, figures, progress.elapsed())
    return outputs, problems, stats


@dataclass(frozen=True)
class CachedTask:
    """A cache entry of a cell or plot: its outputs, and the course's files it read."""

    outputs: tuple[Output, ...]
    reads: tuple[FileRead, ...] = ()


class FileHashes:
    """The course's files as they are now, hashed once per build when an entry asks."""

    def __init__(self) -> None:
        self.known: dict[Path, str | None] = {}

    def sha256(self, path: Path) -> str | None:
        if path not in self.known:
            try:
                self.known[path] = hashlib.sha256(path.read_bytes()).hexdigest()
            except OSError:
                self.known[path] = None
        return self.known[path]


def _outputs(value: object, current: FileHashes, root: Path,
             cache: Cache) -> tuple[Output, ...] | None:
    """The outputs of a cache entry, or None (a miss) if it is damaged, a figure it
    names is gone from the store, or a file it read has changed since: a cell that
    loads data/points.csv runs again once the file is edited, though its code is
    the same."""
    if not (isinstance(value, CachedTask) and isinstance(value.outputs, tuple)
            and all(isinstance(o, Output) for o in value.outputs)):
        return None
    if any(o.stored is not None and not cache.has_blob(o.stored.sha256)
           for o in value.outputs):
        return None
    for read in value.reads:
        if current.sha256(root / read.path) != read.sha256:
            return None
    return value.outputs


def _kept(output: Output, cache: Cache) -> Output:
    """``output`` with a figure's bytes kept in the cache's store, not in memory
    (a big course's figures are hundreds of MB); as it is where they cannot be."""
    if output.kind != "figure" or output.stored is not None:
        return output
    sha256 = cache.put_blob(output.data)
    if sha256 is None:
        return output
    return replace(output, data=b"", stored=StoredBytes(sha256, len(output.data)))


def output_bytes(output: Output, cache: Cache) -> bytes:
    """The bytes of ``output``, from the cache's store for a figure kept there."""
    if output.stored is None:
        return output.data
    found = cache.blob(output.stored.sha256)
    if found is None:  # deleted or damaged while the build ran
        folder = cache.folder if cache.folder is not None else "the cache"
        raise BuildFailed([error(Location(str(folder)), "a figure kept in the cache is gone "
                                 "or damaged", "build again: its cell runs again")])
    return found


def output_hash(output: Output) -> str:
    """The sha256 of ``output``'s bytes, wherever they are."""
    if output.stored is not None:
        return output.stored.sha256
    return hashlib.sha256(output.data).hexdigest()


def cached_outputs(work: CheckedChapter, keys: dict[int, str], cache: Cache,
                   current: FileHashes) -> dict[int, tuple[Output, ...] | None]:
    """The cached outputs of each cell and plot of a chapter (None: must run)."""
    root = _course_folder(work.chapter)
    return {index: _outputs(cache.get(key), current, root, cache) for index, key in keys.items()}


def _course_folder(chapter: Chapter) -> Path:
    return chapter.source.parent.parent  # content/<section>/<chapter>.md


def _cell_task(cell: Cell) -> Task:
    return Task(cell.block.index, "cell", cell.code, cell.code_line, cell.options.format,
                cell.options.timeout, fence_line=cell.block.location.line)


def _plot_task(plot: Plot) -> Task:
    return Task(plot.index, "plot", "", plot.line, plot.format, 60.0, plot.spec, plot.function)


def _failure(path: str, task: Task, result: TaskResult) -> Diagnostic:
    assert result.error is not None
    what = "cell" if task.kind == "cell" else (
        "explorer" if isinstance(task.plot, ExploreSpec) else "plot")
    line = result.error.line or task.code_line
    detail = result.error.traceback
    if detail:
        detail = "traceback of the cell (most recent call last):\n" + detail
    return error(Location(path, line), f"the {what} failed: {result.error.message}",
                 _hint(result.error), detail)


def _hint(failure: TaskError) -> str:
    """Advice for the failures an author meets most, from the exception's message."""
    if failure.timed_out:
        return "raise the cell's '#| timeout:' if it needs longer"
    if failure.message.startswith("EOFError"):
        return ("if the cell calls input(): cells run with no keyboard, so there is nothing "
                "to read; set the value in the code")
    if failure.message.startswith("ModuleNotFoundError"):
        missing = _MISSING_MODULE.match(failure.message)
        top = missing.group(1).split(".")[0] if missing else "..."
        return ("cells run in the Python that runs gradsite: install the package there "
                f"({sys.executable} -m pip install {_PACKAGE_OF.get(top, top)})")
    if failure.message.startswith("drawing its figure failed"):
        return ("the figure is drawn after the cell's code has run: check its titles, labels "
                "and legend (mathtext between $...$), tick formatters and the figure size")
    return ""


_MISSING_MODULE = re.compile(r"ModuleNotFoundError: No module named '([^']+)'")
# The common modules whose package on PyPI has another name.
_PACKAGE_OF = {"sklearn": "scikit-learn", "cv2": "opencv-python", "PIL": "pillow",
               "yaml": "pyyaml", "skimage": "scikit-image", "bs4": "beautifulsoup4"}
