/* ui-review.js: the review page (review.html). The build lists every question
 * of the course, chapter by chapter, hidden; this shows the ones the reader
 * answered wrongly and not yet correctly, and the ones not tried yet, each
 * marked in words, from the progress kept in this browser (progress.js,
 * reviewState). Chapters with nothing left are hidden; with nothing left at
 * all, the page says so. The DOM is the contract of docs/questions-contract.md.
 */
var GradsiteReview = (function () {
  "use strict";

  var W = GradsiteWords;
  var STATES = {
    wrong: W.text("review.wrong", "Answered wrongly"),
    untried: W.text("review.untried", "Not tried yet")
  };

  /* What is left, in one line: "2 questions answered wrongly and 5 not tried yet." */
  function summaryText(wrong, untried) {
    if (wrong && untried) {
      return W.count("review.summary_both", wrong, {
        one: "{wrong} question answered wrongly and {untried} not tried yet.",
        other: "{wrong} questions answered wrongly and {untried} not tried yet." },
        { wrong: wrong, untried: untried });
    }
    if (wrong) {
      return W.count("review.summary_wrong", wrong, {
        one: "{count} question answered wrongly.", other: "{count} questions answered wrongly." });
    }
    return W.count("review.summary_untried", untried, {
      one: "{count} question not tried yet.", other: "{count} questions not tried yet." });
  }

  /* Marks each listed question from the stored progress; returns how many are
     answered wrongly and how many not tried yet. */
  function mark(chapters, progress) {
    var left = { wrong: 0, untried: 0 };
    for (var i = 0; i < chapters.length; i++) {
      var chapter = chapters[i];
      var entry = progress.chapters[chapter.getAttribute("data-chapter-key")];
      var items = chapter.querySelectorAll(".review-question[data-question]");
      var shown = 0;
      for (var j = 0; j < items.length; j++) {
        var item = items[j];
        var state = GradsiteProgress.reviewState(entry, item.getAttribute("data-question"));
        var label = item.querySelector(".review-state");
        item.hidden = state === "solved";
        item.classList.toggle("is-wrong", state === "wrong");
        item.classList.toggle("is-untried", state === "untried");
        if (label) label.textContent = STATES[state] || "";
        if (state !== "solved") {
          left[state] += 1;
          shown += 1;
        }
      }
      chapter.hidden = !shown;
    }
    return left;
  }

  /* Fills the review page; returns what shows the stored progress again (null
     on other pages). */
  function setup() {
    var page = document.querySelector("[data-review]");
    if (!page) return null;
    var list = page.querySelector(".review-list");
    var summary = page.querySelector(".review-summary");
    var empty = page.querySelector(".review-empty");
    var chapters = page.querySelectorAll(".review-chapter[data-chapter-key]");

    function show() {
      var left = mark(chapters, GradsiteProgressPage.readProgress());
      var any = left.wrong + left.untried > 0;
      if (list) list.hidden = !any;
      if (empty) empty.hidden = any;
      if (summary) {
        summary.textContent = any ? summaryText(left.wrong, left.untried) : "";
        summary.hidden = !any;
      }
    }

    show();
    // Blocked storage would make every question look untried: said at once.
    GradsiteProgressPage.noteIfUnreadable(summary && !summary.hidden ? summary : empty);
    return show;
  }

  return { setup: setup };
})();
