"""Browser tests: one build of the shipped course, one local server, one chromium.

- ``built_site``: the shipped course built once into a temp folder (``.../www/course``).
- ``server``: that folder served on 127.0.0.1 twice: at the root of one server
  (``server.root``) and under a sub-path of another (``server.sub`` ends in
  ``/course/``), to prove the links are relative.
- ``browser``: Debian's chromium (``/usr/bin/chromium``) driven by Playwright.
  If Playwright or chromium is missing the tests FAIL; they are never skipped.
- ``new_context(**options)``: a fresh browser context (clean localStorage) that
  lets the pages reach 127.0.0.1 only. Any request to another host (and any
  WebSocket) is blocked, and the test fails at teardown if one was attempted, as it does on any
  uncaught JavaScript error. ``context`` and ``page`` are the defaults. A test
  module that sets ``LOAD_FIGURES = False`` gets a tiny stand-in for each figure.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.browser.shipped import ExpectedCourse, expected_course, shipped_site

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_HOST = "127.0.0.1"


# --- the site and its server ----------------------------------------------------


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built shipped course (a folder named ``course``)."""
    return shipped_site(tmp_path_factory.getbasetemp())


@pytest.fixture(scope="session")
def course() -> ExpectedCourse:
    """What the pages should show, read from the shipped course's sources."""
    return expected_course()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: one connection serves a page's files

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve ``directory`` on 127.0.0.1 (a free port) in a thread; yields its root URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    httpd = http.server.ThreadingHTTPServer((LOCAL_HOST, 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, name="test-http", daemon=True)
    thread.start()
    try:
        yield f"http://{LOCAL_HOST}:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)


@dataclass(frozen=True)
class Server:
    root: str  # the site at the root of a server: http://127.0.0.1:PORT/
    sub: str  # the same site under a sub-path: http://127.0.0.1:PORT2/course/

    def url(self, page: str = "index.html") -> str:
        return self.root + page


@pytest.fixture(scope="session")
def server(built_site: Path) -> Iterator[Server]:
    with serve(built_site) as root, serve(built_site.parent) as parent:
        yield Server(root, parent + built_site.name + "/")


@pytest.fixture(scope="session")
def serve_folder() -> Callable[[Path], Any]:
    """``with serve_folder(path) as url:`` serves another folder (a test's own site)."""
    return serve


# --- the browser ------------------------------------------------------------------


@pytest.fixture(scope="session")
def playwright_api() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        pytest.fail(
            f"the browser tests need the Playwright Python package ({exc}): "
            "pip install -e '.[test]'",
            pytrace=False,
        )
    with sync_playwright() as api:
        yield api


@pytest.fixture(scope="session")
def browser(playwright_api: Any) -> Iterator[Any]:
    executable = CHROMIUM if os.access(CHROMIUM, os.X_OK) else None
    if executable is None:
        found = shutil.which("chromium")
        pytest.fail(
            f"the browser tests need Debian's chromium at {CHROMIUM} "
            f"(apt-get install chromium){'; found ' + found if found else ''}. "
            "Never `playwright install`: the tests use the system browser.",
            pytrace=False,
        )
    try:
        browser = playwright_api.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
    except Exception as exc:  # noqa: BLE001 - any launch failure is reported the same way
        pytest.fail(f"could not start {executable}: {exc}", pytrace=False)
    yield browser
    browser.close()


@dataclass
class Watch:
    """What a context's pages did that a test must not allow."""

    blocked: list[str] = field(default_factory=list)  # requests to other hosts
    errors: list[str] = field(default_factory=list)  # uncaught JavaScript errors


def _is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("file", "data", "blob", "about"):
        return True
    return parts.hostname == LOCAL_HOST


# Stands in for the course's figures where a test module sets LOAD_FIGURES = False:
# some are 0.5 MB SVGs whose drawing dominates a page load, and most tests never
# look at them. Same size on the page: with no size or ratio of its own, the <img>
# keeps its width and height's (a 1 x 1 stand-in would make it square once a lazy
# figure loads, moving the page under a test that scrolls).
PLACEHOLDER_FIGURE = b'<svg xmlns="http://www.w3.org/2000/svg"/>'


@pytest.fixture
def new_context(browser: Any, request: pytest.FixtureRequest) -> Iterator[Callable[..., Any]]:
    """``new_context(figures=..., **options)``: a fresh context, checked at teardown.

    ``figures`` (default: the module's ``LOAD_FIGURES``, else True): False serves a
    tiny stand-in for each figure. ``options`` go to ``browser.new_context``.
    """
    opened: list[tuple[Any, Watch]] = []
    module_figures = getattr(request.module, "LOAD_FIGURES", True)

    def make(figures: bool | None = None, **options: Any) -> Any:
        figures = module_figures if figures is None else figures
        context = browser.new_context(**options)
        context.set_default_timeout(10_000)
        watch = Watch()

        def guard(route: Any) -> None:
            url = route.request.url
            if not _is_local(url):
                watch.blocked.append(url)
                route.abort("blockedbyclient")
            elif not figures and "/figures/" in url and route.request.resource_type == "image":
                route.fulfill(body=PLACEHOLDER_FIGURE, content_type="image/svg+xml")
            else:
                route.continue_()

        def no_websocket(socket: Any) -> None:  # the pages have no business opening one
            watch.blocked.append(socket.url)
            socket.close()

        context.route("**/*", guard)
        context.route_web_socket(re.compile(".*"), no_websocket)
        context.on("weberror", lambda e: watch.errors.append(f"{e.page.url if e.page else '?'}: "
                                                              f"{e.error}"))
        opened.append((context, watch))
        return context

    yield make
    problems = []
    for context, watch in opened:
        context.close()
        if watch.blocked:
            problems.append(f"blocked requests (to other hosts, or WebSockets): {watch.blocked}")
        if watch.errors:
            problems.append(f"uncaught JavaScript errors: {watch.errors}")
    assert not problems, "\n".join(problems)


@pytest.fixture
def context(new_context: Callable[..., Any]) -> Any:
    return new_context()


@pytest.fixture
def page(context: Any) -> Any:
    return context.new_page()
