"""The ``macros`` key of course.yml, read into Macro values: a name -> LaTeX, or
[LaTeX, number of arguments]. Whether the LaTeX parses is the check stage's to say
(check/chapters.py), where KaTeX is at hand."""

from __future__ import annotations

import re

from .diagnostics import Diagnostic, error
from .model import Macro, Marks

_MACRO_NAME = re.compile(r"^[A-Za-z]+$")
_MACRO_HINT = ("write a macro as  R: '\\mathbb{R}'  or, with arguments, "
               "as  norm: ['\\left\\lVert #1 \\right\\rVert', 1]")


def parse_macros(value: object, marks: Marks) -> tuple[tuple[Macro, ...], list[Diagnostic]]:
    """The ``macros`` mapping of course.yml: name -> LaTeX, or [LaTeX, arguments].
    Whether the LaTeX parses is the check stage's to say."""
    if not isinstance(value, dict):
        return (), []
    macros: list[Macro] = []
    problems: list[Diagnostic] = []
    for name, spec in value.items():
        path = f"macros.{name}"
        where = marks.at(path)
        name = str(name).removeprefix("\\")
        latex, arguments = spec, 0
        if isinstance(spec, list) and len(spec) == 2:
            latex, arguments = spec
        if not _MACRO_NAME.match(name):
            problems.append(error(marks.key_at(path), f"{path}: '{name}' is not a macro name",
                                  "a macro's name is letters only, such as R or norm"))
        elif not isinstance(latex, str) or isinstance(arguments, bool) or \
                not isinstance(arguments, int) or not 0 <= arguments <= 9:
            problems.append(error(where, f"{path}: expected LaTeX, or [LaTeX, a number of "
                                  "arguments from 0 to 9]", _MACRO_HINT))
        else:
            macros.append(Macro(name, latex, arguments, where))
    return tuple(macros), problems
