"""``serve``'s reload channel in Chromium: a page the server served reloads after a
build, and a page of another origin (127.0.0.1 on another port) is refused the
build status, on the headers Chromium itself sends. The 404 page, under its own
Content-Security-Policy, reloads and shows a build's errors too."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from gradsite.serve import STATUS_PATH, _handler, _State
from tests.browser.conftest import LOCAL_HOST
from tests.coursekit import build_site, chapter, make_course


@contextmanager
def running(site: Path) -> Iterator[tuple[str, _State, list[tuple[str, int]]]]:
    """serve.py's request handler on 127.0.0.1 (a free port) over ``site``; its URL, its
    build status and the (path, status code) of every answer it gave."""
    state = _State()
    answered: list[tuple[str, int]] = []

    class Recording(_handler(site, state)):  # type: ignore[misc]
        def send_response(self, code: int, message: str | None = None) -> None:
            answered.append((self.path, code))
            super().send_response(code, message)

    httpd = http.server.ThreadingHTTPServer((LOCAL_HOST, 0), Recording)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{LOCAL_HOST}:{httpd.server_address[1]}/", state, answered
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)


@pytest.fixture
def dev_server(tmp_path: Path) -> Iterator[tuple[str, _State, list[tuple[str, int]]]]:
    """The handler over a one-page site."""
    site = tmp_path / "_site"
    site.mkdir()
    (site / "index.html").write_text(
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>T</title></head>'
        "<body><p>Home</p></body></html>")
    with running(site) as served:
        yield served


def test_a_served_page_reloads_and_another_origin_is_refused(
    dev_server: tuple[str, _State, list[tuple[str, int]]], page: Any,
    serve_folder: Callable[[Path], Any], tmp_path: Path,
) -> None:
    base, state, answered = dev_server
    with page.expect_response(lambda r: STATUS_PATH in r.url) as polled:
        page.goto(base)
    assert polled.value.status == 200
    page.evaluate("window.notReloaded = true")
    with page.expect_event("load", timeout=15_000):
        state.update(generation=1)  # what a successful build does
    assert page.evaluate("window.notReloaded") is None
    assert page.locator("p").text_content() == "Home"

    # A page of another origin: its fetch sends Origin; a script element of it
    # would send Sec-Fetch-Site: same-site. Both are refused.
    other = tmp_path / "other"
    other.mkdir()
    (other / "index.html").write_text("<!DOCTYPE html><title>Other</title><p>Other</p>")
    with serve_folder(other) as other_url:
        page.goto(other_url)
        outcome = page.evaluate(
            "url => fetch(url).then(r => 'read ' + r.status, e => 'failed: ' + e.name)",
            base + STATUS_PATH.lstrip("/"))
        assert outcome.startswith("failed")
        page.evaluate("""url => new Promise(done => {
            const s = document.createElement("script");
            s.src = url; s.onload = s.onerror = done; document.head.append(s); })""",
                      base + "__gradsite__/reload.js")
    refused = [(path, code) for path, code in answered if code == 403]
    assert refused == [(STATUS_PATH, 403), ("/__gradsite__/reload.js", 403)], answered


def test_the_404_page_reloads_and_shows_errors_under_its_policy(
    page: Any, tmp_path: Path
) -> None:
    site = build_site(make_course(tmp_path, {"01-a/01-b.md": chapter("B", "Text.\n")}),
                      tmp_path / "_site")
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text)
            if "Content Security Policy" in m.text else None)
    with running(site) as (base, state, _):
        with page.expect_response(lambda r: STATUS_PATH in r.url) as polled:
            response = page.goto(base + "a/b/c/missing.html")
        assert response is not None and response.status == 404
        assert polled.value.status == 200
        state.update(ok=False, errors="content/01-a/01-b.md:3: the error")
        overlay = page.locator("#gradsite-build-errors")
        overlay.wait_for(state="visible")
        assert "content/01-a/01-b.md:3: the error" in (overlay.text_content() or "")
        assert overlay.evaluate("e => getComputedStyle(e).position") == "fixed"
        with page.expect_event("load", timeout=15_000):
            state.update(ok=True, errors="", generation=1)
    assert refused == []
