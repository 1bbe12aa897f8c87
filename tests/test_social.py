"""Open Graph and Twitter card metadata on every page, and course.yml's ``image``.

Every page names its title, its description as plain text (a chapter's summary,
else the course's description), its type and the course; with a ``base_url`` its
address, and with an ``image`` too the image's address and a large card. The
image must be an image of a type link previews show, inside the content folder;
without a ``base_url`` it is a warning and no page names it.
"""

from __future__ import annotations

from pathlib import Path

from gradsite.diagnostics import Diagnostic
from gradsite.pipeline import BuildOptions, build
from tests.coursekit import (
    build_problems,
    chapter,
    load_problems,
    make_course,
    only,
    parse_page,
    where,
)
from tests.test_print import PNG

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01"  # the start is all the check reads
TITLE = 'Slopes & "quotes" <of> $x^2$'
COURSE: dict[str, str | bytes | None] = {
    "course.yml": ("title: Ada's <Course> & more\n"
                   "description: 'A *course* on $\\nabla f$ and [links](https://example.com).'\n"),
    "01-calculus/01-slopes.md": chapter(f"'{TITLE}'", summary='Rates of "change" & <b>$f\'$</b>.'),
    "01-calculus/02-bare.md": chapter("Bare", "No summary.\n"),
}


def _build(tmp_path: Path, files: dict[str, str | bytes | None]) -> tuple[Path, list[Diagnostic]]:
    out = tmp_path / "site"
    result = build(BuildOptions(content=make_course(tmp_path, files), out=out,
                                cache_dir=tmp_path / "cache", quiet=True))
    # Those of course.yml: a chapter without questions has its own.
    return out, [w for w in result.warnings if w.location.path.endswith("course.yml")]


def meta(page: str) -> dict[str, str]:
    """The page's Open Graph and Twitter tags (and its description), unescaped."""
    found = {}
    for tag, attrs in parse_page(page).tags:
        if tag == "meta":
            key = attrs.get("property") or attrs.get("name", "")
            if key.startswith(("og:", "twitter:")) or key == "description":
                assert key not in found, f"{key} twice"
                found[key] = attrs["content"]
    return found


def _read(site: Path, page: str) -> str:
    return (site / page).read_text(encoding="utf-8")


def test_every_page_without_a_base_url(tmp_path: Path) -> None:
    site, warnings = _build(tmp_path, COURSE)
    assert warnings == []
    home = meta(_read(site, "index.html"))
    assert home == {
        "description": "A course on ∇f and links.",
        "og:type": "website",
        "og:title": "Ada's <Course> & more",
        "og:description": "A course on ∇f and links.",  # the Markdown's text, math linear
        "og:site_name": "Ada's <Course> & more",
        "twitter:card": "summary",
    }
    slopes = meta(_read(site, "calculus/slopes.html"))
    assert slopes == {
        "description": "Rates of \"change\" & <b>f\u2032</b>.",
        "og:type": "article",
        "og:title": 'Slopes & "quotes" <of> x^2',
        "og:description": "Rates of \"change\" & <b>f\u2032</b>.",
        "og:site_name": "Ada's <Course> & more",
        "twitter:card": "summary",
    }
    # A chapter without a summary is described by the course.
    assert meta(_read(site, "calculus/bare.html"))["og:description"] == "A course on ∇f and links."
    for page in ("review.html", "print.html", "404.html"):
        if (site / page).exists():
            tags = meta(_read(site, page))
            assert tags["og:type"] == "website" and tags["twitter:card"] == "summary", page
            assert "og:url" not in tags and "og:image" not in tags, page
    # Escaped as attribute values: nothing the author wrote breaks out of one.
    raw = _read(site, "calculus/slopes.html")
    assert 'content="Slopes &amp; &#34;quotes&#34; &lt;of&gt; x^2"' in raw


def test_with_a_base_url_and_an_image(tmp_path: Path) -> None:
    files = dict(COURSE)
    files["course.yml"] = ("title: Images\nbase_url: https://example.org/c\n"
                           "image: 01-calculus/share me.png\n")
    files["01-calculus/share me.png"] = PNG
    site, warnings = _build(tmp_path, files)
    assert warnings == []
    assert (site / "calculus/share me.png").read_bytes() == PNG  # copied where its folder goes
    for page, kind in (("index.html", "website"), ("calculus/slopes.html", "article"),
                       ("print.html", "website")):
        tags = meta(_read(site, page))
        assert tags["og:url"] == f"https://example.org/c/{page}"
        assert tags["og:image"] == "https://example.org/c/calculus/share%20me.png"
        assert tags["twitter:card"] == "summary_large_image"
        assert tags["og:type"] == kind
    # The error page is served at any address: it names none of its own.
    assert "og:url" not in meta(_read(site, "404.html"))


def test_an_image_a_chapter_links_to_is_written_once(tmp_path: Path) -> None:
    files = {
        "course.yml": "title: T\nbase_url: https://example.org/\nimage: art/cover.jpg\n",
        "art/cover.jpg": JPEG,
        "01-a/01-b.md": chapter("B", "![Cover](../art/cover.jpg)\n"),
    }
    site, _ = _build(tmp_path, files)
    assert (site / "files/art/cover.jpg").read_bytes() == JPEG
    assert meta(_read(site, "a/b.html"))["og:image"] == "https://example.org/files/art/cover.jpg"


def test_an_image_without_a_base_url_is_a_warning(tmp_path: Path) -> None:
    files = {"course.yml": "title: T\nimage: cover.png\n", "cover.png": PNG,
             "01-a/01-b.md": chapter()}
    site, warnings = _build(tmp_path, files)
    warning = only(warnings)
    assert where(warning) == "content/course.yml:2"
    assert "no base_url" in warning.message and "base_url" in warning.hint
    tags = meta(_read(site, "index.html"))
    assert "og:image" not in tags and tags["twitter:card"] == "summary"


BAD_IMAGES: list[tuple[str, dict[str, str | bytes], str, str]] = [
    ("missing.png", {}, "image: 'missing.png' does not exist", "content folder"),
    ("art", {"art/x.png": PNG}, "image: 'art' is a folder", ""),
    ("cover.svg", {"cover.svg": "<svg/>"}, "is an SVG, which link previews do not show", "PNG"),
    ("notes.txt", {"notes.txt": "hi"}, "is not a PNG, JPEG, GIF or WebP image", ""),
    ("fake.png", {"fake.png": JPEG}, "image: 'fake.png' is not a PNG file, as its name says", ""),
    ("../outside.png", {}, "image: '../outside.png' is outside the content folder", ""),
    ("https://example.org/x.png", {}, "is not a path in the content folder", "images/"),
    ("/etc/x.png", {}, "is not a path in the content folder", ""),
]


def test_a_bad_image_is_an_error_at_its_line(tmp_path: Path) -> None:
    for number, (value, extra, message, hint) in enumerate(BAD_IMAGES):
        folder = tmp_path / str(number)
        (folder / "outside.png").parent.mkdir(parents=True)
        (folder / "outside.png").write_bytes(PNG)
        files: dict[str, str | bytes | None] = {
            "course.yml": f"title: T\nbase_url: https://example.org/\nimage: '{value}'\n",
            "01-a/01-b.md": chapter(), **extra}
        problem = only(load_problems(make_course(folder, files)))
        assert problem.is_error and message in problem.message, (value, problem.format())
        assert hint in problem.hint, (value, problem.hint)
        assert problem.location.line == 3, value


def test_an_image_linked_from_outside_the_content_folder_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "secret.png").write_bytes(PNG)
    content = make_course(tmp_path, {
        "course.yml": "title: T\nbase_url: https://example.org/\nimage: cover.png\n",
        "01-a/01-b.md": chapter()})
    (content / "cover.png").symlink_to(tmp_path / "secret.png")
    problems = build_problems(content, tmp_path / "site")
    assert any("outside the content folder" in p.message for p in problems), problems
