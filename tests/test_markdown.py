"""Markdown features of a chapter body (string in, HTML out)."""

from __future__ import annotations

from tests.coursekit import has_class, parse_page, render_body, render_ok


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
