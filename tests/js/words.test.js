// The interface's words in the scripts (templates/assets/js/words.js): without a
// page they fall back to the English each call names; placeholders and counts.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const words = require("../../templates/assets/js/words.js");

test("without a page, a call's own English text stands, its placeholders filled", () => {
  assert.equal(words.text("quiz.correct", "Correct"), "Correct");
  assert.equal(words.text("quiz.variant", "Variant {number} of {count}", { number: 2, count: 5 }),
               "Variant 2 of 5");
});

test("a placeholder without a value is left as written", () => {
  assert.equal(words.fill("{file} and {other}", { file: "a.json" }), "a.json and {other}");
  assert.equal(words.fill("{toString}", {}), "{toString}");
});

test("a count picks its phrase's form", () => {
  const forms = { one: "{count} result", other: "{count} results" };
  assert.equal(words.count("search.count", 1, forms), "1 result");
  assert.equal(words.count("search.count", 0, forms), "0 results");
  assert.equal(words.count("search.count", 12, forms), "12 results");
  assert.equal(words.count("review.summary_both", 2,
                           { one: "{wrong} x {untried}", other: "{wrong} xs {untried}" },
                           { wrong: 2, untried: 3 }), "2 xs 3");
});

test("numbers keep the point and percentages are whole, in English", () => {
  assert.equal(words.decimal("-1.25e+6"), "-1.25e+6");
  assert.equal(words.separator(), ", ");
  assert.equal(words.percent(40), "40%");
});
