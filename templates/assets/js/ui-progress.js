/* ui-progress.js: the reader's progress on the page.
 *
 *   setupChapter           a chapter page's questions (ui-questions.js), their
 *                          answers, variants and hints kept in the store and
 *                          restored on reload; "Mark chapter as done" and
 *                          "Everything was clear?"; the exercises whose
 *                          solution was opened
 *   homeProgress           the course home's "N of M chapters completed",
 *                          reset, export and import of progress
 *   markCompletedChapters  completed chapters in the menu and on the home page
 *   start                  opens the progress storage (ui-storage.js), then
 *                          runs the rest
 *   followChanges          progress changed in another tab, or while this page
 *                          was in the back-forward cache, shows here too
 *   readProgress,          the stored progress, and the note on storage that
 *   noteIfUnreadable       cannot be read, for the review page (ui-review.js)
 *
 * The data, its cleaning and the store are progress.js; the export file and
 * import messages transfer.js. Where storage is blocked or full, the reader
 * is told so once (noteUnsaved), and no message claims "saved" for a write
 * that failed. The DOM is the contract of docs/questions-contract.md.
 */
var GradsiteProgressPage = (function () {
  "use strict";

  var W = GradsiteWords;
  var UNSAVED = W.text("progress.unsaved", "Your progress can\u2019t be saved in this browser (storage is blocked or full); it lasts until you leave this page.");
  var unsavedNoted = false;

  function courseKey() {
    return document.documentElement.getAttribute("data-course") || "course";
  }

  // Set by start, once the storage is open (ui-storage.js).
  var store = null;
  var source = null;

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  /* Once per page, after a write failed: a visible, polite note placed after
     `anchor`, next to what the reader just did. It is filled a moment after
     it is added, so screen readers announce it. */
  function noteUnsaved(anchor) {
    if (unsavedNoted || !anchor || !anchor.parentNode) return;
    unsavedNoted = true;
    var note = element("p", "storage-note");
    note.setAttribute("role", "status");
    anchor.parentNode.insertBefore(note, anchor.nextSibling);
    window.setTimeout(function () { note.textContent = UNSAVED; }, 50);
  }

  function chapterProgress(key) {
    return GradsiteProgress.chapterEntry(store.read(), key);
  }

  /* Read, change one chapter, write back: another tab's changes in between
     survive. When the write fails, the note goes after `anchor`. */
  function updateChapter(key, change, anchor) {
    var progress = store.read();
    var entry = GradsiteProgress.chapterEntry(progress, key);
    change(entry);
    progress.chapters[key] = entry;
    if (!store.write(progress)) noteUnsaved(anchor);
    return entry;
  }

  /* Completed chapters in the menu and on the home page: a class for the
     look, and words for screen readers (never colour alone). */
  function markCompletedChapters() {
    var progress = store.read();
    var rows = document.querySelectorAll(
      "li.menu-chapter[data-chapter-key], .home-chapter[data-chapter-key]"
    );
    for (var i = 0; i < rows.length; i++) {
      var row = rows[i];
      var entry = progress.chapters[row.getAttribute("data-chapter-key")];
      var done = !!(entry && entry.done);
      var note = row.querySelector(".done-note");
      row.classList.toggle("is-done", done);
      if (done && !note) {
        note = document.createElement("span");
        note.className = "done-note visually-hidden";
        note.textContent = " " + W.text("chapter.completed_note", "(completed)");
        (row.querySelector("a") || row).appendChild(note);
      } else if (!done && note) {
        note.parentNode.removeChild(note);
      }
    }
  }

  /* --- A chapter page ------------------------------------------------------ */

  function chapterKey() {
    var article = document.querySelector("article.chapter[data-chapter-key]");
    return article ? article.getAttribute("data-chapter-key") : null;
  }

  /* Shows whether the chapter is completed, and stores that it is once every
     question (`ids`) was answered correctly, in any variant (progress.js). */
  function updateChapterStatus(key, ids) {
    var entry = chapterProgress(key);
    var status = document.querySelector(".chapter-end .chapter-status");
    if (!entry.done && GradsiteProgress.answeredAllCorrectly(entry, ids)) {
      entry = updateChapter(key, function (e) { e.done = true; }, status);
    }
    var text = entry.done ? W.text("chapter.completed", "Chapter completed") : "";
    if (status && status.textContent !== text) status.textContent = text;
    var end = document.querySelector(".chapter-end");
    if (end) end.classList.toggle("is-done", entry.done);
    markCompletedChapters();
    return entry;
  }

  /* Sets up a chapter page's questions and end block; returns what shows the
     stored progress again when another tab changed it (null elsewhere). */
  function setupChapter() {
    var key = chapterKey();
    if (!key) return null;
    var questions = GradsiteQuestionForms.find(document);
    var ids = questions.map(function (question) { return question.id; });
    var saved = chapterProgress(key).questions;
    var refreshers = questions.map(function (question) {
      var id = question.id;
      return GradsiteQuestionForms.setup(question, saved[id], {
        onGraded: function (answer, correct, variant) {
          updateChapter(key, function (entry) {
            GradsiteProgress.recordAnswer(entry, id, answer, correct, variant);
          }, question.forms[variant].querySelector(".verdict"));
          updateChapterStatus(key, ids);
        },
        onHint: function (count, form) {
          // Reopened as the page loads, or opened again: nothing new to store.
          if (!GradsiteProgress.recordHints(chapterProgress(key), id, count)) return;
          updateChapter(key, function (entry) {
            GradsiteProgress.recordHints(entry, id, count);
          }, form.querySelector(".verdict"));
        }
      });
    });
    var showEnd = setupChapterEnd(key, ids);
    var showSolutions = setupSolutions(key);
    updateChapterStatus(key, ids);
    return function () {
      var entry = chapterProgress(key);
      questions.forEach(function (question, i) { refreshers[i](entry.questions[question.id]); });
      showSolutions(entry);
      showEnd(updateChapterStatus(key, ids));
    };
  }

  /* --- Exercises: the solutions opened ------------------------------------- */

  /* Shows on a solution's summary that it was opened before: a word, not only
     a look, so it is read out with the summary ("Show solution Viewed"; the
     space before it keeps the two words apart in that name). */
  function markSeen(solution, seen) {
    var summary = solution.querySelector("summary");
    var badge = summary ? summary.querySelector(".solution-seen") : null;
    solution.classList.toggle("is-seen", seen);
    if (seen && summary && !badge) {
      summary.appendChild(document.createTextNode(" "));
      summary.appendChild(element("span", "solution-seen", W.text("exercise.viewed", "Viewed")));
    } else if (!seen && badge) {
      summary.removeChild(badge.previousSibling);
      summary.removeChild(badge);
    }
  }

  /* Opening an exercise's solution (a native <details>, which works without
     the script) is kept in the chapter's progress. It tells the reader which
     solutions they have seen; it never completes the chapter. Returns what
     shows a chapter entry's opened solutions again. */
  function setupSolutions(key) {
    var solutions = [];
    var found = document.querySelectorAll("[data-exercise] details.exercise-solution");
    for (var i = 0; i < found.length; i++) {
      solutions.push({ box: found[i],
                       exercise: found[i].closest("[data-exercise]").getAttribute("data-exercise") });
    }

    function show(entry) {
      solutions.forEach(function (s) {
        markSeen(s.box, entry.solutions.indexOf(s.exercise) >= 0);
      });
    }

    solutions.forEach(function (s) {
      s.box.addEventListener("toggle", function () {
        if (!s.box.open) return;
        if (chapterProgress(key).solutions.indexOf(s.exercise) < 0) {
          updateChapter(key, function (entry) {
            GradsiteProgress.addSolution(entry, s.exercise);
          }, s.box);
        }
        markSeen(s.box, true);
      });
    });
    show(chapterProgress(key));
    return show;
  }

  /* --- End of a chapter: "Mark chapter as done", "Everything was clear?" ---- */

  /* Returns what shows a chapter entry's `done` and `clear` on the buttons again. */
  function setupChapterEnd(key, ids) {
    var markDone = document.querySelector(".chapter-end .mark-done");
    var clarity = document.querySelector(".chapter-end .clarity");
    var press = function () {};

    function show(entry) {
      if (markDone && !markDone.hidden) markDone.setAttribute("aria-pressed", String(entry.done));
      press(entry.clear);
    }

    if (markDone && !ids.length) {
      var status = document.querySelector(".chapter-end .chapter-status") || markDone;
      markDone.hidden = false;
      markDone.setAttribute("aria-pressed", String(chapterProgress(key).done));
      markDone.addEventListener("click", function () {
        var entry = updateChapter(key, function (e) { e.done = !e.done; }, status);
        markDone.setAttribute("aria-pressed", String(entry.done));
        updateChapterStatus(key, ids);
      });
    }

    if (!clarity) return show;
    var buttons = { yes: clarity.querySelector(".clarity-yes"),
                    no: clarity.querySelector(".clarity-no") };
    var thanks = clarity.querySelector(".clarity-thanks");
    var hasLink = !!clarity.querySelector(".clarity-link");
    if (!buttons.yes || !buttons.no) return show;
    clarity.hidden = false;

    press = function (answer) {
      buttons.yes.setAttribute("aria-pressed", String(answer === "yes"));
      buttons.no.setAttribute("aria-pressed", String(answer === "no"));
    };

    ["yes", "no"].forEach(function (answer) {
      var button = buttons[answer];
      button.hidden = false;
      button.addEventListener("click", function () {
        updateChapter(key, function (e) { e.clear = answer; }, thanks || clarity);
        press(answer);
        if (thanks) {
          // "saved" only when it was; otherwise the note after this line says why not.
          var parts = [answer === "yes" ? W.text("clarity.thanks_yes", "Thanks!")
                                        : W.text("clarity.thanks_no", "Thanks.")];
          if (store.isSaved()) {
            parts.push(W.text("clarity.saved", "Your answer is saved in this browser."));
          }
          if (answer !== "yes" && hasLink) {
            parts.push(W.text("clarity.tell_more", "Tell the author what was unclear with the link above."));
          }
          thanks.textContent = parts.join(" ");
        }
      });
    });
    press(chapterProgress(key).clear);
    return show;
  }

  /* --- Course home: progress, reset, export, import ------------------------ */

  function homeChapterKeys() {
    var rows = document.querySelectorAll(".home-chapter[data-chapter-key]");
    var keys = [];
    for (var i = 0; i < rows.length; i++) keys.push(rows[i].getAttribute("data-chapter-key"));
    return keys;
  }

  function renderHomeProgress(box) {
    var shown = GradsiteProgress.completion(store.read(), homeChapterKeys());
    box.querySelector(".progress-summary").textContent =
      W.text("progress.summary", "{done} of {total} chapters completed ({percent})",
             { done: shown.done, total: shown.total, percent: W.percent(shown.percent) });
    var bar = box.querySelector("progress");
    bar.max = Math.max(shown.total, 1);
    bar.value = shown.done;
    markCompletedChapters();
  }

  /* Downloads the progress file; returns its name. */
  function exportProgress() {
    var file = new Blob([GradsiteTransfer.exportText(store.read(), courseKey())],
                        { type: "application/json" });
    var url = URL.createObjectURL(file);
    var link = document.createElement("a");
    link.href = url;
    link.download = GradsiteTransfer.exportFileName(courseKey());
    link.hidden = true;
    document.body.appendChild(link);
    link.click();
    document.body.removeChild(link);
    window.setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
    return link.download;
  }

  /* Reads a progress file and merges it in; `done(message, unsaved)` gets the
     status line, and whether the merged progress could only be kept in memory. */
  function importProgress(file, done) {
    var reader = new FileReader();
    reader.onerror = function () {
      done(GradsiteTransfer.describeImport(file.name, { problem: "unreadable" }));
    };
    reader.onload = function () {
      var outcome = GradsiteTransfer.readProgressFile(String(reader.result), courseKey(),
                                                      homeChapterKeys());
      if (!outcome.progress) {
        done(GradsiteTransfer.describeImport(file.name, outcome));
        return;
      }
      var saved = store.write(GradsiteProgress.mergeProgress(store.read(), outcome.progress));
      done(GradsiteTransfer.describeImport(file.name, outcome, saved), !saved);
    };
    reader.readAsText(file);
  }

  /* Fills the home page's progress box; returns what shows the stored
     progress again (null on other pages). */
  function homeProgress() {
    var box = document.querySelector("[data-progress-home]");
    if (!box) return null;
    var summary = element("p", "progress-summary");
    summary.id = "progress-summary";
    var bar = element("progress", "progress-bar");
    bar.setAttribute("aria-labelledby", summary.id);
    var actions = element("div", "progress-actions");
    var reset = element("button", "reset-progress", W.text("progress.reset", "Reset progress"));
    reset.type = "button";
    var exporter = element("button", "export-progress", W.text("progress.export", "Export progress"));
    exporter.type = "button";
    var importer = element("input", "import-progress visually-hidden");
    importer.type = "file";
    importer.id = "import-progress";
    importer.accept = "application/json";
    var importLabel = element("label", "import-label", W.text("progress.import", "Import progress"));
    importLabel.htmlFor = importer.id;
    var status = element("p", "progress-status");
    status.setAttribute("role", "status");
    actions.appendChild(reset);
    actions.appendChild(exporter);
    actions.appendChild(importer);
    actions.appendChild(importLabel);
    box.textContent = "";
    box.appendChild(summary);
    box.appendChild(bar);
    box.appendChild(actions);
    box.appendChild(status);

    reset.addEventListener("click", function () {
      if (!window.confirm(W.text("progress.reset_confirm", "Reset your progress in this course? Your answers and completed chapters in this browser will be forgotten."))) {
        return;
      }
      var cleared = store.clear();
      renderHomeProgress(box);
      status.textContent = cleared ? W.text("progress.reset_done", "Progress reset.")
        : W.text("progress.reset_here", "Progress reset on this page only.");
      if (!cleared) noteUnsaved(status);
    });
    exporter.addEventListener("click", function () {
      status.textContent = W.text("progress.saved_as", "Progress saved as {file}.",
                                  { file: exportProgress() });
    });
    importer.addEventListener("change", function () {
      var file = importer.files && importer.files[0];
      if (!file) return;
      importProgress(file, function (message, unsaved) {
        importer.value = "";
        renderHomeProgress(box);
        status.textContent = message;
        if (unsaved) noteUnsaved(status);
      });
    });

    renderHomeProgress(box);
    box.hidden = false;
    // A chapter page says so when an answer cannot be kept; here, where the
    // progress is the point, blocked storage is said at once. Storage that is
    // only full is found out by the first write, as elsewhere.
    if (!store.readable()) noteUnsaved(status);
    return function () { renderHomeProgress(box); };
  }

  /* --- Opening the storage, and changes made elsewhere ----------------------- */

  /* A page opened from disk used to keep progress in its own storage, which
     Firefox gives each file: what the reader did on this page is joined to
     the shared progress, once. Where the page's storage is the shared one
     (served pages, Chromium), the two are equal and nothing happens. */
  function adoptOwnProgress() {
    var own = null;
    try {
      var shared = source.storage();
      if (shared === window.localStorage) return;
      own = window.localStorage.getItem(store.key);
      if (own === null || own === shared.getItem(store.key)) return;
      // Removed first: were the two one storage after all, the write restores it.
      window.localStorage.removeItem(store.key);
    } catch (e) {
      return;
    }
    store.write(GradsiteProgress.mergeProgress(store.read(), GradsiteProgress.parseProgress(own)));
  }

  /* Opens the progress storage, then calls `run`: at once on a served page, a
     few milliseconds later on a page opened from disk (ui-storage.js). */
  function start(run) {
    GradsiteStorage.open(GradsiteProgress.storageKey(courseKey()), function (opened) {
      source = opened;
      // Reading the storage may itself throw (storage blocked): the store
      // opens it inside its own try.
      store = GradsiteProgress.createStore(source.storage,
                                           GradsiteProgress.storageKey(courseKey()));
      adoptOwnProgress();
      run();
    });
  }

  /* Progress changed in another tab or window of this browser (a key of null
     is localStorage.clear()), or this page came back from the back-forward
     cache: every part of this page that shows progress shows the stored
     value again, so two pages never contradict each other. */
  function followChanges(refreshers) {
    source.follow(function () {
      for (var i = 0; i < refreshers.length; i++) {
        if (refreshers[i]) refreshers[i]();
      }
    });
  }

  /* The note on storage that cannot be read (blocked), after `anchor`; a
     page that only shows progress says it at once, as the home page does. */
  function noteIfUnreadable(anchor) {
    if (!store.readable()) noteUnsaved(anchor);
  }

  return {
    start: start,
    setupChapter: setupChapter,
    homeProgress: homeProgress,
    markCompletedChapters: markCompletedChapters,
    followChanges: followChanges,
    readProgress: function () { return store.read(); },
    noteIfUnreadable: noteIfUnreadable
  };
})();
