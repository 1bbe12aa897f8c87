"""A chapter's notebook, run top to bottom in a real Jupyter kernel, prints what the
chapter's page shows and draws as many figures (notebook/).

A small course is built; its notebook is executed with ``nbclient`` and the
``python3`` kernel of ``ipykernel``; then each code cell's printed text and its
number of figures are compared with the cell's outputs on the built page. The
cells use what the site gives them: the declared functions (one with a declared
gradient, one with a numerical one, printed to the last digit), unseeded random
numbers, figures shown with ``plt.show()`` and left open, text printed between.
"""

from __future__ import annotations

import copy
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from tests.exec_helpers import built_site, cell, cells_of

FRONT = """---
title: Run me
functions:
  f:
    expr: x**2 + y**2
    gradient: [2*x, 2*y]
  h:
    expr: log(1 + x**2) * y
    domain: [[-2, 2], [-1, 3]]
---
"""
CHAPTER = FRONT + "\n".join([
    "Intro with $f$.\n",
    cell("""
import random
import numpy as np
print(f(1, 2), grad_f(1.0, 2.0), f(np.array([0.5, 1.5]), 2))
print(repr(float(h(1, 2))), repr(float(grad_h(0.5, 1.5)[0])), repr(float(grad_h(0.5, 1.5)[1])))
print(np.random.rand(3), random.random())
"""),
    "Some prose between the cells.\n",
    cell("""
import matplotlib.pyplot as plt
print("before")
plt.plot([1, 2], [f(1, 0), f(2, 0)])
plt.show()
print("between")
fig, ax = plt.subplots()
ax.plot([0, 1], [h(0, 1), h(1, 1)])
print("after")
"""),
    cell('print("not on the page")', "output: false"),
    cell("""
fig, ax = plt.subplots()
ax.bar([1, 2, 3], np.random.rand(3))
print(np.random.randint(0, 100, 4))
""", "format: png", "caption: Bars of random height", "id: fig-bars"),
    "```plot\nfunction: f\nkind: contour\n```\n",
])


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built_site(tmp_path_factory.mktemp("notebook-run"),
                      {"01-a/01-run-me.md": CHAPTER})


def test_the_notebook_run_in_a_kernel_prints_and_draws_what_the_page_shows(
    course: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    notebook = nbformat.read(course / "a/run-me.ipynb", as_version=4)
    nbformat.validate(notebook)
    # The cells as the build wrote them (the run below replaces their outputs in place).
    stored = [c for c in copy.deepcopy(notebook).cells if c.cell_type == "code"][1:]
    # Jupyter's own paths, not the deprecated ones (its warning would fail the test run).
    monkeypatch.setenv("JUPYTER_PLATFORM_DIRS", "1")
    NotebookClient(notebook, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    ran = [c for c in notebook.cells if c.cell_type == "code"]
    setup, ran = ran[0], ran[1:]
    assert setup.outputs == [], setup.outputs  # defines, prints nothing, warns of nothing

    page = [c for c in cells_of(course / "a/run-me.html") if c.has_code]
    assert len(page) == len(ran) == len(stored) == 4
    for on_page, run, kept in zip(page, ran, stored, strict=True):
        hidden = run.metadata.get("jupyter", {}).get("outputs_hidden", False)
        if hidden:  # output: false shows nothing on the page; its run stays collapsed
            assert on_page.outputs == [] and on_page.figures == [] and kept.outputs == []
            continue
        assert printed(run) == "".join(on_page.outputs), run.source
        assert figures(run) == len(on_page.figures)
        # What the notebook holds before it is run is the page's, in the page's order.
        assert printed(kept) == "".join(on_page.outputs)
        assert figures(kept) == len(on_page.figures)
        assert kinds(run) == kinds(kept) == [k for k in on_page.order if k != "code"]
    assert figures(ran[1]) == 2 and printed(ran[1]) == "before\nbetween\nafter\n"


def printed(cell: nbformat.NotebookNode) -> str:
    return "".join(o.text for o in cell.outputs if o.output_type == "stream")


def figures(cell: nbformat.NotebookNode) -> int:
    return sum(1 for o in cell.outputs if o.output_type == "display_data"
               and any(key.startswith("image/") for key in o.data))


def kinds(cell: nbformat.NotebookNode) -> list[str]:
    """"text" and "figure" in the order the cell produced them, runs of text as one."""
    found: list[str] = []
    for output in cell.outputs:
        kind = "text" if output.output_type == "stream" else "figure"
        if not (kind == "text" and found[-1:] == ["text"]):
            found.append(kind)
    return found
