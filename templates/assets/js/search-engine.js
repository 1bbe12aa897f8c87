/* search-engine.js: answers a query from the index that gradsite built
 * (assets/search-index.js, gradsite/search/index.py).
 *
 * Pure but for its last lines: createIndex(data) gives an index with
 * query(text, limit); tests/js/search-engine.test.js runs it on a small index.
 * In a page, the glue at the end waits for the index's script and then sets
 * window.GradsiteSearch = { query(text, limit), termOf(word) }.
 *
 * A query's words are normalized as the index's were (search-terms.js); every
 * word must match (AND). The last word is the one being typed: it matches the
 * terms it begins (binary search over the sorted terms), and also a term of
 * at least MIN_PREFIX letters that begins it, since "convergen" is on its way
 * to a word whose stem, "converg", is shorter than what is typed. Documents
 * are scored with BM25 over the text's term counts, plus a bonus for a term
 * in the chapter's title or the heading; a word by its best matching term,
 * partial matches counting less.
 * Each result lists the index terms it matched (`terms`), and the symbols of
 * matched LaTeX names (nabla: ∇), for the snippet's marks.
 */
var GradsiteSearchEngine = (function (searchTerms) {
  "use strict";

  var K1 = 1.2;
  var B = 0.75;
  var TITLE_BONUS = 2.5; /* a term in the chapter's title: more than any count in the text */
  var HEADING_BONUS = 1.5; /* more than one mention in the text */
  var PARTIAL = 0.4; /* a prefix of a term, or a term that begins the word typed */
  var MIN_TYPED = 2; /* a single letter being typed stands for itself only */
  var MIN_PREFIX = 4;
  var MAX_EXTRA = 6; /* letters typed beyond a term that begins them */
  var MAX_EXPANSION = 400; /* terms a typed prefix may stand for */

  function createIndex(data) {
    var terms = data.terms;
    var docs = data.docs;
    var symbols = data.symbols || {};
    var total = 0;
    for (var d = 0; d < docs.length; d++) total += docs[d][4];
    var averageLength = docs.length ? total / docs.length || 1 : 1;
    var decoded = new Array(terms.length);

    /* The first position whose term is not below `term` (JavaScript's order). */
    function lowerBound(term) {
      var low = 0;
      var high = terms.length;
      while (low < high) {
        var middle = (low + high) >>> 1;
        if (terms[middle] < term) low = middle + 1; else high = middle;
      }
      return low;
    }

    function exact(term) {
      var at = lowerBound(term);
      return at < terms.length && terms[at] === term ? at : -1;
    }

    /* [document, weight, document, weight, ...] of a term, gaps undone. */
    function postings(at) {
      if (!decoded[at]) {
        var flat = data.postings[at];
        var list = new Array(flat.length);
        var doc = 0;
        for (var i = 0; i < flat.length; i += 2) {
          doc += flat[i];
          list[i] = doc;
          list[i + 1] = flat[i + 1];
        }
        decoded[at] = list;
      }
      return decoded[at];
    }

    /* The terms a query word stands for: [position in terms, factor]. */
    function expansions(word, typing) {
      var stemmed = searchTerms.stem(word);
      var found = new Map();
      var own = exact(stemmed);
      if (own >= 0) found.set(own, 1);
      if (stemmed !== word && exact(word) >= 0) found.set(exact(word), 1);
      if (!typing || word.length < MIN_TYPED) return found;
      [word, stemmed].forEach(function (prefix) {
        var at = lowerBound(prefix);
        for (var n = 0; n < MAX_EXPANSION && at < terms.length &&
             terms[at].slice(0, prefix.length) === prefix; at++, n++) {
          if (!found.has(at)) found.set(at, PARTIAL);
        }
      });
      for (var length = Math.max(MIN_PREFIX, word.length - MAX_EXTRA);
           length < word.length; length++) {
        var begins = exact(word.slice(0, length));
        if (begins >= 0 && !found.has(begins)) found.set(begins, PARTIAL);
      }
      return found;
    }

    /* For one query word: document -> {score, terms matched}. */
    function wordScores(word, typing) {
      var scores = new Map();
      expansions(word, typing).forEach(function (factor, at) {
        var list = postings(at);
        var holding = list.length / 2;
        var idf = Math.log(1 + (docs.length - holding + 0.5) / (holding + 0.5));
        for (var i = 0; i < list.length; i += 2) {
          var doc = list[i];
          /* The weight is count * 4 + (in the heading) + 2 * (in the title). */
          var weight = list[i + 1];
          var count = weight >> 2;
          var norm = K1 * (1 - B + B * docs[doc][4] / averageLength);
          var score = factor * idf * (count * (K1 + 1) / (count + norm) +
            (weight & 1 ? HEADING_BONUS : 0) + (weight & 2 ? TITLE_BONUS : 0));
          var seen = scores.get(doc);
          if (!seen) {
            seen = { score: score, terms: [], whole: [] };
            scores.set(doc, seen);
          } else if (score > seen.score) seen.score = score;
          seen.terms.push(terms[at]);
          if (factor === 1) seen.whole.push(terms[at]);
        }
      });
      return scores;
    }

    /* `matched`: the terms found; `whole`: those the query named in full, whose
       symbol (a LaTeX name's) is marked too. */
    function result(doc, matched, whole) {
      var row = docs[doc];
      var page = data.pages[row[0]];
      var marked = matched.slice().sort();
      whole.forEach(function (term) {
        if (Object.prototype.hasOwnProperty.call(symbols, term)) marked.push(symbols[term]);
      });
      return {
        url: page[0], anchor: row[1], position: page[1], chapter: page[2],
        heading: row[2], text: row[3], terms: marked.filter(function (term, i) {
          return marked.indexOf(term) === i;
        })
      };
    }

    /* The documents holding every word of `text`, best first. */
    function query(text, limit) {
      var words = searchTerms.rawTerms(String(text || ""));
      if (!words.length) return [];
      var typingLast = !/\s$/.test(String(text));
      var combined = null;
      for (var w = 0; w < words.length; w++) {
        var scores = wordScores(words[w], typingLast && w === words.length - 1);
        if (combined === null) combined = scores;
        else {
          var next = new Map();
          combined.forEach(function (seen, doc) {
            var more = scores.get(doc);
            if (more) {
              next.set(doc, { score: seen.score + more.score,
                              terms: seen.terms.concat(more.terms),
                              whole: seen.whole.concat(more.whole) });
            }
          });
          combined = next;
        }
        if (!combined.size) return [];
      }
      var ranked = [];
      combined.forEach(function (seen, doc) {
        ranked.push([seen.score, doc, seen.terms, seen.whole]);
      });
      ranked.sort(function (a, b) { return b[0] - a[0] || a[1] - b[1]; });
      return ranked.slice(0, limit === undefined ? 10 : limit).map(function (found) {
        return result(found[1], found[2], found[3]);
      });
    }

    return { query: query, termOf: searchTerms.termOf, size: docs.length };
  }

  return { createIndex: createIndex };
})(typeof GradsiteSearchTerms === "object" ? GradsiteSearchTerms : require("./search-terms.js"));

if (typeof module === "object" && module.exports) module.exports = GradsiteSearchEngine;

/* In a page: the index's script (assets/search-index.js) may run before or
   after this one; whichever comes second makes window.GradsiteSearch. */
if (typeof window === "object" && window) {
  window.gradsiteSearchReady = function (data) {
    var index = GradsiteSearchEngine.createIndex(data);
    window.GradsiteSearch = { query: index.query, termOf: index.termOf };
  };
  if (window.gradsiteSearchData) window.gradsiteSearchReady(window.gradsiteSearchData);
}
