"""The 404 page in Chromium, as a static host shows it: for any missing address, at
depth 0, 1 and 3. It looks like the rest of the site (the computed styles of its body,
header and footer are the home page's, light and dark), its inline style passes its
own Content-Security-Policy, axe finds no serious violation, and its link home works:
from the root of the domain without a base_url, absolute with one (under a sub-path,
as on GitHub Pages)."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import LOCAL_HOST
from tests.browser.shipped import AXE_JS, NPM_HINT
from tests.coursekit import build_site, chapter, make_course

LOAD_FIGURES = False
MISSING = ["missing.html", "section/missing.html", "a/b/c/missing.html"]  # depth 0, 1, 3
SCHEMES = ["light", "dark"]
FILES: dict[str, str | bytes | None] = {
    "01-basics/01-first.md": chapter("First", "Some text.\n"),
    "01-basics/02-second.md": chapter("Second", "More text.\n"),
}
# What makes a page look like the site: its chrome's computed styles.
LOOK = """() => {
    const pick = (selector, names) => {
        const style = getComputedStyle(document.querySelector(selector));
        return Object.fromEntries(names.map(n => [selector + " " + n, style.getPropertyValue(n)]));
    };
    return {
        ...pick("body", ["font-family", "font-size", "line-height", "color", "background-color",
                         "margin-top"]),
        ...pick(".site-header", ["display", "background-color", "border-bottom-color",
                                 "border-bottom-width", "height", "padding-left"]),
        ...pick(".site-title", ["font-family", "font-size", "font-weight", "color"]),
        ...pick(".site-logo", ["color", "font-size"]),
        ...pick(".site-footer", ["color", "font-size", "border-top-width", "padding-top"]),
    };
}"""


class _NotFoundHandler(http.server.SimpleHTTPRequestHandler):
    """A static host: files as they are, and for a missing one the site's 404.html
    with status 404 (the site is at ``site_path`` of the server)."""

    site_path = "/"

    def send_error(self, code: int, message: str | None = None,
                   explain: str | None = None) -> None:
        page = Path(self.directory) / self.site_path.strip("/") / "404.html"
        if code != 404 or not self.path.startswith(self.site_path) or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the API's name
        pass


@contextmanager
def static_host(directory: Path, site_path: str = "/") -> Iterator[tuple[str, Any]]:
    """``directory`` served on 127.0.0.1 (a free port); yields the server's root URL and
    a function that sets where the site is (after the build, which needs the port)."""
    handler = type("Handler", (_NotFoundHandler,), {"site_path": site_path})
    httpd = http.server.ThreadingHTTPServer(
        (LOCAL_HOST, 0), functools.partial(handler, directory=str(directory)))
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{LOCAL_HOST}:{httpd.server_address[1]}/", httpd
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE_JS.is_file():
        pytest.fail(f"axe-core is missing ({AXE_JS}): {NPM_HINT}", pytrace=False)
    return AXE_JS.read_text(encoding="utf-8")


def csp_reports(page: Any) -> list[str]:
    """The page's console messages about its Content-Security-Policy, as they come."""
    found: list[str] = []
    page.on("console", lambda m: found.append(m.text)
            if "Content Security Policy" in m.text else None)
    return found


def serious_violations(page: Any, axe_source: str) -> list[str]:
    # Evaluated, not added as a <script>: the page's policy forbids inline scripts.
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(axe_source)
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes'][:5]]}"
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


def open_missing(page: Any, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 404, url
    assert page.locator("h1").text_content() == "Page not found"


def test_the_404_page_looks_like_the_site_at_any_depth(
    new_context: Any, tmp_path: Path, axe_source: str,
) -> None:
    site = build_site(make_course(tmp_path, FILES), tmp_path / "www")
    page = new_context().new_page()
    reports = csp_reports(page)
    with static_host(site) as (root, _):
        looks = {}
        for scheme in SCHEMES:
            page.emulate_media(color_scheme=scheme)
            page.goto(root + "index.html")
            looks[scheme] = page.evaluate(LOOK)
        assert looks["light"]["body background-color"] != looks["dark"]["body background-color"]
        for missing in MISSING:
            for scheme in SCHEMES:
                page.emulate_media(color_scheme=scheme)
                open_missing(page, root + missing)
                assert page.evaluate(LOOK) == looks[scheme], (missing, scheme)
                found = serious_violations(page, axe_source)
                assert not found, (missing, scheme, found)
            # Without a base_url the link home starts at the root of the domain: the
            # site's root here.
            page.locator(".not-found a.button").click()
            page.wait_for_url(root + "index.html")
            assert page.title() == "Test Course"
    assert reports == []


def test_with_a_base_url_the_404_page_links_home_and_runs_the_script(
    new_context: Any, tmp_path: Path, axe_source: str,
) -> None:
    """The site under /course/, as on GitHub Pages, built for its address there."""
    page = new_context().new_page()
    reports = csp_reports(page)
    with static_host(tmp_path / "www", "/course/") as (root, _):
        base = root + "course/"
        files = {**FILES, "course.yml": f"title: Test Course\nbase_url: {base}\n"}
        build_site(make_course(tmp_path, files), tmp_path / "www" / "course")
        page.goto(base + "index.html")
        home_look = page.evaluate(LOOK)
        for missing in MISSING:
            open_missing(page, base + missing)
            assert page.evaluate(LOOK) == home_look, missing
            assert not serious_violations(page, axe_source), missing
            # The site's script runs under the page's policy: it shows the search field.
            page.locator(".site-search").wait_for(state="visible")
            page.locator(".site-brand").click()
            page.wait_for_url(base + "index.html")
            page.go_back()
            page.locator(".not-found a.button").click()
            page.wait_for_url(base + "index.html")
            assert page.title() == "Test Course"
    assert reports == []
