"""Markdown features of a chapter body (string in, HTML out)."""

from __future__ import annotations

import pytest

from gradsite.diagnostics import Location
from gradsite.markup.markdown import render_fragment
from tests.coursekit import has_class, only, parse_page, render_body, render_ok, where


def test_tables_are_wrapped_for_horizontal_scrolling() -> None:
    html = render_ok("| a | b |\n|---|---|\n| 1 | $x_1$ |\n")
    assert html.startswith('<div class="table-wrap"><table>')
    assert html.rstrip().endswith("</table></div>")
    assert "<td><math" in html


def test_footnotes() -> None:
    html = render_ok("A claim.[^1]\n\n[^1]: The source.\n")
    page = parse_page(html)
    assert any(tag == "div" and has_class(a, "footnote") for tag, a in page.tags)
    assert 'href="#fn:1"' in html
    assert "The source." in html
    assert "Back to the text of footnote 1" in html


def test_definition_lists() -> None:
    html = render_ok("Gradient\n:   The vector of partial derivatives.\n")
    assert "<dl>" in html
    assert "<dt>Gradient</dt>" in html
    assert "<dd>The vector of partial derivatives.</dd>" in html


def test_admonition_with_title() -> None:
    html = render_ok('!!! note "Remember"\n    The gradient points uphill.\n')
    page = parse_page(html)
    assert any(tag == "div" and has_class(a, "admonition", "note") for tag, a in page.tags)
    assert '<p class="admonition-title">Remember</p>' in html
    assert "<p>The gradient points uphill.</p>" in html


def test_admonition_body_keeps_math() -> None:
    html = render_ok('!!! warning\n    Watch $\\eta$ closely.\n')
    assert '<div class="admonition warning">' in html
    assert "<mi>η</mi>" in html


def test_attr_list_sets_a_custom_heading_id() -> None:
    html, toc, _ = render_body("## Learning rates {#custom-id}\n")
    assert '<h2 id="custom-id">Learning rates' in html
    assert [entry.id for entry in toc] == ["custom-id"]


def test_headings_get_permalinks() -> None:
    html = render_ok("## Step size\n")
    page = parse_page(html)
    links = [a for tag, a in page.tags if tag == "a" and has_class(a, "headerlink")]
    assert len(links) == 1
    assert links[0]["href"] == "#step-size"
    assert '<h2 id="step-size">' in html


def test_toc_lists_levels_two_and_three_only() -> None:
    _, toc, problems = render_body(
        "# Title\n\n## First\n\n### Detail\n\n#### Too deep\n\n## Second\n"
    )
    assert problems == []
    assert [(e.level, e.id, e.title_html) for e in toc] == [
        (2, "first", "First"),
        (3, "detail", "Detail"),
        (2, "second", "Second"),
    ]


def test_duplicate_headings_get_distinct_ids() -> None:
    _, toc, _ = render_body("## Example\n\n## Example\n")
    ids = [e.id for e in toc]
    assert len(set(ids)) == 2


def test_code_is_highlighted_with_line_numbers_and_language() -> None:
    html = render_ok("```python\nimport numpy as np\nx = np.zeros(3)\n```\n")
    page = parse_page(html)
    blocks = [a for tag, a in page.tags if tag == "div" and has_class(a, "codeblock")]
    assert [b.get("data-lang") for b in blocks] == ["python"]
    linenos = [a for tag, a in page.tags if tag == "span" and has_class(a, "linenos")]
    assert len(linenos) == 2
    assert '<span class="kn">import</span>' in html
    assert "<p>" not in html  # the block is not inside a paragraph


def test_raw_html_passes_and_markdown_in_html_works() -> None:
    html = render_ok('<div class="aside" markdown="1">\nSome *emphasis*.\n</div>\n')
    assert '<div class="aside">' in html
    assert "<em>emphasis</em>" in html


def test_emphasis_and_lists_still_work_around_math() -> None:
    html = render_ok("- *one* with $a$\n- **two** with $b_2$\n")
    assert "<ul>" in html
    assert "<em>one</em>" in html and "<strong>two</strong>" in html
    assert html.count("<math") == 2


def test_each_chapter_gets_a_fresh_markdown_state() -> None:
    # Footnote numbering and heading ids must not leak between renders.
    first = render_ok("## Intro\n\nA[^n]\n\n[^n]: note\n")
    second = render_ok("## Intro\n\nA[^n]\n\n[^n]: note\n")
    assert first == second
    assert 'id="intro"' in second


# --- link schemes: only relative URLs, #fragments, http:, https: and mailto: ----------


REFUSED_TARGETS = [
    ("javascript:alert%28document.cookie%29", "javascript"),
    ("jav&#x09;ascript:alert(1)", "javascript"),  # a character reference in the scheme
    ("&#106;avascript:alert(1)", "javascript"),
    ("javascript&colon;alert(1)", "javascript"),
    (" JavaScript:alert(1)", "javascript"),
    ("<java script:alert(1)>", "javascript"),
    ("vbscript:msgbox(1)", "vbscript"),
    ("data:text/html;base64,PHNjcmlwdD4=", "data"),
]


@pytest.mark.parametrize(("target", "scheme"), REFUSED_TARGETS)
def test_a_script_link_in_a_yaml_text_is_an_error_at_its_line(target: str, scheme: str) -> None:
    html, problems = render_fragment(f"Click [here]({target}) now.", Location("ch.md", 7))
    problem = only(problems)
    assert where(problem) == "ch.md:7"
    assert f"uses the '{scheme}:' scheme, which a link may not use" in problem.message
    assert "http:, https: or mailto:" in problem.hint
    assert html == ""


def test_a_script_image_or_reference_in_a_yaml_text_is_an_error() -> None:
    text = "A picture:\n\n![x](javascript:alert(1))\n\n[y][r]\n\n[r]: VBScript:msgbox(1)\n"
    problems = render_fragment(text, Location("q.yml", 10))[1]
    assert [(where(p), p.message.split("'")[3]) for p in problems] == [
        ("q.yml:12", "javascript:"), ("q.yml:16", "vbscript:")]


def test_a_script_link_the_scan_misses_is_still_an_error_in_a_yaml_text() -> None:
    # The reference's target on the next line: the tree processor is the safety net.
    html, problems = render_fragment("See [x][r].\n\n[r]:\n    javascript:alert(1)\n",
                                     Location("q.yml", 3))
    assert html == ""
    assert "'javascript:' scheme" in only(problems).message


def test_safe_links_in_a_yaml_text_pass() -> None:
    text = ("[a](https://a.org/x?y=1&z=2) [b](http://b.org) [c](mailto:c@d.org) [d](#top) "
            "[e](other.html) [f](img/a:b.png) <https://auto.org> <me@example.org>")
    html, problems = render_fragment(text, Location("q.yml", 1))
    assert problems == []
    page = parse_page(html)
    hrefs = [a["href"] for tag, a in page.tags if tag == "a"]
    assert hrefs[:6] == ["https://a.org/x?y=1&z=2", "http://b.org", "mailto:c@d.org", "#top",
                         "other.html", "img/a:b.png"]
    assert hrefs[6] == "https://auto.org"
    assert hrefs[7].startswith("mailto:")


def test_a_script_link_in_the_body_is_an_error_at_its_line() -> None:
    _, _, problems = render_body("Text.\n\nSee [x](jav&#x09;ascript:alert(1)).\n", first_line=5)
    problem = only(problems)
    assert where(problem) == "ch.md:7"
    assert "'javascript:' scheme" in problem.message


def test_raw_html_in_the_body_is_the_authors_own() -> None:
    html = render_ok('<a href="javascript:void(0)" onclick="go()">Go</a>\n')
    assert 'href="javascript:void(0)"' in html


def test_a_script_href_from_an_attribute_list_is_made_inert() -> None:
    # The scan sees https://ok.org and a.png; the attribute lists replace them.
    html = render_ok('[y](https://ok.org){href="javascript:alert(2)"} '
                     'and ![i](a.png){src="data:x"}\n')
    assert "javascript" not in html and "data:" not in html
    assert "<a>y</a>" in html


def test_a_table_header_that_is_only_a_formula_is_named_by_it() -> None:
    # MathML gives no accessible name: axe's empty-table-header, and a silent header.
    html = render_ok("| $D_u f$ | Direction $u$ |\n|---|---|\n| 1 | 2 |\n")
    assert '<th aria-label="D_u f"><math' in html
    assert "<th>Direction <math" in html  # it has text of its own
