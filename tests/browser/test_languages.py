"""The shipped course built in German, French and Spanish: no English word of the
interface is left on its pages, before or after the reader uses them, and the
German pages pass axe.

Each language builds the shipped course (its ``course.yml`` saying
``language: de``, ...) into a temp folder, sharing one cache: the cells' outputs
do not depend on the language, so only the first build runs them. What a page
shows is read in the browser once its scripts ran and the reader did what
brings up their messages (a wrong answer, a revealed answer, a hint, a search
with no result): every text node, and every ``aria-label``, ``placeholder``,
``title`` and ``alt`` (a plot's description, when the author wrote none). A text that is an English
catalogue value (placeholders standing for anything) and not the language's
own is English left over. The course's own text is English (it is the shipped
course), so the author's words are told apart by where they stand, not by
what they say: the checked texts are whole text nodes and attributes, which
the author's prose never is alone.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from gradsite.i18n import CATALOGUES, ENGLISH
from tests.browser import test_accessibility as accessibility
from tests.browser.shipped import CONTENT, build_site, shipped_site

LOAD_FIGURES = False
axe_source = accessibility.axe_source  # the fixture, for this module's tests
LANGUAGES = ("de", "fr", "es")
CHAPTER = "mathematical-foundations/derivatives-and-gradients.html"

# Every text node and the names the interface gives, as the page shows them now.
_SHOWN_TEXTS = """(skip) => {
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest("script, style, template, math")) continue;
    if (skip && parent.closest(skip)) continue;
    const text = node.nodeValue.replace(/\\s+/g, " ").trim();
    if (text) found.push(text);
  }
  const named = "[aria-label], [placeholder], [title], img[alt]";
  for (const element of document.querySelectorAll(named)) {
    if (skip && element.closest(skip)) continue;
    for (const name of ["aria-label", "placeholder", "title", "alt"]) {
      const value = element.getAttribute(name);
      if (value) found.push(value.trim());
    }
  }
  found.push(document.title);
  return found;
}"""


# Parts of another key's sentence, never shown alone: that sentence is checked.
_PARTS = {"alt.over", "alt.range", "alt.and", "alt.momentum"}
# Texts drawn in figures (a plot's legend), never among a page's texts, where the
# author's own English may read the same ("gradient descent"): test_plots.py checks
# that a legend is in the course's language.
_IN_FIGURES = "plot."
# Placeholders that stand for a number: "{count} chapter" is not "next chapter".
_COUNTS = {"count", "number", "done", "total", "section", "chapter", "wrong", "untried",
           "percent", "typed", "whole", "decimal"}
_NUMBER = r"[\d.,%\s\u00a0\u202f]+"


def english_patterns(language: str) -> list[tuple[str, re.Pattern[str]]]:
    """Each English text that the language writes differently, as a pattern that
    matches it whole with any values in its placeholders."""
    own = CATALOGUES[language]
    patterns = []
    for key, text in ENGLISH.items():
        if own[key] == text or key in _PARTS or key.startswith(_IN_FIGURES):
            continue  # the same word in both ("Definition", "Menu", "Info"), or a part
        plain = text.replace("{link}", "").replace("{/link}", "")
        pieces = re.split(r"\{(\w+)\}", plain)  # text, name, text, name, ..., text
        if not re.search(r"[A-Za-z]", "".join(pieces[::2])):
            continue  # only placeholders and punctuation ("{chapters}; {ignored}")
        pattern = "".join(re.escape(piece) if i % 2 == 0
                          else _NUMBER if piece in _COUNTS else ".+?"
                          for i, piece in enumerate(pieces))
        if key.startswith("kind."):  # "Theorem 1.1.1", "Figure 1.2.1."
            pattern += r"(?:[\s\u00a0][\d.]+)?"
        patterns.append((key, re.compile(pattern.strip())))
    return patterns


def english_left(texts: list[str], language: str) -> list[str]:
    """The texts that are an English interface text (a whole text, or a text with a
    link: its parts)."""
    left = []
    for shown in texts:
        for key, pattern in english_patterns(language):
            if pattern.fullmatch(shown):
                left.append(f"{key}: {shown!r}")
    return left


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.getbasetemp() / "languages"
    built = {}
    for language in LANGUAGES:
        content = base / f"content-{language}"
        if not content.exists():
            shutil.copytree(CONTENT, content)
            course = content / "course.yml"
            text = course.read_text(encoding="utf-8")
            course.write_text(re.sub(r"(?m)^language: .*$", f"language: {language}", text),
                              encoding="utf-8")
        built[language] = build_site(content, base / language / "www" / "course",
                                     base / "cache")
    return built


def use_the_chapter(page: Any) -> None:
    """What brings up the scripts' words on a chapter: a wrong answer, an answer
    shown, a hint, a search that finds nothing, another variant."""
    first = page.locator("form.question:visible").first
    numeric = first.locator(".numeric-input")
    if numeric.count():
        numeric.fill("123456.5")
    else:
        first.locator(".choices input[data-correct=false]").first.check()
    first.locator(".check-button").click()
    expect(first.locator(".verdict")).not_to_be_empty()
    first.locator(".reveal-button").click()
    hints = page.locator("form.question:visible details.hint > summary")
    if hints.count():
        hints.first.click()
    page.locator("#site-search-input").fill("zzqxj")
    expect(page.locator(".search-message")).to_contain_text("zzqxj")  # loaded, no result


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_english_left(page: Any, serve_folder: Any, sites: dict[str, Path],
                         language: str) -> None:
    with serve_folder(sites[language]) as base:
        page.goto(base + "index.html")
        expect(page.locator(".progress-summary")).not_to_be_empty()
        assert page.locator("html").get_attribute("lang") == language
        home = page.evaluate(_SHOWN_TEXTS)
        page.goto(base + CHAPTER)
        expect(page.locator(".copy-button").first).to_be_visible()
        use_the_chapter(page)
        chapter = page.evaluate(_SHOWN_TEXTS)
        page.goto(base + "review.html")
        expect(page.locator(".review-summary")).to_be_visible()
        review = page.evaluate(_SHOWN_TEXTS)
        page.goto(base + "404.html")
        missing = page.evaluate(_SHOWN_TEXTS)
        page.goto(base + "print.html")
        # Its chapters' bodies are the chapters' pages' (checked there, one of them),
        # with the author's English text of every chapter.
        printed = page.evaluate(_SHOWN_TEXTS, ".print-chapter .chapter-body")
    left = english_left(home + chapter + review + missing + printed, language)
    assert not left, f"English left in the {language} build:\n" + "\n".join(left)
    # And the language's own words are there (the check above is not vacuous).
    own = CATALOGUES[language]
    assert own["quiz.show_answer"] in chapter
    assert any(text.startswith(own["kind.theorem"] + " ") or
               text.startswith(own["kind.definition"] + " ") for text in chapter)
    assert own["nav.home"] in chapter


def _markdown_texts(markdown: str) -> list[str]:
    """What gradsite writes itself in a Markdown text: each line, and each bold or
    italic span and "[Image: ...]" label in it; each also without a final "." or ":"."""
    found = []
    for line in markdown.split("\n"):
        if line.startswith("#") and not line.startswith("## "):
            continue  # the author's headings ("## " is the quiz's, when gradsite adds it)
        line = line.lstrip("#> ").strip()
        found.append(line)
        found += re.findall(r"\*\*(.+?)\*\*", line)
        found += re.findall(r"(?<![*\w])\*([^*]+?)\*(?![*\w])", line)
        found += re.findall(r"\[([^\]:]+): ", line)
    return [text for found_text in found if found_text
            for text in {found_text, found_text.rstrip(".:\u00a0")}]


def _notebook_texts(notebook: dict[str, Any]) -> list[str]:
    texts = []
    for cell in notebook["cells"]:
        source = "".join(cell["source"])
        if cell["cell_type"] == "markdown":
            texts += _markdown_texts(source)
        else:  # the first cell's comment: one sentence over several lines
            comment = [line[2:] for line in source.split("\n") if line.startswith("# ")]
            texts += _markdown_texts(" ".join(comment))
    return texts


@pytest.mark.parametrize("language", LANGUAGES)
def test_notebooks_and_copies_speak_the_language(sites: dict[str, Path],
                                                 language: str) -> None:
    """The chapters' notebooks, their Markdown copies and llms.txt: what gradsite
    writes in them ("Question.", "Figure 1.2.1", the quiz's heading, a figure's
    label) is in the course's language."""
    site = sites[language]
    texts = _markdown_texts((site / "llms.txt").read_text(encoding="utf-8"))
    copies = sorted(site.glob("*/*.html.md"))
    notebooks = sorted(site.glob("*/*.ipynb"))
    assert copies and notebooks
    for copy in copies:
        texts += _markdown_texts(copy.read_text(encoding="utf-8"))
    for notebook in notebooks:
        texts += _notebook_texts(json.loads(notebook.read_text(encoding="utf-8")))
    # An explorer's controls and readouts are not in these files, and their words
    # ("Directional derivative", "{function} there") are the author's too.
    left = [found for found in english_left(texts, language)
            if not found.startswith("explore.")]
    assert not left, f"English left in the {language} build:\n" + "\n".join(left)
    own = CATALOGUES[language]
    for key in ("copy.question", "quiz.heading", "notebook.functions_intro", "llms.about",
                "kind.figure"):
        assert any(text.startswith(own[key].rstrip(".:\u00a0")) for text in texts), key


def test_the_copies_check_finds_english(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The English build's copies read as if they were German: their words are found."""
    site = shipped_site(tmp_path_factory.getbasetemp())
    texts: list[str] = []
    for copy in sorted(site.glob("*/*.html.md")):
        texts += _markdown_texts(copy.read_text(encoding="utf-8"))
    for notebook in sorted(site.glob("*/*.ipynb")):
        texts += _notebook_texts(json.loads(notebook.read_text(encoding="utf-8")))
    left = " ".join(english_left(texts, "de"))
    for key in ("copy.question", "quiz.heading", "kind.figure", "copy.image",
                "notebook.functions_intro", "notebook.setup", "cards.label"):
        assert f"{key}:" in left, key


def test_the_check_finds_english(page: Any, server: Any) -> None:
    """The English build read as if it were German: its words are all found."""
    page.goto(server.url(CHAPTER))
    use_the_chapter(page)
    left = " ".join(english_left(page.evaluate(_SHOWN_TEXTS), "de"))
    for key in ("quiz.check", "quiz.show_answer", "nav.home", "toc.title", "code.copy",
                "quiz.incorrect", "kind.figure", "search.none",
                "heading.link", "cards.label", "explore.graph_point", "explore.slope",
                "alt.tangent"):
        assert f"{key}:" in left, key


def test_numbers_follow_the_language(page: Any, serve_folder: Any,
                                     sites: dict[str, Path]) -> None:
    """A decimal comma in the explorers' readouts and the answer key, in German; the
    chapter and figure numbers stay as the positions write them."""
    with serve_folder(sites["de"]) as base:
        page.goto(base + CHAPTER)
        readouts = page.locator("figure.explore dd").all_inner_texts()
        assert any(re.search(r"\d,\d", text) for text in readouts), readouts
        assert not any(re.search(r"\d\.\d", text) for text in readouts), readouts
        label = page.locator(".chapter-label").inner_text()
        assert label.startswith("Teil 1. Kapitel 1"), label
        numbers = page.locator(".figure-number").all_inner_texts()
        assert numbers and all(re.fullmatch(r"Abbildung \d+\.\d+\.\d+\.", n) for n in numbers)


def test_axe_in_german(page: Any, serve_folder: Any, sites: dict[str, Path],
                       axe_source: str) -> None:
    with serve_folder(sites["de"]) as base:
        page.goto(base + "index.html")
        accessibility._check_both_schemes(page, axe_source, "de: index.html")
        page.goto(base + CHAPTER)
        use_the_chapter(page)
        accessibility._check_both_schemes(page, axe_source, f"de: {CHAPTER}, used")
