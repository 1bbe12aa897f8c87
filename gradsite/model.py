"""The content model: frozen, plain data for each stage of the build.

Stages map one of these values to the next:
``Course`` (loaded and validated source, load.py) -> ``CheckedChapter`` (its
fenced blocks and math found with their lines, cells, plots, compiled
functions, answers and labels, check/) -> course-wide facts (resolve.py) ->
``RenderedChapter`` (HTML of the body, render.py) -> page contexts (site.py)
-> files (output.py). Everything here is picklable, so it can cross into
worker processes, and every value keeps the source places that messages need.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from .diagnostics import Location
from .i18n import ENGLISH_WORDS, Words

if TYPE_CHECKING:  # numpy comes with it: a no-op build must not pay for that import
    from .expr.function import CompiledFunction

BlockKind = Literal["code", "cell", "plot", "explore", "quiz", "functions", "math", "display-math",
                    "ref"]
QuestionKind = Literal["single", "multiple", "numeric"]
FigureFormat = Literal["svg", "png"]
PlotKind = Literal["quiver", "contour", "surface", "curve", "descent"]
ExploreKind = Literal["descent", "tangent", "gradient"]
# Theorem-like blocks (spec section 10): the numbered kinds, then the others.
NUMBERED_BLOCKS = ("definition", "theorem", "lemma", "proposition", "corollary", "example",
                   "remark", "exercise")
THEOREM_KINDS = (*NUMBERED_BLOCKS, "proof", "hint", "solution")
# What a label names: each kind has its own counter in a chapter. An "anchor" is a
# cell's id without a caption: a link may go there, but it has no number.
LabelKind = Literal["equation", "figure", "table", "definition", "theorem", "lemma",
                    "proposition", "corollary", "example", "remark", "exercise", "anchor"]


@dataclass(frozen=True)
class Marks:
    """Source locations of the keys and values of one YAML document, by key path.

    Paths are written like the errors show them: ``functions.f.gradient[1]``.
    """

    default: Location
    by_path: dict[str, Location] = field(default_factory=dict, hash=False, compare=False)
    keys: dict[str, Location] = field(default_factory=dict, hash=False, compare=False)
    # Where the text of a one-line string value starts, when the file holds it as it is
    # (yamlsrc.py): a LaTeX error in it then gets its column.
    texts: dict[str, Location] = field(default_factory=dict, hash=False, compare=False)

    def at(self, path: str) -> Location:
        """Location of the value at ``path``, or of its nearest located parent."""
        while path:
            if path in self.by_path:
                return self.by_path[path]
            cut = max(path.rfind("."), path.rfind("["))
            path = path[:cut] if cut > 0 else ""
        return self.default

    def key_at(self, path: str) -> Location:
        """Location of the key naming the value at ``path`` (where an unknown key stands)."""
        return self.keys.get(path) or self.at(path)


@dataclass(frozen=True)
class FunctionDecl:
    """A declared math function (spec section 3), as the author wrote it."""

    name: str
    expr: str
    vars: tuple[str, ...] | None  # None: derived from the expression
    gradient: tuple[str, ...] | None
    domain: tuple[tuple[float, float], ...] | None
    tex: str | None
    location: Location  # of the function's name in the front matter
    key_path: str  # "functions.f"


@dataclass(frozen=True)
class Choice:
    text: str
    correct: bool
    feedback: str
    location: Location


ParamValue = float | int | str


@dataclass(frozen=True)
class Param:
    """A question's parameter (params.py): its name and every value it may take."""

    name: str
    values: tuple[ParamValue, ...]
    location: Location


@dataclass(frozen=True)
class Question:
    """A quiz question (spec section 6): choice or numeric."""

    id: str
    question: str
    explanation: str
    choices: tuple[Choice, ...]
    answer: str | float | None  # numeric questions: a number or an expression
    tolerance: float | None
    shuffle: bool
    location: Location
    key_path: str  # "quiz[0]"
    hints: tuple[str, ...] = ()
    params: tuple[Param, ...] = ()  # with params, a family of variants (params.py)
    variants: int = 1  # how many variants are drawn

    @property
    def kind(self) -> QuestionKind:
        if self.answer is not None:
            return "numeric"
        correct = sum(1 for c in self.choices if c.correct)
        return "multiple" if correct > 1 else "single"


@dataclass(frozen=True)
class Chapter:
    """One chapter file: its front matter and its Markdown body."""

    source: Path  # absolute path of the .md file
    display_path: str  # the path as errors show it
    number: int  # the file name's prefix
    slug: str
    title: str
    summary: str
    draft: bool
    functions: tuple[FunctionDecl, ...]
    quiz: tuple[Question, ...]
    body: str
    body_line: int  # line of the file on which the body starts
    marks: Marks
    # A digest of the file's bytes and its place (path, number, slug): the chapter
    # is made from these alone, so the keys of what later stages keep of it start here.
    source_key: str
    # Every name under ``functions``, also those whose declaration failed to load,
    # and the ids of the questions that failed: later checks say nothing more
    # about them, since their own errors are reported where they stand.
    declared_functions: tuple[str, ...] = ()
    failed_questions: frozenset[str] = frozenset()
    cards: bool = True  # false: the page shows no function cards

    @property
    def failed_functions(self) -> frozenset[str]:
        """The declared names whose declaration failed to load."""
        return frozenset(self.declared_functions) - {decl.name for decl in self.functions}


@dataclass(frozen=True)
class Section:
    source: Path  # absolute path of the folder
    display_path: str
    number: int
    slug: str
    title: str
    summary: str
    chapters: tuple[Chapter, ...]
    marks: Marks = field(default=Marks(Location("")), compare=False)  # of _section.yml
    # Chapters marked draft and left out of this build: only their labels are read,
    # so that a reference to one gets its own message.
    drafts: tuple[Chapter, ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class Macro:
    """A LaTeX macro of ``course.yml`` (``macros:``), for every formula of the course."""

    name: str  # without the backslash
    latex: str
    arguments: int
    location: Location = field(default=Location(""), compare=False)

    @property
    def definition(self) -> str:
        """``\\def\\norm#1{...}``: how KaTeX learns it, ahead of a formula."""
        parameters = "".join(f"#{i}" for i in range(1, self.arguments + 1))
        return f"\\def\\{self.name}{parameters}{{{self.latex}}}"


@dataclass(frozen=True)
class CourseInfo:
    """The keys of course.yml (spec section 1)."""

    title: str
    description: str
    language: str
    author: str
    base_url: str
    feedback_url: str
    description_location: Location = field(default=Location(""), compare=False)
    marks: Marks = field(default=Marks(Location("")), compare=False)  # of course.yml
    macros: tuple[Macro, ...] = ()
    words: Words = ENGLISH_WORDS  # the interface's words: language, then strings: (i18n/)
    image: str = ""  # the image of link previews: a path inside the content folder, or ""

    @property
    def tex_macros(self) -> str:
        """The definitions of every course macro, as KaTeX reads them before a formula."""
        return "".join(macro.definition for macro in self.macros)


@dataclass(frozen=True)
class Course:
    root: Path  # absolute path of the content folder
    display_root: str
    info: CourseInfo
    sections: tuple[Section, ...]
    # Every chapter file found, drafts and those that failed to load included: a
    # link to one of them gets its own message, not "no such chapter".
    chapter_files: frozenset[Path] = frozenset()
    drafts: tuple[Chapter, ...] = ()  # every section's, those of empty sections too

    @property
    def chapters(self) -> tuple[Chapter, ...]:
        return tuple(ch for s in self.sections for ch in s.chapters)


# --- fenced blocks and math found on the raw text (scan/) ------------------


@dataclass(frozen=True)
class Block:
    """A fenced block or a math span, replaced in the body by a token.

    ``kind`` is one of ``code`` (shown only), ``cell`` (``{python}``),
    ``plot``, ``quiz``, ``math`` (inline) and ``display-math``.
    """

    index: int
    kind: BlockKind
    token: str
    lang: str  # code: the language of the info string; ref: "eqref" or "ref"
    source: str  # the block's body (or the LaTeX of a math span)
    location: Location  # the opening fence, or where the math starts
    body_line: int  # line of the block's first body line (fences)
    body_indent: int = 0  # columns of the fence's indentation, taken off each body line
    column: int = 0  # math: the column of its LaTeX's first character (0: unknown)


@dataclass(frozen=True)
class LinkRef:
    """A relative link or image target in the body, found with its line."""

    target: str
    is_image: bool
    location: Location
    empty: bool = False  # a Markdown link with no text: [](#name) shows the reference text
    title: str = ""  # an image's title, its caption when it is labelled
    label: str = ""  # an image's label: ![alt](plot.svg "Caption"){#fig-name}


@dataclass(frozen=True)
class TheoremBlock:
    """The header line of a theorem-like block (spec section 10), found before Markdown:
    ``!!! theorem "Descent lemma" {#thm-descent}``."""

    kind: str  # one of THEOREM_KINDS
    title: str  # as written, may hold inline math
    label: str
    location: Location
    parent: int = -1  # the ordinal of the block it stands in (a hint in its exercise)


@dataclass(frozen=True)
class TableCaption:
    """A table's caption line, right above it: ``Table: Step sizes {#tab-rates}``."""

    caption: str  # as written, may hold inline math
    label: str
    location: Location


@dataclass(frozen=True)
class ScannedText:
    """Markdown with its fenced blocks and math found and replaced by tokens."""

    text: str  # the Markdown with blocks replaced by tokens
    blocks: tuple[Block, ...]
    links: tuple[LinkRef, ...]
    # Theorem-like blocks in order; each header is replaced by ``!!! gsthm<ordinal>x``.
    theorems: tuple[TheoremBlock, ...] = ()
    # Tables' caption lines in order; each is replaced by a ``gstable<ordinal>x`` line.
    tables: tuple[TableCaption, ...] = ()


# --- checked chapters (check/) ------------------------------------------------

DEFAULT_TIMEOUT = 60.0


@dataclass(frozen=True)
class CellOptions:
    caption: str = ""
    caption_line: int = 0
    alt: str = ""
    echo: bool = True
    output: bool = True
    timeout: float = DEFAULT_TIMEOUT
    format: FigureFormat = "svg"
    id: str = ""
    id_line: int = 0
    # Options written but not read (their errors are reported): no later check may
    # take them for missing, as "this cell's figure has no caption" would.
    failed: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Cell:
    """A ``{python}`` block: its options, the code after them, and its code's first line."""

    block: Block
    options: CellOptions
    code: str
    code_line: int  # line of the Markdown file holding the code's first line


DEFAULT_RATE = 0.1
DEFAULT_STEPS = 20
DEFAULT_LEVELS = 12


@dataclass(frozen=True)
class PlotSpec:
    """Everything needed to draw one plot block: plain, picklable, defaults filled in."""

    function: str
    kind: PlotKind
    points: int
    domain: tuple[tuple[float, float], ...]
    caption: str
    alt: str
    tangent_at: tuple[float, ...] = ()
    start: tuple[float, ...] = ()
    rate: float = DEFAULT_RATE
    steps: int = DEFAULT_STEPS
    levels: int | tuple[float, ...] = DEFAULT_LEVELS
    normalize: bool = False
    id: str = ""  # its label: with a caption, the plot is a numbered figure
    # The course's words: a legend's texts and numbers are in its language.
    words: Words = field(default=ENGLISH_WORDS, repr=False)
    # The opening fence, and the caption's own line, for messages; not drawn.
    location: Location = field(default=Location(""), compare=False, repr=False)
    caption_location: Location = field(default=Location(""), compare=False, repr=False)


@dataclass(frozen=True)
class ExploreSpec:
    """Everything needed to draw one ``explore`` block's static view and to set up its
    interactive layer: plain, picklable, defaults filled in."""

    function: str
    kind: ExploreKind
    domain: tuple[tuple[float, float], ...]  # the view, and where the point may go
    caption: str
    alt: str
    start: tuple[float, ...]  # the draggable point
    rate: float = DEFAULT_RATE
    rate_range: tuple[float, float] = (0.001, 1.0)
    steps: int = DEFAULT_STEPS
    momentum: float | None = None  # None: plain gradient descent, no momentum slider
    momentum_range: tuple[float, float] = (0.0, 0.99)
    direction: float = 0.0  # degrees from the first axis, counter-clockwise
    levels: int | tuple[float, ...] = DEFAULT_LEVELS
    id: str = ""  # its label: with a caption, the explorer is a numbered figure
    location: Location = field(default=Location(""), compare=False, repr=False)
    caption_location: Location = field(default=Location(""), compare=False, repr=False)


@dataclass(frozen=True)
class ExploreState:
    """What an explorer shows before the reader moves anything (plots/explore.py).

    ``path`` holds the points drawn: descent's iterates, the first being the
    start, else the point alone. ``readouts`` are the values shown beside the
    view, by name, in data units. ``value_scale`` and ``gradient_scale`` are the
    typical sizes of f and of its gradient in the view: how many decimals the
    readouts need, and how long a gradient arrow is drawn.
    """

    path: tuple[tuple[float, ...], ...]
    diverged: bool
    readouts: tuple[tuple[str, float | tuple[float, ...]], ...]
    value_scale: float
    gradient_scale: float


@dataclass(frozen=True)
class Plot:
    """A checked ``plot`` or ``explore`` block: where it stands, what it draws, and with
    what."""

    index: int  # the block's index in the chapter
    line: int  # the fence's line
    spec: PlotSpec | ExploreSpec
    function: CompiledFunction
    format: FigureFormat = "svg"


@dataclass(frozen=True)
class Label:
    """An item of a chapter that references can point at, with its number.

    Named by the author (``\\label{name}``, ``#| id:``, ``{#name}``), or unnamed
    (``name`` empty) for a theorem-like block or a row of ``align``, which are
    numbered all the same.
    """

    name: str
    kind: LabelKind
    location: Location
    number: str = ""  # "1.2.3": the chapter's position and the item's count; "" unnumbered
    block: int = -1  # the index of its math block, cell or plot block
    ordinal: int = -1  # a theorem-like block: its place among the chapter's blocks
    figure: int = 1  # a cell's figure: which of the figures it drew (name, name-2, ...)
    row: int = -1  # a row of a numbered environment (align, ...): its place in the display

    @property
    def reference_text(self) -> str:
        """What ``[](#name)`` shows in English: ``(1.2.3)``, ``Figure 1.2.1``."""
        return self.reference_in(ENGLISH_WORDS)

    def reference_in(self, words: Words) -> str:
        """What ``[](#name)`` shows in the course's language: ``(1.2.3)``, ``Figure 1.2.1``,
        ``Satz 1.3.1``; the number is the item's position whatever the language."""
        if self.kind == "equation":
            return f"({self.number})"
        # A no-break space: "Figure" never ends a line without its number.
        return f"{words('kind.' + self.kind)}\u00a0{self.number}" if self.number else ""


@dataclass(frozen=True)
class CheckedChapter:
    """A chapter that passed the check stage, with everything later stages need.

    Execution takes its cells, plots and functions; rendering its scanned text,
    cells, questions and answers; the warnings all of it.
    """

    section: Section
    chapter: Chapter
    # A digest of everything it was checked from (check_chapter): its chapter's
    # source_key, its position, the course's macros and words, gradsite's code.
    key: str
    scanned: ScannedText
    cells: tuple[Cell, ...]
    plots: tuple[Plot, ...]
    functions: dict[str, CompiledFunction] = field(hash=False)
    # Numeric questions' answers by question id, one per variant, computed once here.
    answers: dict[str, tuple[float, ...]] = field(hash=False)
    labels: tuple[Label, ...] = ()
    position: str = ""  # "1.2": Section 1, Chapter 2, as numbers are written
    # Each question's variants (params.py): ((),) for a question without parameters.
    variants: dict[str, tuple[tuple[tuple[str, ParamValue], ...], ...]] = field(
        default_factory=dict, hash=False)

    @property
    def source(self) -> Path:
        return self.chapter.source


# --- course-wide facts (resolve.py) ---------------------------------------------


@dataclass(frozen=True)
class Reference:
    """A label a chapter refers to, as its page shows it."""

    name: str
    url: str  # from the referring page: "#name", or "../other/page.html#name"
    text: str  # "(1.2.3)", "Figure 1.2.1"; "" for an anchor, which has no number
    number: str  # "1.2.3"



# --- rendering ---------------------------------------------------------------


@dataclass(frozen=True)
class TocEntry:
    level: int
    id: str
    title_html: str


@dataclass(frozen=True)
class RenderedChapter:
    chapter: Chapter
    body_html: str
    toc: tuple[TocEntry, ...]
    scripts: tuple[str, ...] = ()  # its own scripts (explorers' functions), from its page
    # Its questions in page order: (id, the first variant's text as plain text).
    questions: tuple[tuple[str, str], ...] = ()
    notebook: str = ""  # its notebook from its page, when it has {python} cells
    notebook_script: str = ""  # the same notebook as a script (layout.notebook_script_path)


@dataclass(frozen=True)
class OutputFile:
    """One file of the site: its path relative to the output folder, and its bytes."""

    path: str
    data: bytes


@dataclass(frozen=True)
class RememberedFile:
    """A file of the site that an earlier build made from the same inputs: its hash
    and size, and how to make it again. The writer links it from the previous site
    when that holds it as written, and makes it only when not."""

    path: str
    sha256: str
    size: int
    make: Callable[[], bytes] = field(compare=False, repr=False)
