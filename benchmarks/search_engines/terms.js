// The benchmark's term rules, the same as term_rules() in ../search_engines.py:
// lower case, accents dropped, words of letters and digits, each symbol its own
// term, then a short English suffix stripper. Loaded by node (build.js) and by
// the benchmark's pages, so MiniSearch, FlexSearch and the prototype index all
// match with the same terms.
(function (root) {
  "use strict";
  const WORD = /[\p{L}\p{N}]+|\p{S}/gu;
  const MARKS = /\p{M}/gu;

  function stem(word) {
    if (word.length <= 3) return word;
    let w = word;
    if (w.endsWith("ies") && w.length > 4) w = w.slice(0, -3) + "y";
    else if (w.endsWith("sses")) w = w.slice(0, -2);
    else if (w.endsWith("s") && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1);
    if (w.endsWith("ing") && w.length > 5) w = w.slice(0, -3);
    else if (w.endsWith("ed") && w.length > 4) w = w.slice(0, -2);
    for (const suffix of ["ence", "ance", "ment", "ly"]) {
      if (w.endsWith(suffix) && w.length - suffix.length >= 4) {
        w = w.slice(0, -suffix.length);
        break;
      }
    }
    if (w.endsWith("e") && w.length > 4) w = w.slice(0, -1);
    return w;
  }

  function words(text) {
    return text.toLowerCase().normalize("NFD").replace(MARKS, "").match(WORD) || [];
  }

  function terms(text) {
    return words(text).map(stem);
  }

  const api = { stem, words, terms };
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.benchTerms = api;
})(typeof globalThis !== "undefined" ? globalThis : this);
