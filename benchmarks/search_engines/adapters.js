// How the benchmark loads each engine's prebuilt index and asks it a query, the
// same code in node (build.js: building, feature probes) and in the pages that
// measure load and query times. A query returns up to `limit` documents, best
// first, as the UI would show them: {url, anchor, position, chapter, heading, text}.
// Words typed so far are all required (AND); the last one is a prefix.
(function (root) {
  "use strict";
  const FIELDS = ["chapter", "heading", "text", "terms"];
  const BOOSTS = { chapter: 3, heading: 2, text: 1, terms: 1 };
  const SHOWN = ["url", "anchor", "position", "chapter", "heading", "text"];

  function asShown(row) {
    const doc = {};
    SHOWN.forEach((key, i) => { doc[key] = row[i]; });
    return doc;
  }

  function miniSearchOptions(T) {
    return {
      fields: FIELDS,
      storeFields: SHOWN,
      tokenize: (text) => T.words(text),
      processTerm: (word) => T.stem(word),
      searchOptions: {
        combineWith: "AND",
        boost: BOOSTS,
        prefix: (term, i, terms) => i === terms.length - 1,
      },
    };
  }

  // FlexSearch ANDs words only within one field, so every document also has an
  // "all" field (all four fields joined); "heading" is searched too so that its
  // matches come first (FlexSearch has no per-field weights: merged results
  // keep the order of the fields searched).
  function flexConfig(FlexSearch, T) {
    const encoder = new FlexSearch.Encoder({
      normalize: false, dedupe: false, numeric: false, split: " ",
      prepare: (text) => T.terms(text).join(" "),
    });
    return {
      tokenize: "forward",
      encoder,
      document: { id: "id", index: ["heading", "all"], store: SHOWN },
    };
  }

  // own engine: from here
  function lowerBound(sorted, key) {
    let lo = 0, hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid] < key) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  // The prototype of our own index: a sorted term list, and for each term a
  // flat list of (document number delta, weight) pairs; the weight is the
  // term's count in each field times the field's boost, summed at build time.
  // A query adds scores into one array per document (a course has hundreds of
  // documents, not millions) and keeps those that every word matched.
  function ownQuery(engine, T, text, limit) {
    const wanted = T.terms(text);
    if (!wanted.length) return [];
    const count = engine.docs.length;
    const score = new Float64Array(count);
    const words = new Uint8Array(count);
    const lastWord = new Int8Array(count).fill(-1);
    wanted.forEach((term, word) => {
      const prefix = word === wanted.length - 1;
      for (let t = lowerBound(engine.terms, term); t < engine.terms.length; t++) {
        const name = engine.terms[t];
        const exact = name === term;
        if (!exact && !(prefix && name.startsWith(term))) break;
        const flat = engine.postings[t];
        const idf = Math.log(1 + count / (flat.length / 2)) * (exact ? 1 : 0.5);
        for (let i = 0, doc = 0; i < flat.length; i += 2) {
          doc += flat[i];
          score[doc] += flat[i + 1] * idf;
          if (lastWord[doc] !== word) { lastWord[doc] = word; words[doc] += 1; }
        }
      }
    });
    const found = [];
    for (let doc = 0; doc < count; doc++) {
      if (words[doc] === wanted.length) found.push(doc);
    }
    found.sort((a, b) => score[b] - score[a] || a - b);
    return found.slice(0, limit).map((doc) => asShown(engine.docs[doc]));
  }
  // own engine: to here

  function makeEngines(libs) {
    const T = libs.benchTerms;
    return {
      lunr: {
        load: (data) => ({ index: libs.lunr.Index.load(data.index), docs: data.docs }),
        query(engine, text, limit) {
          const lunr = libs.lunr;
          const words = lunr.tokenizer(text).map((token) => lunr.stemmer(lunr.trimmer(token)))
            .filter((token) => token && token.toString());
          if (!words.length) return [];
          const hits = engine.index.query((q) => {
            words.forEach((token, i) => q.term(token.toString(), {
              presence: lunr.Query.presence.REQUIRED,
              usePipeline: false,
              wildcard: i === words.length - 1 ? lunr.Query.wildcard.TRAILING : lunr.Query.wildcard.NONE,
            }));
          });
          return hits.slice(0, limit).map((hit) => asShown(engine.docs[Number(hit.ref)]));
        },
      },
      minisearch: {
        load: (data) => libs.MiniSearch.loadJS(data.index, miniSearchOptions(T)),
        query: (engine, text, limit) => engine.search(text).slice(0, limit),
      },
      flexsearch: {
        load(data) {
          const index = new libs.FlexSearch.Document(flexConfig(libs.FlexSearch, T));
          for (const key of Object.keys(data.index)) index.import(key, data.index[key]);
          return index;
        },
        query: (engine, text, limit) => engine.search({
          query: text, limit, merge: true, enrich: true,
        }).slice(0, limit).map((hit) => hit.doc),
      },
      // gradsite's engine (--gradsite-engine): ready once both its scripts ran.
      gradsite: {
        load: () => root.GradsiteSearch,
        query: (engine, text, limit) => engine.query(text, limit),
      },
      own: {
        load: (data) => data,
        query: (engine, text, limit) => ownQuery(engine, T, text, limit),
      },
    };
  }

  const api = { makeEngines, miniSearchOptions, flexConfig, FIELDS, BOOSTS, SHOWN };
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.benchAdapters = api;
})(typeof globalThis !== "undefined" ? globalThis : this);
