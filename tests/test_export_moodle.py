"""``gradsite export moodle``: a Moodle XML file for the question bank.

Choice questions are read back with moodle-xml-parser (PyPI), which reads
Moodle's ``multichoice``; it has no reader for ``numerical``, so numeric
questions are checked on the XML as Moodle's importer reads it.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree

import pytest
from moodle_xml_parser.parser import parse_bytes  # type: ignore[import-untyped]

from gradsite.cli import main
from tests.lmskit import child, lms_course


@pytest.fixture
def exported(tmp_path: Path) -> bytes:
    lms_course(tmp_path)
    assert main(["export", "moodle", "--out", "bank.xml", "--quiet"]) == 0
    return (tmp_path / "bank.xml").read_bytes()


def text(element: ElementTree.Element, name: str) -> str:
    return child(child(element, name), "text").text or ""


def by_category(data: bytes) -> dict[str, list[ElementTree.Element]]:
    """The questions under each category, as Moodle's import files them."""
    root = ElementTree.fromstring(data)
    assert root.tag == "quiz"
    filed: dict[str, list[ElementTree.Element]] = {}
    category = ""
    for question in root:
        assert question.tag == "question"
        if question.get("type") == "category":
            category = text(question, "category")
            assert category not in filed, "a category is declared once"
            filed[category] = []
        else:
            assert category, "a question before any category"
            filed[category].append(question)
    return filed


def test_a_category_per_chapter_and_one_per_family_of_variants(exported: bytes) -> None:
    filed = by_category(exported)
    top = "$course$/top/LMS Course"
    assert list(filed) == [f"{top}/1.1 Choices and \\(\\frac{{1}}{{2}}\\)", f"{top}/1.2 Params",
                           f"{top}/1.2 Params/scaled", f"{top}/2.1 More"]
    names = {category: [text(q, "name") for q in questions]
             for category, questions in filed.items()}
    assert names[f"{top}/2.1 More"] == ["2.1 four"]
    assert names[f"{top}/1.2 Params"] == []
    assert len(names[f"{top}/1.2 Params/scaled"]) == 5
    assert all(name.startswith("1.2 scaled (a = ") for name in names[f"{top}/1.2 Params/scaled"])


def test_choice_questions_read_back(exported: bytes) -> None:
    questions = {q.name: q for q in parse_bytes(exported)["multichoice"]}
    assert set(questions) == {"1.1 pick-one", "1.1 pick-many"}
    one = questions["1.1 pick-one"]
    assert one.single and one.shuffle_answers
    # The reader decodes the HTML: the author's tag comes back as the text it was.
    assert one.text_pre_parse == "Which number is \\(\\frac{1}{2}\\)? <script>alert(1)</script>"
    assert [(o.answer, o.score_fraction, o.feedback) for o in one.options] == [
        ("\\(0.5\\)", 100, "Yes: \\(1/2 = 0.5\\)."),
        ("\\(2\\)", 0, "That is \\(2/1\\), see (1.1.1)."),
        ("Three", 0, ""),
    ]
    assert one.general_feedback == "Because \\(\\frac{1}{2} = 0.5\\); see (1.1.1)."
    many = questions["1.1 pick-many"]
    assert not many.single and not many.shuffle_answers
    # Each correct choice half of the mark, each wrong one minus half: all of them is 0.
    assert [(o.answer, o.score_fraction) for o in many.options] == [
        ("two", 50), ("four", 50), ("three", -50), ("five", -50)]
    assert sum(o.score_fraction for o in many.options) == 0


def test_raw_html_in_a_question_stays_text(exported: bytes) -> None:
    (question,) = [q for q in ElementTree.fromstring(exported).iter("question")
                   if q.findtext("name/text") == "1.1 pick-one"]
    # The question's HTML holds the author's tag as text, never as a tag.
    assert text(question, "questiontext").endswith("&lt;script&gt;alert(1)&lt;/script&gt;")


def numerical(data: bytes) -> dict[str, ElementTree.Element]:
    return {text(q, "name"): q for q in ElementTree.fromstring(data)
            if q.get("type") == "numerical"}


def test_numeric_questions_have_their_answer_and_tolerance(exported: bytes) -> None:
    questions = numerical(exported)
    assert len(questions) == 8  # root-two, third, the 5 variants of scaled, four
    root_two = questions["1.1 root-two"]
    answer = child(root_two, "answer")
    assert answer.get("fraction") == "100"
    assert Decimal(child(answer, "text").text or "") == Decimal(repr(2 ** 0.5))
    assert child(answer, "tolerance").text == "0.001"
    assert text(root_two, "generalfeedback") == "\\(\\sqrt{2} \\approx 1.414\\)."
    assert [child(h, "text").text for h in root_two.findall("hint")] == [
        "Square it.", "Then take \\(\\sqrt{\\cdot}\\)."]
    third = child(questions["1.1 third"], "answer")
    assert Decimal(child(third, "tolerance").text or "") == Decimal(repr(1e-6))
    four = child(questions["2.1 four"], "answer")
    assert (child(four, "text").text, child(four, "tolerance").text) == ("4", "0")
    for name, question in questions.items():
        if name.startswith("1.2 scaled"):
            a, b = name.removeprefix("1.2 scaled (a = ").removesuffix(")").split(", b = ")
            assert text(question, "questiontext") == f"What is \\({a} \\cdot {b}\\)?"
            value = child(child(question, "answer"), "text").text or ""
            assert Decimal(value) == Decimal(repr(int(a) * float(b)))
            assert child(child(question, "answer"), "tolerance").text == "0.01"


def test_the_same_course_gives_the_same_bytes(exported: bytes, tmp_path: Path) -> None:
    assert main(["export", "moodle", "--out", "again.xml", "--quiet"]) == 0
    assert (tmp_path / "again.xml").read_bytes() == exported
