"""A cell's outputs in the order it produced them, as Jupyter shows them.

Text printed before ``plt.show()`` comes before the figures it shows, text
printed after it after them; a figure still open when the cell ends comes at
the end, after all the cell printed (Jupyter's inline backend shows it then:
``plt.figure()`` alone shows nothing). Checked in the worker's results, in the
HTML of ``render_cell``, and in a built page with numbered figures.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gradsite.execute.jobs import ChapterJob, Output, Task
from gradsite.execute.pool import run_jobs
from gradsite.execute.worker import in_order
from gradsite.markup.outputs import FigureView, render_cell
from tests.exec_helpers import built_site, cell, cells_of, chapter_text, start_fork_server

PATH = "content/01-s/01-c.md"
FIGURE = 'plt.figure(figsize=(1, 1)); plt.title("{}")'


def _figure(title: str) -> str:
    return FIGURE.format(title)


# --- in the worker ---------------------------------------------------------------------

CASES = {
    "prints and shows interleave": (
        ["import matplotlib.pyplot as plt", 'print("before")', _figure("F1"), "plt.show()",
         'print("between")', _figure("F2"), "plt.show()", 'print("after")'],
        ["before\n", "F1", "between\n", "F2", "after\n"]),
    "a figure left open comes after everything printed": (
        [_figure("F1"), 'print("one")', 'print("two")'],
        ["one\ntwo\n", "F1"]),
    "a new figure shows nothing until show": (
        [_figure("F1"), 'print("one")', _figure("F2"), 'print("two")', "plt.show()",
         'print("three")'],
        ["one\ntwo\n", "F1", "F2", "three\n"]),
    "shown, then one left open": (
        [_figure("F1"), "plt.show()", 'print("one")', _figure("F2"), 'print("two")'],
        ["F1", "one\ntwo\n", "F2"]),
    "a loop of prints and shows": (
        ["for k in range(3):", "    print(k)",
         '    plt.figure(figsize=(1, 1)); plt.title(f"L{k}")', "    plt.show()"],
        ["0\n", "L0", "1\n", "L1", "2\n", "L2"]),
    "text without a line end before a figure stays apart": (
        ['print("a", end="")', _figure("F1"), "plt.show()", 'print("b")'],
        ["a", "F1", "b\n"]),
    "stderr is in the same stream, in order": (
        ["import sys", 'print("out")', _figure("F1"), "plt.show()",
         'print("err", file=sys.stderr)'],
        ["out\n", "F1", "err\n"]),
    # Drawn when the cell ends (authoring.md says so): unlike Jupyter, which draws at show.
    "a figure is drawn as it stands when the cell ends": (
        ["shown = " + _figure("A1"), "plt.show()", 'shown.axes[0].set_title("B1")'],
        ["B1"]),
    "a closed figure leaves no trace between the texts": (
        ['print("a")', "gone = " + _figure("X"), "plt.close(gone)", 'print("b")'],
        ["a\nb\n"]),
}


def _shown(outputs: tuple[Output, ...]) -> list[str]:
    """Each output as a test reads it: printed text as it is, a figure by its title."""
    shown = []
    for output in outputs:
        if output.kind == "text":
            shown.append(output.data.decode("utf-8"))
        else:
            titles = re.findall(rb">([A-Z]\d)</text>", output.data)
            assert len(titles) == 1, output.data[:200]
            shown.append(titles[0].decode())
    return shown


@pytest.fixture(scope="module")
def worker_results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """Every case run as one cell of one chapter, in the real worker."""
    folder = tmp_path_factory.mktemp("order")
    tasks = []
    line = 5
    for index, (lines, _) in enumerate(CASES.values()):
        tasks.append(Task(index, "cell", "\n".join(lines), line, "svg", 30.0))
        line += len(lines) + 3
    start_fork_server()
    results = run_jobs([ChapterJob(PATH, str(folder), tuple(tasks), {})], 1)[PATH]
    assert [r.error for r in results] == [None] * len(CASES)
    return {name: _shown(result.outputs) for name, result in zip(CASES, results, strict=True)}


@pytest.mark.parametrize("name", list(CASES))
def test_the_worker_returns_outputs_in_the_order_they_were_produced(
    worker_results: dict[str, list[str]], name: str
) -> None:
    assert worker_results[name] == CASES[name][1]


def test_printed_text_is_cut_at_each_figures_place() -> None:
    first, second = (Output("figure", name.encode(), "svg", 1, 1) for name in ("f1", "f2"))
    text = b"a\nb\x1b[31mc\n"
    assert in_order(text, [(2, first), (2, second)]) == (
        Output("text", b"a\n"), first, second, Output("text", b"bc\n"))
    assert in_order(b"", [(0, first)]) == (first,)
    assert in_order(b"only text\n", []) == (Output("text", b"only text\n"),)


# --- in the HTML -------------------------------------------------------------------------


def test_render_cell_keeps_the_order_and_numbers_figures_among_texts() -> None:
    figures = [FigureView(f"figures/c-{n}.svg", "alt", 10, 10) for n in (1, 2)]
    html = render_cell("<pre>code</pre>", ["<one>", figures[0], "two", figures[1], "three"],
                       "Cap", "field", ("Figure 1.1. Cap", "Figure 1.2. Cap"), ("", "field-2"))
    assert re.findall(r'<pre class="cell-output">([^<]*)</pre>|<figure', html) == [
        "&lt;one&gt;", "", "two", "", "three"]
    captions = re.findall(r"<figcaption>(.*?)</figcaption>", html)
    assert captions == ["Figure 1.1. Cap", "Figure 1.2. Cap"]
    assert html.index("c-1.svg") < html.index(">two<") < html.index("c-2.svg")
    assert 'id="field-2"' in html and html.startswith('<div class="cell" id="field">')


ORDER_CHAPTER = chapter_text(
    "See [the second figure](#steps-2).\n",
    cell("import matplotlib.pyplot as plt\n"
         'print("first step")\n' + _figure("S1") + "\nplt.show()\n"
         'print("second step")\n' + _figure("S2") + "\nplt.show()\n"
         'print("done")',
         "caption: Two steps", "id: steps"),
    cell('print("left open")\n' + _figure("O1")),
)


@pytest.fixture(scope="module")
def order_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built_site(tmp_path_factory.mktemp("order-site"), {"01-s/01-c.md": ORDER_CHAPTER})


def test_a_built_page_shows_text_and_numbered_figures_interleaved(order_site: Path) -> None:
    steps, left_open = cells_of(order_site / "s" / "c.html")
    assert steps.order == ["code", "text", "figure", "text", "figure", "text"]
    assert steps.outputs == ["first step\n", "second step\n", "done\n"]
    # Numbered in order among the texts: the cell's anchor, then steps-2.
    assert steps.attrs["id"] == "steps"
    assert [f.img["src"] for f in steps.figures] == ["figures/c-1.svg", "figures/c-2.svg"]
    numbers = [re.search(r"Figure ([\d.]+)\.", f.caption_html) for f in steps.figures]
    assert [m.group(1) if m else "" for m in numbers] == ["1.1.1", "1.1.2"]
    assert all("Two steps" in f.caption_html for f in steps.figures)
    page = (order_site / "s" / "c.html").read_text(encoding="utf-8")
    assert 'id="steps-2"' in page and 'href="#steps-2"' in page
    titles = [re.findall(r">([A-Z]\d)</text>",
                         (order_site / "s" / f.img["src"]).read_text(encoding="utf-8"))
              for f in steps.figures]
    assert titles == [["S1"], ["S2"]]
    # A figure left open is shown when the cell ends: after what it printed.
    assert left_open.order == ["code", "text", "figure"]
