"""Cache keys: each changes with every input of the result it keys, and with nothing else.

Every key is built from canonical JSON of named fields (fingerprint.canonical),
beside the stage whose result it keys: checked functions (check/functions.py),
cells and plots (execute/plan.py), rendered chapters and highlighted code
(render.py), the math characters of a chapter (assets.py).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from gradsite import fingerprint
from gradsite.assets import math_characters_key
from gradsite.cache import Cache
from gradsite.check import check_course
from gradsite.check.functions import functions_key
from gradsite.diagnostics import Location
from gradsite.execute.plan import figure_key, task_keys
from gradsite.fingerprint import canonical
from gradsite.i18n import course_words
from gradsite.load import load_course
from gradsite.markup.chapter import CellView
from gradsite.markup.outputs import FigureView
from gradsite.model import CheckedChapter, FunctionDecl, Label, Reference, ScannedText
from gradsite.notebook import notebook_key
from gradsite.render import highlight_key, render_key
from gradsite.resolve import ChapterFacts, facts_key
from tests.coursekit import chapter, count_renders, make_course

HERE = Location("content/01-a/01-b.md", 5, 3)
ELSEWHERE = Location("content/02-c/07-d.md", 40, 9)


def checked_chapter(tmp_path: Path, body: str, **front: object) -> CheckedChapter:
    make_course(tmp_path, {"01-a/01-b.md": chapter("B", body, **front)})
    course, problems = load_course(tmp_path / "content")
    assert course is not None and not [p for p in problems if p.is_error], problems
    checked, problems = check_course(course, Cache(None))
    assert not [p for p in problems if p.is_error], problems
    return checked[0]


# --- canonical JSON --------------------------------------------------------------------


def test_canonical_json_is_the_same_for_equal_values_and_refuses_other_objects() -> None:
    decl = FunctionDecl("f", "x**2", ("x",), None, ((-1.0, 1.0),), None, HERE, "functions.f")
    assert canonical(decl) == canonical(replace(decl))
    assert canonical({"b": 1, "a": (1.5, None, True)}) == '{"a":[1.5,null,true],"b":1}'
    assert canonical(frozenset({"b", "a"})) == '["a","b"]'
    with pytest.raises(TypeError):
        canonical(object())
    with pytest.raises(TypeError):
        canonical({"a": (1, object())})


# --- checked functions -----------------------------------------------------------------

DECL = FunctionDecl("f", "x**2 + y", ("x", "y"), ("2*x", "1"), ((-2.0, 2.0), (-1.0, 1.0)),
                    "x^2 + y", HERE, "functions.f")


@pytest.mark.parametrize("change", [
    {"name": "g"}, {"expr": "x**2 + 2*y"}, {"vars": ("y", "x")}, {"gradient": ("2*x", "2")},
    {"gradient": None}, {"domain": ((-3.0, 3.0), (-1.0, 1.0))}, {"tex": "x^{2} + y"},
])
def test_the_functions_key_changes_with_each_declared_field(change: dict[str, object]) -> None:
    assert functions_key((DECL,)) != functions_key((replace(DECL, **change),))


def test_the_functions_key_ignores_where_a_declaration_stands() -> None:
    moved = replace(DECL, location=ELSEWHERE, key_path="functions.other")
    assert functions_key((DECL,)) == functions_key((moved,))


# --- cells and plots -------------------------------------------------------------------

CELLS = ("```{python}\n#| caption: First.\nx = 1\n```\n\n"
         "```{python}\n#| alt: Second.\nprint(x)\n```\n")


def test_a_cells_key_follows_its_code_and_the_cells_before_it(tmp_path: Path) -> None:
    before = task_keys(checked_chapter(tmp_path / "a", CELLS), "env")
    second = task_keys(checked_chapter(tmp_path / "b", CELLS.replace("print(x)", "print(x + 1)")),
                       "env")
    first = task_keys(checked_chapter(tmp_path / "c", CELLS.replace("x = 1", "x = 2")), "env")
    index_1, index_2 = sorted(before)
    assert second[index_1] == before[index_1] and second[index_2] != before[index_2]
    assert first[index_1] != before[index_1] and first[index_2] != before[index_2]
    assert task_keys(checked_chapter(tmp_path / "d", CELLS), "other env") != before


@pytest.mark.parametrize("edit", [
    lambda text: text.replace("#| caption: First.", "#| caption: Another caption."),
    lambda text: text.replace("#| alt: Second.", "#| alt: Other words."),
    lambda text: text.replace("x = 1\n```", "x = 1\n```\n\nProse between the cells.\n"),
    lambda text: "Prose before.\n\n" + text,
    lambda text: text.replace("#| caption: First.", "#| caption: First.\n#| timeout: 30"),
])
def test_a_cells_key_ignores_prose_captions_alt_text_and_lines(tmp_path: Path, edit) -> None:
    keys = task_keys(checked_chapter(tmp_path / "a", CELLS), "env")
    edited = task_keys(checked_chapter(tmp_path / "b", edit(CELLS)), "env")
    assert list(keys.values()) == list(edited.values())


def test_a_cells_key_follows_its_figure_format_and_the_functions(tmp_path: Path) -> None:
    keys = list(task_keys(checked_chapter(tmp_path / "a", CELLS), "env").values())
    png = CELLS.replace("#| alt: Second.", "#| alt: Second.\n#| format: png")
    assert list(task_keys(checked_chapter(tmp_path / "b", png), "env").values())[1] != keys[1]
    declared = checked_chapter(tmp_path / "c", CELLS, functions={"f": "x**2"})
    assert list(task_keys(declared, "env").values()) != keys


PLOT = "```plot\nfunction: f\nkind: contour\ncaption: The bowl.\n```\n"


def test_a_plots_key_is_what_it_draws(tmp_path: Path) -> None:
    spec = checked_chapter(tmp_path, PLOT, functions={"f": "x**2 + y**2"}).plots[0].spec
    same = replace(spec, caption="Other.", alt="Other words.", location=ELSEWHERE,
                   caption_location=ELSEWHERE)
    assert figure_key(same) == figure_key(spec)
    for change in ({"kind": "quiver"}, {"points": 13}, {"levels": 5}, {"normalize": True},
                   {"domain": ((-1.0, 1.0), (-1.0, 1.0))}, {"function": "g"}):
        assert figure_key(replace(spec, **change)) != figure_key(spec), change


# --- rendered chapters and highlighted code -------------------------------------------

FACTS = ChapterFacts(urls=(("02-c.md", "c.html"),))


@pytest.fixture(scope="module")
def rendered_from(tmp_path_factory: pytest.TempPathFactory) -> CheckedChapter:
    return checked_chapter(tmp_path_factory.mktemp("key"), "Some text, see @eq:e.\n")


FACT_CHANGES = [
    {"urls": (("02-c.md", "../x/c.html"),)},
    {"references": (Reference("eq:e", "b.html#eq:e", "(1.1.1)", "1.1.1"),)},
    {"macros": "\\newcommand{\\R}{\\mathbb{R}}"},
    {"words": course_words("de", None, HERE)[0]},
]


@pytest.mark.parametrize("change", FACT_CHANGES)
def test_the_render_key_changes_with_each_fact(rendered_from: CheckedChapter,
                                               change: dict[str, object]) -> None:
    assert render_key(rendered_from, (), FACTS) != render_key(rendered_from, (),
                                                              replace(FACTS, **change))


@pytest.mark.parametrize("change", FACT_CHANGES)
def test_a_notebooks_key_changes_with_each_fact(change: dict[str, object]) -> None:
    # The course's macros and words are digested once a build, not with each chapter's
    # facts: a change in them must still reach every key made from the facts.
    changed = replace(FACTS, **change)
    assert facts_key(changed) != facts_key(FACTS)
    assert notebook_key("chapter", {}, changed, "course") != notebook_key("chapter", {}, FACTS,
                                                                           "course")


def test_the_render_key_changes_with_the_chapter_and_its_labels(
        tmp_path: Path, rendered_from: CheckedChapter) -> None:
    key = render_key(rendered_from, (), FACTS)
    assert render_key(checked_chapter(tmp_path, "Other text.\n"), (), FACTS) != key
    label = Label("eq:e", "equation", HERE, "1.1.1")
    assert render_key(replace(rendered_from, labels=(label,)), (), FACTS) != key
    # What the key stands for: the checked chapter's own key (its file, its place, the
    # course's settings), not the objects made from it.
    assert render_key(replace(rendered_from, scanned=ScannedText("", (), ())), (), FACTS) == key


def test_the_render_key_follows_the_order_of_a_cells_outputs(
        rendered_from: CheckedChapter) -> None:
    # The same figure and text, printed before the figure or after it: two pages.
    figure = FigureView("figures/b-1.svg", "", 10, 10)
    view = CellView(index=0, code="print(1)", echo=True, show_output=True, caption="",
                    caption_location=HERE, alt="", anchor="", anchor_location=HERE,
                    outputs=("1\n", figure))
    before = render_key(rendered_from, (view,), FACTS)
    after = render_key(rendered_from, (replace(view, outputs=(figure, "1\n")),), FACTS)
    assert before != after


# How the worker orders a cell's outputs is in gradsite's own code: an entry stored
# by an older gradsite (figures first, then all the text) must never be served. Nor,
# in a cache restored on another machine (CI), a PNG written by another Pillow or
# contours traced by another contourpy.
@pytest.mark.parametrize("changed", ["gradsite", "pillow", "contourpy", "matplotlib", "numpy"])
def test_every_cached_output_is_keyed_by_gradsite_and_the_libraries_that_draw(
    monkeypatch: pytest.MonkeyPatch, changed: str,
) -> None:
    before = fingerprint.environment_key()
    if changed == "gradsite":
        monkeypatch.setattr(fingerprint, "_code_digest", lambda: "another worker")
    else:
        real = fingerprint.installed_version
        monkeypatch.setattr(fingerprint, "installed_version",
                            lambda name: "0.0-other" if name == changed else real(name))
    fingerprint.environment_key.cache_clear()
    try:
        assert fingerprint.environment_key() != before
    finally:
        monkeypatch.undo()
        fingerprint.environment_key.cache_clear()
    assert fingerprint.environment_key() == before


def test_the_render_key_is_the_same_for_equal_inputs(rendered_from: CheckedChapter) -> None:
    assert render_key(rendered_from, (), FACTS) == render_key(replace(rendered_from), (),
                                                              replace(FACTS))


def test_the_highlight_key_is_the_code_and_its_language() -> None:
    key = highlight_key("x = 1\n", "python")
    assert key == highlight_key("x = 1\n", "python")
    assert key != highlight_key("x = 2\n", "python")
    assert key != highlight_key("x = 1\n", "text")


# --- the math characters of a chapter --------------------------------------------------

MATH = "Text with $x^2$ in it.\n\n$$\\nabla f$$\n"
QUIZ = [{"id": "q", "question": "What is $x$?", "answer": 1}]


def test_the_math_key_follows_the_texts_that_may_hold_math(tmp_path: Path) -> None:
    key = math_characters_key(checked_chapter(tmp_path / "a", MATH, quiz=QUIZ))
    for name, body, quiz in (("b", MATH.replace("x^2", "x^3"), QUIZ),
                             ("c", MATH, [{**QUIZ[0], "question": "What is $y$?"}])):
        assert math_characters_key(checked_chapter(tmp_path / name, body, quiz=quiz)) != key


def test_the_math_key_ignores_prose_and_lines(tmp_path: Path) -> None:
    key = math_characters_key(checked_chapter(tmp_path / "a", MATH, quiz=QUIZ))
    edited = "A new first paragraph.\n\n" + MATH.replace("Text with", "Words around")
    assert math_characters_key(checked_chapter(tmp_path / "b", edited, quiz=QUIZ)) == key


# --- incremental rendering: only what a change touches renders again --------------------


def test_a_prose_edit_renders_only_its_chapter_and_a_moved_target_its_referrers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gradsite.pipeline import BuildOptions, build

    rendered = count_renders(monkeypatch)
    content = make_course(tmp_path, {
        "01-a/01-one.md": chapter("One", "See [two](02-two.md).\n"),
        "01-a/02-two.md": chapter("Two", "Plain.\n"),
        "01-a/03-three.md": chapter("Three", "Also plain.\n"),
    })
    options = BuildOptions(content=content, out=tmp_path / "_site",
                           cache_dir=tmp_path / "cache", quiet=True)
    build(options)
    assert len(rendered) == 3
    rendered.clear()
    three = content / "01-a/03-three.md"
    three.write_text(three.read_text().replace("Also plain.", "Edited."))
    build(options)
    assert rendered == ["03-three.md"]
    rendered.clear()
    # Chapter two moves to another slug: the chapter that links to it shows a new URL.
    (content / "01-a/02-two.md").rename(content / "01-a/02-second.md")
    one = content / "01-a/01-one.md"
    one.write_text(one.read_text().replace("02-two.md", "02-second.md"))
    build(options)
    assert sorted(rendered) == ["01-one.md", "02-second.md"]


# --- incremental loading and checking: only the files that changed are read again ------


def _count_loads_and_checks(monkeypatch: pytest.MonkeyPatch) -> tuple[list[str], list[str]]:
    """The slugs of the chapters whose YAML is read, and of those checked, from now on
    (not taken from the cache)."""
    import gradsite.check.chapters
    import gradsite.load

    loaded: list[str] = []
    checked: list[str] = []
    real_parse, real_check = gradsite.load._parsed_chapter, gradsite.check.chapters._checked

    def parsing(data: bytes, path: Path, shown: str, number: int, slug: str,
                source_key: str) -> object:
        loaded.append(slug)
        return real_parse(data, path, shown, number, slug, source_key)

    def checking(section: object, one: object, *rest: object) -> object:
        checked.append(one.slug)  # type: ignore[attr-defined]
        return real_check(section, one, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(gradsite.load, "_parsed_chapter", parsing)
    monkeypatch.setattr(gradsite.check.chapters, "_checked", checking)
    return loaded, checked


def test_a_rebuild_loads_and_checks_only_the_chapters_whose_files_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gradsite.pipeline import BuildOptions, build

    loaded, checked = _count_loads_and_checks(monkeypatch)
    content = make_course(tmp_path, {
        "01-a/01-one.md": chapter("One", "Math: $\\R$.\n\n$$x^2 \\label{eq:one}$$\n",
                                  functions={"f": {"expr": "x**2", "gradient": ["2*x"]}}),
        "01-a/02-two.md": chapter("Two", "See @eq:one.\n\n```{python}\nprint(6 * 7)\n```\n"),
        "course.yml": "title: T\nmacros:\n  R: \\mathbb{R}\n",
    })
    site, fresh = tmp_path / "_site", tmp_path / "fresh"
    options = BuildOptions(content=content, out=site, cache_dir=tmp_path / "cache", quiet=True)

    def rebuild() -> tuple[list[str], list[str]]:
        loaded.clear()
        checked.clear()
        build(options)
        return sorted(loaded), sorted(checked)

    def pages(folder: Path) -> dict[str, bytes]:
        return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.html"))}

    def as_built_afresh() -> bool:
        build(BuildOptions(content=content, out=fresh, cache_dir=None, quiet=True))
        return pages(site) == pages(fresh)

    assert rebuild() == (["one", "two"], ["one", "two"])
    assert rebuild() == ([], [])
    two = content / "01-a/02-two.md"
    two.write_text(two.read_text().replace("See", "Now see"))
    assert rebuild() == (["two"], ["two"])
    assert as_built_afresh()
    # A course macro is read by every chapter's check, not by loading one.
    (content / "course.yml").write_text("title: T\nmacros:\n  R: \\mathbf{R}\n")
    assert rebuild() == ([], ["one", "two"])
    assert as_built_afresh()
    # A chapter with a new number is in a new place: its labels number anew.
    two.rename(content / "01-a/03-two.md")
    assert rebuild() == (["two"], ["two"])
    assert as_built_afresh()
    # A new section before them: the same files, checked in new positions.
    make_course(tmp_path, {"00-intro/01-hello.md": chapter("Hello")})
    assert rebuild() == (["hello"], ["hello", "one", "two"])
    assert as_built_afresh()


def test_a_chapter_with_a_problem_is_read_again_and_its_problem_reported_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gradsite.diagnostics import BuildFailed
    from gradsite.pipeline import BuildOptions, build

    loaded, checked = _count_loads_and_checks(monkeypatch)
    content = make_course(tmp_path, {
        "01-a/01-one.md": chapter("One", "Fine.\n"),
        "01-a/02-two.md": chapter("Two", "```{python}\nprint(6 *\n```\n"),
    })
    options = BuildOptions(content=content, out=tmp_path / "_site",
                           cache_dir=tmp_path / "cache", quiet=True)
    for _ in range(2):
        loaded.clear()
        checked.clear()
        with pytest.raises(BuildFailed) as failed:
            build(options)
        assert [p.location.path for p in failed.value.diagnostics] == ["content/01-a/02-two.md"]
    # Two loaded without a problem, so it was read once; its cell's syntax error is
    # the check's, and it is checked again.
    assert (loaded, checked) == ([], ["two"])
