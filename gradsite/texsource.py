"""LaTeX as authors write it in Markdown, read before KaTeX sees it.

Notebooks written for MathJax carry habits that KaTeX alone would not take:

- a display environment (``\\begin{align}...\\end{align}``) written outside
  ``$$``, which the scan (scan/prose.py) makes display math when it starts a line;
- ``\\newcommand``, ``\\def`` and their kin, which KaTeX keeps for one formula
  only: the next formula that uses the macro would fail far from the cause,
  so each definition is an error at its place, with the ``course.yml`` line
  that defines the macro for every formula.

It also says where a character of a formula stands in the file, so a LaTeX
error gets its ``line:column`` and not the line where the formula opens.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

# amsmath's display environments: outside $$, at the start of a line, each is
# display math as if written inside $$ ... $$. KaTeX has no multline, eqnarray
# nor flalign; they are taken too, so that their error says what to write instead.
DISPLAY_ENVIRONMENTS = frozenset({
    "equation", "equation*", "align", "align*", "alignat", "alignat*", "gather", "gather*",
    "multline", "multline*", "eqnarray", "eqnarray*", "flalign", "flalign*",
})
# Environments that exist only inside math: outside it LaTeX stops with an error,
# and MathJax sets them only with an option turned on.
MATH_ONLY_ENVIRONMENTS = frozenset({
    "aligned", "alignedat", "gathered", "split", "cases", "dcases", "rcases", "array",
    "darray", "matrix", "pmatrix", "bmatrix", "Bmatrix", "vmatrix", "Vmatrix", "smallmatrix",
    "subarray", "CD",
})
BEGIN_ENVIRONMENT = re.compile(r"\\begin\{([A-Za-z]+\*?)\}")
# What to write for an environment KaTeX does not have.
ENVIRONMENT_HINTS = {
    "multline": "KaTeX has no multline: break the formula with \\\\ inside "
                "\\begin{gather} ... \\end{gather}, or with \\begin{split} inside equation",
    "eqnarray": "eqnarray is obsolete and KaTeX has no such environment: write "
                "\\begin{align} ... \\end{align}, with 'a &= b' for 'a &=& b'",
    "flalign": "KaTeX has no flalign: write \\begin{align} ... \\end{align}",
}


def environment_hint(message: str) -> str:
    """The hint for KaTeX's "No such environment: X" about a known LaTeX one, or ""."""
    found = re.match(r"No such environment: ([A-Za-z]+)", message)
    return ENVIRONMENT_HINTS.get(found.group(1), "") if found else ""


def bare_environment_end(text: str, begin: re.Match[str]) -> int:
    """The offset just after the ``\\end{...}`` that closes ``begin``, or -1."""
    closer = f"\\end{{{begin.group(1)}}}"
    end = text.find(closer, begin.end())
    return end + len(closer) if end >= 0 else -1


def bare_environment_problem(name: str, at_line_start: bool) -> tuple[str, str]:
    """Why ``\\begin{name}`` outside math is not math here (message, hint), or
    ``("", "")`` when it is display math."""
    begin = f"\\begin{{{name}}}"
    if name in DISPLAY_ENVIRONMENTS:
        if at_line_start:
            return "", ""
        return (f"{begin} is display math only at the start of a line",
                "start it on a line of its own, or write it inside $$ ... $$")
    if at_line_start:
        return (f"{begin} works only inside math",
                "write it inside $$ ... $$")
    return "", ""


# --- macro definitions ---------------------------------------------------------------

_DEFINITION = re.compile(
    r"\\(newcommand|renewcommand|providecommand|DeclareMathOperator|gdef|edef|xdef|def|let)"
    r"(?![A-Za-z])(\*?)")
_NAME = re.compile(r"\s*(?:\{\s*\\([A-Za-z]+)\s*\}|\\([A-Za-z]+))")
_ARGUMENT_COUNT = re.compile(r"\s*\[\s*(\d)\s*\]")
_PARAMETERS = re.compile(r"(?:#\d)*")
_LET_TARGET = re.compile(r"\s*=?\s*(\\[A-Za-z]+|\\.|[^\s\\{}])")
COURSE_MACROS = "macros of course.yml work in every formula of the course"


@dataclass(frozen=True)
class Definition:
    """A macro defined inside a formula, which would last for that formula only."""

    offset: int  # of its backslash, in the formula
    command: str  # "\\newcommand"
    name: str  # the macro's name without its backslash; "" when it could not be read
    hint: str


def definitions(latex: str) -> list[Definition]:
    """Every ``\\newcommand``, ``\\renewcommand``, ``\\def``, ... in a formula."""
    if "\\" not in latex:
        return []
    return [_definition(latex, found) for found in _DEFINITION.finditer(latex)]


def _definition(latex: str, found: re.Match[str]) -> Definition:
    command, star = found.group(1), found.group(2)
    shown = f"\\{command}{star}"
    name_match = _NAME.match(latex, found.end())
    if name_match is None:
        return Definition(found.start(), shown, "", f"define the macro in course.yml: "
                          f"{COURSE_MACROS}")
    name = name_match.group(1) or name_match.group(2)
    position, arguments, body = name_match.end(), 0, None
    if command == "let":
        target = _LET_TARGET.match(latex, position)
        body = target.group(1) if target else None
    elif command == "DeclareMathOperator":
        operator = _braced(latex, position)
        if operator is not None:
            body = f"\\operatorname{star}{{{operator[0]}}}"
    elif command in ("newcommand", "renewcommand", "providecommand"):
        count = _ARGUMENT_COUNT.match(latex, position)
        if count is not None:
            arguments, position = int(count.group(1)), count.end()
        if not latex[position:].lstrip().startswith("["):  # no default for an argument
            braced = _braced(latex, position)
            body = braced[0] if braced else None
    else:  # \def\name#1#2{...}
        parameters = _PARAMETERS.match(latex, position)
        assert parameters is not None  # it matches the empty string
        arguments = len(parameters.group(0)) // 2
        braced = _braced(latex, parameters.end())
        body = braced[0] if braced else None
    return Definition(found.start(), shown, name, _course_macro_hint(name, body, arguments))


def _course_macro_hint(name: str, body: str | None, arguments: int) -> str:
    if body is None:
        return f"define \\{name} in course.yml, under macros: ({COURSE_MACROS})"
    quoted = "'" + body.strip().replace("'", "''") + "'"  # YAML's single quotes
    value = f"[{quoted}, {arguments}]" if arguments else quoted
    return f"put it in course.yml: macros: {{{name}: {value}}} ({COURSE_MACROS})"


def _braced(latex: str, start: int) -> tuple[str, int] | None:
    """The text of the brace group at ``start`` (spaces before it skipped) and the
    offset after it, or None."""
    position = start
    while position < len(latex) and latex[position].isspace():
        position += 1
    if position >= len(latex) or latex[position] != "{":
        return None
    depth = 0
    index = position
    while index < len(latex):
        char = latex[index]
        if char == "\\":
            index += 2
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return latex[position + 1 : index], index + 1
        index += 1
    return None


def undefined_command(message: str) -> str:
    """The name in KaTeX's "Undefined control sequence: \\name", or ""."""
    found = re.match(r"Undefined control sequence: \\([A-Za-z]+)$", message)
    return found.group(1) if found else ""


# --- places in the file ----------------------------------------------------------------


def place_in_file(line: int, column: int, latex: str, offset: int) -> tuple[int, int]:
    """The line and column of character ``offset`` of a formula whose first character
    stands at ``line``, ``column`` (0: the column is unknown, and stays so on that
    line; the lines after it are whole lines of the file)."""
    before = latex[:offset]
    newlines = before.count("\n")
    if newlines:
        return line + newlines, offset - before.rfind("\n")
    return line, column + offset if column else 0


def offset_in_source(source: str, sent: str, offset: int) -> int:
    """Where character ``offset`` of ``sent`` (the formula as KaTeX read it:
    stripped, labels and references replaced) comes from in ``source``, the formula
    as written. The end of ``sent`` (an error at the end of the input) is the end of
    the formula as written, not where it opens."""
    if offset >= len(sent):
        return len(source.rstrip())
    if source == sent:
        return offset
    matcher = SequenceMatcher(None, sent, source, autojunk=False)
    for tag, sent_start, sent_end, start, _ in matcher.get_opcodes():
        if sent_start <= offset < sent_end:
            return start + (offset - sent_start if tag == "equal" else 0)
    return len(source.rstrip())
