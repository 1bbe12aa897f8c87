"""Fenced blocks: the kind a fence's info string makes (a ``{python}`` cell, a
``plot``, ``explore``, ``quiz`` or ``functions`` block, shown code), and its body with its lines.

A fence written to run in another tool's syntax (``{r}``, ``{python echo=FALSE}``)
is an error that says how to write it here.
"""

from __future__ import annotations

import re

from ..diagnostics import Diagnostic, Location, error
from ..model import BlockKind
from .findings import Findings

FENCE_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^`]*?)[ \t]*$")
CELL_INFO = re.compile(r"^\{\s*python\s*\}$")
# A fence meant to run, in another tool's syntax: {python echo=FALSE} (R Markdown),
# {r}, {julia}. {.python} is Pandoc's "show as Python" and stays a code block.
_LOOKS_EXECUTABLE = re.compile(r"^\{\s*[A-Za-z]")


def fenced_block(
    found: Findings, lines: list[str], start: int, match: re.Match[str], first_line: int,
    out: list[str],
) -> int:
    """Record the block whose fence ``match`` opens at ``lines[start]`` and put its
    token in ``out``; the index of the line after its closing fence."""
    indent, fence, info = match.group("indent"), match.group("fence"), match.group("info")
    location = Location(found.path, first_line + start)
    end = start + 1
    while end < len(lines) and not _closes(lines[end], fence):
        end += 1
    if end == len(lines):
        found.problems.append(
            error(location, f"this code fence ({fence}) is never closed",
                  f"add a line '{fence}' after the block")
        )
    body_lines = [_dedent(line, indent) for line in lines[start + 1 : end]]
    source = "\n".join(body_lines)
    kind: BlockKind
    if CELL_INFO.match(info):
        kind, lang = "cell", "python"
    elif _LOOKS_EXECUTABLE.match(info):
        found.problems.append(_not_a_cell(info, location))
        kind, lang = "code", info.strip("{} ").split()[0].split(",")[0]
    elif info == "plot":
        kind, lang = "plot", ""
    elif info == "explore":
        kind, lang = "explore", ""
    elif info == "quiz":
        kind, lang = "quiz", ""
    elif info == "functions":
        kind, lang = "functions", ""
    else:
        kind, lang = "code", info.split()[0].strip("{}.") if info else ""
    marker = found.add(kind, lang, source, location, first_line + start + 1,
                       body_indent=len(indent))
    # Blank lines around the token make it a paragraph of its own, so the
    # block's HTML never ends up inside a <p>.
    out.append(f"\n{indent}{marker}\n")
    return end + 1


def _closes(line: str, fence: str) -> bool:
    """A closing fence: only the fence's character, at least as many as it opened with."""
    stripped = line.strip()
    return len(stripped) >= len(fence) and stripped == fence[0] * len(stripped)


def _dedent(line: str, indent: str) -> str:
    return line[len(indent) :] if line.startswith(indent) else line.lstrip(" \t")


def _not_a_cell(info: str, location: Location) -> Diagnostic:
    """The error for a fence written to run in another tool's syntax."""
    lang, _, rest = info.strip("{} ").replace(",", " ", 1).partition(" ")
    if lang.lower() != "python":
        return error(location, f"'```{info}' is not run: only {{python}} cells run",
                     f"to show {lang} code without running it, write '```{lang}'")
    lines = []
    for key, value in _OPTION.findall(rest):
        value = value.strip("'\"")
        if value in ("TRUE", "FALSE", "True", "False"):  # R's and Python's spellings
            value = value.lower()
        lines.append(f"'#| {OTHER_TOOLS_OPTIONS.get(key, key)}: {value}'")
    inside = f" and, as its first lines, {'; '.join(lines)}" if lines else ""
    return error(location, f"'```{info}' is not a cell: options go inside it",
                 f"write '```{{python}}'{inside}")


_OPTION = re.compile(r"""([\w.-]+)\s*=\s*("[^"]*"|'[^']*'|[^\s,]+)""")
# Names that R Markdown and Quarto give the options gradsite has.
OTHER_TOOLS_OPTIONS = {"fig.cap": "caption", "fig-cap": "caption", "fig.alt": "alt",
                       "fig-alt": "alt", "fig.format": "format", "fig-format": "format",
                       "label": "id", "include": "output"}
