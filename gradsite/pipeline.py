"""The build in one readable function.

``build`` runs the stages in order; each maps plain data to plain data and
collects diagnostics. The build stops at a phase boundary when any error was
found, before anything is written, so a failed build never touches the
previous site.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from .assets import site_assets
from .diagnostics import BuildFailed, Diagnostic, Location, Report
from .fences import scan_body
from .layout import chapter_page, figure_path, relative_url
from .links import LinkPlan, plan_links
from .load import load_course
from .execute.cache import Cache
from .execute.cells import parse_cell
from .execute.jobs import Output
from .execute.plan import ChapterWork, execute_course
from .execute.pool import warm_up
from .execute.progress import ExecutionStats
from .markup.highlight import highlight_code
from .markup.markdown import plain_text, render_blocks, render_fragment, render_markdown
from .markup.outputs import FigureView, render_cell
from .model import Chapter, Course, OutputFile, RenderedChapter, ScannedText
from .output import check_output_folder, write_site
from .site import build_pages, sitemap
from .templates import DEFAULT_THEME, make_environment, render_page


DEFAULT_ALT = "Figure drawn by the code above"


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
    3. check    - math, code, cell options and links across the course (markup/,
                  execute/cells.py, links.py)
    4. execute  - cells and plots in warm worker processes, cached (execute/)
    5. render   - each chapter's Markdown to HTML, blocks put back (markup/)
    6. pages    - page contexts (site.py) through the templates (templates.py)
    7. write    - assets, figures and pages into a temp folder, swapped in (output.py)

    Raises BuildFailed with every problem found when the course has errors.
    """
    started = time.perf_counter()
    report = Report()
    check_output_folder(options.out, options.content)

    course, found = load_course(options.content, options.include_drafts)
    report.extend(found)
    _stop_on_errors(report)
    assert course is not None

    if any("{python}" in ch.body or "```plot" in ch.body for ch in course.chapters):
        warm_up()  # the fork server imports matplotlib while we check the course
    scanned, block_html, works = _scan_and_check(course, report)
    description = _render_description(course, report)
    all_files = _all_chapter_files(course.root)
    links, found = plan_links(course, scanned, all_files)
    report.extend(found)
    _stop_on_errors(report)

    cache = Cache(options.cache_dir, read=options.read_cache)
    outputs, found, stats = execute_course(works, cache, options.jobs, options.quiet)
    report.extend(found)
    _stop_on_errors(report)
    figure_files = _place_outputs(course, works, outputs, block_html, report)
    _stop_on_errors(report)

    rendered = _render_chapters(course, scanned, block_html, links)

    env = make_environment(options.theme)
    pages = build_pages(course, rendered, description)
    files = [OutputFile(page.path, render_page(env, page).encode()) for page in pages]
    html_pages = [f.data.decode() for f in files]
    files += site_assets(options.theme / "assets", html_pages)
    files += [OutputFile(path, source.read_bytes()) for path, source in links.assets.items()]
    files += figure_files
    map_xml = sitemap(course, pages)
    if map_xml is not None:
        files.append(OutputFile("sitemap.xml", map_xml.encode()))

    write_site(files, options.out)
    return BuildResult(
        chapters=len(course.chapters),
        pages=len(pages),
        files=len(files),
        seconds=time.perf_counter() - started,
        execution=stats,
        warnings=[d for d in report.diagnostics if not d.is_error],
    )


def _stop_on_errors(report: Report) -> None:
    if report.has_errors:
        raise BuildFailed(report.diagnostics)


def _scan_and_check(
    course: Course, report: Report
) -> tuple[list[tuple[Chapter, ScannedText]], dict[Path, dict[int, str]], list[ChapterWork]]:
    scanned: list[tuple[Chapter, ScannedText]] = []
    block_html: dict[Path, dict[int, str]] = {}
    works: list[ChapterWork] = []
    for chapter in course.chapters:
        text, found = scan_body(chapter.body, Location(chapter.display_path, chapter.body_line))
        report.extend(found)
        html, found = render_blocks(text)
        report.extend(found)
        cells = []
        for block in text.blocks:
            if block.kind == "cell":
                cell, found = parse_cell(block)
                report.extend(found)
                cells.append(cell)
        scanned.append((chapter, text))
        block_html[chapter.source] = html
        works.append(ChapterWork(chapter, tuple(cells), (), {}))
    return scanned, block_html, works


def _place_outputs(
    course: Course,
    works: list[ChapterWork],
    outputs: dict[Path, dict[int, tuple[Output, ...]]],
    block_html: dict[Path, dict[int, str]],
    report: Report,
) -> list[OutputFile]:
    """Figure files of every chapter, and each cell's HTML in its chapter's blocks."""
    sections = {ch.source: s for s in course.sections for ch in s.chapters}
    files: list[OutputFile] = []
    for work in works:
        chapter = work.chapter
        section = sections[chapter.source]
        page = chapter_page(section, chapter)
        count = 0
        for cell in work.cells:
            options = cell.options
            caption_html = ""
            if options.caption:
                where = Location(chapter.display_path, options.caption_line)
                caption_html, found = render_fragment(options.caption, where)
                report.extend(found)
            figures, texts = [], []
            for output in outputs[chapter.source].get(cell.block.index, ()):
                if output.kind == "text":
                    texts.append(output.data.decode("utf-8"))
                    continue
                count += 1
                path = figure_path(section, chapter, count, output.format)
                files.append(OutputFile(path, output.data))
                alt = options.alt or plain_text(options.caption) or DEFAULT_ALT
                figures.append(FigureView(relative_url(page, path), alt, output.width,
                                          output.height))
            code_html = highlight_code(cell.code, "python") if options.echo else ""
            if not options.output:
                figures, texts = [], []
            block_html[chapter.source][cell.block.index] = render_cell(
                code_html, figures, texts, caption_html, options.id
            )
    return files


def _render_description(course: Course, report: Report) -> str:
    if not course.info.description:
        return ""
    where = Location(str(Path(course.display_root) / "course.yml"))
    html, found = render_fragment(course.info.description, where)
    report.extend(found)
    return html if html.startswith("<") else f"<p>{html}</p>"


def _render_chapters(
    course: Course,
    scanned: list[tuple[Chapter, ScannedText]],
    block_html: dict[Path, dict[int, str]],
    links: LinkPlan,
) -> dict[str, RenderedChapter]:
    pages = {ch.source: chapter_page(s, ch) for s in course.sections for ch in s.chapters}
    rendered: dict[str, RenderedChapter] = {}
    for chapter, text in scanned:
        page = pages[chapter.source]
        body, toc = render_markdown(text.text, text.blocks, block_html[chapter.source],
                                    links.urls.get(page, {}))
        rendered[page] = RenderedChapter(chapter, body, toc)
    return rendered


def _all_chapter_files(root: Path) -> set[Path]:
    """Every chapter file, drafts included, so a link to a draft gets its own message."""
    return {p.resolve() for p in root.glob("*/*.md") if p.name[:1].isdigit()}

