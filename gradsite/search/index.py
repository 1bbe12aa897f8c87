"""The search index: every chapter's documents and their terms, written as the
script ``assets/search-index.js``, which the engine (``assets/search.js``) reads.

The index is inverted: the terms, sorted as JavaScript compares strings (by
UTF-16 code units, so the engine can binary-search them), each with its
postings. A posting is a document and the term's weight in it: how often the
term stands in the text, and whether it is in the heading or the chapter's
title (``posting_weight``), which the engine scores above the text. Postings
are written as one flat list per term, document numbers as the gap from the
previous one, which keeps the file small.

The script assigns the payload to ``window.gradsiteSearchData`` and hands it to
``window.gradsiteSearchReady`` if the engine came first; the page loads both on
first use with ``<script>`` elements, so search works from ``file://`` too.

A chapter's terms are counted once and cached under everything they come from
(its rendered body, title, summary, address and position), so a rebuild after
a prose edit counts only the edited chapter's.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from ..cache import Cache
from ..fingerprint import digest, environment_key
from ..layout import ASSET_DIR, chapter_page
from ..model import Course, OutputFile, RenderedChapter
from .documents import SearchDocument, chapter_documents
from .mathwords import SYMBOL_NAMES
from .terms import normalize_terms

INDEX_FILE = f"{ASSET_DIR}/search-index.js"
FORMAT_VERSION = 1


@dataclass(frozen=True)
class ChapterToIndex:
    """A rendered chapter with where the site shows it."""

    rendered: RenderedChapter
    url: str  # its page from the site's root
    position: str  # "2.3"
    section_title: str


@dataclass(frozen=True)
class IndexedDocument:
    document: SearchDocument
    weights: tuple[tuple[str, int], ...]  # each term with its weight, sorted by term
    length: int  # how many terms the document's text has


def document_terms(document: SearchDocument) -> IndexedDocument:
    """A document's terms, each with its weight (``posting_weight``)."""
    text = normalize_terms(f"{document.text} {document.terms_text}")
    counts = Counter(text)
    in_heading = set(normalize_terms(document.heading))
    in_title = set(normalize_terms(document.chapter)) if not document.anchor else set()
    weights = {term: posting_weight(counts.get(term, 0), term in in_heading, term in in_title)
               for term in {*counts, *in_heading, *in_title}}
    return IndexedDocument(document, tuple(sorted(weights.items())), len(text))


def posting_weight(count: int, in_heading: bool, in_title: bool) -> int:
    """How often a term stands in a document's text, and whether it is in its heading
    or its chapter's title, as one number: ``count * 4 + heading + 2 * title``."""
    return count * 4 + (1 if in_heading else 0) + (2 if in_title else 0)


def indexed_chapter(
    chapter: ChapterToIndex, macros: str, cache: Cache
) -> tuple[IndexedDocument, ...]:
    """A chapter's documents with their terms, from the cache when nothing they
    come from changed."""
    rendered = chapter.rendered
    key = digest(environment_key(), "search-documents", chapter.url, chapter.position,
                 chapter.section_title, macros, rendered.chapter.title, rendered.chapter.summary,
                 hashlib.sha256(rendered.body_html.encode()).hexdigest())
    cached = cache.get(key)
    if isinstance(cached, tuple) and all(isinstance(one, IndexedDocument) for one in cached):
        return cached
    made = tuple(document_terms(document) for document in chapter_documents(
        rendered, chapter.url, chapter.position, chapter.section_title, macros))
    cache.put(key, made)
    return made


def js_order(term: str) -> bytes:
    """The key that sorts strings as JavaScript's ``<`` does: by UTF-16 code units."""
    return term.encode("utf-16-be")


def index_payload(documents: list[IndexedDocument]) -> dict[str, object]:
    """The index as plain data: pages, documents, sorted terms and their postings."""
    pages: dict[tuple[str, str, str], int] = {}
    rows = []
    postings: defaultdict[str, list[int]] = defaultdict(list)
    for number, one in enumerate(documents):
        doc = one.document
        page = pages.setdefault((doc.url, doc.position, doc.chapter), len(pages))
        rows.append([page, doc.anchor, doc.heading, doc.text, one.length])
        for term, weight in one.weights:
            postings[term] += (number, weight)
    terms = sorted(postings, key=js_order)
    for flat in postings.values():  # document numbers as gaps: smaller numbers to write
        numbers = flat[0::2]
        flat[0::2] = [after - before for before, after in zip([0, *numbers[:-1]], numbers,
                                                               strict=True)]
    names: dict[str, str] = {}
    for symbol, name in SYMBOL_NAMES.items():  # the first symbol of a name: α, not Α
        if name in postings:
            names.setdefault(name, symbol)
    return {
        "version": FORMAT_VERSION,
        "pages": [list(page) for page in pages],
        "docs": rows,
        "terms": terms,
        "postings": [postings[term] for term in terms],
        "symbols": dict(sorted(names.items())),
    }


def index_script(payload: dict[str, object]) -> bytes:
    data = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return (
        "/* search-index.js, built by gradsite: the course's search index, read by search.js */\n"
        f"window.gradsiteSearchData = {data};\n"
        "if (typeof window.gradsiteSearchReady === \"function\") "
        "window.gradsiteSearchReady(window.gradsiteSearchData);\n"
    ).encode()


def search_index_file(
    course: Course, rendered: Mapping[str, RenderedChapter], cache: Cache
) -> OutputFile:
    """``assets/search-index.js``: the course's chapters (``rendered``, by page) in
    course order, numbered as the menus number them."""
    chapters = [
        ChapterToIndex(rendered[page], page, f"{s_number}.{c_number}", section.title)
        for s_number, section in enumerate(course.sections, start=1)
        for c_number, chapter in enumerate(section.chapters, start=1)
        if (page := chapter_page(section, chapter)) in rendered
    ]
    macros = course.info.tex_macros
    documents = [one for chapter in chapters for one in indexed_chapter(chapter, macros, cache)]
    return OutputFile(INDEX_FILE, index_script(index_payload(documents)))
