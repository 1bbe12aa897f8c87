"""The print page's share of each chapter: its body made fit for one page of the
whole course (pages stage).

The print page (``print.html``, at the site's root) holds every chapter's body
in course order, for the browser's "Save as PDF". A chapter's body is written
for its own page, so here it is changed, on its rendered HTML, in three ways:

- what a printed course must not give away is taken out: a question's answer
  key, explanation, choice feedback and hints, the other variants of a question
  with parameters, an exercise's hints and solution, and the data that grades
  an answer (``data-correct``, ``data-answer``, ``data-tolerance``); buttons and
  the note for readers without JavaScript go too;
- an explorer is left as its static figure (no controls, nothing the script
  would start);
- every id is prefixed with the chapter's anchor (``s1c2-``), and so is every
  reference to one (``for``, ``aria-*``, ``href="#..."``, ``url(#...)``), so
  ids stay unique on the page; a link to another chapter points to that
  chapter on the print page, and other relative links and images are
  addressed from the site's root.
"""

from __future__ import annotations

import hashlib
import html
import posixpath
import re
from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

from .cache import Cache
from .fingerprint import canonical, digest, environment_key
from .layout import PRINT_PAGE, chapter_page, print_anchor, relative_url
from .model import Course, RenderedChapter
from .render import element_at

# (tag, class) of what the print page leaves out: gradsite's own markup
# (markup/questions.py, markup/blocks.py, markup/explore.py). Inside a question's
# form: its answer key, explanation, feedback, hints, buttons and verdict.
_LEFT_OUT_OF_QUESTIONS = frozenset({
    ("details", "answer-key"),
    ("div", "explanation"),
    ("p", "choice-feedback"),
    ("details", "hint"),
    ("div", "question-actions"),
    ("div", "verdict"),
    ("p", "nojs-note"),
})
# Anywhere (names an author's own HTML has no reason to use): a question's later
# variants, an exercise's hints and solution, an explorer's controls and readouts.
_LEFT_OUT = frozenset({
    ("form", "question-variant"),
    ("details", "exercise-hint"),
    ("details", "exercise-solution"),
    ("div", "explore-panel"),
})
# Attributes that give an answer away, or make an explorer of a figure.
_DROPPED = frozenset({"data-correct", "data-answer", "data-tolerance", "data-explore"})
# Attributes whose value is a list of ids.
_ID_LISTS = frozenset({
    "for", "headers", "list", "form", "aria-labelledby", "aria-describedby", "aria-controls",
    "aria-owns", "aria-details", "aria-errormessage", "aria-flowto", "aria-activedescendant",
})
_URLS = frozenset({"href", "src", "poster", "xlink:href"})

# A start tag, its attribute values quoted or not (a ">" may stand inside quotes).
_VALUE = r"""(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+)"""
_TAG = re.compile(rf"""<([A-Za-z][\w:-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*{_VALUE})?)*)\s*(/?)>""")
_ATTRIBUTE = re.compile(rf"""(\s+)([^\s"'>/=]+)(?:(\s*=\s*)({_VALUE}))?""")
_CLASS = re.compile(r"""\sclass\s*=\s*(?:"([^"]*)"|'([^']*)')""")
# Where a start tag that matters may begin: most tags (MathML's) have none of these
# attributes, and are passed over by the regular expression alone.
_BEFORE = r"""<[A-Za-z](?:[^>"']|"[^"]*"|'[^']*')*?"""
_NAMES = "|".join(sorted({name for _, name in _LEFT_OUT | _LEFT_OUT_OF_QUESTIONS} | {"question"}))
_CLASSED = re.compile(_BEFORE + r"""\s(?:class\s*=\s*["']?[^"'>]*?(?<![\w-])(?:"""
                      + _NAMES + r""")(?![\w-])|data-correct|data-answer|data-tolerance"""
                      r"""|data-explore)""")
_WITH_ID = re.compile(_BEFORE + r"\sid\s*=")
_REFERRING = re.compile(_BEFORE + r"""\s(?:(?:id|for|headers|list|form|aria-[\w-]+|href"""
                        r"""|xlink:href|src|poster)\s*=|[\w:-]+\s*=\s*(?:"[^"]*|'[^']*)url\(#)""",
                        re.IGNORECASE)
_SVG_URL = re.compile(r"url\(#([^)\s]+)\)")


def print_bodies(
    course: Course, rendered: dict[str, RenderedChapter], cache: Cache
) -> dict[str, str]:
    """Each chapter page's body as the print page shows it (see the module doc); each
    from the cache when made before from the same body, in a course whose chapters
    have the same anchors and ids (a link to another chapter is readdressed to its
    anchor, or its id there): after a prose edit, all but one are."""
    anchors = {
        chapter_page(section, chapter): print_anchor(s_number, c_number)
        for s_number, section in enumerate(course.sections, start=1)
        for c_number, chapter in enumerate(section.chapters, start=1)
    }
    bodies: dict[str, str] = {}
    ids: dict[str, frozenset[str]] = {}
    hashes: dict[str, str] = {}
    for page in anchors:
        hashes[page] = hashlib.sha256(rendered[page].body_html.encode()).hexdigest()
        bodies[page], ids[page] = _printable(rendered[page].body_html, hashes[page], cache)
    addressed = digest(environment_key(), "print-addresses", canonical(anchors),
                       canonical({page: sorted(names) for page, names in ids.items()}))
    # Replaced one at a time: a big course's bodies are never held twice.
    for page, body in bodies.items():
        key = digest(addressed, page, hashes[page])
        found = cache.get(key)
        if isinstance(found, str):
            bodies[page] = found
        else:
            bodies[page] = _readdressed(body, page, anchors, ids)
            cache.put(key, bodies[page])
    return bodies


def _printable(body: str, body_hash: str, cache: Cache) -> tuple[str, frozenset[str]]:
    """``body`` (whose sha256 is ``body_hash``) without what print leaves out, its
    images loading at once, and its ids; from the cache when made before."""
    key = digest(environment_key(), "print-body", body_hash)
    found = cache.get(key)
    if (isinstance(found, tuple) and len(found) == 2 and isinstance(found[0], str)
            and isinstance(found[1], frozenset)):
        return found
    printable = _LAZY.sub(r"\1", without_answers(body))
    made = printable, frozenset(_ids(printable))
    cache.put(key, made)
    return made


# Figures load at once: a browser may print before it has loaded a lazy image.
_LAZY = re.compile(r'(<img\b[^>]*?) loading="lazy"')


def without_answers(body: str) -> str:
    """``body`` without what a printed course leaves out, and without the attributes
    that hold answers or start explorers."""
    parts: list[str] = []
    position = 0  # what comes before is in parts
    question_end = 0  # where the question's form that the scan is in ends
    at = 0
    while (found := _CLASSED.search(body, at)) is not None:
        match = _TAG.match(body, found.start())
        if match is None:
            at = found.start() + 1
            continue
        at = match.end()
        tag = match.group(1).lower()
        named = _CLASS.search(match.group(2))
        classes = (named.group(1) or named.group(2) or "").split() if named else []
        if tag == "form" and "question" in classes:
            question_end = match.start() + len(element_at(body, match.start()))
        left_out = _LEFT_OUT | (_LEFT_OUT_OF_QUESTIONS if match.start() < question_end
                                else frozenset())
        if any((tag, name) in left_out for name in classes):
            element = element_at(body, match.start())
            if element:
                parts.append(body[position:match.start()])
                position = at = match.start() + len(element)
                continue
        if any(name in match.group(2) for name in _DROPPED):
            parts.append(body[position:match.start()])
            parts.append(_rewrite_tag(match, lambda name, value: None if name in _DROPPED
                                      else value))
            position = match.end()
    parts.append(body[position:])
    return "".join(parts)


def _tags(candidates: re.Pattern[str], body: str) -> Iterator[re.Match[str]]:
    """The start tags of ``body`` where ``candidates`` finds one may begin, in order."""
    at = 0
    while (found := candidates.search(body, at)) is not None:
        match = _TAG.match(body, found.start())
        if match is None:
            at = found.start() + 1
            continue
        yield match
        at = match.end()


def _ids(body: str) -> list[str]:
    found = []
    for match in _tags(_WITH_ID, body):
        for attribute in _ATTRIBUTE.finditer(match.group(2)):
            if attribute.group(2).lower() == "id" and attribute.group(4):
                found.append(_value(attribute.group(4)))
    return found


def _readdressed(
    body: str, page: str, anchors: dict[str, str], ids: dict[str, frozenset[str]]
) -> str:
    """``body`` with its ids prefixed, references to them following, and its relative
    links and images addressed from the print page."""
    prefix = anchors[page] + "-"
    own = ids[page]

    def fragment(target_page: str, name: str) -> str:
        """``#`` and the id of ``name`` in chapter ``target_page`` on the print page; the
        chapter itself when it has no such id."""
        if name and name in ids[target_page]:
            return f"#{anchors[target_page]}-{name}"
        return f"#{anchors[target_page]}"

    def url(value: str) -> str:
        if value.startswith("#"):
            return f"#{prefix}{value[1:]}" if value[1:] in own else value
        parts = urlsplit(value)
        if parts.scheme or parts.netloc or value.startswith("/") or not parts.path:
            return value  # another site, an absolute path, mailto:, data:, "?query"
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page), parts.path))
        if target.startswith("../"):
            return value  # outside the site: left as the chapter had it
        if target in anchors and not parts.query:
            return fragment(target, parts.fragment)
        moved = relative_url(PRINT_PAGE, target) + (f"?{parts.query}" if parts.query else "")
        return moved + (f"#{parts.fragment}" if parts.fragment else "")

    def attribute(name: str, value: str | None) -> str | None:
        if value is None:
            return None
        if name == "id":
            return prefix + value
        if name in _ID_LISTS:
            # A reference to what was left out (a hint's, a feedback's id) goes with it.
            kept = [prefix + token for token in value.split() if token in own]
            return " ".join(kept) or None
        if name in _URLS:
            value = url(value)
        if "url(#" in value:
            value = _SVG_URL.sub(lambda m: f"url(#{prefix}{m.group(1)})"
                                 if m.group(1) in own else m.group(0), value)
        return value

    parts: list[str] = []
    position = 0
    for match in _tags(_REFERRING, body):
        parts += (body[position:match.start()], _rewrite_tag(match, attribute))
        position = match.end()
    parts.append(body[position:])
    return "".join(parts)


def _rewrite_tag(match: re.Match[str], change: Callable[[str, str | None], str | None]) -> str:
    """The start tag ``match`` with each attribute's value passed through ``change``
    (name in lower case, value unescaped; None for an attribute without a value); an
    attribute it returns None for is dropped, unless it had no value."""
    out = [f"<{match.group(1)}"]
    for attribute in _ATTRIBUTE.finditer(match.group(2)):
        name = attribute.group(2)
        value = _value(attribute.group(4)) if attribute.group(4) is not None else None
        changed = change(name.lower(), value)
        if value is None and name.lower() not in _DROPPED:
            out.append(f" {name}")
        elif changed is not None:
            out.append(f' {name}="{html.escape(changed, quote=True)}"')
    return "".join(out) + (" /" if match.group(3) else "") + ">"


def _value(written: str) -> str:
    """An attribute's value as written (quoted or not), unescaped."""
    if written[:1] in ("'", '"'):
        written = written[1:-1]
    return html.unescape(written)
