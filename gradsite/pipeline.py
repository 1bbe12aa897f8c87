"""The build in one readable function.

``build`` runs the stages in order; each maps plain data to plain data and
collects diagnostics. The build stops at a phase boundary when any error was
found, before anything is written, so a failed build never touches the
previous site.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from .assets import site_assets
from .diagnostics import BuildFailed, Diagnostic, Location, Report
from .fences import scan_body
from .layout import chapter_page
from .links import LinkPlan, plan_links
from .load import load_course
from .markup.highlight import highlight_code
from .markup.markdown import render_blocks, render_fragment, render_markdown
from .model import Chapter, Course, OutputFile, RenderedChapter, ScannedText
from .output import check_output_folder, write_site
from .site import build_pages, sitemap
from .templates import DEFAULT_THEME, make_environment, render_page


@dataclass(frozen=True)
class BuildOptions:
    content: Path
    out: Path
    theme: Path = DEFAULT_THEME
    include_drafts: bool = False


@dataclass(frozen=True)
class BuildResult:
    chapters: int
    pages: int
    files: int
    seconds: float
    warnings: list[Diagnostic] = field(default_factory=list)


def build(options: BuildOptions) -> BuildResult:
    """Build the course at ``options.content`` into ``options.out``.

    Stages:
    1. load     - course.yml, sections and chapters, validated (load.py)
    2. scan     - fenced blocks, math and links of each chapter, with lines (fences.py)
    3. check    - math, code and links across the course (markup/, links.py)
    4. render   - each chapter's Markdown to HTML, blocks put back (markup/)
    5. pages    - page contexts (site.py) through the templates (templates.py)
    6. write    - assets and pages into a temp folder, swapped in (output.py)

    Raises BuildFailed with every problem found when the course has errors.
    """
    started = time.perf_counter()
    report = Report()
    check_output_folder(options.out, options.content)

    course, found = load_course(options.content, options.include_drafts)
    report.extend(found)
    _stop_on_errors(report)
    assert course is not None

    scanned, block_html = _scan_and_check(course, report)
    description = _render_description(course, report)
    all_files = _all_chapter_files(course.root)
    links, found = plan_links(course, scanned, all_files)
    report.extend(found)
    _stop_on_errors(report)

    rendered = _render_chapters(course, scanned, block_html, links)

    env = make_environment(options.theme)
    pages = build_pages(course, rendered, description)
    files = [OutputFile(page.path, render_page(env, page).encode()) for page in pages]
    html_pages = [f.data.decode() for f in files]
    files += site_assets(options.theme / "assets", html_pages)
    files += [OutputFile(path, source.read_bytes()) for path, source in links.assets.items()]
    map_xml = sitemap(course, pages)
    if map_xml is not None:
        files.append(OutputFile("sitemap.xml", map_xml.encode()))

    write_site(files, options.out)
    return BuildResult(
        chapters=len(course.chapters),
        pages=len(pages),
        files=len(files),
        seconds=time.perf_counter() - started,
        warnings=[d for d in report.diagnostics if not d.is_error],
    )


def _stop_on_errors(report: Report) -> None:
    if report.has_errors:
        raise BuildFailed(report.diagnostics)


def _scan_and_check(
    course: Course, report: Report
) -> tuple[list[tuple[Chapter, ScannedText]], dict[Path, dict[int, str]]]:
    scanned: list[tuple[Chapter, ScannedText]] = []
    block_html: dict[Path, dict[int, str]] = {}
    for chapter in course.chapters:
        text, found = scan_body(chapter.body, Location(chapter.display_path, chapter.body_line))
        report.extend(found)
        html, found = render_blocks(text)
        report.extend(found)
        for block in text.blocks:
            if block.kind == "cell":
                html[block.index] = highlight_code(block.source, "python")
        scanned.append((chapter, text))
        block_html[chapter.source] = html
    return scanned, block_html


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

