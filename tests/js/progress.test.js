// The progress store (templates/assets/js/progress.js): its JSON format, the
// cleaning of what is stored, completion, merging, and storage that fails.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const progress = require("../../templates/assets/js/progress.js");

// Plain data, as the store writes it: maps without a prototype compare equal to
// object literals only after a JSON round trip.
function plain(value) {
  return JSON.parse(JSON.stringify(value));
}

function stored(chapters) {
  return progress.cleanProgress({ version: 1, chapters: chapters });
}

const EMPTY_CHAPTER = { done: false, questions: {}, clear: null, solutions: [] };

// A question's entry as cleaning writes it: every field present.
function q(answer, correct, more = {}) {
  return { answer, correct, variant: 0, solved: correct, hints: 0, ...more };
}

test("progress is versioned, one storage key per course", () => {
  assert.equal(progress.VERSION, 1);
  assert.equal(progress.storageKey("optim"), "gradsite:progress:optim");
  assert.deepEqual(plain(progress.emptyProgress()), { version: 1, chapters: {} });
});

test("well-formed progress is kept as it is", () => {
  const stored = {
    version: 1,
    chapters: {
      "intro/first": { done: true, clear: "yes",
                       questions: { q1: q("0.5", true),
                                    q2: q([0, 2], false, { variant: 3, solved: true, hints: 2 }),
                                    q3: q(null, false, { hints: 1 }) },
                       solutions: ["intro/first/ex-step", "intro/first/exercise-2"] },
      "intro/second": { done: false, clear: "no", questions: {}, solutions: [] },
    },
  };
  assert.deepEqual(plain(progress.cleanProgress(stored)), stored);
  assert.deepEqual(plain(progress.parseProgress(JSON.stringify(stored))), stored);
});

test("progress of another version, or not progress at all, is refused", () => {
  for (const data of [null, 1, "x", [], {}, { version: 2, chapters: {} },
                      { version: "1", chapters: {} }, { version: 1 },
                      { version: 1, chapters: [] }, { version: 1, chapters: null }]) {
    assert.equal(progress.cleanProgress(data), null, JSON.stringify(data));
  }
});

test("stored text that is missing, not JSON, or not progress reads as empty progress", () => {
  for (const text of [null, "", "{", "null", "[1]", '{"version": 0, "chapters": {}}']) {
    assert.deepEqual(plain(progress.parseProgress(text)), { version: 1, chapters: {} }, text);
  }
});

test("every field of a chapter is present and of its type; the rest is dropped", () => {
  const data = {
    version: 1,
    extra: "dropped",
    chapters: {
      a: null,
      b: "done",
      c: [true],
      d: { done: "true", clear: "maybe", questions: [] , note: "dropped" },
      e: { done: 1, clear: true, questions: "q1" },
      f: { done: true, clear: null, questions: {
        text: { answer: "2", correct: "yes" },
        list: { answer: [2, 0], correct: true, when: "dropped" },
        number: { answer: 2, correct: true },
        missing: { correct: true },
        object: { answer: { a: 1 }, correct: true },
        notAnObject: "2",
        nothing: null,
        badFields: { answer: "1", correct: false, variant: -1, solved: "yes", hints: 1.5 },
        hugeCounts: { answer: "1", correct: false, variant: 1e9, hints: 1e9 },
        onlyBadHints: { hints: "3" },
        solvedNoAnswer: { solved: true, variant: 2 },
      } },
    },
  };
  assert.deepEqual(plain(progress.cleanProgress(data)), {
    version: 1,
    chapters: {
      a: EMPTY_CHAPTER, b: EMPTY_CHAPTER, c: EMPTY_CHAPTER, d: EMPTY_CHAPTER, e: EMPTY_CHAPTER,
      f: { done: true, clear: null, solutions: [], questions: {
        text: q("2", false),
        list: q([2, 0], true),
        badFields: q("1", false),
        hugeCounts: q("1", false),
        solvedNoAnswer: q(null, false, { solved: true, variant: 2 }),
      } },
    },
  });
});

test("a stored list of choices keeps only choice indexes", () => {
  const entry = progress.cleanChapter({ questions: {
    q: { answer: [0, "1", -1, 1.5, null, 3, {}, NaN, Infinity], correct: true },
  } });
  assert.deepEqual(entry.questions.q.answer, [0, 3]);
});

test("hostile keys stay keys: nothing reaches a prototype, nothing is inherited", () => {
  const text = '{"version": 1, "chapters": {' +
    '"__proto__": {"done": true, "questions": {}},' +
    '"x/y": {"done": false, "questions": {' +
    '  "__proto__": {"answer": "1", "correct": true},' +
    '  "constructor": {"answer": "2", "correct": false}}}}}';
  const read = progress.parseProgress(text);
  assert.equal(Object.getPrototypeOf(read.chapters), null);
  assert.deepEqual(Object.keys(read.chapters).sort(), ["__proto__", "x/y"]);
  assert.equal(read.chapters.__proto__.done, true);  // an own entry, not a prototype
  assert.equal(read.chapters.done, undefined);
  const questions = read.chapters["x/y"].questions;
  assert.deepEqual(Object.keys(questions).sort(), ["__proto__", "constructor"]);
  assert.equal(questions.answer, undefined);
  assert.deepEqual(questions.constructor, q("2", false));
  assert.equal({}.done, undefined);  // Object.prototype is untouched
  // A question id that no answer has is never found on a prototype.
  assert.equal(progress.chapterEntry(read, "x/y").questions.toString, undefined);
  assert.equal(progress.chapterEntry(read, "hasOwnProperty").done, false);
});

test("progress stored before opened solutions were kept loads, with none opened", () => {
  const older = '{"version": 1, "chapters": {"s/a": {"done": true, "clear": "yes", ' +
                '"questions": {"q": {"answer": "1", "correct": true}}}}}';
  assert.deepEqual(plain(progress.parseProgress(older)).chapters, {
    "s/a": { done: true, clear: "yes", questions: { q: q("1", true) },
             solutions: [] },
  });
});

test("answers stored before variants and hints load: variant 0, solved when correct", () => {
  const older = '{"version": 1, "chapters": {"s/a": {"done": false, "questions": {' +
                '"right": {"answer": "1", "correct": true}, ' +
                '"wrong": {"answer": [2], "correct": false}}}}}';
  const questions = plain(progress.parseProgress(older)).chapters["s/a"].questions;
  assert.deepEqual(questions, {
    right: { answer: "1", correct: true, variant: 0, solved: true, hints: 0 },
    wrong: { answer: [2], correct: false, variant: 0, solved: false, hints: 0 },
  });
});

test("an answer is recorded with its variant, and solved stays once reached", () => {
  const entry = progress.cleanChapter({});
  progress.recordAnswer(entry, "q", "3", false, 0);
  assert.deepEqual(plain(entry.questions.q), q("3", false));
  progress.recordAnswer(entry, "q", "12", true, 2);
  assert.deepEqual(plain(entry.questions.q), q("12", true, { variant: 2 }));
  progress.recordAnswer(entry, "q", "5", false, 4);  // a later variant, wrong
  assert.deepEqual(plain(entry.questions.q), q("5", false, { variant: 4, solved: true }));
  progress.recordAnswer(entry, "c", [1, "x", -2], true, "7");  // cleaned as stored ones are
  assert.deepEqual(plain(entry.questions.c), q([1], true));
});

test("hints opened are counted, never down, and kept beside the answer", () => {
  const entry = progress.cleanChapter({});
  assert.equal(progress.recordHints(entry, "q", 1), true);
  assert.deepEqual(plain(entry.questions.q), q(null, false, { hints: 1 }));
  assert.equal(progress.recordHints(entry, "q", 1), false);
  assert.equal(progress.recordHints(entry, "q", 3), true);
  assert.equal(progress.recordHints(entry, "q", 2), false);  // a nested hint closed and opened
  assert.equal(progress.recordHints(entry, "q", -1), false);
  assert.equal(progress.recordHints(entry, "q", "9"), false);
  assert.equal(entry.questions.q.hints, 3);
  progress.recordAnswer(entry, "q", "2", true, 1);
  assert.deepEqual(plain(entry.questions.q), q("2", true, { variant: 1, hints: 3 }));
  assert.equal(progress.recordHints(entry, "none", 0), false);
  assert.equal(entry.questions.none, undefined);
});

test("the review page's view of a question: solved, wrong or untried", () => {
  const entry = progress.cleanChapter({ questions: {
    right: { answer: "1", correct: true },
    once: { answer: "9", correct: false, solved: true, variant: 3 },  // right before, wrong now
    wrong: { answer: [0], correct: false },
    hinted: { hints: 2 },  // hints opened, never answered
  } });
  assert.equal(progress.reviewState(entry, "right"), "solved");
  assert.equal(progress.reviewState(entry, "once"), "solved");
  assert.equal(progress.reviewState(entry, "wrong"), "wrong");
  assert.equal(progress.reviewState(entry, "hinted"), "untried");
  assert.equal(progress.reviewState(entry, "never"), "untried");
  assert.equal(progress.reviewState(entry, "constructor"), "untried");
  assert.equal(progress.reviewState(undefined, "right"), "untried");  // a chapter not opened
});

test("opened solutions keep only exercise keys, once each, in the order opened", () => {
  const entry = progress.cleanChapter({ solutions: [
    "s/a/ex-step", "s/a/exercise-2", "s/a/ex-step",  // a repeat
    "s/a/thm:main_1",                                 // every character a label may have
    42, null, true, {}, ["s/a/x"], { toString: "s/a/x" },
    "", "/s/a", "s/a/", "s//a", "../s/a", "s/a/ex step", "s/a/<img src=x>",
    "s/a/ex\u00e9", "s/a/" + "x".repeat(200),
  ] });
  assert.deepEqual(entry.solutions, ["s/a/ex-step", "s/a/exercise-2", "s/a/thm:main_1"]);
  for (const solutions of ["s/a/ex-step", { 0: "s/a/ex-step" }, 1, null]) {
    assert.deepEqual(progress.cleanChapter({ solutions: solutions }).solutions, [],
                     JSON.stringify(solutions));
  }
  // A key such as "__proto__" is a plain string in a list: harmless, kept.
  assert.deepEqual(progress.cleanChapter({ solutions: ["__proto__"] }).solutions, ["__proto__"]);
  // A hostile length is cut short, not searched through at length.
  const many = Array.from({ length: 200000 }, (_, i) => "s/a/ex-" + i);
  const started = Date.now();
  const kept = progress.cleanChapter({ solutions: many }).solutions;
  assert.equal(kept.length, 1000);
  assert.deepEqual(kept.slice(0, 2), ["s/a/ex-0", "s/a/ex-1"]);
  assert.ok(Date.now() - started < 2000);
});

test("a solution is added once, and only as an exercise key", () => {
  const entry = progress.cleanChapter({});
  assert.equal(progress.addSolution(entry, "s/a/ex-step"), true);
  assert.equal(progress.addSolution(entry, "s/a/ex-step"), false);
  assert.equal(progress.addSolution(entry, "s/a/<b>"), false);
  assert.equal(progress.addSolution(entry, 7), false);
  assert.equal(progress.addSolution(entry, "s/a/ex-2"), true);
  assert.deepEqual(entry.solutions, ["s/a/ex-step", "s/a/ex-2"]);
});

test("opening solutions never completes a chapter", () => {
  const seen = stored({ "s/a": { solutions: ["s/a/ex-1", "s/a/ex-2"] } });
  const entry = progress.chapterEntry(seen, "s/a");
  assert.equal(entry.done, false);
  assert.equal(progress.answeredAllCorrectly(entry, []), false);
  assert.deepEqual(progress.completion(seen, ["s/a"]), { done: 0, total: 1, percent: 0 });
});

test("a chapter entry is a copy: changing it changes nothing stored", () => {
  const stored = progress.parseProgress('{"version": 1, "chapters": {"a/b": {"done": true}}}');
  const entry = progress.chapterEntry(stored, "a/b");
  entry.done = false;
  assert.equal(stored.chapters["a/b"].done, true);
  assert.deepEqual(plain(progress.chapterEntry(stored, "a/c")), EMPTY_CHAPTER);
});

test("a chapter is completed when every question is answered correctly", () => {
  const entry = progress.cleanChapter({ questions: {
    q1: { answer: "1", correct: true },
    q2: { answer: [0], correct: true },
    q3: { answer: "7", correct: false },
    q5: { answer: "7", correct: false, solved: true, variant: 2 },  // correct once, in any variant
    q6: { hints: 2 },
  } });
  assert.equal(progress.answeredAllCorrectly(entry, ["q1", "q2"]), true);
  assert.equal(progress.answeredAllCorrectly(entry, ["q1", "q3"]), false);  // wrong
  assert.equal(progress.answeredAllCorrectly(entry, ["q1", "q4"]), false);  // unanswered
  assert.equal(progress.answeredAllCorrectly(entry, ["q1", "q5"]), true);
  assert.equal(progress.answeredAllCorrectly(entry, ["q1", "q6"]), false);  // hints only
  // A chapter without questions is completed only by "Mark chapter as done".
  assert.equal(progress.answeredAllCorrectly(entry, []), false);
});

test("completion counts the course's chapters that are done", () => {
  const stored = progress.cleanProgress({ version: 1, chapters: {
    "s/a": { done: true }, "s/b": { done: false }, "s/c": { done: true },
    "old/gone": { done: true },  // not a chapter of the course: not counted
  } });
  assert.deepEqual(progress.completion(stored, ["s/a", "s/b", "s/c"]),
                   { done: 2, total: 3, percent: 67 });
  assert.deepEqual(progress.completion(stored, ["s/b", "s/d"]), { done: 0, total: 2, percent: 0 });
  assert.deepEqual(progress.completion(stored, []), { done: 0, total: 0, percent: 0 });
  assert.deepEqual(progress.completion(stored, ["s/a", "s/c"]),
                   { done: 2, total: 2, percent: 100 });
});

test("merging: done if either is, clear from the import when it has one", () => {
  const local = stored({
    "s/a": { done: true, clear: "no" },
    "s/b": { done: false, clear: "yes" },
    "s/only-here": { done: true },
  });
  const imported = stored({
    "s/a": { done: false, clear: null },
    "s/b": { done: true, clear: "no" },
    "s/only-there": { done: false, clear: "yes" },
  });
  assert.deepEqual(plain(progress.mergeProgress(local, imported)).chapters, {
    "s/a": { done: true, clear: "no", questions: {}, solutions: [] },
    "s/b": { done: true, clear: "no", questions: {}, solutions: [] },
    "s/only-here": { done: true, clear: null, questions: {}, solutions: [] },
    "s/only-there": { done: false, clear: "yes", questions: {}, solutions: [] },
  });
});

test("merging never replaces a question answered correctly here", () => {
  const local = stored({ "s/a": { questions: {
    right: { answer: "2", correct: true },
    wrong: { answer: "3", correct: false },
  } } });
  const imported = stored({ "s/a": { questions: {
    right: { answer: "5", correct: false },
    wrong: { answer: "2", correct: true },
    fresh: { answer: [1], correct: false },
  } } });
  assert.deepEqual(plain(progress.mergeProgress(local, imported)).chapters["s/a"].questions, {
    right: q("2", true),
    wrong: q("2", true),
    fresh: q([1], false),
  });
});

test("merging: solved if either is, the most hints, the latest attempt with its variant", () => {
  const local = stored({ "s/a": { questions: {
    solvedHere: { answer: "4", correct: false, variant: 1, solved: true, hints: 1 },
    solvedThere: { answer: "5", correct: false, variant: 2, hints: 3 },
    hintsHere: { hints: 2 },
    hintsThere: { answer: "1", correct: false, variant: 4 },
  } } });
  const imported = stored({ "s/a": { questions: {
    solvedHere: { answer: "6", correct: false, variant: 3, hints: 2 },
    solvedThere: { answer: "7", correct: false, variant: 5, solved: true },
    hintsHere: { answer: "8", correct: true, variant: 1 },
    hintsThere: { hints: 1 },  // no attempt there: the attempt here stays
  } } });
  assert.deepEqual(plain(progress.mergeProgress(local, imported)).chapters["s/a"].questions, {
    solvedHere: q("6", false, { variant: 3, solved: true, hints: 2 }),
    solvedThere: q("7", false, { variant: 5, solved: true, hints: 3 }),
    hintsHere: q("8", true, { variant: 1, hints: 2 }),
    hintsThere: q("1", false, { variant: 4, hints: 1 }),
  });
});

test("merging keeps the solutions opened in either, those opened here first", () => {
  const local = stored({ "s/a": { solutions: ["s/a/ex-2", "s/a/ex-1"] } });
  const imported = stored({ "s/a": { solutions: ["s/a/ex-1", "s/a/ex-3"] },
                            "s/b": { solutions: ["s/b/ex-1"] } });
  const merged = plain(progress.mergeProgress(local, imported)).chapters;
  assert.deepEqual(merged["s/a"].solutions, ["s/a/ex-2", "s/a/ex-1", "s/a/ex-3"]);
  assert.deepEqual(merged["s/b"].solutions, ["s/b/ex-1"]);
  assert.equal(merged["s/a"].done, false);
});

test("merging changes neither argument", () => {
  const local = stored({ "s/a": { done: false, questions: { q: { answer: "1", correct: false } } } });
  const imported = stored({ "s/a": { done: true, questions: { q: { answer: "2", correct: true } } },
                            "s/b": { done: true } });
  const before = [JSON.stringify(local), JSON.stringify(imported)];
  const merged = progress.mergeProgress(local, imported);
  assert.deepEqual([JSON.stringify(local), JSON.stringify(imported)], before);
  assert.notEqual(merged, local);
  assert.equal(merged.chapters["s/a"].done, true);
});

/* A stand-in for localStorage; `fail` names the calls that throw. */
function fakeStorage(fail = {}) {
  const items = new Map();
  return {
    items,
    getItem(key) {
      if (fail.get) throw new Error("SecurityError");
      return items.has(key) ? items.get(key) : null;
    },
    setItem(key, value) {
      if (fail.set) throw new Error("QuotaExceededError");
      items.set(key, String(value));
    },
    removeItem(key) {
      if (fail.remove) throw new Error("SecurityError");
      items.delete(key);
    },
  };
}

const KEY = "gradsite:progress:c";

test("the store writes JSON under its key and reads it back", () => {
  const storage = fakeStorage();
  const store = progress.createStore(() => storage, KEY);
  assert.equal(store.key, KEY);
  const value = stored({ "s/a": { done: true, questions: { q: { answer: "1", correct: true } } } });
  assert.equal(store.write(value), true);
  assert.deepEqual(JSON.parse(storage.items.get(KEY)), {
    version: 1, chapters: { "s/a": { done: true, questions: { q: q("1", true) },
                                     clear: null, solutions: [] } },
  });
  assert.deepEqual(plain(store.read()), plain(value));
  assert.equal(store.isSaved(), true);
  assert.equal(store.readable(), true);
});

test("the store reads another tab's write: nothing is cached while storage works", () => {
  const storage = fakeStorage();
  const store = progress.createStore(() => storage, KEY);
  storage.items.set(KEY, '{"version": 1, "chapters": {"s/a": {"done": true}}}');
  assert.equal(store.read().chapters["s/a"].done, true);
  storage.items.set(KEY, "not json");
  assert.deepEqual(plain(store.read()), { version: 1, chapters: {} });
});

test("the store cleans what it reads", () => {
  const storage = fakeStorage();
  storage.items.set(KEY, '{"version": 1, "chapters": {"s/a": {"done": "yes", "x": 1}}}');
  const store = progress.createStore(() => storage, KEY);
  assert.deepEqual(plain(store.read()).chapters, { "s/a": EMPTY_CHAPTER });
});

test("storage that cannot be opened or read gives empty progress, never an error", () => {
  const blocked = progress.createStore(() => { throw new Error("SecurityError"); }, KEY);
  assert.deepEqual(plain(blocked.read()), { version: 1, chapters: {} });
  assert.equal(blocked.readable(), false);
  const unreadable = progress.createStore(() => fakeStorage({ get: true }), KEY);
  assert.deepEqual(plain(unreadable.read()), { version: 1, chapters: {} });
  assert.equal(unreadable.readable(), false);
});

test("after a failed write progress lives in memory, and nothing more is written", () => {
  const storage = fakeStorage({ set: true });
  const store = progress.createStore(() => storage, KEY);
  const first = stored({ "s/a": { done: true } });
  assert.equal(store.write(first), false);
  assert.equal(store.isSaved(), false);
  assert.equal(store.read(), first);
  const fails = { set: false };
  const healed = fakeStorage(fails);
  const later = progress.createStore(() => healed, KEY);
  later.write(stored({}));  // works
  fails.set = true;
  assert.equal(later.write(first), false);
  fails.set = false;  // storage works again, but this page keeps to memory
  assert.equal(later.write(stored({ "s/b": { done: true } })), false);
  assert.deepEqual(JSON.parse(healed.items.get(KEY)).chapters, {});
  assert.equal(later.read().chapters["s/b"].done, true);
});

test("clearing removes the stored progress, or forgets it on this page only", () => {
  const storage = fakeStorage();
  const store = progress.createStore(() => storage, KEY);
  store.write(stored({ "s/a": { done: true } }));
  assert.equal(store.clear(), true);
  assert.equal(storage.items.has(KEY), false);
  assert.deepEqual(plain(store.read()), { version: 1, chapters: {} });

  const stuck = fakeStorage({ remove: true });
  stuck.items.set(KEY, '{"version": 1, "chapters": {"s/a": {"done": true}}}');
  const forgetful = progress.createStore(() => stuck, KEY);
  assert.equal(forgetful.clear(), false);
  assert.deepEqual(plain(forgetful.read()), { version: 1, chapters: {} });
  assert.equal(forgetful.isSaved(), false);
});
