"""Chapter notebooks (notebook/, expr/python.py): what a built course's notebooks hold.

A fixture course with most of what a chapter can hold is built once; its
notebook is validated with ``nbformat`` and read cell by cell: the title, the
first code cell with the declared functions, the prose with its math (course
macros expanded, numbers as ``\\tag``, references as numbers; every formula set
by KaTeX without the course's macros), theorem-like blocks, figures, questions
without their answers, and the code cells with the page's outputs. A chapter
without cells has no notebook and no link. The generated functions compute
what the site's cells get, bit for bit.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path
from typing import Any

import nbformat
import numpy as np
import pytest

from gradsite.markup.math import render_math
from tests.coursekit import parse_page
from tests.exec_helpers import built_site

COURSE_YML = r"""title: Notebook Course
macros:
  R: '\mathbb{R}'
  norm: ['\left\lVert #1 \right\rVert', 1]
"""
DOT = b"\x89PNG\r\n\x1a\nnot really a picture"
CHAPTER = r"""---
title: Cells in $\R$
summary: A chapter with cells in $\R^2$.
functions:
  f:
    expr: x**2 + y**2
    gradient: [2*x, 2*y]
  bowl:
    expr: where(0 < x < 1, x, 0) + log(y)
    domain: [[-1, 2], [0.5, 3]]
quiz:
  - id: q-choice
    question: 'Is $\norm{x}$ a norm?'
    choices:
      - text: 'Yes'
        correct: true
        feedback: FEEDBACK-RIGHT
      - text: 'No'
        feedback: FEEDBACK-WRONG
    explanation: EXPLANATION-ONE
  - id: q-number
    question: 'What is $f({{a}}, 0)$?'
    params:
      a: [2, 3]
    variants: 2
    answer: f(a, 0)
    tolerance: 0.1
    hints: [HINT-ONE]
    explanation: EXPLANATION-TWO
---
Prose with $\norm{v} \in \R$ and a display:

$$
\norm{x}^2 = x^\top x \label{eq-norm}
$$

and numbered rows:

\begin{align}
a &= b \\
c &= d \label{eq-cd}
\end{align}

See \eqref{eq-norm}, [](#eq-cd), [the `fig` figure](#fig-cell) and [](#thm-main). It costs $5
and \$6, and $x$ is math. See [the other chapter](02-plain.md) and
[the web](https://example.org/x), or `$HOME`.

!!! theorem "Main $\R$" {#thm-main}
    Statement of the theorem.

!!! proof
    Proof text.

!!! exercise "Try"
    Exercise text.

    !!! hint
        HINT-TWO

    !!! solution
        SOLUTION-TEXT

!!! note "Careful"
    Note text.

Table: Values {#tab-values}
| a | b |
|---|---|
| 1 | 2 |

![A dot](dot.png "A dot image"){#fig-dot}

```python
shown = "not run"
```

```quiz
q-choice
```

```{python}
#| id: fig-cell
#| caption: A figure of $f$
import matplotlib.pyplot as plt
print(f(1, 2))
plt.plot([0, 1])
plt.show()
```

```{python}
#| echo: false
print("echo off")
```

```{python}
#| output: false
plt.plot([1, 0])
print("output off")
```

```plot
function: f
kind: contour
id: fig-plot
caption: The level sets of $f$
```

A footnote here.[^n]

[^n]: The footnote.
"""
PLAIN = "---\ntitle: Plain\n---\nNo cells, only $x$.\n"
FILES = {"course.yml": COURSE_YML, "01-a/01-cells.md": CHAPTER, "01-a/02-plain.md": PLAIN,
         "01-a/dot.png": DOT}
ANSWERS = ("FEEDBACK-RIGHT", "FEEDBACK-WRONG", "EXPLANATION-ONE", "EXPLANATION-TWO",
           "HINT-ONE", "HINT-TWO", "SOLUTION-TEXT")


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built_site(tmp_path_factory.mktemp("notebooks"), FILES)


@pytest.fixture(scope="module")
def notebook(course: Path) -> nbformat.NotebookNode:
    return nbformat.read(course / "a/cells.ipynb", as_version=4)


def markdown(notebook: nbformat.NotebookNode) -> str:
    return "\n\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")


def code_cells(notebook: nbformat.NotebookNode) -> list[Any]:
    return [c for c in notebook.cells if c.cell_type == "code"]


# --- the file and the link --------------------------------------------------------


def test_a_chapter_with_cells_has_a_valid_notebook_beside_its_page(course: Path) -> None:
    data = (course / "a/cells.ipynb").read_text(encoding="utf-8")
    read = nbformat.reads(data, as_version=4)
    nbformat.validate(read)
    assert read.nbformat == 4 and read.metadata.kernelspec.name == "python3"
    # Byte for byte what Jupyter writes: opening and saving it there changes nothing.
    assert nbformat.writes(read) + "\n" == data
    assert not (course / "a/plain.ipynb").exists()


def test_only_a_chapter_with_cells_links_its_notebook(course: Path) -> None:
    def links(page: str) -> list[dict[str, str]]:
        parsed = parse_page((course / page).read_text(encoding="utf-8"))
        return [attrs for tag, attrs in parsed.tags
                if tag == "a" and "notebook-download" in attrs.get("class", "").split()]

    (link,) = links("a/cells.html")
    assert link["href"] == "cells.ipynb" and "download" in link
    assert (course / "a" / link["href"]).is_file()
    assert links("a/plain.html") == [] and links("index.html") == []


# --- the first code cell ------------------------------------------------------------


def test_the_first_code_cell_defines_the_functions_the_cells_see(
    notebook: nbformat.NotebookNode,
) -> None:
    setup = code_cells(notebook)[0]
    assert "import numpy as np" in setup.source and setup.outputs == []
    namespace: dict[str, Any] = {}
    exec(setup.source, namespace)  # noqa: S102 - the notebook's own first cell, run as Jupyter would
    assert {"f", "grad_f", "bowl", "grad_bowl"} <= set(namespace)
    value = namespace["f"](1, 2)
    assert value == 5.0 and isinstance(value, np.floating)  # a float, as on the site
    assert namespace["grad_f"](1.0, 2.0).tolist() == [2.0, 4.0]
    assert namespace["bowl"](0.5, 1.0) == 0.5 and namespace["bowl"](2, 1.0) == 0.0
    assert np.allclose(namespace["grad_bowl"](0.5, 2.0), [1.0, 0.5], rtol=1e-8)
    first = notebook.cells.index(setup)
    assert all(c.cell_type == "markdown" for c in notebook.cells[:first])


# --- the prose ------------------------------------------------------------------------


def test_the_title_cell_names_the_chapter_and_its_place(notebook: nbformat.NotebookNode) -> None:
    title = notebook.cells[0].source
    assert title.startswith("# Cells in $\\mathbb{R}$\n")
    assert "*Section 1. Chapter 1 \u00b7 A \u00b7 Notebook Course*" in title
    assert "A chapter with cells in $\\mathbb{R}^2$." in title
    assert notebook.metadata.title == "Cells in ℝ"


def test_math_keeps_its_source_with_macros_expanded_and_numbers_tagged(
    notebook: nbformat.NotebookNode,
) -> None:
    text = markdown(notebook)
    assert "Prose with $\\left\\lVert v \\right\\rVert \\in \\mathbb{R}$" in text
    assert "\\left\\lVert x \\right\\rVert^2 = x^\\top x \\tag{1.1.1}" in text
    assert "\\begin{align} \\tag{1.1.2}\na &= b \\\\\n \\tag{1.1.3}c &= d" in text
    assert "\\label" not in text
    assert "See (1.1.1), (1.1.3), the `fig` figure and Theorem\u00a01.1.1." in text
    # Currency and escaped dollars stay text; a code span keeps its own.
    assert "It costs \\$5\nand \\$6, and $x$ is math." in text and "`$HOME`" in text


def test_every_formula_is_set_by_katex_without_the_courses_macros(
    notebook: nbformat.NotebookNode,
) -> None:
    text = re.sub(r"`[^`]*`", "", markdown(notebook))
    text = text.replace("\\$", "")
    displays = re.findall(r"\$\$(.+?)\$\$", text, re.DOTALL)
    inline = re.findall(r"\$([^$]+?)\$", re.sub(r"\$\$.+?\$\$", "", text, flags=re.DOTALL))
    assert len(displays) >= 4 and len(inline) >= 8
    for latex, display in [*((d, True) for d in displays), *((i, False) for i in inline)]:
        result = render_math(latex, display)
        assert not result.error, (latex, result.error)


def test_theorem_like_blocks_are_headings_without_hints_or_solutions(
    notebook: nbformat.NotebookNode,
) -> None:
    text = markdown(notebook)
    assert "**Theorem 1.1.1** (Main $\\mathbb{R}$)\n\nStatement of the theorem." in text
    assert "**Proof**\n\nProof text.\n\n\u220e" in text
    assert "**Exercise 1.1.1** (Try)\n\nExercise text." in text
    assert "**Careful**\n\nNote text." in text
    assert "*Table 1.1.1.* Values\n\n| a | b |" in text
    assert "    " not in text.split("Statement")[1].split("Exercise text")[0]  # moved out


def test_questions_show_no_answer_feedback_hint_or_explanation(
    notebook: nbformat.NotebookNode, course: Path,
) -> None:
    text = (course / "a/cells.ipynb").read_text(encoding="utf-8")
    for word in ANSWERS:
        assert word not in text
    shown = markdown(notebook)
    assert ("**Question.** Is $\\left\\lVert x \\right\\rVert$ a norm?\n\n"
            "*Select the correct answer:*\n\n- Yes\n- No") in shown
    assert "## Check your understanding" in shown  # the question no quiz block placed
    assert re.search(r"\*\*Question\.\*\* What is \$f\([23], 0\)\$\?\n\n\*Enter a number\.\*",
                     shown)


def test_links_images_code_and_footnotes(notebook: nbformat.NotebookNode, course: Path) -> None:
    text = markdown(notebook)
    assert "See the other chapter and\n[the web](https://example.org/x)" in text
    dot = base64.b64encode(DOT).decode()
    assert f'<img src="data:image/png;base64,{dot}" alt="A dot">' in text
    assert "*Figure 1.1.1.* A dot image" in text
    assert '```python\nshown = "not run"\n```' in text
    assert "A footnote here.<sup>1</sup>" in text and "<sup>1</sup> The footnote." in text
    plot = (course / "a/figures/cells-2.svg").read_bytes()
    assert (f'<img src="data:image/svg+xml;base64,{base64.b64encode(plot).decode()}" '
            'alt="') in text
    assert "*Figure 1.1.3.* The level sets of $f$" in text


def test_code_cells_hold_the_pages_outputs_and_keep_hidden_what_it_hides(
    notebook: nbformat.NotebookNode, course: Path,
) -> None:
    figure, echo_off, output_off = code_cells(notebook)[1:]
    assert figure.source.startswith("import matplotlib.pyplot as plt\nprint(f(1, 2))")
    assert [o.output_type for o in figure.outputs] == ["stream", "display_data"]
    assert figure.outputs[0].text == "5.0\n"
    svg = (course / "a/figures/cells-1.svg").read_text(encoding="utf-8")
    assert figure.outputs[1].data["image/svg+xml"] == svg
    assert figure.outputs[1].data["text/plain"] == "A figure of f"  # its alt text
    # Also as an HTML image: JupyterLab shows no SVG output in a notebook it does not trust.
    encoded = base64.b64encode(svg.encode()).decode()
    assert re.fullmatch(rf'<img src="data:image/svg\+xml;base64,{re.escape(encoded)}" '
                        r'alt="A figure of f" width="\d+">', figure.outputs[1].data["text/html"])
    after = notebook.cells[notebook.cells.index(figure) + 1]
    assert after.cell_type == "markdown" and after.source == "*Figure 1.1.2.* A figure of $f$"
    assert echo_off.metadata == {"jupyter": {"source_hidden": True}}
    assert [o.text for o in echo_off.outputs] == ["echo off\n"]
    assert output_off.outputs == []
    assert output_off.metadata == {"jupyter": {"outputs_hidden": True}}


def test_with_a_base_url_links_to_other_chapters_go_to_the_site(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    files = {**FILES, "course.yml": COURSE_YML + "base_url: https://example.org/course/\n"}
    site = built_site(tmp_path_factory.mktemp("notebooks-url"), files)
    notebook = nbformat.read(site / "a/cells.ipynb", as_version=4)
    text = markdown(notebook)
    assert "[the other chapter](https://example.org/course/a/plain.html)" in text
    assert "*[Section 1. Chapter 1](https://example.org/course/a/cells.html) \u00b7" in text


def test_a_rebuild_makes_only_the_notebooks_whose_inputs_changed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import gradsite.notebook
    from gradsite.pipeline import BuildOptions, build
    from tests.coursekit import chapter, count_made, make_course, rebuilt

    made = count_made(monkeypatch, gradsite.notebook, "chapter_notebook")
    cell = "```{python}\nprint(6 * 7)\n```\n"
    content = make_course(tmp_path, {
        "01-a/01-one.md": chapter("One", "First words.\n\n" + cell),
        "01-a/02-two.md": chapter("Two", "Second words.\n\n" + cell),
        "01-a/03-three.md": chapter("Three", "No cells.\n"),
    })
    site = tmp_path / "_site"
    options = BuildOptions(content=content, out=site, cache_dir=tmp_path / "cache", quiet=True)

    def rebuild() -> list[str]:
        return rebuilt(options, made)

    def fresh() -> dict[str, bytes]:
        """The notebooks and scripts as a build without a cache or a previous site makes them."""
        other = tmp_path / "fresh"
        build(BuildOptions(content=content, out=other, cache_dir=None, quiet=True))
        return {p.name: p.read_bytes() for p in sorted((other / "a").glob("*.ipynb*"))}

    def shipped() -> dict[str, bytes]:
        return {p.name: p.read_bytes() for p in sorted((site / "a").glob("*.ipynb*"))}

    assert rebuild() == ["one", "two"]
    one = content / "01-a/01-one.md"
    one.write_text(one.read_text().replace("First words", "First edited words"))
    assert rebuild() == ["one"]
    assert shipped() == fresh()
    # A notebook gone from the site (or changed in it) is made again, not linked.
    (site / "a" / "two.ipynb").unlink()
    one.write_text(one.read_text().replace("edited", "changed"))
    assert rebuild() == ["one", "two"]
    assert shipped() == fresh()
    # The course's title is in every notebook's first cell: all are made again.
    (content / "course.yml").write_text("title: A Renamed Course\n")
    assert rebuild() == ["one", "two"]
    assert shipped() == fresh()
    assert b"A Renamed Course" in shipped()["two.ipynb"]
