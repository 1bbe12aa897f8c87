"""The render stage: a checked chapter and its cells' outputs -> its page's body HTML.

Each chapter renders as soon as its outputs are final (the pipeline overlaps
this with execution). A chapter's figures are placed beside its page, every
cell and plot gets a view of what it shows, and ``markup/`` turns the scanned
text, the views, the questions and the chapter's course-wide facts
(resolve.py) into HTML.

Rendering is cached. The key is everything the HTML depends on, serialized
explicitly (``render_key``); a chapter whose key is unchanged (a prose edit
elsewhere in the course) is not rendered again. Highlighted code is cached per
block, so a chapter re-rendered after a prose edit builds no Pygments lexer.
"""

from __future__ import annotations

from .cache import Cache
from .diagnostics import Diagnostic, Location
from .execute.jobs import Output
from .fingerprint import canonical, digest, environment_key
from .layout import chapter_key, chapter_page, figure_path, relative_url
from .markup.chapter import CellView, ChapterInputs, render_chapter
from .markup.highlight import highlight_code
from .markup.markdown import render_fragment
from .markup.outputs import FigureView
from .markup.questions import quiz_inputs
from .model import CheckedChapter, Course, OutputFile, RenderedChapter
from .resolve import ChapterFacts


def place_outputs(
    checked: CheckedChapter, outputs: dict[int, tuple[Output, ...]]
) -> tuple[list[OutputFile], tuple[CellView, ...]]:
    """A chapter's figure files beside its page, and what each cell and plot shows."""
    section, chapter = checked.section, checked.chapter
    page = chapter_page(section, chapter)
    files: list[OutputFile] = []

    def figure(output: Output) -> FigureView:
        path = figure_path(section, chapter, len(files) + 1, output.format)
        files.append(OutputFile(path, output.data))
        return FigureView(relative_url(page, path), "", output.width, output.height)

    numbers = {label.block: label.number for label in checked.labels
               if label.kind == "figure" and label.block >= 0}
    views = []
    for cell in checked.cells:
        options = cell.options
        shown = outputs.get(cell.block.index, ()) if options.output else ()
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
            number=numbers.get(cell.block.index, ""),
        ))
    for plot in checked.plots:
        views.append(CellView(
            index=plot.index,
            code="",
            echo=False,
            show_output=True,
            caption=plot.spec.caption,
            caption_location=plot.spec.caption_location,
            alt=plot.spec.alt,  # parse_plot filled in the default sentence
            anchor=plot.spec.id,
            anchor_location=Location(chapter.display_path, plot.line),
            figures=tuple(figure(o) for o in outputs.get(plot.index, ())),
            texts=(),
            number=numbers.get(plot.index, ""),
        ))
    return files, tuple(views)


def render_chapter_page(
    checked: CheckedChapter, views: tuple[CellView, ...], facts: ChapterFacts, cache: Cache
) -> tuple[RenderedChapter, list[Diagnostic]]:
    """A chapter's body HTML, from the cache when its inputs are unchanged. Only a
    result without problems is stored, so a mistake is reported on every build."""
    section, chapter = checked.section, checked.chapter
    inputs = ChapterInputs(
        path=chapter.display_path,
        scanned=checked.scanned,
        cells=views,
        urls=facts.urls,
        functions=tuple(checked.functions.values()),
        quiz=quiz_inputs(chapter, chapter_key(section, chapter), checked.answers),
        labels=checked.labels,
        references=facts.references,
    )
    key = render_key(inputs)
    cached = cache.get(key)
    if _is_rendered(cached):
        body, toc = cached
        return RenderedChapter(chapter, body, toc), []
    code = [(b.source, b.lang) for b in checked.scanned.blocks if b.kind == "code"]
    code += [(view.code, "python") for view in views if view.echo and view.code]
    (body, toc), problems = render_chapter(inputs, highlighted_code(code, cache))
    if not problems:
        cache.put(key, (body, toc))
    return RenderedChapter(chapter, body, toc), problems


def render_key(inputs: ChapterInputs) -> str:
    """The cache key of a chapter's HTML: every input of ``render_chapter``."""
    return digest(environment_key(), "chapter", canonical(inputs))


def highlighted_code(code: list[tuple[str, str]], cache: Cache) -> dict[tuple[str, str], str]:
    """The HTML of each (source, language) code block: highlighted in an earlier build
    (from the cache), or now (and then stored)."""
    highlighted: dict[tuple[str, str], str] = {}
    for source, lang in code:
        key = highlight_key(source, lang)
        found = cache.get(key)
        if not isinstance(found, str):
            found = highlight_code(source, lang)
            cache.put(key, found)
        highlighted[(source, lang)] = found
    return highlighted


def highlight_key(source: str, lang: str) -> str:
    return digest(environment_key(), "highlight", source, lang)


def render_description(course: Course) -> tuple[str, list[Diagnostic]]:
    """The course description's HTML, for the home page."""
    if not course.info.description:
        return "", []
    html, problems = render_fragment(course.info.description, course.info.description_location)
    return (html if html.startswith("<") else f"<p>{html}</p>"), problems


def _is_rendered(value: object) -> bool:
    return isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], str)
