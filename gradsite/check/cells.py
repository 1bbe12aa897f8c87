"""Executed cells' options (spec section 4): ``#| key: value`` lines at the top of a cell.

Read in the builder's process, before anything runs, so every bad option, and
every cell that is not valid Python, is reported with its line together with
the course's other problems (``gradsite check`` included).
"""

from __future__ import annotations

import ast
import re
import warnings
from dataclasses import replace

from ..diagnostics import Diagnostic, Location, did_you_mean, error
from ..model import Block, Cell, CellOptions
from ..quiz import SLUG
from ..scan.fences import OTHER_TOOLS_OPTIONS
from ..schema import EXPONENT_NUMBER as _EXPONENT_NUMBER
from ..yamlsrc import load_yaml

OPTION_LINE = re.compile(r"^#\|\s*(?P<key>[A-Za-z_][\w-]*)\s*:\s?(?P<value>.*)$")
_QUOTE_HINT = "quote a value that contains ': ', ' #' or starts with '[': #| caption: 'a: b'"
MAX_TIMEOUT = 86400.0  # beyond it the timer itself overflows (1e10 s crashed the build)
OPTION_DOCS = {
    "caption": "Caption of the cell's figures (Markdown with math).",
    "alt": "Text alternative of the cell's figures.",
    "echo": "false: hide the code, keep the outputs (default true).",
    "output": "false: run and show the code, but none of its outputs (default true).",
    "timeout": "Seconds the cell may run (default 60).",
    "format": "Figure format: svg (default) or png.",
    "id": "Anchor for links to the cell.",
}


def parse_cell(block: Block) -> tuple[Cell, list[Diagnostic]]:
    lines = block.source.split("\n")
    values: dict[str, object] = {}
    lines_of: dict[str, int] = {}
    failed: set[str] = set()
    problems: list[Diagnostic] = []
    count = 0
    for count, line in enumerate(lines):  # noqa: B007 - count is the first code line after
        match = OPTION_LINE.match(line.strip())
        if not match:
            if line.strip().startswith("#|"):
                problems.append(error(Location(block.location.path, block.body_line + count),
                                      "a cell option must read '#| key: value'"))
                continue
            break
        key = match.group("key")
        where = Location(block.location.path, block.body_line + count)
        if key not in OPTION_DOCS:
            hint = _other_tools_hint(key) or did_you_mean(key, OPTION_DOCS, "options")
            problems.append(error(where, f"unknown cell option '{key}'", hint))
            continue
        # Where the value starts in the file's line: after the fence's indentation,
        # the line's own and the key.
        offset = block.body_indent + len(line) - len(line.lstrip()) + match.start("value")
        value, found = _option_value(key, match.group("value"), where, offset)
        if found:
            problems.extend(found)
            failed.add(key)
            continue
        values[key] = value
        lines_of[key] = where.line
    else:
        count = len(lines)
    options, found = _options(values, lines_of, failed, block.location.path)
    problems.extend(found)
    code = "\n".join(lines[count:])
    problems.extend(_syntax(code, Location(block.location.path, block.body_line + count)))
    return Cell(block, options, code, block.body_line + count), problems


def _option_value(
    key: str, raw: str, where: Location, offset: int
) -> tuple[object, list[Diagnostic]]:
    """The YAML value ``raw`` of option ``key`` on the line ``where``, ``offset``
    characters into it, read as front matter is (yamlsrc.py): the same errors and
    hints for the double-quote trap and for a quote inside single quotes, at the
    value's line and column in the Markdown file."""
    if not raw.strip():
        return "", []
    # Spaces stand for what comes before the value, so YAML's columns are the file's.
    doc, problems = load_yaml(" " * offset + raw, where.path, where.line,
                              root=f"cell option '{key}'")
    if doc is None:
        # A syntax error: YAML may place it past the end of the value, on the next line.
        return None, [replace(problem,
                              location=problem.location if problem.location.line == where.line
                              else where,
                              message=f"cell option '{key}': {problem.message}",
                              hint=problem.hint or _QUOTE_HINT)
                      for problem in problems]
    if problems:
        return None, problems
    if isinstance(doc.value, dict | list):
        # `#| caption: Loss: over k` is a mapping to YAML, not the text meant.
        return None, [error(where, f"cell option '{key}': expected one value, got "
                            f"YAML {'a mapping' if isinstance(doc.value, dict) else 'a list'}"
                            f" from '{raw.strip()}'", _QUOTE_HINT)]
    return doc.value, []


def _syntax(code: str, first_line: Location) -> list[Diagnostic]:
    """The cell's syntax error, if any, at its place in the Markdown file."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SyntaxWarnings are the worker's business
            ast.parse(code)
    except SyntaxError as exc:
        number = exc.lineno or 1
        lines = code.split("\n")
        text = lines[number - 1].strip() if number <= len(lines) else ""
        hint = ""
        if text.startswith(("%", "!")):
            hint = ("IPython magics and shell commands are not Python: remove the line "
                    "(figures are captured without %matplotlib)")
        where = Location(first_line.path, first_line.line + number - 1, exc.offset or 0)
        return [error(where, f"the cell has a syntax error: {exc.msg}", hint)]
    return []


def _options(
    values: dict[str, object], lines_of: dict[str, int], failed: set[str], path: str
) -> tuple[CellOptions, list[Diagnostic]]:
    """The options from their YAML values; ``failed``: those whose YAML was not read,
    to which those whose value is of the wrong kind are added."""
    problems: list[Diagnostic] = []

    def bad(key: str, expected: str) -> None:
        failed.add(key)
        problems.append(error(Location(path, lines_of[key]),
                              f"cell option '{key}': expected {expected}, got '{values[key]}'"))

    fields: dict[str, object] = {}
    for key in ("caption", "alt"):
        if key in values:
            if isinstance(values[key], str | int | float) and not isinstance(values[key], bool):
                fields[key] = str(values[key])
            else:
                bad(key, "text")
    if "caption" in fields:
        fields["caption_line"] = lines_of["caption"]
    for key in ("echo", "output"):
        if key in values:
            if isinstance(values[key], bool):
                fields[key] = values[key]
            else:
                bad(key, "true or false")
    if "timeout" in values:
        timeout = values["timeout"]
        if isinstance(timeout, str) and _EXPONENT_NUMBER.fullmatch(timeout.strip()):
            timeout = float(timeout)  # 1.0e3: text to YAML 1.1, a number to the author
        if (isinstance(timeout, int | float) and not isinstance(timeout, bool)
                and 0 < timeout <= MAX_TIMEOUT):
            fields["timeout"] = float(timeout)
        else:
            bad("timeout", f"a positive number of seconds, at most {MAX_TIMEOUT:g} (a day)")
    if "format" in values:
        if values["format"] in ("svg", "png"):
            fields["format"] = values["format"]
        else:
            bad("format", "svg or png")
    if "id" in values:
        if isinstance(values["id"], str) and SLUG.match(values["id"]):
            fields["id"] = values["id"]
            fields["id_line"] = lines_of["id"]
        else:
            bad("id", "a slug such as gradient-field")
    fields["failed"] = frozenset(failed)
    return CellOptions(**fields), problems  # type: ignore[arg-type]


def _other_tools_hint(key: str) -> str:
    """For an option named as in Quarto or R Markdown: gradsite's name for it."""
    name = OTHER_TOOLS_OPTIONS.get(key)
    if name:
        return f"gradsite calls it '{name}'"
    if key == "eval":
        return "every {python} cell runs; to show code without running it, use a ```python block"
    return ""
