/* grading.js: how an answer to a question is graded, with no page involved.
 *
 * Pure: no DOM, no `window`. ui-questions.js reads a form and passes plain
 * values here. The rules are the contract of docs/questions-contract.md
 * ("Numeric input", "Select-all"); tests/js/grading.test.js holds them.
 *
 * A verdict is {result, message, feedback[, hint]}: result is "correct",
 * "incorrect", or "invalid" (not an attempt: nothing chosen, not a number);
 * feedback lists the chosen choices' feedback, in choice order. Its messages
 * are in the course's language (words.js).
 */
var GradsiteGrading = (function (W) {
  "use strict";

  var NOT_A_NUMBER = W.text("quiz.not_a_number", "Please enter a number, such as 0.5 or 1/2");
  var CHOOSE_FIRST = W.text("quiz.choose_first", "Choose an answer first");
  var SELECT_EXACTLY = W.text("quiz.select_exactly", "Select every correct choice, and only those.");
  var CORRECT = W.text("quiz.correct", "Correct");
  var INCORRECT = W.text("quiz.incorrect", "Incorrect");
  var NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;
  /* 1.000, 1,000, -12.345: one point or comma before exactly three digits, after a
     whole part of 1 to 3 digits (not 0). It reads as a decimal (1) or as a
     thousand with a separator (1000): which one the reader meant is a habit that
     the course's language does not tell for sure (see gradeNumber). */
  var AMBIGUOUS = /^([+-]?[1-9]\d{0,2})([.,])(\d{3})$/;
  /* Thousands grouped by one mark throughout (point, comma, space, apostrophe),
     then maybe a decimal part after the other mark: 1,000,000, 1.000.000,
     1 000, 1,234.5, 1.234,5. Only one reading is possible. */
  var GROUPED =
    /^([+-]?[1-9]\d{0,2})((?:([.,' \u00a0\u2009\u202f\u2019])\d{3})(?:\3\d{3})*)(?:([.,])(\d+))?$/;

  /* One side of a fraction as typed: {text, value}, with, for an ambiguous
     number, its reading as a whole number (whole), its point or comma (mark),
     and the digits before and after that (before, after); null when it is no
     number. */
  function readPart(part) {
    var ambiguous = AMBIGUOUS.exec(part);
    if (ambiguous) {
      return { text: part, value: Number(ambiguous[1] + "." + ambiguous[3]),
               whole: Number(ambiguous[1] + ambiguous[3]), mark: ambiguous[2],
               before: ambiguous[1], after: ambiguous[3] };
    }
    var grouped = GROUPED.exec(part);
    if (grouped && grouped[4] !== grouped[3]) {
      var fraction = grouped[5] === undefined ? "" : "." + grouped[5];
      return { text: part,
               value: Number(grouped[1] + grouped[2].replace(/\D/g, "") + fraction) };
    }
    // One comma and no point: a decimal comma (0,5 or 2,25), in every language.
    var plain = part;
    if ((part.match(/,/g) || []).length === 1 && part.indexOf(".") < 0) {
      plain = part.replace(",", ".");
    }
    return NUMBER.test(plain) ? { text: part, value: Number(plain) } : null;
  }

  function quotient(values) {
    return values.length === 2 ? values[0] / values[1] : values[0];
  }

  /* A number as readers type it: 2, -0.5, 1e-3, .5, 0,5, 1/2, 1 000 or
     1.234,5: {value, readings, parts}. value is NaN for anything else.
     readings lists every value it may mean, value first (an ambiguous 1.000
     read as a decimal), then with its ambiguous parts read as thousands;
     parts holds each side of a fraction as readPart gives it. */
  function readNumber(text) {
    var none = { value: NaN, readings: [], parts: [] };
    var pieces = text.trim().replace(/\u2212/g, "-").split("/");
    if (pieces.length > 2) return none;
    var parts = [];
    for (var i = 0; i < pieces.length; i++) {
      var part = readPart(pieces[i].trim());
      if (!part) return none;
      parts.push(part);
    }
    var value = quotient(parts.map(function (p) { return p.value; }));
    if (!isFinite(value)) return none;
    // Each ambiguous part read either way: 2 readings, or 4 for a fraction of two.
    var readings = [[]];
    parts.forEach(function (p) {
      var next = [];
      readings.forEach(function (reading) {
        next.push(reading.concat([p.value]));
        if (p.mark) next.push(reading.concat([p.whole]));
      });
      readings = next;
    });
    return { value: value, readings: readings.map(quotient), parts: parts };
  }

  /* The text of a number read one way, so that it cannot be read another:
     a thousand without its separator (1000), a decimal in the language's
     writing with a trailing zero dropped, or one added (1,5; 1.4140). */
  function spelled(parts, asWhole) {
    return parts.map(function (p) {
      if (!p.mark) return p.text;
      if (asWhole) return p.before + p.after;
      var digits = p.after.replace(/0+$/, "");
      if (digits.length === 3) digits += "0";
      return digits ? W.decimal(p.before + "." + digits) : p.before;
    }).join("/");
  }

  function separatorMessage(text, parts) {
    return W.text("quiz.separator",
                  "{typed} can be read as {whole} or as {decimal}: type the one you mean as shown here",
                  { typed: text.trim(), whole: spelled(parts, true),
                    decimal: spelled(parts, false) });
  }

  /* The text typed for a numeric question, against the expected value: correct
     when |value - expected| <= tolerance. An ambiguous number (1.000, 1,000)
     is graded only when its reading cannot change the verdict: both readings
     right or both wrong, or the decimal reading right with the language's own
     decimal mark (1.414 in English, 1,414 in German). Otherwise the reader is
     asked which was meant, and it is not an attempt: no thousands separator is
     ever taken for granted, and no decimal with another language's mark. */
  function gradeNumber(text, expected, tolerance) {
    var number = readNumber(text);
    if (isNaN(number.value)) {
      return { result: "invalid", message: NOT_A_NUMBER, feedback: [] };
    }
    // A hair of slack so that a tolerance of 0.001 accepts 0.801 for 0.8.
    var slack = 1e-12 * Math.max(1, Math.abs(expected));
    var rights = number.readings.map(function (value) {
      return Math.abs(value - expected) <= tolerance + slack;
    });
    var right = rights[0];
    var same = rights.every(function (r) { return r === right; });
    var ownMark = W.decimal(".");
    var native = number.parts.every(function (p) { return !p.mark || p.mark === ownMark; });
    if (!same && !(right && native)) {
      return { result: "invalid", message: separatorMessage(text, number.parts), feedback: [] };
    }
    return { result: right ? "correct" : "incorrect",
             message: right ? CORRECT : INCORRECT, feedback: [] };
  }

  /* The chosen choices' indexes, against the question's choices, each
     {index, correct, feedback} in the order shown (feedback: what to show when
     it is chosen, or null). Correct only when exactly the correct set is chosen;
     a chosen index that no choice has counts for nothing. `kind` is "single"
     or "multiple". */
  function gradeChoices(chosen, choices, kind) {
    if (!chosen.length) return { result: "invalid", message: CHOOSE_FIRST, feedback: [] };
    var exact = true;
    var feedback = [];
    choices.forEach(function (choice) {
      var picked = chosen.indexOf(choice.index) >= 0;
      if (picked !== choice.correct) exact = false;
      if (picked && choice.feedback) feedback.push(choice.feedback);
    });
    var verdict = { result: exact ? "correct" : "incorrect",
                    message: exact ? CORRECT : INCORRECT, feedback: feedback };
    if (!exact && !feedback.length && kind === "multiple") verdict.hint = SELECT_EXACTLY;
    return verdict;
  }

  return {
    NOT_A_NUMBER: NOT_A_NUMBER,
    CHOOSE_FIRST: CHOOSE_FIRST,
    SELECT_EXACTLY: SELECT_EXACTLY,
    readNumber: readNumber,
    gradeNumber: gradeNumber,
    gradeChoices: gradeChoices
  };
})(typeof GradsiteWords === "object" ? GradsiteWords : require("./words.js"));

if (typeof module === "object" && module.exports) module.exports = GradsiteGrading;
