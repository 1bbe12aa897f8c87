"""Explorers, measured: how fast a drag or a slider redraws, and what they weigh.

Builds a small course whose one chapter holds three explorers (descent with
momentum at 200 steps, tangent, gradient) and a twin chapter with the same
prose and none, then measures in headless Chromium, from file://:

- redraw: for each event, the time from the event's arrival (a capturing
  listener on window, which runs first) to the end of the explorer's own
  listeners plus a forced style and layout (a bubbling listener on window,
  which runs last, reads a layout box). Events: the descent's rate slider
  moved (``input``), and its start point dragged with the mouse (real pointer
  events from Chromium's input pipeline). Paint is not included: headless
  frames are tied to a 60 Hz clock, too coarse to time one.
- weight: the explorers' shared code (assets/explore.js) raw, minified with
  terser and gzipped; and what the page with three explorers downloads beyond
  its twin, figures aside (HTML, the chapter's functions script, explore.js).

Budgets (the targets): redraw median <= 8 ms and 95th percentile <= 16 ms for a
200-step path; explore.js < 30 KB minified; three explorers add <= 40 KB.

Needs: ``npm ci`` (terser), Playwright and /usr/bin/chromium.
Not a test: nothing here runs under pytest.

Usage: python benchmarks/explore.py [--runs 5] [--events 200] [--json FILE]
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gradsite.options import BuildOptions  # noqa: E402
from gradsite.pipeline import build  # noqa: E402

TERSER = ROOT / "node_modules" / "terser" / "bin" / "terser"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
BUDGETS = {"median_ms": 8.0, "p95_ms": 16.0, "minified_kb": 30.0, "added_kb": 40.0}

FRONT = """---
title: {title}
functions:
  f:
    expr: 0.5*x**2 + 5*y**2
    gradient: [x, 10*y]
    domain: [[-3, 3], [-1.5, 1.5]]
  g:
    expr: x**3 - 3*x
    domain: [[-2.5, 2.5]]
  h:
    expr: sin(x)*cos(y) + 0.1*x**2
    domain: [[-3, 3], [-3, 3]]
---
"""
PROSE = "Gradient descent on an elongated bowl zig-zags when the rate is large.\n\n"
EXPLORERS = """```explore
function: f
kind: descent
start: [-2.5, 1.2]
rate: 0.15
steps: 200
momentum: 0.5
caption: Descent with momentum.
```

```explore
function: g
kind: tangent
start: 1.2
caption: A tangent.
```

```explore
function: h
kind: gradient
start: [1, 1]
direction: 45
caption: The gradient and a direction.
```
"""
TWIN = """The same three figures would stand here.

```{python}
print(f(1.0, 1.0), g(1.0), h(1.0, 1.0))
```
"""

# Times every event of one kind: a capturing listener on window runs before the
# explorer's listeners, a bubbling one on window after them; the bubbling one
# forces style and layout, so the time includes the browser's work up to paint.
INSTRUMENT = """
(kind) => {
  window.__times = [];
  let start = 0;
  const layer = document.querySelector("figure.explore-descent .explore-layer");
  window.addEventListener(kind, () => { start = performance.now(); }, true);
  window.addEventListener(kind, () => {
    layer.getBoundingClientRect();
    document.querySelector("figure.explore-descent .explore-path").getBBox();
    window.__times.push(performance.now() - start);
  }, false);
}
"""


def write_course(folder: Path) -> Path:
    content = folder / "content"
    chapters = content / "01-explorers"
    chapters.mkdir(parents=True)
    (content / "course.yml").write_text("title: Explorers measured\n", encoding="utf-8")
    (chapters / "01-with.md").write_text(
        FRONT.format(title="With explorers") + PROSE + EXPLORERS, encoding="utf-8")
    (chapters / "02-without.md").write_text(
        FRONT.format(title="Without explorers") + PROSE + TWIN, encoding="utf-8")
    return content


def minified_size(script: Path) -> int:
    result = subprocess.run(["node", str(TERSER), str(script), "--compress", "--mangle"],
                            check=True, capture_output=True)
    return len(result.stdout)


def weights(site: Path) -> dict[str, float]:
    explore = site / "assets" / "explore.js"
    page = site / "explorers" / "with.html"
    twin = site / "explorers" / "without.html"
    functions = site / "explorers" / "figures" / "with-functions.js"
    added = (page.stat().st_size + functions.stat().st_size + explore.stat().st_size
             - twin.stat().st_size)
    def zipped(path: Path) -> int:
        return len(gzip.compress(path.read_bytes()))

    added_gzip = zipped(page) + zipped(functions) + zipped(explore) - zipped(twin)
    return {
        "explore_js_kb": explore.stat().st_size / 1000,
        "minified_kb": minified_size(explore) / 1000,
        "gzip_kb": len(gzip.compress(explore.read_bytes())) / 1000,
        "functions_js_kb": functions.stat().st_size / 1000,
        "added_kb": added / 1000,
        "added_gzip_kb": added_gzip / 1000,
    }


def redraw_times(site: Path, runs: int, events: int) -> dict[str, list[float]]:
    from playwright.sync_api import sync_playwright

    url = (site / "explorers" / "with.html").as_uri()
    found: dict[str, list[float]] = {"slider": [], "drag": []}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for _ in range(runs):
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.goto(url)
            page.wait_for_function("document.querySelector('figure.explore-descent input')"
                                   " && !document.querySelector('figure.explore-descent input')"
                                   ".disabled")
            figure = page.locator("figure.explore-descent")
            figure.scroll_into_view_if_needed()
            # The slider: values across its range, one input event each.
            page.evaluate(INSTRUMENT, "input")
            page.evaluate("""(count) => {
              const input = document.querySelector('figure.explore-descent input[name=rate]');
              const low = Number(input.min), high = Number(input.max);
              for (let i = 0; i < count; i++) {
                input.value = String(low + (high - low) * ((i * 37) % count) / count);
                input.dispatchEvent(new Event('input', {bubbles: true}));
              }
            }""", events)
            found["slider"] += page.evaluate("window.__times")
            # The drag: real mouse events along a circle inside the plot.
            page.evaluate(INSTRUMENT, "pointermove")
            box = page.evaluate("""() => {
              const figure = document.querySelector('figure.explore-descent');
              const view = figure.querySelector('.explore-view img').getBoundingClientRect();
              const data = JSON.parse(figure.dataset.explore);
              const [left, top, width, height] = data.box, scale = view.width / data.size[0];
              const point = figure.querySelector('.explore-point').getBoundingClientRect();
              return {x: view.left + (left + width / 2) * scale,
                      y: view.top + (top + height / 2) * scale,
                      rx: width * scale / 3, ry: height * scale / 3,
                      px: point.left + point.width / 2, py: point.top + point.height / 2};
            }""")
            page.mouse.move(box["px"], box["py"])
            page.mouse.down()
            for i in range(events):
                angle = 2 * math.pi * i / events
                page.mouse.move(box["x"] + box["rx"] * math.cos(angle),
                                box["y"] + box["ry"] * math.sin(angle))
            page.mouse.up()
            found["drag"] += page.evaluate("window.__times")
            page.close()
        browser.close()
    return found


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--events", type=int, default=200)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        content = write_course(folder)
        site = folder / "site"
        build(BuildOptions(content=content, out=site, cache_dir=folder / "cache", quiet=True))
        report: dict[str, object] = {"weight": weights(site)}
        times = redraw_times(site, args.runs, args.events)
    for kind, values in times.items():
        report[kind] = {"events": len(values), "median_ms": statistics.median(values),
                        "p95_ms": percentile(values, 0.95), "max_ms": max(values)}
    weight = report["weight"]
    assert isinstance(weight, dict)
    print(f"explore.js: {weight['explore_js_kb']:.1f} KB raw, {weight['minified_kb']:.1f} KB "
          f"minified (budget {BUDGETS['minified_kb']:.0f}), {weight['gzip_kb']:.1f} KB gzipped")
    print(f"three explorers add {weight['added_kb']:.1f} KB to their page, figures aside "
          f"(budget {BUDGETS['added_kb']:.0f}); {weight['added_gzip_kb']:.1f} KB gzipped")
    for kind in times:
        row = report[kind]
        assert isinstance(row, dict)
        print(f"{kind:6}: {row['events']} events, median {row['median_ms']:.2f} ms (budget "
              f"{BUDGETS['median_ms']:.0f}), 95th percentile {row['p95_ms']:.2f} ms (budget "
              f"{BUDGETS['p95_ms']:.0f}), max {row['max_ms']:.2f} ms")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
