"""Quiz questions in the page: Python rendering, string in, HTML out.

The browser behaviour (grading, storage) is tested in tests/browser/; here:
the DOM of each kind of question (docs/questions-contract.md), author text
through Markdown with its HTML escaped, reproducible shuffling, placement by
```` ```quiz ```` blocks and its errors, computed numeric answers, and the
end-of-chapter block with its feedback link.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from gradsite.diagnostics import Location
from gradsite.markup.markdown import render_fragment
from gradsite.markup.mathtext import plain_with_math
from gradsite.markup.questions import (
    QuestionInputs,
    TextLocations,
    choice_order,
    format_number,
    render_question,
)
from gradsite.model import Choice, Question
from gradsite.site import feedback_link
from tests.coursekit import build_problems, has_class, make_course, only, parse_page, where

CH = "content/01-a/01-b.md"
HERE = Location("ch.md", 5)


def question(qid: str = "q1", text: str = "What is it?", choices: tuple[Choice, ...] = (),
             answer: str | float | None = None, tolerance: float | None = None,
             explanation: str = "", shuffle: bool = False) -> Question:
    return Question(qid, text, explanation, choices, answer, tolerance, shuffle, HERE, "quiz[0]")


def choice(text: str, correct: bool = False, feedback: str = "") -> Choice:
    return Choice(text, correct, feedback, HERE)


def places(q: Question) -> TextLocations:
    n = len(q.choices)
    return TextLocations(HERE, HERE, (HERE,) * n, (HERE,) * n)


def render(q: Question, answer: float | None = None, key: str = "s/c") -> str:
    item = QuestionInputs(q, () if answer is None else (answer,), places(q))
    html, problems = render_question(item, key)
    assert problems == [], [p.format() for p in problems]
    return html


SINGLE = question("pick", "Which is *right*?", (
    choice("Right", correct=True),
    choice("Wrong", feedback="Not this one."),
    choice("Also wrong"),
), explanation="Because.")
MULTIPLE = question("many", "Select the even numbers.", (
    choice("2", correct=True), choice("3", feedback="3 is odd."), choice("4", correct=True),
))


def tags(html: str, tag: str, *classes: str) -> list[dict[str, str]]:
    return [a for t, a in parse_page(html).tags if t == tag and has_class(a, *classes)]


# --- the DOM of each kind --------------------------------------------------------


def test_single_answer_is_a_radio_group_with_labels_tied_to_inputs() -> None:
    html = render(SINGLE)
    (form,) = tags(html, "form", "question")
    assert (form["id"], form["data-question"], form["data-kind"]) == (
        "question-pick", "pick", "single")
    assert "novalidate" in form
    assert '<legend class="question-text">Which is <em>right</em>?</legend>' in html
    assert '<p class="question-prompt" id="question-pick-prompt">Select the correct answer</p>' \
        in html
    inputs = tags(html, "input")
    assert [(i["type"], i["name"], i["value"], i["data-correct"]) for i in inputs] == [
        ("radio", "question-pick", "0", "true"),
        ("radio", "question-pick", "1", "false"),
        ("radio", "question-pick", "2", "false"),
    ]
    labels = [a["for"] for t, a in parse_page(html).tags if t == "label"]
    assert labels == [i["id"] for i in inputs] == [f"question-pick-c{i}" for i in range(3)]
    assert '<label for="question-pick-c0">Right</label>' in html


def test_feedback_is_hidden_beside_its_choice_only_when_there_is_feedback() -> None:
    html = render(SINGLE)
    assert ('<p class="choice-feedback" id="question-pick-c1-feedback" hidden>'
            "Not this one.</p>") in html
    assert len(tags(html, "p", "choice-feedback")) == 1


def test_script_only_parts_start_hidden_and_the_answer_key_works_without_it() -> None:
    html = render(SINGLE)
    assert '<button type="submit" class="check-button" hidden>Check</button>' in html
    assert '<button type="button" class="reveal-button" hidden>Show answer</button>' in html
    assert '<div class="verdict" role="status" aria-live="polite"></div>' in html
    assert '<div class="explanation" hidden><p>Because.</p></div>' in html
    key = html[html.index('<details class="answer-key">'):]
    assert "<summary>Show answer</summary>" in key
    assert "<p>Answer: Right</p>" in key
    assert "<p>Because.</p>" in key


def test_select_all_is_a_checkbox_group_and_its_key_lists_every_right_choice() -> None:
    html = render(MULTIPLE)
    assert 'data-kind="multiple"' in html
    assert ">Select all that apply</p>" in html
    assert [i["type"] for i in tags(html, "input")] == ["checkbox"] * 3
    assert '<ul class="answer-list">\n<li>2</li>\n<li>4</li>\n</ul>' in html


def test_without_explanation_there_is_no_explanation_box() -> None:
    html = render(MULTIPLE)
    assert 'class="explanation"' not in html
    assert "answer-key-explanation" not in html


def test_numeric_is_a_decimal_text_input_with_the_computed_answer() -> None:
    q = question("num", "Slope?", answer="grad_f(1, 2)[0]", tolerance=0.001)
    html = render(q, answer=2.0)
    assert 'data-kind="numeric"' in html
    assert '<label for="question-num-input" class="numeric-label">Your answer</label>' in html
    (box,) = tags(html, "input", "numeric-input")
    assert box["type"] == "text"
    assert box["inputmode"] == "decimal"
    assert box["autocomplete"] == "off"
    assert (box["id"], box["name"]) == ("question-num-input", "question-num")
    assert (box["data-answer"], box["data-tolerance"]) == ("2.0", "0.001")
    assert "<p>Answer: 2 (answers within 0.001 are accepted)</p>" in html
    # The reader learns how close counts before answering, not only from the key.
    assert "Enter a number (answers within 0.001 are accepted)</p>" in html
    assert '<p class="nojs-note">Checking answers needs JavaScript' in html
    assert "grad_f" not in html


def test_numeric_default_tolerance_is_relative_to_large_answers() -> None:
    (box,) = tags(render(question(answer=0.5), answer=0.5), "input", "numeric-input")
    assert float(box["data-tolerance"]) == 1e-6
    (box,) = tags(render(question(answer=2500.0), answer=2500.0), "input", "numeric-input")
    assert float(box["data-tolerance"]) == 2500e-6


def test_answers_are_shown_with_enough_digits_for_their_tolerance() -> None:
    assert format_number(6.324555320336759, 0.001) == "6.32456"
    assert format_number(1234567.891, 1.234567891) == "1234568"
    assert format_number(0.1 + 0.2, 0.0) == repr(0.1 + 0.2)
    assert format_number(-0.0, 1e-6) == "0"


# --- author text -----------------------------------------------------------------


def test_questions_and_choices_take_markdown_and_math() -> None:
    q = question("m", r"For $f(x) = x^2$, what is **f'(1)**?", (
        choice(r"$2$", correct=True), choice(r"`x`", feedback=r"Think of $\lim$."),
    ), explanation=r"Since $f'(x) = 2x$.")
    html = render(q)
    legend = re.search(r'<legend class="question-text">(.*?)</legend>', html, re.DOTALL)
    assert legend and "<math" in legend.group(1) and "<strong>f'(1)</strong>" in legend.group(1)
    assert re.search(r'<label for="question-m-c0"><math', html)
    assert '<label for="question-m-c1"><code>x</code></label>' in html
    # question, choice 0 (and again in the answer key), feedback, explanation (and in the key)
    assert html.count("<math") == 6


def test_html_in_author_text_is_shown_never_run() -> None:
    evil = "<script>alert(1)</script>"
    q = question("x", f"Is {evil} safe?", (
        choice(f"Yes {evil}", correct=True, feedback=f"Feedback {evil}"),
        choice('<img src=x onerror="alert(1)">'),
    ), explanation=f"Explained {evil}")
    html = render(q)
    assert "<script" not in html and "<img" not in html
    # question, choice, answer key, feedback, explanation twice
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;") == 6
    assert "&lt;img src=x onerror=" in html


def test_every_yaml_fragment_escapes_raw_html() -> None:
    html, problems = render_fragment("A <b>caption</b>\n\n<div onclick=\"x()\">hi</div>", HERE)
    assert problems == []
    assert "<b>" not in html and "<div" not in html
    assert "&lt;b&gt;caption&lt;/b&gt;" in html


def test_controls_named_by_math_get_the_formula_as_text() -> None:
    # Browsers take no accessible name from MathML: "What is ?" without this.
    q = question("n", r"What is $\partial f / \partial x$?", (
        choice(r"$x^2 + 3$", correct=True), choice("Plain words"),
    ))
    html = render(q)
    assert '<fieldset aria-label="What is ∂f/∂x?" aria-describedby="question-n-prompt">' in html
    (first, second) = tags(html, "input")
    assert first["aria-label"] == "x^2 + 3"
    assert "aria-label" not in second  # its label's text names it
    assert "<fieldset aria-describedby=" in render(SINGLE)


def test_formulas_as_linear_text() -> None:
    def text(markdown: str) -> str:
        html, problems = render_fragment(markdown, HERE)
        assert problems == []
        return plain_with_math(html)

    assert text(r"$\left(-\frac{3}{5}, \frac{4}{5}\right)$") == "(−3/5, 4/5)"
    assert text(r"$\dfrac{\partial}{\partial y}(x^2 y + 3y)$") == "∂/(∂y)(x^2 y + 3y)"
    assert text(r"$\sqrt{4 + 36} = 2\sqrt{10}$, $a - b < c$") == "√(4 + 36) = 2√(10), a − b < c"
    assert text(r"$\sum_{i=1}^n x_i$ and $e^{-x^2}$") == "∑_(i = 1)^n x_i and e^(−x^2)"
    assert text(r"$\hat{\mathbf{u}}$, *so* $x_{k+1}$.") == "hat 𝐮, so x_(k + 1)."
    # A fraction next to a term keeps its own parentheses: not a/(2x^2).
    assert text(r"$f(x) = \frac{a}{2}x^2$") == "f(x) = (a/2)x^2"
    assert text(r"$\frac{1}{2}x^2 + 5y^2$") == "(1/2)x^2 + 5y^2"
    assert text(r"$x = \frac{1}{2} + y$") == "x = 1/2 + y"
    # A function's name takes a space before its argument, none before a bracket.
    assert text(r"$h(x, y) = \sin x \cos y$") == "h(x, y) = sin x cos y"
    assert text(r"$\log(x) + \max_i x_i$") == "log(x) + max_i x_i"
    assert text(r"An $L$-smooth $f$.") == "An L-smooth f."  # no space the source has not
    # Primes follow their letter, as they are typed.
    assert text(r"$f''(x) + \operatorname{loss}'(w) + \mathbf{x}'$") == "f′′(x) + loss′(w) + 𝐱′"


def test_a_multi_paragraph_question_stays_phrasing_content_in_its_legend() -> None:
    html = render(question("p", "First paragraph.\n\nSecond with $$x^2$$.", answer=1.0), 1.0)
    legend = re.search(r'<legend class="question-text">(.*?)</legend>', html, re.DOTALL)
    assert legend is not None
    assert "<p>" not in legend.group(1) and "<div" not in legend.group(1)
    assert '<span class="para">First paragraph.</span>' in legend.group(1)


# --- shuffling ---------------------------------------------------------------------


def _order(html: str) -> list[str]:
    return [i["value"] for i in tags(html, "input")]


def test_choices_keep_their_order_unless_shuffled() -> None:
    assert _order(render(SINGLE)) == ["0", "1", "2"]


def test_shuffle_is_reproducible_and_values_stay_the_original_indexes() -> None:
    five = tuple(choice(f"Choice {i}", correct=i == 0) for i in range(5))
    q = question("mix", choices=five, shuffle=True)
    orders = {key: _order(render(q, key=key)) for key in ("a/b", "a/c", "x/y", "p/q")}
    assert all(sorted(order) == ["0", "1", "2", "3", "4"] for order in orders.values())
    assert any(order != ["0", "1", "2", "3", "4"] for order in orders.values())
    assert len({tuple(order) for order in orders.values()}) > 1  # the seed is the chapter's
    assert orders["a/b"] == _order(render(q, key="a/b"))
    assert orders["a/b"] == [str(i) for i in choice_order(q, "a/b")]
    for value in orders["a/b"]:  # label, id and value agree after shuffling
        assert f'<input type="radio" id="question-mix-c{value}" name="question-mix" ' \
               f'value="{value}"' in render(q, key="a/b")
        assert f'<label for="question-mix-c{value}">Choice {value}</label>' in render(q, key="a/b")


def test_the_shuffle_does_not_depend_on_the_process() -> None:
    # sha256 of "s/c\0mix" seeds random.Random: fixed across runs and machines.
    five = tuple(choice(f"Choice {i}", correct=i == 0) for i in range(5))
    q = question("mix", choices=five, shuffle=True)
    assert choice_order(q, "s/c") == choice_order(q, "s/c")
    assert choice_order(q, "s/c") == [3, 0, 4, 2, 1]


# --- in a built course -------------------------------------------------------------

QUIZ_FRONT = """\
---
title: B
quiz:
  - id: first
    question: First?
    choices:
      - text: Sure
        correct: true
      - Nope
  - id: second
    question: 'Second, $x$?'
    answer: 3
"""


def _page(out: Path) -> str:
    return (out / "a" / "b.html").read_text(encoding="utf-8")


def test_placed_questions_stay_in_the_text_and_the_rest_end_the_chapter(
    site: Callable[..., Path],
) -> None:
    body = "Intro.\n\n```quiz\nfirst\n```\n\nMore text.[^1]\n\n[^1]: A note.\n"
    out = site({"01-a/01-b.md": QUIZ_FRONT + "---\n" + body})
    html = _page(out)
    placed = html.index('id="question-first"')
    section = html.index('<section class="quiz" aria-labelledby="quiz-heading">')
    assert html.index("Intro.") < placed < html.index("More text.") < section
    # The prose's footnotes end the prose; the questions come after them.
    assert html.index("More text.") < html.index('class="footnote"') < section
    assert section < html.index('id="question-second"')
    assert html.count('<form class="question"') == 2
    assert '<h2 id="quiz-heading">Check your understanding</h2>' in html
    assert '<a href="#quiz-heading">Check your understanding</a>' in html  # "On this page"
    (box,) = tags(html, "input", "numeric-input")
    assert box["data-answer"] == "3.0"


def test_no_quiz_section_when_every_question_is_placed(site: Callable[..., Path]) -> None:
    body = "```quiz\nsecond\n```\n\n```quiz\nfirst\n```\n"
    html = _page(site({"01-a/01-b.md": QUIZ_FRONT + "---\n" + body}))
    assert 'class="quiz"' not in html and "quiz-heading" not in html
    assert html.index('id="question-second"') < html.index('id="question-first"')


def test_a_placed_id_that_does_not_exist_is_an_error_at_its_fence(tmp_path: Path) -> None:
    body = "Text.\n\n```quiz\nfirts\n```\n"  # the body starts on line 14: the fence is on 16
    content = make_course(tmp_path, {"01-a/01-b.md": QUIZ_FRONT + "---\n" + body})
    problem = only(build_problems(content, tmp_path / "_site"))
    assert where(problem) == f"{CH}:16"
    assert problem.message == "no question with id 'firts' in this chapter"
    assert problem.hint == "did you mean 'first'?"


def test_placing_a_question_twice_is_an_error_at_the_second_fence(tmp_path: Path) -> None:
    body = "```quiz\nfirst\n```\n\nText.\n\n```quiz\nfirst\n```\n"  # fences: lines 14, 20
    content = make_course(tmp_path, {"01-a/01-b.md": QUIZ_FRONT + "---\n" + body})
    problem = only(build_problems(content, tmp_path / "_site"))
    assert where(problem) == f"{CH}:20"
    assert problem.message == "question 'first' is already placed at line 14"


def test_an_empty_quiz_block_is_an_error(tmp_path: Path) -> None:
    content = make_course(tmp_path, {"01-a/01-b.md": QUIZ_FRONT + "---\n```quiz\n```\n"})
    problem = only(build_problems(content, tmp_path / "_site"))
    assert where(problem) == f"{CH}:14"
    assert problem.message == "this quiz block names no question"


def test_a_quiz_block_in_a_chapter_without_questions_says_so(tmp_path: Path) -> None:
    content = make_course(tmp_path, {"01-a/01-b.md": "---\ntitle: B\n---\n```quiz\nq1\n```\n"})
    problem = only(build_problems(content, tmp_path / "_site"))
    assert where(problem) == f"{CH}:4"
    assert problem.hint == "the front matter has no quiz questions"


def test_latex_errors_in_question_texts_are_reported_at_their_lines(tmp_path: Path) -> None:
    front = (
        "---\n"                             # 1
        "title: B\n"                        # 2
        "quiz:\n"                           # 3
        "  - question: 'Bad $\\frac{1}{$?'\n"  # 4
        "    choices:\n"                    # 5
        "      - text: Fine\n"              # 6
        "        correct: true\n"           # 7
        "      - text: 'Broken $x^{$'\n"    # 8
        "        feedback: 'Also $\\sqrt{$'\n"  # 9
        "    explanation: |\n"              # 10
        "      First line.\n"               # 11
        "      Second $\\left( x$.\n"       # 12
        "---\n"
        "Body.\n"
    )
    content = make_course(tmp_path, {"01-a/01-b.md": front})
    problems = build_problems(content, tmp_path / "_site")
    assert sorted((where(p) for p in problems), key=lambda w: int(w.rsplit(":", 1)[1])) == [
        f"{CH}:{n}" for n in (4, 8, 9, 12)]
    assert all(p.message.startswith("invalid LaTeX") for p in problems)


def test_a_question_id_clashing_with_a_heading_anchor_is_an_error(tmp_path: Path) -> None:
    front = "---\ntitle: B\nquiz:\n  - id: one\n    question: Q?\n    answer: 1\n---\n"
    content = make_course(tmp_path, {"01-a/01-b.md": front + "## Question one\n"})
    problem = only(build_problems(content, tmp_path / "_site"))
    assert where(problem) == f"{CH}:4"
    assert "question-one" in problem.message


# --- the end of a chapter ------------------------------------------------------------


def test_feedback_link_names_the_chapter_with_proper_encoding() -> None:
    url = feedback_link("https://example.org/form", "basics/intro", "Sums & <Products>? 100%")
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "example.org", "/form")
    assert parse_qs(parts.query, strict_parsing=True) == {
        "chapter": ["basics/intro"], "title": ["Sums & <Products>? 100%"]}
    assert url == ("https://example.org/form?chapter=basics/intro"
                   "&title=Sums%20%26%20%3CProducts%3E%3F%20100%25")


def test_feedback_link_keeps_an_existing_query_and_fragment() -> None:
    assert feedback_link("https://x.org/f?lang=en", "a/b", "T") == \
        "https://x.org/f?lang=en&chapter=a/b&title=T"
    assert feedback_link("https://x.org/f?lang=en&", "a/b", "T") == \
        "https://x.org/f?lang=en&chapter=a/b&title=T"
    assert feedback_link("https://x.org/f#top", "a/b", "T") == \
        "https://x.org/f?chapter=a/b&title=T#top"
    assert feedback_link("", "a/b", "T") == ""


def test_chapter_end_has_mark_done_only_without_questions_and_the_feedback_link(
    site: Callable[..., Path],
) -> None:
    out = site({
        "course.yml": "title: C\nfeedback_url: https://example.org/f?x=1\n",
        "01-a/01-b.md": QUIZ_FRONT + "---\nBody.\n",
        "01-a/02-c.md": '---\ntitle: "Notes & more"\n---\nJust text.\n',
    })
    with_quiz = _page(out)
    plain = (out / "a" / "c.html").read_text(encoding="utf-8")
    for html in (with_quiz, plain):
        assert '<section class="chapter-end" aria-label="Chapter progress">' in html
        assert '<p class="chapter-status" role="status"></p>' in html
        assert '<button type="button" class="clarity-yes" hidden aria-pressed="false">Yes' in html
    assert "mark-done" not in with_quiz
    assert ('<button type="button" class="mark-done" hidden aria-pressed="false">'
            "Mark chapter as done</button>") in plain
    (link,) = tags(plain, "a", "clarity-link")
    assert link["href"] == "https://example.org/f?x=1&chapter=a/c&title=Notes%20%26%20more"
    (clarity,) = tags(plain, "div", "clarity")
    assert clarity["data-chapter-key"] == "a/c" and "hidden" not in clarity


def test_without_feedback_url_the_prompt_waits_for_the_script(site: Callable[..., Path]) -> None:
    html = _page(site({"01-a/01-b.md": QUIZ_FRONT + "---\nBody.\n"}))
    assert "clarity-link" not in html
    (clarity,) = tags(html, "div", "clarity")
    assert "hidden" in clarity  # Yes/No need the script; it unhides the prompt


def test_a_tolerance_of_zero_asks_for_the_exact_value() -> None:
    html = render(question("num", "Two?", answer=2.0, tolerance=0.0), 2.0)
    assert "Enter a number (the exact value is expected)</p>" in html
    assert "<p>Answer: 2 (the exact value is expected)</p>" in html
