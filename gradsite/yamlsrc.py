"""YAML with line numbers: plain values plus the location of every key and value.

PyYAML's node layer (``yaml.compose``) keeps marks that the constructed
Python values lose, so we construct values from the nodes ourselves and record
each node's line under its key path (``functions.f.gradient[1]``). Duplicate
keys, which PyYAML silently resolves to the last one, are errors here.
"""

from __future__ import annotations

import math
import re
import sys
from dataclasses import dataclass
from typing import Any

import yaml

from .diagnostics import Diagnostic, Location, error
from .model import Marks

_DOUBLE_QUOTE_HINT = (
    "LaTeX in double quotes turns backslashes into escapes; put it in single quotes "
    "('\\frac{a}{b}') or a block scalar (|)"
)


_LARGEST = int(sys.float_info.max)

# A number in exponent form that YAML 1.1 leaves as text: 1e3, -1.5e3, 1E2 (it reads
# only 1.0e+3 as a number). An author means a number, as YAML 1.2 reads it.
EXPONENT_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)[eE][-+]?\d+")
_TEXT_TAG = "tag:yaml.org,2002:str"


class ExponentNumber(float):
    """A number written in exponent form (``1e-3``): a float everywhere a number is
    expected, and the text as written where text is (``str``: a title, a choice,
    an expression), so ``1e-3`` is never shown as ``0.001``."""

    written: str

    def __new__(cls, written: str) -> ExponentNumber:
        number = super().__new__(cls, written)
        number.written = written
        return number

    def __str__(self) -> str:
        return self.written

    def __reduce__(self) -> tuple[type, tuple[float]]:
        return float, (float(self),)  # pickled as a plain float (cache entries, workers)

# Characters that YAML 1.1 (PyYAML) counts as line breaks and no editor shows as
# one: its line numbers would no longer be the file's.
_ODD_BREAKS = {"\x85": "NEXT LINE", "\u2028": "LINE SEPARATOR", "\u2029": "PARAGRAPH SEPARATOR"}
_ODD_BREAK = re.compile("[\x85\u2028\u2029]")

# libyaml's parser when PyYAML was built with it: same nodes and marks, much faster.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class YamlDoc:
    value: Any
    marks: Marks


def load_yaml(
    text: str, path: str, first_line: int = 1, root: str = ""
) -> tuple[YamlDoc | None, list[Diagnostic]]:
    """Parse one YAML document whose first line is line ``first_line`` of ``path``.

    ``root`` names the document itself in messages about its values (a cell
    option's value is a document of its own); its keys' paths start with it.
    """
    offset = first_line - 1
    odd_break = _ODD_BREAK.search(text)
    if odd_break is not None:
        at = odd_break.start()
        start = text.rfind("\n", 0, at) + 1
        name = _ODD_BREAKS[odd_break.group()]
        return None, [error(
            Location(path, offset + text.count("\n", 0, at) + 1, at - start + 1),
            f"invisible {name} character (U+{ord(odd_break.group()):04X}): YAML reads it as a "
            "line break",
            "it comes with pasted text and is invisible in most editors: replace it with a "
            "space, or with a new line")]
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return YamlDoc(None, Marks(Location(path, first_line))), []
        problems: list[Diagnostic] = []
        by_path: dict[str, Location] = {}
        keys: dict[str, Location] = {}
        value = _construct(loader, node, root, path, offset, by_path, keys, problems)
    except yaml.MarkedYAMLError as exc:
        return None, [_yaml_error(exc, text, path, offset)]
    except yaml.YAMLError as exc:  # pragma: no cover - PyYAML marks all parse errors
        return None, [error(Location(path, first_line), f"invalid YAML: {exc}")]
    finally:
        loader.dispose()
    texts = _text_starts(node, "", text.split("\n"), path, offset)
    return YamlDoc(value, Marks(_mark(node, path, offset), by_path, keys, texts)), problems


def _text_starts(
    node: yaml.Node, key_path: str, lines: list[str], path: str, offset: int
) -> dict[str, Location]:
    """Where the text of each one-line string value starts, for those whose characters
    are the file's as they are (plain, or quoted without an escape): the column of a
    character of the text is then this column plus its offset."""
    found: dict[str, Location] = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            child = f"{key_path}.{key_node.value}" if key_path else str(key_node.value)
            found.update(_text_starts(value_node, child, lines, path, offset))
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            found.update(_text_starts(item, f"{key_path}[{i}]", lines, path, offset))
    elif isinstance(node, yaml.ScalarNode) and node.style in (None, "", "'", '"') and key_path:
        start, value = node.start_mark, str(node.value)
        raw = lines[start.line] if start.line < len(lines) else ""
        column = start.column + (1 if node.style else 0)
        written = raw[column : column + len(value)]
        closed = not node.style or raw[column + len(value) : column + len(value) + 1] == node.style
        if value and written == value and closed and start.line == node.end_mark.line:
            found[key_path] = Location(path, start.line + 1 + offset, column + 1)
    return found


def _mark(node: yaml.Node, path: str, offset: int) -> Location:
    return Location(path, node.start_mark.line + 1 + offset, node.start_mark.column + 1)


def _construct(
    loader: yaml.SafeLoader | yaml.CSafeLoader,
    node: yaml.Node,
    key_path: str,
    path: str,
    offset: int,
    by_path: dict[str, Location],
    keys: dict[str, Location],
    problems: list[Diagnostic],
) -> Any:
    if key_path:
        by_path[key_path] = _mark(node, path, offset)
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                key = str(key)
            child = f"{key_path}.{key}" if key_path else key
            keys[child] = _mark(key_node, path, offset)
            if key in result:
                problems.append(
                    error(
                        _mark(key_node, path, offset),
                        f"{child}: duplicate key '{key}'",
                        "each key may appear once; the second one would silently win",
                    )
                )
            result[key] = _construct(loader, value_node, child, path, offset, by_path, keys,
                                     problems)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _construct(loader, item, f"{key_path}[{i}]", path, offset, by_path, keys, problems)
            for i, item in enumerate(node.value)
        ]
    value = loader.construct_object(node, deep=True)
    if (node.tag == _TEXT_TAG and not node.style and isinstance(value, str)
            and EXPONENT_NUMBER.fullmatch(value)):
        value = ExponentNumber(value)  # unquoted 1e3: a number (quoted '1e3' stays text)
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > _LARGEST:
        # Beyond any float: every check of a number can then say it is not finite
        # instead of crashing when converting it.
        value = math.inf if value > 0 else -math.inf
    if node.style == '"' and isinstance(value, str):
        problems.extend(_escape_trap(value, key_path, _mark(node, path, offset)))
    return value


# What YAML makes of a backslash in double quotes that LaTeX meant as a command:
# "\frac" is a form feed and "rac", "\theta" a tab and "heta" (spec section 2).
_ESCAPED_CONTROLS = {"\a": "a", "\b": "b", "\t": "t", "\v": "v", "\f": "f", "\r": "r",
                     "\x1b": "e", "\x00": "0"}
# "\n" is a line break, which a text may mean; these commands it may not.
_NEWLINE_COMMANDS = re.compile(r"\n(abla|eq|e|u|ot|eg|ewline|i|leq|geq|mid|parallel)\b")


def _escape_trap(value: str, key_path: str, where: Location) -> list[Diagnostic]:
    """An error for a double-quoted value where YAML ate the backslash of a LaTeX command."""
    found = [(value.find(char), letter) for char, letter in _ESCAPED_CONTROLS.items()
             if char in value]
    newline = _NEWLINE_COMMANDS.search(value)
    if newline:
        found.append((newline.start(), "n"))
    if not found:
        return []
    at, letter = min(found)
    word = re.match(r"[A-Za-z]*", value[at + 1:]).group(0)  # type: ignore[union-attr]
    return [error(where, f"{key_path or 'value'}: '\\{letter}{word}' in double quotes is not "
                  f"LaTeX: YAML reads '\\{letter}' as an escape (a control character)",
                  _DOUBLE_QUOTE_HINT)]


def _yaml_error(exc: yaml.MarkedYAMLError, text: str, path: str, offset: int) -> Diagnostic:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 + offset if mark else offset + 1
    column = mark.column + 1 if mark else 0
    problem = exc.problem or "invalid YAML"
    message = f"invalid YAML: {problem}"
    if exc.context:
        message += f" ({exc.context})"
    hint = ""
    lines = text.split("\n")
    source = lines[mark.line] if mark and mark.line < len(lines) else ""
    if "escape" in problem:
        hint = _DOUBLE_QUOTE_HINT
    elif "mapping values are not allowed" in problem:
        # `key:` alone on a line indented deeper than the one above, or `key: a: b`.
        if mark and ": " not in source[: mark.column]:
            hint = _indentation_hint(lines, mark.line, mark.column, offset, deeper=True)
        hint = hint or "a value containing ': ' must be quoted"
    elif mark and any(words in problem for words in _INDENTATION_PROBLEMS):
        hint = _indentation_hint(lines, mark.line, mark.column, offset, deeper=False)
    if "\t" in source[: len(source) - len(source.lstrip())] or "tab" in problem:
        hint = "indent YAML with spaces; a tab is not allowed there"
    elif not hint and source.count("'") >= 3:
        hint = ("inside single quotes, write a quote (a prime, an apostrophe) as two: "
                "'f''(x)'; or put the text in a | block")
    opened = _unclosed_before(text, mark.line if mark else 0)
    if opened is not None and opened[0] != (mark.line if mark else -1):
        # The parser gives up where the runaway quote or bracket finally ends,
        # often many lines below the mistake: point at where it began.
        at, what = opened
        hint = (f"line {at + 1 + offset} opens a {what} that is not closed on that line: "
                "YAML reads on until the next one" + (f"; also: {hint}" if hint else ""))
    return error(Location(path, line, column), message, hint)


# What PyYAML (and libyaml) say when a line is indented too little or too much.
_INDENTATION_PROBLEMS = ("did not find expected key", "did not find expected '-' indicator",
                         "expected <block end>")


def _indentation_hint(lines: list[str], row: int, column: int, offset: int,
                      deeper: bool) -> str:
    """A hint for a line (0-based ``row``) whose indentation does not fit: the most
    common YAML slip, so it says which columns are out of line. Empty when the
    error is not at the start of a line (``deeper``: on a line indented more than
    the one above it): then something else went wrong, a quote, say."""
    rule = ("the keys of one mapping (and the '-' items of one list) must start in the "
            "same column, indented with spaces")
    above = next((i for i in range(row - 1, -1, -1)
                  if lines[i].strip() and not lines[i].lstrip().startswith("#")), None)
    here = len(lines[row]) - len(lines[row].lstrip(" "))
    there = 0 if above is None else len(lines[above]) - len(lines[above].lstrip(" "))
    if (here <= there) if deeper else (column != here):
        return ""
    if above is None or here == there:
        return f"check the indentation: {rule}"
    if deeper:
        return (f"check the indentation: this line is indented more than line "
                f"{above + 1 + offset} above it, so YAML reads it as part of that line's "
                "value; line up the keys of one mapping, with spaces (or, if it is text, "
                "quote the value)")
    return (f"check the indentation: {rule}; this line is indented {here} "
            f"space{'s' if here != 1 else ''}, line {above + 1 + offset} above it {there}")


# A value that starts with a quote or a bracket: `key: 'text`, `- [1, 2`.
_VALUE_START = re.compile(r"^\s*(?:-\s+)?(?:[^\s#'\"][^:#]*:\s+|-\s+)?(['\"\[{])(.*)$")
_CLOSERS = {"'": ("'", "quote"), '"': ('"', "quote"), "[": ("]", "bracket"), "{": ("}", "brace")}


def _unclosed_before(text: str, last: int) -> tuple[int, str] | None:
    """The line (0-based) of a quote or bracket opened before line ``last`` and still
    open there, with what it opens; None if there is none."""
    lines = text.split("\n")[: last + 1]
    number = 0
    while number < last:
        found = _VALUE_START.match(lines[number])
        if not found:
            number += 1
            continue
        opener, rest = found.group(1), found.group(2)
        closer, what = _CLOSERS[opener]
        depth = 1
        for later in range(number, last):
            chunk = rest if later == number else lines[later]
            if opener == "'":
                chunk = chunk.replace("''", "")
            elif opener == '"':
                chunk = re.sub(r"\\.", "", chunk)
            if opener in "'\"":
                depth = 0 if closer in chunk else 1
            else:
                depth += chunk.count(opener) - chunk.count(closer)
            if depth <= 0:
                number = later + 1  # closed before the error: look further on
                break
        else:
            return number, what
    return None
