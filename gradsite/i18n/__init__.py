"""The interface's words: one catalogue per shipped language, chosen by the course.

Every word a page shows that the author did not write (buttons, verdicts,
"Section 1. Chapter 2", "Figure", aria-labels, the scripts' messages) is a
key of the English catalogue (``en.py``); German, French and Spanish have the
same keys (spec section 15). ``course_words`` picks the catalogue from
``course.yml``'s ``language`` (its base language: ``de-CH`` is German), falls
back to English with a warning for any other language, and applies the
author's ``strings:`` overrides, each checked: a known key, text, and only the
placeholders the key has.

The result is a :class:`Words`, plain frozen data: it goes into the render
stage's inputs, so a change of language or of one override renders the
chapters again (their cache key holds it). The page's scripts get the words
they use (``SCRIPT_KEYS``) from a JSON block in each page (``script_words``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from markupsafe import Markup, escape

from ..diagnostics import Diagnostic, Location, closest, error, warning
from . import de, en, es, fr

ENGLISH: Mapping[str, str] = en.WORDS
CATALOGUES: Mapping[str, Mapping[str, str]] = {"en": en.WORDS, "de": de.WORDS, "fr": fr.WORDS,
                                               "es": es.WORDS}
LANGUAGE_NAMES = {"en": "English", "de": "German", "fr": "French", "es": "Spanish"}

# How the interface writes a number with a fraction, and a point's coordinates:
# the decimal mark, and what separates coordinates (a comma would be ambiguous
# beside a decimal comma, so those languages write "(1,5; 2)"). French puts a
# narrow no-break space before the semicolon.
NUMBER_FORMATS: Mapping[str, tuple[str, str]] = {
    "en": (".", ", "), "de": (",", "; "), "fr": (",", "\u202f; "), "es": (",", "; "),
}
# Regions whose writing of numbers is not their language's (CLDR): German in
# Switzerland and Liechtenstein, Spanish in Mexico, the United States, Central
# America and the Caribbean write a decimal point.
POINT_REGIONS = frozenset({
    "de-ch", "de-li", "es-mx", "es-us", "es-419", "es-pr", "es-do", "es-gt", "es-hn", "es-ni",
    "es-pa", "es-sv", "es-cu", "es-pe",
})


def number_format(tag: str) -> tuple[str, str]:
    """The decimal mark and the coordinates' separator of a language tag."""
    base = base_language(tag)
    if base not in NUMBER_FORMATS:
        return NUMBER_FORMATS["en"]
    region = "-".join(tag.lower().split("-")[:2])
    return NUMBER_FORMATS["en"] if region in POINT_REGIONS else NUMBER_FORMATS[base]

# The keys the page's scripts use (templates/assets/js/*.js): only these go into
# each page's JSON block. tests/test_i18n.py holds the scripts to this list.
SCRIPT_KEYS = frozenset({
    "search.loading", "search.failed", "search.none", "search.count.one", "search.count.other",
    "progress.summary", "progress.reset", "progress.export", "progress.import",
    "progress.reset_confirm", "progress.reset_done", "progress.reset_here",
    "progress.saved_as", "progress.unsaved", "progress.storage",
    "transfer.unreadable", "transfer.not_progress", "transfer.other_course",
    "transfer.no_chapter", "transfer.chapters.one", "transfer.chapters.other",
    "transfer.ignored.one", "transfer.ignored.other", "transfer.both", "transfer.imported",
    "transfer.not_saved",
    "chapter.completed", "chapter.completed_note",
    "clarity.thanks_yes", "clarity.thanks_no", "clarity.saved", "clarity.tell_more",
    "chapter.copy_ai_done", "chapter.copy_ai_failed",
    "code.copy", "code.copy_what", "code.copied", "code.copied_note", "code.copy_failed",
    "exercise.viewed",
    "quiz.correct", "quiz.incorrect", "quiz.correct_answer", "quiz.not_a_number",
    "quiz.choose_first", "quiz.select_exactly", "quiz.separator", "quiz.variant",
    "review.wrong", "review.untried", "review.summary_wrong.one", "review.summary_wrong.other",
    "review.summary_untried.one", "review.summary_untried.other", "review.summary_both.one",
    "review.summary_both.other",
    "explore.degrees", "explore.diverged.one", "explore.diverged.other", "explore.diverged_at_once",
    "explore.start_point", "explore.graph_point", "explore.point", "explore.graph", "explore.plot",
})

_PLACEHOLDER = re.compile(r"\{(/?\w+)\}")
LINK_START, LINK_END = "{link}", "{/link}"


def placeholders(text: str) -> frozenset[str]:
    """The ``{name}`` placeholders of a text (``link`` and ``/link`` included)."""
    return frozenset(_PLACEHOLDER.findall(text))


def base_language(tag: str) -> str:
    """``de-CH`` -> ``de``: the part of a BCP 47 tag that picks a catalogue."""
    return tag.split("-", 1)[0].lower()


def plural_form(language: str, count: int) -> str:
    """"one" or "other": which form of a count's phrase ``language`` uses for ``count``
    (the CLDR cardinal rules of the shipped languages; the scripts ask Intl)."""
    if language == "fr":
        return "one" if count in (0, 1) else "other"
    return "one" if count == 1 else "other"


@dataclass(frozen=True)
class Words:
    """The interface's words of one course: its catalogue's language and every key's text.

    Plain data (part of cache keys); ``words("key", name=value)`` fills a text's
    placeholders.
    """

    language: str = "en"  # the catalogue's: "de" for a course in de-CH, "en" as a fallback
    texts: tuple[tuple[str, str], ...] = tuple(ENGLISH.items())
    # The tag numbers and plurals follow: "de-CH" (a decimal point), "de", ... ("en" for
    # a fallback to English: the words and their numbers agree); "": the language's.
    locale: str = ""

    @property
    def tag(self) -> str:
        """The language tag its numbers and plurals follow."""
        return self.locale or self.language

    @cached_property
    def _table(self) -> dict[str, str]:
        return dict(self.texts)

    @property
    def keys(self) -> frozenset[str]:
        return frozenset(self._table)

    def __call__(self, key: str, **values: object) -> str:
        return fill(self._table[key], values)

    def count(self, key: str, count: int, **values: object) -> str:
        """The form of ``key`` (``key.one``, ``key.other``) for ``count``, filled."""
        form = plural_form(self.language, count)
        return fill(self._table[f"{key}.{form}"], {"count": count, **values})

    def number(self, text: str) -> str:
        """A number written with a point (``1.5``, ``-2.5e+6``) as the language writes it."""
        return text.replace(".", number_format(self.tag)[0])

    def linked(self, key: str, href: str, css_class: str = "") -> Markup:
        """A text with a link, as HTML: what stands between ``{link}`` and ``{/link}``
        links to ``href``; everything is escaped."""
        before, _, rest = self(key).partition(LINK_START)
        inside, _, after = rest.partition(LINK_END)
        kind = f'class="{escape(css_class)}" ' if css_class else ""
        return Markup(f'{escape(before)}<a {kind}href="{escape(href)}">{escape(inside)}</a>'
                      f"{escape(after)}")

    @property
    def point_separator(self) -> str:
        return number_format(self.tag)[1]

    def script_words(self) -> dict[str, Any]:
        """What a page's scripts read from its JSON block: the language, its number
        format and the words they use."""
        decimal, separator = number_format(self.tag)
        return {"language": self.tag, "decimal": decimal, "separator": separator,
                "words": {key: text for key, text in self.texts if key in SCRIPT_KEYS}}


ENGLISH_WORDS = Words()


def block_name(words: Words, kind: str) -> str:
    """The heading of a theorem-like block or a call-out of ``kind`` ("Theorem",
    "Note"), in the course's language; an author's own kind as written, capitalized."""
    for key in (f"kind.{kind}", f"admonition.{kind}"):
        if key in words.keys:
            return words(key)
    return kind.capitalize()


def fill(text: str, values: Mapping[str, object]) -> str:
    """``text`` with each ``{name}`` of ``values`` replaced (others left as written)."""
    return _PLACEHOLDER.sub(lambda m: str(values[m.group(1)]) if m.group(1) in values
                            else m.group(0), text)


# Keys an older gradsite had, by the key that says it now in other words: an
# override of the old one is told where its text goes.
RENAMED_KEYS: Mapping[str, str] = {"quiz.grouped": "quiz.separator"}


def course_words(
    language: str, strings: Mapping[str, Any] | None, language_at: Location,
    key_at: Callable[[str], Location] | None = None,
    value_at: Callable[[str], Location] | None = None,
) -> tuple[Words, list[Diagnostic]]:
    """The words of a course whose ``language`` tag and ``strings:`` overrides are given.

    ``language_at`` is where the language is written; ``key_at(key)`` and
    ``value_at(key)`` give the places of an override's key and text.
    """
    problems: list[Diagnostic] = []
    base = base_language(language)
    if base not in CATALOGUES:
        base = "en"
        problems.append(warning(
            language_at,
            f"gradsite has no interface words in '{language}': its buttons and labels are "
            "shown in English",
            "shipped: " + ", ".join(f"{code} ({name})" for code, name in LANGUAGE_NAMES.items())
            + "; or give every word in 'strings:' (docs/authoring.md, Interface languages)"))
    table = dict(CATALOGUES[base])
    for key, text in (strings or {}).items():
        key = str(key)
        at_key = key_at(key) if key_at else language_at
        at_value = value_at(key) if value_at else at_key
        if key in RENAMED_KEYS:
            new = RENAMED_KEYS[key]
            problems.append(error(at_key, f"strings: the key '{key}' is now '{new}'",
                                  f"its English text is '{ENGLISH[new]}'"))
            continue
        if key not in ENGLISH:
            problems.append(error(at_key, f"strings: unknown key '{key}'", _valid_keys(key)))
            continue
        if isinstance(text, int | float) and not isinstance(text, bool):
            text = str(text)  # "2024" is still text to the author
        if not isinstance(text, str):
            hint = ("YAML reads an unquoted yes, no, on, off, true or false as a truth value: "
                    "quote it to mean the word, e.g. 'Yes'") if isinstance(text, bool) else ""
            problems.append(error(at_value, f"strings.{key}: expected text", hint))
            continue
        problem = _placeholder_problem(key, text)
        if problem:
            problems.append(error(at_value, f"strings.{key}: {problem}",
                                  f"the English text is '{ENGLISH[key]}'"))
            continue
        table[key] = text
    locale = language if base == base_language(language) and language != base else ""
    return Words(base, tuple((key, table[key]) for key in ENGLISH), locale), problems


def _valid_keys(key: str) -> str:
    """A hint for an unknown key: the closest key, and the valid keys of its group
    (``quiz.`` for ``quiz.chek``), or all of them when the group is unknown too."""
    group = key.split(".", 1)[0] + "."
    same = [name for name in ENGLISH if name.startswith(group)]
    close = closest(key, ENGLISH)
    listed = "valid keys: " + ", ".join(same or ENGLISH)
    return f"did you mean '{close}'? {listed}" if close else listed


def _placeholder_problem(key: str, text: str) -> str:
    """What is wrong with the placeholders of an override of ``key``, or ""."""
    allowed = placeholders(ENGLISH[key])
    unknown = sorted(placeholders(text) - allowed)
    if unknown:
        names = ", ".join("{" + name + "}" for name in unknown)
        valid = ", ".join("{" + name + "}" for name in sorted(allowed))
        return (f"unknown placeholder {names}; " + (f"this text may use {valid}" if allowed
                                                      else "this text has none"))
    if LINK_START in ENGLISH[key] and (LINK_START not in text or LINK_END not in text
                                       or text.index(LINK_START) > text.index(LINK_END)):
        return "the link's text must stand between {link} and {/link}"
    return ""
