"""A matplotlib backend for workers: ``plt.show()`` never blocks, it hands figures over.

Like Jupyter's inline backend, ``show()`` takes the open figures out of
pyplot's care, in order, so the worker saves each as its own output. The
worker reads and clears ``shown`` after each cell.
"""

from __future__ import annotations

from matplotlib import pyplot as plt
from matplotlib.backend_bases import FigureManagerBase
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

FigureCanvas = FigureCanvasAgg
FigureManager = FigureManagerBase

shown: list[Figure] = []


def show(*args: object, **kwargs: object) -> None:
    for number in plt.get_fignums():
        figure = plt.figure(number)
        shown.append(figure)
        plt.close(figure)


def take_figures() -> list[Figure]:
    """Figures shown during the cell, then those it left open, in order."""
    show()
    figures = list(shown)
    shown.clear()
    return figures
