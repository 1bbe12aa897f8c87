/* search-terms.js: the words of a query as the index has them.
 *
 * Pure: no DOM, no `window`. The same rules as gradsite/search/terms.py, which
 * made the index; tests/js/search-terms.test.js and tests/test_search_terms.py
 * check both on one list of words (tests/js/search-terms-cases.json).
 *
 * 1. Compatibility-decompose (NFKD), lowercase, drop combining marks: accents
 *    go, styled math letters become plain ones. A final sigma reads as a sigma.
 * 2. A term is a run of letters and digits, or one math symbol (Unicode's Sm
 *    or So beyond ASCII: ∇, ∂, ≤) on its own.
 * 3. A word of plain letters a-z loses its English ending (stem).
 */
var GradsiteSearchTerms = (function () {
  "use strict";

  /* Plurals: [ending, replacement, shortest word it applies to]. */
  var PLURALS = [["sses", "ss", 5], ["ies", "y", 5], ["s", "", 4]];
  var KEEP_S = ["ss", "us", "is"];
  /* Repeated while one applies: the first (longest) ending that leaves at
     least MIN_STEM letters before its replacement. */
  var ENDINGS = [
    ["ization", "ize"], ["isation", "ize"], ["ation", "ate"], ["ingly", ""],
    ["ence", ""], ["ance", ""], ["ness", ""], ["edly", ""],
    ["ing", ""], ["ity", ""], ["ize", ""], ["ise", ""], ["ate", ""],
    ["ed", ""], ["ly", ""], ["er", ""], ["iz", ""], ["at", ""], ["e", ""]
  ];
  var MIN_STEM = 4;
  var PLAIN_WORD = /^[a-z]+$/;
  var TERM = /[\p{L}\p{N}]+|[^\p{L}\p{N}\s]/gu;
  var MARK = /\p{M}/gu;
  var SYMBOL = /^[\p{Sm}\p{So}]$/u;
  var WORD_START = /^[\p{L}\p{N}]/u;

  function endsWith(word, ending) {
    return word.length >= ending.length &&
      word.slice(word.length - ending.length) === ending;
  }

  function stem(word) {
    if (!PLAIN_WORD.test(word)) return word;
    for (var p = 0; p < PLURALS.length; p++) {
      var plural = PLURALS[p];
      if (endsWith(word, plural[0]) && word.length >= plural[2]) {
        if (plural[0] === "s" && KEEP_S.some(function (keep) { return endsWith(word, keep); })) {
          break;
        }
        word = word.slice(0, word.length - plural[0].length) + plural[1];
        break;
      }
    }
    var changed = true;
    while (changed) {
      changed = false;
      for (var e = 0; e < ENDINGS.length; e++) {
        var ending = ENDINGS[e][0];
        if (endsWith(word, ending) && word.length - ending.length >= MIN_STEM) {
          word = word.slice(0, word.length - ending.length) + ENDINGS[e][1];
          changed = true;
          break;
        }
      }
    }
    return word;
  }

  function folded(text) {
    return text.normalize("NFKD").toLowerCase().replace(MARK, "").replace(/\u03c2/g, "\u03c3");
  }

  function isSymbol(term) {
    return term.codePointAt(0) > 0x7f && SYMBOL.test(term);
  }

  /* The words and symbols of `text`, folded, not stemmed. */
  function rawTerms(text) {
    var found = folded(text).match(TERM) || [];
    return found.filter(function (term) { return WORD_START.test(term) || isSymbol(term); });
  }

  function normalizeTerms(text) {
    return rawTerms(text).map(stem);
  }

  /* The term of one word as shown in a snippet, or "" (punctuation). */
  function termOf(word) {
    var terms = normalizeTerms(String(word));
    return terms.length ? terms[0] : "";
  }

  return {
    stem: stem,
    folded: folded,
    rawTerms: rawTerms,
    normalizeTerms: normalizeTerms,
    termOf: termOf
  };
})();

if (typeof module === "object" && module.exports) module.exports = GradsiteSearchTerms;
