"""Search: what a built course's index holds, its terms, its bytes, and the engine
answering from it.

The engine's own rules are tested under Node (tests/js/search-*.test.js); here
the index that a build writes is read back, and once run with the real
engine, as a page would load both scripts.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from gradsite.model import RenderedChapter
from gradsite.search.documents import SearchDocument
from gradsite.search.index import chapter_share, document_terms, index_text, posting_weight
from gradsite.search.join import IndexedChapter, JoinedIndex, js_order
from gradsite.search.terms import normalize_terms, stem
from tests.coursekit import chapter, make_course

ROOT = Path(__file__).resolve().parent.parent
CASES = json.loads((ROOT / "tests" / "js" / "search-terms-cases.json").read_text("utf-8"))
PREFIX = "window.gradsiteSearchData = "

BODY = r"""Opening words about hillsides.

## The update rule {#update}

Step against the gradient: $\mathbf{x}_{k+1} = \mathbf{x}_k - \alpha \nabla f(\mathbf{x}_k)$.

!!! theorem "Descent lemma" {#thm-descent}
    Each step lowers the loss by a sufficient decrease.

!!! note
    An admonition about curvature.

!!! exercise "Try it" {#ex-try}
    Compute one step by hand.

    !!! solution
        The secret answer is seventeen.

```python
codelisting = compute_something()
```

### A smaller heading

Text under the smaller heading with $\partial_x g \le 3$, for an $L$-smooth $g$.
"""

QUIZ = [{
    "id": "pick",
    "question": "Which symbol names the gradient?",
    "choices": [
        {"text": "Nabla $\\nabla$", "correct": True},
        {"text": "Delta $\\Delta$", "feedback": "A forbidden feedback remark."},
    ],
    "explanation": "An unseen explanation sentence.",
}]


def _payload(site_dir: Path) -> dict:
    script = (site_dir / "assets" / "search-index.js").read_text("utf-8")
    line = next(line for line in script.splitlines() if line.startswith(PREFIX))
    return json.loads(line[len(PREFIX):].rstrip(";"))


def _documents(payload: dict) -> list[dict]:
    return [{"url": payload["pages"][page][0], "position": payload["pages"][page][1],
             "chapter": payload["pages"][page][2], "anchor": anchor, "heading": heading,
             "text": text} for page, anchor, heading, text, _ in payload["docs"]]


def _terms_of(payload: dict, number: int) -> set[str]:
    """The terms whose postings hold document ``number``."""
    found = set()
    for term, flat in zip(payload["terms"], payload["postings"], strict=True):
        doc = 0
        for gap in flat[0::2]:
            doc += gap
            if doc == number:
                found.add(term)
    return found


COURSE = {
    "01-basics/_section.yml": "title: Basic Ideas\n",
    "01-basics/01-descent.md": chapter("Descent with $\\nabla$", BODY, summary="Going downhill.",
                                       quiz=QUIZ),
    "01-basics/02-later.md": chapter("Later Work", "Unfinished musings.\n", draft=True),
}


@pytest.fixture
def built(site: Callable[..., Path]) -> Path:
    return site(COURSE)


def test_a_chapter_is_cut_at_its_headings_with_the_contracts_fields(built: Path) -> None:
    payload = _payload(built)
    docs = _documents(payload)
    assert [(d["anchor"], d["heading"]) for d in docs] == [
        ("", ""), ("update", "The update rule"), ("a-smaller-heading", "A smaller heading"),
        ("quiz-heading", "Check your understanding")]
    top = docs[0]
    assert top["url"] == "basics/descent.html" and top["position"] == "1.1"
    assert top["chapter"] == "Descent with ∇"
    assert top["text"] == "Going downhill. Opening words about hillsides."


def test_prose_blocks_and_questions_are_indexed_but_no_solution_answer_or_code(
        built: Path) -> None:
    docs = _documents(_payload(built))
    update = docs[1]["text"]
    for shown in ("Step against the gradient", "Theorem 1.1.1 (Descent lemma)",
                  "sufficient decrease", "An admonition about curvature",
                  "Compute one step by hand"):
        assert shown in update
    question = docs[3]["text"]
    assert "Which symbol names the gradient?" in question
    assert "Nabla ∇" in question and "Delta Δ" in question
    everything = " ".join(d["text"] for d in docs)
    for hidden in ("seventeen", "Show solution", "codelisting", "forbidden feedback",
                   "unseen explanation", "Show answer", "Check", "Select the correct answer"):
        assert hidden not in everything, hidden


def test_math_reads_as_linear_text_and_is_found_by_symbols_and_names(built: Path) -> None:
    payload = _payload(built)
    docs = _documents(payload)
    assert "𝐱_(k + 1) = 𝐱_k − α∇f(𝐱_k)" in docs[1]["text"]
    assert docs[2]["text"].endswith("∂_x g ≤ 3, for an L-smooth g.")  # no space added
    update_terms = _terms_of(payload, 1)
    assert {"nabla", "∇", "alpha", "α", "x", "f"} <= update_terms
    assert {"partial", "∂", "leq", "≤"} <= _terms_of(payload, 2)
    # The chapter's title math and its section's title belong to its top document.
    assert {"nabla", "∇", "basic", "idea", "descent"} <= _terms_of(payload, 0)
    assert payload["symbols"]["nabla"] == "∇" and payload["symbols"]["alpha"] == "α"


def test_drafts_are_indexed_only_when_the_build_includes_them(
        site: Callable[..., Path], tmp_path: Path) -> None:
    without = _documents(_payload(site(COURSE)))
    assert "musings" not in json.dumps(without)
    shutil.rmtree(tmp_path / "_site")
    with_drafts = _documents(_payload(site(COURSE, include_drafts=True)))
    assert [d["chapter"] for d in with_drafts if "Unfinished musings." in d["text"]] == [
        "Later Work"]


def test_the_index_and_the_engine_are_the_same_bytes_on_every_build(
        site: Callable[..., Path], tmp_path: Path) -> None:
    first = site(COURSE)
    kept = tmp_path / "first"
    shutil.copytree(first, kept)
    shutil.rmtree(tmp_path / "_site")
    shutil.rmtree(tmp_path / ".gradsite-cache", ignore_errors=True)
    second = site(COURSE)
    for name in ("search-index.js", "search.js"):
        assert (kept / "assets" / name).read_bytes() == (second / "assets" / name).read_bytes()
    # The pages do not load search themselves: the header's field does, on first use.
    page = (second / "basics" / "descent.html").read_text("utf-8")
    assert "search-index.js" not in page


def test_terms_are_sorted_as_javascript_sorts_and_postings_decode_to_weights() -> None:
    docs = [SearchDocument("a.html", "", "1.1", "Zeta 𝔸", "", "apple zeta zeta é"),
            SearchDocument("a.html", "h", "1.1", "Zeta 𝔸", "Apple", "ﬀ 𝟙 apple")]
    payload = json.loads(index_text([document_terms(d) for d in docs]))
    terms = payload["terms"]
    assert terms == sorted(terms, key=js_order)
    assert terms == sorted(terms, key=lambda t: [ord(u) for u in t.encode("utf-16-be")
                                                 .decode("latin-1")])
    weights = {}
    for term, flat in zip(terms, payload["postings"], strict=True):
        doc = 0
        for gap, weight in zip(flat[0::2], flat[1::2], strict=True):
            doc += gap
            weights[(term, doc)] = weight
    assert weights[("zeta", 0)] == posting_weight(2, False, True)
    assert weights[("appl", 1)] == posting_weight(1, True, False)
    assert weights[("appl", 0)] == posting_weight(1, False, False)
    assert ("zeta", 1) not in weights  # the title counts in the chapter's top document only
    assert payload["docs"][1] == [0, "h", "Apple", "ﬀ 𝟙 apple", 3]


def _share(url: str, position: str, *texts: str) -> IndexedChapter:
    """A chapter's share of the index: its top document, then one per further text."""
    return chapter_share([document_terms(SearchDocument(
        url, f"h{number}" if number else "", position, f"Chapter {position}",
        f"Heading {number}" if number else "", text)) for number, text in enumerate(texts)])


def test_an_index_updated_chapter_by_chapter_is_the_index_joined_from_nothing() -> None:
    chapters = [_share(f"c{n}.html", f"1.{n}", f"common words of chapter {n} alpha",
                       f"more common prose {n}") for n in range(6)]
    edits = [
        (2, _share("c2.html", "1.2", "common words edited", "more common prose 2")),
        (0, _share("c0.html", "1.0", "a brandnew term only here")),  # one document fewer
        (4, _share("c4.html", "1.4", "common", "prose", "a third document", "∇ nabla")),
        (2, _share("c2.html", "1.2", "nothing shared")),  # "edited" leaves the index
        (5, _share("c5.html", "1.5", "zzz")),
        (0, chapters[0]),  # back as it was
    ]
    joined = JoinedIndex()
    joined.update(chapters)
    assert not joined.update(list(chapters))  # the same chapters: nothing to do
    for number, share in edits:
        chapters[number] = share
        assert joined.update(chapters)
        fresh = JoinedIndex()
        fresh.update(chapters)
        assert joined.json() == fresh.json(), (number, share)
    # Chapters added, removed and moved join from nothing, to the same text.
    for changed in (chapters + [_share("c6.html", "1.6", "appended")], chapters[1:],
                    chapters[::-1]):
        joined.update(changed)
        fresh = JoinedIndex()
        fresh.update(changed)
        assert joined.json() == fresh.json()
    payload = json.loads(joined.json())
    assert payload["terms"] == sorted(payload["terms"], key=js_order)


def test_a_rebuild_cuts_only_the_edited_chapter_and_a_new_process_none(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import gradsite.search.index
    from gradsite.pipeline import BuildOptions, build

    cut: list[str] = []
    real = gradsite.search.index.chapter_documents

    def counting(rendered: RenderedChapter, url: str, *rest: Any) -> Any:
        cut.append(url)
        return real(rendered, url, *rest)

    monkeypatch.setattr(gradsite.search.index, "chapter_documents", counting)
    content = make_course(tmp_path, {
        "01-a/01-one.md": chapter("One", "First chapter's prose.\n"),
        "01-a/02-two.md": chapter("Two", "Second chapter's prose.\n"),
        "01-a/03-three.md": chapter("Three", "Third chapter's prose.\n"),
    })
    options = BuildOptions(content=content, out=tmp_path / "_site",
                           cache_dir=tmp_path / "cache", quiet=True)
    build(options)
    assert sorted(cut) == ["a/one.html", "a/three.html", "a/two.html"]
    first = (tmp_path / "_site" / "assets" / "search-index.js").read_bytes()
    cut.clear()
    two = content / "01-a/02-two.md"
    two.write_text(two.read_text().replace("Second", "Edited"))
    build(options)  # as serve rebuilds: in the same process
    assert cut == ["a/two.html"]
    assert "Edited chapter" in _documents(_payload(tmp_path / "_site"))[1]["text"]
    cut.clear()
    two.write_text(two.read_text().replace("Edited", "Second"))
    monkeypatch.setattr(gradsite.search.index, "_last", None)  # as a new process starts
    build(options)
    assert cut == []  # every chapter's share from the build cache
    assert (tmp_path / "_site" / "assets" / "search-index.js").read_bytes() == first


def test_chapters_are_indexed_while_cells_run_and_again_if_they_render_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import gradsite.pipeline
    import gradsite.search.index
    from gradsite.pipeline import BuildOptions, build

    events: list[str] = []
    real_cut = gradsite.search.index.chapter_documents
    real_file = gradsite.pipeline.search_index_file

    def counting(rendered: RenderedChapter, url: str, *rest: Any) -> Any:
        final = "Figure\u00a01.1.3" in rendered.body_html
        events.append(f"{url} ({'final' if final else 'first'})")
        return real_cut(rendered, url, *rest)

    def index_file(*args: Any) -> Any:
        events.append("index file")
        return real_file(*args)

    monkeypatch.setattr(gradsite.search.index, "chapter_documents", counting)
    monkeypatch.setattr(gradsite.pipeline, "search_index_file", index_file)
    monkeypatch.setattr(gradsite.search.index, "_last", None)
    # Until one's cells have run, fig-next reads as Figure 1.1.2: one figure a cell.
    two_figures = ("```{python}\n#| id: fig-pair\n#| caption: Two views.\n"
                   "import matplotlib.pyplot as plt\nplt.figure(); plt.plot([0, 1])\n"
                   "plt.figure(); plt.plot([1, 0])\n```\n\n"
                   "```{python}\n#| id: fig-next\n#| caption: The next one.\n"
                   "plt.figure(); plt.plot([0, 0])\n```\n")
    content = make_course(tmp_path, {
        "01-a/01-one.md": chapter("One", two_figures),
        "01-a/02-two.md": chapter("Two", "See [](#fig-next) above.\n"),
        "01-a/03-three.md": chapter("Three", "Nothing to number here.\n"),
    })
    build(BuildOptions(content=content, out=tmp_path / "_site", cache_dir=None, quiet=True))
    made_ahead = events[:events.index("index file")]
    assert sorted(made_ahead) == ["a/one.html (first)", "a/three.html (first)",
                                  "a/two.html (first)"]
    # Two rendered again with the figure's final number: its share too, and no other.
    assert events[events.index("index file") + 1:] == ["a/two.html (final)"]
    two = next(d for d in _documents(_payload(tmp_path / "_site")) if d["chapter"] == "Two")
    assert "Figure 1.1.3" in two["text"]


def test_python_terms_match_the_cases_the_engine_is_tested_on() -> None:
    for word, stemmed in CASES["stems"].items():
        assert stem(word) == stemmed, word
    for text, terms in CASES["texts"].items():
        assert normalize_terms(text) == terms, text


_QUERY_A_SITE = r"""
const vm = require("node:vm");
const fs = require("node:fs");
const [site, ...queries] = process.argv.slice(1);
const page = {};
page.window = page;
const context = vm.createContext(page);
// The index first, then the engine: a page may get them in either order.
vm.runInContext(fs.readFileSync(site + "/assets/search-index.js", "utf8"), context);
vm.runInContext(fs.readFileSync(site + "/assets/search.js", "utf8"), context);
console.log(JSON.stringify(queries.map((q) => page.GradsiteSearch.query(q, 5))));
"""


def test_the_built_engine_answers_from_the_built_index(built: Path) -> None:
    node = shutil.which("node")
    if node is None:
        pytest.fail("the search engine's tests need Node 20 or newer (apt-get install nodejs)",
                    pytrace=False)
    queries = ["nabla", "∇f", "Gradients", "hillsid", "smaller head", "seventeen"]
    run = subprocess.run([node, "-e", _QUERY_A_SITE, str(built), *queries],
                         capture_output=True, text=True, timeout=60, check=False)
    assert run.returncode == 0, run.stderr
    nabla, symbol, gradients, typing, two_words, solution = json.loads(run.stdout)
    assert {r["anchor"] for r in nabla} == {"", "update", "quiz-heading"}
    assert all("∇" in r["terms"] for r in nabla)  # the snippet marks the symbol too
    assert [r["anchor"] for r in symbol] == ["update"]  # the only ∇ with an f
    assert {r["anchor"] for r in gradients} >= {"update", "quiz-heading"}
    assert [r["anchor"] for r in typing] == [""]
    assert [(r["heading"], r["position"]) for r in two_words] == [("A smaller heading", "1.1")]
    assert solution == []
