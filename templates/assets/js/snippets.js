/* snippets.js: what a search result shows, computed from the engine's answer.
 *
 * Pure: no DOM, no `window`; the engine's `termOf` is passed in, so the text
 * is cut and marked the same way under Node (tests/js/snippets.test.js).
 * ui-search.js turns the pieces into elements with textContent: the text is
 * the author's and is never parsed as HTML.
 *
 *   snippet(text, terms, termOf, size)  the part of `text` around the match
 *       that shows the most of the matched terms (the first match, when one
 *       term matched), as [{text, marked}] pieces; a word is matched when its
 *       term is one of `terms`, the index terms the engine matched in this
 *       result (a prefix being typed comes as the whole terms it stands for,
 *       so "lipsch" marks "Lipschitz" but "grad" marks no "gradsite")
 *   resultHref(root, url, anchor)  where a result leads from the current page
 *   countMessage(count, query)  what the live region says about the results
 */
var GradsiteSnippets = (function (W) {
  "use strict";

  var SNIPPET_CHARS = 160;
  // Before the first match: enough to give it context, little enough that the
  // match stays on the snippet's first line.
  var LEAD_CHARS = 40;
  var ELLIPSIS = "\u2026";
  // A word of the text: a run of letters, digits and combining marks, or one
  // other visible character (math symbols are terms of their own).
  var WORD = /[\p{L}\p{N}\p{M}_]+|[^\s\p{L}\p{N}\p{M}_]/gu;

  function words(text) {
    var found = [];
    var match;
    WORD.lastIndex = 0;
    while ((match = WORD.exec(text)) !== null) {
      found.push({ start: match.index, end: match.index + match[0].length, word: match[0] });
    }
    return found;
  }

  function isMatched(word, terms, termOf) {
    var term = termOf(word);
    if (!term) return false;
    for (var i = 0; i < terms.length; i++) {
      if (term === terms[i]) return true;
    }
    return false;
  }

  /* Where a cut at `at` lands so that no word is split: moved back (or on,
     when `forward`) to the nearest space. */
  function wordBoundary(text, at, forward) {
    if (at <= 0) return 0;
    if (at >= text.length) return text.length;
    var space = forward ? text.indexOf(" ", at) : text.lastIndexOf(" ", at);
    if (space < 0) return forward ? text.length : 0;
    return forward ? space : space + 1;
  }

  /* The matched word whose snippet would hold the most distinct matched terms:
     for "descent lemma", the place where both words are, not the first "descent". */
  function bestMatch(marked, terms, termOf, chars) {
    var best = null;
    var bestCount = 0;
    marked.forEach(function (w) {
      var seen = {};
      var count = 0;
      marked.forEach(function (other) {
        var term = termOf(other.word);
        if (other.start >= w.start - LEAD_CHARS && other.end <= w.start - LEAD_CHARS + chars
            && !seen[term]) {
          seen[term] = true;
          count += 1;
        }
      });
      if (count > bestCount) { best = w; bestCount = count; }
    });
    return best;
  }

  function snippet(text, terms, termOf, size) {
    var chars = size || SNIPPET_CHARS;
    var all = words(text);
    var marked = all.filter(function (w) { return isMatched(w.word, terms, termOf); });
    var from = 0;
    // Starts a little before the match whose snippet shows the most of the
    // query's terms (the first such), but no later than needed to fill the
    // snippet: a text that fits is shown whole.
    var centre = bestMatch(marked, terms, termOf, chars);
    var latest = Math.min(centre ? centre.start - LEAD_CHARS : 0, text.length - chars);
    if (latest > 0) from = wordBoundary(text, latest, false);
    var to = from + chars >= text.length ? text.length : wordBoundary(text, from + chars, true);
    // A match the cut would split is kept whole.
    marked.forEach(function (w) { if (w.start < to && w.end > to) to = w.end; });

    var pieces = [];
    function plain(part) {
      if (!part) return;
      var last = pieces[pieces.length - 1];
      if (last && !last.marked) { last.text += part; } else { pieces.push({ text: part, marked: false }); }
    }
    if (from > 0) plain(ELLIPSIS);
    var at = from;
    marked.forEach(function (w) {
      if (w.start < from || w.end > to) return;
      plain(text.slice(at, w.start));
      var last = pieces[pieces.length - 1];
      // Neighbouring matches ("∇f") read as one mark.
      if (last && last.marked && at === w.start) { last.text += w.word; }
      else { pieces.push({ text: w.word, marked: true }); }
      at = w.end;
    });
    plain(text.slice(at, to));
    if (to < text.length) plain(ELLIPSIS);
    return pieces;
  }

  /* `url` is the page's path from the site's root; `root` is the way from the
     current page to that root ("", "../", or what the page's assets use). */
  function resultHref(root, url, anchor) {
    return root + url + (anchor ? "#" + encodeURIComponent(anchor) : "");
  }

  function countMessage(count, query) {
    if (count === 0) return W.text("search.none", "No results for \u201c{query}\u201d", { query: query });
    return W.count("search.count", count, { one: "{count} result", other: "{count} results" });
  }

  return { snippet: snippet, resultHref: resultHref, countMessage: countMessage,
           isMatched: isMatched };
})(typeof GradsiteWords === "object" ? GradsiteWords : require("./words.js"));

if (typeof module === "object" && module.exports) module.exports = GradsiteSnippets;
