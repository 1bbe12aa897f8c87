// What a search result shows (templates/assets/js/snippets.js): the snippet
// around the first match, with every matched word marked.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const snippets = require("../../templates/assets/js/snippets.js");

// Stands in for the engine's termOf: lower case, accents dropped, a final "s"
// dropped (a stemmer's simplest rule), punctuation is no term.
function termOf(word) {
  const bare = word.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
  if (!/[\p{L}\p{N}]|[^\x00-\x7f]/u.test(bare)) return "";
  return bare.length > 3 ? bare.replace(/s$/, "") : bare;
}

function shown(pieces) {
  return pieces.map((p) => (p.marked ? `[${p.text}]` : p.text)).join("");
}

test("every word whose term is a matched term is marked", () => {
  const text = "Gradients point uphill; the gradient of f is ∇f.";
  assert.equal(shown(snippets.snippet(text, ["gradient"], termOf)),
               "[Gradients] point uphill; the [gradient] of f is ∇f.");
  assert.equal(shown(snippets.snippet(text, ["gradient", "∇"], termOf)),
               "[Gradients] point uphill; the [gradient] of f is [∇]f.");
});

test("the snippet goes where most of the query's words are, not to the first match", () => {
  const filler = " and more words".repeat(20);
  const text = "Descent is the topic here." + filler + " The descent lemma bounds one step.";
  const pieces = snippets.snippet(text, ["descent", "lemma"], termOf, 80);
  assert.match(shown(pieces), /\[descent\] \[lemma\] bounds one step\./);
  assert.equal(pieces[0].text.startsWith("\u2026"), true);
  // One term: the first match, as before.
  assert.match(shown(snippets.snippet(text, ["descent"], termOf, 80)), /^\[Descent\] is the topic/);
});

test("case and accents are forgiven through termOf", () => {
  assert.equal(shown(snippets.snippet("Théorème de Cauchy", ["theoreme"], termOf)),
               "[Théorème] de Cauchy");
});

test("a word whose term only contains or begins with a matched term is not marked", () => {
  // The engine gives the whole terms a typed prefix stands for: a shorter
  // matched term ("grad", from grad_f) must not mark every longer word.
  assert.equal(shown(snippets.snippet("subgradient, gradsite and grad", ["grad"], termOf)),
               "subgradient, gradsite and [grad]");
});

test("a late first match is shown with some words before it, cut at spaces", () => {
  const before = "word ".repeat(40);
  const text = `${before}the Lipschitz constant bounds the slope. ${"more ".repeat(60)}`;
  const pieces = snippets.snippet(text, ["lipschitz"], termOf, 80);
  const out = shown(pieces);
  assert.ok(out.startsWith("\u2026word "), out);
  assert.ok(out.includes("the [Lipschitz] constant"), out);
  assert.ok(out.endsWith("\u2026"), out);
  const inner = out.slice(1, -1);
  assert.ok(inner.length <= 80 + 2 + 41, inner.length);
  assert.ok(!/\bwor\b|\bmor\b/.test(out), out);  // no word cut in half
});

test("a text that fits is shown whole, wherever its match is", () => {
  const text = "Training a model moves its parameters against the gradient, with élan & care.";
  assert.equal(shown(snippets.snippet(text, ["elan"], termOf, 160)),
               "Training a model moves its parameters against the gradient, with [élan] & care.");
});

test("a match near the end of a long text fills the snippet from before it", () => {
  const text = `${"word ".repeat(60)}the end is Lipschitz`;
  const out = shown(snippets.snippet(text, ["lipschitz"], termOf, 60));
  assert.ok(out.startsWith("…word"), out);
  assert.ok(out.endsWith("is [Lipschitz]"), out);
  assert.ok(out.length >= 55, out);
});

test("without a match in the text its start is shown", () => {
  const text = "a ".repeat(200);
  const out = shown(snippets.snippet(text, ["zebra"], termOf, 50));
  assert.ok(out.startsWith("a a"), out);
  assert.ok(out.endsWith("\u2026"), out);
  assert.ok(!out.includes("["), out);
});

test("a short text is shown whole, without ellipses", () => {
  assert.equal(shown(snippets.snippet("Step size", ["step"], termOf)), "[Step] size");
  assert.deepEqual(snippets.snippet("", ["step"], termOf), []);
});

test("text that looks like HTML stays text: the pieces are plain strings", () => {
  const pieces = snippets.snippet("<img src=x onerror=alert(1)> step", ["step"], termOf);
  assert.equal(pieces.map((p) => p.text).join(""), "<img src=x onerror=alert(1)> step");
  assert.deepEqual(pieces[pieces.length - 1], { text: "step", marked: true });
});

test("empty terms mark nothing", () => {
  assert.equal(shown(snippets.snippet("step size", ["", "zz"], termOf)), "step size");
});

test("a result's address is relative to the current page's root", () => {
  assert.equal(snippets.resultHref("../", "02-descent/03-convexity.html", "lipschitz"),
               "../02-descent/03-convexity.html#lipschitz");
  assert.equal(snippets.resultHref("", "index.html", ""), "index.html");
});

test("the count message", () => {
  assert.equal(snippets.countMessage(0, "zebra"), "No results for \u201czebra\u201d");
  assert.equal(snippets.countMessage(1, "x"), "1 result");
  assert.equal(snippets.countMessage(7, "x"), "7 results");
});
