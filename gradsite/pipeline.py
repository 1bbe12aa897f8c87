"""The build in one readable function.

``build`` runs the stages in order; each maps plain data to plain data and
collects diagnostics. The build stops at a phase boundary when any error was
found, before anything is written, so a failed build never touches the
previous site.
"""

from __future__ import annotations

import hashlib
import os
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .assets import math_characters, math_font, site_assets
from .cards import render_function_cards
from .diagnostics import BuildFailed, Diagnostic, Location, Report, error
from .execute.cache import Cache
from .execute.cells import Cell, parse_cell
from .execute.jobs import Output
from .execute.plan import ChapterWork, PlotWork, execute_course
from .execute.progress import ExecutionStats
from .expr import check_functions, evaluate_answers
from .fences import scan_body
from .fingerprint import environment_key, inputs_fingerprint
from .layout import DEFAULT_THEME, chapter_page, figure_path, relative_url
from .links import LinkPlan, plan_links
from .load import load_course
from .markup.chapter import CellView, ChapterInputs, render_chapter
from .markup.markdown import render_fragment
from .markup.math import render_math
from .markup.outputs import FigureView
from .model import Block, Chapter, Course, OutputFile, RenderedChapter, ScannedText
from .output import check_output_folder, clean_stale, write_site
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


@dataclass(frozen=True)
class BuildResult:
    chapters: int
    pages: int
    files: int
    seconds: float
    execution: ExecutionStats
    warnings: list[Diagnostic] = field(default_factory=list)


def build(options: BuildOptions) -> BuildResult:
    """Build the course at ``options.content`` into ``options.out``.

    Stages:
    1. load     - course.yml, sections and chapters, validated (load.py)
    2. scan     - fenced blocks, math and links of each chapter, with lines (fences.py)
    3. check    - cell options, links and assets across the course (execute/cells.py,
                  links.py)
    4. execute  - cells and plots in warm worker processes, cached (execute/); meanwhile
                  the math font is subset for the course's math (assets.py)
    5. render   - each chapter to HTML: math, code, cell outputs, Markdown; cached (markup/)
    6. pages    - page contexts (site.py) through the templates (templates.py)
    7. write    - assets, figures and pages into a temp folder, swapped in (output.py)

    Raises BuildFailed with every problem found when the course has errors.
    """
    started = time.perf_counter()
    report = Report()
    clean_stale(options.out.resolve())  # a killed build's leftovers; puts a moved site back
    check_output_folder(options.out, options.content)
    cache = Cache(options.cache_dir, read=options.read_cache)
    # Taken first: an edit made while the build runs must not look already built.
    inputs = options.inputs or inputs_fingerprint(options.content, options.theme,
                                                  options.include_drafts)

    course, found = load_course(options.content, options.include_drafts)
    report.extend(found)
    _stop_on_errors(report)
    assert course is not None

    works, scanned = _scan_and_check(course, cache, report)
    links, found = plan_links(course, scanned, _all_chapter_files(course.root))
    report.extend(found)
    _stop_on_errors(report)

    # Cells run in worker processes while this thread prepares the math font, the
    # slowest part of the builder's own work: the two overlap.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="gradsite-cells") as background:
        running = background.submit(execute_course, works, cache, options.jobs, options.quiet)
        math_font(_math_characters(course, scanned, works, cache), cache)
        outputs, found, stats = running.result()
    report.extend(found)
    _stop_on_errors(report)

    figure_files, cell_views = _place_outputs(course, works, outputs)
    functions = {work.chapter.source: work.functions for work in works}
    rendered = _render_chapters(course, scanned, functions, cell_views, links, cache, report)
    description = _render_description(course, report)
    _stop_on_errors(report)

    env = make_environment(options.theme)
    pages = build_pages(course, rendered, description)
    files = [OutputFile(page.path, render_page(env, page).encode()) for page in pages]
    files += site_assets(options.theme / "assets", [f.data.decode() for f in files], cache)
    files += [OutputFile(path, source.read_bytes()) for path, source in links.assets.items()]
    files += figure_files
    map_xml = sitemap(course, pages)
    if map_xml is not None:
        files.append(OutputFile("sitemap.xml", map_xml.encode()))

    write_site(files, options.out, inputs)
    return BuildResult(
        chapters=len(course.chapters),
        pages=len(pages),
        files=len(files),
        seconds=time.perf_counter() - started,
        execution=stats,
        warnings=[d for d in report.diagnostics if not d.is_error],
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
            f"{tuple(work.functions.values())!r}".encode()
        ).hexdigest()
        found = cache.get(key)
        if not isinstance(found, frozenset):
            html = [render_math(b.source.strip(), b.kind == "display-math").mathml
                    for b in text.blocks if b.kind in ("math", "display-math")]
            where = Location(chapter.display_path)
            html += [render_fragment(caption, where)[0] for caption in captions if caption]
            if work.functions:
                html.append(render_function_cards(work.functions))
            found = frozenset(math_characters(html))
            cache.put(key, found)
        chars |= found
    if course.info.description:
        chars |= math_characters([render_fragment(course.info.description, Location(""))[0]])
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
        if any(q.answer is not None for q in chapter.quiz):
            report.extend(evaluate_answers(chapter, functions)[1])
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
        works.append(ChapterWork(chapter, tuple(cells), tuple(plots), functions))
        scanned.append((chapter, text))
    return works, scanned


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
    # plots.py draws with matplotlib: imported only by courses that have plot blocks.
    from .plots import parse_plot

    spec, found = parse_plot(block, chapter, functions)
    if spec is None or found:
        return None, found
    return PlotWork(block.index, block.location.line, spec, functions[spec.function]), []


def _place_outputs(
    course: Course, works: list[ChapterWork], outputs: dict[Path, dict[int, tuple[Output, ...]]]
) -> tuple[list[OutputFile], dict[Path, tuple[CellView, ...]]]:
    """Every figure's file beside its chapter's page, and what each cell shows."""
    sections = {ch.source: s for s in course.sections for ch in s.chapters}
    files: list[OutputFile] = []
    views: dict[Path, tuple[CellView, ...]] = {}
    for work in works:
        chapter = work.chapter
        section = sections[chapter.source]
        page = chapter_page(section, chapter)
        count = 0
        chapter_views = []
        for cell in work.cells:
            figures, texts = [], []
            shown = outputs[chapter.source].get(cell.block.index, ()) if cell.options.output else ()
            for output in shown:
                if output.kind == "text":
                    texts.append(output.data.decode("utf-8"))
                    continue
                count += 1
                path = figure_path(section, chapter, count, output.format)
                files.append(OutputFile(path, output.data))
                figures.append(FigureView(relative_url(page, path), "", output.width,
                                          output.height))
            options = cell.options
            chapter_views.append(CellView(
                index=cell.block.index,
                code=cell.code,
                echo=options.echo,
                show_output=options.output,
                caption=options.caption,
                caption_location=Location(chapter.display_path, options.caption_line),
                alt=options.alt,
                anchor=options.id,
                anchor_location=Location(chapter.display_path, options.id_line),
                figures=tuple(figures),
                texts=tuple(texts),
            ))
        for plot in work.plots:
            figures = []
            for output in outputs[chapter.source].get(plot.index, ()):
                count += 1
                path = figure_path(section, chapter, count, output.format)
                files.append(OutputFile(path, output.data))
                figures.append(FigureView(relative_url(page, path), "", output.width,
                                          output.height))
            chapter_views.append(CellView(
                index=plot.index,
                code="",
                echo=False,
                show_output=True,
                caption=plot.spec.caption,
                caption_location=Location(chapter.display_path, plot.line),
                alt=plot_alt(plot.spec, plot.function),
                anchor="",
                anchor_location=Location(chapter.display_path, plot.line),
                figures=tuple(figures),
                texts=(),
            ))
        views[chapter.source] = tuple(chapter_views)
    return files, views


def _render_chapters(
    course: Course,
    scanned: list[tuple[Chapter, ScannedText]],
    functions: dict[Path, dict[str, Any]],
    cell_views: dict[Path, tuple[CellView, ...]],
    links: LinkPlan,
    cache: Cache,
    report: Report,
) -> dict[str, RenderedChapter]:
    """Each chapter's HTML, from the cache when its inputs are unchanged."""
    pages = {ch.source: chapter_page(s, ch) for s in course.sections for ch in s.chapters}
    env_key = environment_key()
    rendered: dict[str, RenderedChapter] = {}
    for chapter, text in scanned:
        page = pages[chapter.source]
        inputs = ChapterInputs(
            path=chapter.display_path,
            scanned=text,
            cells=cell_views[chapter.source],
            urls=tuple(sorted(links.urls.get(page, {}).items())),
            functions=tuple(functions[chapter.source].values()),
        )
        key = hashlib.sha256(f"chapter\0{env_key}\0{inputs!r}".encode()).hexdigest()
        cached = cache.get(key)
        if not (isinstance(cached, tuple) and len(cached) == 2):
            cached, found = render_chapter(inputs)
            report.extend(found)
            if not found:
                cache.put(key, cached)
        body, toc = cached
        rendered[page] = RenderedChapter(chapter, body, toc)
    return rendered


def plot_alt(spec: Any, function: Any) -> str:
    from .plots import default_alt

    return spec.alt or default_alt(spec, function)


def _render_description(course: Course, report: Report) -> str:
    if not course.info.description:
        return ""
    where = Location(str(Path(course.display_root) / "course.yml"))
    html, found = render_fragment(course.info.description, where)
    report.extend(found)
    return html if html.startswith("<") else f"<p>{html}</p>"


def _all_chapter_files(root: Path) -> set[Path]:
    """Every chapter file, drafts included, so a link to a draft gets its own message."""
    return {p.resolve() for p in root.glob("*/*.md") if p.name[:1].isdigit()}
