"""The site's script, assets/gradsite.js, joined from the theme's pieces.

The pieces are ``templates/assets/js/*.js``; the build joins them in the order
of ``assets.SCRIPT_PIECES`` and ships only the result. A theme may ship a plain
``assets/gradsite.js`` instead. The pieces' behaviour is tested under Node
(``tests/js/``, run by ``test_js_units.py``).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from gradsite.assets import (
    EXPLORE_PIECES,
    SCRIPT_FILE,
    SCRIPT_PIECES,
    SCRIPT_PIECES_DIR,
    SEARCH_PIECES,
    joined_script,
    theme_files,
)
from gradsite.diagnostics import BuildFailed
from gradsite.layout import DEFAULT_THEME
from gradsite.pipeline import BuildOptions, build
from tests.coursekit import chapter, make_course

PIECES = DEFAULT_THEME / "assets" / SCRIPT_PIECES_DIR
PURE_PIECES = ("grading.js", "progress.js", "transfer.js", "placement.js", "snippets.js",
               "search-terms.js")
_COMMENTS = re.compile(r"/\*.*?\*/|//[^\n]*", re.DOTALL)
_PAGE = re.compile(r"\b(window|document|navigator|localStorage|location|globalThis)\b")


def test_two_builds_write_the_same_script_joined_from_the_pieces_in_order(
        tmp_path: Path) -> None:
    content = make_course(tmp_path, {"01-a/01-b.md": chapter("B", "Text.\n")})
    scripts = []
    for name in ("one", "two"):
        build(BuildOptions(content=content, out=tmp_path / name, quiet=True,
                           cache_dir=tmp_path / f"cache-{name}"))
        scripts.append((tmp_path / name / "assets" / SCRIPT_FILE).read_bytes())
        assert not (tmp_path / name / "assets" / SCRIPT_PIECES_DIR).exists()
    assert scripts[0] == scripts[1]

    text = scripts[0].decode()
    gaps, at = [], 0
    for name in SCRIPT_PIECES:
        piece = (PIECES / name).read_text(encoding="utf-8")
        found = text.find(piece, at)
        assert found >= 0, f"{name} is not in the script after the pieces before it"
        gaps.append(text[at:found])
        at = found + len(piece)
    gaps.append(text[at:])
    head, *between, tail = gaps
    assert head.startswith("/* gradsite.js, built by gradsite: the theme's assets/js/")
    assert ", ".join(SCRIPT_PIECES) in head
    assert head.endswith('*/\n(function () {\n"use strict";\n')
    assert between == [""] * (len(SCRIPT_PIECES) - 1)  # each piece ends in a newline
    assert tail == "})();\n"


def test_the_pieces_in_the_theme_are_the_pieces_of_the_order() -> None:
    # words.js is joined into two scripts: the page's and the explorers'.
    assert sorted(p.name for p in PIECES.glob("*.js")) == sorted(
        set(SCRIPT_PIECES + SEARCH_PIECES + EXPLORE_PIECES))
    assert SCRIPT_PIECES[-1] == "main.js"  # starts everything, after all it uses


@pytest.mark.parametrize("name", PURE_PIECES)
def test_a_pure_piece_uses_no_page_and_is_a_node_module(name: str) -> None:
    code = _COMMENTS.sub("", (PIECES / name).read_text(encoding="utf-8"))
    assert not _PAGE.findall(code), name
    namespace = re.match(r"var (Gradsite\w+) = \(function \(", code.lstrip())
    assert namespace, f"{name} does not start by defining its namespace"
    assert code.rstrip().endswith(
        f'if (typeof module === "object" && module.exports) module.exports = '
        f"{namespace.group(1)};")


def _theme(tmp_path: Path) -> Path:
    theme = tmp_path / "theme"
    shutil.copytree(DEFAULT_THEME, theme)
    return theme / "assets"


def test_a_theme_may_ship_a_plain_script_of_its_own(tmp_path: Path) -> None:
    assets = _theme(tmp_path)
    shutil.rmtree(assets / SCRIPT_PIECES_DIR)
    own = b"/* a theme's own script */\nconsole.log(1);\n"
    (assets / SCRIPT_FILE).write_bytes(own)
    files = {f.path: f.data for f in theme_files(assets)}
    assert files["assets/gradsite.js"] == own
    assert not [path for path in files if "/js/" in path]


def test_the_shipped_theme_gives_the_joined_script_and_its_other_files() -> None:
    files = {f.path: f.data for f in theme_files(DEFAULT_THEME / "assets")}
    assert files["assets/gradsite.js"] == joined_script(PIECES)
    assert "assets/gradsite.css" in files and "assets/favicon.svg" in files
    assert not [path for path in files if "/js/" in path]


def test_a_theme_with_both_a_script_and_its_pieces_is_refused(tmp_path: Path) -> None:
    assets = _theme(tmp_path)
    (assets / SCRIPT_FILE).write_text("/* which one? */\n")
    with pytest.raises(BuildFailed) as failed:
        theme_files(assets)
    [problem] = failed.value.diagnostics
    assert problem.location.path == str(assets / SCRIPT_FILE)
    assert "both gradsite.js and its pieces in js/" in problem.message


def test_a_missing_or_unknown_piece_is_refused_by_name(tmp_path: Path) -> None:
    pieces = _theme(tmp_path) / SCRIPT_PIECES_DIR
    (pieces / "transfer.js").unlink()
    (pieces / "extra.js").write_text("var Extra = 1;\n")
    (pieces / "README.md").write_text("Notes beside the pieces are not pieces.\n")
    with pytest.raises(BuildFailed) as failed:
        theme_files(pieces.parent)
    [problem] = failed.value.diagnostics
    assert problem.location.path == str(pieces)
    assert problem.message == ("the theme's script pieces are wrong: missing transfer.js; "
                               "not a piece of the script: extra.js")
    assert "ships assets/gradsite.js and no js/ folder" in problem.hint


def test_a_piece_without_a_final_newline_still_ends_its_line(tmp_path: Path) -> None:
    pieces = _theme(tmp_path) / SCRIPT_PIECES_DIR
    (pieces / "grading.js").write_bytes(b"var GradsiteGrading = {};")
    joined = joined_script(pieces)
    assert b"var GradsiteGrading = {};\n/* progress.js:" in joined
