"""Search engines, measured: lunr, MiniSearch, FlexSearch and our own inverted index.

For a course written by the shared generator (160 chapters by default) it makes the
search documents (search_documents.py), builds each engine's index at "build time"
(lunr with its Python port, MiniSearch and FlexSearch in node, the prototype of our
own index in Python, and gradsite's own engine when ``--gradsite-engine`` is given),
writes each as a script that assigns the payload (documents for snippets included),
and measures in headless Chromium, from file:// and in a fresh page per run:

- load: from inserting the library's and the index's <script> elements to the engine
  being ready to answer (scripts parsed and run, index deserialized);
- first query: the first keystroke after that;
- keystrokes: every further keystroke of a few words typed letter by letter (the
  words typed so far are all required, the last one is a prefix).

Also: sizes (bytes and gzipped), library code size, what each engine can do (feature
probes on a six-document course), and whether the Python side's terms equal the
JS side's on the course's whole vocabulary. Engines are interleaved run by run, so
that a machine slowing down slows all of them.

Needs: ``npm ci`` (lunr, minisearch, flexsearch are devDependencies), the PyPI
``lunr`` (``pip install -e '.[bench]'``), Playwright and /usr/bin/chromium.
Not a test: nothing here runs under pytest.

Usage: python benchmarks/search_engines.py [--chapters 160] [--runs 7] [--json FILE]
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import statistics
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

from course_generator import ROOT, add_generator_argument, load_generator
from search_documents import course_documents, term_rules
from search_engines_page import measure_in_chromium

HERE = Path(__file__).resolve().parent
NODE_SIDE = HERE / "search_engines" / "build.js"
MODULES = ROOT / "node_modules"
LIBRARIES = {
    "lunr": [MODULES / "lunr" / "lunr.min.js"],
    "minisearch": [MODULES / "minisearch" / "dist" / "umd" / "index.js"],
    "flexsearch": [MODULES / "flexsearch" / "dist" / "flexsearch.bundle.min.js"],
    "own": [],
}
BOOSTS = {"chapter": 3, "heading": 2, "text": 1, "terms": 1}
SHOWN = ("url", "anchor", "position", "chapter", "heading", "text")
PROBE_DOCS = [
    ("Café chapter", "Gradients everywhere", "The gradients of a smooth function.", ""),
    ("Descent", "Steepest descent", "A bowl with a ripple: follow the negative slope.",
     "nabla ∇"),
    ("Descent", "Ripples", "A ripple on the surface.", ""),
    ("Descent", "Convergence", "The iterates converge when the step is small.", ""),
    ("Saddles", "Saddle points", "A point where the slope vanishes.", ""),
    ("Saddles", "Level sets", "Near a saddle the level sets cross at the saddle.", ""),
]


def shown_rows(docs: list[dict]) -> list[list]:
    return [[doc[key] for key in SHOWN] for doc in docs]


def own_payload(docs: list[dict]) -> dict:
    """The prototype: sorted terms, and per term (document delta, weight) pairs."""
    weights: dict[str, dict[int, int]] = defaultdict(dict)
    for doc in docs:
        for field, boost in BOOSTS.items():
            for term in term_rules(str(doc[field])):
                per_doc = weights[term]
                per_doc[doc["id"]] = per_doc.get(doc["id"], 0) + boost
    terms = sorted(weights)
    postings = []
    for term in terms:
        flat, previous = [], 0
        for doc_id, weight in sorted(weights[term].items()):
            flat += [doc_id - previous, weight]
            previous = doc_id
        postings.append(flat)
    return {"docs": shown_rows(docs), "terms": terms, "postings": postings}


def lunr_payload(docs: list[dict]) -> dict:
    from lunr import lunr  # the PyPI port: optional, for this benchmark only

    fields = [{"field_name": field, "boost": boost} for field, boost in BOOSTS.items()]
    index = lunr(ref="id", fields=fields,
                 documents=[{**doc, "id": str(doc["id"])} for doc in docs])
    return {"docs": shown_rows(docs), "index": index.serialize()}


def node(*args: str) -> dict:
    done = subprocess.run(["node", str(NODE_SIDE), *args], check=True, capture_output=True,
                          text=True, cwd=ROOT)
    return json.loads(done.stdout)


def write_payloads(docs: list[dict], folder: Path) -> None:
    """``NAME.payload.json`` (for node) and ``NAME.index.js`` (for the page) of each engine."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "docs.json").write_text(json.dumps(docs), encoding="utf-8")
    payloads = {"lunr": lunr_payload(docs), "own": own_payload(docs)}
    node("index", str(folder / "docs.json"), str(folder))
    for name in ("minisearch", "flexsearch"):
        index = json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))
        payloads[name] = {"index": index}
    for name, payload in payloads.items():
        text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
        (folder / f"{name}.payload.json").write_text(text, encoding="utf-8")
        (folder / f"{name}.index.js").write_text(f"window.benchIndex={text};\n", encoding="utf-8")


def sizes(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    return len(data), len(gzip.compress(data, compresslevel=9, mtime=0))


def parity(docs: list[dict], folder: Path) -> dict[str, str]:
    """How many of the course's words (split at spaces) get other terms in Python than in
    the browser: our rules, and lunr's trimmer and stemmer (the Python port's, lunr.js's)."""
    from lunr.stemmer import stemmer
    from lunr.token import Token
    from lunr.trimmer import trimmer

    def lunr_term(word: str) -> str:
        return str(stemmer(trimmer(Token(word.lower()))))

    vocabulary = sorted({word for doc in docs for field in BOOSTS
                         for word in str(doc[field]).split()})
    (folder / "words.json").write_text(json.dumps(vocabulary), encoding="utf-8")
    js = node("terms", str(folder / "words.json"))
    own = sum(" ".join(term_rules(word)) != got for word, got in zip(vocabulary, js["own"],
                                                                     strict=True))
    lunr = sum(lunr_term(word) != got for word, got in zip(vocabulary, js["lunr"],
                                                                  strict=True))
    total = len(vocabulary)
    return {"own": f"{own} of {total} words differ", "lunr": f"{lunr} of {total} words differ",
            "minisearch": "built in node: no Python side",
            "flexsearch": "built in node: no Python side"}


def probe_features(folder: Path) -> dict:
    docs = [{"id": i, "url": f"p{i}.html", "anchor": "", "position": "1.1", "chapter": chapter,
             "heading": heading, "text": text, "terms": terms}
            for i, (chapter, heading, text, terms) in enumerate(PROBE_DOCS)]
    write_payloads(docs, folder)
    return node("probe", str(folder))


def own_engine_code() -> bytes:
    """The prototype's code: its part of adapters.js (between the markers) and terms.js,
    the term rules it shares with the Python side."""
    adapters = (HERE / "search_engines" / "adapters.js").read_text(encoding="utf-8")
    part = adapters.split("// own engine: from here")[1].split("// own engine: to here")[0]
    terms = (HERE / "search_engines" / "terms.js").read_text(encoding="utf-8")
    return (part + terms).encode()


def gradsite_engine(root: Path, docs: list[dict], folder: Path) -> None:
    """gradsite's own engine from the checkout at ``root``: its index script, built by its
    Python from the benchmark's documents, and its engine's two scripts as one file."""
    sys.path.insert(0, str(root))
    from gradsite.search.documents import SearchDocument
    from gradsite.search.index import document_terms, index_script, index_text

    indexed = [document_terms(SearchDocument(
        url=str(doc["url"]), anchor=str(doc["anchor"]), position=str(doc["position"]),
        chapter=str(doc["chapter"]), heading=str(doc["heading"]), text=str(doc["text"]),
        terms_text=str(doc["terms"]))) for doc in docs]
    (folder / "gradsite.index.js").write_bytes(index_script(index_text(indexed)))
    scripts = root / "templates" / "assets" / "js"
    engine = folder / "gradsite-search.js"
    engine.write_bytes(b"\n".join((scripts / name).read_bytes()
                                  for name in ("search-terms.js", "search-engine.js")))
    LIBRARIES["gradsite"] = [engine]


def median(values: list[float]) -> float:
    return statistics.median(values) if values else math.nan


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chapters", type=int, default=160)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--out", type=Path, default=HERE / "out" / "search")
    parser.add_argument("--json", type=Path, help="also write every measurement here")
    parser.add_argument("--gradsite-engine", type=Path, metavar="CHECKOUT",
                        help="also measure the engine of the gradsite checkout CHECKOUT")
    add_generator_argument(parser)
    args = parser.parse_args()

    course = args.out / "course"
    load_generator(args.generator).write_course(str(course), chapters=args.chapters, k=2,
                                                flavor="plain")
    docs = course_documents(course)
    folder = args.out / "indexes"
    write_payloads(docs, folder)
    features = probe_features(args.out / "probe")
    agree = parity(docs, folder)
    if args.gradsite_engine:
        gradsite_engine(args.gradsite_engine, docs, folder)
    engines = list(LIBRARIES)
    timings = measure_in_chromium(engines, folder, LIBRARIES, args.runs)

    print(f"{args.chapters} chapters, {len(docs)} documents, {args.runs} runs, medians\n")
    print("| engine | index | gzipped | library | gzipped | load (scripts + ready) "
          "| first query | keystroke median | p95 | max |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for name in engines:
        index_bytes, index_gz = sizes(folder / f"{name}.index.js")
        library = (own_engine_code() if name == "own"
                   else b"".join(path.read_bytes() for path in LIBRARIES[name]))
        runs = timings[name]
        print(f"| {name} | {index_bytes / 1e6:.2f} MB | {index_gz / 1e3:.0f} kB "
              f"| {len(library) / 1e3:.1f} kB "
              f"| {len(gzip.compress(library, 9, mtime=0)) / 1e3:.1f} kB "
              f"| {median([r['load'] for r in runs]):.0f} ms "
              f"({median([r['scripts'] for r in runs]):.0f} + "
              f"{median([r['deserialize'] for r in runs]):.0f}) "
              f"| {median([r['first'] for r in runs]):.1f} ms "
              f"| {median([r['keyMedian'] for r in runs]):.1f} ms "
              f"| {median([r['keyP95'] for r in runs]):.1f} ms "
              f"| {median([r['keyMax'] for r in runs]):.1f} ms |")
    print("\ntop 3 for 'steepest descent' (first run):")
    for name in engines:
        print(f"- {name}: {timings[name][0]['top']['steepest descent']}")
    print("\nfeatures (first hit's heading as expected):")
    for name in features:
        found = ", ".join(f"{probe['feature']} {'yes' if probe['ok'] else 'NO'}"
                          for probe in features[name])
        print(f"- {name}: {found}; Python/JS terms: {agree[name]}")
    if args.json:
        args.json.write_text(json.dumps({"timings": timings, "features": features,
                                         "parity": agree}, indent=1), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
