// Grading of answers (templates/assets/js/grading.js): how typed numbers are
// read, numeric tolerance, and choice questions.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const grading = require("../../templates/assets/js/grading.js");

const { readNumber, gradeNumber, gradeChoices } = grading;

test("integers, decimals and signs are read", () => {
  assert.equal(readNumber("2").value, 2);
  assert.equal(readNumber("2.0").value, 2);
  assert.equal(readNumber("-0.5").value, -0.5);
  assert.equal(readNumber("+3").value, 3);
  assert.equal(readNumber(".5").value, 0.5);
  assert.equal(readNumber("5.").value, 5);
  assert.equal(readNumber("  7  ").value, 7);
});

test("a Unicode minus reads as a minus", () => {
  assert.equal(readNumber("\u22123").value, -3);
});

test("exponent form is read", () => {
  assert.equal(readNumber("1e-3").value, 0.001);
  assert.equal(readNumber("2.5E2").value, 250);
  assert.equal(readNumber("-1e+2").value, -100);
});

test("a fraction of two numbers is read", () => {
  assert.equal(readNumber("1/2").value, 0.5);
  assert.equal(readNumber(" -3 / 4 ").value, -0.75);
  assert.equal(readNumber("1e1/4").value, 2.5);
  assert.equal(readNumber("0,5/2").value, 0.25);
});

test("a fraction with a zero denominator, or of three parts, is not a number", () => {
  assert.ok(Number.isNaN(readNumber("1/0").value));
  assert.ok(Number.isNaN(readNumber("0/0").value));
  assert.ok(Number.isNaN(readNumber("1/2/3").value));
  assert.ok(Number.isNaN(readNumber("1/").value));
});

test("a single comma without a point is a decimal comma", () => {
  assert.equal(readNumber("0,5").value, 0.5);
  assert.equal(readNumber("1,5").value, 1.5);
  assert.equal(readNumber("0,125").value, 0.125);
  assert.equal(readNumber("-2,25").value, -2.25);
});

test("thousands grouped so that only one reading is possible are read", () => {
  for (const [typed, value] of [
    ["12,345,678", 12345678], ["1.000.000", 1e6], ["-1,000,000", -1e6],
    ["1,234.5", 1234.5], ["1.234,5", 1234.5], ["1.000.000,25", 1000000.25],
    ["1 000", 1000], ["1\u00a0000,5", 1000.5], ["1\u202f000\u202f000", 1e6],
    ["12 345.75", 12345.75], ["1'000", 1000], ["1\u2019000.5", 1000.5]]) {
    const number = readNumber(typed);
    assert.equal(number.value, value, typed);
    assert.deepEqual(number.readings, [value], typed);
  }
  assert.equal(readNumber("1,000,000/4").value, 250000);
});

test("a comma beside a point, or marks not grouping thousands, is not a number", () => {
  for (const typed of ["1,5.2", "1,2,3", "1,23,456", "0,000,001", "1,000,5", "1.000.5",
                       "1 5", "1 0000", "1,000.", "1.000,", "1,000 000", "1.000,000.5",
                       "1000,000.5", "1 000e3"]) {
    assert.ok(Number.isNaN(readNumber(typed).value), typed);
  }
});

test("one point or comma before three digits reads two ways, the decimal first", () => {
  for (const [typed, decimal, whole] of [
    ["1.000", 1, 1000], ["1,000", 1, 1000], ["-2,500", -2.5, -2500], ["999.999", 999.999, 999999],
    ["+12.345", 12.345, 12345], ["\u22121.000", -1, -1000]]) {
    const number = readNumber(typed);
    assert.equal(number.value, decimal, typed);
    assert.deepEqual(number.readings, [decimal, whole], typed);
  }
  // Each side of a fraction: every combination.
  assert.deepEqual(readNumber("1.000/2").readings, [0.5, 500]);
  assert.deepEqual(readNumber("1,000/1.000").readings, [1, 0.001, 1000, 1]);
  // Not ambiguous: a whole part of 0 or of 4 digits, other than three digits after
  // the mark, or an exponent.
  for (const [typed, value] of [["0,125", 0.125], ["0.500", 0.5], ["1000,000", 1000],
                                ["1,00", 1], ["1,0000", 1], ["1.5", 1.5], ["1,000e3", 1000],
                                ["1.000e0", 1]]) {
    assert.deepEqual(readNumber(typed).readings, [value], typed);
  }
});

/* grading.js as a page loads it whose words' block gives `decimal` as its decimal mark. */
function gradingIn(decimal) {
  const paths = ["../../templates/assets/js/words.js", "../../templates/assets/js/grading.js"]
    .map((path) => require.resolve(path));
  const block = { textContent: JSON.stringify({ language: decimal === "," ? "de" : "en",
                                                decimal: decimal, words: {} }) };
  paths.forEach((path) => delete require.cache[path]);
  global.document = { getElementById: (id) => (id === "gradsite-strings" ? block : null) };
  try {
    return require(paths[1]);
  } finally {
    delete global.document;
    paths.forEach((path) => delete require.cache[path]);
  }
}

const ASKED = "invalid";
const SEPARATOR_CASES = [
  // typed, expected, tolerance, verdict with a decimal point, with a decimal comma
  ["1.000", 1000, 0, ASKED, ASKED],
  ["1,000", 1000, 0, ASKED, ASKED],
  ["1.000", 1, 0, "correct", ASKED],
  ["1,000", 1, 0, ASKED, "correct"],
  ["1.000", 7, 0, "incorrect", "incorrect"],
  ["1,000", 7, 0, "incorrect", "incorrect"],
  ["1.414", Math.SQRT2, 0.001, "correct", ASKED],
  ["1,414", Math.SQRT2, 0.001, ASKED, "correct"],
  ["1.500", 1.5, 0, "correct", ASKED],
  ["1,500", 1500, 0, ASKED, ASKED],
  ["1.5", 1.5, 0, "correct", "correct"],
  ["1,5", 1.5, 0, "correct", "correct"],
  ["1000", 1000, 0, "correct", "correct"],
  ["1 000", 1000, 0, "correct", "correct"],
  ["1.000,5", 1000.5, 0, "correct", "correct"],
  ["1,000.5", 1000.5, 0, "correct", "correct"],
  ["-1.000", -1000, 0, ASKED, ASKED],
  ["1.000/2", 500, 0, ASKED, ASKED],
  ["1.000/2", 0.5, 0, "correct", ASKED],
  // A tolerance wide enough for both readings: right either way.
  ["1.000", 500, 1000, "correct", "correct"],
];

test("an answer whose verdict hangs on the separator is asked about, in either writing", () => {
  const point = gradingIn(".");
  const comma = gradingIn(",");
  for (const [typed, expected, tolerance, withPoint, withComma] of SEPARATOR_CASES) {
    assert.equal(point.gradeNumber(typed, expected, tolerance).result, withPoint,
                 `${typed} for ${expected}, decimal point`);
    assert.equal(comma.gradeNumber(typed, expected, tolerance).result, withComma,
                 `${typed} for ${expected}, decimal comma`);
  }
});

test("the question names both readings, written so that they cannot be misread", () => {
  const message = (grading, typed, expected) => grading.gradeNumber(typed, expected, 0).message;
  const point = gradingIn(".");
  const comma = gradingIn(",");
  assert.deepEqual(point.gradeNumber("1.000", 1000, 0), {
    result: "invalid",
    message: "1.000 can be read as 1000 or as 1: type the one you mean as shown here",
    feedback: [],
  });
  assert.equal(message(comma, "1,000", 1000),
               "1,000 can be read as 1000 or as 1: type the one you mean as shown here");
  assert.match(message(point, "1,500", 1500), /^1,500 can be read as 1500 or as 1\.5:/);
  assert.match(message(comma, "1.500", 1500), /^1\.500 can be read as 1500 or as 1,5:/);
  assert.match(message(point, "1,250", 1.25), /^1,250 can be read as 1250 or as 1\.25:/);
  // No trailing zero to drop: one more keeps the decimal from reading as a thousand.
  assert.match(message(point, " 1,414 ", 1.414), /^1,414 can be read as 1414 or as 1\.4140:/);
  assert.match(message(comma, "1.414", 1414), /^1\.414 can be read as 1414 or as 1,4140:/);
  assert.match(message(point, "\u22122.500", -2500), /^\u22122\.500 can be read as -2500 or as -2\.5:/);
  assert.match(message(point, "1.000/2", 500), /^1\.000\/2 can be read as 1000\/2 or as 1\/2:/);
  // What the question offers is graded, in the language it was offered in.
  assert.equal(point.gradeNumber("1.4140", 1.414, 0).result, "correct");
  assert.equal(comma.gradeNumber("1,4140", 1414, 0).result, "incorrect");
  assert.equal(comma.gradeNumber("1,5", 1.5, 0).result, "correct");
});

test("text, empty input and overflow are not numbers", () => {
  for (const typed of ["", "   ", "abc", "2x", "1..2", "e5", "--1", "1e400", "Infinity", "NaN", "0x10"]) {
    const number = readNumber(typed);
    assert.ok(Number.isNaN(number.value), JSON.stringify(typed));
    assert.deepEqual(number.readings, [], JSON.stringify(typed));
  }
});

test("an empty or unreadable numeric answer is not an attempt", () => {
  for (const typed of ["", "  ", "two"]) {
    const verdict = gradeNumber(typed, 2, 0);
    assert.equal(verdict.result, "invalid");
    assert.equal(verdict.message, "Please enter a number, such as 0.5 or 1/2");
    assert.deepEqual(verdict.feedback, []);
  }
});

test("a numeric answer is correct within the tolerance, edges included", () => {
  assert.equal(gradeNumber("0.8", 0.8, 0).result, "correct");
  assert.equal(gradeNumber("4/5", 0.8, 0).result, "correct");
  assert.equal(gradeNumber("0,8", 0.8, 0).result, "correct");
  // Exactly at the edge, where floating point makes 0.801 - 0.8 a hair more than 0.001.
  assert.equal(gradeNumber("0.801", 0.8, 0.001).result, "correct");
  assert.equal(gradeNumber("0.799", 0.8, 0.001).result, "correct");
  assert.equal(gradeNumber("0.8011", 0.8, 0.001).result, "incorrect");
  assert.equal(gradeNumber("0.7989", 0.8, 0.001).result, "incorrect");
  assert.deepEqual(gradeNumber("1", 0.8, 0.001),
                   { result: "incorrect", message: "Incorrect", feedback: [] });
  assert.deepEqual(gradeNumber("0.8", 0.8, 0.001),
                   { result: "correct", message: "Correct", feedback: [] });
});

test("a tolerance of 0 still forgives rounding of the last bit, and nothing more", () => {
  assert.equal(gradeNumber("0.3", 0.1 + 0.2, 0).result, "correct");
  assert.equal(gradeNumber("0.30001", 0.3, 0).result, "incorrect");
  // The slack scales with the answer: 1e-12 of it.
  assert.equal(gradeNumber("1000000.0000001", 1e6, 0).result, "correct");
  assert.equal(gradeNumber("1000000.00001", 1e6, 0).result, "incorrect");
});

test("a negative answer needs the sign", () => {
  assert.equal(gradeNumber("-2", -2, 1e-6).result, "correct");
  assert.equal(gradeNumber("2", -2, 1e-6).result, "incorrect");
});

const SINGLE = [
  { index: 0, correct: false, feedback: "zero is too small" },
  { index: 1, correct: true, feedback: null },
  { index: 2, correct: false, feedback: null },
];

test("a single choice: nothing chosen is not an attempt", () => {
  assert.deepEqual(gradeChoices([], SINGLE, "single"),
                   { result: "invalid", message: "Choose an answer first", feedback: [] });
});

test("a single choice is correct only on the correct choice, with the chosen feedback", () => {
  assert.deepEqual(gradeChoices([1], SINGLE, "single"),
                   { result: "correct", message: "Correct", feedback: [] });
  assert.deepEqual(gradeChoices([0], SINGLE, "single"),
                   { result: "incorrect", message: "Incorrect", feedback: ["zero is too small"] });
  // A wrong single choice without feedback gets no select-all hint.
  assert.deepEqual(gradeChoices([2], SINGLE, "single"),
                   { result: "incorrect", message: "Incorrect", feedback: [] });
});

const MULTIPLE = [
  { index: 0, correct: true, feedback: "a" },
  { index: 1, correct: false, feedback: null },
  { index: 2, correct: true, feedback: null },
  { index: 3, correct: false, feedback: "d" },
];

test("select-all is correct only with exactly the correct set", () => {
  assert.equal(gradeChoices([0, 2], MULTIPLE, "multiple").result, "correct");
  assert.equal(gradeChoices([2, 0], MULTIPLE, "multiple").result, "correct");
  assert.equal(gradeChoices([0], MULTIPLE, "multiple").result, "incorrect");
  assert.equal(gradeChoices([0, 1, 2], MULTIPLE, "multiple").result, "incorrect");
  assert.equal(gradeChoices([0, 1, 2, 3], MULTIPLE, "multiple").result, "incorrect");
});

test("select-all shows the chosen choices' feedback in choice order", () => {
  assert.deepEqual(gradeChoices([3, 0], MULTIPLE, "multiple").feedback, ["a", "d"]);
  assert.deepEqual(gradeChoices([0, 2], MULTIPLE, "multiple").feedback, ["a"]);
});

test("a wrong select-all answer without feedback gets the select-all hint", () => {
  const verdict = gradeChoices([2], MULTIPLE, "multiple");
  assert.equal(verdict.result, "incorrect");
  assert.deepEqual(verdict.feedback, []);
  assert.equal(verdict.hint, "Select every correct choice, and only those.");
  assert.equal(gradeChoices([0], MULTIPLE, "multiple").hint, undefined);  // "a" is shown
  assert.equal(gradeChoices([0, 2], MULTIPLE, "multiple").hint, undefined);
});

test("a chosen index that no choice has counts for nothing", () => {
  assert.equal(gradeChoices([1, 7], SINGLE, "single").result, "correct");
  assert.equal(gradeChoices([7], SINGLE, "single").result, "incorrect");
});
