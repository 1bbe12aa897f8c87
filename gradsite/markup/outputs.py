"""HTML of an executed cell or a plot: the code (unless hidden), then its outputs in
the order they were produced.

Each figure is its own ``<figure>`` with the caption as ``<figcaption>`` and the
alt text on the image; printed text is escaped into ``pre.cell-output``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape

# Figures load as they come near the view; the chapter's first loads at once
# (chapter.py), as it may be in view when the page opens. The <img> has its
# size, so the page does not move when a figure arrives.
LAZY = 'loading="lazy"'
_FIRST_LAZY = re.compile(r'(<img\b[^>]*?) loading="lazy"')


def first_figure_eager(body: str) -> str:
    """``body`` with its first figure loading at once."""
    return _FIRST_LAZY.sub(r"\1", body, count=1)


@dataclass(frozen=True)
class FigureView:
    url: str  # relative to the chapter's page
    alt: str
    width: int
    height: int


def render_figure(figure: FigureView, caption_html: str, figure_id: str = "") -> str:
    caption = f"<figcaption>{caption_html}</figcaption>" if caption_html else ""
    size = f' width="{figure.width}" height="{figure.height}"' if figure.width else ""
    anchor = f' id="{escape(figure_id)}"' if figure_id else ""
    return (
        f'<figure class="figure"{anchor}><img src="{escape(figure.url)}" '
        f'alt="{escape(figure.alt)}"{size} {LAZY} decoding="async">{caption}</figure>'
    )


def render_cell(
    code_html: str,
    outputs: list[FigureView | str],
    caption_html: str,
    anchor: str = "",
    captions: tuple[str, ...] = (),
    figure_ids: tuple[str, ...] = (),
) -> str:
    """A cell: ``code_html`` ("" when echo is off), then its outputs in the order the
    cell produced them: figures, and printed text (a ``str``).

    ``captions`` and ``figure_ids``, when given, are each figure's own (a numbered
    figure's caption starts with its number; the second figure of ``anchor`` is
    ``anchor-2``); otherwise every figure shows ``caption_html``.
    """
    parts = [code_html]
    figures = 0
    for output in outputs:
        if isinstance(output, str):
            parts.append(f'<pre class="cell-output">{escape(output)}</pre>')
            continue
        parts.append(render_figure(
            output, captions[figures] if figures < len(captions) else caption_html,
            figure_ids[figures] if figures < len(figure_ids) else ""))
        figures += 1
    anchor_attr = f' id="{escape(anchor)}"' if anchor else ""
    return f'<div class="cell"{anchor_attr}>{"".join(parts)}</div>'
