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

# libyaml's parser when PyYAML was built with it: same nodes and marks, much faster.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class YamlDoc:
    value: Any
    marks: Marks


def load_yaml(
    text: str, path: str, first_line: int = 1
) -> tuple[YamlDoc | None, list[Diagnostic]]:
    """Parse one YAML document whose first line is line ``first_line`` of ``path``."""
    offset = first_line - 1
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return YamlDoc(None, Marks(Location(path, first_line))), []
        problems: list[Diagnostic] = []
        by_path: dict[str, Location] = {}
        keys: dict[str, Location] = {}
        value = _construct(loader, node, "", path, offset, by_path, keys, problems)
    except yaml.MarkedYAMLError as exc:
        return None, [_yaml_error(exc, text, path, offset)]
    except yaml.YAMLError as exc:  # pragma: no cover - PyYAML marks all parse errors
        return None, [error(Location(path, first_line), f"invalid YAML: {exc}")]
    finally:
        loader.dispose()
    return YamlDoc(value, Marks(_mark(node, path, offset), by_path, keys)), problems


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
    if "escape" in problem:
        hint = _DOUBLE_QUOTE_HINT
    elif "mapping values are not allowed" in problem:
        hint = "a value containing ': ' must be quoted"
    source = text.split("\n")[mark.line] if mark and mark.line < len(text.split("\n")) else ""
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
