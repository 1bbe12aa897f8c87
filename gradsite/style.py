"""The house style of figures, as plain data (no matplotlib import).

Workers apply it before a chapter's first cell (cells may override any of
it); the builder hashes it into every cache key, so a change of style redraws.
"""

from __future__ import annotations

PALETTE = ("#2563eb", "#dc2626", "#059669", "#d97706", "#7c3aed", "#db2777", "#0891b2")
HOUSE_STYLE: dict[str, object] = {
    "figure.figsize": (6.4, 4.2),
    "figure.dpi": 96,
    "figure.facecolor": "white",
    "savefig.facecolor": "white",
    # No constrained layout: it costs more than half again a figure's drawing time.
    "figure.subplot.top": 0.9,
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Helvetica", "Arial"],
    "font.size": 11,
    "axes.titlesize": 12,
    # A fixed title height: automatic placement measures every tick label on each
    # draw (about 7% of a figure's time) to dodge labels along the top, which the
    # house style does not put there. A figure with ticks on top sets it to None.
    "axes.titley": 1.0,
    "axes.labelsize": 11,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "lines.linewidth": 2.0,
    "image.cmap": "viridis",
    # Cropped to what is drawn, as in Jupyter: labels that stick out of the
    # figure are kept, not cut off (figures.py measures the crop cheaply).
    "savefig.bbox": "tight",
    # Text stays text in SVG: faster to write, smaller, set in the page's fonts.
    # Mathtext is the exception (figures.py draws it as outlines): its glyphs come
    # from matplotlib's own math fonts, which browsers do not have.
    "svg.fonttype": "none",
    # Constant ids and no dates: the same figure gives the same bytes.
    "svg.hashsalt": "gradsite",
    "path.simplify": True,
    # Every figure a cell leaves open is one of its outputs, closed once saved, so
    # matplotlib's "more than 20 figures have been opened" would only be noise
    # in the cell's printed output.
    "figure.max_open_warning": 0,
}
