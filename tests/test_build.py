"""Whole builds: pages, labels, navigation, relative links, assets, and the shipped course."""

from __future__ import annotations

import gc
import html as htmllib
import io
import posixpath
import re
import subprocess
import sys
import warnings
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from fontTools.ttLib import TTFont

import gradsite.assets
import gradsite.site
from gradsite.diagnostics import BuildFailed, Diagnostic, format_all
from gradsite.layout import DEFAULT_THEME
from gradsite.pipeline import BuildOptions, build
from gradsite.site import NavChapter, NavSection
from gradsite.templates import make_environment
from tests.coursekit import (
    build_problems,
    chapter,
    has_class,
    make_course,
    only,
    parse_page,
    stamped_apart,
    without_copy,
)

REPO = Path(__file__).resolve().parent.parent
SHIPPED_TITLES = [
    "Derivatives and Gradients",
    "Partial and Directional Derivatives",
    "The Gradient as Steepest Ascent",
    "The Gradient Descent Algorithm",
    "Learning Rates",
    "Convexity",
]

# Prefix numbers with gaps, a draft, and a section title from _section.yml.
COURSE = {
    "course.yml": "title: Gaps Course\nauthor: Ann\n",
    "01-start/_section.yml": "title: Getting Started\nsummary: First steps.\n",
    "01-start/03-first.md": chapter("First", "## Top\n\nText with $x$.\n", summary="One."),
    "01-start/07-second.md": chapter("Second", "See [the first](03-first.md#top).\n"),
    "03-drafty/01-draft.md": chapter("Draft section", draft=True),
    "05-more-things/02-wip.md": chapter("Work in progress", draft=True),
    "05-more-things/03-third.md": chapter("Third", "| a |\n|---|\n| 1 |\n"),
    "05-more-things/10-fourth.md": chapter("Fourth", "Fin.[^1]\n\n[^1]: Note.\n"),
}
PAGES = ["start/first.html", "start/second.html", "more-things/third.html",
         "more-things/fourth.html"]


def html_files(out: Path) -> list[Path]:
    return sorted(out.rglob("*.html"))


def tags(out: Path, rel: str) -> list[tuple[str, dict[str, str]]]:
    return parse_page((out / rel).read_text(encoding="utf-8")).tags


def text_of(out: Path, rel: str, css_class: str) -> list[str]:
    """Text of every element with ``css_class`` (elements without nested tags of that class)."""
    html = (out / rel).read_text(encoding="utf-8")
    found = re.findall(rf'<(\w+) class="[^"]*\b{css_class}\b[^"]*"[^>]*>(.*?)</\1>', html, re.S)
    return [htmllib.unescape(re.sub(r"<[^>]+>", "", inner)).strip() for _, inner in found]


def ids_of(path: Path) -> set[str]:
    return {a["id"] for _, a in parse_page(path.read_text(encoding="utf-8")).tags if "id" in a}


# --- labels and navigation -------------------------------------------------------


def test_labels_count_published_sections_and_chapters_by_position(
    site: Callable[..., Path],
) -> None:
    out = site(COURSE)
    labels = {page: text_of(out, page, "chapter-label")[0] for page in PAGES}
    assert labels == {
        "start/first.html": "Section 1. Chapter 1 · Getting Started",
        "start/second.html": "Section 1. Chapter 2 · Getting Started",
        "more-things/third.html": "Section 2. Chapter 1 · More Things",
        "more-things/fourth.html": "Section 2. Chapter 2 · More Things",
    }
    assert not (out / "more-things/wip.html").exists()
    assert not (out / "drafty").exists()
    home = (out / "index.html").read_text()
    assert "Work in progress" not in home and "Drafty" not in home


def test_chapter_page_has_its_title_summary_and_body(site: Callable[..., Path]) -> None:
    out = site(COURSE)
    html = (out / "start/first.html").read_text()
    assert "<h1>First</h1>" in html
    assert '<p class="chapter-lead">One.</p>' in html
    assert "<title>First · Gaps Course</title>" in html
    assert '<h2 id="top">Top' in html
    assert "<math" in html


def test_prev_and_next_follow_the_course_order(site: Callable[..., Path]) -> None:
    out = site(COURSE)
    chain = []
    for page in PAGES:
        links = {rel: a["href"] for tag, a in tags(out, page) if tag == "a"
                 for rel in [a.get("rel")] if rel in ("prev", "next")}
        chain.append(
            (
                posixpath.normpath(posixpath.join(posixpath.dirname(page), links["prev"]))
                if "prev" in links else None,
                posixpath.normpath(posixpath.join(posixpath.dirname(page), links["next"]))
                if "next" in links else None,
            )
        )
    assert chain == [
        (None, "start/second.html"),
        ("start/first.html", "more-things/third.html"),
        ("start/second.html", "more-things/fourth.html"),
        ("more-things/third.html", None),
    ]
    # The pager names the neighbour by its label and title.
    second = (out / "start/second.html").read_text()
    assert "Section 2. Chapter 1" in second and "Third" in second


def test_home_lists_sections_and_chapters_in_order(site: Callable[..., Path]) -> None:
    out = site(COURSE)
    html = (out / "index.html").read_text()
    assert html.index("Getting Started") < html.index("More Things")
    assert "First steps." in html
    home_links = [a["href"] for tag, a in tags(out, "index.html")
                  if tag == "a" and has_class(a, "home-chapter-link")]
    assert home_links == PAGES
    titles = text_of(out, "index.html", "home-chapter-link")
    assert titles == ["Section 1. Chapter 1: First", "Section 1. Chapter 2: Second",
                      "Section 2. Chapter 1: Third", "Section 2. Chapter 2: Fourth"]


def test_chapter_menu_marks_the_current_page(site: Callable[..., Path]) -> None:
    # Every page, since pages of one folder share one menu but for its mark.
    out = site(COURSE)
    for page in PAGES:
        current = [a["href"] for tag, a in tags(out, page)
                   if tag == "a" and a.get("aria-current") == "page"]
        assert current == [posixpath.basename(page)], page
        sections = [a for tag, a in tags(out, page) if tag == "li" and has_class(a, "is-current")]
        assert len(sections) == 1, page
    home = [a for tag, a in tags(out, "index.html") if a.get("aria-current") == "page"]
    assert home == []


def test_a_long_course_s_menu_lists_only_the_current_section(
    site: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Past FULL_MENU_CHAPTERS, each other section is one link to its first chapter.
    monkeypatch.setattr(gradsite.site, "FULL_MENU_CHAPTERS", 3)
    out = site(COURSE)
    for page, first in (("start/second.html", "../more-things/third.html"),
                        ("more-things/fourth.html", "../start/first.html")):
        nav = re.search(r'<nav class="site-nav".*?</nav>', (out / page).read_text(), re.S)
        assert nav is not None
        chapters = re.findall(r'<li class="menu-chapter"[^>]*>\s*<a href="([^"]+)"', nav.group(0))
        own = page.partition("/")[0]
        assert chapters == [p.rpartition("/")[2] for p in PAGES if p.startswith(own)], page
        collapsed = re.findall(r'<a class="menu-section-title" href="([^"]+)"', nav.group(0))
        assert collapsed == [first], page
    home_links = [a["href"] for tag, a in tags(out, "index.html")
                  if tag == "a" and has_class(a, "home-chapter-link")]
    assert home_links == PAGES  # the home lists every chapter still
    monkeypatch.setattr(gradsite.site, "FULL_MENU_CHAPTERS", 4)
    page = site(COURSE) / "start/first.html"
    assert page.read_text().count('class="menu-chapter"') == 4
    assert 'class="menu-section-title" href' not in page.read_text()


def test_the_menu_is_made_once_however_many_folders_see_it(
    site: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each folder sees the menu readdressed; its chapters' labels and titles are made
    # once for the course, not once per folder (sections x chapters, quadratic).
    made: list[str] = []
    real = gradsite.site.chapter_label

    def counting(*args: Any, **kwargs: Any) -> str:
        made.append("label")
        return real(*args, **kwargs)

    monkeypatch.setattr(gradsite.site, "chapter_label", counting)
    files = {f"{s:02d}-s{s}/01-c.md": chapter(f"Chapter {s}", "Text.\n") for s in range(1, 21)}
    out = site(files)
    assert (out / "s20/c.html").read_text().count('class="menu-chapter"') == 20
    # The menu's, each chapter page's own and its neighbours', the print page's (about
    # 5 a chapter): a menu made again per folder would be 20 a chapter more.
    assert len(made) <= 5 * 20


def test_menu_sections_are_rendered_once_each() -> None:
    # Every chapter page repeats the menu; its unchanged sections are rendered once.
    render = make_environment(DEFAULT_THEME).globals["menu_sections"]
    items = tuple(NavChapter(n, f"1.{n}", f"Section 1. Chapter {n}", f"T{n} <b>", "", f"c{n}.html",
                             f"k{n}", False) for n in (1, 2))
    plain = NavSection(1, "Section 1", "Basics & more", "", False, items)
    marked = replace(plain, is_current=True,
                     chapters=(items[0], replace(items[1], is_current=True)))
    other = replace(plain, number=2, label="Section 2", chapters=(), collapsed_url="s2.html")
    first, again = render((plain, other)), render((replace(plain), replace(other)))
    assert first == again and render.section.cache_info().misses == 2
    current = render((marked, other))
    assert "aria-current" not in first and "Basics &amp; more" in first and "T1 &lt;b&gt;" in first
    assert first.index("Section 1") < first.index('href="s2.html"')
    assert current.count('aria-current="page"') == 1 and 'href="c2.html" aria-current' in current
    assert render.section.cache_info().misses == 3


def test_a_build_collects_cycles_less_often_and_puts_the_collector_back(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import gradsite.pipeline

    during: list[tuple[int, int, int]] = []
    real = gradsite.pipeline.check_course

    def checking(*args: Any) -> Any:
        during.append(gc.get_threshold())
        return real(*args)

    monkeypatch.setattr(gradsite.pipeline, "check_course", checking)
    before = gc.get_threshold()
    content = make_course(tmp_path, {"01-a/01-b.md": chapter("B", "Text.\n")})
    build(BuildOptions(content=content, out=tmp_path / "_site", cache_dir=None, quiet=True))
    (content / "01-a/01-b.md").write_text("no front matter\n")
    with pytest.raises(BuildFailed):
        build(BuildOptions(content=content, out=tmp_path / "_site", cache_dir=None, quiet=True))
    assert len(during) == 2 and all(seen[2] > before[2] for seen in during)
    assert gc.get_threshold() == before


MATH_TITLES = {
    "01-calc/_section.yml": ("title: 'Calculus of $\\nabla f$'\n"
                             "summary: 'Why $\\sigma$ saturates.'\n"),
    "01-calc/01-grad.md": chapter("'The gradient $\\nabla f$'", "Text.\n",
                                  summary="How $f$ curves: $x^2$."),
    "01-calc/02-next.md": chapter("Plain * title", "Text.\n"),
}


def test_math_in_titles_and_summaries_is_set_as_math(site: Callable[..., Path]) -> None:
    out = site(MATH_TITLES)
    page = (out / "calc/grad.html").read_text()
    h1 = re.search(r"<h1>(.*?)</h1>", page, re.S).group(1)  # type: ignore[union-attr]
    assert h1.startswith("The gradient <math") and "$" not in h1
    assert "<title>The gradient ∇f · Test Course</title>" in page
    assert '<meta name="description" content="How f curves: x^2.">' in page
    lead = re.search(r'<p class="chapter-lead">(.*?)</p>', page, re.S).group(1)  # type: ignore[union-attr]
    assert "<math" in lead and "$" not in lead
    home = (out / "index.html").read_text()
    assert "Calculus of <math" in home and "Why <math" in home and "$" not in home
    assert "$" not in re.search(r'<nav class="site-nav".*?</nav>', page, re.S).group(0)  # type: ignore[union-attr]
    nxt = (out / "calc/next.html").read_text()
    assert "<h1>Plain * title</h1>" in nxt  # only math: no Markdown in titles
    assert re.search(r'class="pager-title">The gradient <math', nxt)


def test_math_in_titles_is_in_the_early_font_subset(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The font is subset early, while cells run; title math missing there made the
    # final scan of the pages subset it a second time.
    gradsite.assets._subset_once.cache_clear()  # kept in memory across builds
    subsets: list[int] = []
    subset = gradsite.assets.subset_math_font
    monkeypatch.setattr(gradsite.assets, "subset_math_font",
                        lambda chars: subsets.append(len(chars)) or subset(chars))
    # A cell to run: with none, there is nothing to hide an early subset behind.
    content = make_course(tmp_path, {**MATH_TITLES,
                                     "02-more/01-cell.md": chapter("Cell", CELL_BODY)})
    build(BuildOptions(content=content, out=tmp_path / "out", cache_dir=None, quiet=True))
    assert len(subsets) == 1


CELL_BODY = "Math $x^2$.\n\n```{python}\nprint(1)\n```\n"


def test_the_font_is_subset_early_only_while_cells_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    import gradsite.pipeline

    early: list[int] = []
    real = gradsite.pipeline.course_math_characters
    monkeypatch.setattr(gradsite.pipeline, "course_math_characters",
                        lambda *args: early.append(1) or real(*args))
    content = make_course(tmp_path, {"01-a/01-one.md": chapter("One", CELL_BODY)})
    site = tmp_path / "_site"
    options = BuildOptions(content=content, out=site, cache_dir=tmp_path / "cache", quiet=True)
    build(options)
    assert early == [1]
    one = content / "01-a/01-one.md"
    one.write_text(one.read_text().replace("Math", "New math $\\zeta$ and"))
    build(options)  # a prose edit: every cell's output is cached
    assert early == [1]
    fresh = tmp_path / "fresh"
    build(BuildOptions(content=content, out=fresh, cache_dir=None, quiet=True))
    font = next(p.relative_to(fresh) for p in fresh.rglob(gradsite.assets.MATH_FONT_FILE))
    assert (site / font).read_bytes() == (fresh / font).read_bytes()
    assert ord("\U0001d701") in TTFont(site / font).getBestCmap()  # the new math italic zeta


def test_invalid_latex_in_a_title_is_an_error_at_its_line(
    failing_build: Callable[..., list[Diagnostic]],
) -> None:
    problem = only(failing_build({"01-a/01-b.md": chapter("'Bad $\\frac{1}$'", "Text.\n")}))
    assert (problem.location.path.endswith("01-a/01-b.md"), problem.location.line) == (True, 2)
    assert problem.message.startswith("title: invalid LaTeX: ")


def test_math_in_the_course_title_is_set_as_math(site: Callable[..., Path]) -> None:
    out = site({**MATH_TITLES, "course.yml": "title: 'Descent on $\\nabla f$'\n"})
    home = (out / "index.html").read_text()
    assert "<title>Descent on ∇f</title>" in home
    assert re.search(r"<h1>Descent on <math", home)
    assert re.search(r'<span class="site-title">Descent on <math', home)
    assert "<title>The gradient ∇f · Descent on ∇f</title>" in (out / "calc/grad.html").read_text()


def test_invalid_latex_in_a_sections_summary_is_an_error_at_its_line(
    failing_build: Callable[..., list[Diagnostic]],
) -> None:
    problem = only(failing_build({
        "01-a/_section.yml": "title: A\nsummary: 'Bad $\\frac{1}$'\n",
        "01-a/01-b.md": chapter("B", "Text.\n")}))
    assert (problem.location.path.endswith("01-a/_section.yml"), problem.location.line) == (
        True, 2)
    assert problem.message.startswith("summary: invalid LaTeX: ")


def test_invalid_latex_in_the_course_title_is_an_error_at_its_line(
    failing_build: Callable[..., list[Diagnostic]],
) -> None:
    problem = only(failing_build({"course.yml": "author: A\ntitle: 'Bad $\\frac{1}$'\n",
                                  "01-a/01-b.md": chapter("B", "Text.\n")}))
    assert (problem.location.path.endswith("course.yml"), problem.location.line) == (True, 2)


# --- links in the built pages ----------------------------------------------------


def check_relative_links(out: Path, allowed_absolute: Callable[[str, str, dict], bool]) -> int:
    """Every href/src of every page is relative and its target exists; returns the count."""
    checked = 0
    for page in html_files(out):
        rel_page = page.relative_to(out).as_posix()
        for tag, attrs in parse_page(page.read_text(encoding="utf-8")).tags:
            for key in ("href", "src"):
                if key not in attrs:
                    continue
                url = attrs[key]
                parts = urlsplit(url)
                if parts.scheme == "data":  # loads nothing (the 404 page's icon)
                    continue
                # The 404 page is shown at any depth: without a base_url its links
                # start at the root of the domain, the site's root when it is served there.
                from_root = (rel_page == "404.html" and url.startswith("/")
                             and not url.startswith("//"))
                if (parts.scheme or parts.netloc or url.startswith("/")) and not from_root:
                    assert allowed_absolute(rel_page, url, attrs), f"{rel_page}: {tag} {url}"
                    continue
                target = (out if from_root else page.parent) / unquote(parts.path.lstrip("/"))
                if not parts.path:
                    target = page
                assert target.resolve().is_relative_to(out.resolve()), f"{rel_page}: {url}"
                assert target.is_file(), f"{rel_page}: {url} does not exist"
                if parts.fragment:
                    assert parts.fragment in ids_of(target), f"{rel_page}: {url}: no such id"
                checked += 1
    return checked


def test_every_link_is_relative_and_its_target_exists(site: Callable[..., Path]) -> None:
    out = site({**COURSE, "01-start/img/p.png": b"\x89PNG\r\n\x1a\nx",
                "01-start/03-first.md": chapter("First", "## Top\n\n![p](img/p.png)\n")})
    checked = check_relative_links(out, lambda page, url, attrs: False)
    assert checked > 50


def test_with_base_url_only_canonical_links_and_the_404_page_are_absolute(
    site: Callable[..., Path],
) -> None:
    base = "https://courses.example.org/gaps/"
    out = site({**COURSE, "course.yml": f"title: Gaps Course\nbase_url: {base}\n"})

    def allowed(page: str, url: str, attrs: dict) -> bool:
        # The 404 page is served at any depth, so its links are absolute by design.
        return url.startswith(base) and (attrs.get("rel") == "canonical" or page == "404.html")

    check_relative_links(out, allowed)
    for page in ["index.html", *PAGES]:
        canonical = [a["href"] for tag, a in tags(out, page)
                     if tag == "link" and a.get("rel") == "canonical"]
        assert canonical == [base + page]
    assert 'rel="canonical"' not in (out / "404.html").read_text()  # an error page


def test_sitemap_lists_home_and_chapters_only_with_base_url(site: Callable[..., Path]) -> None:
    out = site({**COURSE, "course.yml": "title: T\nbase_url: https://ex.org/c\n"})
    sitemap = (out / "sitemap.xml").read_text()
    locs = re.findall(r"<loc>(.*?)</loc>", sitemap)
    assert locs == ["https://ex.org/c/index.html"] + [f"https://ex.org/c/{p}" for p in PAGES]
    assert sitemap.startswith('<?xml version="1.0" encoding="UTF-8"?>')


def test_no_sitemap_and_no_absolute_url_without_base_url(site: Callable[..., Path]) -> None:
    out = site(COURSE)
    assert not (out / "sitemap.xml").exists()
    for page in html_files(out):
        html = page.read_text()
        assert 'rel="canonical"' not in html
        assert not re.search(r'(?:href|src)="(?:https?:)?//', html), page


def test_pages_load_nothing_from_other_hosts(site: Callable[..., Path]) -> None:
    out = site(COURSE)
    for page in html_files(out):
        for tag, attrs in parse_page(page.read_text()).tags:
            if tag in ("script", "img", "iframe", "source", "video", "audio", "embed") or (
                tag == "link" and attrs.get("rel") in ("stylesheet", "preload", "icon")
            ):
                url = attrs.get("src") or attrs.get("href") or ""
                assert not urlsplit(url).netloc, (page, url)
                assert urlsplit(url).scheme in ("", "data"), (page, url)
    for css in (out / "assets").rglob("*.css"):
        text = css.read_text()
        assert "@import" not in text
        for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", text):
            assert url.startswith("data:") or not urlsplit(url).scheme, (css, url)
            if not url.startswith("data:"):
                assert (css.parent / url).is_file(), (css, url)


def test_html_in_yaml_titles_is_escaped(site: Callable[..., Path]) -> None:
    evil = "<script>alert(1)</script>"
    out = site({
        "course.yml": f"title: '{evil} & Co'\nauthor: '<b>Ann</b>'\n",
        "01-start/_section.yml": f"title: '{evil}'\n",
        "01-start/01-x.md": chapter(f"'{evil}'", summary=f'{evil} said "hi"'),
    })
    for page in html_files(out):
        html = page.read_text()
        assert "<script>alert" not in html, page
        assert "<b>Ann</b>" not in html, page
    chapter_html = (out / "start/x.html").read_text()
    assert "<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>" in chapter_html
    assert ('<meta name="description" content="&lt;script&gt;alert(1)&lt;/script&gt; said '
            '&#34;hi&#34;">') in chapter_html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in (out / "index.html").read_text()


def test_course_description_is_markdown_with_math(site: Callable[..., Path]) -> None:
    out = site({**COURSE, "course.yml": "title: T\ndescription: 'The *gradient* $\\nabla f$.'\n"})
    html = (out / "index.html").read_text()
    assert "<em>gradient</em>" in html
    assert re.search(r"<math[^>]*>.*∇.*</math>", html)


def test_page_language_comes_from_course_yml(site: Callable[..., Path]) -> None:
    out = site({**COURSE, "course.yml": "title: T\nlanguage: de\n"})
    assert '<html lang="de"' in (out / "start/first.html").read_text()


# --- assets ----------------------------------------------------------------------


def test_theme_assets_and_math_font_are_written(site: Callable[..., Path]) -> None:
    out = site({"01-a/01-b.md": chapter("B", "The reals $\\mathbb{R}$ and $\\mathbf{x}$.\n")})
    for name in ("gradsite.css", "gradsite.js", "pygments.css", "math.css",
                 "fonts/stix-two-math.woff", "fonts/LICENSE-STIX.txt"):
        assert (out / "assets" / name).is_file(), name
    data = (out / "assets/fonts/stix-two-math.woff").read_bytes()
    assert data.startswith(b"wOFF")
    with TTFont(io.BytesIO(data)) as font:
        cmap = font.getBestCmap()
        assert "MATH" in font  # the OpenType MATH table survives subsetting
    for char in "ℝ𝐱x+∇":
        assert ord(char) in cmap, char
    assert "font-family" in (out / "assets/math.css").read_text()
    assert "Open Font License" in (out / "assets/fonts/LICENSE-STIX.txt").read_text()


def test_finding_the_math_font_raises_no_deprecation_warning() -> None:
    # Importing ziamath calls the deprecated importlib.resources.path(); with
    # warnings as errors (this test run) that failed every build. The font is
    # found without importing the package.
    code = "from gradsite.assets import math_font_path; assert math_font_path().is_file()"
    result = subprocess.run([sys.executable, "-W", "error::DeprecationWarning", "-c", code],
                            cwd=REPO, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr[-800:]


def test_the_math_font_file_is_closed_after_use() -> None:
    # font_notice() opens STIX Two Math with TTFont(lazy=True) and never closes it.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        gradsite.assets.font_notice()
        gc.collect()
    leaks = [w for w in caught if issubclass(w.category, ResourceWarning)]
    assert leaks == [], [str(w.message) for w in leaks]


# --- the shipped course ----------------------------------------------------------


@pytest.fixture(scope="module")
def shipped_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("shipped")
    out = work / "_site"
    try:
        build(BuildOptions(content=REPO / "content", out=out, cache_dir=work / "cache",
                           quiet=True))
    except BuildFailed as failed:
        pytest.fail("the shipped course does not build:\n" + format_all(failed.diagnostics))
    return out


def test_shipped_course_home_lists_the_six_chapters_in_order(shipped_site: Path) -> None:
    titles = [re.sub(r"^Section \d+\. Chapter \d+: ", "", t)
              for t in text_of(shipped_site, "index.html", "home-chapter-link")]
    assert titles == SHIPPED_TITLES
    check_relative_links(shipped_site, lambda page, url, attrs: False)


def test_shipped_course_first_chapter(shipped_site: Path) -> None:
    page = "mathematical-foundations/derivatives-and-gradients.html"
    html = (shipped_site / page).read_text()
    assert text_of(shipped_site, page, "chapter-label")[0].startswith("Section 1. Chapter 1")
    assert "<h1>Derivatives and Gradients</h1>" in html
    found = tags(shipped_site, page)
    assert any(tag == "div" and has_class(a, "admonition", "note") for tag, a in found)
    assert any(tag == "div" and has_class(a, "codeblock") and a.get("data-lang") == "python"
               for tag, a in found)
    assert any(tag == "span" and has_class(a, "linenos") for tag, a in found)
    assert '<math xmlns="http://www.w3.org/1998/Math/MathML" display="block">' in html
    assert "ℝ" in html  # \mathbb{R} as a styled letter
    # The chapter's Markdown copy (its <template>) holds LaTeX; the page shows none.
    shown = without_copy(html)
    assert "$" not in re.sub(r"<pre>.*?</pre>", "", shown, flags=re.S).replace("&#36;", "")


def test_shipped_course_has_a_valid_notebook_for_every_chapter(shipped_site: Path) -> None:
    import nbformat  # a test tool: only this test needs it

    notebooks = sorted(shipped_site.rglob("*.ipynb"))
    assert len(notebooks) == len(SHIPPED_TITLES)  # every shipped chapter has cells
    for path in notebooks:
        notebook = nbformat.read(path, as_version=4)
        nbformat.validate(notebook)
        assert notebook.metadata.title in SHIPPED_TITLES
        assert [c.cell_type for c in notebook.cells].count("code") >= 2
        page = path.with_suffix(".html").read_text(encoding="utf-8")
        assert f'class="notebook-download" href="{path.name}" download' in page


def test_shipped_course_ships_its_math_font(shipped_site: Path) -> None:
    font = shipped_site / "assets/fonts/stix-two-math.woff"
    assert font.read_bytes()[:4] == b"wOFF"
    assert 'url("fonts/stix-two-math.woff")' in (shipped_site / "assets/math.css").read_text()


def test_the_math_font_has_the_italic_letters_the_browser_draws_variables_with() -> None:
    # A one-letter <mi> is drawn as the math italic letter (MathML Core); without
    # it in the subset, every x and f fell back to another font.
    from gradsite.assets import math_characters

    chars = math_characters(['<math><mi>x</mi><mi>h</mi><mi>θ</mi><mi>sin</mi>'
                             '<mi mathvariant="normal">d</mi></math>'])
    assert {"\U0001d465", "\u210e", "\U0001d703"} <= chars  # italic x, h, theta
    assert "\U0001d451" not in chars  # d was upright, and "sin" is not one letter


def test_a_pages_math_characters_are_read_from_its_bytes_as_from_its_text(
        shipped_site: Path) -> None:
    # Pages are scanned as the writer gets them, encoded: the print page, the biggest,
    # is never one text.
    from gradsite.assets import math_characters

    for name in ("print.html", "gradient-descent/convexity.html"):
        page = (shipped_site / name).read_bytes()
        assert math_characters([page]) == math_characters([page.decode()])
        assert len(math_characters([page])) > len(math_characters([""])) + 20


def test_the_math_font_has_the_radical_sign_roots_are_drawn_with(shipped_site: Path) -> None:
    # msqrt and mroot draw U+221A (and its taller variants) from the math font, and
    # the text never holds it: without it, sqrt(40) read as "40".
    from gradsite.assets import math_characters

    assert "\u221a" in math_characters(["<math><msqrt><mn>2</mn></msqrt></math>"])
    assert "\u221a" in math_characters(["<math><mroot><mn>8</mn><mn>3</mn></mroot></math>"])
    assert "\u221a" not in math_characters(["<math><mn>2</mn></math>"])
    font = TTFont(shipped_site / "assets/fonts/stix-two-math.woff")
    radical = font.getBestCmap().get(0x221A)
    assert radical is not None
    assert radical in font["MATH"].table.MathVariants.VertGlyphCoverage.glyphs


def test_an_edited_template_shows_in_the_next_build(tmp_path: Path) -> None:
    # Compiled templates are cached (Jinja's bytecode cache in the cache folder),
    # keyed by their source, and so are pages' hashes, keyed by the theme's files:
    # an edit must never be served from the old compile, or the old page.
    import shutil

    from gradsite.layout import DEFAULT_THEME

    theme = tmp_path / "theme"
    shutil.copytree(DEFAULT_THEME, theme)
    content = tmp_path / "content"
    for name, text in COURSE.items():
        (content / name).parent.mkdir(parents=True, exist_ok=True)
        (content / name).write_text(text)
    options = BuildOptions(content=content, out=tmp_path / "_site", theme=theme,
                           cache_dir=tmp_path / "cache", quiet=True)
    build(options)
    stamped_apart(tmp_path / "_site")  # its pages linked on a rebuild, not made again
    assert list((tmp_path / "cache" / "jinja").iterdir())  # the compiled templates
    page = tmp_path / "_site" / "start" / "first.html"
    assert "edited-template-marker" not in page.read_text()
    template = theme / "base.html"
    template.write_text(template.read_text().replace(
        "</body>", "<!-- edited-template-marker --></body>", 1))
    build(options)
    assert "edited-template-marker" in page.read_text()


def test_a_rebuild_renders_only_the_pages_whose_context_changed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import gradsite.templates

    rendered: list[str] = []
    real = gradsite.templates.render_page

    def rendering(env: Any, page: Any) -> bytes:
        rendered.append(page.path)
        return real(env, page)

    monkeypatch.setattr(gradsite.templates, "render_page", rendering)
    content = make_course(tmp_path, {
        "01-a/01-one.md": chapter("One", "Plain $x^2$.\n"),
        "01-a/02-two.md": chapter("Two", "Also plain.\n"),
        "02-b/01-three.md": chapter("Three", "And $y$.\n"),
    })
    site, fresh = tmp_path / "_site", tmp_path / "fresh"
    options = BuildOptions(content=content, out=site, cache_dir=tmp_path / "cache", quiet=True)

    def rebuild() -> list[str]:
        rendered.clear()
        build(options)
        stamped_apart(site)  # else a coarse clock makes files look changed: made, not linked
        return sorted(rendered)

    def as_built_afresh() -> bool:
        build(BuildOptions(content=content, out=fresh, cache_dir=None, quiet=True))
        files = {p.relative_to(fresh) for p in fresh.rglob("*") if p.is_file()}
        return all((site / name).read_bytes() == (fresh / name).read_bytes() for name in files
                   if name.name != ".gradsite-site")

    everything = rebuild()
    assert {"index.html", "a/one.html", "b/three.html", "print.html", "404.html"} <= set(everything)
    assert rebuild() == ["print.html"]  # every chapter's: made every time
    two = content / "01-a/02-two.md"
    # New math on a page: the font subset comes from the kept pages' characters too.
    two.write_text(two.read_text().replace("Also plain.", "Now with $\\nabla \\zeta$."))
    assert rebuild() == ["a/two.html", "print.html"]
    assert as_built_afresh()
    # A title is in every page's menu.
    two.write_text(two.read_text().replace("title: Two", "title: Second"))
    assert rebuild() == everything
    assert as_built_afresh()
    # A page the previous site lacks is made again, from its kept context.
    (site / "a/one.html").unlink()
    assert rebuild() == ["a/one.html", "print.html"]
    assert as_built_afresh()


def test_a_mistake_in_the_course_description_comes_with_the_chapters_mistakes(
        tmp_path: Path) -> None:
    # It was found only after every cell had run, in a second round of errors.
    content = make_course(tmp_path, {
        "course.yml": "title: T\ndescription: 'Bad $\\frac{1}{$ math.'\n",
        "01-start/01-first.md": chapter("First", "Also bad: $\\sqrt{x$.\n"),
    })
    problems = build_problems(content, tmp_path / "_site")
    where = sorted(p.location.path for p in problems)
    assert where == ["content/01-start/01-first.md", "content/course.yml"]
