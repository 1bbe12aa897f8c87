"""Plot blocks (spec section 5): a fenced ``plot`` block's options -> a figure.

Two halves, on either side of the process boundary (``spec.py`` and ``draw.py``):

* ``parse_plot`` runs in the builder. It reads the block's YAML body with
  line marks, checks every option (unknown keys, unknown functions, a kind
  that does not fit the function, bad values: each an error at its line) and
  returns a :class:`PlotSpec`, plain picklable data with every default filled
  in, including the alt text.
* ``draw_plot`` runs in a worker. It draws a spec on a fresh
  ``matplotlib.figure.Figure`` (never pyplot's global state); the worker saves
  it. The same spec gives the same figure.

The options:

| option | kinds | meaning | default |
| --- | --- | --- | --- |
| ``function`` | all | the declared function to draw | the chapter's only function |
| ``kind`` | all | quiver, contour, surface, curve or descent | quiver (2 variables), curve (1) |
| ``points`` | all | how finely to sample (see below) | see below |
| ``domain`` | all | one ``[low, high]`` per variable | the function's domain |
| ``caption`` | all | Markdown with math, shown under the figure | none |
| ``alt`` | all | the figure's text alternative | a sentence describing the plot |
| ``tangent_at`` | curve | x values where tangent lines are drawn | none |
| ``start`` | descent | the first point of gradient descent | 80% towards the upper corner |
| ``rate`` | descent | the learning rate | 0.1 |
| ``steps`` | descent | the number of steps | 20 |
| ``levels`` | contour, descent | the number of level sets, or a list of values | 12 |
| ``normalize`` | quiver, contour | true: arrows of equal length, coloured by size | false |
| ``id`` | all | a label: with a caption, the plot is a numbered figure (spec section 9) | none |

``points`` is the number of arrows per axis for quiver (default 20, 2-60) and
contour plots (12, 2-40), the mesh size per axis of a surface (50, 5-150), the
number of samples of a curve (400, 10-5000), and the grid per axis behind the
level sets of a descent plot (150, 20-400).

Quiver, contour, surface and descent plots draw functions of two variables;
a curve draws a function of one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..model import PlotSpec
from .spec import default_alt, descent_path, parse_plot

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ..expr import CompiledFunction

__all__ = ["PlotSpec", "default_alt", "descent_path", "draw_plot", "parse_plot"]


def draw_plot(spec: PlotSpec, function: CompiledFunction) -> Figure:
    """Draw ``spec`` (imports matplotlib on first use: the builder never needs it)."""
    from .draw import draw_plot as draw

    return draw(spec, function)
