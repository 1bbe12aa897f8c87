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
from collections.abc import Callable, Iterator

from matplotlib import pyplot as plt
from matplotlib.backend_bases import FigureManagerBase
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

FigureCanvas = FigureCanvasAgg
FigureManager = FigureManagerBase


class CellOutput:
    """The figures a running cell shows, each with how much it had printed when it
    showed it (``position``, in bytes): their places in the text."""

    def __init__(self, position: Callable[[], int]) -> None:
        self.position = position
        self.shown: list[tuple[Figure, int]] = []

    def take_figures(self) -> list[tuple[Figure, int]]:
        """The figures shown during the cell, then those it left open, in order, each
        with its place in the printed text."""
        show()
        figures, self.shown = self.shown, []
        return figures


# The output of the cell that is running: a worker runs one cell at a time.
_running: list[CellOutput] = []


@contextlib.contextmanager
def capture(position: Callable[[], int]) -> Iterator[CellOutput]:
    """The output of the cell run inside: ``show()`` places its figures there, at
    ``position()``, the length of what the cell has printed."""
    output = CellOutput(position)
    _running.append(output)
    try:
        yield output
    finally:
        _running.remove(output)


def show(*args: object, **kwargs: object) -> None:
    output = _running[-1] if _running else None
    numbers = plt.get_fignums()
    at = output.position() if output is not None and numbers else 0
    for number in numbers:
        figure = plt.figure(number)
        if output is not None:
            output.shown.append((figure, at))
        plt.close(figure)
