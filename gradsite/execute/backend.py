"""A matplotlib backend for workers: ``plt.show()`` never blocks, it hands figures over.

Like Jupyter's inline backend, ``show()`` takes the open figures out of
pyplot's care, in order, so the worker saves each as its own output; the
figures a cell leaves open are shown when it ends. Each figure keeps its place
in what the cell printed, so text printed before ``plt.show()`` comes before
the figure and text printed after it after it, as in a notebook. A new
``plt.figure()`` shows nothing by itself: Jupyter's inline backend, too, shows
a figure at ``plt.show()`` or at the end of the cell.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator

from matplotlib import pyplot as plt
from matplotlib.backend_bases import FigureManagerBase
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

FigureCanvas = FigureCanvasAgg
FigureManager = FigureManagerBase


class CellOutput(io.StringIO):
    """What a running cell prints (stdout and stderr), and the figures it shows with
    how much it had printed when it showed each: their places in the text."""

    def __init__(self) -> None:
        super().__init__()
        self.shown: list[tuple[Figure, int]] = []

    def close(self) -> None:
        pass  # a cell that closes sys.stdout must not lose what it printed

    def take_figures(self) -> list[tuple[Figure, int]]:
        """The figures shown during the cell, then those it left open, in order, each
        with its place in the printed text."""
        show()
        figures, self.shown = self.shown, []
        return figures


# The output of the cell that is running: a worker runs one cell at a time.
_running: list[CellOutput] = []


@contextlib.contextmanager
def capture() -> Iterator[CellOutput]:
    """The output of the cell run inside: ``show()`` places its figures there."""
    output = CellOutput()
    _running.append(output)
    try:
        yield output
    finally:
        _running.remove(output)


def show(*args: object, **kwargs: object) -> None:
    output = _running[-1] if _running else None
    for number in plt.get_fignums():
        figure = plt.figure(number)
        if output is not None:
            output.shown.append((figure, output.tell()))
        plt.close(figure)
