"""A fixture course for the LMS export tests, and how to read an export back.

The course has every kind of question (single and several correct choices with
feedback, numeric with and without a tolerance, hints, a question with
parameters), a reference to a labelled equation, a course macro, raw HTML in
a question, two sections and a chapter without questions.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from xml.etree import ElementTree

from tests.coursekit import chapter, make_course

COURSE_YML = """\
title: LMS Course
macros:
  half: '\\frac{1}{2}'
  norm: ['\\left\\lVert #1 \\right\\rVert', 1]
"""

CHOICES = [
    {"id": "pick-one", "shuffle": True,
     "question": "Which number is $\\half$? <script>alert(1)</script>",
     "choices": [
         {"text": "$0.5$", "correct": True, "feedback": "Yes: $1/2 = 0.5$."},
         {"text": "$2$", "feedback": "That is $2/1$, see \\eqref{eq-one}."},
         "Three",
     ],
     "explanation": "Because $\\half = 0.5$; see [](#eq-one)."},
    {"id": "pick-many", "question": "Which numbers are even?",
     "choices": [{"text": "two", "correct": True}, {"text": "four", "correct": True},
                 {"text": "three", "feedback": "Three is odd."}, "five"]},
    {"id": "root-two", "question": "What is $\\norm{\\sqrt{2}}$?", "answer": "sqrt(2)",
     "tolerance": 0.001, "hints": ["Square it.", "Then take $\\sqrt{\\cdot}$."],
     "explanation": "$\\sqrt{2} \\approx 1.414$."},
    {"id": "third", "question": "What is one third?", "answer": "1/3"},
]
PARAMS = [
    {"id": "scaled", "question": "What is ${{a}} \\cdot {{b}}$?",
     "params": {"a": [1, 4], "b": {"choices": [0.5, 2]}}, "variants": 5,
     "answer": "a*b", "tolerance": 0.01, "explanation": "It is ${{a}} \\cdot {{b}}$."},
]
LAST = [{"id": "four", "question": "Two plus two?", "answer": 4, "tolerance": 0}]


def lms_course(tmp_path: Path) -> Path:
    """The fixture course's content folder: 1.1 choices, 1.2 params, 2.1 one question,
    2.2 none."""
    return make_course(tmp_path, {
        "course.yml": COURSE_YML,
        "01-first/01-choices.md": chapter(
            "Choices and $\\half$", "Text.\n\n$$\nx = 1 \\label{eq-one}\n$$\n", quiz=CHOICES),
        "01-first/02-params.md": chapter("Params", "Text.\n", quiz=PARAMS),
        "02-second/01-more.md": chapter("More", "Text.\n", quiz=LAST),
        "02-second/02-none.md": chapter("None", "Text without questions.\n"),
    })


def local(element: ElementTree.Element) -> str:
    """An element's name without its namespace."""
    return element.tag.rsplit("}", 1)[-1]


def find_all(element: ElementTree.Element, name: str) -> list[ElementTree.Element]:
    """Every descendant named ``name``, whatever its namespace."""
    return [e for e in element.iter() if local(e) == name]


def child(element: ElementTree.Element, name: str) -> ElementTree.Element:
    found = [e for e in element if local(e) == name]
    assert len(found) == 1, f"{local(element)} has {len(found)} <{name}>"
    return found[0]


def zip_entries(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {info.filename: package.read(info) for info in package.infolist()}


def assessments(data: bytes) -> dict[str, ElementTree.Element]:
    """Each assessment of a QTI zip, by its title."""
    found = {}
    for name, entry in zip_entries(data).items():
        if name.endswith(".xml") and "/" in name and not name.endswith("assessment_meta.xml"):
            assessment = child(ElementTree.fromstring(entry), "assessment")
            found[assessment.get("title", "")] = assessment
    return found
