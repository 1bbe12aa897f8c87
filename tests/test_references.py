"""Numbering and cross-references, theorem-like blocks and exercises (spec sections 9, 10).

Unit tests of the scan and the numbering, then fixture courses built for real:
references across sections, a chapter moved to another place, drafts, every
error with its place, and which chapters render again after an edit.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gradsite.check.labels import chapter_labels
from gradsite.diagnostics import Location
from gradsite.scan import scan_body
from tests.coursekit import (
    build_problems,
    build_site,
    chapter,
    count_renders,
    make_course,
    parse_page,
    where,
    without_copy,
)

PATH = "content/01-a/01-b.md"


def scan(body: str):  # type: ignore[no-untyped-def]
    return scan_body(body, Location(PATH, 5))


# --- the scan: theorem-like blocks ----------------------------------------------------


def test_theorem_headers_are_found_with_kind_title_label_and_parent() -> None:
    scanned, problems = scan('!!! theorem "Descent lemma" {#thm-descent}\n    Text.\n\n'
                             '!!! exercise\n    Do it.\n\n    !!! hint\n        Think.\n')
    assert problems == []
    kinds = [(t.kind, t.title, t.label, t.location.line, t.parent) for t in scanned.theorems]
    assert kinds == [("theorem", "Descent lemma", "thm-descent", 5, -1),
                     ("exercise", "", "", 8, -1), ("hint", "", "", 11, 1)]
    assert "!!! gsthm0x" in scanned.text and "!!! gsthm2x" in scanned.text


@pytest.mark.parametrize(("body", "line", "message", "hint"), [
    ("!!! theorm\n    Text.\n", 5, "unknown kind of block 'theorm'", "theorem"),
    ("!!! hint\n    Text.\n", 5, "a hint belongs inside an exercise", "exercise"),
    ("!!! theorem\n    Text.\n\n    !!! solution\n        Done.\n", 8,
     "a solution belongs inside an exercise", "exercise"),
    ("Text.\n\n!!! lemma\n\nMore text.\n", 7, "this lemma block is empty", "indent"),
    ('!!! theorem "T" {#Bad Label}\n    Text.\n', 5, "", ""),
    ('!!! theorem "T" {#Bad}\n    Text.\n', 5, "'Bad' is not a label", "slug"),
])
def test_block_mistakes_are_errors_at_their_line(
    body: str, line: int, message: str, hint: str
) -> None:
    _, problems = scan(body)
    if not message:  # a label with a space is no label syntax: the title stays as written
        assert problems == []
        return
    assert [(p.location.line, p.message) for p in problems] == [(line, message)]
    assert hint in problems[0].hint


def test_a_fenced_block_inside_a_theorem_is_its_content() -> None:
    _, problems = scan("!!! example\n    ```python\n    x = 1\n    ```\n")
    assert problems == []


def test_admonitions_stay_admonitions() -> None:
    scanned, problems = scan('!!! note "Careful"\n    Text.\n')
    assert problems == [] and scanned.theorems == ()
    assert '!!! note "Careful"' in scanned.text


def test_prose_references_become_tokens_and_empty_links_are_marked() -> None:
    scanned, problems = scan("By \\eqref{eq-a} and \\ref{thm-b}, see [](#eq-a) or [it](#x).\n")
    assert problems == []
    refs = [(b.lang, b.source) for b in scanned.blocks if b.kind == "ref"]
    assert refs == [("eqref", "eq-a"), ("ref", "thm-b")]
    assert [(link.target, link.empty) for link in scanned.links] == [("#eq-a", True),
                                                                     ("#x", False)]


# --- numbering in a chapter -----------------------------------------------------------


def labels_of(body: str, position: str = "2.3"):  # type: ignore[no-untyped-def]
    scanned, problems = scan(body)
    assert problems == []
    return chapter_labels(scanned, (), (), position)


def test_each_kind_has_its_own_counter_written_with_the_chapter_position() -> None:
    labels, problems = labels_of(
        "$$ a \\label{eq-a} $$\n\n$$ b $$\n\n!!! lemma\n    L.\n\n"
        '!!! theorem "T" {#thm-t}\n    T.\n\n$$ c \\label{eq-c} $$\n\n'
        '![A dot](dot.svg "The dot"){#fig-dot}\n\n!!! lemma {#lem-two}\n    L2.\n\n'
        "!!! proof\n    P.\n")
    assert problems == []
    assert [(label.name, label.kind, label.number, label.reference_text) for label in labels] == [
        ("eq-a", "equation", "2.3.1", "(2.3.1)"),
        ("", "lemma", "2.3.1", "Lemma\u00a02.3.1"),
        ("thm-t", "theorem", "2.3.1", "Theorem\u00a02.3.1"),
        ("eq-c", "equation", "2.3.2", "(2.3.2)"),
        ("fig-dot", "figure", "2.3.1", "Figure\u00a02.3.1"),
        ("lem-two", "lemma", "2.3.2", "Lemma\u00a02.3.2"),
    ]


@pytest.mark.parametrize(("body", "message"), [
    ("$$ a \\label{one} \\label{two} $$\n", "two labels on one display"),
    ("Inline $a \\label{eq-x}$ here.\n", "in inline math"),
    ('![A dot](dot.svg){#fig-dot}\n', "has no caption"),
])
def test_labels_that_cannot_number_are_errors(body: str, message: str) -> None:
    _, problems = labels_of(body)
    assert len(problems) == 1 and message in problems[0].message
    assert problems[0].location.line == 5


# --- a course, built -------------------------------------------------------------------

ONE = ("The gradient is\n\n$$ \\nabla f(x) = 2x \\label{eq-grad} $$\n\n"
       '!!! theorem "Descent lemma" {#thm-descent}\n    It holds by \\eqref{eq-grad}.\n\n'
       "!!! proof\n    Obvious.\n\n"
       '!!! exercise "Step size" {#ex-step}\n    Compute it.\n\n'
       "    !!! hint\n        First hint.\n\n    !!! hint\n        Second hint.\n\n"
       "    !!! solution\n        $L = 4$.\n")
TWO = "By [](#eq-grad), [](#thm-descent) and [the exercise](#ex-step); also \\ref{eq-grad}.\n"


def course(tmp_path: Path, one: str = ONE, two: str = TWO, **extra: str) -> Path:
    return make_course(tmp_path, {"01-basics/01-one.md": chapter("One", one),
                                  "02-more/01-two.md": chapter("Two", two), **extra})


def links_in(page: str) -> list[tuple[str, str]]:
    return re.findall(r'<a class="xref" href="([^"]*)" data-xref="[^"]*">(.*?)</a>', page)


def test_references_resolve_across_sections_with_their_texts(tmp_path: Path) -> None:
    site = build_site(course(tmp_path), tmp_path / "_site")
    two = (site / "more/two.html").read_text()
    assert links_in(two) == [("../basics/one.html#eq-grad", "(1.1.1)"),
                             ("../basics/one.html#thm-descent", "Theorem\u00a01.1.1"),
                             ("../basics/one.html#ex-step", "the exercise"),
                             ("../basics/one.html#eq-grad", "1.1.1")]
    one = (site / "basics/one.html").read_text()
    assert '<div class="equation" id="eq-grad">' in one
    assert '<span class="equation-number">(1.1.1)</span>' in one
    assert links_in(one) == [("#eq-grad", "(1.1.1)")]
    # The previews of what chapter two refers to travel with it.
    assert re.findall(r'<template class="xref-preview" data-xref="([^"]+)">', two) == [
        "eq-grad", "ex-step", "thm-descent"]
    preview = two[two.index('<template class="xref-preview" data-xref="thm-descent">'):]
    preview = preview[:preview.index("</template>")]
    assert '<div class="theorem theorem-theorem"><p class="theorem-head">' in preview
    assert "Theorem 1.1.1" in preview and "It holds by (1.1.1)" in preview
    assert "Obvious" not in preview and "<a " not in preview


def test_theorem_like_blocks_proofs_and_exercises_in_the_page(tmp_path: Path) -> None:
    one = (build_site(course(tmp_path), tmp_path / "_site") / "basics/one.html").read_text()
    assert ('<div class="theorem theorem-theorem" id="thm-descent">\n<p class="theorem-head">'
            '<span class="theorem-number">Theorem 1.1.1</span> '
            '<span class="theorem-name">(Descent lemma)</span></p>') in one
    assert '<p class="theorem-head"><span class="theorem-number">Proof</span></p>' in one
    assert '<span aria-hidden="true">∎</span>' in one
    assert 'data-exercise="basics/one/ex-step"' in one
    summaries = re.findall(r'<details class="exercise-(\w+)"><summary>([^<]+)</summary>', one)
    assert summaries == [("hint", "Show hint 1"), ("hint", "Show hint 2"),
                         ("solution", "Show solution")]
    assert "!!!" not in one and "gsthm" not in one


def test_a_chapter_moved_to_another_place_renumbers_what_refers_to_it(tmp_path: Path) -> None:
    content = course(tmp_path)
    build_site(content, tmp_path / "_site")
    # Section one becomes section three: its labels are numbered 2.1.x now.
    (content / "01-basics").rename(content / "03-basics")
    site = build_site(content, tmp_path / "_site")
    two = (site / "more/two.html").read_text()
    assert [text for _, text in links_in(two)] == ["(2.1.1)", "Theorem\u00a02.1.1",
                                                   "the exercise", "2.1.1"]


def test_references_from_captions_and_questions_resolve(tmp_path: Path) -> None:
    explanation = "By \\eqref{eq-grad}, $x = \\ref{eq-grad}$."
    two = chapter("Two", "Text.\n", quiz=[{"question": "What does [](#eq-grad) say?",
                                           "explanation": explanation,
                                           "choices": [{"text": "A", "correct": True},
                                                       {"text": "B"}]}])
    content = make_course(tmp_path, {"01-basics/01-one.md": chapter("One", ONE),
                                     "02-more/01-two.md": two})
    page = (build_site(content, tmp_path / "_site") / "more/two.html").read_text()
    # The question's [](#eq-grad) and the explanation's \eqref, as links.
    assert links_in(page).count(("../basics/one.html#eq-grad", "(1.1.1)")) >= 2
    assert "<mtext>1.1.1</mtext>" in page and "eqref" not in page


def test_a_reference_without_a_label_says_so(tmp_path: Path) -> None:
    problems = build_problems(course(tmp_path, two="See [](#) and \\eqref{}.\n"),
                              tmp_path / "_site")
    assert [p.message for p in problems if p.is_error] == ["this reference names no label"] * 2


@pytest.mark.parametrize(("two", "line", "message", "hint"), [
    ("See [](#eq-gard).\n", 4, "no label 'eq-gard' in the course", "eq-grad"),
    ("See \\eqref{thm-desc}.\n", 4, "no label 'thm-desc' in the course", "thm-descent"),
    ("$$ x = \\eqref{nowhere} $$\n", 4, "no label 'nowhere' in the course", "label"),
    ("$$ y \\label{eq-grad} $$\n", 4, "the label 'eq-grad' is already used at "
     "content/01-basics/01-one.md:6", "unique"),
])
def test_reference_mistakes_are_errors_at_the_reference(
    tmp_path: Path, two: str, line: int, message: str, hint: str
) -> None:
    problems = build_problems(course(tmp_path, two=two), tmp_path / "_site")
    errors = [p for p in problems if p.is_error]
    assert [(where(p), p.message) for p in errors] == [
        (f"content/02-more/01-two.md:{line}", message)]
    assert hint in errors[0].hint


def test_a_reference_to_a_draft_is_an_error_unless_drafts_are_built(tmp_path: Path) -> None:
    draft = chapter("Draft", "$$ z \\label{eq-draft} $$\n", draft=True)
    content = course(tmp_path, two="By \\eqref{eq-draft}.\n", **{"01-basics/02-draft.md": draft})
    problems = [p for p in build_problems(content, tmp_path / "_site") if p.is_error]
    assert len(problems) == 1
    assert "is a label of a draft, content/01-basics/02-draft.md" in problems[0].message
    site = build_site(content, tmp_path / "_site", include_drafts=True)
    assert ("../basics/draft.html#eq-draft", "(1.1.2)") not in links_in(
        (site / "more/two.html").read_text())  # numbered in its own chapter: 1.2.1
    assert ("../basics/draft.html#eq-draft", "(1.2.1)") in links_in(
        (site / "more/two.html").read_text())


def test_a_cell_id_without_a_caption_is_an_anchor_without_a_number(tmp_path: Path) -> None:
    one = "```{python}\n#| id: the-code\nprint(1)\n```\n\nSee [the code](#the-code).\n"
    content = course(tmp_path, one=one, two="See [](#the-code).\n")
    errors = [p for p in build_problems(content, tmp_path / "_site") if p.is_error]
    assert [(where(p), p.message) for p in errors] == [
        ("content/02-more/01-two.md:4", "'the-code' has no number to refer to")]


def test_an_edit_that_renumbers_renders_the_chapters_that_refer_and_no_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gradsite.pipeline import BuildOptions, build

    rendered = count_renders(monkeypatch)
    content = make_course(tmp_path, {
        "01-a/01-one.md": chapter("One", "$$ x \\label{eq-x} $$\n"),
        "01-a/02-two.md": chapter("Two", "By [](#eq-x).\n"),
        "01-a/03-three.md": chapter("Three", "Nothing to see.\n"),
    })
    options = BuildOptions(content=content, out=tmp_path / "_site",
                           cache_dir=tmp_path / "cache", quiet=True)
    build(options)
    one = content / "01-a/01-one.md"
    rendered.clear()
    one.write_text(one.read_text().replace("$$ x", "Prose.\n\n$$ x"))  # a prose edit
    build(options)
    assert rendered == ["01-one.md"]
    rendered.clear()
    one.write_text(one.read_text().replace("Prose.", "$$ w \\label{eq-w} $$"))  # renumbers
    build(options)
    assert sorted(rendered) == ["01-one.md", "02-two.md"]
    assert "(1.1.2)" in (tmp_path / "_site/a/two.html").read_text()


def test_a_table_with_a_caption_line_is_captioned_and_numbered_when_labelled(
    tmp_path: Path,
) -> None:
    one = ("Table: Step sizes for $f$ {#tab-rates}\n| step | rate |\n|---|---|\n| 1 | 0.1 |\n\n"
           "Table: Without a label\n| a |\n|---|\n| 1 |\n\nSee [](#tab-rates).\n\n"
           "Table: just words, no table follows.\n")
    page = (build_site(course(tmp_path, one=one, two="By [](#tab-rates).\n"), tmp_path / "_site")
            / "basics/one.html").read_text()
    assert ('<div class="table-wrap" id="tab-rates"><table>\n<caption><span class="table-number">'
            'Table 1.1.1.</span> Step sizes for <math') in page
    assert "<caption>Without a label</caption>" in page
    assert ("#tab-rates", "Table\u00a01.1.1") in links_in(page)
    assert "<p>Table: just words, no table follows.</p>" in page and "gstable" not in page
    two = (tmp_path / "_site/more/two.html").read_text()
    preview = two[two.index('<template class="xref-preview" data-xref="tab-rates">'):]
    assert preview.startswith('<template class="xref-preview" data-xref="tab-rates">'
                              '<div class="table-wrap"><table>\n<caption>')



def test_problems_below_a_table_caption_are_reported_at_their_own_lines(
        tmp_path: Path) -> None:
    # The caption's marker once took a line of its own, and every later line was
    # reported one too low.
    one = ("Table: Rates\n| a | b |\n|---|---|\n| $x$ | $\\foo$ |\n\n"  # lines 4-7
           "Text $\\qux$ here.\n\n"  # line 9
           "!!! note\n    Table: Inside\n    | d |\n    |---|\n    | $\\baz$ |\n\n"  # 15
           "Last [](#nolabel).\n")  # line 17
    problems = build_problems(course(tmp_path, one=one), tmp_path / "_site")
    assert sorted((problem.location.line, problem.location.column) for problem in problems
                  if problem.location.path.endswith("01-one.md")) == [
        (7, 10), (9, 7), (15, 8), (17, 6)]


# --- course macros -----------------------------------------------------------------------

MACROS = ("title: Macro Course\nmacros:\n  reals: '\\mathbb{R}'\n"
          "  norm: ['\\left\\lVert #1 \\right\\rVert', 1]\n")


def test_course_macros_work_in_every_formula_of_the_course(tmp_path: Path) -> None:
    one = chapter("One $\\reals$", "Let $x \\in \\reals^n$ and\n\n$$ \\norm{x} = 1 $$\n",
                  functions={"f": {"expr": "x**2", "tex": "\\norm{x}^2"}},
                  quiz=[{"question": "Is $\\norm{0} = 0$?",
                         "choices": [{"text": "Yes", "correct": True}, {"text": "No"}]}])
    content = make_course(tmp_path, {"course.yml": MACROS, "01-a/01-one.md": one})
    site = build_site(content, tmp_path / "_site")
    # Its Markdown copy keeps the LaTeX, and says what the macros are.
    page = without_copy((site / "a/one.html").read_text())
    assert "\\norm" not in page and "\\reals" not in page
    assert page.count("ℝ") >= 3  # the title, in the heading and the menu, and the text
    assert page.count("∥") >= 6  # the display, the function's card and the question
    assert "ℝ" in (site / "index.html").read_text()  # the chapter's title on the home


def test_a_macro_that_does_not_parse_is_an_error_at_its_line(tmp_path: Path) -> None:
    course_yml = MACROS + "  half: '\\frac{1}{2'\n"
    content = make_course(tmp_path, {"course.yml": course_yml,
                                     "01-a/01-one.md": chapter("One", "$\\half$\n")})
    errors = [p for p in build_problems(content, tmp_path / "_site") if p.is_error]
    assert [(where(p), p.message.split(":")[0]) for p in errors] == [
        ("content/course.yml:5", "macros.half")]
    assert "invalid LaTeX" in errors[0].message and "#1" in errors[0].hint


def test_a_macro_written_wrongly_is_an_error_with_the_form_to_use(tmp_path: Path) -> None:
    course_yml = "title: T\nmacros:\n  norm: ['\\lVert #1 \\rVert', 1, 2]\n"
    content = make_course(tmp_path, {"course.yml": course_yml,
                                     "01-a/01-one.md": chapter("One", "Text.\n")})
    errors = [p for p in build_problems(content, tmp_path / "_site") if p.is_error]
    assert [where(p) for p in errors] == ["content/course.yml:3"]
    assert "[LaTeX, a number of arguments" in errors[0].message


def test_a_cell_that_draws_two_figures_numbers_both(tmp_path: Path) -> None:
    two_figures = ("```{python}\n#| id: fig-pair\n#| caption: Two views.\n"
                   "import matplotlib.pyplot as plt\nplt.figure(); plt.plot([0, 1])\n"
                   "plt.figure(); plt.plot([1, 0])\n```\n\n"
                   "```{python}\n#| id: fig-next\n#| caption: The next one.\n"
                   "plt.figure(); plt.plot([0, 0])\n```\n")
    content = course(tmp_path, one=two_figures,
                     two="See [](#fig-pair), [](#fig-pair-2) and [](#fig-next).\n")
    site = build_site(content, tmp_path / "_site")
    one = (site / "basics/one.html").read_text()
    assert re.findall(r'<span class="figure-number">([^<]+)</span>', one) == [
        "Figure 1.1.1.", "Figure 1.1.2.", "Figure 1.1.3."]
    assert '<figure class="figure" id="fig-pair-2">' in one
    two = (site / "more/two.html").read_text()
    assert [text for _, text in links_in(two)] == [
        "Figure\u00a01.1.1", "Figure\u00a01.1.2", "Figure\u00a01.1.3"]


def test_a_reference_to_a_figure_a_cell_did_not_draw_is_an_error(tmp_path: Path) -> None:
    one = ("```{python}\n#| id: fig-one\n#| caption: One view.\n"
           "import matplotlib.pyplot as plt\nplt.plot([0, 1])\n```\n")
    content = course(tmp_path, one=one, two="See [](#fig-one-2).\n")
    errors = [p for p in build_problems(content, tmp_path / "_site") if p.is_error]
    assert [(where(p), p.message) for p in errors] == [
        ("content/02-more/01-two.md:4", "no label 'fig-one-2' in the course")]


def test_math_in_an_images_title_and_alt_is_text_there_and_math_in_its_caption(
        tmp_path: Path) -> None:
    # Its MathML once went into the title attribute and ended it early: the page showed
    # the rest as text, and the print page kept the image's address unrewritten.
    content = make_course(tmp_path, {
        "01-basics/01-one.md": chapter("One", '![The curve $y = x^2$](p.svg "The parabola '
                                              '$y = x^2$."){#fig-p}\n\nSee [](#fig-p).\n'),
        "01-basics/p.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>',
    })
    site = build_site(content, tmp_path / "_site")
    for page, src in (("basics/one.html", "p.svg"), ("print.html", "basics/p.svg")):
        parsed = parse_page((site / page).read_text())
        images = [attrs for tag, attrs in parsed.tags if tag == "img"]  # previews' too
        assert images and all(image == {"alt": "The curve y = x^2", "src": src,
                                        "title": "The parabola y = x^2."} for image in images)
    caption = re.search(r"<figcaption>(.*?)</figcaption>",
                        (site / "basics/one.html").read_text()).group(1)  # type: ignore[union-attr]
    assert "The parabola <span class=\"math-with-punctuation\"><math" in caption


def test_a_chapter_that_cannot_be_read_hides_only_the_references_it_may_answer(
        tmp_path: Path) -> None:
    # Its labels are unknown, so a reference to one of them would only echo its error;
    # a name that is nowhere in its file is a mistake all the same.
    content = course(tmp_path, two="By [](#thm-kept), not [](#thm-typo).\n")
    (content / "01-basics/01-one.md").write_text("---\ntitle: [broken\n---\n\n"
                                                 "!!! theorem {#thm-kept}\n    T.\n")
    problems = build_problems(content, tmp_path / "_site")
    assert sorted((where(p), p.message) for p in problems if "label" in p.message) == [
        ("content/02-more/01-two.md:4", "no label 'thm-typo' in the course")]
    assert any("01-one.md" in where(p) for p in problems)
