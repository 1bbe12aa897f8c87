"""``export moodle``: the course's questions as a Moodle XML file, for Moodle's
question bank import ("Moodle XML format").

Categories: ``$course$/top/COURSE/1.2 CHAPTER``, one per chapter, so the
import builds the course's tree in the bank. A question with parameters has
one question per variant in a category of its own under its chapter's (named
by its id), so a quiz can draw "a random question" from it, as the site shows
one variant at a time.

- single and several correct choices: ``multichoice`` with ``single`` true or
  false; a correct choice is worth 100% (several: 100% / their count, each
  wrong one -100% / theirs, so choosing everything scores nothing); each
  choice carries its feedback;
- numeric: ``numerical``, the answer with its absolute ``tolerance``;
- the explanation is the general feedback, and the hints are Moodle's hints
  (shown one per try in the interactive behaviour).

Texts are HTML with TeX math in ``\\(...\\)``, which Moodle's MathJax filter
typesets. The same course gives the same bytes.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree

from .questions import LmsChapter, LmsCourse, LmsQuestion, decimal_text

GRADE = "1"  # every question is worth one point; a teacher changes that in Moodle
PENALTY = "0.3333333"  # Moodle's default: what each wrong try costs with several tries


def moodle_xml(course: LmsCourse) -> bytes:
    """The Moodle XML file's bytes: each chapter's category, then its questions."""
    root = etree.Element("quiz")
    for chapter in course.chapters:
        base = category_path(course.title, chapter)
        _category(root, base, chapter.summary_html)
        # A category holds the questions after it: the chapter's own first, then
        # each family of variants in its own.
        for family in chapter.families:
            if len(family.variants) == 1:
                root.append(_question(family.variants[0]))
        for family in chapter.families:
            if len(family.variants) > 1:
                _category(root, f"{base}/{_category_name(family.id)}", "")
                for question in family.variants:
                    root.append(_question(question))
    etree.indent(root, space="  ")
    return etree.tostring(root, encoding="UTF-8", xml_declaration=True) + b"\n"


def category_path(course_title: str, chapter: LmsChapter) -> str:
    """Where a chapter's questions go in the question bank of the course it is imported to."""
    return (f"$course$/top/{_category_name(course_title)}/"
            f"{_category_name(f'{chapter.position} {chapter.title}')}")


def _category_name(name: str) -> str:
    # In a category's path "/" separates the levels; a "/" in a name is written "//".
    return name.replace("/", "//")


def _category(root: etree.Element, path: str, info_html: str) -> None:
    question = etree.SubElement(root, "question", {"type": "category"})
    _text(etree.SubElement(question, "category"), path)
    _text(etree.SubElement(question, "info", {"format": "html"}), info_html)


def _question(question: LmsQuestion) -> etree.Element:
    kind = "numerical" if question.kind == "numeric" else "multichoice"
    element = etree.Element("question", {"type": kind})
    _text(etree.SubElement(element, "name"), question.title)
    _text(etree.SubElement(element, "questiontext", {"format": "html"}), question.text_html)
    _text(etree.SubElement(element, "generalfeedback", {"format": "html"}),
          question.explanation_html)
    etree.SubElement(element, "defaultgrade").text = GRADE
    etree.SubElement(element, "penalty").text = PENALTY
    etree.SubElement(element, "hidden").text = "0"
    if question.kind == "numeric":
        _numerical(element, question)
    else:
        _multichoice(element, question)
    for hint in question.hints_html:
        _text(etree.SubElement(element, "hint", {"format": "html"}), hint)
    return element


def _multichoice(element: etree.Element, question: LmsQuestion) -> None:
    single = question.kind == "single"
    etree.SubElement(element, "single").text = "true" if single else "false"
    etree.SubElement(element, "shuffleanswers").text = "true" if question.shuffle else "false"
    etree.SubElement(element, "answernumbering").text = "abc"
    for tag in ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback"):
        _text(etree.SubElement(element, tag, {"format": "html"}), "")
    right = sum(1 for c in question.choices if c.correct)
    wrong = len(question.choices) - right
    for choice in question.choices:
        if single:
            fraction = "100" if choice.correct else "0"
        else:
            fraction = _percent(100 / right) if choice.correct else _percent(-100 / wrong)
        answer = etree.SubElement(element, "answer", {"fraction": fraction, "format": "html"})
        _text(answer, choice.html)
        _text(etree.SubElement(answer, "feedback", {"format": "html"}), choice.feedback_html)


def _numerical(element: etree.Element, question: LmsQuestion) -> None:
    assert question.answer is not None and question.tolerance is not None
    answer = etree.SubElement(element, "answer",
                              {"fraction": "100", "format": "moodle_auto_format"})
    _text(answer, decimal_text(question.answer))
    _text(etree.SubElement(answer, "feedback", {"format": "html"}), "")
    etree.SubElement(answer, "tolerance").text = decimal_text(question.tolerance)
    # No units: the answer is a bare number, as on the site.
    etree.SubElement(element, "unitgradingtype").text = "0"
    etree.SubElement(element, "unitpenalty").text = "0.1000000"
    etree.SubElement(element, "showunits").text = "3"
    etree.SubElement(element, "unitsleft").text = "0"


def _percent(value: float) -> str:
    """A fraction as Moodle writes its grades: at most 5 decimals (33.33333, -50)."""
    text = f"{value:.5f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _text(parent: etree.Element, text: str) -> None:
    etree.SubElement(parent, "text").text = text
