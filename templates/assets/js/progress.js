/* progress.js: the reader's progress as data, and the store that keeps it.
 *
 * Pure: no DOM, no `window`. The store is handed a function that opens the
 * storage (ui-progress.js passes one returning window.localStorage), so it runs
 * under Node with a stand-in; tests/js/progress.test.js holds the rules.
 *
 * One storage key per course; the value is versioned JSON
 * (docs/questions-contract.md, "Progress"):
 *   {"version": 1, "chapters": {KEY: {"done": bool,
 *     "questions": {ID: {"answer": "text" or [indexes] or null, "correct": bool,
 *                        "variant": int, "solved": bool, "hints": int}},
 *     "clear": "yes" | "no" | null,
 *     "solutions": [EXERCISE_KEY, ...]}}}
 * A question's `answer` and `correct` are its latest graded attempt, made in
 * the variant `variant` (0 for a question without variants); `solved` is
 * sticky: answered correctly at least once, in any variant; `hints` is how
 * many of its hints were opened. `answer` is null when the reader only opened
 * hints. `solutions` lists the exercises whose solution the reader opened.
 * `variant`, `solved`, `hints` and `solutions` are optional in what is read
 * (missing: variant 0, solved = correct, no hint, no solution opened), so the
 * format stays version 1 both ways: progress stored before they existed loads,
 * and a script from before them still loads what this one writes (dropping
 * only them, and a question with hints but no answer).
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
  /* More hints and variants than a question has (50 variants at most). */
  var COUNT_MAX = 1000;

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

  function isCount(value) {
    return isIndex(value) && value <= COUNT_MAX;
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

  /* A question never answered, its hints closed. */
  function emptyQuestion() {
    return { answer: null, correct: false, variant: 0, solved: false, hints: 0 };
  }

  /* One question's entry with every field present and of its type, or null when
     it holds nothing: no answer, not solved, no hint. */
  function cleanQuestion(saved) {
    if (!isPlainObject(saved)) return null;
    var clean = emptyQuestion();
    clean.answer = cleanAnswer(saved.answer);
    clean.correct = clean.answer !== null && saved.correct === true;
    if (isCount(saved.variant)) clean.variant = saved.variant;
    clean.solved = clean.correct || saved.solved === true;
    if (isCount(saved.hints)) clean.hints = saved.hints;
    return clean.answer !== null || clean.solved || clean.hints ? clean : null;
  }

  /* One chapter's entry with every field present and of the right type. */
  function cleanChapter(entry) {
    var clean = { done: false, questions: emptyMap(), clear: null, solutions: [] };
    if (!isPlainObject(entry)) return clean;
    clean.done = entry.done === true;
    if (entry.clear === "yes" || entry.clear === "no") clean.clear = entry.clear;
    if (isPlainObject(entry.questions)) {
      Object.keys(entry.questions).forEach(function (id) {
        var saved = cleanQuestion(entry.questions[id]);
        if (saved) clean.questions[id] = saved;
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

  /* A chapter entry's question `id`, made (empty) if it has none yet. */
  function questionEntry(entry, id) {
    if (!entry.questions[id]) entry.questions[id] = emptyQuestion();
    return entry.questions[id];
  }

  /* A graded attempt at question `id` in its variant `variant`: the latest
     answer, and solved for good once correct. */
  function recordAnswer(entry, id, answer, correct, variant) {
    var saved = questionEntry(entry, id);
    saved.answer = cleanAnswer(answer);
    saved.correct = saved.answer !== null && correct === true;
    saved.variant = isCount(variant) ? variant : 0;
    saved.solved = saved.solved || saved.correct;
  }

  /* The reader opened `count` hints of question `id` (the hints open one after
     the other); false when no more than that were opened before. */
  function recordHints(entry, id, count) {
    var saved = entry.questions[id];
    if (!isCount(count) || count <= (saved ? saved.hints : 0)) return false;
    questionEntry(entry, id).hints = count;
    return true;
  }

  /* A chapter with questions is completed once every one was answered
     correctly, in any of its variants; it then stays completed (its `done` is
     stored), even when a later retry is wrong. A chapter without questions
     only by "mark as done". */
  function answeredAllCorrectly(entry, questionIds) {
    if (!questionIds.length) return false;
    return questionIds.every(function (id) {
      var saved = entry.questions[id];
      return !!(saved && saved.solved);
    });
  }

  /* What the review page says of question `id`: "solved" (answered correctly
     at least once), "wrong" (answered, never correctly) or "untried". */
  function reviewState(entry, id) {
    var saved = entry ? entry.questions[id] : null;
    if (saved && saved.solved) return "solved";
    return saved && saved.answer !== null ? "wrong" : "untried";
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

  /* Two entries of one question joined: the latest attempt from `theirs`
     unless `mine` is correct or `theirs` has none; solved if either is; the
     most hints either opened. */
  function mergeQuestion(mine, theirs) {
    if (!mine) return theirs;
    var merged = cleanQuestion(mine.correct || theirs.answer === null ? mine : theirs);
    merged.solved = mine.solved || theirs.solved;
    merged.hints = Math.max(mine.hints, theirs.hints);
    return merged;
  }

  /* Imported progress joined with what this browser has (both cleaned): `done`
     if either says so, `clear` from the import when set, each question as
     mergeQuestion joins them, and the solutions opened in either. Neither
     argument changes. */
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
        mine.questions[id] = mergeQuestion(mine.questions[id], theirs.questions[id]);
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
    recordAnswer: recordAnswer,
    recordHints: recordHints,
    answeredAllCorrectly: answeredAllCorrectly,
    reviewState: reviewState,
    completion: completion,
    mergeProgress: mergeProgress,
    createStore: createStore
  };
})();

if (typeof module === "object" && module.exports) module.exports = GradsiteProgress;
