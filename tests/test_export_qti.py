"""``gradsite export qti``: a QTI 1.2 zip as Canvas imports it.

The assessments are validated against IMS's QTI 1.2.1 DTD (tests/data/qti),
their structure checked against what Canvas's own exports hold and its importer
reads, and read back by qti2latex, a reader of Canvas's QTI from PyPI.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from copy import deepcopy as copy_element
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree

import pytest
import qti2latex  # type: ignore[import-untyped]
from lxml import etree

from gradsite.cli import main
from tests.lmskit import assessments, child, find_all, lms_course, local, zip_entries

DTD = Path(__file__).parent / "data/qti/ims_qtiasiv1p2p1.dtd"
DTD_SHA256 = "c991ca648247cde8f228500a4ffb7e3578505c451f54150f43258b7f1ab445bd"
# Canvas's extension inside <selection_extension>, which the DTD leaves open (ANY)
# to elements a vendor declares: a question group's points per question.
CANVAS_EXTENSIONS = "<!ELEMENT points_per_item (#PCDATA)>\n"


@pytest.fixture
def exported(tmp_path: Path) -> bytes:
    lms_course(tmp_path)
    assert main(["export", "qti", "--out", "quiz.zip", "--quiet"]) == 0
    return (tmp_path / "quiz.zip").read_bytes()


def qti_dtd() -> etree.DTD:
    text = DTD.read_bytes()
    assert hashlib.sha256(text).hexdigest() == DTD_SHA256, "the DTD is not IMS's as copied"
    return etree.DTD(io.StringIO(text.decode("utf-8") + CANVAS_EXTENSIONS))


def without_namespaces(data: bytes) -> etree._Element:
    """The document as a reader of the DTD, which predates XML namespaces, sees it:
    element names without their namespace, no namespace declarations."""
    root = etree.fromstring(data)
    for element in root.iter():
        element.tag = etree.QName(element).localname
    for name in list(root.attrib):
        del root.attrib[name]
    etree.cleanup_namespaces(root)
    return root


def test_every_assessment_is_valid_qti_1_2(exported: bytes) -> None:
    dtd = qti_dtd()
    entries = zip_entries(exported)
    checked = 0
    for name, data in entries.items():
        if name.endswith(".xml") and "/" in name and not name.endswith("assessment_meta.xml"):
            root = without_namespaces(data)
            assert dtd.validate(root), (name, dtd.error_log.filter_from_errors())
            checked += 1
    assert checked == 3  # chapters 1.1, 1.2 and 2.1; 2.2 has no questions


def test_the_dtd_catches_what_canvas_would_not_read() -> None:
    # The validation can fail: an item without its presentation's response is refused.
    broken = b"""<questestinterop><item ident="a"><presentation><material>
        <mattext>x</mattext></material><render_choice/></presentation></item></questestinterop>"""
    assert not qti_dtd().validate(etree.fromstring(broken))


def test_the_package_is_laid_out_as_canvas_exports_quizzes(exported: bytes) -> None:
    entries = zip_entries(exported)
    names = list(entries)
    assert names[0] == "imsmanifest.xml"
    manifest = ElementTree.fromstring(entries["imsmanifest.xml"])
    assert manifest.tag == "{http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1}manifest"
    resources = find_all(manifest, "resource")
    quizzes = [r for r in resources if r.get("type") == "imsqti_xmlv1p2"]
    assert len(quizzes) == 3
    listed = set()
    for quiz in quizzes:
        ident = quiz.get("identifier")
        assert child(quiz, "file").get("href") == f"{ident}/{ident}.xml"
        meta = child(quiz, "dependency").get("identifierref")
        settings = next(r for r in resources if r.get("identifier") == meta)
        assert settings.get("href") == f"{ident}/assessment_meta.xml"
        listed |= {f"{ident}/{ident}.xml", f"{ident}/assessment_meta.xml"}
        root = ElementTree.fromstring(entries[f"{ident}/{ident}.xml"])
        assert root.tag == "{http://www.imsglobal.org/xsd/ims_qtiasiv1p2}questestinterop"
        assert child(root, "assessment").get("ident") == ident
    assert listed == set(names) - {"imsmanifest.xml"}
    titles = list(assessments(exported))
    assert titles == ["1.1 Choices and \\(\\frac{1}{2}\\)", "1.2 Params", "2.1 More"]


def test_the_same_course_gives_the_same_bytes(exported: bytes, tmp_path: Path) -> None:
    assert main(["export", "qti", "--out", "again.zip", "--quiet"]) == 0
    assert (tmp_path / "again.zip").read_bytes() == exported
    with zipfile.ZipFile(io.BytesIO(exported)) as package:
        assert {info.date_time for info in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def items(assessment: ElementTree.Element) -> dict[str, ElementTree.Element]:
    return {item.get("title", ""): item for item in find_all(assessment, "item")}


def metadata(item: ElementTree.Element) -> dict[str, str]:
    return {child(f, "fieldlabel").text or "": child(f, "fieldentry").text or ""
            for f in find_all(child(item, "itemmetadata"), "qtimetadatafield")}


def mattext(element: ElementTree.Element) -> str:
    return find_all(element, "mattext")[0].text or ""


def feedback(item: ElementTree.Element) -> dict[str, str]:
    return {fb.get("ident", ""): mattext(fb) for fb in find_all(item, "itemfeedback")}


def scoring(item: ElementTree.Element) -> ElementTree.Element:
    """The condition that gives the score, as Canvas reads the correct answer."""
    (condition,) = [c for c in find_all(item, "respcondition") if c.get("continue") == "No"]
    setvar = child(condition, "setvar")
    assert (setvar.get("varname"), setvar.get("action"), setvar.text) == ("SCORE", "Set", "100")
    return child(condition, "conditionvar")


def test_a_single_answer_question(exported: bytes) -> None:
    item = items(assessments(exported)["1.1 Choices and \\(\\frac{1}{2}\\)"])["1.1 pick-one"]
    meta = metadata(item)
    assert meta["question_type"] == "multiple_choice_question"
    assert meta["points_possible"] == "1"
    # Raw HTML of the author's is text in the HTML; the macro is expanded.
    assert mattext(child(item, "presentation")) == (
        "Which number is \\(\\frac{1}{2}\\)? &lt;script&gt;alert(1)&lt;/script&gt;")
    response = find_all(item, "response_lid")[0]
    assert response.get("rcardinality") == "Single"
    assert find_all(response, "render_choice")[0].get("shuffle") == "Yes"
    labels = find_all(response, "response_label")
    assert [mattext(label) for label in labels] == ["\\(0.5\\)", "\\(2\\)", "Three"]
    idents = [label.get("ident") for label in labels]
    assert meta["original_answer_ids"] == ",".join(idents)
    test = scoring(item)
    assert [(local(e), e.text) for e in test] == [("varequal", idents[0])]
    # Each choice's feedback, shown when it is picked; the explanation for every answer.
    shown = {}
    for condition in find_all(item, "respcondition"):
        if condition.get("continue") == "Yes":
            when = child(condition, "conditionvar")[0]
            shown[local(when) if local(when) == "other" else when.text] = (
                child(condition, "displayfeedback").get("linkrefid"))
    assert shown == {"other": "general_fb", idents[0]: f"{idents[0]}_fb",
                     idents[1]: f"{idents[1]}_fb"}
    assert feedback(item) == {
        "general_fb": "Because \\(\\frac{1}{2} = 0.5\\); see (1.1.1).",
        f"{idents[0]}_fb": "Yes: \\(1/2 = 0.5\\).",
        f"{idents[1]}_fb": "That is \\(2/1\\), see (1.1.1).",
    }


def test_a_question_with_several_correct_choices(exported: bytes) -> None:
    item = items(assessments(exported)["1.1 Choices and \\(\\frac{1}{2}\\)"])["1.1 pick-many"]
    assert metadata(item)["question_type"] == "multiple_answers_question"
    assert find_all(item, "response_lid")[0].get("rcardinality") == "Multiple"
    idents = [label.get("ident") for label in find_all(item, "response_label")]
    (every,) = scoring(item)
    assert local(every) == "and"
    # All the correct choices and none of the wrong ones, as Canvas writes it.
    assert [(local(e), e.text if local(e) == "varequal" else e[0].text) for e in every] == [
        ("varequal", idents[0]), ("varequal", idents[1]),
        ("not", idents[2]), ("not", idents[3])]
    assert feedback(item) == {f"{idents[2]}_fb": "Three is odd."}


def bounds(item: ElementTree.Element) -> tuple[Decimal, Decimal, Decimal]:
    (either,) = scoring(item)
    assert local(either) == "or"
    exact, both = either
    low, high = both
    assert (local(exact), local(both), local(low), local(high)) == (
        "varequal", "and", "vargte", "varlte")
    return Decimal(low.text or ""), Decimal(exact.text or ""), Decimal(high.text or "")


def test_numeric_questions_have_their_tolerance_exactly(exported: bytes) -> None:
    chapter = items(assessments(exported)["1.1 Choices and \\(\\frac{1}{2}\\)"])
    item = chapter["1.1 root-two"]
    assert metadata(item)["question_type"] == "numerical_question"
    fib = find_all(item, "render_fib")[0]
    assert fib.get("fibtype") == "Decimal"
    low, exact, high = bounds(item)
    assert exact == Decimal(repr(2 ** 0.5))
    # Canvas reads the margin as the upper bound less the exact answer.
    assert high - exact == Decimal("0.001") and exact - low == Decimal("0.001")
    assert mattext(child(item, "presentation")) == (
        "What is \\(\\left\\lVert \\sqrt{2} \\right\\rVert\\)?")
    # Without a tolerance, the site's default: 1e-6 * max(1, |answer|).
    low, exact, high = bounds(chapter["1.1 third"])
    assert exact == Decimal(repr(1 / 3)) and high - exact == Decimal(repr(1e-6))
    low, exact, high = bounds(items(assessments(exported)["2.1 More"])["2.1 four"])
    assert low == exact == high == 4


def test_a_question_with_params_is_a_group_of_its_variants(exported: bytes) -> None:
    assessment = assessments(exported)["1.2 Params"]
    root_section = child(assessment, "section")
    (group,) = [s for s in root_section if local(s) == "section"]
    assert group.get("title") == "1.2 scaled"
    selection = find_all(group, "selection")[0]
    assert child(selection, "selection_number").text == "1"
    assert find_all(selection, "points_per_item")[0].text == "1"
    variants = [e for e in group if local(e) == "item"]
    assert len(variants) == 5
    seen = set()
    for item in variants:
        title = item.get("title", "")
        a, b = title.removeprefix("1.2 scaled (a = ").removesuffix(")").split(", b = ")
        assert mattext(child(item, "presentation")) == f"What is \\({a} \\cdot {b}\\)?"
        assert feedback(item) == {"general_fb": f"It is \\({a} \\cdot {b}\\)."}
        low, exact, high = bounds(item)
        assert exact == Decimal(repr(int(a) * float(b)))
        assert high - exact == Decimal("0.01")
        seen.add((a, b))
    assert len(seen) == 5
    assert len({item.get("ident") for item in variants}) == 5


def test_the_quiz_settings_name_the_chapter(exported: bytes) -> None:
    entries = zip_entries(exported)
    settings = {}
    for name, data in entries.items():
        if name.endswith("assessment_meta.xml"):
            root = ElementTree.fromstring(data)
            settings[child(root, "title").text] = {local(e): e.text for e in root}
    more = settings["2.1 More"]
    assert more["quiz_type"] == "practice_quiz" and more["points_possible"] == "1"
    assert more["shuffle_answers"] == "false"  # no choice question asks for it
    assert settings["1.1 Choices and \\(\\frac{1}{2}\\)"]["points_possible"] == "4"
    assert settings["1.2 Params"]["points_possible"] == "1"  # one variant per attempt


def scoring_only(item: ElementTree.Element) -> ElementTree.Element:
    """A copy of an item without the conditions that only show feedback: qti2latex
    takes every ``varequal`` for a correct answer, as it would in Canvas's own exports,
    which show a choice's feedback the same way."""
    copy = copy_element(item)
    for processing in find_all(copy, "resprocessing"):
        for condition in list(processing):
            if local(condition) == "respcondition" and condition.get("continue") == "Yes":
                processing.remove(condition)
    return copy


def test_a_reader_of_canvas_qti_reads_the_questions_back(exported: bytes) -> None:
    """qti2latex reads Canvas's QTI (question types, choices, correct answers, groups)."""
    read: dict[str, tuple[str, list[str], set[str]]] = {}
    groups = []
    for assessment in assessments(exported).values():
        for element in child(assessment, "section"):
            members = [element]
            if local(element) == "section":
                count, points, members = qti2latex.get_group(element)
                groups.append((element.get("title"), count, points, len(members)))
            for item in map(scoring_only, members):
                meta = qti2latex.get_qti_metadata(item)
                choices = qti2latex.get_choices(item)
                correct = qti2latex.get_correct_idents(item)
                kind = qti2latex.guess_type(meta, item)
                read[item.get("title")] = (
                    kind, [text for _, text in choices],
                    {text for ident, text in choices if ident in correct} or correct)
    assert groups == [("1.2 scaled", 1, 1, 5)]
    assert read["1.1 pick-one"] == (
        "multiple_choice_question", ["\\(0.5\\)", "\\(2\\)", "Three"], {"\\(0.5\\)"})
    assert read["1.1 pick-many"] == (
        "multiple_answers_question", ["two", "four", "three", "five"], {"two", "four"})
    kind, choices, correct = read["1.1 root-two"]
    assert (kind, choices, correct) == ("numerical_question", [], {repr(2 ** 0.5)})
    assert read["2.1 four"] == ("numerical_question", [], {"4"})
    assert len(read) == 10
