"""Links between chapters and to assets: rewritten, checked and copied (spec section 8)."""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from pathlib import Path

from tests.coursekit import chapter, parse_page, where

PNG = b"\x89PNG\r\n\x1a\n" + b"fake image data"
A = "01-basics/01-intro.md"
A_PAGE = "basics/intro.html"


def links_of(html: str) -> list[str]:
    """Every href and src in the chapter body (the <article>), in order."""
    start, end = html.index("<article"), html.index("</article>")
    page = parse_page(html[start:end])
    return [v for _, attrs in page.tags for k, v in attrs.items() if k in ("href", "src")]


def test_link_to_another_chapter_becomes_its_page(site: Callable[..., Path]) -> None:
    out = site({A: chapter("Intro", "See [the next one](02-next.md).\n"),
                "01-basics/02-next.md": chapter("Next")})
    html = (out / A_PAGE).read_text()
    assert 'href="next.html"' in html
    assert "02-next.md" not in html


def test_link_across_sections_with_an_anchor(site: Callable[..., Path]) -> None:
    out = site({A: chapter("Intro", "See [descent](../02-descent/01-steps.md#step-size).\n"),
                "02-descent/01-steps.md": chapter("Steps", "## Step size\n")})
    html = (out / A_PAGE).read_text()
    assert "../descent/steps.html#step-size" in links_of(html)
    target = (out / "descent/steps.html").read_text()
    assert 'id="step-size"' in target


def test_reference_style_and_raw_html_chapter_links_are_rewritten(
    site: Callable[..., Path],
) -> None:
    body = "See [next][n] and <a href=\"02-next.md\">this</a>.\n\n[n]: 02-next.md\n"
    out = site({A: chapter("Intro", body), "01-basics/02-next.md": chapter("Next")})
    body_links = links_of((out / A_PAGE).read_text())
    assert body_links.count("next.html") == 2
    assert "02-next.md" not in body_links


def test_link_to_a_missing_chapter_is_an_error_with_its_line(
    failing_build: Callable[..., list],
) -> None:
    problems = failing_build({A: chapter("Intro", "Text.\n\nSee [x](02-missing.md).\n")})
    assert [where(p) for p in problems] == ["content/01-basics/01-intro.md:6"]
    assert "does not exist" in problems[0].message


def test_link_to_a_draft_chapter_is_an_error(failing_build: Callable[..., list]) -> None:
    problems = failing_build({A: chapter("Intro", "See [wip](02-wip.md).\n"),
                              "01-basics/02-wip.md": chapter("WIP", draft=True)})
    assert [where(p) for p in problems] == ["content/01-basics/01-intro.md:4"]
    assert "draft" in problems[0].message


def test_link_to_a_draft_is_fine_when_drafts_are_built(site: Callable[..., Path]) -> None:
    out = site({A: chapter("Intro", "See [wip](02-wip.md).\n"),
                "01-basics/02-wip.md": chapter("WIP", draft=True)}, include_drafts=True)
    assert 'href="wip.html"' in (out / A_PAGE).read_text()


def test_absolute_path_is_an_error(failing_build: Callable[..., list]) -> None:
    problems = failing_build({A: chapter("Intro", "![logo](/x.png)\n")})
    assert [where(p) for p in problems] == ["content/01-basics/01-intro.md:4"]
    assert "absolute path" in problems[0].message
    assert "relative" in problems[0].hint


def test_link_escaping_the_content_folder_is_an_error(
    tmp_path: Path, failing_build: Callable[..., list]
) -> None:
    (tmp_path / "outside.png").write_bytes(PNG)  # exists, but is not part of the course
    problems = failing_build({A: chapter("Intro", "Text.\n![x](../../outside.png)\n")})
    assert [where(p) for p in problems] == ["content/01-basics/01-intro.md:5"]
    assert "outside the content folder" in problems[0].message


def test_image_is_copied_into_the_section_folder_of_the_site(site: Callable[..., Path]) -> None:
    out = site({A: chapter("Intro", "![A contour plot](img/a.png)\n"),
                "01-basics/img/a.png": PNG})
    assert (out / "basics/img/a.png").read_bytes() == PNG
    html = (out / A_PAGE).read_text()
    srcs = [s for s in links_of(html) if s.endswith(".png")]
    assert srcs == ["img/a.png"]
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(A_PAGE), srcs[0]))
    assert (out / resolved).is_file()


def test_image_from_another_folder_gets_a_valid_relative_src(site: Callable[..., Path]) -> None:
    out = site({A: chapter("Intro", "![shared](../shared/logo.png) ![b](../02-more/b.png)\n"),
                "shared/logo.png": PNG,
                "02-more/b.png": PNG,
                "02-more/01-x.md": chapter("X")})
    srcs = [s for s in links_of((out / A_PAGE).read_text()) if s.endswith(".png")]
    assert len(srcs) == 2
    for src in srcs:
        resolved = posixpath.normpath(posixpath.join("basics", src))
        assert (out / resolved).read_bytes() == PNG, src
    assert (out / "more/b.png").is_file()


def test_missing_image_is_an_error_with_its_line(failing_build: Callable[..., list]) -> None:
    problems = failing_build({A: chapter("Intro", "Text.\n\n\n![gone](img/gone.png)\n")})
    assert [where(p) for p in problems] == ["content/01-basics/01-intro.md:7"]
    assert "no such file" in problems[0].message


def test_raw_html_image_is_rewritten_and_copied(site: Callable[..., Path]) -> None:
    out = site({A: chapter("Intro", '<img src="img/raw.png" alt="Raw">\n'),
                "01-basics/img/raw.png": PNG})
    assert (out / "basics/img/raw.png").read_bytes() == PNG
    assert "img/raw.png" in links_of((out / A_PAGE).read_text())


def test_linked_file_is_copied_too(site: Callable[..., Path]) -> None:
    out = site({A: chapter("Intro", "Get [the data](data/points.csv).\n"),
                "01-basics/data/points.csv": "x,y\n1,2\n"})
    assert (out / "basics/data/points.csv").read_text() == "x,y\n1,2\n"
    assert "data/points.csv" in links_of((out / A_PAGE).read_text())


def test_external_links_and_fragments_are_untouched(site: Callable[..., Path]) -> None:
    body = ("[site](https://example.org/a.md) [mail](mailto:a@b.org) [here](#top)\n"
            "![remote](https://example.org/remote.png)\n")
    out = site({A: chapter("Intro", body)})
    found = links_of((out / A_PAGE).read_text())
    for target in ("https://example.org/a.md", "mailto:a@b.org", "#top",
                   "https://example.org/remote.png"):
        assert target in found


def test_links_in_code_are_not_checked(site: Callable[..., Path]) -> None:
    out = site({A: chapter("Intro", "`[x](missing.md)`\n\n```\n![y](gone.png)\n```\n")})
    assert (out / A_PAGE).is_file()


def test_all_link_problems_are_reported_together(failing_build: Callable[..., list]) -> None:
    body = "[a](02-nope.md)\n\n![b](img/none.png)\n\n[c](/abs.html)\n"
    problems = failing_build({A: chapter("Intro", body)})
    assert sorted(p.location.line for p in problems) == [4, 6, 8]


# --- link schemes in YAML texts and the body (only relative, #, http:, https:, mailto:) ---


def test_script_links_in_question_texts_are_errors_at_their_lines(
    failing_build: Callable[..., list],
) -> None:
    front = (
        "---\n"
        "title: Intro\n"
        "quiz:\n"
        "  - question: 'Click [here](javascript:alert%28document.cookie%29)'\n"  # 4
        "    choices:\n"
        "      - text: '[a](jav&#x09;ascript:alert(1))'\n"                       # 6
        "        correct: true\n"
        "        feedback: '[f](data:text/html,x)'\n"                            # 8
        "      - '[b]( JavaScript:alert(1))'\n"                                  # 9
        "    explanation: |\n"
        "      Fine.\n"
        "\n"
        "      See [x](vbscript:msgbox)\n"                                       # 13
        "---\n"
        "Body.\n"
    )
    problems = failing_build({A: front})
    assert sorted((where(p), p.message.split("'")[3]) for p in problems) == [
        ("content/01-basics/01-intro.md:13", "vbscript:"),
        ("content/01-basics/01-intro.md:4", "javascript:"),
        ("content/01-basics/01-intro.md:6", "javascript:"),
        ("content/01-basics/01-intro.md:8", "data:"),
        ("content/01-basics/01-intro.md:9", "javascript:"),
    ]


def test_a_script_link_in_the_course_description_is_an_error(
    failing_build: Callable[..., list],
) -> None:
    problems = failing_build({"course.yml": "title: C\ndescription: 'See [x](javascript:go())'\n",
                              A: chapter("Intro")})
    assert [where(p) for p in problems] == ["content/course.yml:2"]
    assert "'javascript:' scheme" in problems[0].message


def test_a_script_link_in_a_cell_caption_is_an_error(failing_build: Callable[..., list]) -> None:
    body = "```{python}\n#| caption: 'See [x](javascript:go())'\nx = 1\n```\n"
    problems = failing_build({A: chapter("Intro", body)})
    assert [where(p) for p in problems] == ["content/01-basics/01-intro.md:5"]
    assert "'javascript:' scheme" in problems[0].message


def test_a_script_link_in_the_body_is_an_error_and_raw_html_is_not(
    failing_build: Callable[..., list],
) -> None:
    body = ('<a href="javascript:void(0)">raw</a>\n\n'
            "[x](javascript:alert(1)) ![y](DATA:image/svg+xml,z)\n\n[r]: vbscript:x\n")
    problems = failing_build({A: chapter("Intro", body)})
    assert sorted((where(p), p.message.split("'")[3]) for p in problems) == [
        ("content/01-basics/01-intro.md:6", "data:"),
        ("content/01-basics/01-intro.md:6", "javascript:"),
        ("content/01-basics/01-intro.md:8", "vbscript:"),
    ]


# --- destinations as Python-Markdown reads them ---------------------------------------------


def test_an_angle_bracket_destination_with_a_space_is_copied(site: Callable[..., Path]) -> None:
    out = site({A: chapter("Intro", "![s](<img/my pic.png>) [d](<data/my data.csv> \"t\")\n"),
                "01-basics/img/my pic.png": PNG,
                "01-basics/data/my data.csv": "x\n"})
    assert (out / "basics/img/my pic.png").read_bytes() == PNG
    assert (out / "basics/data/my data.csv").is_file()
    found = links_of((out / A_PAGE).read_text())
    assert "img/my%20pic.png" in found and "data/my%20data.csv" in found


def test_a_missing_angle_bracket_destination_is_an_error(
    failing_build: Callable[..., list],
) -> None:
    problems = failing_build({A: chapter("Intro", "Text.\n\n![s](<img/no pic.png>)\n")})
    assert [where(p) for p in problems] == ["content/01-basics/01-intro.md:6"]
    assert problems[0].message == "'img/no pic.png': no such file"


def test_balanced_parentheses_in_a_destination(site: Callable[..., Path]) -> None:
    out = site({A: chapter("Intro", "![p](img/a(1).png) and [q](data/b(2).csv).\n"),
                "01-basics/img/a(1).png": PNG,
                "01-basics/data/b(2).csv": "x\n"})
    assert (out / "basics/img/a(1).png").read_bytes() == PNG
    assert (out / "basics/data/b(2).csv").is_file()
    found = links_of((out / A_PAGE).read_text())
    assert "img/a%281%29.png" in found and "data/b%282%29.csv" in found


def test_link_text_over_two_lines_and_an_image_inside_a_link(
    failing_build: Callable[..., list],
) -> None:
    body = "[a long\nlink text](gone.csv)\n\n[![icon](img/gone.png)](02-nope.md)\n"
    problems = failing_build({A: chapter("Intro", body)})
    assert sorted((where(p), p.message) for p in problems) == [
        ("content/01-basics/01-intro.md:4", "'gone.csv': no such file"),
        ("content/01-basics/01-intro.md:7", "'02-nope.md' links to a chapter that does not exist"),
        ("content/01-basics/01-intro.md:7", "'img/gone.png': no such file"),
    ]


def test_escaped_brackets_and_paragraph_breaks_are_no_links(site: Callable[..., Path]) -> None:
    out = site({A: chapter("Intro", "Not [a link\\](gone.md). [Nor\n\nthis](gone.md).\n")})
    assert (out / A_PAGE).is_file()


def test_raw_video_sources_and_poster_are_copied(site: Callable[..., Path]) -> None:
    body = ("<video controls poster='img/poster.png'>\n"
            '  <source src="media/clip.webm" type="video/webm">\n</video>\n')
    out = site({A: chapter("Intro", body),
                "01-basics/img/poster.png": PNG,
                "01-basics/media/clip.webm": b"webm"})
    assert (out / "basics/img/poster.png").read_bytes() == PNG
    assert (out / "basics/media/clip.webm").read_bytes() == b"webm"


def test_an_asset_that_is_a_symbolic_link_loop_is_an_error_not_a_crash(
    tmp_path: Path, failing_build: Callable[..., list],
) -> None:
    (tmp_path / "content/01-basics/img").mkdir(parents=True)
    (tmp_path / "content/01-basics/img/loop.png").symlink_to("loop.png")
    problems = failing_build({A: chapter("Intro", "![x](img/loop.png)\n")})
    assert [where(p) for p in problems] == ["content/01-basics/01-intro.md:4"]
    assert problems[0].message == "'img/loop.png' cannot be resolved"
