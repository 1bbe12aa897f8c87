"""The search index joined from its chapters' shares, as the JSON that
``assets/search-index.js`` assigns.

Each chapter brings its share made once (index.py: ``IndexedChapter``): its
documents' rows already written as JSON, and each of its terms' postings
written too, but for the first document's gap from the term's previous
posting, which depends on the chapters before. A ``JoinedIndex`` keeps, per
term, the chapters that hold it and their pieces of its postings, so that a
rebuild (``serve``) updates it in place: only the pieces of the chapters that
changed are put in, and the piece after each has its first gap written again
(after a chapter whose number of documents changed, every term's). The
result is the same text as a join from nothing (tests/test_search.py compares
them). Chapters added, removed or moved: joined from nothing.
"""

from __future__ import annotations

import json
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import accumulate

from .mathwords import SYMBOL_NAMES

FORMAT_VERSION = 1


# A term's postings in one chapter, documents numbered within it: (the first document
# that holds the term, the last one, the flat postings after the first gap as JSON:
# ",weight,gap,weight,..."). A tuple, not a class: a rebuild reads every chapter's
# back from the cache, hundreds of thousands in a big course, and a tuple unpickles
# several times faster than a dataclass.
ChapterPostings = tuple[int, int, str]


@dataclass(frozen=True)
class IndexedChapter:
    """A chapter's share of the index."""

    page: tuple[str, str, str]  # its address, its position ("2.3") and its title
    rows: tuple[str, ...]  # each document's row as JSON, after the row's page number
    postings: dict[str, ChapterPostings]


def as_json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def js_order(term: str) -> bytes:
    """The key that sorts strings as JavaScript's ``<`` does: by UTF-16 code units."""
    return term.encode("utf-16-be")


@dataclass
class JoinedIndex:
    """The index of a list of chapters, updated in place to the next list."""

    chapters: list[IndexedChapter] = field(default_factory=list)
    firsts: list[int] = field(default_factory=list)  # each chapter's first document's number
    holders: dict[str, list[int]] = field(default_factory=dict)  # term -> chapters, in order
    pieces: dict[str, list[str]] = field(default_factory=dict)  # term -> its holders' postings
    texts: dict[str, str] = field(default_factory=dict)  # term -> its postings as JSON
    terms: list[str] = field(default_factory=list)  # sorted as JavaScript sorts
    keys: list[bytes] = field(default_factory=list)  # js_order of each of ``terms``

    def update(self, chapters: Sequence[IndexedChapter]) -> bool:
        """Join ``chapters`` instead of the chapters joined before; False when
        nothing changed."""
        before = self.chapters
        chapters = list(chapters)
        if len(chapters) != len(before):
            self._join_from_nothing(chapters)
            return True
        changed = [n for n, (now, was) in enumerate(zip(chapters, before, strict=True))
                   if now is not was]
        if not changed:
            return False
        self.chapters = chapters
        self.firsts = list(accumulate((len(c.rows) for c in chapters), initial=0))[:-1]
        redo: dict[str, set[int]] = {}  # term -> the chapters whose piece is written again
        for number in changed:
            now, was = chapters[number].postings, before[number].postings
            for term in now.keys() | was.keys():
                holders = self.holders.setdefault(term, [])
                pieces = self.pieces.setdefault(term, [])
                at = bisect_left(holders, number)
                held = at < len(holders) and holders[at] == number
                if held and term not in now:
                    del holders[at], pieces[at]
                elif not held and term in now:
                    holders.insert(at, number)
                    pieces.insert(at, "")
                redo.setdefault(term, set()).add(number)
        recounted = [n for n in changed if len(chapters[n].rows) != len(before[n].rows)]
        for number in recounted:  # the documents after it moved: every term's next gap
            for term in self.holders:
                redo.setdefault(term, set()).add(number)
        for term, numbers in redo.items():
            self._rewrite(term, numbers)
        return True

    def _rewrite(self, term: str, numbers: set[int]) -> None:
        """Write again the pieces of ``term`` of the chapters ``numbers`` and of the
        chapter after each that holds it, then its JSON."""
        holders, pieces = self.holders[term], self.pieces[term]
        if not holders:
            del self.holders[term], self.pieces[term]
            self.texts.pop(term, None)
            at = bisect_left(self.keys, js_order(term))
            del self.terms[at], self.keys[at]
            return
        for number in numbers:
            at = bisect_left(holders, number)
            if at < len(holders) and holders[at] == number:
                pieces[at] = self._piece(term, at)
            after = bisect_right(holders, number)
            if after < len(holders):
                pieces[after] = self._piece(term, after)
        if term not in self.texts:
            key = js_order(term)
            at = bisect_left(self.keys, key)
            self.terms.insert(at, term)
            self.keys.insert(at, key)
        self.texts[term] = f"[{','.join(pieces)}]"

    def _piece(self, term: str, at: int) -> str:
        holders = self.holders[term]
        number = holders[at]
        first, _, tail = self.chapters[number].postings[term]
        previous = 0
        if at:
            before = holders[at - 1]
            previous = self.firsts[before] + self.chapters[before].postings[term][1]
        return f"{self.firsts[number] + first - previous}{tail}"

    def _join_from_nothing(self, chapters: list[IndexedChapter]) -> None:
        self.chapters = chapters
        self.firsts = list(accumulate((len(c.rows) for c in chapters), initial=0))[:-1]
        self.holders, self.pieces = {}, {}
        lasts: dict[str, int] = {}
        for number, (chapter, first) in enumerate(zip(chapters, self.firsts, strict=True)):
            for term, (own_first, own_last, tail) in chapter.postings.items():
                self.holders.setdefault(term, []).append(number)
                gap = first + own_first - lasts.get(term, 0)
                self.pieces.setdefault(term, []).append(f"{gap}{tail}")
                lasts[term] = first + own_last
        self.texts = {term: f"[{','.join(pieces)}]" for term, pieces in self.pieces.items()}
        self.terms = sorted(self.texts, key=js_order)
        self.keys = [js_order(term) for term in self.terms]

    def json(self) -> str:
        """The index as JSON: pages, documents (a page, an anchor, a heading, a text
        and its number of terms), sorted terms, their postings, math symbols by name."""
        names: dict[str, str] = {}
        for symbol, name in SYMBOL_NAMES.items():  # the first symbol of a name: α, not Α
            if name in self.texts:
                names.setdefault(name, symbol)
        pages = as_json([list(chapter.page) for chapter in self.chapters])
        docs = ",".join(f"[{page},{row}" for page, chapter in enumerate(self.chapters)
                        for row in chapter.rows)
        postings = ",".join(self.texts[term] for term in self.terms)
        return (f'{{"version":{FORMAT_VERSION},"pages":{pages},"docs":[{docs}],'
                f'"terms":{as_json(self.terms)},"postings":[{postings}],'
                f'"symbols":{as_json(dict(sorted(names.items())))}}}')
