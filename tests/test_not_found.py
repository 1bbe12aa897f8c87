"""The 404 page carries its own styles and links no asset by a relative address: a host
shows it at any depth of the site. Its Content-Security-Policy allows that inline style
by its hash and nothing else inline."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import pytest

from gradsite.assets import standalone_css
from gradsite.layout import DEFAULT_THEME
from tests.coursekit import build_site, chapter, make_course, parse_page

FILES: dict[str, str | bytes | None] = {
    "course.yml": "title: Lost $x$ Course\n",
    "01-a/01-b.md": chapter("B", "Text.\n"),
}


def built(tmp_path: Path, base_url: str = "") -> Path:
    files = dict(FILES)
    if base_url:
        files["course.yml"] = f"title: Lost $x$ Course\nbase_url: {base_url}\n"
    return build_site(make_course(tmp_path, files), tmp_path / "_site")


def head_of(html: str) -> tuple[str, str, list[tuple[str, dict[str, str]]]]:
    """The page's inline style, its CSP and its tags."""
    style = re.search(r"<style>(.*?)</style>", html, re.DOTALL)
    policy = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', html)
    assert style and policy, "no inline style or no policy"
    return style.group(1), policy.group(1).replace("&#39;", "'"), parse_page(html).tags


@pytest.mark.parametrize("base_url", ["", "https://courses.example.org/lost/"])
def test_the_404_page_carries_its_styles_allowed_by_their_hash(
    tmp_path: Path, base_url: str
) -> None:
    out = built(tmp_path, base_url)
    html = (out / "404.html").read_text(encoding="utf-8")
    style, policy, tags = head_of(html)
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    assert f"style-src 'sha256-{digest}';" in policy
    assert "unsafe-inline" not in policy and "default-src 'none'" in policy
    # The whole look of the site: the theme's sheet and the math rules.
    theme_css = (DEFAULT_THEME / "assets/gradsite.css").read_text(encoding="utf-8")
    assert ".site-header" in style and ".not-found" in style
    assert len(style) > len(theme_css)
    assert "</style" not in style.lower()
    # No asset by a relative address, no stylesheet link, no style attribute.
    for tag, attrs in tags:
        assert "style" not in attrs, tag
        assert not (tag == "link" and attrs.get("rel") == "stylesheet"), attrs
        url = attrs.get("href") or attrs.get("src")
        if url is not None and tag in ("a", "link", "script"):
            assert url.startswith(("data:", "#", base_url or "/")), (tag, url)
    scripts = [a["src"] for t, a in tags if t == "script" and "src" in a]
    icons = [a["href"] for t, a in tags if t == "link" and a.get("rel") == "icon"]
    assert icons and icons[0].startswith("data:image/svg+xml,")
    homes = [a["href"] for t, a in tags if t == "a" and "button" in a.get("class", "")]
    if base_url:
        assert scripts == [base_url + "assets/gradsite.js"]
        assert homes == [base_url + "index.html"]
        assert f"{base_url}assets/fonts/stix-two-math.woff" in style
    else:
        # Where the site starts is unknowable: no script (another site's, maybe, at
        # "/assets/"), links from the root of the domain, the system's math font.
        assert scripts == []
        assert homes == ["/index.html"]
        assert "@font-face" not in style


def test_other_pages_link_the_stylesheets(tmp_path: Path) -> None:
    out = built(tmp_path)
    for page in ("index.html", "a/b.html", "print.html"):
        html = (out / page).read_text(encoding="utf-8")
        assert "<style" not in html and "Content-Security-Policy" not in html
        assert 'rel="stylesheet"' in html and "gradsite.js" in html


def test_the_inline_css_addresses_a_themes_files_from_the_base_url(tmp_path: Path) -> None:
    theme = tmp_path / "assets"
    theme.mkdir()
    (theme / "gradsite.css").write_text(
        'body { background: url(img/bg.png) } a { mask: url("data:image/svg+xml,<svg></svg>") }\n'
        ".x { background: url('https://other.example/a.png') }\n")
    css = standalone_css(theme, "https://ex.org/c/")
    assert "url(https://ex.org/c/assets/img/bg.png)" in css
    # Left as they are, but for "</", which CSS reads the same as "<\/" and which
    # could end the <style> element.
    assert 'url("data:image/svg+xml,<svg><\\/svg>")' in css
    assert "url('https://other.example/a.png')" in css
    assert "url(img/bg.png)" in standalone_css(theme, "")
