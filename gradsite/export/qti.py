"""``export qti``: the course's questions as a QTI 1.2 package, laid out as Canvas
exports its own quizzes, for Canvas's "QTI .zip file" import (and other LMSs
that read QTI 1.2).

The zip holds ``imsmanifest.xml`` and, per chapter with questions, one
assessment: ``ID/ID.xml`` (the QTI ``questestinterop``) and
``ID/assessment_meta.xml`` (Canvas's quiz settings). Each question is an
``item`` with Canvas's metadata (``question_type``, ``points_possible``):

- single choice ``multiple_choice_question``, several correct choices
  ``multiple_answers_question``: a ``response_lid`` with the choices; a
  ``respcondition`` per choice shows its feedback (``displayfeedback`` ->
  ``itemfeedback ID_fb``), and one sets the score for the right answer (for
  several, all correct choices and no wrong one, as Canvas writes it);
- numeric ``numerical_question``: a decimal ``render_fib``, answered by the
  exact value or a value in ``[answer - tolerance, answer + tolerance]``
  (``varequal`` or ``vargte``/``varlte``: Canvas reads an exact answer with
  its margin from that);
- the explanation is the general feedback, ``itemfeedback general_fb``, shown
  whatever the answer. Hints have no place in QTI 1.2 and are left out.

A question with parameters is one item per variant, in a ``section`` that
picks one of them per attempt (Canvas's question group), so a reader meets
one variant, as "Try another" shows one at a time on the site.

Identifiers are made from the chapters' and questions' keys, so a new export
of the same course carries the same ones, and the zip's entries have a fixed
date and order: the same course gives the same bytes.
"""

from __future__ import annotations

import hashlib
import io
import xml.etree.ElementTree as etree
import zipfile

from .questions import LmsChapter, LmsCourse, LmsFamily, LmsQuestion, decimal_text

QTI_NS = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
QTI_SCHEMA = f"{QTI_NS} http://www.imsglobal.org/xsd/ims_qtiasiv1p2p1.xsd"
CP_NS = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
IMSMD_NS = "http://www.imsglobal.org/xsd/imsmd_v1p2"
CANVAS_NS = "http://canvas.instructure.com/xsd/cccv1p0"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
QUESTION_TYPES = {
    "single": "multiple_choice_question",
    "multiple": "multiple_answers_question",
    "numeric": "numerical_question",
}
RESPONSE = "response1"  # the one response of every item, as Canvas names it
POINTS = "1"  # every question is worth one point; a teacher changes that in the LMS
ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest a zip can hold: no build time in the bytes


def qti_package(course: LmsCourse) -> bytes:
    """The zip's bytes: the manifest, then each chapter's assessment and its settings."""
    entries: list[tuple[str, bytes]] = [("imsmanifest.xml", _manifest(course))]
    for chapter in course.chapters:
        ident = identifier("assessment", chapter.key)
        entries.append((f"{ident}/{ident}.xml", assessment_xml(chapter)))
        entries.append((f"{ident}/assessment_meta.xml", _assessment_meta(chapter, ident)))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, wherever the export runs
            info.external_attr = 0o100644 << 16  # a regular file, rw-r--r--
            package.writestr(info, data)
    return buffer.getvalue()


def identifier(kind: str, key: str) -> str:
    """A stable identifier for a chapter's or question's key: a letter, then hex digits
    (an XML name, as QTI and the manifest need)."""
    return "g" + hashlib.sha256(f"gradsite:{kind}:{key}".encode()).hexdigest()[:32]


def assessment_xml(chapter: LmsChapter) -> bytes:
    """One chapter's questions as a QTI 1.2 assessment."""
    root = etree.Element("questestinterop", {
        "xmlns": QTI_NS, "xmlns:xsi": XSI_NS, "xsi:schemaLocation": QTI_SCHEMA})
    assessment = etree.SubElement(root, "assessment", {
        "ident": identifier("assessment", chapter.key),
        "title": f"{chapter.position} {chapter.title}"})
    _metadata(etree.SubElement(assessment, "qtimetadata"), [("cc_maxattempts", "unlimited")])
    section = etree.SubElement(assessment, "section", {"ident": "root_section"})
    for family in chapter.families:
        if len(family.variants) == 1:
            section.append(_item(family.variants[0]))
        else:
            section.append(_group(family, chapter.position))
    return _document(root)


def _group(family: LmsFamily, position: str) -> etree.Element:
    """A question's variants as a group that picks one of them."""
    group = etree.Element("section", {"ident": identifier("group", family.key),
                                      "title": f"{position} {family.id}"})
    ordering = etree.SubElement(group, "selection_ordering")
    selection = etree.SubElement(ordering, "selection")
    etree.SubElement(selection, "selection_number").text = "1"
    extension = etree.SubElement(selection, "selection_extension")
    etree.SubElement(extension, "points_per_item").text = POINTS
    for question in family.variants:
        group.append(_item(question))
    return group


def _item(question: LmsQuestion) -> etree.Element:
    ident = identifier("item", question.key)
    choices = [f"{ident}_{i + 1}" for i in range(len(question.choices))]
    item = etree.Element("item", {"ident": ident, "title": question.title})
    _metadata(etree.SubElement(etree.SubElement(item, "itemmetadata"), "qtimetadata"), [
        ("question_type", QUESTION_TYPES[question.kind]),
        ("points_possible", POINTS),
        ("original_answer_ids", ",".join(choices)),
        ("assessment_question_identifierref", identifier("question", question.key)),
    ])
    presentation = etree.SubElement(item, "presentation")
    _material(presentation, question.text_html)
    if question.kind == "numeric":
        response = etree.SubElement(presentation, "response_str",
                                    {"ident": RESPONSE, "rcardinality": "Single"})
        fib = etree.SubElement(response, "render_fib", {"fibtype": "Decimal"})
        etree.SubElement(fib, "response_label", {"ident": "answer1"})
    else:
        cardinality = "Multiple" if question.kind == "multiple" else "Single"
        response = etree.SubElement(presentation, "response_lid",
                                    {"ident": RESPONSE, "rcardinality": cardinality})
        render = etree.SubElement(response, "render_choice",
                                  {"shuffle": "Yes" if question.shuffle else "No"})
        for choice, choice_ident in zip(question.choices, choices, strict=True):
            label = etree.SubElement(render, "response_label", {"ident": choice_ident})
            _material(label, choice.html)
    _processing(item, question, choices)
    if question.explanation_html:
        _feedback(item, "general_fb", question.explanation_html)
    for choice, choice_ident in zip(question.choices, choices, strict=True):
        if choice.feedback_html:
            _feedback(item, f"{choice_ident}_fb", choice.feedback_html)
    return item


def _processing(item: etree.Element, question: LmsQuestion, choices: list[str]) -> None:
    """Scoring and feedback: the general feedback always, each choice's when picked, and
    the score of 100 for the right answer (Canvas scales it to the item's points)."""
    processing = etree.SubElement(item, "resprocessing")
    outcomes = etree.SubElement(processing, "outcomes")
    etree.SubElement(outcomes, "decvar", {"maxvalue": "100", "minvalue": "0",
                                          "varname": "SCORE", "vartype": "Decimal"})
    if question.explanation_html:
        condition = _condition(processing, "Yes")
        etree.SubElement(condition[0], "other")
        _display(condition, "general_fb")
    for choice, choice_ident in zip(question.choices, choices, strict=True):
        if choice.feedback_html:
            condition = _condition(processing, "Yes")
            _equal(condition[0], choice_ident)
            _display(condition, f"{choice_ident}_fb")
    condition = _condition(processing, "No")
    test = condition[0]
    if question.kind == "numeric":
        assert question.answer is not None
        low, high = question.bounds
        either = etree.SubElement(test, "or")
        _equal(either, decimal_text(question.answer))
        both = etree.SubElement(either, "and")
        etree.SubElement(both, "vargte", {"respident": RESPONSE}).text = decimal_text(low)
        etree.SubElement(both, "varlte", {"respident": RESPONSE}).text = decimal_text(high)
    elif question.kind == "single":
        right = next(i for i, c in enumerate(question.choices) if c.correct)
        _equal(test, choices[right])
    else:
        every = etree.SubElement(test, "and")
        for choice, choice_ident in zip(question.choices, choices, strict=True):
            if choice.correct:
                _equal(every, choice_ident)
            else:
                _equal(etree.SubElement(every, "not"), choice_ident)
    etree.SubElement(condition, "setvar", {"action": "Set", "varname": "SCORE"}).text = "100"


def _condition(processing: etree.Element, go_on: str) -> etree.Element:
    condition = etree.SubElement(processing, "respcondition", {"continue": go_on})
    etree.SubElement(condition, "conditionvar")
    return condition


def _equal(parent: etree.Element, value: str) -> None:
    etree.SubElement(parent, "varequal", {"respident": RESPONSE}).text = value


def _display(condition: etree.Element, feedback: str) -> None:
    etree.SubElement(condition, "displayfeedback",
                     {"feedbacktype": "Response", "linkrefid": feedback})


def _feedback(item: etree.Element, ident: str, text_html: str) -> None:
    feedback = etree.SubElement(item, "itemfeedback", {"ident": ident})
    _material(etree.SubElement(feedback, "flow_mat"), text_html)


def _material(parent: etree.Element, text_html: str) -> None:
    material = etree.SubElement(parent, "material")
    etree.SubElement(material, "mattext", {"texttype": "text/html"}).text = text_html


def _metadata(parent: etree.Element, fields: list[tuple[str, str]]) -> None:
    for label, entry in fields:
        field = etree.SubElement(parent, "qtimetadatafield")
        etree.SubElement(field, "fieldlabel").text = label
        etree.SubElement(field, "fieldentry").text = entry


def _manifest(course: LmsCourse) -> bytes:
    """``imsmanifest.xml``: each assessment a resource, with its settings beside it."""
    root = etree.Element("manifest", {
        "identifier": identifier("manifest", course.title),
        "xmlns": CP_NS, "xmlns:imsmd": IMSMD_NS, "xmlns:xsi": XSI_NS,
        "xsi:schemaLocation": f"{CP_NS} http://www.imsglobal.org/xsd/imscp_v1p1.xsd "
                              f"{IMSMD_NS} http://www.imsglobal.org/xsd/imsmd_v1p2p2.xsd"})
    metadata = etree.SubElement(root, "metadata")
    etree.SubElement(metadata, "schema").text = "IMS Content"
    etree.SubElement(metadata, "schemaversion").text = "1.1.3"
    general = etree.SubElement(etree.SubElement(metadata, "imsmd:lom"), "imsmd:general")
    title = etree.SubElement(general, "imsmd:title")
    etree.SubElement(title, "imsmd:string").text = course.title
    etree.SubElement(root, "organizations")
    resources = etree.SubElement(root, "resources")
    for chapter in course.chapters:
        ident = identifier("assessment", chapter.key)
        meta = f"{ident}_meta"
        resource = etree.SubElement(resources, "resource",
                                    {"identifier": ident, "type": "imsqti_xmlv1p2"})
        etree.SubElement(resource, "file", {"href": f"{ident}/{ident}.xml"})
        etree.SubElement(resource, "dependency", {"identifierref": meta})
        settings = etree.SubElement(resources, "resource", {
            "identifier": meta,
            "type": "associatedcontent/imscc_xmlv1p1/learning-application-resource",
            "href": f"{ident}/assessment_meta.xml"})
        etree.SubElement(settings, "file", {"href": f"{ident}/assessment_meta.xml"})
    return _document(root)


def _assessment_meta(chapter: LmsChapter, ident: str) -> bytes:
    """Canvas's settings of the quiz: a practice quiz, unpublished, any number of
    attempts. Canvas shuffles choices per quiz, not per question: only when every
    choice question of the chapter asks for it."""
    root = etree.Element("quiz", {
        "identifier": ident, "xmlns": CANVAS_NS, "xmlns:xsi": XSI_NS,
        "xsi:schemaLocation": f"{CANVAS_NS} https://canvas.instructure.com/xsd/cccv1p0.xsd"})
    choice = [q for q in chapter.questions if q.kind != "numeric"]
    shuffle = bool(choice) and all(q.shuffle for q in choice)
    for tag, text in (
        ("title", f"{chapter.position} {chapter.title}"),
        ("description", chapter.summary_html),
        ("shuffle_answers", "true" if shuffle else "false"),
        ("scoring_policy", "keep_highest"),
        ("quiz_type", "practice_quiz"),
        ("points_possible", str(len(chapter.families))),
        ("show_correct_answers", "true"),
        ("allowed_attempts", "-1"),
        ("available", "false"),
    ):
        etree.SubElement(root, tag).text = text
    return _document(root)


def _document(root: etree.Element) -> bytes:
    etree.indent(root, space="  ")
    return etree.tostring(root, encoding="UTF-8", xml_declaration=True) + b"\n"
