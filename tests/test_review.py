"""The review page's HTML: every question of the course by chapter, in course and
page order, its first variant's text as plain text (escaped, shortened when
long), links to the questions, the home page's link, and no page (nor link) for
a course without questions. What the script does with it is tested in
tests/browser/test_variants.py."""

from __future__ import annotations

import html
import re
from pathlib import Path

from gradsite.pipeline import BuildOptions, build
from gradsite.site import REVIEW_TEXT_MAX
from tests.coursekit import chapter, has_class, make_course, parse_page

LONG = "Which of these is true? " + " ".join(f"word{i}" for i in range(60))
COURSE: dict[str, str | bytes | None] = {
    "course.yml": "title: Review Course\nbase_url: https://example.org/course/\n",
    "01-calculus/01-slopes.md": chapter(
        "Slopes of $x^2$", "Placed first:\n\n```quiz\nplaced\n```\n\nMore text.\n", quiz=[
            {"id": "slope", "question": "The slope of ${{a}} x^2$ at $x = 1$?",
             "params": {"a": [2, 9]}, "variants": 3, "answer": "2 * a"},
            {"id": "placed", "question": "Is <b>this</b> & that *plain*?",
             "choices": [{"text": "Yes", "correct": True}, {"text": "No"}]},
        ]),
    "01-calculus/02-notes.md": chapter("Notes", "No questions here.\n"),
    "02-more/01-long.md": chapter("Long", "Text.\n", quiz=[
        {"id": "long", "question": LONG, "choices": [{"text": "A", "correct": True},
                                                     {"text": "B"}]}]),
}


def _build(tmp_path: Path, files: dict[str, str | bytes | None]) -> Path:
    content = make_course(tmp_path, files)
    out = tmp_path / "site"
    build(BuildOptions(content=content, out=out, cache_dir=tmp_path / "cache", quiet=True))
    return out


def _review(out: Path) -> str:
    return (out / "review.html").read_text(encoding="utf-8")


def _items(page: str) -> list[tuple[str, str, str]]:
    """(question id, link, text) of each listed question, in page order."""
    return [(qid, href, html.unescape(text)) for qid, href, text in re.findall(
        r'<li class="review-question" data-question="([^"]+)"><a href="([^"]+)">(.*?)</a>',
        page)]


def test_every_question_by_chapter_with_links(tmp_path: Path) -> None:
    out = _build(tmp_path, COURSE)
    page = _review(out)
    chapters = re.findall(r'<section class="review-chapter" data-chapter-key="([^"]+)"', page)
    assert chapters == ["calculus/slopes", "more/long"]  # "Notes" has no question
    heading = re.search(r'<h2 id="review-chapter-1"><a href="calculus/slopes.html">'
                        r'<span class="review-chapter-label">Section 1\. Chapter 1</span> '
                        r"Slopes of <math", page)
    assert heading, page
    assert '<span class="review-chapter-label">Section 2. Chapter 1</span> Long' in page
    items = _items(page)
    # Page order: the placed question comes before the quiz at the chapter's end.
    assert [(qid, href) for qid, href, _ in items] == [
        ("placed", "calculus/slopes.html#question-placed"),
        ("slope", "calculus/slopes.html#question-slope"),
        ("long", "more/long.html#question-long"),
    ]
    for _, href, _ in items:  # each link names a form of its chapter's page
        target, anchor = href.split("#")
        assert f'<form class="question" id="{anchor}"' in (out / target).read_text()


def test_a_question_is_its_first_variants_text_as_plain_escaped_text(tmp_path: Path) -> None:
    out = _build(tmp_path, COURSE)
    page = _review(out)
    texts = {qid: text for qid, _, text in _items(page)}
    # The first variant's text, math written linearly: the name its form is given.
    chapter_page = (out / "calculus" / "slopes.html").read_text(encoding="utf-8")
    label = re.search(r'<form class="question" id="question-slope".*?'
                      r'<fieldset aria-label="([^"]+)"', chapter_page, re.DOTALL)
    assert label, chapter_page
    assert texts["slope"] == html.unescape(label.group(1))
    assert re.fullmatch(r"The slope of \dx\^2 at x = 1\?", texts["slope"]), texts["slope"]
    # Authored HTML stays text: escaped once more in the review page.
    assert texts["placed"] == "Is <b>this</b> & that plain?"
    assert "Is &lt;b&gt;this&lt;/b&gt; &amp; that plain?" in page
    assert "<b>this</b>" not in page
    # A long text is cut at a word, with an ellipsis.
    assert texts["long"].endswith("\u2026")
    assert len(texts["long"]) <= REVIEW_TEXT_MAX + 1
    assert LONG.startswith(texts["long"].removesuffix("\u2026"))
    assert texts["long"].removesuffix("\u2026").split()[-1] in LONG.split()


def test_the_page_explains_itself_and_waits_for_the_script(tmp_path: Path) -> None:
    out = _build(tmp_path, COURSE)
    parsed = parse_page(_review(out))
    attrs = {cls: a for _, a in parsed.tags
             for cls in ("review", "review-list", "review-empty", "review-summary", "review-nojs")
             if has_class(a, cls)}
    assert "data-review" in attrs["review"]
    for hidden in ("review-list", "review-empty", "review-summary"):
        assert "hidden" in attrs[hidden], hidden  # the script shows what applies
    assert "hidden" not in attrs["review-nojs"]  # the style sheet shows it without the script
    text = " ".join("".join(parsed.text).split())
    assert "it needs JavaScript, which is turned off" in text
    assert "Nothing to review: every question is answered correctly." in text
    assert "<title>Review · Review Course</title>" in _review(out)
    # No sidebar, no inline script or style (strict CSP).
    assert not any(tag == "nav" for tag, _ in parsed.tags)
    # The one script element without src is data: the interface's words (JSON).
    assert not any(tag == "script" and "src" not in a and
                   a.get("type") != "application/json" for tag, a in parsed.tags)
    assert not any(tag == "style" or "style" in a for tag, a in parsed.tags)


def test_the_home_links_the_review_and_the_sitemap_leaves_it_out(tmp_path: Path) -> None:
    out = _build(tmp_path, COURSE)
    home = (out / "index.html").read_text(encoding="utf-8")
    assert '<a class="home-review-link" href="review.html">Review questions</a>' in home
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    assert "https://example.org/course/index.html" in sitemap
    assert "review.html" not in sitemap
    review = _review(out)
    assert '<link rel="canonical" href="https://example.org/course/review.html">' in review


def test_a_course_without_questions_has_no_review_page(tmp_path: Path) -> None:
    out = _build(tmp_path, {"01-a/01-b.md": chapter("B", "Text.\n")})
    assert not (out / "review.html").exists()
    home = (out / "index.html").read_text(encoding="utf-8")
    assert "review.html" not in home and "home-review" not in home
