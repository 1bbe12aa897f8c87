"""Debian's firefox-esr, driven through Marionette: no driver to download.

Firefox started with ``--marionette`` listens on the loopback interface for
Marionette, its own remote protocol: each message is ``LENGTH:JSON``, a
command ``[0, id, name, params]`` and its answer ``[1, id, error, result]``.
That is all this client speaks: a session, navigation, scripts in the page
(``WebDriver:ExecuteScript``) and in the browser itself (the chrome context,
to read preferences and the console), and quitting.

Firefox starts on a fresh profile of its own, with ``marionette.port`` 0 (a
free port, written to the profile's ``MarionetteActivePort``), so two runs
never meet, and in a session of its own, so that stopping it stops every
process it started. ``remote.prefs.recommended`` is false: otherwise
Marionette sets preferences meant for automation as it starts, among them
``security.fileuri.strict_origin_policy = false``, which makes all files one
origin and so hides how Firefox treats pages opened from disk. The other
preferences keep the browser quiet and off the network (a proxy that
refuses: nothing here needs one).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

FIREFOX = "/usr/bin/firefox-esr"
LOOPBACK = "127.0.0.1"
START_SECONDS = 30
COMMAND_SECONDS = 30

PREFS: dict[str, bool | int | str] = {
    "marionette.port": 0,
    "remote.prefs.recommended": False,
    "app.update.disabledForTesting": True,
    "app.normandy.enabled": False,
    "browser.shell.checkDefaultBrowser": False,
    "browser.startup.homepage_override.mstone": "ignore",
    "browser.startup.page": 0,
    "browser.aboutwelcome.enabled": False,
    "browser.sessionstore.resume_from_crash": False,
    "browser.safebrowsing.malware.enabled": False,
    "browser.safebrowsing.phishing.enabled": False,
    "browser.safebrowsing.downloads.enabled": False,
    "browser.safebrowsing.update.enabled": False,
    "browser.search.update": False,
    "datareporting.policy.dataSubmissionEnabled": False,
    "datareporting.healthreport.uploadEnabled": False,
    "toolkit.telemetry.reportingpolicy.firstRun": False,
    "dom.push.connection.enabled": False,
    "extensions.update.enabled": False,
    "network.captive-portal-service.enabled": False,
    "network.connectivity-service.enabled": False,
    "network.dns.disablePrefetch": True,
    "network.http.speculative-parallel-limit": 0,
    "network.trr.mode": 5,
    "network.proxy.type": 1,
    "network.proxy.http": LOOPBACK,
    "network.proxy.http_port": 9,
    "network.proxy.ssl": LOOPBACK,
    "network.proxy.ssl_port": 9,
    "services.settings.server": "data:,#remote-settings-off",
}


class MarionetteError(RuntimeError):
    """A command that Firefox answered with an error."""


class Marionette:
    """One connection to Firefox's Marionette server."""

    def __init__(self, port: int) -> None:
        self._socket = socket.create_connection((LOOPBACK, port), timeout=COMMAND_SECONDS)
        self._buffer = b""
        self._last_id = 0
        hello = self._receive()
        if not (isinstance(hello, dict) and hello.get("marionetteProtocol") == 3):
            raise MarionetteError(f"not a Marionette server (protocol 3): {hello!r}")
        self.command("WebDriver:NewSession", {"capabilities": {"alwaysMatch": {}}})

    def _receive(self) -> Any:
        while b":" not in self._buffer:
            self._read_more()
        length, self._buffer = self._buffer.split(b":", 1)
        size = int(length)
        while len(self._buffer) < size:
            self._read_more()
        body, self._buffer = self._buffer[:size], self._buffer[size:]
        return json.loads(body)

    def _read_more(self) -> None:
        chunk = self._socket.recv(65536)
        if not chunk:
            raise MarionetteError("Firefox closed the connection")
        self._buffer += chunk

    def command(self, name: str, params: dict[str, Any] | None = None) -> Any:
        self._last_id += 1
        data = json.dumps([0, self._last_id, name, params or {}]).encode()
        self._socket.sendall(str(len(data)).encode() + b":" + data)
        while True:
            answer = self._receive()
            if answer[0] == 1 and answer[1] == self._last_id:
                if answer[2]:
                    error = answer[2]
                    raise MarionetteError(f"{name}: {error.get('error')}: {error.get('message')}")
                return answer[3]

    def navigate(self, url: str) -> None:
        """Opens ``url`` in the current tab and waits for its load event."""
        self.command("WebDriver:Navigate", {"url": url})

    def back(self) -> None:
        self.command("WebDriver:Back")

    def execute(self, script: str, *args: Any) -> Any:
        """Runs ``script`` (a function body; ``arguments`` holds ``args``) and
        returns what it returns."""
        return self.command("WebDriver:ExecuteScript",
                            {"script": script, "args": list(args)})["value"]

    def wait_for(self, script: str, *args: Any, timeout: float = 10.0) -> Any:
        """Runs ``script`` until it returns something truthy; returns that."""
        deadline = time.monotonic() + timeout
        while True:
            value = self.execute(script, *args)
            if value:
                return value
            if time.monotonic() > deadline:
                raise AssertionError(f"waited {timeout} s in vain for: {script.strip()}")
            time.sleep(0.05)

    @contextmanager
    def chrome(self) -> Iterator[None]:
        """Scripts run in the browser itself (Services, preferences) meanwhile."""
        self.command("Marionette:SetContext", {"value": "chrome"})
        try:
            yield
        finally:
            self.command("Marionette:SetContext", {"value": "content"})

    def quit(self) -> None:
        with suppress(MarionetteError, OSError):
            self.command("Marionette:Quit")
        self.close()

    def close(self) -> None:
        with suppress(OSError):
            self._socket.close()


def write_profile(profile: Path, prefs: dict[str, bool | int | str] | None = None) -> None:
    """A new profile folder holding PREFS (and ``prefs``) in its user.js."""
    profile.mkdir(parents=True, exist_ok=True)
    lines = (f"user_pref({json.dumps(name)}, {json.dumps(value)});\n"
             for name, value in {**PREFS, **(prefs or {})}.items())
    (profile / "user.js").write_text("".join(lines), encoding="utf-8")


class Firefox:
    """firefox-esr, headless, on ``profile`` (see ``write_profile``).

    ``with Firefox(profile) as browser:`` starts it and, on the way out, quits
    it and makes sure every process it started has ended; ``restart()``
    quits and starts it again on the same profile, as a reader's next day.
    """

    def __init__(self, profile: Path, binary: str = FIREFOX) -> None:
        self.profile = profile
        self.binary = binary
        self.log = profile.parent / f"{profile.name}.log"
        self._process: subprocess.Popen[bytes] | None = None
        self._marionette: Marionette | None = None

    @property
    def marionette(self) -> Marionette:
        if self._marionette is None:
            raise MarionetteError("Firefox is not running")
        return self._marionette

    def version(self) -> str:
        with self.marionette.chrome():
            return str(self.marionette.execute("return Services.appinfo.version;"))

    def start(self) -> None:
        port_file = self.profile / "MarionetteActivePort"
        port_file.unlink(missing_ok=True)
        with open(self.log, "ab") as log:  # the child keeps its own descriptors
            self._process = subprocess.Popen(
                [self.binary, "--marionette", "--remote-allow-system-access", "--headless",
                 "--no-remote", "--profile", str(self.profile)],
                stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True)
        try:
            deadline = time.monotonic() + START_SECONDS
            while not (port_file.exists() and port_file.read_text().strip()):
                if self._process.poll() is not None:
                    raise MarionetteError(f"{self.binary} exited ({self._process.returncode}) "
                                          f"as it started; see {self.log}")
                if time.monotonic() > deadline:
                    raise MarionetteError(f"{self.binary} did not open Marionette in "
                                          f"{START_SECONDS} s; see {self.log}")
                time.sleep(0.05)
            self._marionette = Marionette(int(port_file.read_text()))
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        """Quits, then ends what is left of the process group this Firefox leads."""
        process, self._process = self._process, None
        marionette, self._marionette = self._marionette, None
        if process is None:
            return
        if marionette is not None:
            marionette.quit()
            with suppress(subprocess.TimeoutExpired):
                process.wait(10)
        # What is left of the group: content processes, or all of it when
        # quitting failed.
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:  # until the killed ones are gone
            try:
                os.killpg(process.pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.05)

    def restart(self) -> None:
        self.stop()
        self.start()

    def __enter__(self) -> Firefox:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
