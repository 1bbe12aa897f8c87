"""LMS export (``gradsite export``): the course's questions for Canvas, Moodle and
other learning management systems, from the checked course; nothing is run.

| module | owns |
| --- | --- |
| ``questions.py`` | the questions as plain data, one per variant; ``--chapters`` |
| ``lmstext.py`` | a text as an LMS takes it: simple HTML, math as TeX in ``\\(...\\)`` |
| ``qti.py`` | a QTI 1.2 zip as Canvas exports quizzes: an assessment per chapter |
| ``moodle.py`` | a Moodle XML file: a question bank category per chapter |
"""

from __future__ import annotations

from .moodle import moodle_xml
from .qti import qti_package
from .questions import LmsCourse, lms_course, select_chapters

__all__ = ["LmsCourse", "lms_course", "moodle_xml", "qti_package", "select_chapters"]
