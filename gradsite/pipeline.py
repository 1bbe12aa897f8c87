"""The build in one readable function.

``build`` runs the stages in order; each maps plain data to plain data and
collects diagnostics. The build stops at a phase boundary when any error was
found, before anything is written, so a failed build never touches the
previous site.
"""

from __future__ import annotations

import hashlib
import os
import queue
import re
import threading
import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .assets import math_characters, math_font, site_assets
from .cards import render_function_cards
from .diagnostics import BuildFailed, Diagnostic, Location, Report, did_you_mean, error
from .execute.cache import Cache
from .execute.cells import Cell, parse_cell
from .execute.jobs import Output
from .execute.plan import (
    ChapterWork,
    FileHashes,
    PlotWork,
    cached_outputs,
    execute_course,
    task_keys,
)
from .execute.progress import ExecutionStats
from .expr import check_functions, evaluate_answers
from .fences import scan_body
from .fingerprint import digest, environment_key, inputs_fingerprint
from .layout import DEFAULT_THEME, chapter_key, chapter_page, figure_path, relative_url
from .links import LinkPlan, plan_links
from .lint import course_warnings
from .load import functions_with_errors, load_course, questions_with_errors
from .markup.chapter import CellView, ChapterInputs, render_chapter
from .markup.highlight import highlight_code, remember_highlighted
from .markup.markdown import render_fragment, render_text_with_math
from .markup.math import render_math
from .markup.outputs import FigureView
from .markup.questions import check_placements, question_texts_html, quiz_inputs, text_locations
from .model import Block, Chapter, Course, OutputFile, RenderedChapter, ScannedText, Section
from .output import check_cache_folder, check_output_folder, clean_stale, write_site
from .plots.spec import parse_plot
from .site import build_pages, sitemap
from .templates import make_environment, render_page


@dataclass(frozen=True)
class BuildOptions:
    content: Path
    out: Path
    theme: Path = DEFAULT_THEME
    include_drafts: bool = False
    jobs: int = field(default_factory=lambda: os.cpu_count() or 1)
    cache_dir: Path | None = Path(".gradsite-cache")
    read_cache: bool = True  # False: --no-cache runs every cell (and refreshes the cache)
    quiet: bool = False
    inputs: str = ""  # the inputs' fingerprint, if the caller already took it
    strict: bool = False  # --strict: warnings are errors (issue 6)
    # serve sets it when a file changes mid-build: running cells are killed and the
    # build ends with BuildCancelled, leaving the last site as it was.
    cancel: threading.Event | None = field(default=None, compare=False)


class BuildCancelled(Exception):
    """The build was cancelled (``BuildOptions.cancel``) before it wrote anything."""


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


def build(options: BuildOptions) -> BuildResult:
    """Build the course at ``options.content`` into ``options.out``.

    Stages:
    1. load     - course.yml, sections and chapters, validated (load.py)
    2. scan     - fenced blocks, math and links of each chapter, with lines (fences.py)
    3. check    - cell options and syntax, numeric answers, quiz placements, links and
                  assets across the course (execute/cells.py, expr/answers.py,
                  markup/questions.py, links.py)
    4. execute  - cells and plots in warm worker processes, cached (execute/); meanwhile
                  the math font is subset for the course's math (assets.py)
    5. render   - each chapter to HTML: math, code, cell outputs, questions, Markdown;
                  cached (markup/)
    6. pages    - page contexts (site.py) through the templates (templates.py)
    7. write    - assets, figures and pages into a temp folder, swapped in (output.py)

    Raises BuildFailed with every problem found when the course has errors.
    """
    started = time.perf_counter()
    watch = _Stopwatch()
    report = Report(strict=options.strict)
    clean_stale(options.out.resolve())  # a killed build's leftovers; puts a moved site back
    report.extend(check_output_folder(options.out, options.content, options.cache_dir))
    cache = Cache(options.cache_dir, read=options.read_cache)
    # Taken first: an edit made while the build runs must not look already built.
    inputs = options.inputs or inputs_fingerprint(options.content, options.theme,
                                                  options.include_drafts)

    course, found = load_course(options.content, options.include_drafts)
    report.extend(found)
    _stop_on_errors(report)
    assert course is not None
    watch.lap("load")

    works, scanned = _scan_and_check(course, cache, report)
    links, found = plan_links(course, scanned, _all_chapter_files(course.root))
    report.extend(found)
    _stop_on_errors(report)
    watch.lap("scan and check")

    # Stages 4 and 5 overlap: cells run in worker processes (a background thread
    # waits for them) while this thread subsets the math font, then renders each
    # chapter as soon as its outputs are final.
    ready: queue.Queue[tuple[Path, dict[int, tuple[Output, ...]] | None]] = queue.Queue()
    stopping = options.cancel or threading.Event()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="gradsite-cells") as background:
        running = background.submit(execute_course, works, cache, options.jobs, options.quiet,
                                    lambda source, outs: ready.put((source, outs)), stopping)
        try:
            math_font(_math_characters(course, scanned, works, cache), cache)
            rendered, figure_files = _render_when_ready(
                course, scanned, works, links, cache, report, ready, running)
            outputs, found, stats = running.result()
        except BaseException:
            # Ctrl-C, SIGTERM or a bug: leaving the block waits for the cells'
            # thread, so their processes are stopped now, not at their timeouts.
            stopping.set()
            raise
    if options.cancel is not None and options.cancel.is_set():
        raise BuildCancelled
    report.extend(found)
    # The course description renders with the chapters: its mistakes come with theirs.
    description = _render_description(course, report)
    _stop_on_errors(report)
    watch.lap("execute and render")

    # Issue 6 (lint.py): advice for a course that builds, so never mixed into its errors;
    # --strict makes them errors, and the build stops here, before anything is written.
    report.extend(course_warnings(works, _drawn(works, outputs)))
    _stop_on_errors(report)
    watch.lap("warnings")

    env = make_environment(options.theme, options.cache_dir)
    pages = build_pages(course, rendered, description)
    files = [OutputFile(page.path, render_page(env, page).encode()) for page in pages]
    files += site_assets(options.theme / "assets", [f.data.decode() for f in files], cache)
    files += [OutputFile(path, source.read_bytes()) for path, source in links.assets.items()]
    files += figure_files
    map_xml = sitemap(course, pages)
    if map_xml is not None:
        files.append(OutputFile("sitemap.xml", map_xml.encode()))

    watch.lap("pages")
    write_site(files, options.out, inputs)
    watch.lap("write")
    return BuildResult(
        chapters=len(course.chapters),
        pages=len(pages),
        files=len(files),
        seconds=time.perf_counter() - started,
        execution=stats,
        warnings=[d for d in report.diagnostics if not d.is_error],
        stages=tuple(watch.laps),
        chapter_lines=_chapter_lines(works, outputs),
    )


def _math_characters(
    course: Course,
    scanned: list[tuple[Chapter, ScannedText]],
    works: list[ChapterWork],
    cache: Cache,
) -> set[str]:
    """The characters of every formula the pages will show, cached per chapter.

    Errors are not reported here: the render stage meets (and reports) them.
    """
    env_key = environment_key()
    chars: set[str] = set()
    for (chapter, text), work in zip(scanned, works, strict=True):
        captions = [c.options.caption for c in work.cells] + [p.spec.caption for p in work.plots]
        key = hashlib.sha256(
            f"math-chars\0{env_key}\0{text.text}\0{text.blocks!r}\0{captions!r}\0"
            f"{tuple(work.functions.values())!r}\0{chapter.quiz!r}".encode()
        ).hexdigest()
        found = cache.get(key)
        if not isinstance(found, frozenset):
            html = [render_math(b.source.strip(), b.kind == "display-math").mathml
                    for b in text.blocks if b.kind in ("math", "display-math")]
            where = Location(chapter.display_path)
            html += [render_fragment(caption, where)[0] for caption in captions if caption]
            if work.functions:
                html.append(render_function_cards(work.functions))
            for question in chapter.quiz:
                html += question_texts_html(question, text_locations(question, chapter.marks))
            found = frozenset(math_characters(html))
            cache.put(key, found)
        chars |= found
    if course.info.description:
        chars |= math_characters([render_fragment(course.info.description, Location(""))[0]])
    # Titles and summaries show on many pages (menus, the home): their math too, or
    # the final subset (site_assets scans the pages) would differ and run again.
    titled = [course.info.title, *(text for item in (*course.sections, *course.chapters)
                                   for text in (item.title, item.summary))]
    chars |= math_characters([render_text_with_math(text)[0] for text in titled if "$" in text
                              or "\\(" in text])
    return chars


def _stop_on_errors(report: Report) -> None:
    if report.has_errors:
        raise BuildFailed(report.diagnostics)


def _checked_functions(chapter: Chapter, cache: Cache, report: Report) -> dict[str, Any]:
    """The chapter's declared functions, parsed and gradient-checked (expr/).

    The check evaluates every gradient at dozens of points, so a clean result is
    cached under the declarations themselves.
    """
    if not chapter.functions:
        return {}
    declared = [(d.name, d.expr, d.vars, d.gradient, d.domain, d.tex) for d in chapter.functions]
    key = hashlib.sha256(f"functions\0{environment_key()}\0{declared!r}".encode()).hexdigest()
    cached = cache.get(key)
    if isinstance(cached, dict):
        return cached
    functions, found = check_functions(chapter)
    report.extend(found)
    if not found:
        cache.put(key, functions)
    return functions


def _scan_and_check(
    course: Course, cache: Cache, report: Report
) -> tuple[list[ChapterWork], list[tuple[Chapter, ScannedText]]]:
    works: list[ChapterWork] = []
    scanned: list[tuple[Chapter, ScannedText]] = []
    for chapter in course.chapters:
        text, found = scan_body(chapter.body, Location(chapter.display_path, chapter.body_line))
        report.extend(found)
        functions = _checked_functions(chapter, cache, report)
        answers: dict[str, float] = {}
        if any(q.answer is not None for q in chapter.quiz):
            answers, found = evaluate_answers(_without_broken_calls(chapter), functions)
            report.extend(found)
        report.extend(_placement_problems(chapter, text))
        cells, plots = [], []
        for block in text.blocks:
            if block.kind == "cell":
                cell, found = parse_cell(block)
                report.extend(found)
                cells.append(cell)
            elif block.kind == "plot":
                plot, found = _plot_work(block, chapter, functions)
                report.extend(found)
                plots.extend([plot] if plot is not None else [])
        report.extend(_duplicate_cell_ids(cells, chapter))
        works.append(ChapterWork(chapter, tuple(cells), tuple(plots), functions, answers))
        scanned.append((chapter, text))
    report.extend(_title_math_problems(course))
    return works, scanned


def _title_math_problems(course: Course) -> list[Diagnostic]:
    """Invalid LaTeX in the math of a title or summary (shown in pages, menus and the
    course home), at its line; the page would show it as written."""
    problems = []
    texts: list[tuple[Course | Section | Chapter, str]] = [
        (item, key) for item in (*course.sections, *course.chapters)
        for key in ("title", "summary")]
    texts.append((course, "title"))
    for item, key in texts:
        text = course.info.title if isinstance(item, Course) else getattr(item, key)
        for message in render_text_with_math(text)[1]:
            if isinstance(item, Chapter):
                where = item.marks.at(key)
            elif isinstance(item, Section):
                where = _key_location(item.source / "_section.yml",
                                      f"{item.display_path}/_section.yml", key)
            else:
                where = _key_location(item.root / "course.yml",
                                      f"{item.display_root}/course.yml", key)
            problems.append(error(where, f"{key}: invalid LaTeX: {message}",
                                  "titles and summaries may hold inline math, $...$, as "
                                  "the text does"))
    return problems


def _key_location(path: Path, shown: str, key: str) -> Location:
    """Where top-level ``key`` stands in a YAML file whose loading keeps no marks
    (_section.yml, course.yml)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return Location(shown)
    found = (n for n, line in enumerate(lines, start=1) if re.match(rf"{key}\s*:", line))
    return Location(shown, next(found, 0))


def _without_broken_calls(chapter: Chapter) -> Chapter:
    """``chapter`` without the questions whose answer calls a function whose declaration
    failed to load: that error is reported, and "unknown function" would be a
    follow-on (QA L1; answers.py skips those that failed their expression checks)."""
    broken = functions_with_errors(chapter)
    if not broken:
        return chapter
    calls = re.compile(r"\b(?:grad_)?(?:" + "|".join(map(re.escape, sorted(broken))) + r")\b")
    return replace(chapter, quiz=tuple(
        q for q in chapter.quiz if not (isinstance(q.answer, str) and calls.search(q.answer))))


def _placement_problems(chapter: Chapter, text: ScannedText) -> list[Diagnostic]:
    """Problems with the chapter's quiz blocks, except a block that places a question
    which failed to load (``check`` goes on past load errors): that question's error
    is reported, and "no question with id" would be a follow-on."""
    problems = check_placements(text.blocks, chapter.quiz)
    failed = questions_with_errors(chapter)
    if failed is None:  # an id could not be read back: no placement can be told apart
        return []
    placed = {block.location: block.source.strip() for block in text.blocks
              if block.kind == "quiz"}
    if failed:  # the hint must not say there are no questions, or list only valid ids
        ids = {q.id for q in chapter.quiz} | failed
        problems = [replace(d, hint=did_you_mean(placed.get(d.location, ""), ids, "question ids"))
                    if d.message.startswith("no question with id") else d for d in problems]
    return [d for d in problems if placed.get(d.location) not in failed]


def _duplicate_cell_ids(cells: list[Cell], chapter: Chapter) -> list[Diagnostic]:
    seen: dict[str, int] = {}
    problems = []
    for cell in cells:
        anchor, line = cell.options.id, cell.options.id_line
        if anchor and anchor in seen:
            problems.append(error(Location(chapter.display_path, line),
                                  f"cell id '{anchor}' is already used by the cell at line "
                                  f"{seen[anchor]}", "ids must be unique on a page"))
        seen.setdefault(anchor, line)
    return problems


def _plot_work(
    block: Block, chapter: Chapter, functions: dict[str, Any]
) -> tuple[PlotWork | None, list[Diagnostic]]:
    spec, found = parse_plot(block, chapter, functions)
    if spec is None or found:
        return None, found
    return PlotWork(block.index, block.location.line, spec, functions[spec.function]), []


def _render_when_ready(
    course: Course,
    scanned: list[tuple[Chapter, ScannedText]],
    works: list[ChapterWork],
    links: LinkPlan,
    cache: Cache,
    report: Report,
    ready: queue.Queue[tuple[Path, dict[int, tuple[Output, ...]] | None]],
    running: Future[Any],
) -> tuple[dict[str, RenderedChapter], list[OutputFile]]:
    """Render each chapter as execution reports its outputs final (chapters whose cells
    failed are skipped: the build stops on their errors)."""
    sections = {ch.source: s for s in course.sections for ch in s.chapters}
    waiting = {chapter.source: (chapter, text, work)
               for (chapter, text), work in zip(scanned, works, strict=True)}
    rendered: dict[str, RenderedChapter] = {}
    files: list[OutputFile] = []
    while waiting:
        try:
            source, outputs = ready.get(timeout=0.2)
        except queue.Empty:
            if running.done() and ready.empty():
                break  # execution ended early (a bug in it): its result() raises
            continue
        chapter, text, work = waiting.pop(source)
        if outputs is None:
            continue
        section = sections[source]
        figures, views = _place_chapter_outputs(section, work, outputs)
        files += figures
        rendered[chapter_page(section, chapter)] = _render_chapter(
            section, chapter, text, work, views, links, cache, report)
    return rendered, files


def _place_chapter_outputs(
    section: Section, work: ChapterWork, outputs: dict[int, tuple[Output, ...]]
) -> tuple[list[OutputFile], tuple[CellView, ...]]:
    """A chapter's figure files beside its page, and what each cell and plot shows."""
    chapter = work.chapter
    page = chapter_page(section, chapter)
    files: list[OutputFile] = []
    count = 0

    def figure(output: Output) -> FigureView:
        nonlocal count
        count += 1
        path = figure_path(section, chapter, count, output.format)
        files.append(OutputFile(path, output.data))
        return FigureView(relative_url(page, path), "", output.width, output.height)

    views = []
    for cell in work.cells:
        shown = outputs.get(cell.block.index, ()) if cell.options.output else ()
        options = cell.options
        views.append(CellView(
            index=cell.block.index,
            code=cell.code,
            echo=options.echo,
            show_output=options.output,
            caption=options.caption,
            caption_location=Location(chapter.display_path, options.caption_line),
            alt=options.alt,
            anchor=options.id,
            anchor_location=Location(chapter.display_path, options.id_line),
            figures=tuple(figure(o) for o in shown if o.kind == "figure"),
            texts=tuple(o.data.decode("utf-8") for o in shown if o.kind == "text"),
        ))
    for plot in work.plots:
        views.append(CellView(
            index=plot.index,
            code="",
            echo=False,
            show_output=True,
            caption=plot.spec.caption,
            caption_location=plot.spec.caption_location,
            alt=plot.spec.alt,  # parse_plot fills in the default sentence
            anchor="",
            anchor_location=Location(chapter.display_path, plot.line),
            figures=tuple(figure(o) for o in outputs.get(plot.index, ())),
            texts=(),
        ))
    return files, tuple(views)


def _render_chapter(
    section: Section,
    chapter: Chapter,
    text: ScannedText,
    work: ChapterWork,
    views: tuple[CellView, ...],
    links: LinkPlan,
    cache: Cache,
    report: Report,
) -> RenderedChapter:
    """A chapter's HTML, from the cache when its inputs are unchanged."""
    page = chapter_page(section, chapter)
    inputs = ChapterInputs(
        path=chapter.display_path,
        scanned=text,
        cells=views,
        urls=tuple(sorted(links.urls.get(page, {}).items())),
        functions=tuple(work.functions.values()),
        quiz=quiz_inputs(chapter, chapter_key(section, chapter), work.answers),
    )
    key = hashlib.sha256(f"chapter\0{environment_key()}\0{inputs!r}".encode()).hexdigest()
    cached = cache.get(key)
    if not (isinstance(cached, tuple) and len(cached) == 2):
        code = [(b.source, b.lang) for b in text.blocks if b.kind == "code"]
        code += [(view.code, "python") for view in views if view.echo and view.code]
        with _highlighted_code_cached(code, cache):
            cached, found = render_chapter(inputs)
        report.extend(found)
        if not found:
            cache.put(key, cached)
    body, toc = cached
    return RenderedChapter(chapter, body, toc)


@contextmanager
def _highlighted_code_cached(code: list[tuple[str, str]], cache: Cache) -> Iterator[None]:
    """Code blocks highlighted in an earlier build come from the cache (a prose edit
    re-renders a chapter whose code did not change); new ones go into it."""
    keys = {block: digest(environment_key(), "highlight", *block) for block in code}
    missing = []
    for (source, lang), key in keys.items():
        found = cache.get(key)
        if isinstance(found, str):
            remember_highlighted(source, lang, found)
        else:
            missing.append((source, lang))
    yield
    for source, lang in missing:
        cache.put(keys[(source, lang)], highlight_code(source, lang))


def _render_description(course: Course, report: Report) -> str:
    if not course.info.description:
        return ""
    html, found = render_fragment(course.info.description, course.info.description_location)
    report.extend(found)
    return html if html.startswith("<") else f"<p>{html}</p>"


def _all_chapter_files(root: Path) -> set[Path]:
    """Every chapter file, drafts included, so a link to a draft gets its own message."""
    return {p.resolve() for p in root.glob("*/*.md") if p.name[:1].isdigit()}


# --- issue 6: `gradsite check`, warnings and --verbose ------------------------


def check(options: BuildOptions) -> list[Diagnostic]:
    """Validate the whole course without running a cell or writing a file (``gradsite check``).

    The stages of ``build`` before execution (load, scan, check), then what the
    render stage finds without the cells' outputs (every formula, caption and
    heading: ``_render_chapter`` with empty outputs), a syntax check of every
    cell, and the warnings. Unlike ``build`` it does not stop after a stage with
    errors: every problem found comes back at once. The cache is read (gradient
    checks, rendered chapters, which cells drew figures) but never written.
    """
    report = Report(strict=options.strict)
    if options.cache_dir is not None:
        report.extend(check_cache_folder(options.cache_dir, write=False))
    cache = _ReadOnlyCache(options.cache_dir, read=options.read_cache)
    course, found = load_course(options.content, options.include_drafts)
    report.extend(found)
    if course is None:
        return report.diagnostics
    works, scanned = _scan_and_check(course, cache, report)
    links, found = plan_links(course, scanned, _all_chapter_files(course.root))
    report.extend(found)
    sections = {ch.source: s for s in course.sections for ch in s.chapters}
    for (chapter, text), work in zip(scanned, works, strict=True):
        section = sections[chapter.source]
        _, views = _place_chapter_outputs(section, work, {})
        _render_chapter(section, chapter, text, work, views, links, cache, report)
    _render_description(course, report)
    report.extend(course_warnings(works, _cached_drawn(works, cache)))
    return report.diagnostics


class _ReadOnlyCache(Cache):
    """``check`` writes nothing: it reads what builds cached and stores nothing."""

    def put(self, key: str, value: Any) -> None:
        return None


def _drawn(
    works: list[ChapterWork], outputs: dict[Path, dict[int, tuple[Output, ...]]]
) -> dict[Path, frozenset[int]]:
    """The cells of each chapter that drew a figure (for the warnings, lint.py)."""
    return {
        work.chapter.source: frozenset(
            cell.block.index for cell in work.cells
            if any(o.kind == "figure" for o in outputs.get(work.chapter.source, {})
                   .get(cell.block.index, ()))
        )
        for work in works
    }


def _cached_drawn(works: list[ChapterWork], cache: Cache) -> dict[Path, frozenset[int]]:
    """What ``_drawn`` would say, for the chapters whose cells' outputs are all cached."""
    env_key = environment_key()
    current = FileHashes()
    known: dict[Path, frozenset[int]] = {}
    for work in works:
        found = cached_outputs(work, task_keys(work, env_key), cache, current)
        outputs = {cell.block.index: found[cell.block.index] for cell in work.cells}
        if all(outs is not None for outs in outputs.values()):
            known[work.chapter.source] = frozenset(
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
    works: list[ChapterWork], outputs: dict[Path, dict[int, tuple[Output, ...]]]
) -> tuple[str, ...]:
    """--verbose: one line per chapter: its cells, plots, questions and figures."""

    def count(n: int, word: str) -> str:
        return f"{n} {word}{'' if n == 1 else 's'}"

    lines = []
    for work in works:
        chapter = work.chapter
        figures = sum(1 for outs in outputs.get(chapter.source, {}).values() for o in outs
                      if o.kind == "figure")
        lines.append(f"{chapter.display_path}: {count(len(work.cells), 'cell')}, "
                     f"{count(len(work.plots), 'plot')}, {count(len(chapter.quiz), 'question')}, "
                     f"{count(figures, 'figure')}")
    return tuple(lines)
