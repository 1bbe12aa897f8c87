"""The print page (print.html) and what a printed page leaves out.

The print page holds every chapter in order with its label and title, without
answers, feedback, hints or solutions, explorers as their figures; its ids are
unique and every reference to one finds it; links between chapters point inside
the page and images are addressed from the site's root. The home links to it;
it is kept out of the sitemap, the search index and search engines. How it prints
(pages, text of the PDF) is tests/browser/test_print.py.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from gradsite.cache import Cache
from gradsite.load import load_course
from gradsite.model import RenderedChapter
from gradsite.pipeline import BuildOptions, build
from gradsite.printpage import print_bodies, without_answers
from tests.coursekit import build_site, chapter, has_class, make_course, parse_page

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
       b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7"
       b"5\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82")

# Words that only an answer, a feedback, a hint or a solution holds: none may be printed.
SECRETS = ("SECRET-EXPLANATION", "SECRET-FEEDBACK", "SECRET-HINT", "SECRET-SOLUTION",
           "SECRET-EXHINT", "SECRET-NUMERIC")

SLOPES = """\
## Intro

A first note.[^1] The square is
$$ s(x) = x^2 \\label{eq-square} $$
and [](#eq-square) says so. ![A dot](img/dot.png)

See [the descent](02-descent.md), [its steps](02-descent.md#steps) and
[elsewhere](https://example.com/page). The [table](../data/table.csv).

!!! exercise "Square it" {#ex-square}
    What is $3^2$?

    !!! hint
        SECRET-EXHINT multiply.

    !!! solution
        SECRET-SOLUTION nine.

```explore
function: f
id: fig-bowl
caption: 'Descent on $f$.'
```

[^1]: The footnote.
"""

DESCENT = """\
## Intro

Back to [the square](01-slopes.md#eq-square) and [the start](01-slopes.md).

## Steps

A second note.[^1]

[^1]: Its footnote.
"""

QUIZ = [
    {"id": "pick", "question": "Which is {{a}}?", "params": {"a": [2, 9]}, "variants": 3,
     "choices": [{"text": "Alpha", "correct": True, "feedback": "SECRET-FEEDBACK yes"},
                 {"text": "Beta", "feedback": "SECRET-FEEDBACK no"}],
     "explanation": "SECRET-EXPLANATION because.", "hints": ["SECRET-HINT look."]},
    {"id": "num", "question": "How much is 0.5 + 0.25?", "answer": 0.75, "tolerance": 0.01,
     "explanation": "SECRET-NUMERIC sum."},
]

COURSE: dict[str, str | bytes | None] = {
    "course.yml": "title: Print <Course>\nauthor: Ada\nbase_url: https://example.org/c/\n",
    "01-calculus/01-slopes.md": chapter(
        "Slopes of $x^2$", SLOPES, summary="Rates & slopes.",
        functions={"f": {"expr": "x**2 + 2*y**2", "gradient": ["2*x", "4*y"]}}),
    "01-calculus/02-descent.md": chapter("Descent", DESCENT, quiz=QUIZ),
    "01-calculus/img/dot.png": PNG,
    "02-more/01-notes.md": chapter("Notes", "Read [slopes](../01-calculus/01-slopes.md#intro).\n"),
    "data/table.csv": "a,b\n1,2\n",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The course above, built once for the tests that only read it."""
    folder = tmp_path_factory.mktemp("print")
    options = BuildOptions(content=make_course(folder, COURSE), out=folder / "site",
                           cache_dir=folder / "cache", quiet=True)
    build(options)
    return options.out


def _page(site: Path, name: str) -> str:
    return (site / name).read_text(encoding="utf-8")


def test_every_chapter_in_order_with_its_label_and_title(site: Path) -> None:
    page = _page(site, "print.html")
    articles = re.findall(r'<article class="chapter print-chapter" id="([^"]+)">\s*'
                          r'<header class="chapter-header">\s*<p class="chapter-label">([^<]+)<',
                          page)
    assert articles == [("s1c1", "Section 1. Chapter 1"), ("s1c2", "Section 1. Chapter 2"),
                        ("s2c1", "Section 2. Chapter 1")]
    titles = [html.unescape(re.sub(r"<[^>]+>", "", t)) for t in re.findall(
        r'<article class="chapter print-chapter".*?<h1>(.*?)</h1>', page, re.DOTALL)]
    assert [t.split()[0] for t in titles] == ["Slopes", "Descent", "Notes"]
    assert "Rates &amp; slopes." in page  # a summary, escaped
    # The contents list links to each chapter on the page.
    contents = page[page.index('<nav class="print-contents"'):page.index("</nav>",
                                                                      page.index("print-contents"))]
    assert re.findall(r'href="#([^"]+)"', contents) == ["s1c1", "s1c2", "s2c1"]
    # The body of each chapter is there: its text, and the page is the course's.
    assert "A first note." in page and "A second note." in page
    assert "<title>Print &lt;Course&gt;</title>" in page  # the name of the PDF saved


def test_no_answer_feedback_hint_or_solution(site: Path) -> None:
    page = _page(site, "print.html")
    chapter_page = _page(site, "calculus/descent.html")
    for secret in SECRETS[:3] + ("SECRET-NUMERIC",):
        assert secret in chapter_page or secret in _page(site, "calculus/slopes.html")
    for secret in SECRETS:
        assert secret not in page, secret
    for attribute in ("data-correct", "data-answer", "data-tolerance", "data-explore"):
        assert attribute not in page, attribute
    for name in ("answer-key", "explanation", "choice-feedback", "question-actions", "verdict",
                 "exercise-hint", "exercise-solution", "explore-panel", "nojs-note"):
        assert not any(has_class(attrs, name) for _, attrs in parse_page(page).tags), name
    assert "0.75" not in page  # the numeric answer, not even in the source
    # The questions are there, each as its first variant only, with their choices.
    forms = re.findall(r'<form class="([^"]+)" id="([^"]+)"', page)
    assert forms == [("question", "s1c2-question-pick"), ("question", "s1c2-question-num")]
    first = re.search(r'id="question-pick".*?Which is (\d)\?', chapter_page, re.DOTALL)
    assert first and set(re.findall(r"Which is (\d)\?", page)) == {first.group(1)}
    assert "Alpha" in page and "Beta" in page
    assert "How much is 0.5 + 0.25?" in page
    # The exercise is there, without its hint and solution; the explorer is its figure.
    assert "What is" in page and 'id="s1c1-ex-square"' in page
    figure = re.search(r'<figure class="figure explore[^"]*" id="s1c1-fig-bowl">.*?</figure>',
                       page, re.DOTALL)
    assert figure and "<img " in figure.group(0) and "Descent on" in figure.group(0)
    assert "explore.js" not in page and "functions.js" not in page


def test_ids_are_unique_and_every_reference_finds_its_target(site: Path) -> None:
    page = _page(site, "print.html")
    tags = parse_page(page).tags
    ids = [attrs["id"] for _, attrs in tags if "id" in attrs]
    assert [i for i, n in Counter(ids).items() if n > 1] == []
    # Two chapters have an "Intro" heading and a footnote: each keeps its own.
    assert {"s1c1-intro", "s1c2-intro", "s1c1-fn:1", "s1c2-fn:1"} <= set(ids)
    known = set(ids)
    for _, attrs in tags:
        for name in ("for", "aria-labelledby", "aria-describedby", "aria-controls"):
            for token in attrs.get(name, "").split():
                assert token in known, (name, token)
        href = attrs.get("href", "")
        if href.startswith("#"):
            assert href[1:] in known, href
        for target in re.findall(r"url\(#([^)]+)\)", " ".join(attrs.values())):
            assert target in known, target


def test_links_between_chapters_point_inside_the_page(site: Path) -> None:
    page = _page(site, "print.html")
    hrefs = {html.unescape(re.sub(r"<[^>]+>", "", text)).strip(): href
             for href, text in re.findall(r'<a href="([^"]+)">(.*?)</a>', page)}
    assert hrefs["the descent"] == "#s1c2"
    assert hrefs["its steps"] == "#s1c2-steps"
    assert hrefs["the start"] == "#s1c1"
    assert hrefs["slopes"] == "#s1c1-intro"  # from another section
    assert hrefs["elsewhere"] == "https://example.com/page"  # another site: as it was
    assert hrefs["table"] == "files/data/table.csv"  # a file: from the site's root
    assert re.search(r'<a class="xref" href="#s1c1-eq-square"', page)  # same chapter
    assert re.search(r'href="#s1c1-eq-square"[^>]*>\(1\.1\.1\)', page)  # from another one
    # Images and figures from the site's root, where they are.
    sources = [attrs["src"] for tag, attrs in parse_page(page).tags if tag == "img"]
    assert "calculus/img/dot.png" in sources
    assert all((site / src).is_file() for src in sources), sources


def test_home_links_to_it_and_search_engines_leave_it_out(site: Path) -> None:
    home = _page(site, "index.html")
    assert '<a class="home-print-link" href="print.html">Print the whole course</a>' in home
    page = _page(site, "print.html")
    assert '<meta name="robots" content="noindex">' in page
    assert '<link rel="canonical" href="https://example.org/c/print.html">' in page
    sitemap = _page(site, "sitemap.xml")
    assert "print.html" not in sitemap and "calculus/slopes.html" in sitemap
    assert "print.html" not in _page(site, "assets/search-index.js")
    # It keeps no progress: no chapter key on its articles, no end-of-chapter block.
    assert "data-chapter-key" not in page and "chapter-end" not in page


def test_a_course_with_one_chapter_and_no_questions_has_one_too(tmp_path: Path) -> None:
    site = build_site(make_course(tmp_path, {"01-a/01-b.md": chapter("Only", "Text.\n")}),
                      tmp_path / "site")
    page = _page(site, "print.html")
    assert page.count('<article class="chapter print-chapter"') == 1
    assert "Text." in page
    assert 'href="print.html"' in _page(site, "index.html")


# --- the rewriting on its own -------------------------------------------------------


def test_without_answers_leaves_an_authors_own_markup() -> None:
    own = '<div class="explanation">mine</div><details class="hint">also mine</details>'
    form = ('<form class="question" id="q"><input type="radio" data-correct="true" checked '
            'value="1"><details class="hint"><summary>Hint</summary><details class="hint">'
            '</details></details><div class="explanation">42</div></form>')
    assert without_answers(own + form) == own + (
        '<form class="question" id="q"><input type="radio" checked value="1"></form>')


def test_ids_and_references_in_any_quoting(tmp_path: Path) -> None:
    course, _ = load_course(make_course(tmp_path, {"01-a/01-b.md": chapter()}))
    assert course is not None
    body = ("<p title=\"x > y\" id='a'>x</p><label for=a>L</label>"
            '<svg><clipPath id="c"/><path clip-path="url(#c)" marker-end="url(#gone)"/></svg>'
            '<a href="#a">in</a><a href="#nowhere">out</a><input aria-describedby="a gone">'
            "<code>id=\"a\" and href=\"#a\"</code>")
    rendered = {"a/b.html": RenderedChapter(course.chapters[0], body, ())}
    assert print_bodies(course, rendered, Cache(None))["a/b.html"] == (
        '<p title="x &gt; y" id="s1c1-a">x</p><label for="s1c1-a">L</label>'
        '<svg><clipPath id="s1c1-c" /><path clip-path="url(#s1c1-c)" marker-end="url(#gone)" />'
        '</svg><a href="#s1c1-a">in</a><a href="#nowhere">out</a>'
        '<input aria-describedby="s1c1-a">'
        # Text is text, even when it looks like an attribute.
        '<code>id="a" and href="#a"</code>')


def test_a_rebuild_cuts_and_readdresses_the_edited_chapter_only(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import gradsite.printpage

    cut: list[str] = []
    readdressed: list[str] = []
    real = gradsite.printpage.without_answers
    real_readdressed = gradsite.printpage._readdressed

    def counting(body: str) -> str:
        cut.append("One" if "First" in body else "Two")
        return real(body)

    def counting_readdressed(body: str, page: str, *args: Any) -> str:
        readdressed.append(page)
        return real_readdressed(body, page, *args)

    monkeypatch.setattr(gradsite.printpage, "without_answers", counting)
    monkeypatch.setattr(gradsite.printpage, "_readdressed", counting_readdressed)
    content = make_course(tmp_path, {
        "01-a/01-one.md": chapter("One", "First words, see [](#thm-later).\n"),
        "01-a/02-two.md": chapter("Two", '!!! theorem "Later" {#thm-later}\n    Held.\n\n'
                                         "Second words.\n"),
    })
    options = BuildOptions(content=content, out=tmp_path / "_site",
                           cache_dir=tmp_path / "cache", quiet=True)
    build(options)
    assert sorted(cut) == ["One", "Two"]
    printed = (tmp_path / "_site" / "print.html").read_bytes()
    two = content / "01-a/02-two.md"
    two.write_text(two.read_text().replace("Second words", "Second, edited words"))
    cut.clear()
    readdressed.clear()
    build(options)
    assert cut == ["Two"] and readdressed == ["a/two.html"]
    after = (tmp_path / "_site" / "print.html").read_bytes()
    assert after == printed.replace(b"Second words", b"Second, edited words")
    # One's reference to Two's theorem still finds it inside the print page.
    assert b'href="#s1c2-thm-later"' in after
    # A new id in Two may be what a link of One's finds: every chapter is readdressed.
    two.write_text(two.read_text().replace("Second, edited words", "## More {#more}\n\nWords"))
    readdressed.clear()
    build(options)
    assert sorted(readdressed) == ["a/one.html", "a/two.html"]
    fresh = BuildOptions(content=content, out=tmp_path / "fresh", read_cache=False, quiet=True)
    build(fresh)
    assert (tmp_path / "_site" / "print.html").read_bytes() == \
        (tmp_path / "fresh" / "print.html").read_bytes()
