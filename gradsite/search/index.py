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

A chapter's share of the index (join.py) is made once and kept under
everything it comes from (its rendered body, title, summary, address and
position): in the build cache, for the next build, and in memory, for the next
rebuild in the same process (``serve``), which then joins only what changed.
So a rebuild after a prose edit cuts and counts only the edited chapter.
The build indexes each chapter as soon as it is rendered (``index_ahead``), while
cells still run in other processes, so that writing the index at the end only
joins the shares.
"""

from __future__ import annotations

import hashlib
import threading
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ..cache import Cache
from ..fingerprint import digest, environment_key
from ..layout import ASSET_DIR, chapter_page
from ..model import Course, OutputFile, RenderedChapter
from .documents import SearchDocument, chapter_documents
from .join import IndexedChapter, JoinedIndex, as_json
from .terms import normalize_terms

INDEX_FILE = f"{ASSET_DIR}/search-index.js"


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


def chapter_share(documents: Sequence[IndexedDocument]) -> IndexedChapter:
    """The share of the index of one page's documents, in page order."""
    first = documents[0].document
    rows = tuple(as_json([one.document.anchor, one.document.heading, one.document.text,
                          one.length])[1:] for one in documents)
    flats: defaultdict[str, list[int]] = defaultdict(list)
    firsts: dict[str, int] = {}
    lasts: dict[str, int] = {}
    for number, one in enumerate(documents):
        for term, weight in one.weights:
            flats[term] += (number - lasts[term], weight) if term in lasts else (weight,)
            firsts.setdefault(term, number)
            lasts[term] = number
    return IndexedChapter((first.url, first.position, first.chapter), rows, {
        term: (firsts[term], lasts[term], "," + ",".join(map(str, flat)))
        for term, flat in flats.items()})


def indexed_chapter(chapter: ChapterToIndex, macros: str, cache: Cache) -> IndexedChapter:
    """A chapter's share of the index, from the cache when nothing it comes from changed."""
    rendered = chapter.rendered
    key = digest(environment_key(), "search-chapter", chapter.url, chapter.position,
                 chapter.section_title, macros, rendered.chapter.title, rendered.chapter.summary,
                 hashlib.sha256(rendered.body_html.encode()).hexdigest())
    cached = cache.get(key)
    if isinstance(cached, IndexedChapter):
        return cached
    made = chapter_share([document_terms(document) for document in chapter_documents(
        rendered, chapter.url, chapter.position, chapter.section_title, macros)])
    cache.put(key, made)
    return made


def index_text(documents: Sequence[IndexedDocument]) -> str:
    """The index of ``documents`` as JSON, each run of one page's documents a chapter."""
    runs: list[list[IndexedDocument]] = []
    for one in documents:
        if runs and runs[-1][0].document.url == one.document.url:
            runs[-1].append(one)
        else:
            runs.append([one])
    joined = JoinedIndex()
    joined.update([chapter_share(run) for run in runs])
    return joined.json()


def index_script(index: str) -> bytes:
    """``search-index.js`` around the index's JSON (``index_text``)."""
    return (
        "/* search-index.js, built by gradsite: the course's search index, read by search.js */\n"
        f"window.gradsiteSearchData = {index};\n"
        "if (typeof window.gradsiteSearchReady === \"function\") "
        "window.gradsiteSearchReady(window.gradsiteSearchData);\n"
    ).encode()


@dataclass
class _Remembered:
    """What the last build in this process indexed: each chapter's share with what it
    came from, the joined index and its script. Only the last course's: a long
    ``serve`` session holds no more than one course's index."""

    shares: dict[str, tuple[tuple[str, ...], IndexedChapter]] = field(default_factory=dict)
    joined: JoinedIndex = field(default_factory=JoinedIndex)
    script: bytes = b""


_last: _Remembered | None = None
# serve may start a build while a cancelled one ends: one at a time updates the index.
_last_lock = threading.Lock()


def index_ahead(chapter: ChapterToIndex, macros: str, cache: Cache) -> None:
    """Make ``chapter``'s share now, while cells still run elsewhere:
    ``search_index_file`` then finds it made, unless the chapter renders again."""
    global _last
    with _last_lock:
        last = _last or _Remembered()
        last.shares[chapter.url] = _share(last, chapter, macros, cache)
        _last = last


def search_index_file(
    course: Course, rendered: Mapping[str, RenderedChapter], cache: Cache
) -> OutputFile:
    """``assets/search-index.js``: the course's chapters (``rendered``, by page) in
    course order, numbered as the menus number them."""
    global _last
    chapters = [
        ChapterToIndex(rendered[page], page, position, section_title)
        for page, (position, section_title) in index_positions(course).items()
        if page in rendered
    ]
    macros = course.info.tex_macros
    with _last_lock:
        # Taken, and put back once whole: a build that fails here leaves none half-updated.
        last, _last = _last or _Remembered(), None
        shares: dict[str, tuple[tuple[str, ...], IndexedChapter]] = {}
        for chapter in chapters:
            shares[chapter.url] = _share(last, chapter, macros, cache)
        if last.joined.update([share for _, share in shares.values()]) or not last.script:
            last.script = index_script(last.joined.json())
        last.shares = shares
        _last = last
    return OutputFile(INDEX_FILE, last.script)


def _share(last: _Remembered, chapter: ChapterToIndex, macros: str,
           cache: Cache) -> tuple[tuple[str, ...], IndexedChapter]:
    """``chapter``'s share with what it comes from: the one ``last`` holds when that
    came from the same, else one from the cache or made now."""
    # Compared, not hashed: equal strings compare in a blink, a digest reads them all.
    inputs = (chapter.position, chapter.section_title, macros, chapter.rendered.chapter.title,
              chapter.rendered.chapter.summary, chapter.rendered.body_html)
    known = last.shares.get(chapter.url)
    if known is not None and known[0] == inputs:
        return known
    return inputs, indexed_chapter(chapter, macros, cache)


def index_positions(course: Course) -> dict[str, tuple[str, str]]:
    """Each chapter's page, in course order, with its number ("2.3") and section's title."""
    return {chapter_page(section, chapter): (f"{s_number}.{c_number}", section.title)
            for s_number, section in enumerate(course.sections, start=1)
            for c_number, chapter in enumerate(section.chapters, start=1)}
