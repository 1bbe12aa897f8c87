"""The site's own assets: the theme's files, its script, code colours, and the math font.

The math font is STIX Two Math (SIL Open Font License), as shipped by the
``ziamath`` package, subset with fontTools to the characters that the
course's MathML uses. The subsetter keeps the OpenType MATH table and the
size variants and assemblies it points to, so stretchy brackets and big
operators still work. The font's own name table carries its licence.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Sequence
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path
from urllib.parse import quote

from .cache import Cache
from .diagnostics import BuildFailed, Location, error
from .fingerprint import canonical, digest, environment_key, installed_version
from .layout import ASSET_DIR, EXPLORE_SCRIPT_FILE
from .markup.blocks import render_text_with_math
from .markup.cards import card_places, render_function_cards
from .markup.equations import display_rows
from .markup.highlight import pygments_css
from .markup.markdown import render_fragment
from .markup.math import render_math
from .markup.numbering import math_with_numbers
from .markup.questions import question_texts_html, text_locations
from .model import Chapter, CheckedChapter, Course, OutputFile, Section
from .params import new_glyph_variants

MATH_FONT_FILE = "stix-two-math.woff"
MATH_FONT_FAMILY = "STIX Two Math"
_MATH_ELEMENT = re.compile(r"<math\b.*?</math>", re.DOTALL)
_ENCODED_MATH_ELEMENT = re.compile(_MATH_ELEMENT.pattern.encode(), re.DOTALL)
_TAGS = re.compile(r"<[^>]+>")
# Always in the font: what prose-adjacent math needs even if this course lacks it.
_BASE_CHARS = (
    "".join(chr(c) for c in range(0x20, 0x7F))
    + "".join(chr(c) for c in range(0x391, 0x3CA))
    + "\u2212\u00b1\u00d7\u00b7\u2032\u2033\u2026\u22ef\u2202\u2207\u221e\u2211\u220f\u222b"
)
# A one-letter <mi> (x, f, θ) is drawn with the math italic letter of the same name
# (MathML Core's automatic italic): a code point the page's text never holds, so the
# subset must add it, or every variable falls back to another font.
_ONE_LETTER_MI = re.compile(r"<mi>([^<])</mi>")
# A root's radical sign is drawn by the browser (MathML Core's msqrt and mroot
# take U+221A and its size variants from the math font), not written in the text.
_RADICAL = re.compile(r"<m(?:sqrt|root)\b")
_ITALIC = {
    **{chr(0x41 + i): chr(0x1D434 + i) for i in range(26)},
    **{chr(0x61 + i): chr(0x1D44E + i) for i in range(26)},
    "h": "\u210e",  # Unicode encoded the italic h earlier (Planck's constant)
    **{chr(0x391 + i): chr(0x1D6E2 + i) for i in range(25)},
    **{chr(0x3B1 + i): chr(0x1D6FC + i) for i in range(25)},
    "\u0131": "\U0001d6a4", "\u0237": "\U0001d6a5",  # dotless i and j
    "\u2202": "\U0001d715", "\u03f5": "\U0001d716", "\u03d1": "\U0001d717",
    "\u03f0": "\U0001d718", "\u03d5": "\U0001d719", "\u03f1": "\U0001d71a",
    "\u03d6": "\U0001d71b", "\u2207": "\U0001d6fb", "\u03f4": "\U0001d6f3",
}


def math_font_path() -> Path:
    # Found without importing ziamath, whose import takes most of a second.
    spec = find_spec("ziamath")
    if spec is None or spec.origin is None:
        raise RuntimeError("the ziamath package, which ships the math font, is not installed")
    return Path(spec.origin).parent / "fonts" / "STIXTwoMath-Regular.ttf"


def math_characters(pages_html: Sequence[str | bytes]) -> set[str]:
    """Every character shown inside <math> on the given pages (text, or encoded)."""
    chars: set[str] = set(_BASE_CHARS)
    for page in pages_html:
        elements = (set(_MATH_ELEMENT.findall(page)) if isinstance(page, str) else
                    {element.decode() for element in set(_ENCODED_MATH_ELEMENT.findall(page))})
        for element in elements:
            chars |= _element_characters(element)
    chars.discard("\n")
    return chars


# Remembered: every page's menu repeats the chapters' titles, and their formulas.
@lru_cache(maxsize=2048)
def _element_characters(element: str) -> frozenset[str]:
    chars = set(html.unescape(_TAGS.sub("", element)))
    # Only letters that have an italic form: a styled letter (\\boldsymbol{x}
    # is <mi>𝒙</mi>) is drawn as it is.
    letters = (html.unescape(letter) for letter in _ONE_LETTER_MI.findall(element))
    chars.update(_ITALIC[letter] for letter in letters if letter in _ITALIC)
    if _RADICAL.search(element):
        chars.add("\u221a")
    return frozenset(chars)


def subset_math_font(chars: set[str], names_aside: bool = True) -> bytes:
    """A WOFF of the math font holding ``chars`` (deterministic: no new timestamp).

    ``names_aside`` False leaves the name table to fontTools (the tests compare)."""
    from fontTools import subset  # imported here: a cached build never needs it
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.flavor = "woff"
    options.layout_features = ["*"]
    options.name_IDs = ["*"]  # keeps the copyright and licence notices
    options.notdef_outline = True
    options.hinting = False  # browsers do not use TrueType hints here; a third smaller
    subsetter = subset.Subsetter(options=options)
    subsetter.populate(unicodes=sorted(ord(c) for c in chars))
    out = io.BytesIO()
    # Lazy: tables are parsed when the subsetter asks for them (same bytes, a fifth faster).
    with TTFont(math_font_path(), recalcTimestamp=False, lazy=True) as font:
        # The subsetter keeps a name record only if it is English, Unicode and below
        # 256 (options.name_IDs: "*") or used by another table, which it finds by
        # visiting every table: a fifth of its time. When every record passes the
        # first test (STIX Two Math's all do), the name table is kept as it is, and
        # set aside while the rest is subset.
        names = font["name"]
        kept_whole = names_aside and all(record.nameID < 256 and record.isUnicode()
                         and record.langID == 0x409 for record in names.names)
        if kept_whole:
            del font["name"]
        subsetter.subset(font)
        if kept_whole:
            font["name"] = names
        font.flavor = "woff"
        font.save(out, reorderTables=True)
    return out.getvalue()


def font_notice() -> str:
    from fontTools.ttLib import TTFont

    with TTFont(math_font_path(), lazy=True) as font:
        names = font["name"]
        lines = [
            f"{MATH_FONT_FILE}: {MATH_FONT_FAMILY}, subset for this site by gradsite.",
            str(names.getDebugName(0)),
            str(names.getDebugName(13)),
            str(names.getDebugName(14)),
        ]
    return "\n".join(lines) + "\n"


def math_css(font_url: str | None = f"fonts/{MATH_FONT_FILE}") -> str:
    """The math rules; ``font_url`` is where the font is (None: no font of the site's,
    the system's math font is used)."""
    face = ("@font-face {\n"
            f'  font-family: "{MATH_FONT_FAMILY}";\n'
            f'  src: url("{font_url}") format("woff");\n'
            "  font-display: swap;\n"
            "}\n") if font_url is not None else ""
    return (
        face +
        f'math {{ font-family: "{MATH_FONT_FAMILY}", math; }}\n'
        # Column alignment of aligned, cases and arrays (math.py marks each cell).
        # Chromium aligns a cell's math (a block) with the -webkit- values only.
        'mtd[columnalign="left"] { text-align: left; text-align: -webkit-left; }\n'
        'mtd[columnalign="right"] { text-align: right; text-align: -webkit-right; }\n'
        # aligned, alignedat: KaTeX joins a right column and its left partner with
        # no space (columnspacing 0em), as TeX does around the =; aligned keeps its
        # pairs 1em apart ("0em 1em 0em"), alignedat none (its author spaces them).
        'mtable[columnspacing^="0em"] > mtr > mtd { padding-left: 0; padding-right: 0; }\n'
        'mtable[columnspacing^="0em 1em"] > mtr > mtd[columnalign="right"]:not(:first-child) '
        "{ padding-left: 1em; }\n"
        # A display with a \tag: KaTeX's full-width table, the formula between two
        # half-width empty cells and the tag in the last; MathML Core reads no width
        # attribute, so the tag sat beside the formula instead of at the margin.
        'mtable[width="100%"] { width: 100%; }\n'
        'mtable[width="100%"] > mtr > mtd[width="50%"] { width: 50%; }\n'
        # equation, align, gather (markup/equations.py): the table spans the line and
        # its glue cells share what the formula leaves, so each row's number ends the
        # line, level with its row. Where there is room, a first cell as wide as a
        # number balances it: the formula is centred on the text, as a labelled
        # display's is (gradsite.css, .equation). Chromium gives an empty cell no
        # width beside percentages, but keeps its padding.
        "mtable.equation-rows { width: 100%; }\n"
        "mtable.equation-rows > mtr > mtd.mtr-glue { width: 50%; }\n"
        "mtable.equation-rows > mtr > mtd:is(.mtr-glue, .mtr-balance) { padding: 0; }\n"
        "mtable.equation-rows > mtr > mtd.mml-eqn-num { padding-left: 1em; padding-right: 0; "
        "text-align: right; text-align: -webkit-right; white-space: nowrap; }\n"
        "@media (min-width: 600px) {\n"
        "  mtable.equation-rows > mtr > mtd.mtr-balance "
        "{ padding-left: var(--equation-number-w, 4.5rem); }\n"
        "}\n"
    )


def course_math_characters(
    course: Course, checked: tuple[CheckedChapter, ...], cache: Cache
) -> set[str]:
    """The characters of every formula the pages will show, cached per chapter, so the
    font can be subset while cells run (the final subset, made from the pages, is
    then a hit). Errors are not reported here: the render stage meets them."""
    chars: set[str] = set()
    macros = course.info.tex_macros
    for one in checked:
        key = math_characters_key(one, macros)
        found = cache.get(key)
        if not isinstance(found, frozenset):
            found = frozenset(math_characters(_chapter_math_html(one, macros)))
            cache.put(key, found)
        chars |= found
    if course.info.description:
        chars |= math_characters([render_fragment(course.info.description, Location(""),
                                                  macros)[0]])
    # Titles and summaries show on many pages (menus, the home): their math too, or
    # the final subset (site_assets scans the pages) would differ and run again.
    items: tuple[Section | Chapter, ...] = (*course.sections, *course.chapters)
    titled = [course.info.title, *(text for item in items for text in (item.title, item.summary))]
    chars |= math_characters([render_text_with_math(text, macros)[0] for text in titled
                              if "$" in text or "\\(" in text])
    return chars


def _chapter_math_html(checked: CheckedChapter, macros: str) -> list[str]:
    chapter = checked.chapter
    # References are not resolved yet: a number's digits are in the font in any case.
    html = [render_math(math_with_numbers(b.source, {}).strip(), b.kind == "display-math",
                        macros).mathml
            for b in checked.scanned.blocks if b.kind in ("math", "display-math")]
    # A row's \tag is not in KaTeX's MathML: the render stage writes it in (equations.py).
    html += [render_math(f"\\text{{{row.tag}}}", False, macros).mathml
             for b in checked.scanned.blocks if b.kind == "display-math" and "\\tag" in b.source
             for row in display_rows(b.source).rows if row.tag]
    where = Location(chapter.display_path)
    html += [render_fragment(caption, where, macros)[0]
             for caption in _captions(checked) if caption]
    html += [render_text_with_math(text, macros)[0] for text in _titles(checked)]
    top, placed = card_places(tuple(checked.functions.values()), chapter.cards,
                              checked.scanned.blocks)
    for shown in (top, *placed.values()):  # the cards the page shows, no others
        html.append(render_function_cards({f.name: f for f in shown}, macros))
    for question in chapter.quiz:
        html += question_texts_html(question, text_locations(question, chapter.marks), macros,
                                    new_glyph_variants(checked.variants.get(question.id, ((),))))
    return html


def _titles(checked: CheckedChapter) -> list[str]:
    """Theorem-like blocks' titles and tables' captions: text with inline math."""
    return ([t.title for t in checked.scanned.theorems if t.title]
            + [t.caption for t in checked.scanned.tables if t.caption])


def _captions(checked: CheckedChapter) -> list[str]:
    return ([c.options.caption for c in checked.cells]
            + [p.spec.caption for p in checked.plots])


def math_characters_key(checked: CheckedChapter, macros: str = "") -> str:
    """The cache key of a chapter's math characters: the texts that may hold math,
    and the course's macros."""
    blocks = [[b.kind, b.source] for b in checked.scanned.blocks
              if b.kind in ("math", "display-math")]
    quiz = [[q.question, q.explanation, [[c.text, c.feedback] for c in q.choices]]
            for q in checked.chapter.quiz]
    functions = list(checked.functions.values())
    cards = [checked.chapter.cards, [[b.index, b.source] for b in checked.scanned.blocks
                                     if b.kind == "functions"]]
    return digest(environment_key(), "math-characters",
                  canonical([blocks, _captions(checked), _titles(checked), functions, cards,
                             quiz, macros]))


def math_font(chars: set[str], cache: Cache) -> tuple[bytes, str]:
    """The subset font and its licence notice for ``chars``, from the cache if there.

    Subsetting takes a second or two; the pipeline calls this early, while cells
    run, with the characters of the course's math, so the final call is a hit.
    """
    text = "".join(sorted(chars))
    key = digest("font", installed_version("ziamath"), installed_version("fonttools"), text)
    cached = cache.get(key)
    if isinstance(cached, tuple) and len(cached) == 2:
        return cached
    made = _subset_once(text)
    cache.put(key, made)
    return made


@lru_cache(maxsize=2)
def _subset_once(chars: str) -> tuple[bytes, str]:
    # Also in memory: with --no-cache the early and the final call share the work.
    return subset_math_font(set(chars)), font_notice()


# The script every page loads is one classic script, assets/gradsite.js: a page
# opened from disk (file://) cannot load ES modules, and the build has no
# bundler. Its source is in pieces, the theme's assets/js/*.js, joined here in
# the order of SCRIPT_PIECES, each after the pieces it uses (main.js, which
# starts everything, last), and wrapped in one function so that nothing leaks
# into the page's globals. Plain joining keeps the result byte-identical on
# every build. Each piece defines one namespace object inside a function of
# its own: `var GradsiteGrading = (function () { ... })();`. The pure pieces
# (grading, progress, transfer, placement, snippets: no DOM, no window) end with
# `if (typeof module === "object" && module.exports) module.exports = ...;`,
# so `node --test` loads them with `require`, and take a piece they use as
# `typeof GradsiteProgress === "object" ? GradsiteProgress : require(...)`:
# already defined in the joined script, required under Node. The pieces are
# not copied to the site. A theme may instead ship a finished
# assets/gradsite.js and no js/ folder; it is copied as it is.
SCRIPT_FILE = "gradsite.js"
SCRIPT_PIECES_DIR = "js"
SCRIPT_PIECES = ("words.js", "grading.js", "progress.js", "transfer.js", "placement.js",
                 "snippets.js", "ui-reading.js", "ui-questions.js", "ui-storage.js",
                 "ui-progress.js", "ui-review.js", "ui-references.js", "ui-search.js", "main.js")
# The search engine is a script of its own, assets/search.js, joined the same way
# from its pieces in the same folder: a page loads it (and the index,
# search/index.py) only when the reader first goes to search, so a page that is
# only read downloads nothing for search.
SEARCH_SCRIPT_FILE = "search.js"
SEARCH_PIECES = ("search-terms.js", "search-engine.js")
# Explorers' code, assets/explore.js, loads only on pages that have explorers.
EXPLORE_PIECES = ("words.js", "explore.js")


def _script_head(file: str, pieces: tuple[str, ...]) -> str:
    return (
        f"/* {file}, built by gradsite: the theme's assets/js/ pieces, joined in this\n"
        " * order inside one function (edit the pieces, not this file):\n"
        f" *   {', '.join(pieces)}\n"
        " */\n"
        "(function () {\n"
        '"use strict";\n'
    )


SCRIPT_HEAD = _script_head(SCRIPT_FILE, SCRIPT_PIECES)
SCRIPT_TAIL = "})();\n"


def joined_script(pieces: Path, names: tuple[str, ...] = SCRIPT_PIECES) -> bytes:
    """A script of the site from the pieces in the folder ``pieces``: the page script
    (``names`` SCRIPT_PIECES), the search engine (SEARCH_PIECES) or the explorers
    (EXPLORE_PIECES), in order."""
    found = {p.name for p in pieces.glob("*.js")}
    expected = (*SCRIPT_PIECES, *SEARCH_PIECES, *EXPLORE_PIECES)
    missing = [name for name in expected if name not in found]
    unknown = sorted(found - set(expected))
    if missing or unknown:
        wrong = [f"missing {', '.join(missing)}"] if missing else []
        wrong += [f"not a piece of the script: {', '.join(unknown)}"] if unknown else []
        raise BuildFailed([error(
            Location(str(pieces)), f"the theme's script pieces are wrong: {'; '.join(wrong)}",
            f"assets/{SCRIPT_PIECES_DIR}/ holds exactly {', '.join(SCRIPT_PIECES)}, joined "
            f"into assets/{SCRIPT_FILE}, {', '.join(SEARCH_PIECES)}, joined into "
            f"assets/{SEARCH_SCRIPT_FILE}, and {', '.join(EXPLORE_PIECES)}, copied to "
            f"assets/{EXPLORE_SCRIPT_FILE}; a theme with a script of its own ships "
            f"assets/{SCRIPT_FILE} and no {SCRIPT_PIECES_DIR}/ folder")])
    file = {SCRIPT_PIECES: SCRIPT_FILE, SEARCH_PIECES: SEARCH_SCRIPT_FILE}.get(
        names, EXPLORE_SCRIPT_FILE)
    parts = [_script_head(file, names).encode()]
    for name in names:
        data = (pieces / name).read_bytes()
        parts.append(data if data.endswith(b"\n") else data + b"\n")
    parts.append(SCRIPT_TAIL.encode())
    return b"".join(parts)


def theme_files(theme_assets: Path) -> list[OutputFile]:
    """The theme's asset files as the site has them: the script's pieces joined."""
    pieces = theme_assets / SCRIPT_PIECES_DIR
    in_pieces = pieces.is_dir()
    if in_pieces and (theme_assets / SCRIPT_FILE).exists():
        raise BuildFailed([error(
            Location(str(theme_assets / SCRIPT_FILE)),
            f"the theme has both {SCRIPT_FILE} and its pieces in {SCRIPT_PIECES_DIR}/",
            f"keep one: the build joins the pieces into {SCRIPT_FILE}")])
    files = []
    for path in sorted(p for p in theme_assets.rglob("*") if p.is_file()):
        if in_pieces and pieces in path.parents:
            continue
        relative = path.relative_to(theme_assets).as_posix()
        files.append(OutputFile(f"{ASSET_DIR}/{relative}", path.read_bytes()))
    if in_pieces:
        files.append(OutputFile(f"{ASSET_DIR}/{SCRIPT_FILE}", joined_script(pieces)))
        files.append(OutputFile(f"{ASSET_DIR}/{SEARCH_SCRIPT_FILE}",
                                joined_script(pieces, SEARCH_PIECES)))
        files.append(OutputFile(f"{ASSET_DIR}/{EXPLORE_SCRIPT_FILE}",
                                joined_script(pieces, EXPLORE_PIECES)))
    return files


STYLE_FILE = "gradsite.css"
ICON_FILE = "favicon.svg"
_CSS_URL = re.compile(r"""url\(\s*(["']?)([^"')\s]+)\1\s*\)""")


def standalone_css(theme_assets: Path, base_url: str) -> str:
    """The site's styles as one text, for a page that links no stylesheet because it
    is shown at any address (the 404 page): the math rules, then the theme's
    ``gradsite.css`` (the order of the other pages' links).

    With a ``base_url``, the theme's relative ``url()``s and the math font are
    addressed from it. Without one their address is unknowable: the math font is
    left out (formulas in the course's title use the system's math font).
    """
    style = theme_assets / STYLE_FILE
    theme_css = style.read_text(encoding="utf-8") if style.is_file() else ""
    if base_url:
        assets = f"{base_url}{ASSET_DIR}/"

        def absolute(match: re.Match[str]) -> str:
            mark, url = match.group(1), match.group(2)
            if re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*:|/|#", url):  # data:, https:, /, #id
                return match.group(0)
            return f"url({mark}{assets}{url}{mark})"

        theme_css = _CSS_URL.sub(absolute, theme_css)
    font = f"{base_url}{ASSET_DIR}/fonts/{MATH_FONT_FILE}" if base_url else None
    # Inside <style>, "</" could end the element: CSS reads "<\/" as the same text.
    return (math_css(font) + theme_css).replace("</", "<\\/")


def icon_data_url(theme_assets: Path) -> str:
    """The theme's ``favicon.svg`` as a ``data:`` URL ("" without one), for a page shown
    at any address."""
    icon = theme_assets / ICON_FILE
    if not icon.is_file():
        return ""
    return "data:image/svg+xml," + quote(icon.read_text(encoding="utf-8").strip(), safe="=:/'")


def site_assets(theme_assets: Path, shown_math: set[str], cache: Cache) -> list[OutputFile]:
    """The theme's asset files (``theme_files``) plus the generated CSS and the
    math font subset for ``shown_math``, the characters of the pages' math
    (``math_characters``).

    Subsetting takes seconds, so the font is cached under its character set.
    """
    files = theme_files(theme_assets)
    files.append(OutputFile(f"{ASSET_DIR}/pygments.css", pygments_css().encode()))
    files.append(OutputFile(f"{ASSET_DIR}/math.css", math_css().encode()))
    font, notice = math_font(shown_math, cache)
    files.append(OutputFile(f"{ASSET_DIR}/fonts/{MATH_FONT_FILE}", font))
    files.append(OutputFile(f"{ASSET_DIR}/fonts/LICENSE-STIX.txt", notice.encode()))
    return files
