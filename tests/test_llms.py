"""The course for the reader's AI assistant: each chapter's Markdown copy beside its
page and in it, and llms.txt. No answer, feedback, hint, explanation or solution is
ever in them."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from gradsite.load import load_course
from gradsite.params import draw_variants, substitute
from gradsite.pipeline import BuildOptions, build
from tests.browser.shipped import CONTENT, shipped_site
from tests.coursekit import chapter, count_made, make_course, rebuilt

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00"
       b"\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01"
       b"\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82")
TEMPLATE = re.compile(r'<template class="chapter-copy-text">(.*?)</template>', re.S)


# --- the shipped course -------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return shipped_site(tmp_path_factory.getbasetemp())


def _copies(site: Path) -> dict[str, str]:
    return {str(path.relative_to(site)): path.read_text(encoding="utf-8")
            for path in sorted(site.glob("*/*.html.md"))}


def _flat(text: str) -> str:
    return " ".join(text.split())


def _secrets() -> tuple[list[str], list[str]]:
    """What the copies must never hold (each question's feedback, hints and explanation
    in every variant, each exercise's hints and solution), and what they must hold
    (each question's text and choices, in its first variant), from the sources."""
    course, _ = load_course(CONTENT)
    assert course is not None
    secret: list[str] = []
    shown: list[str] = []
    for section in course.sections:
        for one in section.chapters:
            key = f"{section.slug}/{one.slug}"
            for question in one.quiz:
                variants = draw_variants(question.params, question.variants,
                                         f"{key}\0{question.id}")
                for variant in variants:
                    texts = [question.explanation, *question.hints,
                             *(c.feedback for c in question.choices)]
                    secret += [substitute(text, variant) for text in texts if text]
                shown.append(substitute(question.question, variants[0]))
                shown += [substitute(c.text, variants[0]) for c in question.choices]
            secret += _disclosed(one.body)
    return secret, shown


def _disclosed(body: str) -> list[str]:
    """The text of each exercise's hints and solution: the lines under their headers."""
    found: list[str] = []
    lines = body.split("\n")
    for number, line in enumerate(lines):
        head = re.match(r"^( *)!!! (hint|solution)\b", line)
        if head is None:
            continue
        inside = []
        for more in lines[number + 1:]:
            if more.strip() and len(more) - len(more.lstrip()) <= len(head.group(1)):
                break
            inside.append(more.strip())
        found.append("\n".join(inside).strip())
    return found


def _probes(text: str) -> list[str]:
    """The runs of plain words of a text (between its formulas and markup), long enough
    to be its own: what a copy that held the text would hold too."""
    plain = re.sub(r"\$[^$]*\$|\[\]\([^)]*\)|[*_`]", "|", text)
    return [_flat(run) for run in re.split(r"[|\n]", plain) if len(_flat(run)) >= 20]


def test_no_answer_feedback_hint_or_solution_is_in_the_copies(shipped: Path) -> None:
    copies = _copies(shipped)
    assert len(copies) == 6
    everything = _flat("\n".join(copies.values()) + (shipped / "llms.txt").read_text())
    secret, shown = _secrets()
    probes = [probe for text in secret for probe in _probes(text)]
    assert len(probes) > 60  # the feedback, hints, explanations and solutions were found
    leaked = [probe for probe in probes if probe in everything]
    assert leaked == []
    # The same probes find what the copies do hold: the questions and their choices.
    wanted = [probe for text in shown for probe in _probes(text)]
    assert len(wanted) > 20
    assert [probe for probe in wanted if probe not in everything] == []
    for text in copies.values():
        assert "Answer:" not in text and "Show answer" not in text and "Show hint" not in text
        assert "Show solution" not in text


def test_every_chapter_has_its_copy_beside_its_page_and_in_it(shipped: Path) -> None:
    copies = _copies(shipped)
    for path, text in copies.items():
        page = (shipped / path.removesuffix(".md")).read_text(encoding="utf-8")
        name = Path(path).name
        assert f'<link rel="alternate" type="text/markdown" href="{name}">' in page
        assert f'<a class="chapter-copy-link" href="{name}" type="text/markdown">' in page
        assert '<button type="button" class="chapter-copy-button" hidden>' in page
        embedded = TEMPLATE.findall(page)
        assert len(embedded) == 1 and html.unescape(embedded[0]) == text
        # Written back whole: no token, marker or entity of the build is left.
        assert not re.search(r"gstoken|gsthm|gstable|&#36;|\\label\{", text)
        assert text.startswith("# ") and text.endswith("\n") and "\n\n\n" not in text


def test_the_copy_writes_math_figures_cells_and_theorems_as_text(shipped: Path) -> None:
    first = (shipped / "mathematical-foundations/derivatives-and-gradients.html.md").read_text()
    assert first.startswith("# Derivatives and Gradients\n\n"
                            "Mathematics of Optimization in ML · Section 1. Chapter 1 · "
                            "Mathematical Foundations\n\n> How a function changes")
    assert "$$\ng'(a) = \\lim_{h \\to 0} \\frac{g(a + h) - g(a)}{h}. \\tag{1.1.1}\n$$" in first
    assert "So $g'(x) = 3x^2 - 3$. Figure 1.1.1 draws the graph" in first
    assert ("**Figure 1.1.1.** The graph of $g(x) = x^3 - 3x$ with its tangent lines at "
            "$x = -2$, $-1$, $0$ and $1.5$. [Image: ") in first
    assert "**Figure 1.1.2.** The graph of $g(x) = x^3 - 3x$ with its tangent line at a " \
           "point you move" in first
    assert "[Interactive figure: " in first
    assert "> **Definition 1.1.1 (Gradient).**\n> Let $f : \\mathbb{R}^n" in first
    assert "\n> **The gradient is a compass**\n>\n> At every point" in first
    assert "```python\nimport numpy as np\nimport matplotlib.pyplot as plt\n" in first
    assert "**Figure 1.1.3.** Gradient field of $f(x, y) = x^2 + y^2$ [Image: A square grid" \
        in first
    assert "[Proposition 1.3.1](the-gradient-as-steepest-ascent.html#prop-steepest-ascent)" \
        in first
    assert "[Convexity](../gradient-descent/convexity.html)" in first
    assert "**Question.** Which statement best describes the role of the gradient" in first
    assert first.index("**Question.** Which statement") < first.index("### Seeing the gradient")
    assert "\n## Check your understanding\n\n**Question.** For $f(x, y)" in first
    proof = (shipped / "mathematical-foundations/the-gradient-as-steepest-ascent.html.md")
    assert "> **Proof.**\n> If $\\mathbf{q} = \\mathbf{0}$" in proof.read_text()


def test_llms_txt_lists_the_course_by_sections(shipped: Path) -> None:
    text = (shipped / "llms.txt").read_text(encoding="utf-8")
    course, _ = load_course(CONTENT)
    assert course is not None
    head, *sections = re.split(r"\n(?=## )", text.rstrip("\n"))
    blocks = head.split("\n\n")
    assert len(blocks) == 3
    assert blocks[0] == f"# {course.info.title}"
    assert blocks[1] == "> " + " ".join(course.info.description.split())
    assert not blocks[2].startswith(("#", ">", "-"))  # a paragraph about the links
    assert len(sections) == len(course.sections)
    for block, section in zip(sections, course.sections, strict=True):
        title, items, *rest = block.split("\n\n")
        assert title == f"## {section.title}" and rest == []
        lines = items.strip("\n").split("\n")
        assert len(lines) == len(section.chapters)
        for line, one in zip(lines, section.chapters, strict=True):
            match = re.fullmatch(r"- \[(.+?)\]\((\S+)\): (.+)", line)
            assert match is not None, line
            assert match.group(1) == one.title and match.group(3) == one.summary
            assert match.group(2) == f"{section.slug}/{one.slug}.html.md"
            assert (shipped / match.group(2)).is_file()


# --- a fixture course -----------------------------------------------------------------

BODY = r"""Intro with $a$ and a price of \$5.

$$
y = 2x
\label{eq-line}
$$

See \eqref{eq-line} and [](#thm-main), and the [other chapter](02-other.md#part).

!!! theorem "Main $x$" {#thm-main}
    Body of the theorem.

!!! exercise "Try"
    Do this.

    !!! hint
        SECRET exercise hint.

    !!! solution
        SECRET solution text.

        $$
        s = 1
        $$

After the exercise.

!!! note "A note on $y$"
    Note body.

Table: Some numbers {#tab-n}
| a | b |
|---|---|
| 1 | 2 |

![A red square](square.png "The square"){#fig-square}

```quiz
placed
```

```{python}
#| echo: false
print("printed 42")
```

```{python}
#| id: fig-cell
#| caption: A line, drawn.
#| alt: A rising line.
import matplotlib.pyplot as plt
plt.plot([0, 1], [0, 1])
plt.show()
```

```plot
function: f
kind: curve
caption: 'Curve of $f$.'
```

$$
\begin{align}
a &= b \label{eq-a} \\
c &= d
\end{align}
$$
"""


def test_a_chapter_copy_in_full(tmp_path: Path) -> None:
    content = make_course(tmp_path, {
        "course.yml": "title: Fixture\nmacros:\n  norm: ['\\lVert #1 \\rVert', 1]\n",
        "01-s/_section.yml": "title: The Section\n",
        "01-s/square.png": PNG,
        "01-s/01-first.md": chapter("First", BODY, summary="Its summary.", functions={
            "f": {"expr": "x**2", "gradient": ["2*x"], "domain": [[-1, 1]]}}, quiz=[
            {"id": "placed", "question": "What is $2 \\cdot {{a}}$?",
             "params": {"a": {"choices": [2]}}, "variants": 1,
             "answer": "2*a", "hints": ["SECRET question hint."],
             "explanation": "SECRET explanation one."},
            {"id": "pick", "question": "Which one?", "choices": [
                {"text": "Right one.", "correct": True},
                {"text": "Wrong one.", "feedback": "SECRET feedback."}],
             "explanation": "SECRET explanation two."}]),
        "01-s/02-other.md": chapter("Other", "## Part\n\nText.\n"),
    })
    build(BuildOptions(content=content, out=tmp_path / "_site", jobs=1, quiet=True))
    text = (tmp_path / "_site/s/first.html.md").read_text()
    assert "SECRET" not in text
    assert text.startswith("# First\n\nFixture · Section 1. Chapter 1 · The Section\n\n"
                           "> Its summary.\n\nThe formulas use these LaTeX macros:\n\n"
                           "```latex\n\\newcommand{\\norm}[1]{\\lVert #1 \\rVert}\n```\n\n"
                           "**Functions in this chapter**\n\n$$\nf(x) = x^{2}\n$$\n\n"
                           "$$\nf'(x) = 2x\n$$\n\nIntro with $a$ and a price of \\$5.\n\n"
                           "$$\ny = 2x \\tag{1.1.1}\n$$\n\n")
    assert ("See (1.1.1) and Theorem 1.1.1, and the [other chapter](other.html#part)."
            in text)
    assert "> **Theorem 1.1.1 (Main $x$).**\n> Body of the theorem.\n\n" in text
    assert "> **Exercise 1.1.1 (Try).**\n> Do this.\n\nAfter the exercise." in text
    assert "> **A note on $y$**\n>\n> Note body." in text
    assert "**Table 1.1.1.** Some numbers\n\n| a | b |\n|---|---|\n| 1 | 2 |" in text
    assert "**Figure 1.1.1.** The square [Image: A red square]" in text
    assert "**Question.** What is $2 \\cdot 2$?\n\n*Enter a number.*" in text
    assert "printed 42" not in text.split("```output")[0]  # its code is not shown...
    assert "```output\nprinted 42\n```" in text  # ...what it printed is
    assert "print(" not in text
    assert ("```python\nimport matplotlib.pyplot as plt\nplt.plot([0, 1], [0, 1])\nplt.show()"
            "\n```\n\n**Figure 1.1.2.** A line, drawn. [Image: A rising line.]") in text
    assert "**Figure.**" not in text and "Curve of $f$. [Image: " in text
    assert "\\begin{align}\n\\tag{1.1.2} a &= b  \\\\\n\\tag{1.1.3} c &= d\n\\end{align}" in text
    assert text.endswith("## Check your understanding\n\n**Question.** Which one?\n\n"
                         "- Right one.\n- Wrong one.\n\n*Select the correct answer.*\n")


def test_addresses_are_absolute_with_a_base_url_and_drafts_are_not_listed(
    tmp_path: Path
) -> None:
    content = make_course(tmp_path, {
        "course.yml": "title: Fixture\nbase_url: https://example.org/c/\n",
        "01-s/01-first.md": chapter("First", "See [the draft](02-draft.md) and [x](#x).\n\n"
                                    "## Heading {#x}\n"),
        "01-s/02-draft.md": chapter("Draft [1]", "Draft text.\n", draft=True),
    })
    build(BuildOptions(content=content, out=tmp_path / "_site", include_drafts=True,
                       quiet=True))
    text = (tmp_path / "_site/s/first.html.md").read_text()
    assert "\n\n<https://example.org/c/s/first.html>\n\n" in text
    assert "See [the draft](https://example.org/c/s/draft.html) and x." in text
    assert "## Heading\n" in text  # its {#x} is the page's
    assert (tmp_path / "_site/s/draft.html.md").is_file()
    listed = (tmp_path / "_site/llms.txt").read_text()
    assert "- [First](https://example.org/c/s/first.html.md)" in listed
    assert "draft" not in listed.lower()


def test_serve_says_the_copies_are_utf_8(tmp_path: Path) -> None:
    from gradsite.serve import _handler

    handler = _handler(tmp_path, None)  # type: ignore[arg-type]
    served = handler.__new__(handler)
    assert served.guess_type("s/first.html.md") == "text/markdown; charset=utf-8"
    assert served.guess_type("llms.txt") == "text/plain; charset=utf-8"


def test_choices_are_in_the_page_s_order(shipped: Path) -> None:
    """A shuffled question lists its choices as its page shows them."""
    course, _ = load_course(CONTENT)
    assert course is not None
    section = course.sections[1]
    one = section.chapters[1]
    question = next(q for q in one.quiz if q.shuffle)
    page = (shipped / f"{section.slug}/{one.slug}.html").read_text()
    form = page[page.index(f'<form class="question" id="question-{question.id}"'):]
    form = form[: form.index("</form>")]
    order = [int(i) for i in re.findall(r'<input type="radio"[^>]* value="(\d+)"', form)]
    assert sorted(order) == list(range(len(question.choices))) and order != sorted(order)
    variant = draw_variants(question.params, question.variants,
                            f"{section.slug}/{one.slug}\0{question.id}")[0]
    copy = (shipped / f"{section.slug}/{one.slug}.html.md").read_text()
    listed = copy[copy.index(substitute(question.question, variant)):].split("\n\n")[1]
    assert listed.split("\n") == [f"- {substitute(question.choices[i].text, variant)}"
                                  for i in order]


def test_a_rebuild_writes_only_the_copies_whose_inputs_changed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import gradsite.llms

    made = count_made(monkeypatch, gradsite.llms, "chapter_markdown")
    content = make_course(tmp_path, {
        "01-a/01-one.md": chapter("One", "First words, then [Two](02-two.md).\n"),
        "01-a/02-two.md": chapter("Two", "Second words.\n\n```{python}\nprint(6 * 7)\n```\n"),
    })
    site = tmp_path / "_site"
    options = BuildOptions(content=content, out=site, cache_dir=tmp_path / "cache", quiet=True)

    def rebuild() -> list[str]:
        return rebuilt(options, made)

    def copies(folder: Path) -> dict[str, bytes]:
        return {p.name: p.read_bytes() for p in sorted((folder / "a").glob("*.md"))}

    def fresh() -> dict[str, bytes]:
        build(BuildOptions(content=content, out=tmp_path / "fresh", cache_dir=None, quiet=True))
        return copies(tmp_path / "fresh")

    assert rebuild() == ["one", "two"]
    two = content / "01-a/02-two.md"
    two.write_text(two.read_text().replace("Second words", "Second, edited words"))
    assert rebuild() == ["two"]
    assert copies(site) == fresh()
    # Two's new title is in its own copy only; the course's new title, in both.
    two.write_text(two.read_text().replace("title: Two", "title: Second"))
    assert rebuild() == ["two"]
    assert copies(site) == fresh()
    (content / "course.yml").write_text("title: A Renamed Course\n")
    assert rebuild() == ["one", "two"]
    assert copies(site) == fresh() and b"A Renamed Course" in copies(site)["one.html.md"]


def test_llms_txt_gives_the_macros_its_texts_may_use(tmp_path: Path) -> None:
    content = make_course(tmp_path, {
        "course.yml": "title: Fixture\ndescription: 'Functions on $\\R^n$.'\n"
                      "macros:\n  R: '\\mathbb{R}'\n  norm: ['\\lVert #1 \\rVert', 1]\n",
        "01-s/01-first.md": chapter("First", "On $\\R$.\n"),
    })
    build(BuildOptions(content=content, out=tmp_path / "_site", quiet=True))
    listed = (tmp_path / "_site/llms.txt").read_text()
    assert "> Functions on $\\R^n$.\n" in listed
    assert ("The formulas use these LaTeX macros:\n\n```latex\n\\newcommand{\\R}{\\mathbb{R}}\n"
            "\\newcommand{\\norm}[1]{\\lVert #1 \\rVert}\n```\n\n## ") in listed
