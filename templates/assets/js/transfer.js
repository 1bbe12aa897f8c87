/* transfer.js: the progress file that "Export progress" writes and "Import
 * progress" reads, and what the reader is told about an import.
 *
 * Pure: no DOM, no `window`; ui-progress.js downloads and reads the files.
 * tests/js/transfer.test.js holds the rules.
 *
 * The file is the stored progress plus the course it belongs to, pretty-printed:
 *   {"version": 1, "course": COURSE_KEY, "chapters": {...}}
 * An import takes only chapters the course has (the home page lists them):
 * others, from a renamed chapter or a hand-made file, would be stored unseen.
 * The chapters are cleaned as stored progress is (progress.js), so a file
 * exported before questions had variants and hints imports as it did.
 */
var GradsiteTransfer = (function (progress, W) {
  "use strict";

  function exportText(stored, course) {
    return JSON.stringify({ version: progress.VERSION, course: course,
                            chapters: stored.chapters }, null, 2) + "\n";
  }

  function exportFileName(course) {
    return course + "-progress.json";
  }

  /* A progress file's text, for `course` whose chapters are `knownKeys`:
     {progress, count, ignored, problem}. problem is null, with `progress` the
     file's chapters of this course (cleaned) to merge, `count` of them, and the
     number of other chapters `ignored`; or "not-progress" (not JSON, not
     progress, or of another version), "other-course", "no-chapter" (only
     chapters this course does not have), and `progress` is null. */
  function readProgressFile(text, course, knownKeys) {
    var data = null;
    try {
      data = JSON.parse(text);
    } catch (e) {
      data = null;
    }
    var imported = progress.cleanProgress(data);
    var outcome = { progress: null, count: 0, ignored: 0, problem: null };
    if (!imported) {
      outcome.problem = "not-progress";
      return outcome;
    }
    if (typeof data.course === "string" && data.course !== course) {
      outcome.problem = "other-course";
      return outcome;
    }
    Object.keys(imported.chapters).forEach(function (key) {
      if (knownKeys.indexOf(key) < 0) {
        delete imported.chapters[key];
        outcome.ignored += 1;
      } else {
        outcome.count += 1;
      }
    });
    if (!outcome.count && outcome.ignored) {
      outcome.problem = "no-chapter";
      return outcome;
    }
    outcome.progress = imported;
    return outcome;
  }

  function chapters(count) {
    return W.count("transfer.chapters", count, { one: "{count} chapter", other: "{count} chapters" });
  }

  /* The status line after importing `fileName`: `outcome` from
     readProgressFile, or {problem: "unreadable"} when the file could not be
     read; `saved` is false when the merged progress could only be kept in
     memory. */
  function describeImport(fileName, outcome, saved) {
    var others = function () {
      return W.count("transfer.ignored", outcome.ignored, {
        one: "{count} chapter not in this course was ignored",
        other: "{count} chapters not in this course were ignored" });
    };
    var file = { file: fileName };
    switch (outcome.problem) {
      case "unreadable":
        return W.text("transfer.unreadable", "Could not read {file}.", file);
      case "not-progress":
        return W.text("transfer.not_progress", "{file} is not a progress file of this site (or of an older version): nothing was changed.", file);
      case "other-course":
        return W.text("transfer.other_course", "{file} holds the progress of another course: nothing was changed.", file);
      case "no-chapter":
        return W.text("transfer.no_chapter", "{file} holds no chapter of this course ({ignored}): nothing was changed.",
                      { file: fileName, ignored: others() });
    }
    var what = {
      file: fileName,
      chapters: outcome.ignored
        ? W.text("transfer.both", "{chapters}; {ignored}",
                 { chapters: chapters(outcome.count), ignored: others() })
        : chapters(outcome.count)
    };
    return saved
      ? W.text("transfer.imported", "Progress imported from {file} ({chapters}).", what)
      : W.text("transfer.not_saved", "Progress from {file} ({chapters}) is shown on this page but was not saved.", what);
  }

  return {
    exportText: exportText,
    exportFileName: exportFileName,
    readProgressFile: readProgressFile,
    describeImport: describeImport
  };
})(typeof GradsiteProgress === "object" ? GradsiteProgress : require("./progress.js"),
   typeof GradsiteWords === "object" ? GradsiteWords : require("./words.js"));

if (typeof module === "object" && module.exports) module.exports = GradsiteTransfer;
