"""The interface's words: the catalogues agree with English, every word is used and
every use is a word, the scripts' English fallbacks are the catalogue's, and a
course's language and ``strings:`` pick and override them (spec section 15)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from gradsite.cache import Cache
from gradsite.check import check_course
from gradsite.diagnostics import Location
from gradsite.i18n import (
    CATALOGUES,
    ENGLISH,
    ENGLISH_WORDS,
    RENAMED_KEYS,
    SCRIPT_KEYS,
    Words,
    base_language,
    course_words,
    placeholders,
    plural_form,
)
from gradsite.load import load_course
from gradsite.render import render_key
from gradsite.resolve import ChapterFacts
from gradsite.site import script_words_json
from tests.coursekit import chapter, make_course

REPO = Path(__file__).resolve().parent.parent
SCRIPTS = REPO / "templates" / "assets" / "js"
TEMPLATES = REPO / "templates"
HERE = Location("course.yml", 2)

# A JavaScript string literal in double quotes (JSON reads it: \uXXXX, \", \\).
_JS_STRING = r'"(?:[^"\\]|\\.)*"'
_JS_TEXT = re.compile(r'\.text\(\s*"([\w.]+)",\s*(' + _JS_STRING + ")")
_JS_COUNT = re.compile(r'\.count\(\s*"([\w.]+)",[^{]*\{\s*one:\s*(' + _JS_STRING
                       + r"),\s*other:\s*(" + _JS_STRING + ")")


def script_uses() -> dict[str, set[str]]:
    """Each key the scripts use, with the English texts they fall back to."""
    found: dict[str, set[str]] = {}
    for path in sorted(SCRIPTS.glob("*.js")):
        source = path.read_text(encoding="utf-8")
        for key, text in _JS_TEXT.findall(source):
            found.setdefault(key, set()).add(json.loads(text))
        for key, one, other in _JS_COUNT.findall(source):
            found.setdefault(f"{key}.one", set()).add(json.loads(one))
            found.setdefault(f"{key}.other", set()).add(json.loads(other))
    return found


def python_and_template_uses() -> set[str]:
    """The keys named in gradsite's code and the templates; a key built from a
    prefix (``kind.`` + the block's kind) counts every key of that prefix."""
    used: set[str] = set()
    sources = [p.read_text(encoding="utf-8") for p in (REPO / "gradsite").rglob("*.py")
               if "i18n" not in p.parts]
    sources += [p.read_text(encoding="utf-8") for p in TEMPLATES.glob("*.html")]
    for source in sources:
        for key in re.findall(r"""words(?:\.linked)?\(\s*["']([\w.]+)["']""", source):
            # words("kind." + kind): every key of the prefix
            used |= {k for k in ENGLISH if k.startswith(key)} if key.endswith(".") else {key}
        for key in re.findall(r"""words\.count\(\s*["']([\w.]+)["']""", source):
            used |= {f"{key}.one", f"{key}.other"}
        for prefix in re.findall(r"""words\(\s*f["']([\w.]+)\.\{""", source):
            used |= {key for key in ENGLISH if key.startswith(prefix + ".")}
    return used


@pytest.mark.parametrize("language", sorted(CATALOGUES))
def test_every_catalogue_has_the_english_keys_and_placeholders(language: str) -> None:
    catalogue = CATALOGUES[language]
    assert list(catalogue) == list(ENGLISH)  # the same keys, in the same order
    for key, text in catalogue.items():
        assert placeholders(text) == placeholders(ENGLISH[key]), (language, key, text)
        assert text.strip() == text and "  " not in text, (language, key)


def test_a_count_has_both_forms() -> None:
    stems = {key.rsplit(".", 1)[0] for key in ENGLISH if key.endswith((".one", ".other"))}
    for stem in stems:
        assert {f"{stem}.one", f"{stem}.other"} <= set(ENGLISH), stem


def test_typography_of_each_language() -> None:
    # French: no plain space before : ; ? ! and inside guillemets; German opens its
    # quotes low; Spanish opens questions and exclamations.
    for key, text in CATALOGUES["fr"].items():
        assert not re.search(r" [:;?!»]|« ", text), (key, text)
        assert not re.search(r"\w[:;?!]", text.replace("http:", "")), (key, text)
    for key, text in CATALOGUES["de"].items():
        assert "\u201c" not in text or "\u201e" in text, (key, text)
    for key, text in CATALOGUES["es"].items():
        assert text.count("?") == text.count("¿") and text.count("!") == text.count("¡"), key


def test_every_word_is_used_and_every_use_is_a_word() -> None:
    scripts = script_uses()
    used = python_and_template_uses() | set(scripts)
    assert sorted(used - set(ENGLISH)) == []
    assert sorted(set(ENGLISH) - used) == []


def test_the_scripts_fall_back_to_the_catalogues_english() -> None:
    for key, texts in script_uses().items():
        assert texts == {ENGLISH[key]}, key


def test_the_pages_carry_exactly_the_scripts_words() -> None:
    assert set(script_uses()) == SCRIPT_KEYS
    data = json.loads(str(script_words_json(Words("de", tuple(CATALOGUES["de"].items())))))
    assert set(data["words"]) == SCRIPT_KEYS
    assert data["language"] == "de" and data["decimal"] == ","
    assert data["words"]["quiz.correct"] == "Richtig"


def test_the_json_block_cannot_end_its_script_element() -> None:
    words, _ = course_words("en", {"quiz.correct": "</script><b>&"}, HERE)
    block = str(script_words_json(words))
    assert "</script" not in block and "<" not in block and "&" not in block
    assert json.loads(block)["words"]["quiz.correct"] == "</script><b>&"


@pytest.mark.parametrize(("tag", "base"), [("de", "de"), ("de-CH", "de"), ("fr-CA", "fr"),
                                           ("ES-419", "es"), ("en-GB", "en")])
def test_a_tag_picks_its_base_language(tag: str, base: str) -> None:
    words, problems = course_words(tag, None, HERE)
    assert base_language(tag) == base and words.language == base and problems == []
    assert words("quiz.check") == CATALOGUES[base]["quiz.check"]


def test_another_language_falls_back_to_english_with_a_warning() -> None:
    words, problems = course_words("pt-BR", None, HERE)
    assert words == ENGLISH_WORDS
    [warning] = problems
    assert not warning.is_error and warning.location == HERE
    assert "'pt-BR'" in warning.message and "English" in warning.message
    assert "de (German)" in warning.hint and "strings:" in warning.hint


def test_strings_override_words() -> None:
    words, problems = course_words("fr", {"quiz.check": "Valider", "quiz.variant": "{count}/"
                                          "{number}", "search.count.other": 7}, HERE)
    assert problems == []
    assert words("quiz.check") == "Valider"
    assert words("quiz.variant", number=2, count=5) == "5/2"
    assert words("search.count.other") == "7"
    assert words("quiz.show_answer") == CATALOGUES["fr"]["quiz.show_answer"]


def test_a_bad_override_is_an_error_at_its_place() -> None:
    def key_at(key: str) -> Location:
        return Location("course.yml", 10 + len(key))

    def value_at(key: str) -> Location:
        return Location("course.yml", 10 + len(key), 5)

    words, problems = course_words("en", {
        "quiz.chek": "x", "nothing.like.it": "y", "quiz.hint": "Hint {n}",
        "home.review": "Review", "clarity.yes": True, "quiz.check": "Go",
    }, HERE, key_at, value_at)
    assert words("quiz.check") == "Go" and words("quiz.hint", number=1, count=2) == \
        "Show a hint (1 of 2)"
    by_message = {p.message: p for p in problems}
    typo = by_message["strings: unknown key 'quiz.chek'"]
    assert typo.location == key_at("quiz.chek")
    assert typo.hint.startswith("did you mean 'quiz.check'? valid keys: quiz.heading, ")
    unknown = by_message["strings: unknown key 'nothing.like.it'"]
    assert unknown.hint.startswith("valid keys: page.skip, ")  # every key: no group matched
    placeholder = by_message["strings.quiz.hint: unknown placeholder {n}; this text may use "
                             "{count}, {number}"]
    assert placeholder.location == value_at("quiz.hint")
    assert "strings.home.review: the link's text must stand between {link} and {/link}" \
        in by_message
    assert "quoted" in by_message["strings.clarity.yes: expected text"].hint or \
        "quote" in by_message["strings.clarity.yes: expected text"].hint
    assert all(p.is_error for p in problems) and len(problems) == 5


def test_counts_and_numbers_follow_the_language() -> None:
    german = Words("de", tuple(CATALOGUES["de"].items()))
    french = Words("fr", tuple(CATALOGUES["fr"].items()))
    assert german.count("search.count", 1) == "1 Ergebnis"
    assert german.count("search.count", 0) == "0 Ergebnisse"
    assert french.count("search.count", 0) == "0 résultat"  # French counts 0 as one
    assert plural_form("fr", 2) == "other" and plural_form("es", 1) == "one"
    assert german.number("-1.25e+6") == "-1,25e+6" and ENGLISH_WORDS.number("1.5") == "1.5"
    assert german.point_separator == "; " and ENGLISH_WORDS.point_separator == ", "


def test_linked_text_is_escaped_around_its_link() -> None:
    words, _ = course_words("en", {"home.review": "<b>{link}Go & see{/link} now"}, HERE)
    assert str(words.linked("home.review", "review.html?a=1&b=2", "x")) == (
        '&lt;b&gt;<a class="x" href="review.html?a=1&amp;b=2">Go &amp; see</a> now')


def test_the_language_and_an_override_change_a_chapters_render_key(tmp_path: Path) -> None:
    make_course(tmp_path, {"01-a/01-b.md": chapter("B", "Text.\n")})
    course, _ = load_course(tmp_path / "content")
    assert course is not None
    checked = check_course(course, Cache(None))[0][0]
    german, _ = course_words("de", None, HERE)
    changed, _ = course_words("de", {"quiz.check": "Los"}, HERE)
    keys = {render_key(checked, (), ChapterFacts(words=words))
            for words in (ENGLISH_WORDS, german, changed)}
    assert len(keys) == 3


def test_an_override_of_a_renamed_key_says_its_new_name() -> None:
    _, [problem] = course_words("en", {"quiz.grouped": "Write {typed} plainly"}, HERE)
    assert problem.is_error and problem.message == \
        "strings: the key 'quiz.grouped' is now 'quiz.separator'"
    assert problem.hint == f"its English text is '{ENGLISH['quiz.separator']}'"
    assert set(RENAMED_KEYS.values()) <= set(ENGLISH) and not set(RENAMED_KEYS) & set(ENGLISH)


def test_course_yml_chooses_the_words(tmp_path: Path) -> None:
    (tmp_path / "01-a").mkdir()
    (tmp_path / "01-a" / "01-b.md").write_text("---\ntitle: B\n---\n\nText.\n")
    (tmp_path / "course.yml").write_text(
        "title: C\nlanguage: es-MX\nstrings:\n  quiz.check: Revisar\n", encoding="utf-8")
    course, problems = load_course(tmp_path)
    assert problems == [] and course is not None
    words = course.info.words
    assert words.language == "es" and words("quiz.check") == "Revisar"
    assert words("quiz.show_answer") == "Mostrar la respuesta"
    assert course.info.language == "es-MX"  # the pages' lang stays the author's tag

    (tmp_path / "course.yml").write_text("title: C\nlanguage: pt\n", encoding="utf-8")
    course, problems = load_course(tmp_path)
    assert course is not None and course.info.words == ENGLISH_WORDS
    [warning] = problems
    assert not warning.is_error and str(warning.location).endswith("course.yml:2:11")


def test_the_authoring_guide_lists_every_key_with_its_english() -> None:
    guide = (REPO / "docs" / "authoring.md").read_text(encoding="utf-8")
    section = guide[guide.index("### The keys", guide.index(". Interface languages\n")):]
    rows = dict(re.findall(r"^\| `([\w.]+)` \| (.*) \|$", section, re.MULTILINE))
    assert rows == {key: text.replace("|", "\\|").replace("\u00a0", " ")
                    for key, text in ENGLISH.items()}


@pytest.mark.parametrize(("tag", "decimal"), [("de", ","), ("de-AT", ","), ("de-CH", "."),
                                              ("fr-CA", ","), ("es", ","), ("es-MX", "."),
                                              ("es-419", "."), ("es-AR", ","), ("pt-BR", ".")])
def test_numbers_follow_the_region_where_it_writes_them_otherwise(tag: str,
                                                                  decimal: str) -> None:
    # As the browser's Intl writes them (CLDR): Swiss German and Mexican Spanish write
    # a decimal point. The scripts format percentages and plurals for the same tag.
    words, _ = course_words(tag, None, HERE)
    assert words.number("1.5") == f"1{decimal}5"
    data = words.script_words()
    assert data["decimal"] == decimal
    assert data["language"] == (tag if base_language(tag) in CATALOGUES else "en")
