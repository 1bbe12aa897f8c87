// Search terms (templates/assets/js/search-terms.js): the same words as the
// index's (gradsite/search/terms.py), checked on the cases both sides share.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const path = require("node:path");
const fs = require("node:fs");
const searchTerms = require("../../templates/assets/js/search-terms.js");

const cases = JSON.parse(fs.readFileSync(path.join(__dirname, "search-terms-cases.json"), "utf8"));

test("each shared word stems as the index's stemmer has it", () => {
  for (const [word, stem] of Object.entries(cases.stems)) {
    assert.equal(searchTerms.stem(word), stem, word);
  }
});

test("each shared text gives the index's terms", () => {
  for (const [text, terms] of Object.entries(cases.texts)) {
    assert.deepEqual(searchTerms.normalizeTerms(text), terms, text);
  }
});

test("the term of a word as a snippet shows it: first term, or empty for punctuation", () => {
  assert.equal(searchTerms.termOf("Gradients,"), "gradient");
  assert.equal(searchTerms.termOf("∇f(x)"), "∇");
  assert.equal(searchTerms.termOf("Hölder"), "hold");
  assert.equal(searchTerms.termOf("—"), "");
  assert.equal(searchTerms.termOf(""), "");
});
