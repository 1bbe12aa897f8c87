"""The search engine in chromium, from disk: the shipped course's index and engine
loaded with <script> elements, as the header's field loads them on first use,
then queried through ``window.GradsiteSearch``. A page only read loads neither."""

from __future__ import annotations

from pathlib import Path
from typing import Any

CHAPTER = "gradient-descent/convexity.html"
SEARCH_ASSETS = ("search.js", "search-index.js")

# What the header's field does on first use: both scripts, the page's own prefix.
_LOAD_SEARCH = """(root) => Promise.all(["search-index.js", "search.js"].map((name) =>
  new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = root + "assets/" + name;
    script.onload = resolve;
    script.onerror = () => reject(new Error("could not load " + name));
    document.head.appendChild(script);
  })))"""


def test_a_page_that_is_only_read_loads_nothing_for_search(page: Any, built_site: Path) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto((built_site / CHAPTER).as_uri())
    page.wait_for_load_state("load")
    assert requested and not [url for url in requested if url.endswith(SEARCH_ASSETS)]


def test_the_engine_answers_from_disk_after_its_scripts_load(page: Any, built_site: Path) -> None:
    page.goto((built_site / CHAPTER).as_uri())
    assert page.url.startswith("file://")
    page.evaluate(_LOAD_SEARCH, "../")
    results = page.evaluate("() => window.GradsiteSearch.query('lipsch', 5)")
    assert results, "no result for a prefix of Lipschitz"
    first = results[0]
    assert sorted(first) == ["anchor", "chapter", "heading", "position", "terms", "text", "url"]
    assert first["url"] == CHAPTER and first["chapter"] == "Convexity"
    assert first["position"] == "2.3" and first["terms"] == ["lipschitz"]
    assert "Lipschitz" in first["text"]
    nabla = page.evaluate("() => window.GradsiteSearch.query('nabla', 50)")
    assert nabla and all("∇" in r["terms"] and "∇" in r["text"] for r in nabla)
    both = page.evaluate("() => window.GradsiteSearch.query('gradient descent', 50)")
    assert both[0]["url"] == "gradient-descent/the-gradient-descent-algorithm.html"
    assert page.evaluate("() => window.GradsiteSearch.termOf('Converges,')") == "converg"
    # The anchor a result names is a heading of its page.
    page.goto((built_site / first["url"]).as_uri() + "#" + first["anchor"])
    assert page.locator(f"[id='{first['anchor']}']").count() == 1
