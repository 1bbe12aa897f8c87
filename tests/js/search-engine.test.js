// The search engine (templates/assets/js/search-engine.js) on a small index laid
// out as gradsite/search/index.py writes it: results in order, prefix matching
// of the word being typed, every word required, case, accents and word endings.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const searchTerms = require("../../templates/assets/js/search-terms.js");
const { createIndex } = require("../../templates/assets/js/search-engine.js");

// The payload of index.py for documents {page, anchor, chapter, heading, text, extra}:
// a term's weight is its count in the text * 4, + 1 in the heading, + 2 in the title.
function payload(documents) {
  const pages = [];
  const byTerm = new Map();
  const docs = documents.map((doc, number) => {
    let page = pages.findIndex((p) => p[0] === doc.url);
    if (page < 0) page = pages.push([doc.url, doc.position, doc.chapter]) - 1;
    const text = searchTerms.normalizeTerms(`${doc.text} ${doc.extra || ""}`);
    const heading = new Set(searchTerms.normalizeTerms(doc.heading));
    const title = new Set(doc.anchor ? [] : searchTerms.normalizeTerms(doc.chapter));
    const all = new Set([...text, ...heading, ...title]);
    for (const term of all) {
      const count = text.filter((t) => t === term).length;
      const weight = count * 4 + (heading.has(term) ? 1 : 0) + (title.has(term) ? 2 : 0);
      if (!byTerm.has(term)) byTerm.set(term, []);
      byTerm.get(term).push([number, weight]);
    }
    return [page, doc.anchor, doc.heading, doc.text, text.length];
  });
  const terms = [...byTerm.keys()].sort();
  const postings = terms.map((term) => {
    let last = 0;
    return byTerm.get(term).flatMap(([number, weight]) => {
      const gap = number - last;
      last = number;
      return [gap, weight];
    });
  });
  return { version: 1, pages, docs, terms, postings, symbols: { nabla: "\u2207" } };
}

const descent = { url: "b/descent.html", position: "2.1", chapter: "Gradient Descent" };
const convexity = { url: "b/convexity.html", position: "2.3", chapter: "Convexity" };
const index = createIndex(payload([
  { ...descent, anchor: "", heading: "",
    text: "The update rule of gradient descent and what it does." },
  { ...descent, anchor: "the-rule", heading: "The update rule",
    text: "Step against the gradient: x ← x − η∇f(x). The iterates converge for small steps.",
    extra: "nabla" },
  { ...convexity, anchor: "", heading: "", text: "Convex sets and convex functions." },
  { ...convexity, anchor: "holder", heading: "Hölder's inequality",
    text: "A bound on sums of products, used in the convergence proof." },
  { ...convexity, anchor: "lipschitz", heading: "Lipschitz gradients",
    text: "A gradient is Lipschitz when it changes slowly; then descent converges." },
]));

function where(results) {
  return results.map((r) => `${r.url}#${r.anchor}`);
}

test("results carry the contract's fields, best first", () => {
  const [first] = index.query("update rule", 10);
  assert.deepEqual(Object.keys(first).sort(),
                   ["anchor", "chapter", "heading", "position", "terms", "text", "url"]);
  // The heading holds both words: above the top document, which has them in its text.
  assert.equal(first.anchor, "the-rule");
  assert.equal(first.position, "2.1");
  assert.equal(first.chapter, "Gradient Descent");
  assert.deepEqual(first.terms, ["rule", "updat"]);
});

test("a word in the chapter's title ranks its top document first", () => {
  assert.deepEqual(where(index.query("convexity ", 10))[0], "b/convexity.html#");
  assert.deepEqual(where(index.query("descent ", 10))[0], "b/descent.html#");
});

test("every word must match", () => {
  assert.deepEqual(where(index.query("lipschitz descent", 10)), ["b/convexity.html#lipschitz"]);
  assert.deepEqual(index.query("lipschitz update", 10), []);
});

test("the last word matches as a prefix while it is typed, the others in full", () => {
  assert.deepEqual(where(index.query("Lipsch", 10)), ["b/convexity.html#lipschitz"]);
  assert.deepEqual(index.query("Lipsch ", 10), []); // a space ends the word
  assert.deepEqual(index.query("lipsch gradient", 10), []);
  // "convergen" is longer than the stem it is on its way to, "converg".
  assert.deepEqual(where(index.query("convergen", 10)).sort(),
                   ["b/convexity.html#holder", "b/convexity.html#lipschitz",
                    "b/descent.html#the-rule"]);
});

test("case, accents and word endings are forgiven", () => {
  assert.deepEqual(where(index.query("HOLDER", 10)), ["b/convexity.html#holder"]);
  assert.deepEqual(where(index.query("hölder ", 10)), ["b/convexity.html#holder"]);
  const converging = where(index.query("converging ", 10)).sort();
  assert.deepEqual(converging, ["b/convexity.html#holder", "b/convexity.html#lipschitz",
                                "b/descent.html#the-rule"]);
  assert.deepEqual(where(index.query("converges ", 10)).sort(), converging);
  assert.equal(where(index.query("gradients ", 10)).length, 3);
});

test("math is found by its symbol and by its LaTeX name, and the symbol is marked", () => {
  const bySymbol = index.query("∇f", 10);
  assert.deepEqual(where(bySymbol), ["b/descent.html#the-rule"]);
  const [byName] = index.query("nabla", 10);
  assert.equal(byName.anchor, "the-rule");
  assert.deepEqual(byName.terms, ["nabla", "\u2207"]);
});

test("the limit is kept, and an empty query finds nothing", () => {
  assert.equal(index.query("gradient", 1).length, 1);
  assert.deepEqual(index.query("", 10), []);
  assert.deepEqual(index.query("  ,. ", 10), []);
  assert.deepEqual(index.query("zebra", 10), []);
});

test("termOf gives the term a snippet's word has in the index", () => {
  assert.equal(index.termOf("Converges."), "converg");
  assert.equal(index.termOf("∇f"), "\u2207");
});
