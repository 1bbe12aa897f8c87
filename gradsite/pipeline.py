"""The build in one readable function: the stages, in order.

``build`` runs them; each maps plain data to plain data and collects
diagnostics. The build stops at a phase boundary when any error was found,
before anything is written, so a failed build never touches the previous
site. ``check`` runs the stages that need no cell output and reports every
problem at once; ``checked_course`` runs them for an export and stops on errors
as ``build`` does.
"""

from __future__ import annotations

import errno
import gc
import queue
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from .assets import (
    course_math_characters,
    icon_data_url,
    math_font,
    site_assets,
    standalone_css,
)
from .cache import Cache
from .check import check_course, checked_key, failed_macros
from .check.labels import with_figure_counts
from .diagnostics import BuildFailed, Diagnostic, Location, Report, error
from .execute.jobs import Output
from .execute.plan import FileHashes, cached_outputs, execute_course, task_keys
from .execute.progress import ExecutionStats
from .execute.starting import refuse_in_a_starting_worker
from .fingerprint import environment_key, inputs_fingerprint
from .layout import chapter_page, markdown_copy_path
from .lint import course_warnings
from .llms import LLMS_FILE, chapter_copies, llms_index
from .load import load_course
from .markup.chapter import CellView
from .model import CheckedChapter, Course, OutputFile, RememberedFile, RenderedChapter
from .notebook import chapter_notebooks
from .options import BuildOptions
from .output import (
    OutputLock,
    check_cache_folder,
    check_output_folder,
    clean_stale,
    site_is_current,
    write_site,
)
from .printpage import print_bodies
from .render import (
    figure_counts,
    place_outputs,
    reference_previews,
    render_chapter_page,
    render_description,
)
from .resolve import ChapterFacts, CourseFacts, resolve_course
from .search.index import ChapterToIndex, index_ahead, index_positions, search_index_file
from .site import PageContext, build_pages, course_image_file, sitemap
from .templates import PageKeys, make_environment, page_file

if TYPE_CHECKING:
    from jinja2 import Environment

_Item = TypeVar("_Item")
# What execution reports of each chapter as soon as its outputs are final: its
# file, and its outputs by block index (None: a cell failed).
ChapterOutputs = dict[int, tuple[Output, ...]]
# What execution returns: every chapter's outputs, the failures, and its figures.
ExecutionResult = tuple[dict[Path, ChapterOutputs], list[Diagnostic], ExecutionStats]


class BuildCancelled(Exception):
    """The build was cancelled (its ``cancel`` event was set) before it wrote anything."""


class BuiltMeanwhile(Exception):  # noqa: N818 - an outcome, not an error
    """The build waited for another one writing its output folder, which left the
    site current for the same inputs: nothing is left to do."""


@dataclass(frozen=True)
class BuildResult:
    chapters: int
    pages: int
    files: int
    seconds: float
    execution: ExecutionStats
    warnings: list[Diagnostic] = field(default_factory=list)
    stages: tuple[tuple[str, float], ...] = ()  # --verbose: (stage, seconds) in order
    chapter_lines: tuple[str, ...] = ()  # --verbose: one line per chapter


def build(options: BuildOptions, cancel: threading.Event | None = None, *,
          reuse_current_site: bool = False) -> BuildResult:
    """Build the course at ``options.content`` into ``options.out``.

    Stages:
    1. load     - course.yml, sections and chapters, their YAML validated (load.py)
    2. check    - each chapter's blocks, math and links found with their lines,
                  functions compiled and gradient-checked, answers computed, cell and
                  plot options read, placements and labels checked (check/)
    3. resolve  - course-wide facts: labels and what refers to them, link targets, files
                  to copy (resolve.py)
    4. execute  - cells and plots in warm worker processes, cached (execute/); while
                  they run, the math font is subset for the course's math (assets.py)
    5. render   - each chapter to HTML as soon as its outputs are final, cached (render.py)
    6. warnings - advice for a course that builds (lint.py); errors with --strict
    7. write    - every file into a temp folder, swapped in (output.py), made as the
                  writer takes it and let go once written: first the figures and the
                  chapters' notebooks (notebook/), then the pages stage's files
    8. pages    - page contexts (site.py) through the templates (templates.py), the
                  chapters as the print page shows them (printpage.py), assets, the
                  search index (search/), the chapters' Markdown copies and llms.txt
                  (llms/); the pages are rendered one at a time as they are written

    Setting ``cancel`` (serve does, when a file changes mid-build) kills running cells
    and ends the build with BuildCancelled, leaving the last site as it was. Raises
    BuildFailed with every problem found when the course has errors: a course with
    errors after load, check or resolve stops before any cell runs, with what rendering
    finds without outputs (formulas, headings) in the same report, as ``check`` has it.

    Another build writing the same output folder is waited for (``OutputLock``):
    the two take turns, so neither sees the other's half-written folders. With
    ``reuse_current_site``, a build that waited raises BuiltMeanwhile when the other
    one left the site current for the same inputs (``options.inputs``).
    """
    refuse_in_a_starting_worker()  # before the lock, which the first build holds
    lock = OutputLock(options.out)
    if not lock.acquire(stop=cancel, on_wait=None if options.quiet else _say):
        raise BuildCancelled
    try:
        if reuse_current_site and lock.waited and options.inputs and \
                site_is_current(options.out, options.inputs):
            raise BuiltMeanwhile
        with _collecting_less_often():
            return _build(options, cancel)
    finally:
        lock.release()


@contextmanager
def _collecting_less_often() -> Iterator[None]:
    """Python's cycle collector, run less often while a build runs. A build makes
    millions of objects that live until it ends (a 1000-chapter course's), and the
    default thresholds walk them again and again: about 1 s of such a course's
    rebuild. The youngest objects are still collected often enough that the cycles
    a stage leaves are freed soon: with (100 000, 50, 100) a 160-chapter cold
    build peaked 15 % higher; with these, as with the defaults."""
    before = gc.get_threshold()
    gc.set_threshold(10_000, 10, 1000)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def _build(options: BuildOptions, cancel: threading.Event | None) -> BuildResult:
    started = time.perf_counter()
    watch = _Stopwatch()
    report = Report(strict=options.strict)
    clean_stale(options.out.resolve())  # a killed build's leftovers; puts a moved site back
    report.extend(check_output_folder(options.out, options.content, options.cache_dir))
    cache = Cache(options.cache_dir, read=options.read_cache)
    # Taken first: an edit made while the build runs must not look already built.
    inputs = options.inputs or inputs_fingerprint(options.content, options.theme,
                                                  options.include_drafts)

    course, found = load_course(options.content, options.include_drafts, cache)
    report.extend(found)
    if course is None:
        raise BuildFailed(report.diagnostics)
    watch.lap("load")

    checked, found = check_course(course, cache)
    report.extend(found)
    watch.lap("check")
    facts, found = resolve_course(course, checked, final=False)
    report.extend(found)
    if report.has_errors:  # the formulas' and headings' problems too, all in one report
        report.extend(_problems_before_running(course, checked, facts, cache))
    _stop_on_errors(report)
    watch.lap("resolve")

    # Execution and rendering overlap: cells run in worker processes (a background
    # thread waits for them) while this thread subsets the math font, then renders
    # each chapter as soon as its outputs are final.
    ready: queue.Queue[tuple[Path, ChapterOutputs | None]] = queue.Queue()
    stopping = cancel or threading.Event()
    planned: Future[int] = Future()  # how many tasks will run
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="gradsite-cells") as background:
        running = background.submit(execute_course, list(checked), cache, options.jobs,
                                    options.quiet, lambda source, outs: ready.put((source, outs)),
                                    stopping, planned.set_result)
        try:
            # The font is subset early only to hide that work behind running cells. With
            # none to run (a prose edit), the pages' own subset, at the end, is the
            # same one, and reading every chapter's math characters would be wasted.
            _until_one_is_done(planned, running)  # execution may end early (a bug)
            if planned.done() and planned.result() > 0:
                math_font(course_math_characters(course, checked, cache), cache)
            renders = _render_when_ready(course, checked, facts, cache, report, ready, running)
            outputs, found, stats = running.result()
        except BaseException:
            # Ctrl-C, SIGTERM or a bug: leaving the block waits for the cells'
            # thread, so their processes are stopped now, not at their timeouts.
            stopping.set()
            raise
    if cancel is not None and cancel.is_set():
        raise BuildCancelled
    report.extend(found)
    if renders.checked != checked or facts.pending:
        checked, facts = _numbered_as_drawn(course, renders, cache, report)
    rendered = renders.rendered
    # The course description renders with the chapters: its mistakes come with theirs.
    description, found = render_description(course)
    report.extend(found)
    _stop_on_errors(report)
    watch.lap("execute and render")

    # Advice for a course that builds, never mixed into its errors; --strict makes
    # them errors, and the build stops here, before anything is written.
    report.extend(course_warnings(checked, _drawn(checked, outputs)))
    _stop_on_errors(report)
    watch.lap("warnings")

    _stop_on_cache_failure(cache)
    chapter_lines = _chapter_lines(checked, outputs)
    checked_keys = {one.source: checked_key(one) for one in checked}  # notebooks', copies' keys
    figure_files, renders.files = renders.files, []
    theme_assets = options.theme / "assets"
    shown_math: set[str] = set()
    page_count = 0

    def pages_stage() -> Iterator[OutputFile | RememberedFile]:
        """The pages stage's files, made once the figures and notebooks are written;
        the pages rendered one at a time as the writer takes them."""
        nonlocal page_count
        watch.lap("figures and notebooks")
        env = make_environment(options.theme, options.cache_dir)
        copies = chapter_copies(course, checked, renders.views, facts, cache, checked_keys)
        pages = build_pages(course, rendered, description, reference_previews(rendered, facts),
                            copies, print_bodies(course, rendered, cache),
                            inline_css=standalone_css(theme_assets, course.info.base_url),
                            inline_icon=icon_data_url(theme_assets))
        page_count = len(pages)
        files = [search_index_file(course, rendered, cache)]
        # course.yml's image joins the files the chapters link to (a chapter may show it).
        assets = dict(facts.assets)
        if course.info.image:
            assets[course_image_file(course)] = course.root / course.info.image
        files += [OutputFile(path, source.read_bytes()) for path, source in assets.items()]
        files += [OutputFile(markdown_copy_path(page), text.encode())
                  for page, text in copies.items()]
        files.append(OutputFile(LLMS_FILE, llms_index(course).encode()))
        map_xml = sitemap(course, pages)
        if map_xml is not None:
            files.append(OutputFile("sitemap.xml", map_xml.encode()))
        _stop_on_cache_failure(cache)
        watch.lap("pages")
        # Let go of what the pages now hold themselves, each page once it is written:
        # the print page (every chapter's body, ~50 MB at 1000 chapters) comes last
        # but one, and should not find the chapters' bodies and copies still held.
        del copies
        rendered.clear()
        yield from _handed_over(files)
        yield from _page_files(env, PageKeys(options.theme), pages, cache, shown_math)

    # Written in this order, and nothing kept once written: the figures, each
    # chapter's notebook (its cells' outputs let go with it), then what the pages
    # stage makes, the pages one at a time, and the math font, from the characters
    # the pages' math shows. A big course's files (over 1 GB at 1000 chapters) are
    # never all in memory at once, and its figures are gone before the pages (the
    # print page holds every chapter) are made. A failure on the way stops the
    # build before the swap, leaving the previous site as it was.
    written = write_site(chain(
        _handed_over(figure_files),
        chapter_notebooks(course, _taken_outputs(checked, outputs), facts, cache,
                          checked_keys),
        pages_stage(),
        _made_later(lambda: site_assets(theme_assets, shown_math, cache)),
    ), options.out, inputs)
    watch.lap("write")
    return BuildResult(
        chapters=len(course.chapters),
        pages=page_count,
        files=written,
        seconds=time.perf_counter() - started,
        execution=stats,
        warnings=[d for d in report.diagnostics if not d.is_error],
        stages=tuple(watch.laps),
        chapter_lines=chapter_lines,
    )


def _page_files(env: Environment, keys: PageKeys, pages: list[PageContext], cache: Cache,
                shown_math: set[str]) -> Iterator[OutputFile | RememberedFile]:
    """Each page's file, rendered (or remembered) when it is asked for, its context
    dropped from ``pages`` as it is; the characters of the math it shows join
    ``shown_math``."""
    for page in _handed_over(pages):
        file, math = page_file(env, page, keys, cache)
        shown_math |= math
        yield file


def _until_one_is_done(*futures: Future[Any]) -> None:
    wait(futures, return_when=FIRST_COMPLETED)


def _handed_over(items: list[_Item]) -> Iterator[_Item]:
    """The items (files, pages) in order, each dropped from ``items`` as it is taken."""
    items.reverse()
    while items:
        yield items.pop()


def _taken_outputs(
    checked: tuple[CheckedChapter, ...], outputs: dict[Path, ChapterOutputs]
) -> Iterator[tuple[CheckedChapter, ChapterOutputs]]:
    """Each chapter with its cells' outputs, taken out of ``outputs`` as it is asked for."""
    for one in checked:
        yield one, outputs.pop(one.source, {})


def _made_later(make: Callable[[], list[OutputFile]]) -> Iterator[OutputFile]:
    """The files ``make`` returns, made only when the first is asked for."""
    yield from make()


def check(options: BuildOptions) -> list[Diagnostic]:
    """Validate the whole course without running a cell or writing a file (``gradsite check``).

    The stages of ``build`` up to resolve, then what the render stage finds without
    the cells' outputs (every formula, caption and heading), and the warnings.
    Unlike ``build`` it does not stop after a stage with errors: every problem found
    comes back at once. The cache is read (gradient checks, rendered chapters, which
    cells drew figures) but never written.
    """
    report = Report(strict=options.strict)
    if options.cache_dir is not None:
        report.extend(check_cache_folder(options.cache_dir, write=False))
    cache = Cache(options.cache_dir, read=options.read_cache, write=False)
    course, found = load_course(options.content, options.include_drafts, cache)
    report.extend(found)
    if course is None:
        return report.diagnostics
    checked, found = check_course(course, cache)
    report.extend(found)
    # Runs no cell: a reference to a cell's second figure is checked by the build.
    facts, found = resolve_course(course, checked, final=False)
    report.extend(found)
    report.extend(_problems_before_running(course, checked, facts, cache))
    report.extend(_description_problems(course))
    report.extend(course_warnings(checked, _cached_drawn(checked, cache)))
    return report.diagnostics


@dataclass(frozen=True)
class CheckedCourse:
    """A course that passed the stages before execution, for an export
    (``gradsite export``), with the warnings those stages found."""

    course: Course
    chapters: tuple[CheckedChapter, ...]
    facts: CourseFacts
    warnings: tuple[Diagnostic, ...] = ()


def checked_course(options: BuildOptions) -> CheckedCourse:
    """The stages of ``build`` up to resolve, with what rendering finds without the
    cells' outputs (every formula, caption and heading, the questions' texts too):
    a course with errors raises BuildFailed with the problems a build would report
    before running a cell. Runs no cell and writes nothing; the cache is read only.
    """
    report = Report(strict=options.strict)
    if options.cache_dir is not None:
        report.extend(check_cache_folder(options.cache_dir, write=False))
    cache = Cache(options.cache_dir, read=options.read_cache, write=False)
    course, found = load_course(options.content, options.include_drafts, cache)
    report.extend(found)
    if course is None:
        raise BuildFailed(report.diagnostics)
    checked, found = check_course(course, cache)
    report.extend(found)
    facts, found = resolve_course(course, checked, final=False)
    report.extend(found)
    report.extend(_problems_before_running(course, checked, facts, cache))
    report.extend(_description_problems(course))
    _stop_on_errors(report)
    return CheckedCourse(course, checked, facts,
                         tuple(d for d in report.diagnostics if not d.is_error))


def _problems_before_running(
    course: Course, checked: tuple[CheckedChapter, ...], facts: CourseFacts, cache: Cache
) -> list[Diagnostic]:
    """What rendering the chapters finds without their cells' outputs: every
    formula, caption and heading. None while a course macro is broken: each formula
    using it would repeat the error that course.yml's line already has."""
    if failed_macros(course.info.macros):
        return []
    found: list[Diagnostic] = []
    for one in checked:
        _, views = place_outputs(one, {}, cache)
        found.extend(render_chapter_page(one, views, facts.of(_page(one)), cache)[1])
    return found


def _description_problems(course: Course) -> list[Diagnostic]:
    """The course description's problems; none while a course macro is broken, for
    the reason ``_problems_before_running`` gives."""
    return [] if failed_macros(course.info.macros) else render_description(course)[1]


def _stop_on_errors(report: Report) -> None:
    if report.has_errors:
        raise BuildFailed(report.diagnostics)


def _stop_on_cache_failure(cache: Cache) -> None:
    """A cache entry that could not be written (a full disk, a folder made read-only)
    stops the build before the site is written: the site would likely fail too, and
    a cache that silently stops filling makes every later build slow."""
    failure = cache.failure
    if failure is None:
        return
    full = failure.errno in (errno.ENOSPC, errno.EDQUOT)
    hint = ("free some space on its disk, then build again" if full else
            "make the cache folder writable, or choose another one with --cache-dir")
    where = Location(str(cache.folder if cache.folder is not None else failure.filename))
    raise BuildFailed([error(where, f"cannot write the cache: {failure.strerror or failure}",
                             hint)])


def _page(checked: CheckedChapter) -> str:
    return chapter_page(checked.section, checked.chapter)


@dataclass
class _Renders:
    """What the render stage made while cells ran, and what it made it from."""

    checked: tuple[CheckedChapter, ...]  # numbered by the figures their cells drew
    rendered: dict[str, RenderedChapter] = field(default_factory=dict)
    files: list[OutputFile | RememberedFile] = field(default_factory=list)
    views: dict[str, tuple[CellView, ...]] = field(default_factory=dict)
    facts_used: dict[str, ChapterFacts] = field(default_factory=dict)


def _render_when_ready(
    course: Course,
    checked: tuple[CheckedChapter, ...],
    facts: CourseFacts,
    cache: Cache,
    report: Report,
    ready: queue.Queue[tuple[Path, ChapterOutputs | None]],
    running: Future[ExecutionResult],
) -> _Renders:
    """Render each chapter as execution reports its outputs final (chapters whose cells
    failed are skipped: the build stops on their errors), numbered by the figures
    its cells drew, and index it for search, all while other chapters' cells run."""
    renders = _Renders(checked)
    positions, macros = index_positions(course), course.info.tex_macros
    numbered = {one.source: one for one in checked}
    waiting = dict(numbered)
    rendered, files = renders.rendered, renders.files
    while waiting:
        try:
            source, outputs = ready.get(timeout=0.2)
        except queue.Empty:
            if running.done() and ready.empty():
                break  # execution ended early (a bug in it): its result() raises
            continue
        one = waiting.pop(source)
        if outputs is None:
            continue
        one = numbered[source] = with_figure_counts(one, figure_counts(one, outputs))
        figures, views = place_outputs(one, outputs, cache)
        files += figures
        page = _page(one)
        rendered[page], found = render_chapter_page(one, views, facts.of(page), cache)
        renders.views[page], renders.facts_used[page] = views, facts.of(page)
        report.extend(found)
        index_ahead(ChapterToIndex(rendered[page], page, *positions[page]), macros, cache)
    renders.checked = tuple(numbered[one.source] for one in checked)
    return renders


def _numbered_as_drawn(
    course: Course, renders: _Renders, cache: Cache, report: Report
) -> tuple[tuple[CheckedChapter, ...], CourseFacts]:
    """The course resolved again once its cells have run: a labelled cell that drew
    several figures numbers each (name, name-2, ...), and the chapters that refer to
    its chapter show those numbers (they render again; the others are left as they
    are)."""
    checked = renders.checked
    final, found = resolve_course(course, checked)
    report.extend(found)
    for one in checked:
        page = _page(one)
        if page in renders.views and final.of(page) != renders.facts_used[page]:
            renders.rendered[page], found = render_chapter_page(
                one, renders.views[page], final.of(page), cache)
            report.extend(found)
    return checked, final


def _drawn(
    checked: tuple[CheckedChapter, ...], outputs: dict[Path, ChapterOutputs]
) -> dict[Path, frozenset[int]]:
    """The cells of each chapter that drew a figure (for the warnings, lint.py)."""
    return {
        one.source: frozenset(
            cell.block.index for cell in one.cells
            if any(o.kind == "figure" for o in outputs.get(one.source, {})
                   .get(cell.block.index, ()))
        )
        for one in checked
    }


def _cached_drawn(
    checked: tuple[CheckedChapter, ...], cache: Cache
) -> dict[Path, frozenset[int]]:
    """What ``_drawn`` would say, for the chapters whose cells' outputs are all cached."""
    env_key = environment_key()
    current = FileHashes()
    known: dict[Path, frozenset[int]] = {}
    for one in checked:
        found = cached_outputs(one, task_keys(one, env_key), cache, current)
        outputs = {cell.block.index: found[cell.block.index] for cell in one.cells}
        if all(outs is not None for outs in outputs.values()):
            known[one.source] = frozenset(
                index for index, outs in outputs.items()
                if any(o.kind == "figure" for o in outs or ())
            )
    return known


@dataclass
class _Stopwatch:
    """--verbose: how long each stage of a build took."""

    laps: list[tuple[str, float]] = field(default_factory=list)
    last: float = field(default_factory=time.perf_counter)

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.laps.append((stage, now - self.last))
        self.last = now


def _chapter_lines(
    checked: tuple[CheckedChapter, ...], outputs: dict[Path, ChapterOutputs]
) -> tuple[str, ...]:
    """--verbose: one line per chapter: its cells, plots, questions and figures."""

    def count(n: int, word: str) -> str:
        return f"{n} {word}{'' if n == 1 else 's'}"

    lines = []
    for one in checked:
        figures = sum(1 for outs in outputs.get(one.source, {}).values() for o in outs
                      if o.kind == "figure")
        lines.append(f"{one.chapter.display_path}: {count(len(one.cells), 'cell')}, "
                     f"{count(len(one.plots), 'plot')}, "
                     f"{count(len(one.chapter.quiz), 'question')}, "
                     f"{count(figures, 'figure')}")
    return tuple(lines)
