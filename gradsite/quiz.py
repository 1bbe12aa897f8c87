"""The ``quiz`` front matter key (spec section 6), read into Question values.

Rules checked here: every question has text; a question has either choices or
an answer; a choice question has at least two distinct choices and at least
one correct one; ids are slugs, unique within the chapter.
"""

from __future__ import annotations

import re
from typing import Any

from .diagnostics import Diagnostic, did_you_mean, error
from .model import Choice, Marks, Param, Question
from .params import (
    DEFAULT_VARIANTS,
    MAX_VARIANTS,
    combinations,
    parse_params,
    unknown_parameter_names,
)
from .schema import CHOICE_FIELDS, QUESTION_FIELDS, YAML_BOOLEAN_HINT, check_mapping

SLUG = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")


def parse_quiz(
    value: Any, marks: Marks, declared: frozenset[str] = frozenset()
) -> tuple[tuple[Question, ...], list[Diagnostic]]:
    """The questions of a chapter; ``declared`` are its functions' names."""
    if value is None:
        return (), []
    problems: list[Diagnostic] = []
    questions: list[Question] = []
    seen_ids: dict[str, str] = {}
    for index, item in enumerate(value):
        path = f"quiz[{index}]"
        fields, found = check_mapping(item, QUESTION_FIELDS, marks, path, "question")
        problems.extend(found)
        if found:
            continue
        question, found = _question(index, path, fields, marks, declared)
        problems.extend(found)
        if question is None:
            continue
        if question.id in seen_ids:
            problems.append(
                error(marks.at(f"{path}.id"),
                      f"{path}.id: '{question.id}' is already the id of {seen_ids[question.id]}",
                      "question ids must be unique within a chapter")
            )
            continue
        seen_ids[question.id] = path
        questions.append(question)
    return tuple(questions), problems


def failed_question_ids(value: Any, loaded: tuple[Question, ...]) -> frozenset[str]:
    """The ids of the questions of ``value`` (the ``quiz`` list as written) that failed
    to load: a ```` ```quiz ```` block that places one is not called unknown as well."""
    if not isinstance(value, list):
        return frozenset()
    kept = {question.key_path for question in loaded}
    failed = set()
    for index, item in enumerate(value):
        if f"quiz[{index}]" in kept:
            continue
        written = item.get("id") if isinstance(item, dict) else None
        if isinstance(written, str | int | float) and not isinstance(written, bool):
            failed.add(str(written))
        elif written is None:
            failed.add(f"q{index + 1}")  # the default id
    return frozenset(failed)


def _question(
    index: int, path: str, fields: dict[str, Any], marks: Marks, declared: frozenset[str]
) -> tuple[Question | None, list[Diagnostic]]:
    problems: list[Diagnostic] = []
    qid = fields.get("id", f"q{index + 1}")
    if not SLUG.match(qid):
        problems.append(
            error(marks.at(f"{path}.id"), f"{path}.id: '{qid}' is not a slug",
                  "use lowercase letters, digits and single hyphens, e.g. role-of-gradient")
        )
    has_choices = "choices" in fields
    has_answer = "answer" in fields
    if has_choices == has_answer:
        problems.append(
            error(marks.at(path),
                  f"{path}: a question needs either 'choices' or 'answer'"
                  + (", not both" if has_choices else ""),
                  "choices make a multiple-choice question; answer a numeric one")
        )
    choices: tuple[Choice, ...] = ()
    if has_choices:
        choices, found = _choices(fields["choices"], f"{path}.choices", marks)
        problems.extend(found)
        if "tolerance" in fields:
            problems.append(error(marks.at(f"{path}.tolerance"),
                                  f"{path}.tolerance: only numeric questions have a tolerance"))
    answer = None
    if has_answer:
        answer = fields["answer"]
        if isinstance(answer, bool) or not isinstance(answer, str | int | float):
            problems.append(error(marks.at(f"{path}.answer"),
                                  f"{path}.answer: expected a number or an expression"))
        elif not isinstance(answer, str):
            answer = float(answer)
        if fields.get("shuffle"):
            problems.append(error(marks.at(f"{path}.shuffle"),
                                  f"{path}.shuffle: only choice questions can be shuffled"))
    tolerance = fields.get("tolerance")
    if tolerance is not None and tolerance < 0:
        problems.append(error(marks.at(f"{path}.tolerance"),
                              f"{path}.tolerance: must not be negative"))
    if not fields["question"].strip():
        problems.append(error(marks.at(f"{path}.question"), f"{path}.question: is empty"))
    hints, found = _hints(fields.get("hints", []), f"{path}.hints", marks)
    problems.extend(found)
    params: tuple[Param, ...] = ()
    if "params" in fields:
        params, found = parse_params(fields["params"], marks, path, declared)
        problems.extend(found)
    variants, found = _variant_count(fields, path, marks, params)
    problems.extend(found)
    if not problems and params:
        problems.extend(_unknown_name_problems(fields, path, marks, params))
    if problems:
        return None, problems
    question = Question(
        id=qid,
        question=fields["question"],
        explanation=fields.get("explanation", ""),
        choices=choices,
        answer=answer,
        tolerance=tolerance,
        shuffle=fields.get("shuffle", False),
        location=marks.at(path),
        key_path=path,
        hints=hints,
        params=params,
        variants=variants,
    )
    return question, []


def _hints(value: Any, path: str, marks: Marks) -> tuple[tuple[str, ...], list[Diagnostic]]:
    if not isinstance(value, list):
        return (), [error(marks.at(path), f"{path}: expected a list of texts",
                          "for example:  hints: ['Differentiate term by term.']")]
    hints, problems = [], []
    for i, hint in enumerate(value):
        if isinstance(hint, bool) or not isinstance(hint, str | int | float) or \
                not str(hint).strip():
            problems.append(error(marks.at(f"{path}[{i}]"),
                                  f"{path}[{i}]: expected a hint's text, got {hint!r}"))
            continue
        hints.append(str(hint))
    return tuple(hints), problems


def _variant_count(
    fields: dict[str, Any], path: str, marks: Marks, params: tuple[Param, ...]
) -> tuple[int, list[Diagnostic]]:
    """How many variants: ``variants`` as written (a question with params only), or the
    default; a count the parameters cannot give is an error."""
    where = marks.at(f"{path}.variants")
    if "variants" not in fields:
        if not params:
            return 1, []
        wanted, written = DEFAULT_VARIANTS, False
    else:
        wanted, written = fields["variants"], True
        if not params:
            return 1, [error(where, f"{path}.variants: only a question with 'params' has "
                             "variants", "add params, or remove variants")]
        if not (float(wanted).is_integer() and 1 <= wanted <= MAX_VARIANTS):
            return 1, [error(where, f"{path}.variants: expected a whole number from 1 to "
                             f"{MAX_VARIANTS}, got {wanted:g}")]
        wanted = int(wanted)
    available = combinations(params)
    if available < wanted:
        said = f"variants: {wanted}" if written else f"the default of {wanted} variants"
        return 1, [error(where if written else marks.at(f"{path}.params"),
                         f"{path}: the parameters give {available} distinct variant"
                         f"{'s' if available != 1 else ''}, fewer than {said}",
                         f"write variants: {available}, or give the parameters more values")]
    return wanted, []


def _unknown_name_problems(
    fields: dict[str, Any], path: str, marks: Marks, params: tuple[Param, ...]
) -> list[Diagnostic]:
    """Each ``{{name}}`` in a question's texts that names no parameter."""
    names = {param.name for param in params}
    texts = [(f"{path}.question", fields["question"]),
             (f"{path}.explanation", fields.get("explanation", ""))]
    texts += [(f"{path}.hints[{i}]", str(hint)) for i, hint in enumerate(fields.get("hints", []))]
    for i, choice in enumerate(fields.get("choices", [])):
        if isinstance(choice, dict):
            texts += [(f"{path}.choices[{i}].text", str(choice.get("text", ""))),
                      (f"{path}.choices[{i}].feedback", str(choice.get("feedback", "")))]
        else:
            texts.append((f"{path}.choices[{i}]", str(choice)))
    problems = []
    for key, text in texts:
        for name in unknown_parameter_names(text, names):
            problems.append(error(marks.at(key), f"{key}: '{{{{{name}}}}}' names no parameter",
                                  did_you_mean(name, sorted(names), "parameters")))
    return problems


def _choices(
    value: list[Any], path: str, marks: Marks
) -> tuple[tuple[Choice, ...], list[Diagnostic]]:
    problems: list[Diagnostic] = []
    choices: list[Choice] = []
    for i, item in enumerate(value):
        where = marks.at(f"{path}[{i}]")
        if isinstance(item, str | int | float) and not isinstance(item, bool):
            choices.append(Choice(str(item), False, "", where))
            continue
        if isinstance(item, bool):
            problems.append(error(where, f"{path}[{i}]: expected text, got '{str(item).lower()}'",
                                  YAML_BOOLEAN_HINT))
            continue
        fields, found = check_mapping(item, CHOICE_FIELDS, marks, f"{path}[{i}]", "choice")
        problems.extend(found)
        if not found:
            choices.append(
                Choice(fields["text"], fields.get("correct", False), fields.get("feedback", ""),
                       where)
            )
    where = marks.at(path)
    if len(value) < 2:
        problems.append(error(where, f"{path}: a choice question needs at least two choices"))
    elif not problems and not any(c.correct for c in choices):
        problems.append(error(where, f"{path}: no choice is marked correct",
                              "add 'correct: true' to the right choice"))
    seen: set[str] = set()
    for i, choice in enumerate(choices):
        normal = " ".join(choice.text.split()).casefold()
        if normal in seen:
            problems.append(error(choice.location,
                                  f"{path}[{i}]: the same choice appears twice: '{choice.text}'"))
        seen.add(normal)
    return tuple(choices), problems
