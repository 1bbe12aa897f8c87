"""The browser half of search_engines.py: load and query times in headless Chromium.

Each measurement is a fresh browser context and page opened from file://. The page
holds only the benchmark's glue (search_engines/terms.js and adapters.js); the
measurement inserts the library's and the index's <script> elements, as the product
will on first use, and times with ``performance.now()`` inside the page (Chromium
rounds it to 0.1 ms on a page that is not cross-origin isolated, so keystrokes below
that read as 0 or 0.1 ms).
"""

from __future__ import annotations

from pathlib import Path

GLUE = Path(__file__).resolve().parent / "search_engines"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
# Words typed letter by letter; "lipschitz" is not in the course (no results).
TYPED = ["gradient", "steepest descent", "converges", "nabla", "saddle point", "lipschitz",
         "directional derivative", "learning rate"]

MEASURE = """
async ({libraries, index, name, typed}) => {
  const insert = (src) => new Promise((done, failed) => {
    const script = document.createElement("script");
    script.src = src;
    script.onload = done;
    script.onerror = () => failed(new Error("could not load " + src));
    document.head.appendChild(script);
  });
  const started = performance.now();
  await Promise.all([...libraries, index].map(insert));
  const scripts = performance.now();
  const adapter = benchAdapters.makeEngines({
    lunr: window.lunr, MiniSearch: window.MiniSearch, FlexSearch: window.FlexSearch,
    benchTerms: window.benchTerms,
  })[name];
  const engine = adapter.load(window.benchIndex);
  const ready = performance.now();
  const keys = [];
  const hits = {};
  const top = {};
  let first = null;
  for (const word of typed) {
    for (let n = 1; n <= word.length; n++) {
      const text = word.slice(0, n);
      if (text.endsWith(" ")) continue;
      const before = performance.now();
      const found = adapter.query(engine, text, 10);
      const took = performance.now() - before;
      if (first === null) first = took; else keys.push(took);
      if (n === word.length) {
        hits[word] = found.length;
        top[word] = found.slice(0, 3).map((doc) => doc.position + " " + doc.heading);
      }
    }
  }
  keys.sort((a, b) => a - b);
  return {
    scripts: scripts - started, deserialize: ready - scripts, load: ready - started, first,
    keyMedian: keys[keys.length >> 1], keyP95: keys[Math.floor(keys.length * 0.95)],
    keyMax: keys[keys.length - 1], keystrokes: keys.length + 1, hits, top,
  };
}
"""


def measure_in_chromium(engines: list[str], folder: Path, libraries: dict[str, list[Path]],
                        runs: int) -> dict[str, list[dict]]:
    """Every run's measurements of each engine, runs interleaved across engines."""
    from playwright.sync_api import sync_playwright

    results: dict[str, list[dict]] = {name: [] for name in engines}
    glue = "".join(f'<script src="{(GLUE / name).as_uri()}"></script>'
                   for name in ("terms.js", "adapters.js"))
    page_file = folder / "page.html"
    page_file.write_text(f"<!doctype html><meta charset=utf-8><title>bench</title>{glue}\n",
                         encoding="utf-8")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=CHROMIUM_ARGS)
        try:
            for _ in range(runs):
                for name in engines:
                    context = browser.new_context()
                    page = context.new_page()
                    page.goto(page_file.as_uri())
                    results[name].append(page.evaluate(MEASURE, {
                        "libraries": [path.as_uri() for path in libraries[name]],
                        "index": (folder / f"{name}.index.js").as_uri(),
                        "name": name, "typed": TYPED,
                    }))
                    context.close()
        finally:
            browser.close()
    return results
