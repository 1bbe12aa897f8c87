"""``gradsite serve``: serve, rebuild on change, report errors, reload, stop cleanly."""

from __future__ import annotations

import http.client
import http.server
import json
import os
import queue
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from gradsite.serve import SCRIPT_PATH, STATUS_PATH, _handler, _stamps, _State
from tests.coursekit import chapter, make_course

REPO = Path(__file__).resolve().parent.parent
QUIZ = [{"question": "Two plus two?", "answer": 4}]
WAIT = 60.0  # seconds: generous, for a loaded machine


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - our server
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def status(base: str) -> dict[str, Any]:
    return json.loads(fetch(base + STATUS_PATH.lstrip("/"))[1])


def wait_for(what: str, condition: Callable[[], Any], timeout: float = WAIT) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


class Server:
    """``build.py serve --port 0`` in a subprocess; its output read by threads."""

    def __init__(self, cwd: Path) -> None:
        env = {**os.environ, "NO_COLOR": "1"}
        self.process = subprocess.Popen(
            [sys.executable, str(REPO / "build.py"), "serve", "--port", "0", "--jobs", "1"],
            cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.out: list[str] = []
        self.err: list[str] = []
        self.readers = [
            threading.Thread(target=self._read, args=(stream, sink), daemon=True)
            for stream, sink in ((self.process.stdout, self.out), (self.process.stderr, self.err))
        ]
        for reader in self.readers:
            reader.start()

    def _read(self, stream: Any, sink: list[str]) -> None:
        for line in stream:
            sink.append(line)
            self.lines.put(line)

    def url(self) -> str:
        def found() -> str:
            for line in self.out:
                if line.startswith("serving "):
                    return line.split(" at ", 1)[1].split()[0]
            if self.process.poll() is not None:
                raise AssertionError("the server exited: " + "".join(self.err))
            return ""

        return wait_for("the server's URL", found)

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.terminate()
        try:
            return self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise
        finally:
            for reader in self.readers:
                reader.join(timeout=10)
            for stream in (self.process.stdout, self.process.stderr):
                if stream is not None:
                    stream.close()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    running = Server(tmp_path)
    try:
        yield running
    finally:
        running.stop()  # always: a test that fails must not leave a server behind


def test_serve_rebuilds_reports_errors_and_stops_cleanly(tmp_path: Path) -> None:
    make_course(tmp_path, {"01-a/01-b.md": chapter("B", "First version.\n", quiz=QUIZ)})
    chapter_file = tmp_path / "content/01-a/01-b.md"
    running = Server(tmp_path)
    try:
        base = running.url()
        assert base.startswith("http://127.0.0.1:")
        first = wait_for("the first build", lambda: status(base)["generation"])
        code, page = fetch(base + "a/b.html")
        assert code == 200 and "First version." in page
        # The reload script is in the served page, never in the built file.
        assert f'<script src="{SCRIPT_PATH}" data-generation="{first}"></script>' in page
        assert SCRIPT_PATH not in (tmp_path / "_site/a/b.html").read_text()
        assert "function poll()" in fetch(base + SCRIPT_PATH.lstrip("/"))[1]

        # An edit is rebuilt and served.
        chapter_file.write_text(chapter("B", "Second version, longer.\n", quiz=QUIZ))
        wait_for("the rebuild", lambda: status(base)["generation"] > first)
        assert "Second version, longer." in fetch(base + "a/b.html")[1]
        second = status(base)["generation"]

        # An error: reported by the status endpoint (what the overlay shows), the last
        # good site still served.
        chapter_file.write_text(chapter("B", "Third.\n", quiz=QUIZ, sumary="typo"))
        failed = wait_for("the failed build", lambda: (s := status(base)) and not s["ok"] and s)
        assert "content/01-a/01-b.md:" in failed["errors"]
        assert "unknown key 'sumary'" in failed["errors"]
        assert "did you mean 'summary'?" in failed["errors"]
        assert failed["generation"] == second
        assert "Second version, longer." in fetch(base + "a/b.html")[1]
        wait_for("the error in the terminal",
                 lambda: "unknown key 'sumary'" in "".join(running.err))

        # Fixed: the page comes back.
        chapter_file.write_text(chapter("B", "Fourth, fixed.\n", quiz=QUIZ))
        fixed = wait_for("the fixed build", lambda: (s := status(base))["ok"]
                         and s["generation"] > second and s)
        assert fixed["errors"] == ""
        assert "Fourth, fixed." in fetch(base + "a/b.html")[1]
    finally:
        code = running.stop()
    assert code == 0, "".join(running.err)
    err = "".join(running.err)
    assert "Traceback" not in err
    assert "stopped" in "".join(running.out)


def test_serve_starts_without_a_site_and_shows_the_error(server: Server, tmp_path: Path) -> None:
    make_course(tmp_path, {"01-a/01-b.md": "---\ntitle: [unclosed\n---\nText.\n"})
    base = server.url()
    failed = wait_for("the failed build", lambda: (s := status(base)) and not s["ok"] and s)
    assert failed["generation"] == 0
    assert "content/01-a/01-b.md:" in failed["errors"]
    code, page = fetch(base)
    assert code == 200 and "there is no site yet" in page and SCRIPT_PATH in page
    (tmp_path / "content/01-a/01-b.md").write_text(chapter("B", "Now it builds.\n", quiz=QUIZ))
    wait_for("the first good build", lambda: status(base)["generation"] == 1)
    assert "Now it builds." in fetch(base + "a/b.html")[1]


# --- the request handler, in this process ----------------------------------------


@pytest.fixture
def handler_url(tmp_path: Path) -> Iterator[tuple[str, Path, _State]]:
    site = tmp_path / "_site"
    state = _State()
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler(site, state))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/", site, state
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_html_gets_the_script_and_other_files_are_served_as_they_are(
    handler_url: tuple[str, Path, _State]
) -> None:
    base, site, state = handler_url
    (site / "a").mkdir(parents=True)
    (site / "index.html").write_text("<html><body><p>Home</p></body></html>")
    (site / "a/page.html").write_text("<html><body>Page</body></html>")
    (site / "404.html").write_text("<html><body>Not here</body></html>")
    (site / "style.css").write_text("body { color: red }")
    state.update(generation=7)
    tag = f'<script src="{SCRIPT_PATH}" data-generation="7"></script>'
    assert fetch(base) == (200, f"<html><body><p>Home</p>{tag}</body></html>")
    assert fetch(base + "a/page.html")[1].endswith(f"Page{tag}</body></html>")
    assert fetch(base + "style.css") == (200, "body { color: red }")
    code, page = fetch(base + "missing/page.html")
    assert code == 404 and "Not here" in page and tag in page
    with urllib.request.urlopen(base + "a/page.html", timeout=10) as response:  # noqa: S310
        assert response.headers["Cache-Control"] == "no-store"


def test_the_status_endpoint_reports_the_last_build(
    handler_url: tuple[str, Path, _State]
) -> None:
    base, _, state = handler_url
    assert status(base) == {"generation": 0, "ok": True, "building": False, "errors": ""}
    state.update(ok=False, errors="content/x.md:3: <b>bad</b>")
    assert status(base)["errors"] == "content/x.md:3: <b>bad</b>"  # the script escapes it


def test_the_site_is_read_from_its_path_on_every_request(
    handler_url: tuple[str, Path, _State], tmp_path: Path
) -> None:
    base, site, _ = handler_url
    site.mkdir()
    (site / "index.html").write_text("<body>old</body>")
    assert "old" in fetch(base)[1]
    # What the build's atomic swap does: a new folder takes the old one's place.
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    (fresh / "index.html").write_text("<body>new</body>")
    site.rename(tmp_path / "old")
    fresh.rename(site)
    assert "new" in fetch(base)[1]


def test_the_watcher_sees_edits_and_ignores_editor_files(tmp_path: Path) -> None:
    folder = tmp_path / "content"
    folder.mkdir()
    (folder / "a.md").write_text("one")
    before = _stamps([folder])
    for name in (".a.md.swp", "a.md~", ".#a.md"):
        (folder / name).write_text("x")
    assert _stamps([folder]) == before
    (folder / "a.md").write_text("two, longer")
    assert _stamps([folder]) != before


def test_the_watcher_sees_an_edit_that_kept_the_file_s_time_and_size(tmp_path: Path) -> None:
    page = tmp_path / "content" / "a.md"
    page.parent.mkdir()
    page.write_text("one")
    kept = page.stat()
    before = _stamps([page.parent])
    time.sleep(0.01)  # past the file system's clock tick
    page.write_text("two")
    os.utime(page, ns=(kept.st_atime_ns, kept.st_mtime_ns))
    assert (page.stat().st_mtime_ns, page.stat().st_size) == (kept.st_mtime_ns, kept.st_size)
    assert _stamps([page.parent]) != before


def test_a_file_saved_during_a_build_cancels_it_and_builds_again(tmp_path: Path) -> None:
    # A cell stuck in a loop kept every later save waiting for its timeout.
    slow = chapter("B", "```{python}\n#| timeout: 120\nimport time\ntime.sleep(100)\n```\n",
                   quiz=QUIZ)
    make_course(tmp_path, {"01-a/01-b.md": slow})
    chapter_file = tmp_path / "content/01-a/01-b.md"
    running = Server(tmp_path)
    try:
        base = running.url()
        wait_for("the slow build", lambda: status(base)["building"])
        started = time.monotonic()
        chapter_file.write_text(chapter("B", "```{python}\nprint('fixed')\n```\n", quiz=QUIZ))
        wait_for("the new build", lambda: (s := status(base))["ok"] and s["generation"] and s)
        assert time.monotonic() - started < 60  # not the slow cell's 100 s
        assert "fixed" in fetch(base + "a/b.html")[1]
        assert "changed while building: content/01-a/01-b.md" in "".join(running.out)
    finally:
        code = running.stop()
    assert code == 0, "".join(running.err)
    assert "Traceback" not in "".join(running.err)


def test_stopping_serve_during_a_build_stops_its_cells(tmp_path: Path) -> None:
    make_course(tmp_path, {"01-a/01-b.md": chapter(
        "B", "```{python}\n#| timeout: 120\nimport time\ntime.sleep(100)\n```\n", quiz=QUIZ)})
    running = Server(tmp_path)
    try:
        base = running.url()
        wait_for("the slow build", lambda: status(base)["building"])
        time.sleep(1)  # the cell is running
        started = time.monotonic()
    finally:
        code = running.stop()  # SIGTERM; waits at most 30 s
    assert time.monotonic() - started < 20
    assert code == 0, "".join(running.err)
    assert "stopped" in "".join(running.out)


# --- whom the server answers -------------------------------------------------------


def raw_get(base: str, path: str, headers: dict[str, str]) -> tuple[int, str, str]:
    """GET ``path`` with exactly these headers (``Host`` included: http.client then
    sends no Host of its own); the status, the Content-Type and the body."""
    parts = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        connection.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
        for name, value in headers.items():
            connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type", ""), response.read().decode()
    finally:
        connection.close()


@pytest.fixture
def built_handler(handler_url: tuple[str, Path, _State]) -> tuple[str, int]:
    """The in-process server with a page and a 404 page to ask for; its URL and port."""
    base, site, _ = handler_url
    site.mkdir()
    (site / "index.html").write_text("<html><body><p>Home</p></body></html>")
    (site / "404.html").write_text("<html><body>Not here</body></html>")
    return base, int(urllib.parse.urlsplit(base).port or 0)


@pytest.mark.parametrize("name", ["127.0.0.1", "localhost", "LOCALHOST", "[::1]"])
def test_the_server_answers_its_own_names_with_its_port(
    built_handler: tuple[str, int], name: str
) -> None:
    base, port = built_handler
    for path in ("/", "/missing.html", STATUS_PATH, SCRIPT_PATH):
        code, _, body = raw_get(base, path, {"Host": f"{name}:{port}"})
        assert code in (200, 404) and body, (name, path)
    # What a page the server served sends when it polls the status.
    code, _, body = raw_get(base, STATUS_PATH, {
        "Host": f"{name}:{port}", "Origin": f"http://{name.lower()}:{port}",
        "Sec-Fetch-Site": "same-origin"})
    assert code == 200 and json.loads(body)["ok"] is True


@pytest.mark.parametrize("host", [
    "attacker.example:{port}",  # DNS rebinding: the attacker's name, resolved to 127.0.0.1
    "attacker.example",
    "127.0.0.1",  # the right name on the wrong port: another server's page
    "127.0.0.1:{other}",
    "localhost.:{port}",
    "127.0.0.1:{port}.attacker.example",
    "",
])
def test_a_request_for_another_host_is_refused(built_handler: tuple[str, int], host: str) -> None:
    base, port = built_handler
    forged = host.format(port=port, other=port + 1)
    for path in ("/", "/index.html", "/missing/page.html", STATUS_PATH, SCRIPT_PATH):
        code, kind, body = raw_get(base, path, {"Host": forged})
        assert code == 403, (forged, path, code)
        assert kind == "text/plain; charset=utf-8"
        assert "answers only requests for its own address" in body
        assert f"http://127.0.0.1:{port}/" in body
        assert "Home" not in body and "generation" not in body


def test_a_request_without_a_host_or_with_two_is_refused(built_handler: tuple[str, int]) -> None:
    base, port = built_handler
    assert raw_get(base, "/", {})[0] == 403
    parts = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        connection.putrequest("GET", "/", skip_host=True)
        connection.putheader("Host", f"127.0.0.1:{port}")
        connection.putheader("Host", "attacker.example")
        connection.endheaders()
        response = connection.getresponse()
        assert response.status == 403 and "2 Host headers" in response.read().decode()
    finally:
        connection.close()


@pytest.mark.parametrize(("origin", "fetch_site"), [
    ("http://attacker.example", None),
    ("http://127.0.0.1:{other}", None),  # another local server's page
    ("https://127.0.0.1:{port}", None),
    ("null", None),  # a sandboxed frame or a file opened from disk
    (None, "cross-site"),
    (None, "same-site"),  # 127.0.0.1 on another port is the same site, not the same origin
])
def test_the_reload_channel_refuses_pages_of_other_origins(
    built_handler: tuple[str, int], origin: str | None, fetch_site: str | None
) -> None:
    base, port = built_handler
    headers = {"Host": f"127.0.0.1:{port}"}
    if origin is not None:
        headers["Origin"] = origin.format(port=port, other=port + 1)
    if fetch_site is not None:
        headers["Sec-Fetch-Site"] = fetch_site
    for path in (STATUS_PATH, SCRIPT_PATH, STATUS_PATH + "?t=1"):
        code, kind, body = raw_get(base, path, headers)
        assert code == 403, (headers, path)
        assert kind == "text/plain; charset=utf-8" and "reload channel" in body
    # The site's own files are not the channel: what they show is public anyway, and
    # a browser keeps their bytes from another origin's scripts.
    assert raw_get(base, "/index.html", headers)[0] == 200


def test_serve_refuses_a_forged_host(server: Server, tmp_path: Path) -> None:
    """The real ``serve`` command, as a browser after DNS rebinding would reach it."""
    make_course(tmp_path, {"01-a/01-b.md": chapter("B", "Secret text.\n", quiz=QUIZ)})
    base = server.url()
    port = int(urllib.parse.urlsplit(base).port or 0)
    wait_for("the first build", lambda: status(base)["generation"])
    assert raw_get(base, "/a/b.html", {"Host": f"localhost:{port}"})[0] == 200
    code, _, body = raw_get(base, "/a/b.html", {"Host": f"rebound.example:{port}"})
    assert code == 403 and "Secret text." not in body
