"""``check_course``: every chapter of a loaded course, checked; the rules that span
a chapter (where questions are placed, unique labels) and the math of titles.

A problem never stops the stage: every chapter is checked and all problems
come back together. What already failed to load (a function's declaration, a
question) is known from the chapter itself, so nothing here reports a
follow-on error about it.
"""

from __future__ import annotations

import dataclasses
from functools import lru_cache

from ..cache import Cache
from ..diagnostics import INVALID_LATEX, Diagnostic, Location, did_you_mean, error
from ..expr.agreement import browser_disagreements
from ..fingerprint import canonical, digest, environment_key
from ..i18n import ENGLISH_WORDS, Words
from ..layout import chapter_key
from ..markup.blocks import render_text_with_math
from ..markup.cards import fence_names
from ..markup.math import render_math
from ..model import (
    Block,
    Cell,
    Chapter,
    CheckedChapter,
    Course,
    ExploreSpec,
    Macro,
    Marks,
    Plot,
    Question,
    ScannedText,
    Section,
)
from ..params import Variant, draw_variants, substitute, variant_text
from ..plots.explore import parse_explore
from ..plots.spec import parse_plot
from ..scan import scan_body
from .answers import evaluate_answers
from .cells import parse_cell
from .functions import checked_functions
from .labels import chapter_labels


def check_course(
    course: Course, cache: Cache
) -> tuple[tuple[CheckedChapter, ...], list[Diagnostic]]:
    """Each chapter of ``course``, checked, in course order; and every problem found."""
    checked: list[CheckedChapter] = []
    macro_problems = _macro_problems(course.info.macros)
    macros = course.info.tex_macros
    problems: list[Diagnostic] = []
    for s_number, section in enumerate(course.sections, start=1):
        for c_number, chapter in enumerate(section.chapters, start=1):
            one, found = check_chapter(section, chapter, cache, f"{s_number}.{c_number}",
                                       macros, course.info.words)
            checked.append(one)
            problems.extend(found)
    problems.extend(_title_math_problems(course))
    if macro_problems:
        # Every formula is read after the macros' definitions, so with one of them
        # broken each formula fails, valid or not, far from the cause: only the
        # macro's own problem is reported until it is fixed (as the render stage does).
        problems = [p for p in problems if f"{INVALID_LATEX}: " not in p.message]
    return tuple(checked), macro_problems + problems


def _macro_problems(macros: tuple[Macro, ...]) -> list[Diagnostic]:
    """A course macro whose LaTeX does not parse, at its line in course.yml."""
    problems = []
    for macro in macros:
        message = _macro_error(macro)
        if message:
            problems.append(error(macro.location, f"macros.{macro.name}: {INVALID_LATEX}: "
                                  f"{message}",
                                  "the macro's LaTeX must work on its own, with #1, #2, ... "
                                  "standing for its arguments"))
    return problems


def failed_macros(macros: tuple[Macro, ...]) -> frozenset[str]:
    """The names of the course macros whose LaTeX does not parse: every formula using
    one would fail again, far from the cause."""
    return frozenset(macro.name for macro in macros if _macro_error(macro))


def _macro_error(macro: Macro) -> str:
    """KaTeX's error for a macro tried on its own, with as many arguments as it takes."""
    use = f"\\{macro.name}" + "{x}" * macro.arguments
    return render_math(macro.definition + use, False).error


def check_chapter(
    section: Section, chapter: Chapter, cache: Cache, position: str, macros: str = "",
    words: Words = ENGLISH_WORDS,
) -> tuple[CheckedChapter, list[Diagnostic]]:
    """A chapter, checked; ``position`` ("1.2": Section 1, Chapter 2) numbers its labels,
    ``macros`` are the course's, for the LaTeX it checks; ``words`` its interface's,
    for the alt text of plots that have none. A chapter checked without a problem is
    kept in ``cache``: a rebuild checks only the chapters whose files changed."""
    key = digest(environment_key(), "checked-chapter", chapter.source_key,
                 chapter_key(section, chapter), position, settings_key(macros, words))
    kept = cache.get(key)
    if isinstance(kept, CheckedChapter):
        return dataclasses.replace(kept, section=section, chapter=chapter), []
    checked, problems = _checked(section, chapter, cache, position, macros, words, key)
    if not problems:
        # Kept without its section: the section holds its other chapters.
        cache.put(key, dataclasses.replace(checked, section=_bare(section)))
    return checked, problems


@lru_cache(maxsize=4)
def settings_key(macros: str, words: Words) -> str:
    """The course's settings that every chapter's check and rendering read, for their
    cache keys: its macros and its interface's words."""
    return digest(macros, canonical(words))


def _checked(
    section: Section, chapter: Chapter, cache: Cache, position: str, macros: str,
    words: Words, key: str,
) -> tuple[CheckedChapter, list[Diagnostic]]:
    problems: list[Diagnostic] = []
    scanned, found = scan_body(chapter.body, Location(chapter.display_path, chapter.body_line))
    problems.extend(found)
    functions, found = checked_functions(chapter, cache, macros)
    problems.extend(found)
    variants = {question.id: draw_variants(question.params, question.variants,
                                           f"{chapter_key(section, chapter)}\0{question.id}")
                for question in chapter.quiz}
    problems.extend(_choice_variant_problems(chapter, variants))
    answers: dict[str, tuple[float, ...]] = {}
    if any(q.answer is not None for q in chapter.quiz):
        answers, found = evaluate_answers(chapter, functions, variants)
        problems.extend(found)
    problems.extend(placement_problems(scanned.blocks, chapter.quiz, chapter.failed_questions))
    problems.extend(card_placement_problems(scanned.blocks, chapter))
    cells: list[Cell] = []
    plots: list[Plot] = []
    for block in scanned.blocks:
        if block.kind == "cell":
            cell, found = parse_cell(block)
            problems.extend(found)
            cells.append(cell)
        elif block.kind in ("plot", "explore"):
            parse = parse_plot if block.kind == "plot" else parse_explore
            spec, found = parse(block, chapter, functions, words)
            problems.extend(found)
            if spec is not None and not found:
                plots.append(Plot(block.index, block.location.line, spec,
                                  functions[spec.function]))
    problems.extend(_browser_problems(plots))
    labels, found = chapter_labels(scanned, tuple(cells), tuple(plots), position)
    problems.extend(found)
    problems.extend(_theorem_title_problems(scanned, macros))
    return CheckedChapter(section, chapter, key, scanned, tuple(cells), tuple(plots),
                          functions, answers, labels, position, variants), problems


def _choice_variant_problems(
    chapter: Chapter, variants: dict[str, tuple[Variant, ...]]
) -> list[Diagnostic]:
    """A choice question's variants whose choices read the same (``{{a}}`` and
    ``{{b}}`` when a = b): the reader could not tell them apart."""
    problems = []
    for question in chapter.quiz:
        if not question.params or not question.choices:
            continue
        for variant in variants[question.id]:
            seen: dict[str, int] = {}
            for i, choice in enumerate(question.choices):
                text = " ".join(substitute(choice.text, variant).split()).casefold()
                if text in seen:
                    problems.append(error(
                        choice.location,
                        f"{question.key_path}.choices[{i}]: in the variant "
                        f"{variant_text(variant)} it reads the same as choice {seen[text]}: "
                        f"'{substitute(choice.text, variant)}'",
                        "give the parameters values that keep the choices apart, or reword "
                        "the choices"))
                    break
                seen[text] = i
            else:
                continue
            break  # one variant says it; the others would repeat it
    return problems


def _browser_problems(plots: list[Plot]) -> list[Diagnostic]:
    """Each function an explorer moves, computed by the page's JavaScript as numpy does
    (expr/agreement.py); reported at the first explorer of a function that differs."""
    problems = []
    checked: set[str] = set()
    for plot in plots:
        if not isinstance(plot.spec, ExploreSpec) or plot.spec.function in checked:
            continue
        checked.add(plot.spec.function)
        found = browser_disagreements(plot.function)
        if found:
            first = found[0]
            at = ", ".join(f"{v:.6g}" for v in first.point)
            problems.append(error(
                plot.spec.location,
                f"the page's JavaScript computes {first.quantity} differently from numpy at "
                f"{len(found)} check point{'s' if len(found) > 1 else ''}, first at ({at}): "
                f"{first.browser!r} against {first.numpy!r}",
                "this is a bug in gradsite's compiler to JavaScript, not in the course: "
                "please report it with the function's declaration"))
    return problems


def placement_problems(
    blocks: tuple[Block, ...], questions: tuple[Question, ...], failed: frozenset[str]
) -> list[Diagnostic]:
    """Problems with a chapter's ```` ```quiz ```` blocks: empty, unknown or repeated ids.

    A block that places a question which failed to load (``failed``: its ids) says
    nothing: that question's error is reported where it stands.
    """
    ids = [q.id for q in questions]
    placed_at: dict[str, int] = {}
    problems: list[Diagnostic] = []
    for block in blocks:
        if block.kind != "quiz":
            continue
        qid = block.source.strip()
        if not qid:
            problems.append(error(block.location, "this quiz block names no question",
                                  "write the id of one of the chapter's questions inside it"))
        elif len(qid.split()) > 1:
            problems.append(error(block.location,
                                  f"a quiz block places one question, not {len(qid.split())}",
                                  "use one quiz block per question"))
        elif qid in failed:
            continue
        elif qid not in ids:
            problems.append(error(block.location, f"no question with id '{qid}' in this chapter",
                                  _unknown_id_hint(qid, ids, failed)))
        elif qid in placed_at:
            problems.append(error(block.location,
                                  f"question '{qid}' is already placed at line {placed_at[qid]}",
                                  "a question appears once on the page"))
        else:
            placed_at[qid] = block.location.line
    return problems


def card_placement_problems(blocks: tuple[Block, ...], chapter: Chapter) -> list[Diagnostic]:
    """Problems with a chapter's ```` ```functions ```` blocks: a block in a chapter
    with ``cards: false`` or without functions, an empty block beside another one, a
    line with two names, an unknown name, a function shown twice.

    A name whose declaration failed to load says nothing: its error stands at it.
    """
    fences = [block for block in blocks if block.kind == "functions"]
    declared = chapter.declared_functions
    problems: list[Diagnostic] = []
    if fences and not chapter.cards:
        where = chapter.marks.at("cards")
        return [error(block.location, "this functions block shows function cards, but the "
                      f"front matter says 'cards: false' (line {where.line})",
                      "remove 'cards: false' to show the cards here, or this block to show "
                      "none") for block in fences]
    if fences and not declared:
        return [error(block.location, "this functions block has no function to show: the "
                      "chapter declares none", "declare them under 'functions:' in the front "
                      "matter, or remove this block") for block in fences]
    everything = [block for block in fences if not block.source.strip()]
    if everything and len(fences) > 1:
        other = next(block for block in fences if block is not everything[0])
        first, second = sorted((everything[0], other), key=lambda block: block.index)
        problems.append(error(second.location, "an empty functions block shows every function, "
                              f"and another one is at line {first.location.line}",
                              "list the names each block shows, one a line"))
    shown_at: dict[str, int] = {}
    for block in fences:
        for line, name in fence_names(block):
            where = Location(block.location.path, line)
            if len(name.replace(",", " ").split()) > 1:
                problems.append(error(where, f"'{name}' is more than one function name",
                                      "write one name a line"))
            elif name in chapter.failed_functions:
                continue
            elif name not in declared:
                problems.append(error(where, f"no function '{name}' is declared in this chapter",
                                      did_you_mean(name, declared, "functions")))
            elif name in shown_at:
                problems.append(error(where, f"function '{name}' is already shown at line "
                                      f"{shown_at[name]}", "a function's card appears once on "
                                      "the page"))
            else:
                shown_at[name] = line
    return problems


def _unknown_id_hint(qid: str, ids: list[str], failed: frozenset[str]) -> str:
    if failed:  # the hint must not say there are no questions, or list only valid ids
        return did_you_mean(qid, sorted({*ids, *failed}), "question ids")
    if not ids:
        return "the front matter has no quiz questions"
    return did_you_mean(qid, ids, "question ids") or (
        "the chapter's question ids are: " + ", ".join(ids)
        + " (a question without an id is q1, q2, ... by position)")


def _theorem_title_problems(scanned: ScannedText, macros: str) -> list[Diagnostic]:
    """Invalid LaTeX in a theorem-like block's title or a table's caption, at its line."""
    texts = [(theorem.location, f"the {theorem.kind}'s title", theorem.title)
             for theorem in scanned.theorems]
    texts += [(table.location, "the table's caption", table.caption) for table in scanned.tables]
    return [error(place, f"{what}: {INVALID_LATEX}: {message}",
                  "it may hold inline math, $...$, as the text does")
            for where, what, text in texts
            for message, place in render_text_with_math(
                text, macros, Location(where.path, where.line))[1]]


def _title_math_problems(course: Course) -> list[Diagnostic]:  # titles use the macros too
    """Invalid LaTeX in the math of a title or summary (shown in pages, menus and the
    course home), at its line; the page would show it as written."""
    texts: list[tuple[str, str, Marks]] = []
    items: tuple[Section | Chapter, ...] = (*course.sections, *course.chapters)
    for item in items:
        texts += [("title", item.title, item.marks), ("summary", item.summary, item.marks)]
    texts.append(("title", course.info.title, course.info.marks))
    problems = []
    for key, text, marks in texts:
        # The column is known when the file holds the text as it is (yamlsrc.py).
        start = marks.texts.get(key) or Location(marks.at(key).path, marks.at(key).line)
        for message, place in render_text_with_math(text, course.info.tex_macros, start)[1]:
            problems.append(error(place, f"{key}: {INVALID_LATEX}: {message}",
                                  "titles and summaries may hold inline math, $...$, as "
                                  "the text does"))
    return problems


def checked_key(checked: CheckedChapter) -> str:
    """A checked chapter as part of a cache key, for what is made from it once its
    cells ran (its notebook, its Markdown copy): what it was checked from, its
    labels as numbered once its cells drew their figures, and of its section only
    the section itself (its other chapters reach those through the course's facts)."""
    return digest(environment_key(), "checked", checked.key,
                  canonical((_bare(checked.section), checked.labels)))


def _bare(section: Section) -> Section:
    """``section`` without its chapters."""
    return dataclasses.replace(section, chapters=(), drafts=())
