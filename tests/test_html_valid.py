"""Every HTML page of the built shipped course, and of a course with question
variants and hints, is valid HTML (the Nu HTML Checker).

The checker is the vnu-jar npm package (package.json), run once over all pages
with the machine's Java. Without Java or node_modules the test fails: run `npm ci`.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.browser.shipped import NPM_HINT, VNU_JAR, shipped_site
from tests.browser.variants_course import variants_site

# The checker also reads the CSS of a <style> element (the 404 page carries the site's
# sheet), with a CSS grammar older than SVG 2's context paints: the explorers'
# arrowheads take their line's colour with `fill: context-stroke`.
CSS_THE_CHECKER_PREDATES = {"CSS: \u201cfill\u201d: \u201ccontext-stroke\u201d is not a "
                            "\u201ccolor\u201d value."}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return shipped_site(tmp_path_factory.getbasetemp())


@pytest.fixture(scope="module")
def with_variants(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return variants_site(tmp_path_factory.getbasetemp())


def test_every_page_is_valid_html(built: Path, with_variants: Path) -> None:
    java = shutil.which("java")
    if java is None:
        pytest.fail("the HTML check needs Java (apt-get install default-jre-headless)",
                    pytrace=False)
    if not VNU_JAR.is_file():
        pytest.fail(f"the Nu HTML Checker is missing ({VNU_JAR}): {NPM_HINT}", pytrace=False)
    pages = sorted(built.rglob("*.html"))
    assert len(pages) >= 3, pages
    pages += sorted(with_variants.rglob("*.html"))
    run = subprocess.run(
        [java, "-Xss8m", "-jar", str(VNU_JAR), "--format", "json", "--skip-non-html",
         *map(str, pages)],
        capture_output=True, text=True, timeout=300, check=False,
    )
    try:
        messages = json.loads(run.stderr or run.stdout)["messages"]
    except (ValueError, KeyError):
        pytest.fail(f"the Nu HTML Checker failed (exit {run.returncode}):\n"
                    f"{run.stdout}\n{run.stderr}", pytrace=False)
    # "non-document-error": the checker could not read a file; as bad as an error.
    errors = [m for m in messages if m.get("type") in ("error", "non-document-error")
              and m.get("message") not in CSS_THE_CHECKER_PREDATES]

    def where(message: dict[str, object]) -> str:
        url = str(message.get("url", "?")).removeprefix(built.as_uri() + "/")
        url = url.removeprefix(with_variants.parents[1].as_uri() + "/")
        return f"{url}:{message.get('lastLine', message.get('firstLine', '?'))}"

    assert not errors, "invalid HTML:\n" + "\n".join(
        f"{where(m)}: {m.get('message')}\n    {str(m.get('extract', '')).strip()!r}"
        for m in errors)
