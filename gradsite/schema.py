"""Declarative schemas for the author's YAML: one documented field spec per key.

The same tables feed validation (unknown keys are errors with a "did you mean")
and the authoring guide (``docs/authoring.md`` lists these fields).
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .diagnostics import Diagnostic, closest, did_you_mean, error
from .model import Marks
from .yamlsrc import EXPONENT_NUMBER  # also for a quoted '1e-3' (cells.py uses it too)

TEXT = "text"
BOOL = "bool"
NUMBER = "number"
LIST = "list"
MAPPING = "mapping"
ANY = "any"

YAML_BOOLEAN_HINT = ("YAML reads an unquoted yes, no, on, off, true or false as a truth value: "
                     "quote it to mean the word, e.g. 'Yes'")

_KIND_NAMES = {
    TEXT: "text",
    BOOL: "true or false",
    NUMBER: "a number",
    LIST: "a list",
    MAPPING: "a mapping of keys to values",
}


@dataclass(frozen=True)
class Field:
    name: str
    kind: str
    doc: str
    required: bool = False


COURSE_FIELDS = (
    Field("title", TEXT, "The course title, shown on every page.", required=True),
    Field("description", TEXT, "A paragraph (Markdown) for the course home."),
    Field("language", TEXT, "The language of the pages, as a BCP 47 tag (default `en`)."),
    Field("author", TEXT, "Who wrote the course."),
    Field("base_url", TEXT, "Absolute URL of the deployed site: canonical links, sitemap.xml."),
    Field("feedback_url", TEXT, "Where the 'Everything was clear?' prompt may send a reader."),
    Field("image", TEXT, "An image in the content folder (PNG, JPEG, GIF or WebP) that "
          "shared links show; needs `base_url`."),
    Field("macros", MAPPING, "LaTeX macros for all the course's math: `R: '\\mathbb{R}'`, "
          "or `norm: ['\\lVert #1 \\rVert', 1]` with arguments."),
    Field("strings", MAPPING, "Interface words in place of the language's own: "
          "`quiz.check: Try it` (see Interface languages)."),
)

SECTION_FIELDS = (
    Field("title", TEXT, "The section title (default: from the folder name)."),
    Field("summary", TEXT, "One sentence shown under the section title on the course home."),
)

CHAPTER_FIELDS = (
    Field("title", TEXT, "The chapter title.", required=True),
    Field("summary", TEXT, "One sentence shown on the course home and under the title."),
    Field("functions", MAPPING, "Declared math functions (see Declared functions)."),
    Field("quiz", LIST, "Questions (see Questions)."),
    Field("draft", BOOL, "true: left out of the build unless `--drafts` is given."),
    Field("cards", BOOL, "false: the page shows no function cards (see Function cards)."),
)

FUNCTION_FIELDS = (
    Field("expr", TEXT, "The function, in the expression language.", required=True),
    Field("vars", LIST, "Its variables, in order (default: those of x, y, z it uses)."),
    Field("gradient", LIST, "One expression per variable: the analytic gradient."),
    Field("domain", LIST, "One [low, high] per variable, for plots and checks."),
    Field("tex", TEXT, "LaTeX shown for the function."),
)

QUESTION_FIELDS = (
    Field("id", TEXT, "A slug, unique within the chapter (default q1, q2, ...)."),
    Field("question", TEXT, "The question (Markdown with math).", required=True),
    Field("choices", LIST, "Choice questions: the choices."),
    Field("answer", ANY, "Numeric questions: a number or an expression."),
    Field("tolerance", NUMBER, "Numeric questions: absolute tolerance."),
    Field("explanation", TEXT, "Shown once answered correctly or revealed."),
    Field("shuffle", BOOL, "true: shuffle the choices reproducibly."),
    Field("hints", LIST, "Hints (Markdown with math), shown one at a time."),
    Field("params", MAPPING, "Named values drawn per variant; `{{name}}` in the texts."),
    Field("variants", NUMBER, "With params: how many variants (default 10, at most 50)."),
)

CHOICE_FIELDS = (
    Field("text", TEXT, "The choice (Markdown with math).", required=True),
    Field("correct", BOOL, "true for a correct choice."),
    Field("feedback", TEXT, "Shown when the reader picks this choice."),
)


def check_mapping(
    value: Any,
    fields: Sequence[Field],
    marks: Marks,
    path: str,
    what: str,
) -> tuple[dict[str, Any], list[Diagnostic]]:
    """Validate a mapping against ``fields``; return the valid values and the problems.

    ``path`` is the key path of the mapping itself ("" for a document's root);
    ``what`` names it in messages ("course.yml", "front matter", "question").
    """
    here = marks.at(path) if path else marks.default
    if not isinstance(value, dict):
        return {}, [error(here, f"{path or what}: expected {_KIND_NAMES[MAPPING]}")]
    known = {f.name: f for f in fields}
    missing = {f.name for f in fields if f.required and f.name not in value}
    meant: set[str] = set()  # required keys that an unknown key is a typo of
    problems: list[Diagnostic] = []
    result: dict[str, Any] = {}
    for key, item in value.items():
        key_path = f"{path}.{key}" if path else key
        spec = known.get(key)
        if spec is None:
            hint = did_you_mean(key, known)
            close = closest(key, known)
            if close in missing:
                meant.add(close)
                hint += f" ('{close}' is required)"
            problems.append(error(marks.key_at(key_path), f"unknown key '{key}' in {what}", hint))
            continue
        converted, ok = _convert(item, spec.kind)
        if not ok:
            hint = ""
            if spec.kind == NUMBER and isinstance(item, float):
                hint = "the number must be finite: not .inf or .nan, and below about 1.8e308"
            elif spec.kind == TEXT and isinstance(item, bool):
                hint = YAML_BOOLEAN_HINT
            problems.append(
                error(
                    marks.at(key_path),
                    f"{key_path}: expected {_KIND_NAMES[spec.kind]}, got {_describe(item)}",
                    hint,
                )
            )
            continue
        result[key] = converted
    for spec in fields:
        # A typo of a missing key is one mistake: the unknown key's error names it.
        if spec.name in missing and spec.name not in meant:
            problems.append(
                error(here, f"{what} is missing the required key '{spec.name}'",
                      f"add '{spec.name}: ...', {_lower_first(spec.doc)}")
            )
    return result, problems


def _lower_first(text: str) -> str:
    """``The chapter title.`` -> ``the chapter title``: a field's doc inside a hint."""
    text = text.rstrip(".")
    return text[:1].lower() + text[1:]


def _convert(item: Any, kind: str) -> tuple[Any, bool]:
    if kind == ANY:
        return item, True
    if kind == TEXT:
        if isinstance(item, str):
            return item, True
        # A title like `2024` or a date is still text to the author.
        if isinstance(item, int | float | datetime.date) and not isinstance(item, bool):
            return str(item), True
        return item, False
    if kind == BOOL:
        return item, isinstance(item, bool)
    if kind == NUMBER:
        if isinstance(item, str) and EXPONENT_NUMBER.fullmatch(item.strip()):
            item = float(item)  # 1e-3: YAML 1.1 reads it as text, an author means a number
        ok = isinstance(item, int | float) and not isinstance(item, bool) and math.isfinite(item)
        return (float(item) if ok else item), ok
    if kind == LIST:
        return item, isinstance(item, list)
    if kind == MAPPING:
        return item, isinstance(item, dict)
    raise ValueError(f"unknown field kind {kind!r}")


def _describe(item: Any) -> str:
    if item is None:
        return "nothing"
    if isinstance(item, bool):
        return f"'{str(item).lower()}'"
    if isinstance(item, dict):
        return "a mapping"
    if isinstance(item, list):
        return "a list"
    if isinstance(item, str):
        return f"the text '{item}'" if len(item) < 40 else "text"
    return f"'{item}'"
