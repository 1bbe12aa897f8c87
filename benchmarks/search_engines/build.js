// The node half of benchmarks/search_engines.py.
//   node build.js index DOCS.json OUT_DIR   MiniSearch and FlexSearch indexes, built
//                                           at "build time" and written as JSON
//   node build.js probe DIR                 the feature probes, on DIR's four payloads
//   node build.js terms WORDS.json          the JS side's terms of each word (parity)
"use strict";
const fs = require("fs");
const path = require("path");
const lunr = require("lunr");
const MiniSearch = require("minisearch");
const FlexSearch = require("flexsearch");
const benchTerms = require("./terms.js");
const adapters = require("./adapters.js");

const ENGINES = ["lunr", "minisearch", "flexsearch", "own"];

function buildIndexes(docsPath, outDir) {
  const docs = JSON.parse(fs.readFileSync(docsPath, "utf8"));
  const timings = {};
  let started = process.hrtime.bigint();
  const mini = new MiniSearch(adapters.miniSearchOptions(benchTerms));
  mini.addAll(docs);
  fs.writeFileSync(path.join(outDir, "minisearch.json"), JSON.stringify(mini));
  timings.minisearch = Number(process.hrtime.bigint() - started) / 1e6;

  started = process.hrtime.bigint();
  const flex = new FlexSearch.Document(adapters.flexConfig(FlexSearch, benchTerms));
  for (const doc of docs) {
    flex.add({ ...doc, all: [doc.chapter, doc.heading, doc.text, doc.terms].join(" ") });
  }
  const exported = {};
  flex.export((key, data) => { exported[key] = data; });
  fs.writeFileSync(path.join(outDir, "flexsearch.json"), JSON.stringify(exported));
  timings.flexsearch = Number(process.hrtime.bigint() - started) / 1e6;
  process.stdout.write(JSON.stringify(timings));
}

// Each probe: a query, and the heading of the document that must come first.
const PROBES = [
  ["prefix", "gradi", "Gradients everywhere"],
  ["AND across fields", "steepest ripple", "Steepest descent"],
  ["stemming", "converges", "Convergence"],
  ["accent folding", "cafe", "Gradients everywhere"],
  ["math symbol", "∇", "Steepest descent"],
  ["heading boosted over text", "saddle", "Saddle points"],
];

function probe(dir) {
  const engines = adapters.makeEngines({ lunr, MiniSearch, FlexSearch, benchTerms });
  const report = {};
  for (const name of ENGINES) {
    const data = JSON.parse(fs.readFileSync(path.join(dir, name + ".payload.json"), "utf8"));
    const engine = engines[name].load(data);
    report[name] = PROBES.map(([feature, query, expected]) => {
      const hits = engines[name].query(engine, query, 10);
      return { feature, query, expected, got: hits.map((hit) => hit.heading), ok: hits.length > 0 && hits[0].heading === expected };
    });
  }
  process.stdout.write(JSON.stringify(report));
}

function terms(wordsPath) {
  const words = JSON.parse(fs.readFileSync(wordsPath, "utf8"));
  process.stdout.write(JSON.stringify({
    own: words.map((word) => benchTerms.terms(word).join(" ")),
    lunr: words.map((word) => lunr.stemmer(lunr.trimmer(new lunr.Token(word.toLowerCase(), {}))).toString()),
  }));
}

const [command, ...args] = process.argv.slice(2);
if (command === "index") buildIndexes(...args);
else if (command === "probe") probe(...args);
else if (command === "terms") terms(...args);
else throw new Error("usage: node build.js index|probe|terms ...");
