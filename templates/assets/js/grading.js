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
  /* 1,000 or 12,345,678: thousands grouped with commas, or (one comma) a decimal
     comma? Both are common, so neither is guessed. A whole part of 0 (0,125)
     is never grouped: that is a decimal comma. */
  var GROUPED = /^[+-]?[1-9]\d{0,2}(?:,\d{3})+$/;

  function groupedHint(part) {
    return W.text("quiz.grouped",
                  "Write {digits} without a thousands separator (or 1.5 / 1,5 for decimals)",
                  { digits: part.replace(/,/g, "") });
  }

  /* A number as readers type it: 2, -0.5, 1e-3, .5, 0,5 or 1/2:
     {value, hint}. value is NaN for anything else; hint then says what to
     write instead when there is more to say than NOT_A_NUMBER. */
  function readNumber(text) {
    var parts = text.trim().replace(/\u2212/g, "-").split("/");
    if (parts.length > 2) return { value: NaN, hint: "" };
    var hint = "";
    var values = parts.map(function (part) {
      part = part.trim();
      if (GROUPED.test(part)) {
        hint = hint || groupedHint(part);
        return NaN;
      }
      if ((part.match(/,/g) || []).length === 1 && part.indexOf(".") < 0) {
        part = part.replace(",", ".");
      }
      return NUMBER.test(part) ? Number(part) : NaN;
    });
    var value = values.length === 2 ? values[0] / values[1] : values[0];
    return isFinite(value) ? { value: value, hint: "" } : { value: NaN, hint: hint };
  }

  /* The text typed for a numeric question, against the expected value: correct
     when |value - expected| <= tolerance. */
  function gradeNumber(text, expected, tolerance) {
    var number = readNumber(text);
    if (isNaN(number.value)) {
      return { result: "invalid", message: number.hint || NOT_A_NUMBER, feedback: [] };
    }
    // A hair of slack so that a tolerance of 0.001 accepts 0.801 for 0.8.
    var slack = 1e-12 * Math.max(1, Math.abs(expected));
    var right = Math.abs(number.value - expected) <= tolerance + slack;
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
