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

test("digits grouped in threes are not guessed: the hint names the reader's digits", () => {
  for (const [typed, digits] of [["1,000", "1000"], ["12,345,678", "12345678"],
                                 ["-1,000", "-1000"], ["999,999", "999999"]]) {
    const number = readNumber(typed);
    assert.ok(Number.isNaN(number.value), typed);
    assert.equal(number.hint,
                 "Write " + digits + " without a thousands separator (or 1.5 / 1,5 for decimals)");
  }
  // Either side of a fraction gets the hint too.
  assert.match(readNumber("1/1,000").hint, /^Write 1000 without/);
});

test("a comma beside a point, or several not grouped in threes, is not a number", () => {
  for (const typed of ["1,5.2", "1,000.5", "1,2,3", "1,23,456", "0,000,001"]) {
    assert.ok(Number.isNaN(readNumber(typed).value), typed);
    assert.equal(readNumber(typed).hint, "", typed);
  }
});

test("one comma not grouping thousands is a decimal comma, whatever its digits", () => {
  assert.equal(readNumber("1000,000").value, 1000);
  assert.equal(readNumber("1,00").value, 1);
  assert.equal(readNumber("1,0000").value, 1);
});

test("text, empty input and overflow are not numbers", () => {
  for (const typed of ["", "   ", "abc", "2x", "1..2", "e5", "--1", "1e400", "Infinity", "NaN", "0x10"]) {
    const number = readNumber(typed);
    assert.ok(Number.isNaN(number.value), JSON.stringify(typed));
    assert.equal(number.hint, "", JSON.stringify(typed));
  }
});

test("an empty or unreadable numeric answer is not an attempt", () => {
  for (const typed of ["", "  ", "two"]) {
    const verdict = gradeNumber(typed, 2, 0);
    assert.equal(verdict.result, "invalid");
    assert.equal(verdict.message, "Please enter a number, such as 0.5 or 1/2");
    assert.deepEqual(verdict.feedback, []);
  }
  assert.deepEqual(gradeNumber("1,000", 1000, 0), {
    result: "invalid",
    message: "Write 1000 without a thousands separator (or 1.5 / 1,5 for decimals)",
    feedback: [],
  });
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
