"""The searchable site the search UI's browser tests run on, and what they expect of it.

Until the build writes the real engine and index, a stand-in engine is written
into a copy of the shipped course's build: ``assets/search.js`` defines
``window.gradsiteSearchReady``, ``assets/search-index.js`` calls it with
``DOCUMENTS`` (fixed documents pointing at real pages and headings, so
navigation can be checked), and ``window.GradsiteSearch`` answers as the
engine contract says: ``query(text, limit)`` best first with the matched
``terms``, and ``termOf(word)``. The stand-in lives in the tests only.

Switching to the real engine: make ``searchable_site`` return the build itself
(no stand-in written), and set the ``Expect*`` values below to documents of the
shipped course; the tests read only these values.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

CONVEXITY = "gradient-descent/convexity.html"
DERIVATIVES = "mathematical-foundations/derivatives-and-gradients.html"
SMOOTHNESS = "l-smoothness-and-the-step-size-1l"

DOCUMENTS = [
    {"url": CONVEXITY, "anchor": "", "position": "2.3", "chapter": "Convexity", "heading": "",
     "text": "Convex functions have no spurious local minima: every local minimum is global."},
    {"url": CONVEXITY, "anchor": SMOOTHNESS, "position": "2.3", "chapter": "Convexity",
     "heading": "L-smoothness and the step size 1/L",
     "text": ("A step size that is too large makes gradient descent overshoot, and one that "
              "is too small makes it crawl. Between the two lies a range that depends on how "
              "fast the slope of the function can change from one point to the next, which "
              "is what the next definition measures. A function is L-smooth when its "
              "gradient is Lipschitz continuous with constant L: the Lipschitz constant "
              "bounds how fast the gradient turns. " + "With it the step 1/L is safe. " * 6)},
    {"url": DERIVATIVES, "anchor": "the-gradient", "position": "1.1",
     "chapter": "Derivatives and gradients", "heading": "The gradient",
     "text": ("The gradient \u2207f collects the partial derivatives. Gradients point uphill; "
              "a Lipschitz gradient changes slowly.")},
    {"url": DERIVATIVES, "anchor": "why-this-matters-for-machine-learning", "position": "1.1",
     "chapter": "Derivatives and gradients",
     "heading": "Why it matters <img src=x onerror=\"window.injected=1\">",
     "text": ("Training a model <script>window.injected=2</script> moves its parameters "
              "against the gradient, with \u00e9lan & care.")},
]


@dataclass(frozen=True)
class ExpectedResult:
    position: str
    chapter: str
    heading: str
    url: str
    anchor: str


def _expected(document: dict[str, str]) -> ExpectedResult:
    return ExpectedResult(document["position"], document["chapter"], document["heading"],
                          document["url"], document["anchor"])


# A query with two results, best first; the first's snippet starts after a cut
# (the match is far into its text) and marks every form of the word.
RANKED_QUERY = "lipschitz"
RANKED = [_expected(DOCUMENTS[1]), _expected(DOCUMENTS[2])]
RANKED_FIRST_MARKS = ["Lipschitz", "Lipschitz"]
# A query whose words are marked through the engine's terms: plural, symbol.
MARKED_QUERY = "gradients \u2207"
MARKED_FIRST_MARKS = ["gradient", "\u2207", "Gradients", "gradient"]
# A query matching author text that looks like HTML (it must show as text),
# through a word with an accent typed without it.
ESCAPED_QUERY = "elan"
ESCAPED = _expected(DOCUMENTS[3])
ESCAPED_MARK = "\u00e9lan"
NO_RESULTS_QUERY = "zebra"

# The stand-in engine: terms are lower case without accents, a final "s" of a
# longer word dropped; every query term must start a term of the document;
# heading and chapter count ten times more than text. Ties keep index order.
FAKE_ENGINE = r"""
(function () {
  "use strict";
  var WORD = /[\p{L}\p{N}\p{M}_]+|[^\s\p{L}\p{N}\p{M}_]/gu;
  function termOf(word) {
    var bare = String(word).normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
    if (/^[\p{L}\p{N}_]+$/u.test(bare)) return bare.length > 3 ? bare.replace(/s$/, "") : bare;
    return /^[\p{S}]$/u.test(bare) ? bare : "";
  }
  function terms(text) {
    return (String(text).match(WORD) || []).map(termOf).filter(Boolean);
  }
  function count(list, prefix) {
    return list.filter(function (t) { return t.indexOf(prefix) === 0; }).length;
  }
  window.gradsiteSearchReady = function (documents) {
    var entries = documents.map(function (d) {
      return { doc: d, title: terms(d.chapter + " " + d.heading), body: terms(d.text) };
    });
    window.GradsiteSearch = {
      termOf: termOf,
      query: function (text, limit) {
        var wanted = terms(text);
        if (!wanted.length) return [];
        var hits = [];
        entries.forEach(function (entry, order) {
          var score = 0;
          for (var i = 0; i < wanted.length; i++) {
            var found = 10 * count(entry.title, wanted[i]) + count(entry.body, wanted[i]);
            if (!found) return;
            score += found;
          }
          hits.push({ score: score, order: order, doc: entry.doc });
        });
        hits.sort(function (a, b) { return b.score - a.score || a.order - b.order; });
        return hits.slice(0, limit).map(function (h) {
          return Object.assign({ terms: wanted }, h.doc);
        });
      },
    };
  };
})();
"""


def searchable_site(built: Path, where: Path) -> Path:
    """A copy of the built site at ``where/www/course`` with the stand-in engine."""
    site = where / "www" / "course"
    shutil.copytree(built, site)
    (site / "assets" / "search.js").write_text(FAKE_ENGINE, encoding="utf-8")
    (site / "assets" / "search-index.js").write_text(
        f"window.gradsiteSearchReady({json.dumps(DOCUMENTS)});\n", encoding="utf-8")
    return site
