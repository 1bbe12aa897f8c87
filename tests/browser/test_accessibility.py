"""axe-core on the home page, every chapter and the review page, in light and dark
colour schemes: no violation of impact "serious" or "critical". Also a page with
question variants and hints, and the review page listing questions.

axe-core comes from npm (package.json): run `npm ci` first.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.helpers import answer, expect, form
from tests.browser.shipped import AXE_JS, NPM_HINT, expected_course, plain
from tests.browser.variants_course import variants_expected, variants_site

# axe reads a figure's alt text, not its pixels: tiny stand-ins keep pages light.
LOAD_FIGURES = False
PAGES = ["index.html", *(ch.page for ch in expected_course().chapters), "review.html",
         "print.html"]
SCHEMES = ["light", "dark"]
BLOCKING = ("serious", "critical")


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE_JS.is_file():
        pytest.fail(f"axe-core is missing ({AXE_JS}): {NPM_HINT}", pytrace=False)
    return AXE_JS.read_text(encoding="utf-8")


def _violations(page: Any, axe_source: str) -> list[dict[str, Any]]:
    if not page.evaluate("typeof window.axe === 'object'"):
        page.add_script_tag(content=axe_source)
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [v for v in result["violations"] if v["impact"] in BLOCKING]


def _report(where: str, violations: list[dict[str, Any]]) -> str:
    lines = [f"{where}: {len(violations)} serious or critical accessibility violation(s)"]
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>")
        for node in v["nodes"][:8]:
            lines.append(f"    {' '.join(map(str, node['target']))}: "
                         f"{node.get('failureSummary', '').splitlines()[-1:]}")
    return "\n".join(lines)


def _check_both_schemes(page: Any, axe_source: str, where: str) -> None:
    """axe in light, then dark: the page follows prefers-color-scheme live."""
    reports = []
    for scheme in SCHEMES:
        page.emulate_media(color_scheme=scheme)
        found = _violations(page, axe_source)
        if found:
            reports.append(_report(f"{where} ({scheme})", found))
    assert not reports, "\n\n".join(reports)


@pytest.mark.parametrize("path", PAGES)
def test_no_serious_violations(page: Any, server: Any, axe_source: str, path: str) -> None:
    page.emulate_media(color_scheme=SCHEMES[0])
    page.goto(server.url(path))
    _check_both_schemes(page, axe_source, path)


def test_no_serious_violations_after_answering(page: Any, server: Any, axe_source: str) -> None:
    """Verdicts, feedback, explanations and the reveal button are checked too."""
    chapter = expected_course().with_questions()[0]
    page.goto(server.url(chapter.page))
    questions = list(chapter.questions)
    for question in questions[:-1]:
        answer(page, question, correct=True)
    last = questions[-1]
    answer(page, last, correct=False)
    expect(form(page, last).locator(".reveal-button")).to_be_visible()
    _check_both_schemes(page, axe_source, f"{chapter.page}, answered")


def test_heading_links_have_names_and_stay_out_of_the_headings(page: Any, server: Any) -> None:
    """A heading is named by its text, not "The gradient¶", and its link by where it
    goes, not "¶"."""
    chapter = expected_course().chapters[0]
    page.goto(server.url(chapter.page))
    body = page.locator(".chapter-body")
    assert "¶" not in body.aria_snapshot()
    links = body.locator("a.headerlink")
    assert links.count() > 3
    for link in links.all():
        heading = page.locator(link.get_attribute("href"))
        expect(heading).to_have_count(1)
        assert heading.evaluate("h => /^H[1-6]$/.test(h.tagName)")
        expect(heading.locator("a.headerlink")).to_have_count(0)  # the link is not inside
        text = " ".join(heading.inner_text().split())
        if not heading.locator("math").count():  # MathML gives no name (mathtext.py)
            expect(heading).to_have_accessible_name(text)
            expect(link).to_have_accessible_name(f"Link to section: {text}")
        expect(link).to_have_accessible_name(re.compile(r"^Link to section: \S"))
    # Still one Tab stop each, shown when focused.
    first = links.first
    first.focus()
    expect(first).to_be_focused()
    expect(first).to_have_css("opacity", "1")


def test_variants_hints_and_the_review_page(page: Any, serve_folder: Any, axe_source: str,
                                            tmp_path_factory: pytest.TempPathFactory) -> None:
    """A question's second variant shown, its hints open, answered wrongly; then the
    review page listing it as answered wrongly and the others as not tried."""
    site = variants_site(tmp_path_factory.getbasetemp())
    slopes = variants_expected(site).chapters[0]
    slope = slopes.questions[0]
    with serve_folder(site) as base:
        page.goto(base + slopes.page)
        page.locator(slope.form).get_by_role("button", name="Try another").click()
        shown = page.locator(slope.variant_form(1))
        expect(shown).to_be_visible()
        for name in ("Show a hint (1 of 2)", "Show a hint (2 of 2)"):
            shown.get_by_text(name).click()
        shown.locator(".numeric-input").fill(plain(slope.answers[1] + 100))
        shown.locator(".check-button").click()
        expect(shown.locator(".verdict")).to_have_text(re.compile(r"^\s*Incorrect"))
        _check_both_schemes(page, axe_source, f"{slopes.page}, variant 2 with hints")
        page.goto(base + "review.html")
        expect(page.locator(".review-question.is-wrong")).to_have_count(1)
        expect(page.locator(".review-question.is-untried")).to_have_count(2)
        _check_both_schemes(page, axe_source, "review.html, listing questions")
