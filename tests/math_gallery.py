"""The math corpus (tests/math_corpus/corpus.tex) as a page: each formula's LaTeX
beside gradsite's rendering of it, with the site's CSS and math font.

The browser test (tests/browser/test_math_corpus.py) measures this page; the
same page, with paths for the repository, is docs/math-gallery.html, for a
person to look at. Regenerate it after changing the math rendering or the corpus:

    PYTHONPATH=. python -m tests.math_gallery
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

from gradsite.assets import MATH_FONT_FILE, font_notice, math_characters, math_css, subset_math_font
from gradsite.markup.math import render_math
from gradsite.markup.numbering import math_with_numbers

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "math_corpus" / "corpus.tex"
THEME_CSS = ROOT / "templates" / "assets" / "gradsite.css"
GALLERY = ROOT / "docs" / "math-gallery.html"
GALLERY_FONTS = ROOT / "docs" / "fonts"
REGENERATE = "PYTHONPATH=. python -m tests.math_gallery"
_ENTRY = re.compile(r"^%% ([a-z0-9-]+)( inline)?$")


@dataclass(frozen=True)
class Formula:
    name: str
    latex: str
    display: bool


def corpus() -> list[Formula]:
    formulas: list[Formula] = []
    name, display, lines = "", True, []
    for line in [*CORPUS.read_text(encoding="utf-8").splitlines(), "%% end"]:
        found = _ENTRY.match(line)
        if found:
            if name:
                formulas.append(Formula(name, "\n".join(lines).strip(), display))
            name, display, lines = found.group(1), not found.group(2), []
        elif name and not line.startswith("% "):
            lines.append(line)
    return formulas


def rendered(formula: Formula) -> str:
    """The formula's MathML as a chapter has it (``\\label`` taken out, as the
    pipeline does before KaTeX)."""
    result = render_math(math_with_numbers(formula.latex, {}), formula.display)
    if result.error:
        raise ValueError(f"{formula.name}: {result.error}")
    return result.mathml


def gallery_html(theme_css_href: str) -> str:
    """The page, linking the theme's CSS at ``theme_css_href``; the math CSS is in
    the page and the font in ``fonts/`` beside it."""
    rows = []
    for formula in corpus():
        mathml = rendered(formula)
        shown = (f'<div class="math-display">{mathml}</div>' if formula.display
                 else f'<p>Inline: {mathml} in a line of text.</p>')
        rows.append(f'<tr id="{formula.name}"><th scope="row">{formula.name}</th>'
                    f"<td><pre><code>{html.escape(formula.latex)}</code></pre></td>"
                    f'<td class="rendering">{shown}</td></tr>')
    body = "\n".join(rows)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>gradsite math gallery</title>
<style>
{math_css()}</style>
<link rel="stylesheet" href="{theme_css_href}">
<style>
body {{ margin: 0 auto; padding: 1rem 1.5rem; max-width: 72rem; }}
.gallery {{ border-collapse: collapse; }}
.gallery th, .gallery td {{ padding: 0.5rem; border-bottom: 1px solid #ccc; }}
.gallery th {{ font-weight: normal; text-align: left; }}
.gallery pre {{ margin: 0; max-width: 30rem; white-space: pre-wrap; font-size: 0.8rem; }}
.gallery .rendering {{ width: 36rem; min-width: 36rem; max-width: 36rem; }}
</style>
</head>
<body>
<main class="prose">
<h1>Math gallery</h1>
<p>Every formula of gradsite's math corpus (tests/math_corpus/corpus.tex): its LaTeX,
and the MathML gradsite writes for it, set in the site's STIX Two Math font.
Written by the tests; regenerate with <code>{REGENERATE}</code>.</p>
<table class="gallery">
<thead><tr><th scope="col">name</th><th scope="col">LaTeX</th>
<th scope="col">rendering</th></tr></thead>
<tbody>
{body}
</tbody>
</table>
</main>
</body>
</html>
"""


def write_gallery(folder: Path, theme_css_href: str, name: str = GALLERY.name) -> Path:
    """The page and its font (subset to the page's math) in ``folder``."""
    page = gallery_html(theme_css_href)
    (folder / name).write_text(page, encoding="utf-8")
    fonts = folder / "fonts"
    fonts.mkdir(exist_ok=True)
    (fonts / MATH_FONT_FILE).write_bytes(subset_math_font(math_characters([page])))
    (fonts / "LICENSE-STIX.txt").write_text(font_notice(), encoding="utf-8")
    return folder / name


if __name__ == "__main__":
    written = write_gallery(GALLERY.parent, "../templates/assets/gradsite.css")
    print(f"wrote {written.relative_to(ROOT)} and {GALLERY_FONTS.relative_to(ROOT)}/")
