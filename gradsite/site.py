"""Course + rendered chapters -> page contexts: labels, relative URLs, menus, prev/next.

Everything a template shows is computed here, so templates only present data
(STYLE.md, practice 6). This is also the one place where pre-rendered HTML is
marked safe for Jinja (``_trusted``).
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from functools import lru_cache
from pathlib import PurePosixPath
from types import MappingProxyType
from typing import Any
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

from markupsafe import Markup

from . import __version__
from .i18n import ENGLISH_WORDS, Words
from .layout import (
    ASSET_DIR,
    EXPLORE_SCRIPT_FILE,
    HOME_PAGE,
    NOT_FOUND_PAGE,
    PRINT_PAGE,
    REVIEW_PAGE,
    asset_output_path,
    chapter_key,
    chapter_page,
    markdown_copy_path,
    print_anchor,
    relative_url,
    root_prefix,
)
from .markup.blocks import render_text_with_math
from .markup.mathtext import plain_with_math
from .model import Course, RenderedChapter, TocEntry


@dataclass(frozen=True)
class CourseView:
    title: Markup
    description_html: Markup
    author: str
    language: str
    key: str  # namespace of readers' progress in their browser


# Titles and summaries are Markup: the author's text, escaped, with its inline math
# as MathML (markup.markdown.render_text_with_math); page_title and summary_text
# are the plain versions, math written linearly, for <title> and <meta>.


@dataclass(frozen=True)
class NavChapter:
    number: int
    position: str  # "1.2"
    label: str  # "Section 1. Chapter 2"
    title: Markup
    summary: Markup
    url: str
    key: str
    is_current: bool


@dataclass(frozen=True)
class NavSection:
    number: int
    label: str  # "Section 1"
    title: Markup
    summary: Markup
    is_current: bool
    chapters: tuple[NavChapter, ...]
    # A chapter page's menu of a long course (FULL_MENU_CHAPTERS) shows the reader's
    # own section whole and each other one as a link to its first chapter: this one.
    collapsed_url: str = ""

    def __hash__(self) -> int:
        # Looked up once per page among the sections already rendered
        # (templates.MenuRenderer): hashing its chapters every time cost more than
        # rendering.
        known = self.__dict__.get("_hash")
        if known is None:
            known = hash(tuple(getattr(self, f.name) for f in fields(self)))
            object.__setattr__(self, "_hash", known)
        return known


@dataclass(frozen=True)
class PageLink:
    url: str
    label: str
    title: Markup


@dataclass(frozen=True)
class TrustedHTML:
    """A chapter's body, which gradsite rendered itself, inserted as it is.

    Not a Markup: making one copies the text, and a big course's bodies (50 MB at
    1000 chapters, on the pages and again on the print page) would be held twice
    for the whole build. The template's escaping takes ``__html__`` as safe."""

    html: str

    def __html__(self) -> str:
        return self.html


@dataclass(frozen=True)
class TocView:
    level: int
    id: str
    title_html: Markup


@dataclass(frozen=True)
class ChapterView:
    label: str
    title: Markup
    summary: Markup
    summary_text: str  # for <meta name="description">
    section_title: Markup
    key: str
    body_html: TrustedHTML
    toc: tuple[TocView, ...]
    prev: PageLink | None
    next: PageLink | None
    has_questions: bool  # completed by answering them; otherwise by "Mark chapter as done"
    feedback_url: str  # the course's feedback_url naming this chapter, or ""
    draft: bool = False  # built with --drafts: marked as such, kept out of search engines
    previews_html: Markup = Markup("")  # <template>s of what the chapter refers to
    scripts: tuple[str, ...] = ()  # beyond the site's own: its explorers' code and functions
    notebook_url: str = ""  # the chapter's Jupyter notebook, when it has {python} cells
    notebook_script_url: str = ""  # that notebook as a script, for saving it from disk
    copy_text: str = ""  # the chapter as Markdown, for "Copy this chapter for an AI assistant"
    copy_url: str = ""  # that Markdown's file, beside the page (llms/)


@dataclass(frozen=True)
class ReviewQuestion:
    id: str
    text: str  # plain text, math written linearly, shortened past REVIEW_TEXT_MAX
    url: str  # the question on its chapter's page


@dataclass(frozen=True)
class ReviewChapter:
    key: str
    label: str  # "Section 1. Chapter 2"
    title: Markup
    url: str
    questions: tuple[ReviewQuestion, ...]


@dataclass(frozen=True)
class ReviewView:
    """Every question of the course by chapter; the script keeps those the reader
    has still to answer correctly."""

    chapters: tuple[ReviewChapter, ...]


@dataclass(frozen=True)
class PrintChapter:
    anchor: str  # its id on the print page; its own ids start with it and a dash
    position: str  # "1.2"
    label: str  # "Section 1. Chapter 2"
    title: Markup
    summary: Markup
    draft: bool
    body_html: TrustedHTML  # without answers, its ids prefixed (printpage.py)


@dataclass(frozen=True)
class PrintSection:
    number: int
    title: Markup
    chapters: tuple[PrintChapter, ...]
    label: str = ""  # "Section 1"


@dataclass(frozen=True)
class PrintView:
    """The whole course on one page, for printing: every chapter in order."""

    sections: tuple[PrintSection, ...]


@dataclass(frozen=True)
class SocialMeta:
    """Open Graph and Twitter card values: how a link to the page looks when shared."""

    title: str
    description: str  # plain text, shortened past SOCIAL_TEXT_MAX; "" for none
    type: str  # "article" for a chapter, else "website"
    site_name: str
    url: str  # the page's absolute address (with a base_url), else ""
    image: str  # course.yml's image as an absolute URL (with a base_url), else ""
    card: str  # "summary_large_image" with an image, else "summary"


@dataclass(frozen=True)
class StandaloneHead:
    """What a page shown at any address (the 404 page) has in its head instead of links
    to the assets, whose relative addresses would be wrong below the site's root."""

    style: Markup  # the site's CSS, for an inline <style> (assets.standalone_css)
    policy: str  # its Content-Security-Policy: that style by its hash, nothing else inline
    icon: str  # the favicon as a data: URL, "" for none
    script: bool  # whether it loads the site's script: only from an absolute address


def standalone_head(css: str, icon: str, scripted: bool) -> StandaloneHead:
    """The head of a page shown at any address: ``css`` inline, allowed by its hash.

    A host's own CSP header may forbid inline styles; the page's meta policy names
    the hash such a header needs, and without it the page is plain but readable.
    """
    hashed = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
    policy = ("default-src 'none'; "
              f"style-src 'sha256-{hashed}'; img-src 'self' data:; font-src 'self'; "
              "script-src 'self'; connect-src 'self'; frame-src 'self'; "
              "base-uri 'none'; form-action 'none'")
    return StandaloneHead(style=_trusted(css), policy=policy, icon=icon, script=scripted)


@dataclass(frozen=True)
class PageContext:
    """Everything one page's template may use; ``path`` is where the page is written."""

    path: str
    template: str
    page_kind: str
    page_title: str
    root: str
    assets: str
    home_url: str
    canonical_url: str | None
    course: CourseView
    nav: tuple[NavSection, ...]
    chapter: ChapterView | None
    generator: str
    review_url: str  # the review page from this one; "" when the course has no questions
    words: Words  # the interface's words: ``words("nav.menu")`` in a template
    words_json: Markup  # the words the page's scripts use, for its JSON block
    print_url: str  # the print page of the whole course, from this one
    social: SocialMeta
    review: ReviewView | None = None
    printout: PrintView | None = None
    standalone: StandaloneHead | None = None  # the 404 page: styles inline, no relative link


def _trusted(html: str) -> Markup:
    """HTML that gradsite rendered itself (Markdown, MathML, Pygments): safe to insert."""
    return Markup(html)


def course_key(course: Course) -> str:
    """A stable id of the course: two courses on one domain keep separate progress."""
    return re.sub(r"[^a-z0-9]+", "-", course.info.title.lower()).strip("-") or "course"


def feedback_link(feedback_url: str, key: str, title: str) -> str:
    """The course's ``feedback_url`` with ``chapter=<key>&title=<title>`` added to its query.

    An existing query string is kept (the new parameters come after it) and any
    ``#fragment`` stays last; values are percent-encoded, ``/`` left readable.
    """
    if not feedback_url:
        return ""
    parts = urlsplit(feedback_url)
    added = urlencode([("chapter", key), ("title", title)], quote_via=quote, safe="/")
    query = parts.query.rstrip("&")
    return urlunsplit(parts._replace(query=f"{query}&{added}" if query else added))


def chapter_label(section_number: int, chapter_number: int, words: Words = ENGLISH_WORDS) -> str:
    """"Section 1. Chapter 2" in the course's language (numbers are positions, spec 15)."""
    return words("label.chapter", section=section_number, chapter=chapter_number)


def script_words_json(words: Words) -> Markup:
    """The JSON block of the words a page's scripts use: ``<``, ``>`` and ``&`` written
    as escapes, so no text can end the script element early."""
    text = json.dumps(words.script_words(), ensure_ascii=False, sort_keys=True,
                      separators=(",", ":"))
    return Markup(text.replace("&", "\\u0026").replace("<", "\\u003c")
                  .replace(">", "\\u003e"))


def build_pages(
    course: Course, rendered: dict[str, RenderedChapter], description_html: str,
    previews: Mapping[str, str] = MappingProxyType({}),
    copies: Mapping[str, str] = MappingProxyType({}),
    printed: Mapping[str, str] = MappingProxyType({}),
    inline_css: str = "",
    inline_icon: str = "",
) -> list[PageContext]:
    """One context per page: the home, every chapter (in course order), the review
    page (when the course has questions), the print page and the 404 page.

    ``rendered`` maps each chapter's page path to its rendered body, ``copies`` to
    its Markdown copy (llms/), ``printed`` to its body as the print page shows it
    (printpage.py). Numbers count published sections and chapters by position
    (spec section 1). ``inline_css`` and ``inline_icon`` are the styles and the
    favicon the 404 page carries itself (assets.standalone_css, icon_data_url).
    """
    macros = course.info.tex_macros
    words = course.info.words
    words_json = script_words_json(words)
    view = CourseView(
        title=with_math(course.info.title, macros),
        description_html=_trusted(description_html),
        author=course.info.author,
        language=course.info.language,
        key=course_key(course),
    )
    order = [
        (s_number, section, c_number, chapter)
        for s_number, section in enumerate(course.sections, start=1)
        for c_number, chapter in enumerate(section.chapters, start=1)
    ]
    paths = [chapter_page(section, chapter) for _, section, _, chapter in order]
    has_questions = any(chapter.quiz for chapter in course.chapters)
    course_title = plain(course.info.title, macros)
    course_text = _shortened(plain_with_math(description_html), SOCIAL_TEXT_MAX)
    image = course_image_file(course)
    image_url = (course.info.base_url + quote(image)) if image and course.info.base_url else ""
    # The menu is made once, its addresses from the site's root; pages in one folder
    # see it alike but for the current chapter, readdressed once per folder. A long
    # course's menu shows only the folder's own section whole: the others, collapsed,
    # are not readdressed chapter by chapter (sections x chapters of work).
    menu = _menu(course)
    menus: dict[str, tuple[tuple[NavSection, ...], tuple[NavSection, ...]]] = {}
    collapse = len(course.chapters) > FULL_MENU_CHAPTERS
    # A collapsed section is the same seen from every folder as deep: one object,
    # rendered once (templates.MenuRenderer), not once per folder.
    collapsed: dict[tuple[int, str], NavSection] = {}

    def collapsed_from(section: NavSection, page: str) -> NavSection:
        url = relative_url(page, section.chapters[0].url) if section.chapters else ""
        if (section.number, url) not in collapsed:
            collapsed[section.number, url] = _collapsed(section, url)
        return collapsed[section.number, url]

    def menu_of(page: str, key: str) -> tuple[NavSection, ...]:
        folder = page.rpartition("/")[0]
        if folder not in menus:
            if collapse:
                shown = tuple(collapsed_from(section, page) for section in menu)
                full = tuple(_seen_from(section, page) if _holds(section, folder) else other
                             for section, other in zip(menu, shown, strict=True))
            else:
                full = shown = tuple(_seen_from(section, page) for section in menu)
            menus[folder] = full, shown
        return _marked(*menus[folder], key)

    def common(page: str, root: str | None = None, title: str = course_title,
               text: str = course_text, kind: str = "website") -> dict[str, Any]:
        root = root_prefix(page) if root is None else root
        # An error page is no page of its own: it declares no canonical address.
        canonical = (course.info.base_url + page
                     if course.info.base_url and page != NOT_FOUND_PAGE else None)
        return dict(
            path=page,
            root=root,
            assets=f"{root}{ASSET_DIR}/",
            home_url=f"{root}{HOME_PAGE}",
            canonical_url=canonical,
            course=view,
            generator=f"gradsite {__version__}",
            review_url=f"{root}{REVIEW_PAGE}" if has_questions else "",
            words=words,
            words_json=words_json,
            print_url=f"{root}{PRINT_PAGE}",
            social=SocialMeta(
                title=title, description=text, type=kind, site_name=course_title,
                url=canonical or "", image=image_url,
                card="summary_large_image" if image_url else "summary"),
        )

    pages = [
        PageContext(
            template="home.html",
            page_kind="home",
            page_title=course_title,
            nav=_nav(menu, HOME_PAGE),
            chapter=None,
            **common(HOME_PAGE),
        )
    ]
    for i, (s_number, section, c_number, chapter) in enumerate(order):
        page = paths[i]
        body = rendered[page]
        neighbours: list[PageLink | None] = []
        for j in (i - 1, i + 1):
            if 0 <= j < len(order):
                s_n, _, c_n, other = order[j]
                neighbours.append(
                    PageLink(relative_url(page, paths[j]), chapter_label(s_n, c_n, words),
                             with_math(other.title, macros))
                )
            else:
                neighbours.append(None)
        chapter_view = ChapterView(
            label=chapter_label(s_number, c_number, words),
            title=with_math(chapter.title, macros),
            summary=with_math(chapter.summary, macros),
            summary_text=plain(chapter.summary, macros),
            section_title=with_math(section.title, macros),
            key=chapter_key(section, chapter),
            body_html=TrustedHTML(body.body_html),
            toc=tuple(_toc(entry) for entry in body.toc),
            prev=neighbours[0],
            next=neighbours[1],
            has_questions=bool(chapter.quiz),
            feedback_url=feedback_link(course.info.feedback_url, chapter_key(section, chapter),
                                       plain(chapter.title, macros)),
            draft=chapter.draft,
            previews_html=_trusted(previews.get(page, "")),
            # The functions first: the explorers' code finds them when it starts.
            scripts=(*body.scripts, f"{common(page)['assets']}{EXPLORE_SCRIPT_FILE}")
            if body.scripts else (),
            notebook_url=body.notebook,
            notebook_script_url=body.notebook_script,
            copy_text=copies.get(page, ""),
            copy_url=markdown_copy_path(page).rpartition("/")[2] if page in copies else "",
        )
        pages.append(
            PageContext(
                template="chapter.html",
                page_kind="chapter",
                page_title=(f"{plain(chapter.title, macros)} · "
                            f"{plain(course.info.title, macros)}"),
                nav=menu_of(page, chapter_view.key),
                chapter=chapter_view,
                # A chapter without a summary is shared with the course's description.
                **common(page, title=plain(chapter.title, macros),
                         text=_shortened(chapter_view.summary_text, SOCIAL_TEXT_MAX)
                         or course_text, kind="article"),
            )
        )
    if has_questions:
        pages.append(
            PageContext(
                template="review.html",
                page_kind="review",
                page_title=f"{words('review.title')} · {course_title}",
                nav=_nav(menu, REVIEW_PAGE),
                chapter=None,
                review=_review(course, rendered),
                **common(REVIEW_PAGE, title=f"{words('review.title')} · {course_title}"),
            )
        )
    pages.append(
        PageContext(
            template="print.html",
            page_kind="print",
            # Also the name a browser proposes for the PDF saved from it.
            page_title=course_title,
            nav=_nav(menu, PRINT_PAGE),
            chapter=None,
            printout=_printout(course, printed),
            **common(PRINT_PAGE),
        )
    )
    # The 404 page is served at any depth, so no relative link of it can be right.
    # With a base_url its links are absolute. Without one, where the site starts is
    # unknowable: they lead to the root of the domain ("/"), which is right for a
    # course at the root (a domain of its own, `serve`), and it loads no script,
    # which could be another site's there. Its styles are inline either way.
    base = course.info.base_url or "/"
    pages.append(
        PageContext(
            template="404.html",
            page_kind="404",
            page_title=f"{words('notfound.title')} · {course_title}",
            nav=_nav(menu, NOT_FOUND_PAGE, base),
            chapter=None,
            standalone=standalone_head(inline_css, inline_icon,
                                       scripted=bool(course.info.base_url)),
            **common(NOT_FOUND_PAGE, base,
                     title=f"{words('notfound.title')} · {course_title}"),
        )
    )
    return pages


# A chapter page's menu lists every chapter of a course up to this many; past it,
# the reader's own section is listed whole and every other one is its title, a
# link to its first chapter (the course home still lists every chapter). A
# 1000-chapter course's full menu would put 1000 entries on each of its 1000
# pages: 250 MB of its 336 MB of HTML, and a list no reader scans.
FULL_MENU_CHAPTERS = 200
REVIEW_TEXT_MAX = 160  # characters of a question's text on the review page
SOCIAL_TEXT_MAX = 300  # characters of og:description (link previews show less)


def _review(course: Course, rendered: dict[str, RenderedChapter]) -> ReviewView:
    """Every chapter with questions, and each of its questions as the review page
    lists it: its text, and a link to it on the chapter's page."""
    macros = course.info.tex_macros
    chapters = []
    for s_number, section in enumerate(course.sections, start=1):
        for c_number, chapter in enumerate(section.chapters, start=1):
            page = chapter_page(section, chapter)
            found = rendered[page].questions
            if not found:
                continue
            url = relative_url(REVIEW_PAGE, page)
            chapters.append(ReviewChapter(
                key=chapter_key(section, chapter),
                label=chapter_label(s_number, c_number, course.info.words),
                title=with_math(chapter.title, macros),
                url=url,
                questions=tuple(ReviewQuestion(qid, _shortened(text), f"{url}#question-{qid}")
                                for qid, text in found),
            ))
    return ReviewView(tuple(chapters))


def _printout(course: Course, printed: Mapping[str, str]) -> PrintView:
    """Every chapter as the print page shows it, by section."""
    macros, words = course.info.tex_macros, course.info.words
    return PrintView(tuple(
        PrintSection(s_number, with_math(section.title, macros), tuple(
            PrintChapter(
                anchor=print_anchor(s_number, c_number),
                position=f"{s_number}.{c_number}",
                label=chapter_label(s_number, c_number, words),
                title=with_math(chapter.title, macros),
                summary=with_math(chapter.summary, macros),
                draft=chapter.draft,
                body_html=TrustedHTML(printed[chapter_page(section, chapter)]),
            )
            for c_number, chapter in enumerate(section.chapters, start=1)),
            words("label.section", section=s_number))
        for s_number, section in enumerate(course.sections, start=1)
    ))


def course_image_file(course: Course) -> str:
    """Where course.yml's ``image`` is copied in the site ("" without one): as any
    file next to the chapters is (layout.asset_output_path)."""
    if not course.info.image:
        return ""
    section_slugs = {section.source.name: section.slug for section in course.sections}
    return asset_output_path(PurePosixPath(course.info.image), section_slugs)


def _shortened(text: str, limit: int = REVIEW_TEXT_MAX) -> str:
    """``text``, or its first words up to ``limit`` characters and an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit + 1].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    return cut.rstrip(" ,;:.") + "\u2026"


def with_math(text: str, macros: str = "") -> Markup:
    """A title or summary as the page shows it: escaped, its math as MathML (with the
    course's ``macros``)."""
    return _trusted(render_text_with_math(text, macros)[0])


@lru_cache(maxsize=4096)  # a chapter's title goes in several places of its page and others
def plain(text: str, macros: str = "") -> str:
    """A title or summary where only text can go (<title>, <meta>, a URL): its math
    written linearly (``The gradient ∇f``)."""
    shown = render_text_with_math(text, macros)[0]
    return plain_with_math(shown) if "<math" in shown else text


def _toc(entry: TocEntry) -> TocView:
    return TocView(entry.level, entry.id, _trusted(entry.title_html))


def _nav(menu: tuple[NavSection, ...], page: str, base: str = "") -> tuple[NavSection, ...]:
    """The course menu (``_menu``) as seen from ``page`` (absolute under ``base`` if
    given)."""
    return tuple(_seen_from(section, page, base) for section in menu)


def _menu(course: Course) -> tuple[NavSection, ...]:
    """The course menu, each chapter's address from the site's root."""
    macros = course.info.tex_macros
    sections = []
    for s_number, section in enumerate(course.sections, start=1):
        chapters = []
        for c_number, chapter in enumerate(section.chapters, start=1):
            chapters.append(
                NavChapter(
                    number=c_number,
                    position=f"{s_number}.{c_number}",
                    label=chapter_label(s_number, c_number, course.info.words),
                    title=with_math(chapter.title, macros),
                    summary=with_math(chapter.summary, macros),
                    url=chapter_page(section, chapter),
                    key=chapter_key(section, chapter),
                    is_current=False,
                )
            )
        sections.append(
            NavSection(
                number=s_number,
                label=course.info.words("label.section", section=s_number),
                title=with_math(section.title, macros),
                summary=with_math(section.summary, macros),
                is_current=False,
                chapters=tuple(chapters),
            )
        )
    return tuple(sections)


def _seen_from(section: NavSection, page: str, base: str = "") -> NavSection:
    """A section of ``_menu`` with its chapters' addresses as seen from ``page``
    (absolute under ``base`` if given)."""
    return replace(section, chapters=tuple(
        replace(c, url=(base + c.url) if base else relative_url(page, c.url))
        for c in section.chapters))


def _holds(section: NavSection, folder: str) -> bool:
    """Whether a chapter of ``section`` (of ``_menu``) has its page in ``folder``."""
    return any(c.url.rpartition("/")[0] == folder for c in section.chapters)


def _collapsed(section: NavSection, url: str) -> NavSection:
    """A section of ``_menu`` as a long course's menu shows it from another section:
    its title, a link to its first chapter at ``url``."""
    return replace(section, chapters=(), collapsed_url=url)


def _marked(nav: tuple[NavSection, ...], shown: tuple[NavSection, ...],
            key: str) -> tuple[NavSection, ...]:
    """The menu of chapter ``key``'s page: its section from ``nav``, whole, with the
    chapter and the section marked current; every other section as ``shown`` has it
    (the same as ``nav``'s, or collapsed), shared by every page of the folder."""
    return tuple(
        replace(
            section,
            is_current=True,
            chapters=tuple(replace(c, is_current=True) if c.key == key else c
                           for c in section.chapters),
        )
        if any(c.key == key for c in section.chapters)
        else other
        for section, other in zip(nav, shown, strict=True)
    )


def sitemap(course: Course, pages: list[PageContext]) -> str | None:
    """sitemap.xml listing the home and the chapters, when the course has a base_url."""
    if not course.info.base_url:
        return None
    # The review page lists what a reader has left to answer: nothing to search for.
    # The print page repeats every chapter: a search engine should find the chapters.
    urls = [course.info.base_url + p.path for p in pages
            if p.page_kind not in ("404", "review", "print")
            and not (p.chapter and p.chapter.draft)]
    # html.escape without quotes is XML's text escaping (&, <, >); xml.sax.saxutils
    # does the same but imports urllib.request and http.client (~35 ms a build).
    entries = "".join(f"  <url><loc>{html.escape(u, quote=False)}</loc></url>\n" for u in urls)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{entries}</urlset>\n"
    )
