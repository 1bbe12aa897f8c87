"""The development server: ``gradsite serve``.

Builds the course, serves the output folder on 127.0.0.1, polls the content
and theme folders for changed files (stamps, every half second), rebuilds on a
change (the cell and render caches make that incremental) and reloads open
pages. A file saved while a build runs cancels it (its running cells are
killed) and starts the next. A build error is printed in the terminal and
shown over the page; the server keeps running, and the page comes back once
the file is fixed.

How pages learn about builds: every HTML response (never the built files)
gets one ``<script>`` that polls ``/__gradsite__/status``, a small JSON
document: ``generation`` counts successful builds (a page reloads when it
changes), ``ok`` and ``errors`` (the formatted diagnostics, plain text) say
how the last build went. The site is read from its path on every request, so
the build's atomic swap of the output folder is seen at once.

Whom it answers: only requests addressed to itself. A request whose ``Host``
header is not one of its own addresses (127.0.0.1, localhost or [::1], with its
port) is refused with 403, so a page of another site cannot read the course
through DNS rebinding (a name of its own that resolves to 127.0.0.1). The
reload channel (the status and the script under ``/__gradsite__/``) also
refuses a request that a browser marks as coming from a page of another origin
(its ``Origin`` header, or ``Sec-Fetch-Site``), so another page, even one on
127.0.0.1 at another port, cannot follow the builds and read their errors.
"""

from __future__ import annotations

import dataclasses
import http.server
import json
import signal
import stat
import sys
import threading
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO, cast

from .diagnostics import format_all, use_color
from .options import BuildOptions
from .session import build_session, describe

HOST = "127.0.0.1"
POLL_SECONDS = 0.5
SETTLE_SECONDS = 0.2  # an editor's save may touch several files: wait until it is done
CHANNEL_PREFIX = "/__gradsite__/"
STATUS_PATH = CHANNEL_PREFIX + "status"
SCRIPT_PATH = CHANNEL_PREFIX + "reload.js"
# The names a browser on this machine uses for the server; the port is added.
LOCAL_NAMES = ("127.0.0.1", "localhost", "[::1]")
Stamp = tuple[int, int, int]  # a watched file's modification time, change time and size

# Shows the last build's errors over the page, and reloads it after a build.
# Text goes in with textContent (never as HTML); styles are set through the
# CSSOM, so even a strict Content-Security-Policy would allow them.
RELOAD_SCRIPT = """\
(function () {
  "use strict";
  var me = document.currentScript;
  var loaded = me ? Number(me.getAttribute("data-generation")) : -1;
  var overlay = null;
  function show(text) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "gradsite-build-errors";
      overlay.setAttribute("role", "alert");
      Object.assign(overlay.style, {
        position: "fixed", inset: "0", zIndex: "2147483647", overflow: "auto",
        background: "rgba(20, 20, 20, 0.94)", color: "#f5f5f5", padding: "2rem",
        font: "14px/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace"
      });
      var title = document.createElement("h2");
      title.textContent = "gradsite: the build failed";
      Object.assign(title.style, {color: "#ff6b6b", font: "bold 18px sans-serif",
                                  margin: "0 0 1rem 0"});
      var note = document.createElement("p");
      note.textContent = "Fix the course and save: this page reloads once it builds. " +
        "The page below is the last site that built.";
      Object.assign(note.style, {margin: "0 0 1rem 0", color: "#cccccc"});
      var pre = document.createElement("pre");
      Object.assign(pre.style, {whiteSpace: "pre-wrap", margin: "0"});
      overlay.appendChild(title);
      overlay.appendChild(note);
      overlay.appendChild(pre);
      document.body.appendChild(overlay);
    }
    overlay.lastChild.textContent = text;
  }
  function hide() {
    if (overlay) { overlay.remove(); overlay = null; }
  }
  function poll() {
    fetch("__STATUS__", {cache: "no-store"})
      .then(function (response) { return response.json(); })
      .then(function (status) {
        if (status.generation !== loaded) { location.reload(); return; }
        if (status.ok) { hide(); } else { show(status.errors); }
        setTimeout(poll, 500);
      })
      .catch(function () { setTimeout(poll, 1000); });
  }
  poll();
})();
""".replace("__STATUS__", STATUS_PATH)

WAITING_PAGE = """\
<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>gradsite</title></head>
<body><p>gradsite: there is no site yet. It appears here as soon as the course builds.</p>
</body></html>
"""


@dataclass(frozen=True)
class Status:
    """How the last build went; what ``/__gradsite__/status`` returns."""

    generation: int = 0  # successful builds so far (0: none yet)
    ok: bool = True
    building: bool = False
    errors: str = ""  # the formatted diagnostics of a failed build (plain text)

    def to_json(self) -> bytes:
        return json.dumps(dataclasses.asdict(self)).encode()


class _State:
    """The status, shared by the builder (main thread) and the request threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._status = Status()

    @property
    def status(self) -> Status:
        with self._lock:
            return self._status

    def update(self, **changes: Any) -> None:
        with self._lock:
            self._status = dataclasses.replace(self._status, **changes)


def serve(
    options: BuildOptions,
    port: int = 8000,
    out: TextIO | None = None,
    err: TextIO | None = None,
    verbose: bool = False,
) -> int:
    """Build, serve and rebuild until interrupted (Ctrl-C or SIGTERM); returns the exit code."""
    out = out if out is not None else sys.stdout
    err = err if err is not None else sys.stderr
    state = _State()
    try:
        server = http.server.ThreadingHTTPServer((HOST, port), _handler(options.out, state))
    except OSError as exc:
        print(f"error: cannot listen on {HOST}:{port}: {exc.strerror or exc}", file=err)
        print("    hint: choose another port with --port (0 picks a free one)", file=err)
        return 1
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="gradsite-http", daemon=True)
    thread.start()
    url = f"http://{HOST}:{server.server_address[1]}/"
    print(f"serving {options.out} at {url} (Ctrl-C stops)", file=out, flush=True)
    watched = [options.content, options.theme]
    # Builds run in a thread of their own while this one watches the files: a file
    # saved mid-build cancels it (its cells are killed) and a new build starts, so a
    # fixed cell is not kept waiting for the broken one's timeout.
    cancel = threading.Event()
    builder: threading.Thread | None = None
    try:
        with _terminate_as_interrupt():
            stamps = _stamps(watched)
            while True:
                cancel = threading.Event()
                builder = threading.Thread(
                    target=_build_once, name="gradsite-build",
                    args=(options, cancel, state, out, err, verbose))
                builder.start()
                changed, stamps = _next_change(watched, stamps)
                if builder.is_alive():
                    cancel.set()
                    print(f"\nchanged while building: {changed}; building again",
                          file=out, flush=True)
                    builder.join()
                else:
                    print(f"\nchanged: {changed}", file=out, flush=True)
    except KeyboardInterrupt:
        cancel.set()
        if builder is not None:
            builder.join()
        print("\nstopped", file=out, flush=True)
    finally:
        server.shutdown()
        server.server_close()
    return 0


def allowed_hosts(host: str, port: int) -> frozenset[str]:
    """The ``Host`` headers a request to this server may carry, lower case: each local
    name (and the address listened on) with the port, and without it on port 80,
    where browsers leave it out."""
    names = {*LOCAL_NAMES, f"[{host}]" if ":" in host else host}
    hosts = {f"{name}:{port}" for name in names}
    if port == 80:
        hosts |= names
    return frozenset(h.lower() for h in hosts)


def _refusal(target: str, hosts: list[str], origin: str | None, fetch_site: str | None,
             allowed: frozenset[str]) -> str | None:
    """Why this server does not answer a request, in a line; None when it does.

    ``hosts`` are the request's ``Host`` headers (exactly one is valid), ``origin``
    and ``fetch_site`` its ``Origin`` and ``Sec-Fetch-Site`` headers, if any.
    """
    ours = sorted(allowed, key=lambda h: (not h.startswith("127."), h))[0]
    if len(hosts) != 1 or hosts[0].strip().lower() not in allowed:
        asked = repr(hosts[0].strip()[:100]) if len(hosts) == 1 else f"{len(hosts)} Host headers"
        return (f"gradsite serve answers only requests for its own address "
                f"(http://{ours}/, or localhost with the same port), not for {asked}.")
    if not target.startswith("/"):
        return "gradsite serve answers only requests for a path that starts with '/'."
    if target.startswith(CHANNEL_PREFIX):
        origins = {f"http://{h}" for h in allowed}
        foreign = origin is not None and origin.strip().lower() not in origins
        if foreign or fetch_site not in (None, "same-origin", "none"):
            return ("gradsite serve's reload channel answers only the pages it serves, "
                    "not a page of another origin.")
    return None


def _next_change(
    watched: list[Path], stamps: dict[Path, Stamp]
) -> tuple[str, dict[Path, Stamp]]:
    """Wait until a watched file changes and the editor has finished writing it;
    what changed, and the files' new stamps."""
    while True:
        time.sleep(POLL_SECONDS)
        now = _stamps(watched)
        if now == stamps:
            continue
        while True:  # wait for the editor to finish writing
            time.sleep(SETTLE_SECONDS)
            settled = _stamps(watched)
            if settled == now:
                break
            now = settled
        return _changed(stamps, now), now


def _build_once(
    options: BuildOptions,
    cancel: threading.Event,
    state: _State,
    out: TextIO,
    err: TextIO,
    verbose: bool,
) -> None:
    """One build; its outcome goes to the terminal and to the status the pages poll."""
    state.update(building=True)
    try:
        outcome = build_session(options, reuse_current_site=False, cancel=cancel)
    except KeyboardInterrupt:
        raise
    except Exception:  # a bug in gradsite: say so, and keep serving
        trace = traceback.format_exc()
        message = ("gradsite crashed: this is a bug in gradsite, not in your course. "
                   "Please report it with the traceback.")
        print(trace + "\n" + message, file=err, flush=True)
        state.update(ok=False, building=False, errors=f"{message}\n\n{trace}")
        return
    report = describe(outcome, "serve", quiet=options.quiet, verbose=verbose,
                      color=use_color(err))
    if report.err:
        print(report.err, file=err, flush=True)
    if report.verdict:
        print(f"\n{report.verdict}", file=err, flush=True)
    if report.out:
        print(report.out, file=out, flush=True)
    if outcome.kind == "failed":
        state.update(ok=False, building=False, errors=format_all(outcome.diagnostics))
    elif outcome.kind == "built":
        state.update(generation=state.status.generation + 1, ok=True, building=False,
                     errors="")
    else:
        state.update(building=False)


def _stamps(folders: list[Path]) -> dict[Path, Stamp]:
    """(modification time, change time, size) of every file under the folders; editors'
    backup and swap files are left out. The change time catches a save that kept
    the file's modification time and size (`cp -p`, a restore), which no program
    can set back."""
    found: dict[Path, Stamp] = {}
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in folder.rglob("*"):
            name = path.name
            if name.startswith(".") or name.endswith(("~", ".swp", ".swx")) or \
                    "__pycache__" in path.parts:
                continue
            try:
                info = path.stat()
            except OSError:  # removed while we looked
                continue
            if stat.S_ISREG(info.st_mode):
                found[path] = (info.st_mtime_ns, info.st_ctime_ns, info.st_size)
    return found


def _changed(before: dict[Path, Stamp], after: dict[Path, Stamp]) -> str:
    paths = sorted({p for p in before.keys() | after.keys() if before.get(p) != after.get(p)})
    names = [str(p) for p in paths[:3]]
    if len(paths) > 3:
        names.append(f"and {len(paths) - 3} more")
    return ", ".join(names)


@contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM (a terminal closing, a test stopping us) ends the server like Ctrl-C."""

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, interrupt)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _handler(root: Path, state: _State) -> type[http.server.SimpleHTTPRequestHandler]:
    directory = str(root.resolve())

    class Handler(http.server.SimpleHTTPRequestHandler):
        """Files of the output folder, looked up by path on every request; HTML gets
        the reload script; two extra paths under /__gradsite__/."""

        # The chapters' Markdown copies and llms.txt are UTF-8: said, so that a
        # browser does not read them in another encoding.
        extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                          ".md": "text/markdown; charset=utf-8",
                          ".txt": "text/plain; charset=utf-8"}

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, directory=directory, **kwargs)

        def parse_request(self) -> bool:
            """The request line and headers, then whether this server answers them: a
            refused request gets its 403 here, before any method runs."""
            if not super().parse_request():
                return False
            # An IP socket's address; IPv6 adds flow info and scope id.
            host, port = cast(tuple[str, int], self.server.server_address)[:2]
            refusal = _refusal(self.path, self.headers.get_all("Host") or [],
                               self.headers.get("Origin"), self.headers.get("Sec-Fetch-Site"),
                               allowed_hosts(host, port))
            if refusal is None:
                return True
            self.close_connection = True
            body = (refusal + "\n").encode()
            self.send_response(403)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("X-Content-Type-Options", "nosniff")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Connection", "close")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            return False

        def do_GET(self) -> None:  # noqa: N802 - http.server's API
            self._respond(with_body=True)

        def do_HEAD(self) -> None:  # noqa: N802 - http.server's API
            self._respond(with_body=False)

        def _respond(self, with_body: bool) -> None:
            path = self.path.split("?", 1)[0].split("#", 1)[0]
            if path == STATUS_PATH:
                self._send(200, "application/json", state.status.to_json(), with_body)
                return
            if path == SCRIPT_PATH:
                self._send(200, "text/javascript; charset=utf-8", RELOAD_SCRIPT.encode(),
                           with_body)
                return
            html, code = self._html_for(path)
            if html is None and with_body:
                super().do_GET()
            elif html is None:
                super().do_HEAD()
            else:
                self._send(code, "text/html; charset=utf-8", self._inject(html), with_body)

        def _html_for(self, url_path: str) -> tuple[bytes | None, int]:
            """The HTML page this request asks for, or None when it is not a page."""
            site = Path(directory)
            if not site.is_dir():
                return WAITING_PAGE.encode(), 200
            local = Path(self.translate_path(url_path))
            if local.is_dir():
                if not url_path.endswith("/"):
                    return None, 0  # SimpleHTTPRequestHandler redirects to the slash
                local = local / "index.html"
            if local.suffix == ".html" and local.is_file():
                try:
                    return local.read_bytes(), 200
                except OSError:  # swapped away under us: the next reload finds it
                    return None, 0
            if not local.exists() and (site / "404.html").is_file():
                return (site / "404.html").read_bytes(), 404
            return None, 0

        def _inject(self, html: bytes) -> bytes:
            tag = (f'<script src="{SCRIPT_PATH}" '
                   f'data-generation="{state.status.generation}"></script>').encode()
            at = html.lower().rfind(b"</body>")
            return html[:at] + tag + html[at:] if at >= 0 else html + tag

        def _send(self, code: int, kind: str, body: bytes, with_body: bool) -> None:
            self.send_response(code)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if with_body:
                self.wfile.write(body)

        def end_headers(self) -> None:
            # Files change with every build: never let the browser keep a stale copy.
            self.send_header("Cache-Control", "no-store")
            super().end_headers()

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the API's name
            pass  # a request log would bury the build messages

    return Handler
