// The progress file of "Export progress" / "Import progress"
// (templates/assets/js/transfer.js), and what an import tells the reader.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const progress = require("../../templates/assets/js/progress.js");
const transfer = require("../../templates/assets/js/transfer.js");

const COURSE = "optim";
const KNOWN = ["intro/first", "intro/second", "more/third"];

function plain(value) {
  return JSON.parse(JSON.stringify(value));
}

function stored(chapters) {
  return progress.cleanProgress({ version: 1, chapters: chapters });
}

const SAMPLE = stored({
  "intro/first": { done: true, clear: "yes",
                   questions: { q1: { answer: "1/2", correct: true },
                                q2: { answer: [0, 2], correct: false } },
                   solutions: ["intro/first/ex-step"] },
  "more/third": { done: false, clear: null, questions: {} },
});

test("the export is the stored progress plus its course, pretty-printed", () => {
  const text = transfer.exportText(SAMPLE, COURSE);
  assert.ok(text.endsWith("}\n"));
  assert.match(text, /^{\n {2}"version": 1,\n {2}"course": "optim",\n {2}"chapters": {\n/);
  assert.deepEqual(JSON.parse(text), { version: 1, course: COURSE, chapters: plain(SAMPLE).chapters });
  assert.equal(transfer.exportFileName(COURSE), "optim-progress.json");
});

test("an exported file imports as the same progress", () => {
  const outcome = transfer.readProgressFile(transfer.exportText(SAMPLE, COURSE), COURSE, KNOWN);
  assert.equal(outcome.problem, null);
  assert.equal(outcome.count, 2);
  assert.equal(outcome.ignored, 0);
  assert.deepEqual(plain(outcome.progress), plain(SAMPLE));
  // ...and merged into empty progress it is what was exported.
  const merged = progress.mergeProgress(progress.emptyProgress(), outcome.progress);
  assert.deepEqual(plain(merged), plain(SAMPLE));
});

test("a file without a course, as a hand-made one, is taken", () => {
  const text = JSON.stringify({ version: 1, chapters: { "intro/first": { done: true } } });
  const outcome = transfer.readProgressFile(text, COURSE, KNOWN);
  assert.equal(outcome.problem, null);
  assert.equal(outcome.progress.chapters["intro/first"].done, true);
});

test("another course's progress is refused", () => {
  const text = transfer.exportText(SAMPLE, "statistics");
  const outcome = transfer.readProgressFile(text, COURSE, KNOWN);
  assert.deepEqual(outcome, { progress: null, count: 0, ignored: 0, problem: "other-course" });
  assert.equal(transfer.describeImport("p.json", outcome),
               "p.json holds the progress of another course: nothing was changed.");
});

test("files that are not progress of this version are refused", () => {
  for (const text of ["", "not json", "{", "null", "[]", '"text"', "42",
                      '{"version": 2, "course": "optim", "chapters": {}}',
                      '{"course": "optim", "chapters": {}}',
                      '{"version": 1, "course": "optim"}',
                      '{"version": 1, "course": "optim", "chapters": [1, 2]}']) {
    const outcome = transfer.readProgressFile(text, COURSE, KNOWN);
    assert.equal(outcome.problem, "not-progress", text);
    assert.equal(outcome.progress, null, text);
  }
  assert.equal(transfer.describeImport("x.json", { problem: "not-progress" }),
               "x.json is not a progress file of this site (or of an older version): " +
               "nothing was changed.");
});

test("chapters the course does not have are dropped and counted", () => {
  const text = JSON.stringify({ version: 1, course: COURSE, chapters: {
    "intro/first": { done: true }, "old/renamed": { done: true }, "old/gone": { done: true },
  } });
  const outcome = transfer.readProgressFile(text, COURSE, KNOWN);
  assert.equal(outcome.problem, null);
  assert.deepEqual(Object.keys(outcome.progress.chapters), ["intro/first"]);
  assert.equal(outcome.count, 1);
  assert.equal(outcome.ignored, 2);
  assert.equal(transfer.describeImport("p.json", outcome, true),
               "Progress imported from p.json (1 chapter; 2 chapters not in this course " +
               "were ignored).");
});

test("a file holding none of the course's chapters changes nothing", () => {
  const text = JSON.stringify({ version: 1, chapters: { "old/gone": { done: true } } });
  const outcome = transfer.readProgressFile(text, COURSE, KNOWN);
  assert.deepEqual(outcome, { progress: null, count: 0, ignored: 1, problem: "no-chapter" });
  assert.equal(transfer.describeImport("p.json", outcome),
               "p.json holds no chapter of this course (1 chapter not in this course was " +
               "ignored): nothing was changed.");
});

test("a file of this course with no chapters imports nothing, and says so", () => {
  const outcome = transfer.readProgressFile('{"version": 1, "chapters": {}}', COURSE, KNOWN);
  assert.equal(outcome.problem, null);
  assert.equal(outcome.count, 0);
  assert.equal(transfer.describeImport("p.json", outcome, true),
               "Progress imported from p.json (0 chapters).");
});

test("an imported file is cleaned like stored progress", () => {
  const text = '{"version": 1, "chapters": {"intro/first": {"done": "yes", "questions": ' +
               '{"q1": {"answer": 3, "correct": true}, "__proto__": {"answer": "1"}}}}}';
  const outcome = transfer.readProgressFile(text, COURSE, KNOWN);
  const entry = outcome.progress.chapters["intro/first"];
  assert.equal(entry.done, false);
  assert.deepEqual(Object.keys(entry.questions), ["__proto__"]);
  assert.equal(entry.questions.q1, undefined);
});

test("opened solutions travel in the file, cleaned like stored progress", () => {
  assert.deepEqual(JSON.parse(transfer.exportText(SAMPLE, COURSE)).chapters["intro/first"].solutions,
                   ["intro/first/ex-step"]);
  const text = JSON.stringify({ version: 1, chapters: {
    "intro/first": { solutions: ["intro/first/ex-1", { evil: 1 }, "intro/first/<script>", 3] },
    "intro/second": { done: true },  // a file written before solutions were kept
  } });
  const outcome = transfer.readProgressFile(text, COURSE, KNOWN);
  assert.equal(outcome.problem, null);
  assert.deepEqual(outcome.progress.chapters["intro/first"].solutions, ["intro/first/ex-1"]);
  assert.equal(outcome.progress.chapters["intro/first"].done, false);
  assert.deepEqual(outcome.progress.chapters["intro/second"].solutions, []);
});

test("variants, solved questions and hints travel in the file", () => {
  const played = stored({ "intro/first": { done: true, questions: {
    later: { answer: "12", correct: true, variant: 4, hints: 2 },
    retried: { answer: [1], correct: false, variant: 1, solved: true },
    hinted: { hints: 1 },
  } } });
  const text = transfer.exportText(played, COURSE);
  assert.deepEqual(JSON.parse(text).chapters["intro/first"].questions, {
    later: { answer: "12", correct: true, variant: 4, solved: true, hints: 2 },
    retried: { answer: [1], correct: false, variant: 1, solved: true, hints: 0 },
    hinted: { answer: null, correct: false, variant: 0, solved: false, hints: 1 },
  });
  const outcome = transfer.readProgressFile(text, COURSE, KNOWN);
  assert.equal(outcome.problem, null);
  assert.deepEqual(plain(outcome.progress), plain(played));
});

test("a file exported before variants and hints still imports", () => {
  const older = JSON.stringify({ version: 1, course: COURSE, chapters: {
    "intro/first": { done: true, clear: "yes", questions: {
      q1: { answer: "1/2", correct: true }, q2: { answer: [0, 2], correct: false } },
      solutions: ["intro/first/ex-step"] },
  } }, null, 2);
  const outcome = transfer.readProgressFile(older, COURSE, KNOWN);
  assert.equal(outcome.problem, null);
  assert.equal(outcome.count, 1);
  const questions = plain(outcome.progress.chapters["intro/first"].questions);
  assert.deepEqual(questions, {
    q1: { answer: "1/2", correct: true, variant: 0, solved: true, hints: 0 },
    q2: { answer: [0, 2], correct: false, variant: 0, solved: false, hints: 0 },
  });
  // Merged into progress with a later variant solved here: solved stays, hints stay.
  const here = stored({ "intro/first": { questions: {
    q2: { answer: [1], correct: false, variant: 2, solved: true, hints: 1 } } } });
  const merged = progress.mergeProgress(here, outcome.progress).chapters["intro/first"];
  assert.deepEqual(plain(merged.questions.q2),
                   { answer: [0, 2], correct: false, variant: 0, solved: true, hints: 1 });
  assert.equal(merged.done, true);
});

test("hostile chapter keys are not chapters of the course", () => {
  const text = '{"version": 1, "chapters": {"__proto__": {"done": true}, ' +
               '"constructor": {"done": true}, "intro/second": {"done": true}}}';
  const outcome = transfer.readProgressFile(text, COURSE, KNOWN);
  assert.deepEqual(Object.keys(outcome.progress.chapters), ["intro/second"]);
  assert.equal(outcome.ignored, 2);
});

test("what the reader is told after an import that could not be saved, or read", () => {
  const outcome = { progress: stored({}), count: 3, ignored: 1, problem: null };
  assert.equal(transfer.describeImport("p.json", outcome, false),
               "Progress from p.json (3 chapters; 1 chapter not in this course was ignored) " +
               "is shown on this page but was not saved.");
  assert.equal(transfer.describeImport("p.json", { problem: "unreadable" }),
               "Could not read p.json.");
});
