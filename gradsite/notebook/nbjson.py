"""The notebook file: cells and outputs as nbformat 4.5 JSON, byte for byte what
Jupyter itself writes for the same notebook.

Jupyter (nbformat's ``write``) sorts keys, indents by one space, keeps
non-ASCII characters as they are, splits a cell's source, printed text and
text-like outputs (SVG among them) into lists of lines, and ends the file with
a newline. Doing the same here means that opening and saving the notebook in
Jupyter changes nothing, and the same chapter always gives the same bytes.
Cell ids are numbered in order, so they too are the same on every build.
"""

from __future__ import annotations

import base64
import html
import json
from dataclasses import dataclass
from typing import Any

KERNELSPEC = {"display_name": "Python 3", "language": "python", "name": "python3"}


@dataclass(frozen=True)
class Figure:
    """A figure a cell drew: its bytes, format, size in CSS pixels and alt text."""

    data: bytes
    format: str  # "svg" or "png"
    width: int
    height: int
    alt: str


@dataclass(frozen=True)
class CodeCell:
    source: str
    outputs: tuple[str | Figure, ...] = ()  # printed text and figures, in order
    hide_source: bool = False  # echo: false on the site
    hide_outputs: bool = False  # output: false on the site


@dataclass(frozen=True)
class MarkdownCell:
    source: str


@dataclass(frozen=True)
class Notebook:
    cells: tuple[CodeCell | MarkdownCell, ...]
    title: str = ""


def notebook_bytes(notebook: Notebook) -> bytes:
    """The ``.ipynb`` file of ``notebook``."""
    cells: list[dict[str, Any]] = []
    count = 0
    for number, cell in enumerate(notebook.cells, start=1):
        if isinstance(cell, MarkdownCell):
            cells.append({"cell_type": "markdown", "id": f"cell-{number}", "metadata": {},
                          "source": _lines(cell.source)})
            continue
        count += 1
        hidden = {key: True for key, hide in (("source_hidden", cell.hide_source),
                                              ("outputs_hidden", cell.hide_outputs)) if hide}
        cells.append({
            "cell_type": "code",
            "execution_count": count,
            "id": f"cell-{number}",
            "metadata": {"jupyter": hidden} if hidden else {},
            "outputs": [_output(output) for output in cell.outputs],
            "source": _lines(cell.source),
        })
    metadata: dict[str, Any] = {"kernelspec": KERNELSPEC, "language_info": {"name": "python"}}
    if notebook.title:
        metadata["title"] = notebook.title
    document = {"cells": cells, "metadata": metadata, "nbformat": 4, "nbformat_minor": 5}
    return (json.dumps(document, sort_keys=True, indent=1, ensure_ascii=False)
            + "\n").encode("utf-8")


def _output(output: str | Figure) -> dict[str, Any]:
    if isinstance(output, str):
        return {"name": "stdout", "output_type": "stream", "text": _lines(output)}
    # The alt text stands in for the figure where images are not shown.
    data: dict[str, Any] = {"text/plain": _lines(output.alt)}
    metadata: dict[str, Any] = {}
    if output.format == "svg":
        data["image/svg+xml"] = _lines(output.data.decode("utf-8"))
        # JupyterLab shows SVG output only once the notebook is trusted, which a
        # downloaded one is not; an HTML image of the same SVG it shows at once.
        encoded = base64.b64encode(output.data).decode("ascii")
        data["text/html"] = [f'<img src="data:image/svg+xml;base64,{encoded}" '
                             f'alt="{html.escape(output.alt)}" width="{output.width}">']
    else:
        data["image/png"] = base64.b64encode(output.data).decode("ascii")
        # Drawn at twice its size for sharp screens: shown at its size in CSS pixels.
        metadata["image/png"] = {"width": output.width, "height": output.height}
    return {"data": data, "metadata": metadata, "output_type": "display_data"}


def _lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)
