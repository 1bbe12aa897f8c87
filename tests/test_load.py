"""Loading and validation (spec sections 1, 2 and 7): one test per kind of author error.

Each test asserts the ``path:line`` an author would see and a phrase of the
message or hint that tells them what to do.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gradsite.load import load_course
from tests.coursekit import build_problems, chapter, load_problems, make_course, only, where

CH = "content/01-basics/01-intro.md"


def one_chapter(text: str) -> dict[str, str]:
    return {"01-basics/01-intro.md": text}


def front(text: str, body: str = "Body.\n") -> dict[str, str]:
    """A chapter whose front matter is ``title: T`` on line 2 then ``text`` from line 3."""
    return one_chapter("---\ntitle: T\n" + text + "---\n" + body)


def load(tmp_path: Path, files: dict[str, str | bytes | None], drafts: bool = False):
    content = make_course(tmp_path, files)
    course, problems = load_course(content, drafts)
    return course, problems


def test_valid_minimal_course_loads_without_problems(tmp_path: Path) -> None:
    course, problems = load(tmp_path, one_chapter(chapter("Intro")))
    assert problems == []
    assert course is not None
    assert course.info.title == "Test Course"
    assert course.info.language == "en"
    assert [c.title for c in course.chapters] == ["Intro"]


# --- course.yml ---------------------------------------------------------------


def test_missing_course_yml_is_an_error_naming_the_file(tmp_path: Path) -> None:
    problems = load_problems(make_course(tmp_path, {"course.yml": None,
                                                    **one_chapter(chapter())}))
    problem = only(problems)
    assert problem.location.path == "content/course.yml"
    assert "missing" in problem.message
    assert "title:" in problem.hint


def test_unknown_course_key_suggests_the_closest_valid_key(tmp_path: Path) -> None:
    content = make_course(tmp_path, {"course.yml": "title: X\ntitel: Y\n",
                                     **one_chapter(chapter())})
    problem = only(load_problems(content))
    assert where(problem) == "content/course.yml:2"
    assert "'titel'" in problem.message
    assert problem.hint == "did you mean 'title'?"


def test_missing_course_title_is_an_error(tmp_path: Path) -> None:
    content = make_course(tmp_path, {"course.yml": "author: Me\n", **one_chapter(chapter())})
    problem = only(load_problems(content))
    assert problem.location.path == "content/course.yml"
    assert "required key 'title'" in problem.message


def test_base_url_must_be_absolute(tmp_path: Path) -> None:
    content = make_course(tmp_path, {"course.yml": "title: X\nbase_url: example.org/course\n",
                                     **one_chapter(chapter())})
    problem = only(load_problems(content))
    assert where(problem) == "content/course.yml:2"
    assert "not an absolute URL" in problem.message
    assert "https://" in problem.hint


def test_base_url_gets_a_trailing_slash(tmp_path: Path) -> None:
    course, problems = load(tmp_path, {"course.yml": "title: X\nbase_url: https://ex.org/c\n",
                                       **one_chapter(chapter())})
    assert problems == []
    assert course.info.base_url == "https://ex.org/c/"


def test_language_must_be_a_language_tag(tmp_path: Path) -> None:
    content = make_course(tmp_path, {"course.yml": "title: X\n\nlanguage: english!\n",
                                     **one_chapter(chapter())})
    problem = only(load_problems(content))
    assert where(problem) == "content/course.yml:3"
    assert "language tag" in problem.message
    assert "pt-BR" in problem.hint


def test_yaml_syntax_error_in_course_yml_names_its_line(tmp_path: Path) -> None:
    content = make_course(tmp_path, {"course.yml": "title: X\n\nauthor: Ann: Bob\n",
                                     **one_chapter(chapter())})
    problem = only(load_problems(content))
    assert where(problem) == "content/course.yml:3"
    assert "invalid YAML" in problem.message
    assert "quoted" in problem.hint


# --- front matter -------------------------------------------------------------


def test_yaml_syntax_error_in_front_matter_names_the_line_in_the_md_file(
    tmp_path: Path,
) -> None:
    problems = load_problems(make_course(tmp_path, front("summary: ok\nauthor: Ann: Bob\n")))
    problem = only(problems)
    assert where(problem) == f"{CH}:4"
    assert "invalid YAML" in problem.message


def test_an_unclosed_quote_is_pointed_at_where_it_opens(tmp_path: Path) -> None:
    # YAML reads on to the next quote and fails far below the mistake.
    files = front("summary: 'A tiny chapter.\nquiz:\n  - question: Q?\n    choices:\n"
                  "      - text: 'yes'\n        correct: true\n      - 'no'\n")
    problem = only(load_problems(make_course(tmp_path, files)))
    assert where(problem) != f"{CH}:3"  # the parser stops elsewhere...
    assert problem.hint.startswith("line 3 opens a quote that is not closed on that line")


def test_a_quote_closed_on_a_later_line_of_valid_yaml_gets_no_hint(tmp_path: Path) -> None:
    files = front("summary: 'one\n  two'\nauthor: Ann: Bob\n")
    problem = only(load_problems(make_course(tmp_path, files)))
    assert "opens a quote" not in problem.hint


def test_latex_in_double_quotes_hints_at_single_quotes(tmp_path: Path) -> None:
    files = front('summary: "the root $\\sqrt{x}$"\n')
    problem = only(load_problems(make_course(tmp_path, files)))
    assert where(problem) == f"{CH}:3"
    assert "escape" in problem.message
    assert "single quotes" in problem.hint


def test_latex_in_single_quotes_is_kept_verbatim(tmp_path: Path) -> None:
    course, problems = load(tmp_path, front("summary: 'the root $\\sqrt{x}$'\n"))
    assert problems == []
    assert course.chapters[0].summary == "the root $\\sqrt{x}$"


def test_duplicate_yaml_key_is_an_error_at_the_second_key(tmp_path: Path) -> None:
    problem = only(load_problems(make_course(tmp_path, front("summary: a\nsummary: b\n"))))
    assert where(problem) == f"{CH}:4"
    assert "duplicate key 'summary'" in problem.message


def test_chapter_without_front_matter_is_an_error(tmp_path: Path) -> None:
    problem = only(load_problems(make_course(tmp_path, one_chapter("# Intro\n\nText.\n"))))
    assert where(problem) == f"{CH}:1"
    assert "no front matter" in problem.message
    assert "'---'" in problem.hint


def test_unclosed_front_matter_is_an_error(tmp_path: Path) -> None:
    files = one_chapter("---\ntitle: Intro\n\n# Intro\n\nText.\n")
    problem = only(load_problems(make_course(tmp_path, files)))
    assert where(problem) == f"{CH}:1"
    assert "not closed" in problem.message


def test_unknown_front_matter_key_suggests_the_closest_valid_key(tmp_path: Path) -> None:
    problem = only(load_problems(make_course(tmp_path, front("sumary: Short.\n"))))
    assert where(problem) == f"{CH}:3"
    assert "'sumary'" in problem.message
    assert problem.hint == "did you mean 'summary'?"


def test_unknown_key_with_a_block_value_is_reported_on_the_key_line(tmp_path: Path) -> None:
    # The misspelled key is on line 3; its value starts on line 4.
    files = front("quizz:\n  - question: Q?\n    answer: 1\n")
    problem = only(load_problems(make_course(tmp_path, files)))
    assert problem.hint == "did you mean 'quiz'?"
    assert where(problem) == f"{CH}:3"


def test_front_matter_value_of_the_wrong_type_is_an_error(tmp_path: Path) -> None:
    files = one_chapter("---\ntitle: [a, b]\n---\nBody.\n")
    problem = only(load_problems(make_course(tmp_path, files)))
    assert where(problem) == f"{CH}:2"
    assert "title: expected text, got a list" in problem.message


def test_missing_chapter_title_is_an_error(tmp_path: Path) -> None:
    files = one_chapter("---\nsummary: S\n---\nBody.\n")
    problem = only(load_problems(make_course(tmp_path, files)))
    assert problem.location.path == CH
    assert "required key 'title'" in problem.message


def test_draft_must_be_true_or_false(tmp_path: Path) -> None:
    problem = only(load_problems(make_course(tmp_path, front("draft: maybe\n"))))
    assert where(problem) == f"{CH}:3"
    assert "true or false" in problem.message


def test_body_line_counts_the_front_matter(tmp_path: Path) -> None:
    course, _ = load(tmp_path, front("summary: S\n", body="First body line.\n"))
    chapter_ = course.chapters[0]
    assert chapter_.body_line == 5
    assert chapter_.body.startswith("First body line.")


# --- names, numbers and encodings ---------------------------------------------


def test_duplicate_chapter_numbers_are_an_error(tmp_path: Path) -> None:
    content = make_course(tmp_path, {"01-basics/01-intro.md": chapter(),
                                     "01-basics/1-other.md": chapter()})
    problem = only(load_problems(content))
    assert problem.location.path == "content/01-basics/1-other.md"
    assert "same number" in problem.message
    assert "01-intro.md" in problem.message


def test_duplicate_chapter_slugs_are_an_error(tmp_path: Path) -> None:
    content = make_course(tmp_path, {"01-basics/01-intro.md": chapter(),
                                     "01-basics/02-intro.md": chapter()})
    problem = only(load_problems(content))
    assert problem.location.path == "content/01-basics/02-intro.md"
    assert "same slug" in problem.message


def test_duplicate_section_numbers_are_an_error(tmp_path: Path) -> None:
    content = make_course(tmp_path, {"01-basics/01-intro.md": chapter(),
                                     "1-more/01-next.md": chapter()})
    problem = only(load_problems(content))
    assert problem.location.path == "content/1-more"
    assert "two sections have the same number" in problem.message


def test_unsafe_chapter_file_name_is_an_error_with_a_suggestion(tmp_path: Path) -> None:
    content = make_course(tmp_path, {"01-basics/01-intro.md": chapter(),
                                     "01-basics/02-Intro Chapter.md": chapter()})
    problem = only(load_problems(content))
    assert problem.location.path == "content/01-basics/02-Intro Chapter.md"
    assert "URL-safe slug" in problem.message
    assert "02-intro-chapter" in problem.hint


def test_a_slug_hint_keeps_accented_letters_as_their_ascii_base(tmp_path: Path) -> None:
    content = make_course(tmp_path, {"01-basics/03-über-alles.md": chapter()})
    problem = only(load_problems(content))
    assert "e.g. 03-uber-alles" in problem.hint  # not "03-ber-alles"


def test_non_utf8_file_is_an_error_at_the_line_of_the_bad_byte(tmp_path: Path) -> None:
    files = one_chapter(b"---\ntitle: T\n---\nFine.\n\nCaf\xe9 au lait.\n")  # type: ignore[arg-type]
    problem = only(load_problems(make_course(tmp_path, files)))
    assert where(problem) == f"{CH}:6"
    assert "UTF-8" in problem.message
    assert "0xe9" in problem.message


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    files = {"course.yml": "\ufefftitle: BOM Course\n",
             "01-basics/01-intro.md": "\ufeff---\ntitle: Intro\n---\nBody.\n"}
    course, problems = load(tmp_path, files)
    assert problems == []
    assert course.info.title == "BOM Course"
    assert course.chapters[0].title == "Intro"


def test_windows_line_endings_are_accepted(tmp_path: Path) -> None:
    course, problems = load(tmp_path, one_chapter("---\r\ntitle: Intro\r\n---\r\nBody.\r\n"))
    assert problems == []
    assert course.chapters[0].body == "Body.\n"


def test_course_without_chapters_is_an_error(tmp_path: Path) -> None:
    content = make_course(tmp_path, {"README.md": "# Notes\n", "01-empty/notes.txt": "x"})
    problem = only(load_problems(content))
    assert problem.location.path == "content"
    assert "no published chapters" in problem.message


def test_missing_content_folder_is_an_error(tmp_path: Path) -> None:
    problem = only(load_problems(tmp_path / "nowhere"))
    assert "does not exist" in problem.message


# --- functions ----------------------------------------------------------------


def test_function_with_an_invalid_name_is_an_error(tmp_path: Path) -> None:
    files = front("functions:\n  f: x**2\n  2f: x + 1\n")
    problem = only(load_problems(make_course(tmp_path, files)))
    assert where(problem) == f"{CH}:5"
    assert "'2f' is not a valid function name" in problem.message


def test_invalid_function_name_is_reported_on_the_line_of_the_name(tmp_path: Path) -> None:
    # model.FunctionDecl.location is documented as "of the function's name"; with a
    # mapping value the name (line 4) and the value (line 5) are on different lines.
    files = front("functions:\n  2f:\n    expr: x + 1\n")
    problem = only(load_problems(make_course(tmp_path, files)))
    assert "'2f' is not a valid function name" in problem.message
    assert where(problem) == f"{CH}:4"


def test_function_named_like_the_expression_language_is_an_error(tmp_path: Path) -> None:
    problem = only(load_problems(make_course(tmp_path, front("functions:\n  sin: x\n"))))
    assert where(problem) == f"{CH}:4"
    assert "name of the expression language" in problem.message


def test_function_domain_with_low_not_below_high_is_an_error(tmp_path: Path) -> None:
    files = front("functions:\n  f:\n    expr: x*y\n    domain:\n      - [-1, 1]\n      - [2, 2]\n")
    problem = only(load_problems(make_course(tmp_path, files)))
    assert where(problem) == f"{CH}:8"
    assert "functions.f.domain[1]" in problem.message
    assert "low must be less than high" in problem.message


def test_function_domain_must_be_pairs(tmp_path: Path) -> None:
    files = front("functions:\n  f:\n    expr: x\n    domain: [-3, 3]\n")
    problems = load_problems(make_course(tmp_path, files))
    assert problems
    assert all(where(p) == f"{CH}:6" for p in problems)
    assert "expected a pair [low, high] of numbers" in problems[0].message


def test_function_unknown_key_is_an_error_with_a_suggestion(tmp_path: Path) -> None:
    files = front("functions:\n  f:\n    expr: x\n    gradiant: ['1']\n")
    problem = only(load_problems(make_course(tmp_path, files)))
    assert where(problem) == f"{CH}:6"
    assert problem.hint == "did you mean 'gradient'?"


def test_valid_functions_are_read_in_order(tmp_path: Path) -> None:
    files = front("functions:\n  f:\n    expr: x**2 + y**2\n    gradient: [2*x, 2*y]\n"
                  "    domain: [[-3, 3], [-2, 2]]\n  g: sin(x)\n")
    course, problems = load(tmp_path, files)
    assert problems == []
    f, g = course.chapters[0].functions
    assert (f.name, f.expr, f.gradient, f.domain) == (
        "f", "x**2 + y**2", ("2*x", "2*y"), ((-3.0, 3.0), (-2.0, 2.0)))
    assert (g.name, g.expr, g.domain) == ("g", "sin(x)", None)


# --- quiz ---------------------------------------------------------------------


def test_choice_question_without_a_correct_choice_is_an_error(tmp_path: Path) -> None:
    files = front("quiz:\n  - question: Q?\n    choices:\n      - a\n      - b\n")
    problem = only(load_problems(make_course(tmp_path, files)))
    assert where(problem) == f"{CH}:6"
    assert "no choice is marked correct" in problem.message
    assert "correct: true" in problem.hint


def test_choice_question_with_one_choice_is_an_error(tmp_path: Path) -> None:
    files = front("quiz:\n  - question: Q?\n    choices:\n      - text: a\n        correct: true\n")
    problem = only(load_problems(make_course(tmp_path, files)))
    assert where(problem) == f"{CH}:6"
    assert "at least two choices" in problem.message


def test_duplicate_choices_are_an_error_at_the_second_one(tmp_path: Path) -> None:
    files = front("quiz:\n  - question: Q?\n    choices:\n      - text: a\n        correct: true\n"
                  "      - Same  text\n      - same text\n")
    problem = only(load_problems(make_course(tmp_path, files)))
    assert where(problem) == f"{CH}:9"
    assert "the same choice appears twice" in problem.message


def test_question_with_both_choices_and_answer_is_an_error(tmp_path: Path) -> None:
    files = front("quiz:\n  - question: Q?\n    answer: 2\n    choices:\n"
                  "      - text: a\n        correct: true\n      - b\n")
    problem = only(load_problems(make_course(tmp_path, files)))
    assert where(problem) == f"{CH}:4"
    assert "either 'choices' or 'answer', not both" in problem.message


def test_question_with_neither_choices_nor_answer_is_an_error(tmp_path: Path) -> None:
    files = front("quiz:\n  - question: Q?\n    explanation: Because.\n")
    problem = only(load_problems(make_course(tmp_path, files)))
    assert where(problem) == f"{CH}:4"
    assert "needs either 'choices' or 'answer'" in problem.message


def test_duplicate_question_ids_are_an_error(tmp_path: Path) -> None:
    files = front("quiz:\n  - id: same\n    question: Q?\n    answer: 1\n"
                  "  - id: same\n    question: R?\n    answer: 2\n")
    problem = only(load_problems(make_course(tmp_path, files)))
    assert where(problem) == f"{CH}:7"
    assert "'same' is already the id of quiz[0]" in problem.message


def test_question_id_must_be_a_slug(tmp_path: Path) -> None:
    files = front("quiz:\n  - id: Role Of Gradient\n    question: Q?\n    answer: 1\n")
    problem = only(load_problems(make_course(tmp_path, files)))
    assert where(problem) == f"{CH}:4"
    assert "is not a slug" in problem.message
    assert "role-of-gradient" in problem.hint


def test_tolerance_on_a_choice_question_is_an_error(tmp_path: Path) -> None:
    files = front("quiz:\n  - question: Q?\n    tolerance: 0.1\n    choices:\n"
                  "      - text: a\n        correct: true\n      - b\n")
    problem = only(load_problems(make_course(tmp_path, files)))
    assert where(problem) == f"{CH}:5"
    assert "only numeric questions have a tolerance" in problem.message


def test_a_tolerance_in_exponent_form_is_a_number(tmp_path: Path) -> None:
    # YAML 1.1 reads 1e-3 (no dot) as text; an author means 0.001.
    files = front("quiz:\n  - id: num\n    question: Q?\n    answer: 1\n    tolerance: 1e-3\n")
    course, problems = load(tmp_path, files)
    assert problems == []
    assert course is not None
    assert course.chapters[0].quiz[0].tolerance == 0.001


@pytest.mark.parametrize("value", [".inf", ".nan", "9" * 320])
def test_a_tolerance_that_is_not_finite_is_an_error(tmp_path: Path, value: str) -> None:
    # Any answer fails against an infinite or NaN tolerance; a number too big for a
    # float used to crash the loader.
    files = front(f"quiz:\n  - id: num\n    question: Q?\n    answer: 1\n    tolerance: {value}\n")
    problem = only(load_problems(make_course(tmp_path, files)))
    assert where(problem) == f"{CH}:7"
    assert "quiz[0].tolerance: expected a number" in problem.message
    assert "finite" in problem.hint


def test_a_number_too_big_for_a_float_is_an_error_where_it_stands(tmp_path: Path) -> None:
    files = front("functions:\n  f:\n    expr: x**2\n    gradient: [2*x]\n"
                  f"    domain: [[0, {'9' * 320}]]\n")
    problem = only(load_problems(make_course(tmp_path, files)))
    assert where(problem).startswith(f"{CH}:7")
    assert "domain[0]" in problem.message


@pytest.mark.parametrize("choice", ["- text: Yes\n        correct: true", "- Yes"])
def test_a_yes_or_no_choice_says_to_quote_it(tmp_path: Path, choice: str) -> None:
    # YAML 1.1 reads an unquoted Yes as true: the author never wrote "true".
    files = front("quiz:\n  - question: Q?\n    choices:\n"
                  f"      {choice}\n      - text: Maybe\n        correct: true\n")
    problems = load_problems(make_course(tmp_path, files))
    assert problems, "Yes was taken as text"
    assert all("quote it" in p.hint and "'Yes'" in p.hint for p in problems)
    assert "expected text, got 'true'" in problems[0].message


def test_valid_questions_get_default_ids_and_kinds(tmp_path: Path) -> None:
    files = front("quiz:\n"
                  "  - question: One?\n    choices:\n      - text: a\n        correct: true\n"
                  "      - b\n"
                  "  - question: Many?\n    choices:\n      - text: a\n        correct: true\n"
                  "      - text: b\n        correct: true\n      - c\n"
                  "  - id: num\n    question: How much?\n    answer: grad_f(1, 2)[0]\n")
    course, problems = load(tmp_path, files)
    assert problems == []
    quiz = course.chapters[0].quiz
    assert [(q.id, q.kind) for q in quiz] == [("q1", "single"), ("q2", "multiple"),
                                             ("num", "numeric")]
    assert quiz[2].answer == "grad_f(1, 2)[0]"


# --- sections, drafts, ordering -----------------------------------------------


def test_section_title_comes_from_section_yml(tmp_path: Path) -> None:
    course, problems = load(tmp_path, {"01-basics/_section.yml": "title: The Basics\n"
                                       "summary: Where it starts.\n",
                                       "01-basics/01-intro.md": chapter()})
    assert problems == []
    assert course.sections[0].title == "The Basics"
    assert course.sections[0].summary == "Where it starts."


def test_section_yml_unknown_key_is_an_error(tmp_path: Path) -> None:
    content = make_course(tmp_path, {"01-basics/_section.yml": "title: S\nsumary: x\n",
                                     "01-basics/01-intro.md": chapter()})
    problem = only(load_problems(content))
    assert where(problem) == "content/01-basics/_section.yml:2"
    assert problem.hint == "did you mean 'summary'?"


def test_section_title_is_derived_from_the_folder_name(tmp_path: Path) -> None:
    course, _ = load(tmp_path, {"01-mathematical-foundations/01-intro.md": chapter(),
                                "02-gradient_descent/01-gd.md": chapter()})
    assert [s.title for s in course.sections] == ["Mathematical Foundations",
                                                  "Gradient Descent"]
    assert [s.slug for s in course.sections] == ["mathematical-foundations",
                                                 "gradient_descent"]


def test_drafts_are_left_out_by_default(tmp_path: Path) -> None:
    files = {"01-basics/01-intro.md": chapter("Intro"),
             "01-basics/02-wip.md": chapter("WIP", draft=True),
             "02-later/01-soon.md": chapter("Soon", draft=True)}
    course, problems = load(tmp_path, files)
    assert problems == []
    assert [c.title for c in course.chapters] == ["Intro"]
    # A section whose chapters are all drafts is not published either.
    assert [s.slug for s in course.sections] == ["basics"]


def test_drafts_are_included_when_asked_for(tmp_path: Path) -> None:
    files = {"01-basics/01-intro.md": chapter("Intro"),
             "01-basics/02-wip.md": chapter("WIP", draft=True)}
    course, _ = load(tmp_path, files, drafts=True)
    assert [c.title for c in course.chapters] == ["Intro", "WIP"]


def test_order_is_numeric_by_prefix_with_gaps(tmp_path: Path) -> None:
    files = {"10-late/01-x.md": chapter("Late"),
             "2-early/10-ten.md": chapter("Ten"),
             "2-early/2-two.md": chapter("Two"),
             "2-early/05-five.md": chapter("Five")}
    course, problems = load(tmp_path, files)
    assert problems == []
    assert [s.slug for s in course.sections] == ["early", "late"]
    assert [(c.number, c.title) for c in course.chapters] == [
        (2, "Two"), (5, "Five"), (10, "Ten"), (1, "Late")]


def test_underscore_dot_and_unnumbered_entries_are_ignored(tmp_path: Path) -> None:
    files = {"README.md": "not a chapter",
             "notes/01-x.md": chapter("Unnumbered section"),
             "_drafts/01-x.md": chapter("Underscore section"),
             ".hidden/01-x.md": chapter("Hidden section"),
             "01-basics/01-intro.md": chapter("Intro"),
             "01-basics/_02-partial.md": chapter("Underscore chapter"),
             "01-basics/.03-swap.md": chapter("Hidden chapter"),
             "01-basics/notes.md": "no front matter, not a chapter",
             "01-basics/04-data.txt": "not markdown"}
    course, problems = load(tmp_path, files)
    assert problems == []
    assert [c.title for c in course.chapters] == ["Intro"]


# --- all problems at once -----------------------------------------------------


def test_all_errors_of_a_course_are_reported_together(tmp_path: Path) -> None:
    # Three different mistakes in two files: one build reports all three.
    content = make_course(tmp_path, {
        "course.yml": "title: X\nautor: Me\n",
        "01-basics/01-intro.md": "---\ntitle: Intro\nsumary: S\nquiz:\n  - question: Q?\n"
                                 "---\nBody.\n",
        "01-basics/02-next.md": chapter("Next"),
    })
    problems = build_problems(content, tmp_path / "_site")
    assert sorted(where(p) for p in problems) == [
        "content/01-basics/01-intro.md:3",
        "content/01-basics/01-intro.md:5",
        "content/course.yml:2",
    ]
    messages = " ".join(p.message for p in problems)
    assert "'autor'" in messages and "'sumary'" in messages and "'choices' or 'answer'" in messages
    assert not (tmp_path / "_site").exists()


# --- entries that look like chapters or sections but are not ------------------


def test_files_and_folders_that_look_numbered_but_are_not_picked_up_are_warned(
    tmp_path: Path,
) -> None:
    files = {"01-a/01-x.md": chapter("X"),
             "01-a/02 My Chapter.md": chapter(),
             "01-a/03-y.MD": chapter(),
             "01-a/04-z.markdown": chapter(),
             "01-a/05-nested/01-deep.md": chapter(),
             "02 Sec With Space/01-x.md": chapter(),
             "03-top.md": chapter(),
             # not warned: no Markdown, or not numbered, or a backup
             "01-a/06-data/table.csv": "a,b\n",
             "01-a/07-notes.txt": "text",
             "01-a/08-x.md~": "backup",
             "01-a/notes.md": "notes",
             "2020-figures/plot.png": "png",
             "README.md": "readme"}
    course, problems = load(tmp_path, files)
    assert [c.title for c in course.chapters] == ["X"]
    assert all(not p.is_error for p in problems)
    found = {p.location.path: (p.message, p.hint) for p in problems}
    assert sorted(found) == ["content/01-a/02 My Chapter.md", "content/01-a/03-y.MD",
                             "content/01-a/04-z.markdown", "content/01-a/05-nested",
                             "content/02 Sec With Space", "content/03-top.md"]
    assert found["content/01-a/02 My Chapter.md"][0] == (
        "'02 My Chapter.md' is not a chapter: chapter files are named NN-slug.md, "
        "such as 02-my-chapter.md")
    assert found["content/01-a/03-y.MD"] == (
        "'03-y.MD' is not a chapter: chapter files end in .md (lowercase)", "rename it 03-y.md")
    assert found["content/01-a/04-z.markdown"][1] == "rename it 04-z.md"
    assert "sections cannot be nested" in found["content/01-a/05-nested"][0]
    assert found["content/02 Sec With Space"][0] == (
        "'02 Sec With Space' is not a section: section folders are named NN-slug, "
        "such as 02-sec-with-space")
    assert "chapters are in section folders" in found["content/03-top.md"][0]


def test_a_course_whose_only_chapters_are_misnamed_has_no_chapters_and_says_why(
    tmp_path: Path,
) -> None:
    problems = load_problems(make_course(tmp_path, {"01-a/01 intro.md": chapter()}))
    assert [(p.is_error, p.location.path) for p in problems] == [
        (False, "content/01-a/01 intro.md"), (True, "content")]
    assert "no published chapters" in problems[1].message


def test_chapter_slugs_that_differ_only_in_case_are_an_error(tmp_path: Path) -> None:
    content = make_course(tmp_path, {"01-basics/01-intro.md": chapter(),
                                     "01-basics/02-Intro.md": chapter()})
    problem = only(load_problems(content))
    assert problem.location.path == "content/01-basics/02-Intro.md"
    assert problem.message == ("two chapters have slugs that differ only in case: "
                               "'01-intro.md' and '02-Intro.md'")
    assert "macOS and Windows" in problem.hint


def test_section_slugs_that_differ_only_in_case_are_an_error(tmp_path: Path) -> None:
    content = make_course(tmp_path, {"01-a/01-x.md": chapter(), "02-A/01-x.md": chapter()})
    problem = only(load_problems(content))
    assert problem.location.path == "content/02-A"
    assert problem.message == "two sections have slugs that differ only in case: '01-a' and '02-A'"


# --- a typo of a required key is one error, not two ---------------------------


def test_a_typo_of_the_chapter_title_is_one_error_that_names_the_key(tmp_path: Path) -> None:
    files = one_chapter("---\ntitel: X\n---\nBody.\n")
    problem = only(load_problems(make_course(tmp_path, files)))
    assert where(problem) == f"{CH}:2"
    assert problem.message == "unknown key 'titel' in front matter"
    assert problem.hint == "did you mean 'title'? ('title' is required)"


def test_a_typo_of_the_course_title_is_one_error_that_names_the_key(tmp_path: Path) -> None:
    content = make_course(tmp_path, {"course.yml": "titel: T\n", **one_chapter(chapter())})
    problem = only(load_problems(content))
    assert where(problem) == "content/course.yml:1"
    assert problem.hint.startswith("did you mean 'title'?")


def test_a_missing_required_key_says_how_to_add_it(tmp_path: Path) -> None:
    # An unknown key that is no typo of it does not hide the missing key.
    files = one_chapter("---\nsummary: S\ncolour: red\n---\nBody.\n")
    problems = load_problems(make_course(tmp_path, files))
    missing = [p for p in problems if "required key 'title'" in p.message]
    assert len(problems) == 2 and len(missing) == 1
    assert missing[0].hint == "add 'title: ...', the chapter title"


# --- the content folder named as given ----------------------------------------


def test_a_missing_content_folder_is_named_as_the_user_gave_it(tmp_path: Path) -> None:
    given = Path("/nonexistent-gradsite-content")
    problem = only(load_problems(given))
    assert problem.location.path == str(given)  # not ../../nonexistent-gradsite-content
    assert problem.message == "the content folder does not exist"
    problem = only(load_problems(Path("no/such/folder")))
    assert problem.location.path == str(Path("no/such/folder"))


def test_a_content_folder_or_course_yml_of_the_wrong_kind_says_so(tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("x")
    assert only(load_problems(Path("afile"))).message == (
        "the content folder is a file, not a folder")
    content = make_course(tmp_path, {"course.yml": None, **one_chapter(chapter())})
    (content / "course.yml").mkdir()
    assert only(load_problems(content)).message == "course.yml is a folder, not a file"


# --- YAML indentation mistakes get a hint -------------------------------------


def test_a_key_indented_too_little_hints_at_the_indentation(tmp_path: Path) -> None:
    # 'gradient:' has 3 spaces where 'expr:' above it has 4.
    files = front("functions:\n  f:\n    expr: x**2\n   gradient: [2*x]\n")
    problem = only(load_problems(make_course(tmp_path, files)))
    assert where(problem) == f"{CH}:6"
    assert "did not find expected key" in problem.message
    assert problem.hint.startswith("check the indentation: the keys of one mapping")
    assert problem.hint.endswith("this line is indented 3 spaces, line 5 above it 4")


def test_a_key_indented_too_much_hints_at_the_indentation_not_at_quoting(
    tmp_path: Path,
) -> None:
    files = front("functions:\n  f:\n    expr: x**2\n     gradient: [2*x]\n")
    problem = only(load_problems(make_course(tmp_path, files)))
    assert where(problem) == f"{CH}:6"
    assert "mapping values are not allowed" in problem.message
    assert problem.hint.startswith("check the indentation: this line is indented more than "
                                   "line 5 above it")


def test_a_list_item_out_of_line_hints_at_the_indentation(tmp_path: Path) -> None:
    files = front("quiz:\n  - question: Q?\n    answer: 1\n   - question: R?\n"
                  "    answer: 2\n")
    problem = only(load_problems(make_course(tmp_path, files)))
    assert problem.hint.startswith("check the indentation:")


def test_a_section_whose_markdown_files_are_all_unnumbered_is_warned(tmp_path: Path) -> None:
    files = {"01-a/01-x.md": chapter("X"), "02-b/notes.md": "notes", "02-b/README.md": "r",
             "03-c/img.png": "png"}  # a folder without Markdown is no section: no warning
    course, problems = load(tmp_path, files)
    assert [c.title for c in course.chapters] == ["X"]
    problem = only(problems)
    assert problem.location.path == "content/02-b" and not problem.is_error
    assert problem.message == ("section '02-b' has no chapters and is left out of the course: "
                               "'README.md', 'notes.md' are not numbered")
    assert problem.hint == "chapter files are named NN-slug.md, such as 01-notes.md"
