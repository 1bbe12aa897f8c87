/* progress.js: the reader's progress as data, and the store that keeps it.
 *
 * Pure: no DOM, no `window`. The store is handed a function that opens the
 * storage (ui-progress.js passes one returning window.localStorage), so it runs
 * under Node with a stand-in; tests/js/progress.test.js holds the rules.
 *
 * One storage key per course; the value is versioned JSON
 * (docs/questions-contract.md, "Progress"):
 *   {"version": 1, "chapters": {KEY: {"done": bool,
 *     "questions": {ID: {"answer": "text" or [indexes], "correct": bool}},
 *     "clear": "yes" | "no" | null,
 *     "solutions": [EXERCISE_KEY, ...]}}}
 * `solutions` lists the exercises whose solution the reader opened. It is
 * optional in what is read, so the format stays version 1 both ways: progress
 * stored before the list existed loads (as no solution opened), and a script
 * from before it still loads what this one writes (dropping only the list).
 * What is read is cleaned: every field present and of its type, anything else
 * dropped. Chapter and question maps have no prototype, so a stored key such
 * as "__proto__" or "constructor" is just a key, never an inherited value.
 */
var GradsiteProgress = (function () {
  "use strict";

  var VERSION = 1;
  var KEY_PREFIX = "gradsite:progress:";
  /* An exercise's key as the build writes it (data-exercise): the chapter's
     section and chapter slugs and the exercise's label, joined by "/". */
  var EXERCISE_KEY = /^[A-Za-z0-9_:-]+(?:\/[A-Za-z0-9_:-]+)*$/;
  var EXERCISE_KEY_MAX = 200;
  /* More than any chapter has; a hostile list longer than this is cut short
     rather than searched for repeats at length. */
  var SOLUTIONS_MAX = 1000;

  function storageKey(course) {
    return KEY_PREFIX + course;
  }

  function emptyMap() {
    return Object.create(null);
  }

  function emptyProgress() {
    return { version: VERSION, chapters: emptyMap() };
  }

  function isPlainObject(value) {
    return value !== null && typeof value === "object" && !Array.isArray(value);
  }

  function isIndex(value) {
    return Number.isInteger(value) && value >= 0;
  }

  /* A stored answer: the text typed, or the chosen choices' indexes; null for
     anything else. */
  function cleanAnswer(answer) {
    if (typeof answer === "string") return answer;
    if (Array.isArray(answer)) return answer.filter(isIndex);
    return null;
  }

  function isExerciseKey(value) {
    return typeof value === "string" && value.length <= EXERCISE_KEY_MAX &&
           EXERCISE_KEY.test(value);
  }

  /* Adds `exercise` to an entry's opened solutions; false when it is there
     already, is no exercise key, or the list is full. */
  function addSolution(entry, exercise) {
    if (!isExerciseKey(exercise) || entry.solutions.length >= SOLUTIONS_MAX ||
        entry.solutions.indexOf(exercise) >= 0) return false;
    entry.solutions.push(exercise);
    return true;
  }

  /* One chapter's entry with every field present and of the right type. */
  function cleanChapter(entry) {
    var clean = { done: false, questions: emptyMap(), clear: null, solutions: [] };
    if (!isPlainObject(entry)) return clean;
    clean.done = entry.done === true;
    if (entry.clear === "yes" || entry.clear === "no") clean.clear = entry.clear;
    if (isPlainObject(entry.questions)) {
      Object.keys(entry.questions).forEach(function (id) {
        var saved = entry.questions[id];
        var answer = isPlainObject(saved) ? cleanAnswer(saved.answer) : null;
        if (answer !== null) clean.questions[id] = { answer: answer, correct: saved.correct === true };
      });
    }
    if (Array.isArray(entry.solutions)) {
      var opened = entry.solutions;
      for (var i = 0; i < opened.length && clean.solutions.length < SOLUTIONS_MAX; i++) {
        addSolution(clean, opened[i]);
      }
    }
    return clean;
  }

  /* A parsed value if it is progress of this version (cleaned), else null. */
  function cleanProgress(data) {
    if (!isPlainObject(data) || data.version !== VERSION || !isPlainObject(data.chapters)) {
      return null;
    }
    var progress = emptyProgress();
    Object.keys(data.chapters).forEach(function (key) {
      progress.chapters[key] = cleanChapter(data.chapters[key]);
    });
    return progress;
  }

  /* The stored text, cleaned; empty progress when it is missing, not JSON, or
     not progress of this version. */
  function parseProgress(text) {
    if (!text) return emptyProgress();
    try {
      return cleanProgress(JSON.parse(text)) || emptyProgress();
    } catch (e) {
      return emptyProgress();
    }
  }

  /* One chapter's entry of cleaned progress; a fresh empty entry if it has none. */
  function chapterEntry(progress, key) {
    return cleanChapter(progress.chapters[key]);
  }

  /* A chapter with questions is completed once every one was answered
     correctly; it then stays completed (its `done` is stored), even when a
     later retry is wrong. A chapter without questions only by "mark as done". */
  function answeredAllCorrectly(entry, questionIds) {
    if (!questionIds.length) return false;
    return questionIds.every(function (id) {
      var saved = entry.questions[id];
      return !!(saved && saved.correct);
    });
  }

  /* How many of the course's chapters (`keys`) are done: {done, total, percent}. */
  function completion(progress, keys) {
    var done = keys.filter(function (key) {
      var entry = progress.chapters[key];
      return !!(entry && entry.done);
    }).length;
    var percent = keys.length ? Math.round((100 * done) / keys.length) : 0;
    return { done: done, total: keys.length, percent: percent };
  }

  /* Imported progress joined with what this browser has (both cleaned): `done`
     if either says so, `clear` from the import when set, each question from
     the import unless this browser has it correct, and the solutions opened in
     either. Neither argument changes. */
  function mergeProgress(local, imported) {
    var merged = emptyProgress();
    Object.keys(local.chapters).forEach(function (key) {
      merged.chapters[key] = cleanChapter(local.chapters[key]);
    });
    Object.keys(imported.chapters).forEach(function (key) {
      var mine = cleanChapter(merged.chapters[key]);
      var theirs = cleanChapter(imported.chapters[key]);
      mine.done = mine.done || theirs.done;
      mine.clear = theirs.clear || mine.clear;
      Object.keys(theirs.questions).forEach(function (id) {
        if (!(mine.questions[id] && mine.questions[id].correct)) {
          mine.questions[id] = theirs.questions[id];
        }
      });
      theirs.solutions.forEach(function (exercise) { addSolution(mine, exercise); });
      merged.chapters[key] = mine;
    });
    return merged;
  }

  /* The progress of one course in a storage like localStorage. `openStorage()`
     returns it, and may throw, as may every call on it (storage disabled,
     private mode, full): a page never breaks on storage. Progress then starts
     empty; once a write has failed it lives in memory for the rest of the
     page's life, and nothing more is written to the storage. */
  function createStore(openStorage, key) {
    var memory = null;

    function read() {
      if (memory) return memory;
      try {
        return parseProgress(openStorage().getItem(key));
      } catch (e) {
        return emptyProgress();
      }
    }

    /* True when the progress is in the storage; false when it could only be
       kept in memory. */
    function write(progress) {
      if (!memory) {
        try {
          openStorage().setItem(key, JSON.stringify(progress));
          return true;
        } catch (e) {
          /* fall through: keep it for this visit */
        }
      }
      memory = progress;
      return false;
    }

    /* False when the storage cannot even be read (blocked: it throws). */
    function readable() {
      try {
        openStorage().getItem(key);
        return true;
      } catch (e) {
        return false;
      }
    }

    /* False once progress lives in memory only. */
    function isSaved() {
      return memory === null;
    }

    /* True when the stored progress is gone; false when only this page forgot it. */
    function clear() {
      memory = null;
      try {
        openStorage().removeItem(key);
        return true;
      } catch (e) {
        memory = emptyProgress();
        return false;
      }
    }

    return { key: key, read: read, write: write, readable: readable,
             isSaved: isSaved, clear: clear };
  }

  return {
    VERSION: VERSION,
    storageKey: storageKey,
    emptyProgress: emptyProgress,
    cleanChapter: cleanChapter,
    cleanProgress: cleanProgress,
    parseProgress: parseProgress,
    chapterEntry: chapterEntry,
    addSolution: addSolution,
    answeredAllCorrectly: answeredAllCorrectly,
    completion: completion,
    mergeProgress: mergeProgress,
    createStore: createStore
  };
})();

if (typeof module === "object" && module.exports) module.exports = GradsiteProgress;
