"""Numbered equations, references with previews, theorem-like blocks and
exercises, as the reader's browser shows them: layout at 375 px, the preview
tooltip (pointer, keyboard, Escape, screen readers, file://), disclosures
without JavaScript, opened solutions in the progress, axe in both colour
schemes, and print.

The course is Markdown as an author writes it (``\\label``, ``[](#name)``,
``\\eqref``, a captioned cell's figure, ``!!! theorem``, hints and solutions),
built as usual: the tests see the builder's HTML, previews included.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.browser.helpers import expect
from tests.browser.shipped import AXE_JS, NPM_HINT, build_site
from tests.coursekit import chapter as chapter_file
from tests.coursekit import make_course

PHONE = {"width": 375, "height": 700}
WIDE = {"width": 1280, "height": 800}
FONTS_READY = "document.fonts.ready.then(() => true)"
BASICS = "refs/basics.html"
MORE = "more/more.html"  # another section: its previews address the figure from another folder
BASICS_KEY = "refs/basics"
COURSE_KEY_OF = "document.documentElement.dataset.course"
POPUP = ".xref-popover"


def _filler(count: int) -> str:
    return "".join(f"Paragraph {i} of text that puts some distance between the parts of "
                   "this page, so that a preview has room below or above a link.\n\n"
                   for i in range(count))


EXERCISE_KEY = "refs/basics/ex-step"
# An unlabelled exercise is keyed by its place among the chapter's theorem-like
# blocks, hints and solutions included, counted from 0: the 13th here.
SECOND_EXERCISE_KEY = "refs/basics/exercise-2"

BASICS_BODY = r"""The update is [](#eq-long), drawn in [](#fig-path); it converges by
[](#thm-descent), one step at a time as in \eqref{eq-short}.

$$ f(x) = \sum_{i=1}^{n} \left( a_i x_i^2 + b_i x_i + c_i \right) + \lambda \|x\|_2^2
   + \mu \|x\|_1 + \frac{1}{2} x^\top Q x - b^\top x \label{eq-long} $$

One step of gradient descent:

$$ x_{k+1} = x_k - \eta \nabla f(x_k) \label{eq-short} $$

```{python}
#| id: fig-path
#| caption: The path of gradient descent.
#| alt: A curved descent path
#| echo: false
import matplotlib.pyplot as plt
import numpy as np

x = np.linspace(-1, 1, 50)
fig, ax = plt.subplots(figsize=(4, 2))
ax.plot(x, 1 - x ** 2)
plt.show()
```

!!! definition "Smoothness" {#def-smooth}
    A function is L-smooth when its gradient is L-Lipschitz.

!!! theorem "Descent lemma" {#thm-descent}
    If f has an L-Lipschitz gradient, one step lowers f.

    Hence the values decrease.

!!! lemma
    A lemma.

!!! proposition
    A proposition.

!!! corollary
    A corollary.

!!! proof
    Expand f around the current point and bound the rest.

!!! example
    The quadratic $f(x) = x^2$.

!!! remark
    The constant matters.

!!! exercise "Step size" {#ex-step}
    Find the largest step that still converges.

    !!! hint
        Look at L.

    !!! hint
        Try 1/L.

    !!! solution
        Any step below 2/L.

!!! exercise
    Without a label.

    !!! solution
        Done.

""" + _filler(14) + "Near the end, the same update again: [](#eq-long).\n\n" + _filler(3)

MORE_BODY = "As in [](#eq-short) and [](#fig-path).\n"


@pytest.fixture(scope="module")
def refs_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("references")
    content = make_course(root, {
        "course.yml": "title: References Course\n",
        "01-refs/01-basics.md": chapter_file("Basics", BASICS_BODY),
        "02-more/01-more.md": chapter_file("More", MORE_BODY),
    })
    return build_site(content, root / "www" / "course", root / "cache")


@pytest.fixture
def site(serve_folder: Any, refs_site: Path) -> Any:
    with serve_folder(refs_site) as base:
        yield base


def _box(locator: Any) -> dict[str, float]:
    return locator.evaluate("e => { const r = e.getBoundingClientRect();"
                            " return {left: r.left, right: r.right, top: r.top,"
                            " bottom: r.bottom}; }")


def _overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return (a["left"] < b["right"] and b["left"] < a["right"]
            and a["top"] < b["bottom"] and b["top"] < a["bottom"])


def _open_page(new_context: Any, url: str, **options: Any) -> Any:
    page = new_context(**options).new_page()
    page.goto(url)
    page.evaluate(FONTS_READY)
    return page


# --- numbered equations ------------------------------------------------------------


def test_a_long_equation_scrolls_beside_its_number_on_a_phone(new_context: Any,
                                                              site: str) -> None:
    page = _open_page(new_context, site + BASICS, viewport=PHONE)
    equation = page.locator("#eq-long")
    display = equation.locator(".math-display")
    number = equation.locator(".equation-number")
    assert display.evaluate("d => d.scrollWidth > d.clientWidth + 20"), "it fits: no test"
    expect(display).to_have_attribute("tabindex", "0")  # scrolled by keyboard too

    for scrolled in ("start", "end"):
        if scrolled == "end":
            display.evaluate("d => { d.scrollLeft = d.scrollWidth; }")
        shown, num = _box(display), _box(number)
        assert num["left"] >= shown["right"], (scrolled, shown, num)  # beside, never over
        assert num["right"] <= PHONE["width"] - 8, num  # at the margin, in view
        middle = (shown["top"] + shown["bottom"]) / 2
        assert abs((num["top"] + num["bottom"]) / 2 - middle) < 3, (shown, num)
    expect(number).to_be_visible()
    expect(number).to_have_text("(1.1.1)")

    # The formula's start is not cut off while it is scrolled to the start.
    display.evaluate("d => { d.scrollLeft = 0; }")
    start = display.evaluate("d => d.querySelector('math').firstElementChild"
                             ".getBoundingClientRect().left - d.getBoundingClientRect().left")
    assert start >= -0.5, start
    # The page itself does not scroll sideways.
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")


def test_a_short_equation_is_centred_on_the_text_with_its_number_at_the_margin(
        new_context: Any, site: str) -> None:
    page = _open_page(new_context, site + BASICS, viewport=WIDE)
    equation = page.locator("#eq-short")
    outer = _box(equation)
    formula = _box(equation.locator("math > *").first)
    number = _box(equation.locator(".equation-number"))
    text = _box(page.locator(".chapter-body"))
    assert abs((formula["left"] + formula["right"]) / 2 - (text["left"] + text["right"]) / 2) < 4
    assert abs(number["right"] - outer["right"]) < 1
    assert number["left"] > formula["right"]


# --- previews ----------------------------------------------------------------------


def _link(page: Any, label: str, nth: int = 0) -> Any:
    return page.locator(f".chapter-body a.xref[data-xref='{label}']").nth(nth)


def _assert_shown_for(page: Any, link: Any, text: str | re.Pattern[str]) -> Any:
    tooltip = page.get_by_role("tooltip")
    expect(tooltip).to_be_visible()
    expect(tooltip).to_have_count(1)
    tooltip_id = tooltip.get_attribute("id")
    assert tooltip_id
    expect(link).to_have_attribute("aria-describedby", tooltip_id)
    expect(link).to_have_accessible_description(text)
    assert not _overlap(_box(tooltip), _box(link)), (_box(tooltip), _box(link))
    return tooltip


def _assert_hidden(page: Any, link: Any) -> None:
    expect(page.locator(POPUP)).to_be_hidden()
    expect(link).not_to_have_attribute("aria-describedby", re.compile("."))


def test_hovering_a_reference_previews_its_equation(new_context: Any, site: str) -> None:
    page = _open_page(new_context, site + BASICS, viewport=PHONE)
    link = _link(page, "eq-long")
    expect(page.locator(POPUP)).to_have_count(1)
    _assert_hidden(page, link)
    link.hover()
    tooltip = _assert_shown_for(page, link, re.compile(r"\(1\.1\.1\)"))
    expect(tooltip.locator(".equation math")).to_have_count(1)
    assert _box(tooltip)["top"] >= _box(link)["bottom"]  # below: there is room
    # Inside the viewport, and the wide formula shrunk to fit rather than cut off.
    box = _box(tooltip)
    assert box["left"] >= 0 and box["right"] <= PHONE["width"], box
    shown = tooltip.locator(".math-display")
    assert shown.evaluate("d => d.scrollWidth <= d.clientWidth + 1")
    assert page.locator("[id]").evaluate_all(
        "es => es.length === new Set(es.map(e => e.id)).size"), "an id is repeated"

    # The pointer may move from the link into the tooltip...
    page.mouse.move((box["left"] + box["right"]) / 2, (box["top"] + box["bottom"]) / 2,
                    steps=4)
    page.wait_for_timeout(600)
    expect(tooltip).to_be_visible()
    # ...and away: it goes.
    page.mouse.move(5, PHONE["height"] - 5)
    _assert_hidden(page, link)


def test_focusing_a_reference_previews_it_and_escape_hides_it(new_context: Any,
                                                              site: str) -> None:
    page = _open_page(new_context, site + BASICS, viewport=WIDE)
    link = _link(page, "thm-descent")
    page.locator("h1").click()
    for _ in range(30):
        page.keyboard.press("Tab")
        if link.evaluate("a => a === document.activeElement"):
            break
    expect(link).to_be_focused()
    tooltip = _assert_shown_for(page, link, re.compile(r"Theorem 1\.1\.1.*Descent lemma"))
    expect(tooltip.locator(".theorem-head")).to_contain_text("Theorem 1.1.1")
    page.keyboard.press("Escape")
    _assert_hidden(page, link)
    expect(link).to_be_focused()
    assert page.url.endswith(BASICS)  # nothing else happened
    # Each reference reached by Tab shows its own preview, and only while focused.
    page.keyboard.press("Shift+Tab")
    figure = _link(page, "fig-path")
    expect(figure).to_be_focused()
    tooltip = _assert_shown_for(page, figure, re.compile(r"Figure 1\.1\.1"))
    expect(tooltip.locator("img")).to_have_count(1)
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    step = _link(page, "eq-short")  # written \eqref{eq-short}
    expect(step).to_be_focused()
    _assert_shown_for(page, step, re.compile(r"\(1\.1\.2\)"))
    expect(figure).not_to_have_attribute("aria-describedby", re.compile("."))
    expect(link).not_to_have_attribute("aria-describedby", re.compile("."))


def test_references_read_as_the_builder_numbered_them(new_context: Any, site: str) -> None:
    page = _open_page(new_context, site + BASICS, viewport=WIDE)
    texts = page.locator(".chapter-body p").first.locator("a.xref").evaluate_all(
        "links => links.map(a => [a.dataset.xref, a.getAttribute('href'), a.textContent])")
    # A no-break space keeps a word and its number on one line.
    assert texts == [["eq-long", "#eq-long", "(1.1.1)"],
                     ["fig-path", "#fig-path", "Figure\u00a01.1.1"],
                     ["thm-descent", "#thm-descent", "Theorem\u00a01.1.1"],
                     ["eq-short", "#eq-short", "(1.1.2)"]]
    heads = page.locator(".theorem-head .theorem-number").all_text_contents()
    assert heads == ["Definition 1.1.1", "Theorem 1.1.1", "Lemma 1.1.1", "Proposition 1.1.1",
                     "Corollary 1.1.1", "Proof", "Example 1.1.1", "Remark 1.1.1",
                     "Exercise 1.1.1", "Exercise 1.1.2"]
    expect(page.locator("#fig-path figcaption")).to_have_text(
        "Figure 1.1.1. The path of gradient descent.")


def test_a_reference_without_a_template_is_a_plain_link(new_context: Any, site: str) -> None:
    # The build writes a preview for every label a page refers to; this page is
    # served without the theorem's, as a target the build could not preview.
    page = new_context(viewport=WIDE).new_page()

    def without_theorem_preview(route: Any) -> None:
        response = route.fetch()
        body = re.sub(r'<template class="xref-preview" data-xref="thm-descent">.*?</template>',
                      "", response.text(), flags=re.DOTALL)
        assert body != response.text()
        route.fulfill(response=response, body=body)

    page.route(site + BASICS, without_theorem_preview)
    page.goto(site + BASICS)
    link = _link(page, "thm-descent")
    link.hover()
    page.wait_for_timeout(400)
    link.focus()
    page.wait_for_timeout(100)
    _assert_hidden(page, link)
    link.click()
    assert page.url.endswith("#thm-descent")
    expect(page.locator("#thm-descent")).to_be_in_viewport()


def test_the_preview_goes_above_a_link_with_no_room_below(new_context: Any,
                                                          site: str) -> None:
    page = _open_page(new_context, site + BASICS, viewport=PHONE)
    link = _link(page, "eq-long", nth=1)
    link.evaluate("a => window.scrollBy(0, a.getBoundingClientRect().bottom"
                  " - innerHeight + 12)")
    link.hover()
    tooltip = _assert_shown_for(page, link, re.compile(r"\(1\.1\.1\)"))
    assert _box(tooltip)["bottom"] <= _box(link)["top"], (_box(tooltip), _box(link))
    expect(tooltip).to_have_attribute("data-side", "above")


def test_previews_work_from_disk(new_context: Any, refs_site: Path) -> None:
    page = _open_page(new_context, (refs_site / MORE).as_uri(), viewport=WIDE)
    assert page.url.startswith("file://")
    link = _link(page, "fig-path")
    link.hover()
    tooltip = _assert_shown_for(page, link, re.compile(r"Figure 1\.1\.1"))
    image = tooltip.locator("img")
    expect(image).to_have_attribute("alt", "A curved descent path")
    page.wait_for_function("() => document.querySelector('.xref-popover img').naturalWidth > 0")
    # The image's height came late: the tooltip still keeps off the link.
    assert not _overlap(_box(tooltip), _box(link))
    # Another page's equation, from this page's template.
    other = _link(page, "eq-short")
    other.focus()
    _assert_shown_for(page, other, re.compile(r"\(1\.1\.2\)"))


# --- exercises -----------------------------------------------------------------------


def test_hints_and_solutions_open_and_close_without_javascript(new_context: Any,
                                                               site: str) -> None:
    page = _open_page(new_context, site + BASICS, viewport=PHONE, java_script_enabled=False)
    exercise = page.locator("#ex-step")
    boxes = exercise.locator("details")
    expect(boxes).to_have_count(3)
    for box in boxes.all():
        expect(box).not_to_have_attribute("open", re.compile(".*"))
        expect(box.locator(".disclosure-body")).to_be_hidden()
    hint = exercise.locator("details.exercise-hint").first
    hint.locator("summary").click()
    expect(hint.locator(".disclosure-body")).to_be_visible()
    expect(hint.locator(".disclosure-body")).to_have_text("Look at L.")
    hint.locator("summary").click()
    expect(hint.locator(".disclosure-body")).to_be_hidden()
    # The keyboard opens a solution too; it is named by its summary.
    solution = exercise.locator("details.exercise-solution")
    summary = solution.locator("summary")
    summary.focus()
    page.keyboard.press("Enter")
    expect(solution.locator(".disclosure-body")).to_be_visible()
    expect(solution.locator(".solution-seen")).to_have_count(0)  # no script, no mark


def _stored(page: Any) -> Any:
    raw = page.evaluate(f"localStorage.getItem('gradsite:progress:' + {COURSE_KEY_OF})")
    return None if raw is None else json.loads(raw)


def test_an_opened_solution_is_kept_but_does_not_complete_the_chapter(
        new_context: Any, site: str, tmp_path: Path) -> None:
    page = _open_page(new_context, site + BASICS, viewport=WIDE)
    exercise = page.locator("#ex-step")
    exercise.locator("details.exercise-hint").first.locator("summary").click()
    page.wait_for_timeout(100)
    assert _stored(page) is None  # a hint is not recorded
    solution = exercise.locator("details.exercise-solution")
    solution.locator("summary").click()
    expect(solution.locator(".solution-seen")).to_have_text("Viewed")
    entry = _stored(page)["chapters"][BASICS_KEY]
    assert entry["solutions"] == [EXERCISE_KEY]
    assert entry["done"] is False
    expect(page.locator(".chapter-status")).to_have_text("")
    expect(page.get_by_role("button", name="Mark chapter as done")).to_have_attribute(
        "aria-pressed", "false")

    # Closing and opening again records nothing new.
    solution.locator("summary").click()
    solution.locator("summary").click()
    assert _stored(page)["chapters"][BASICS_KEY]["solutions"] == [EXERCISE_KEY]

    page.reload()
    solution = page.locator("#ex-step details.exercise-solution")
    expect(solution).not_to_have_attribute("open", re.compile(".*"))  # closed, as always
    expect(solution).to_have_class(re.compile(r"\bis-seen\b"))
    expect(solution.locator("summary")).to_have_accessible_name("Show solution Viewed")
    other = page.locator(f"[data-exercise='{SECOND_EXERCISE_KEY}'] details.exercise-solution")
    expect(other.locator(".solution-seen")).to_have_count(0)
    page.locator(".menu-chapter").first.wait_for()
    expect(page.locator(f"li.menu-chapter[data-chapter-key='{BASICS_KEY}']")).not_to_have_class(
        re.compile(r"\bis-done\b"))

    # It travels with the progress file.
    page.goto(site + "index.html")
    expect(page.locator("[data-progress-home]")).to_contain_text("0 of 2 chapters completed")
    with page.expect_download() as info:
        page.locator(".export-progress").click()
    exported = tmp_path / "progress.json"
    info.value.save_as(exported)
    data = json.loads(exported.read_text(encoding="utf-8"))
    assert data["chapters"][BASICS_KEY]["solutions"] == [EXERCISE_KEY]

    fresh = new_context().new_page()
    fresh.goto(site + "index.html")
    fresh.locator("input.import-progress").set_input_files(exported)
    expect(fresh.locator(".progress-status")).to_contain_text("Progress imported")
    assert _stored(fresh)["chapters"][BASICS_KEY]["solutions"] == [EXERCISE_KEY]
    fresh.goto(site + BASICS)
    expect(fresh.locator("#ex-step .solution-seen")).to_have_text("Viewed")


def test_older_or_hostile_stored_solutions_are_cleaned(new_context: Any, site: str) -> None:
    page = _open_page(new_context, site + BASICS, viewport=WIDE)
    older = {"version": 1, "chapters": {BASICS_KEY: {"done": True, "questions": {},
                                                     "clear": None}}}
    page.evaluate("v => localStorage.setItem('gradsite:progress:' + "
                  f"{COURSE_KEY_OF}, v)", json.dumps(older))
    page.reload()
    expect(page.locator(".chapter-status")).to_have_text(re.compile("Chapter completed"))
    expect(page.locator(".solution-seen")).to_have_count(0)
    hostile = {"version": 1, "chapters": {BASICS_KEY: {"solutions": [
        '<img src=x onerror="window.hacked=1">', {"x": 1}, 5, SECOND_EXERCISE_KEY]}}}
    page.evaluate("v => localStorage.setItem('gradsite:progress:' + "
                  f"{COURSE_KEY_OF}, v)", json.dumps(hostile))
    page.reload()
    expect(page.locator(f"[data-exercise='{SECOND_EXERCISE_KEY}'] .solution-seen")).to_have_count(1)
    expect(page.locator("#ex-step .solution-seen")).to_have_count(0)
    page.locator("#ex-step details.exercise-solution summary").click()
    expect(page.locator("#ex-step .solution-seen")).to_have_count(1)
    assert _stored(page)["chapters"][BASICS_KEY]["solutions"] == [SECOND_EXERCISE_KEY,
                                                                  EXERCISE_KEY]
    assert page.evaluate("window.hacked === undefined")


# --- theorem-like blocks -----------------------------------------------------------------

FAMILIES = {
    "definition": ("definition",), "theorem": ("theorem", "lemma", "proposition", "corollary"),
    "example": ("example",), "remark": ("remark",), "exercise": ("exercise",), "proof": ("proof",),
}


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_each_kind_of_block_looks_its_own_and_names_its_kind(new_context: Any, site: str,
                                                             scheme: str) -> None:
    page = _open_page(new_context, site + BASICS, viewport=WIDE, color_scheme=scheme)
    looks = {}
    for family, kinds in FAMILIES.items():
        seen = set()
        for kind in kinds:
            block = page.locator(f".theorem.theorem-{kind}").first
            head = block.locator(".theorem-head")
            expect(head).to_contain_text(kind.capitalize())
            seen.add(block.evaluate(
                "b => { const s = getComputedStyle(b); return [s.borderLeftColor,"
                " s.borderLeftStyle, s.borderLeftWidth, s.backgroundColor, s.borderTopWidth,"
                " getComputedStyle(b.querySelector('.theorem-head')).color].join(' ')}"))
        assert len(seen) == 1, (family, seen)  # one look per family
        looks[family] = seen.pop()
    assert len(set(looks.values())) == len(FAMILIES), looks
    qed = page.locator(".theorem-proof .qed")
    expect(qed.locator("[aria-hidden='true']")).to_have_text("\u220e")
    expect(qed.locator(".visually-hidden")).to_have_text("End of proof")
    expect(qed.locator(".visually-hidden")).to_have_css("position", "absolute")


# --- accessibility and print -------------------------------------------------------


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE_JS.is_file():
        pytest.fail(f"axe-core is missing ({AXE_JS}): {NPM_HINT}", pytrace=False)
    return AXE_JS.read_text(encoding="utf-8")


def test_axe_finds_nothing_serious_in_light_and_dark(new_context: Any, site: str,
                                                     axe_source: str) -> None:
    page = _open_page(new_context, site + BASICS, viewport=WIDE)
    for box in page.locator("details.exercise-hint, details.exercise-solution").all():
        box.locator("summary").click()
    link = _link(page, "thm-descent")
    link.focus()
    expect(page.get_by_role("tooltip")).to_be_visible()
    page.add_script_tag(content=axe_source)
    problems = []
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        for where in (BASICS, "tooltip shown"):
            if where == BASICS:
                page.keyboard.press("Escape")
            else:
                link.blur()
                link.focus()
                expect(page.get_by_role("tooltip")).to_be_visible()
            result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
            problems += [f"{scheme}, {where}: {v['id']} ({v['impact']}) "
                         f"{[n['target'] for n in v['nodes'][:5]]}"
                         for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert not problems, "\n".join(problems)


def test_print_leaves_out_hints_solutions_and_controls(new_context: Any, site: str) -> None:
    page = _open_page(new_context, site + BASICS, viewport=WIDE)
    solution = page.locator("#ex-step details.exercise-solution")
    solution.locator("summary").click()  # open, and marked "Viewed"
    _link(page, "eq-long").focus()
    page.emulate_media(media="print")
    for selector in ("details.exercise-hint", "details.exercise-solution", POPUP,
                     ".site-header", ".site-nav", ".chapter-end"):
        for element in page.locator(selector).all():
            expect(element).to_be_hidden()
    expect(page.locator("#ex-step .theorem-head")).to_be_visible()
    for selector in (".equation", ".figure", ".theorem-theorem"):
        for element in page.locator(selector).all():
            expect(element).to_have_css("break-inside", "avoid")
