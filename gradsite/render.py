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

import html
import posixpath
import re
from collections.abc import Callable
from functools import partial

from .cache import Cache
from .diagnostics import Diagnostic, Location
from .execute.jobs import Output
from .execute.plan import output_bytes
from .expr.javascript import functions_module
from .fingerprint import canonical, digest, environment_key
from .layout import (
    chapter_key,
    chapter_page,
    figure_path,
    functions_script_path,
    notebook_path,
    notebook_script_path,
    relative_url,
)
from .markup.chapter import CellView, ChapterInputs, render_chapter
from .markup.explore import ExplorerView
from .markup.highlight import highlight_code
from .markup.markdown import render_fragment
from .markup.outputs import FigureView
from .markup.questions import question_texts, quiz_inputs
from .model import (
    CheckedChapter,
    Course,
    ExploreSpec,
    OutputFile,
    Plot,
    RememberedFile,
    RenderedChapter,
)
from .plots.explore import explore_state
from .resolve import ChapterFacts, CourseFacts, facts_key


def place_outputs(
    checked: CheckedChapter, outputs: dict[int, tuple[Output, ...]], cache: Cache
) -> tuple[list[OutputFile | RememberedFile], tuple[CellView, ...]]:
    """A chapter's figure files beside its page, and what each cell and plot shows. A
    figure kept in the cache's store is a ``RememberedFile``: the writer links it
    from the previous site, and reads it from the store only where that lacks it."""
    section, chapter = checked.section, checked.chapter
    page = chapter_page(section, chapter)
    files: list[OutputFile | RememberedFile] = []

    def figure(output: Output) -> FigureView:
        path = figure_path(section, chapter, len(files) + 1, output.format)
        if output.stored is None:
            files.append(OutputFile(path, output.data))
        else:
            files.append(RememberedFile(path, output.stored.sha256, output.stored.size,
                                        partial(output_bytes, output, cache)))
        return FigureView(relative_url(page, path), "", output.width, output.height)

    numbers = {(label.block, label.figure): label.number for label in checked.labels
               if label.kind == "figure" and label.block >= 0}

    def numbered(index: int, figures: tuple[FigureView, ...]) -> tuple[str, ...]:
        return tuple(numbers.get((index, i), "") for i in range(1, len(figures) + 1))

    views = []
    for cell in checked.cells:
        options = cell.options
        shown = outputs.get(cell.block.index, ()) if options.output else ()
        # In the order the cell produced them: printed text between its figures.
        produced = tuple(figure(o) if o.kind == "figure" else o.data.decode("utf-8")
                         for o in shown)
        drawn = tuple(view for view in produced if isinstance(view, FigureView))
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
            outputs=produced,
            numbers=numbered(cell.block.index, drawn),
        ))
    for plot in checked.plots:
        if isinstance(plot.spec, ExploreSpec):
            explorer = _explorer_view(plot, plot.spec, outputs.get(plot.index, ()), figure)
            views.append(CellView(
                index=plot.index, code="", echo=False, show_output=explorer is not None,
                caption=plot.spec.caption, caption_location=plot.spec.caption_location,
                alt=plot.spec.alt, anchor=plot.spec.id,
                anchor_location=Location(chapter.display_path, plot.line),
                outputs=(explorer.figure,) if explorer else (),
                numbers=numbered(plot.index, (explorer.figure,) if explorer else ()),
                explorer=explorer,
            ))
            continue
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
            outputs=(drawn := tuple(figure(o) for o in outputs.get(plot.index, ()))),
            numbers=numbered(plot.index, drawn),
        ))
    return files + _functions_script(checked, views), tuple(views)


def _explorer_view(
    plot: Plot, spec: ExploreSpec, outputs: tuple[Output, ...],
    figure: Callable[[Output], FigureView],
) -> ExplorerView | None:
    """An explorer's view over its drawn figure (None when it was not drawn: a check
    without running, or a failure reported elsewhere)."""
    if len(outputs) != 1 or outputs[0].axes is None:
        return None
    axes = outputs[0].axes
    placed = figure(outputs[0])
    box = (axes.left * placed.width, axes.top * placed.height, axes.width * placed.width,
           axes.height * placed.height)
    return ExplorerView(plot.index, spec, plot.function.vars, placed, box, axes.x, axes.y,
                        explore_state(spec, plot.function))


def _functions_script(checked: CheckedChapter, views: list[CellView]) -> list[OutputFile]:
    """The script computing the functions that a chapter's explorers move, if any."""
    shown = sorted({view.explorer.spec.function for view in views if view.explorer})
    if not shown:
        return []
    source = functions_module(checked.functions[name] for name in shown)
    path = functions_script_path(checked.section, checked.chapter)
    return [OutputFile(path, source.encode("utf-8"))]


def page_scripts(checked: CheckedChapter, views: tuple[CellView, ...]) -> tuple[str, ...]:
    """The chapter's own scripts, relative to its page: its functions, when explorers
    move them (the site's explorer code is the template's to load)."""
    if not any(view.explorer for view in views):
        return ()
    page = chapter_page(checked.section, checked.chapter)
    return (relative_url(page, functions_script_path(checked.section, checked.chapter)),)


def figure_counts(
    checked: CheckedChapter, outputs: dict[int, tuple[Output, ...]]
) -> dict[int, int]:
    """How many figures each labelled cell with a caption drew (for its numbers)."""
    return {cell.block.index: sum(1 for o in outputs.get(cell.block.index, ())
                                  if o.kind == "figure") if cell.options.output else 0
            for cell in checked.cells if cell.options.id and cell.options.caption}


def render_chapter_page(
    checked: CheckedChapter, views: tuple[CellView, ...], facts: ChapterFacts, cache: Cache
) -> tuple[RenderedChapter, list[Diagnostic]]:
    """A chapter's body HTML, from the cache when its inputs are unchanged. Only a
    result without problems is stored, so a mistake is reported on every build."""
    section, chapter = checked.section, checked.chapter
    key = render_key(checked, views, facts)
    cached = cache.get(key)
    problems: list[Diagnostic] = []
    if _is_rendered(cached):
        body, toc = cached
    else:
        inputs = ChapterInputs(
            path=chapter.display_path,
            scanned=checked.scanned,
            cells=views,
            urls=facts.urls,
            functions=tuple(checked.functions.values()),
            cards=chapter.cards,
            quiz=quiz_inputs(chapter, chapter_key(section, chapter), checked.answers,
                             checked.variants, facts.macros, facts.references),
            labels=checked.labels,
            references=facts.references,
            macros=facts.macros,
            words=facts.words,
        )
        code = [(b.source, b.lang) for b in checked.scanned.blocks if b.kind == "code"]
        code += [(view.code, "python") for view in views if view.echo and view.code]
        (body, toc), problems = render_chapter(inputs, highlighted_code(code, cache))
        if not problems:
            cache.put(key, (body, toc))
    # The review page's list: read from the page, so a cached page needs no more.
    questions = question_texts(body, [q.id for q in chapter.quiz])
    page = chapter_page(section, chapter)
    notebook = relative_url(page, notebook_path(section, chapter)) if checked.cells else ""
    notebook_script = relative_url(page, notebook_script_path(section, chapter)) \
        if checked.cells else ""
    return RenderedChapter(chapter, body, toc, page_scripts(checked, views), questions,
                           notebook, notebook_script), problems


def render_key(checked: CheckedChapter, views: tuple[CellView, ...], facts: ChapterFacts) -> str:
    """The cache key of a chapter's HTML: every input of ``render_chapter``. The
    chapter's own (its file: text, functions, questions, its place; the course's
    macros and words) are what it was checked from, ``checked.key``; the rest are
    its labels as numbered once its cells drew, its cells' views, and the course-wide
    facts its page shows."""
    return digest(environment_key(), "chapter", checked.key, facts_key(facts),
                  canonical((checked.labels, views)))


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
    html, problems = render_fragment(course.info.description, course.info.description_location,
                                     course.info.tex_macros)
    return (html if html.startswith("<") else f"<p>{html}</p>"), problems


def _is_rendered(value: object) -> bool:
    return isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], str)


# --- previews of what a page refers to --------------------------------------------------

_START_TAG = re.compile(r"<(\w+)\b[^>]*>")
_SRC = re.compile(r'(<img\b[^>]*\bsrc=")([^"]*)(")')
_ID = re.compile(r'\sid="(?!xref--)[^"]*"')  # the preview's own ids stay (_defs_renamed)
_EXPLORE_DEF_ID = re.compile(r'\bid="(explore-\d+-(\w+))"')
_LINK_TAG = re.compile(r"</?a\b[^>]*>")
_FIRST_PARAGRAPH = re.compile(r"<p\b(?![^>]*theorem-head)[^>]*>.*?</p>", re.DOTALL)


def reference_previews(
    rendered: dict[str, RenderedChapter], facts: CourseFacts
) -> dict[str, str]:
    """For each chapter page, the ``<template>`` elements that hold a preview of each
    label it refers to: the equation, the figure, or a block's heading and first
    paragraph, taken from the target's rendered page (so a preview works from disk,
    with no request). Images are addressed from the referring page."""
    previews: dict[str, str] = {}
    for page, chapter_facts in facts.chapters.items():
        parts = []
        for reference in chapter_facts.references:
            target_page, label = facts.targets[reference.name]
            target = rendered.get(target_page)
            content = _preview(target.body_html, label.name, label.kind) if target else ""
            if content:
                content = _images_moved(content, target_page, page)
                parts.append(f'<template class="xref-preview" data-xref="'
                             f'{html.escape(reference.name, quote=True)}">{content}</template>')
        previews[page] = "\n".join(parts)
    return previews


def _preview(body: str, name: str, kind: str) -> str:
    element = _element_with_id(body, name)
    if not element:
        return ""
    if kind == "equation" and element.startswith("<mtr"):
        element = _row_preview(body, name, element)
    elif kind == "figure" and not element.startswith("<figure"):
        start = element.find("<figure")  # a cell: its figure, not its code
        element = element_at(element, start) if start >= 0 else ""
    if kind == "figure" and _EXPLORER.match(element):
        # An explorer's preview is its picture: no controls, and nothing the page's
        # script would take for an explorer to start.
        panel = element_at(element, element.find('<div class="explore-panel"'))
        element = _EXPLORER.sub(r"\1", element.replace(panel, "", 1), count=1)
        element = _defs_renamed(element, name)
    elif kind not in ("equation", "figure", "table", "anchor"):  # a theorem-like block
        head = element_at(element, element.find('<p class="theorem-head"'))
        first = _FIRST_PARAGRAPH.search(element, len(head))
        text = first.group(0) if first else ""
        element = f'<div class="theorem theorem-{kind}">{head}{text}</div>'
    # A preview is read, not followed: its links (relative to another page) become text.
    return _LINK_TAG.sub("", _ID.sub("", element))


def _defs_renamed(element: str, name: str) -> str:
    """An explorer's clip path and arrowhead under ids of the preview's own, which
    name the label (unique in the course), so the preview draws as the figure does
    on any page, beside any other explorer."""
    stem = "xref--" + re.sub(r"[^\w-]", "_", html.unescape(name))
    for match in _EXPLORE_DEF_ID.finditer(element):
        old, new = match.group(1), f"{stem}-{match.group(2)}"
        element = element.replace(f'id="{old}"', f'id="{new}"').replace(
            f"url(#{old})", f"url(#{new})")
    return element


def _row_preview(body: str, name: str, row: str) -> str:
    """A row of align, gather or equation (markup/equations.py) as a display of its own:
    the row and its number, in its table, so it keeps its display style."""
    at = body.find(f' id="{html.escape(name, quote=True)}"')
    math_start = body.rfind("<math", 0, at)
    math_tag = _START_TAG.match(body, math_start)
    tables = list(_NUMBERED_TABLE.finditer(body, math_start, at))
    if math_tag is None or not tables:
        return ""
    return (f'<div class="math-display">{math_tag.group(0)}{tables[-1].group(0)}{row}'
            "</mtable></math></div>")


_EXPLORER = re.compile(r'(<figure class="figure explore[^"]*"[^>]*?) data-explore="[^"]*"')
_NUMBERED_TABLE = re.compile(r'<mtable\b[^>]*\bclass="equation-rows"[^>]*>')


def _images_moved(content: str, from_page: str, to_page: str) -> str:
    def moved(match: re.Match[str]) -> str:
        src = _moved(html.unescape(match.group(2)), from_page, to_page)
        return match.group(1) + html.escape(src, quote=True) + match.group(3)

    return _SRC.sub(moved, content)


def _element_with_id(body: str, name: str) -> str:
    at = body.find(f' id="{html.escape(name, quote=True)}"')
    if at < 0:
        return ""
    return element_at(body, body.rfind("<", 0, at))


def element_at(text: str, start: int) -> str:
    """The element whose start tag begins at ``start``, with its content."""
    opened = _START_TAG.match(text, start)
    if opened is None:
        return ""
    tag, depth, position = opened.group(1), 1, opened.end()
    pattern = re.compile(rf"<(/?){tag}\b[^>]*>")
    for match in pattern.finditer(text, position):
        depth += -1 if match.group(1) else 1
        if depth == 0:
            return text[start : match.end()]
    return ""


def _moved(src: str, from_page: str, to_page: str) -> str:
    """An image address relative to ``from_page``, made relative to ``to_page``."""
    if "://" in src or src.startswith(("/", "data:")):
        return src
    folder = posixpath.dirname(from_page)
    return relative_url(to_page, posixpath.normpath(posixpath.join(folder, src)))
