""""Download notebook" on a chapter of the shipped course saves the chapter's
notebook under its own name, served over http and from disk.

Over http(s) the ``download`` attribute makes the browser save the file. From
disk (``file://``) browsers honour ``download`` only for same-origin links, and a
file is an origin of its own: Chromium would open the notebook as text. There
the page loads the notebook as a script and saves its text (ui-reading.js).
Without JavaScript the link still goes to the notebook, as text.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

from tests.browser.helpers import expect

LOAD_FIGURES = False  # the figures play no part here (conftest.py)

PAGE = "mathematical-foundations/derivatives-and-gradients.html"
NOTEBOOK = "mathematical-foundations/derivatives-and-gradients.ipynb"


@pytest.mark.parametrize("where", ["server", "disk"])
def test_download_notebook_saves_the_chapters_notebook(
    new_context: Any, server: Any, built_site: Path, tmp_path: Path, where: str,
) -> None:
    address = server.url(PAGE) if where == "server" else (built_site / PAGE).as_uri()
    page = new_context(accept_downloads=True).new_page()
    page.goto(address)
    link = page.get_by_role("link", name="Download notebook")
    expect(link).to_have_count(1)
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename == "derivatives-and-gradients.ipynb"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert saved.read_bytes() == (built_site / NOTEBOOK).read_bytes()
    assert json.loads(saved.read_text(encoding="utf-8"))["nbformat"] == 4
    assert page.url == address  # saved, not opened (from disk Chromium would show text)


def test_from_disk_without_javascript_the_link_goes_to_the_notebook(
    new_context: Any, built_site: Path,
) -> None:
    page = new_context(java_script_enabled=False).new_page()
    page.goto((built_site / PAGE).as_uri())
    link = page.locator("a.notebook-download")
    expect(link).to_have_attribute("download", "")
    target = urlsplit(link.evaluate("a => a.href"))
    assert target.scheme == "file"
    assert Path(unquote(target.path)) == built_site / NOTEBOOK
    assert (built_site / NOTEBOOK).is_file()
