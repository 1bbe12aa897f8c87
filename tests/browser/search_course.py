"""What the search UI's browser tests search for, and what the real engine answers.

The tests run on builds made by gradsite itself, with the engine
(``assets/search.js``) and the index (``assets/search-index.js``) the build
wrote, nothing stood in: the shipped course (``content/``, the session's one
build, from disk, a server's root and a sub-path); and a small course written
here whose heading and prose look like HTML, for the escaping test. The values below are
the shipped course's documents as the engine ranks them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tests.browser.shipped import build_site
from tests.coursekit import chapter, make_course

CONVEXITY = "gradient-descent/convexity.html"
ALGORITHM = "gradient-descent/the-gradient-descent-algorithm.html"


@dataclass(frozen=True)
class ExpectedResult:
    position: str
    chapter: str
    heading: str
    url: str
    anchor: str

    @property
    def place(self) -> tuple[str, str, str]:
        """What a result shows of where it leads: position, chapter, heading."""
        return (self.position, self.chapter, self.heading)


SMOOTHNESS = ExpectedResult("2.3", "Convexity", "L-smoothness and the step size 1/L",
                            CONVEXITY, "l-smoothness-and-the-step-size-1l")

# Two words, both required: "convex" alone is in 11 documents, "strict" in 3,
# both in these two, best first. The first's snippet is cut at both ends, around
# the place where both words are (not at the section's first "Convex").
RANKED_QUERY = "strictly convex"
RANKED = [
    ExpectedResult("2.3", "Convexity", "Convex sets and convex functions", CONVEXITY,
                   "convex-sets-and-convex-functions"),
    ExpectedResult("2.3", "Convexity", "Local minima are global", CONVEXITY,
                   "local-minima-are-global"),
]
RANKED_FIRST_MARKS = ["strictly", "convex", "strict", "strictly", "convex"]

# "Lipschitz" is in one section only; typed letter by letter, from "lip" on
# it is the only result, whatever the case or accents typed.
PREFIX_WORD = "lipschitz"
PREFIX_FINDS_FROM = "lip"
PREFIX_FOUND = SMOOTHNESS
PREFIX_MARKS = ["Lipschitz"]
FORGIVING_QUERY = "LIPSCHÍTZ"

# \nabla in the sources: found by its name and by its symbol, the symbol marked.
SYMBOL_QUERIES = ["nabla", "\u2207"]
SYMBOL_MARK = "\u2207"
NABLA_FIRST = ExpectedResult("2.1", "The Gradient Descent Algorithm",
                             "Why a step decreases the function", ALGORITHM,
                             "why-a-step-decreases-the-function")
# A plural finds the singular (the stem), and marks it.
STEM_QUERY = "gradients"
STEM_FIRST_MARKS = ["gradient"]
# It also matches "grad" (the term of grad_f), not the longer words it begins:
# the result at this place shows "gradsite" unmarked.
NOT_MARKED_FOR_STEM = "gradsite"
NOT_MARKED_AT = 2

NO_RESULTS_QUERY = "zebra"

# The small course: author text that looks like HTML must show as text.
ESCAPED_QUERY = "elan"
ESCAPED_HEADING = "Tags like <img src=x onerror=window.injected=1>"
ESCAPED_MARK = "\u00e9lan"
ESCAPED_SNIPPET_PART = "<script>window.injected=2</script>"
_HTML_LOOKING_BODY = """\
Plain words come first.

## Tags like `<img src=x onerror=window.injected=1>`

Training a model `<script>window.injected=2</script>` moves its parameters with
\u00e9lan &amp; care, &lt;b&gt;never&lt;/b&gt; as markup.
"""


def html_looking_site(where: Path) -> Path:
    """A one-chapter course whose heading and prose look like HTML, built at
    ``where/www/course``."""
    content = make_course(where, {
        "01-basics/_section.yml": "title: Basics\n",
        "01-basics/01-markup.md": chapter("Markup as Text", _HTML_LOOKING_BODY),
    })
    return build_site(content, where / "www" / "course", where / "cache")
