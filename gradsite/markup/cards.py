"""Function cards: the math of a chapter's declared functions, shown on its page.

A chapter that declares functions shows each one as display math: the
function, ``f(x, y) = ...`` (the author's ``tex``, or LaTeX generated from the
expression), and its gradient, ``∇f(x, y)`` as a column vector (``g'(x)`` for a
function of one variable), generated from the declared gradient. A badge says
whether the build checked the declared gradient against finite differences,
or computes the gradient numerically because none was declared.

The cards open the chapter, unless the front matter says ``cards: false``
(none) or the body places them with ```` ```functions ```` blocks: an empty
one shows every function, one that lists names (one a line) shows those
(``card_places``). The check stage reports a block's mistakes at their lines.

The math is rendered to MathML at build time (markup/math.py); everything
else that comes from the author is escaped.

A long formula makes a card scroll sideways on a phone. The scrolling part is
the card's body, a group named after the function ("Function f(x, y)"), so
that when gradsite.js makes it keyboard-focusable (only while it scrolls, as
it does wide formulas and tables) a screen reader says what it is.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from ..expr import CompiledFunction, function_name_latex, name_latex
from ..i18n import ENGLISH_WORDS, Words
from ..model import Block
from .math import render_math


def render_function_cards(functions: dict[str, CompiledFunction], macros: str = "",
                          words: Words = ENGLISH_WORDS) -> str:
    """HTML for the chapter's functions, with the course's ``macros``; empty when it
    declares none."""
    if not functions:
        return ""
    cards = "\n".join(_card(function, macros, words) for function in functions.values())
    return (
        f'<section class="function-cards" aria-label="{html.escape(words("cards.label"))}">\n'
        f"{cards}\n</section>"
    )


def fence_names(block: Block) -> list[tuple[int, str]]:
    """The names a ```` ```functions ```` block lists, with their lines: each
    non-blank line of its body (empty: the block shows every function)."""
    return [(block.body_line + offset, line.strip())
            for offset, line in enumerate(block.source.split("\n")) if line.strip()]


def card_places(
    functions: Sequence[CompiledFunction], shown: bool, blocks: Sequence[Block]
) -> tuple[tuple[CompiledFunction, ...], dict[int, tuple[CompiledFunction, ...]]]:
    """The functions whose cards open the page, and those each ``functions`` block
    shows (by block index). ``shown`` is false for ``cards: false``. A listed name
    that is not in ``functions`` (its declaration failed) is left out."""
    if not shown:
        return (), {}
    fences = [block for block in blocks if block.kind == "functions"]
    if not fences:
        return tuple(functions), {}
    by_name = {function.name: function for function in functions}
    placed: dict[int, tuple[CompiledFunction, ...]] = {}
    for block in fences:
        names = [name for _, name in fence_names(block)]
        placed[block.index] = (tuple(by_name[name] for name in names if name in by_name)
                               if names else tuple(functions))
    return (), placed


def card_formulas(function: CompiledFunction) -> tuple[str, ...]:
    """The LaTeX of a card's formulas: the function, and its gradient when declared."""
    # A tex that is a whole equation (\sigma(z) = \frac{1}{1 + e^{-z}}) is shown as
    # written: an f(x) = before it would say the left-hand side twice.
    shown = function.tex if _has_equals(function.tex) else f"{_head(function)} = {function.tex}"
    if not function.gradient_tex:
        return (shown,)
    return shown, f"{_gradient_head(function)} = {_vector(function.gradient_tex)}"


def _card(function: CompiledFunction, macros: str, words: Words = ENGLISH_WORDS) -> str:
    formulas = card_formulas(function)
    parts = [_math(formulas[0], function.expr, macros)]
    if len(formulas) > 1:
        parts.append(_math(formulas[1], ", ".join(function.gradient or ()), macros))
    if function.gradient_checked:
        badge = (f'<span class="gradient-checked">{html.escape(words("cards.checked"))}'
                 "</span>")
    elif function.gradient is None:
        badge = (f'<span class="gradient-numerical">{html.escape(words("cards.numerical"))}'
                 "</span>")
    else:
        badge = ""
    label = html.escape(words("cards.function",
                              function=f"{function.name}({', '.join(function.vars)})"))
    lines = ['<div class="function-card">',
             f'<div class="function-card-body" role="group" aria-label="{label}">', *parts]
    if badge:
        lines.append(f'<p class="function-badge">{badge}</p>')
    lines.append("</div>\n</div>")
    return "\n".join(lines)


def _has_equals(tex: str) -> bool:
    """An = outside braces (so not the one of a subscript such as i=1 in a sum)."""
    depth = 0
    for char in tex:
        depth += (char == "{") - (char == "}")
        if char == "=" and depth == 0:
            return True
    return False


def _head(function: CompiledFunction) -> str:
    arguments = ", ".join(name_latex(v) for v in function.vars)
    return f"{function_name_latex(function.name)}({arguments})"


def _gradient_head(function: CompiledFunction) -> str:
    name = function_name_latex(function.name)
    argument = name_latex(function.vars[0])
    if len(function.vars) == 1:
        return f"{name}'({argument})"
    arguments = ", ".join(name_latex(v) for v in function.vars)
    return f"\\nabla {name}({arguments})"


def _vector(components: tuple[str, ...]) -> str:
    if len(components) == 1:
        return components[0]
    return "\\begin{pmatrix} " + " \\\\ ".join(components) + " \\end{pmatrix}"


def _math(latex: str, fallback: str, macros: str) -> str:
    """Display MathML, or the source as code when the LaTeX cannot be rendered."""
    result = render_math(latex, True, macros)
    if result.error:
        return f'<p class="function-formula"><code>{html.escape(fallback)}</code></p>'
    return f'<div class="function-formula">{result.mathml}</div>'
