"""A formula's LaTeX as a notebook shows it: the author's source, readable by any
Jupyter front end (MathJax in JupyterLab and on GitHub, KaTeX in VS Code).

Three things of the site's math need the page's build, and are written out:

* the course's macros (``course.yml``) are expanded where they are used, since a
  ``\\newcommand`` in one Markdown cell reaches the others in some front ends
  only;
* a labelled display and each row that ``equation``, ``align``, ``alignat`` or
  ``gather`` numbers show their number as on the page, with ``\\tag{1.2.3}``
  (markup/equations.py reads the rows); ``\\label`` goes;
* ``\\eqref`` and ``\\ref`` become the number they refer to, as text
  (markup/numbering.py), since a notebook has no other chapters to point to.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Mapping

from ..markup.equations import display_rows, display_tag
from ..markup.numbering import math_with_numbers
from ..model import Label, Macro, Reference
from ..scan.labels import LABEL_COMMAND

_CONTROL = re.compile(r"\\([A-Za-z]+|.)", re.DOTALL)
_PARAMETER = re.compile(r"#([1-9#])")
# Deeper than any macro a course means: past it the formula is left as it is
# (KaTeX refused a macro that expands forever when the course was checked).
_MAX_DEPTH = 32


def notebook_math(
    latex: str, display: bool, labels: tuple[Label, ...], references: Mapping[str, Reference],
    macros: Mapping[str, Macro],
) -> str:
    """The formula's LaTeX for a notebook; ``labels`` are the chapter's labels of this
    formula (its block's), which number it."""
    if display:
        latex = _tagged(latex, labels)
    latex = textwrap.dedent(math_with_numbers(latex, references).strip("\n"))
    return expand_macros(latex, macros).strip()


def _tagged(latex: str, labels: tuple[Label, ...]) -> str:
    """A display with a ``\\tag`` for each number the page shows beside it."""
    numbered = {label.row: label.number for label in labels
                if label.kind == "equation" and label.number}
    rows = display_rows(latex)
    if not rows.environments:
        if -1 in numbered and not display_tag(latex):  # the number where its label was
            return LABEL_COMMAND.sub(lambda _: f"\\tag{{{numbered[-1]}}}", latex, count=1)
        return latex
    for index, row in reversed(list(enumerate(rows.rows))):
        if row.numbered and index in numbered:
            latex = f"{latex[:row.offset]} \\tag{{{numbered[index]}}}{latex[row.offset:]}"
    return latex


def expand_macros(latex: str, macros: Mapping[str, Macro], depth: int = 0) -> str:
    """``latex`` with each use of a course macro replaced by its definition, its
    arguments (``#1``...) put in, as TeX expands ``\\def\\name#1{...}``."""
    if not macros or "\\" not in latex or depth > _MAX_DEPTH:
        return latex
    out: list[str] = []
    position = 0
    while position < len(latex):
        char = latex[position]
        if char == "%":  # a comment, to the end of its line: nothing in it expands
            end = latex.find("\n", position)
            end = len(latex) if end < 0 else end + 1
            out.append(latex[position:end])
            position = end
            continue
        if char != "\\":
            out.append(char)
            position += 1
            continue
        command = _CONTROL.match(latex, position)
        if command is None:  # a backslash that ends the formula
            out.append(char)
            break
        macro = macros.get(command.group(1))
        position = command.end()
        if macro is None:
            out.append(command.group(0))
            continue
        arguments = []
        for _ in range(macro.arguments):
            argument, position = _argument(latex, position)
            arguments.append(argument)
        expanded = expand_macros(_put_in(macro.latex, arguments), macros, depth + 1)
        # A control word at its end must not run into a letter that follows it.
        if re.search(r"\\[A-Za-z]+$", expanded) and latex[position:position + 1].isalpha():
            expanded += " "
        out.append(expanded)
    return "".join(out)


def _put_in(body: str, arguments: list[str]) -> str:
    """A macro's definition with ``#1``... replaced by its arguments (``##`` is ``#``)."""

    def one(match: re.Match[str]) -> str:
        if match.group(1) == "#":
            return "#"
        number = int(match.group(1))
        return arguments[number - 1] if number <= len(arguments) else match.group(0)

    return _PARAMETER.sub(one, body)


def _argument(latex: str, position: int) -> tuple[str, int]:
    """A macro's argument at ``position``: a braced group (without its braces), a
    control sequence or one character, after spaces; and where it ends."""
    while position < len(latex) and latex[position] in " \t\n":
        position += 1
    if position >= len(latex):
        return "", position
    if latex[position] != "{":
        command = _CONTROL.match(latex, position)
        if command is not None:
            return command.group(0), command.end()
        return latex[position], position + 1
    depth, end = 0, position
    while end < len(latex):
        char = latex[end]
        if char == "\\":
            end += 2  # an escaped brace, \{, is no group's
            continue
        depth += (char == "{") - (char == "}")
        if depth == 0:
            return latex[position + 1:end], end + 1
        end += 1
    return latex[position + 1:], len(latex)
