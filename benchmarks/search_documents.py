"""The search documents of a generated course, for benchmarks/search_engines.py.

A simple extraction from the Markdown, written for the benchmark, not gradsite's own
(which works on the parsed chapter): one document for each chapter's top (title and
the prose before the first heading) and one per ``##``/``###`` heading section. Code
fences are dropped; math becomes readable text (``\\nabla`` -> ``∇``) for the snippet
and words plus symbols (``nabla ∇``) in ``terms``, searchable but not shown. The quiz's
question and choices join the chapter's last section; answers are never indexed.

``term_rules`` is the Python side of search_engines/terms.js: the same lower-casing,
accent folding, splitting and suffix stripping, checked against the JS side by the
benchmark on the course's whole vocabulary.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import yaml

# LaTeX commands that name a symbol: searchable by name and by the symbol.
SYMBOLS = {
    "nabla": "∇", "partial": "∂", "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ",
    "eta": "η", "theta": "θ", "lambda": "λ", "mu": "μ", "sigma": "σ", "infty": "∞",
    "approx": "≈", "cdot": "·", "top": "⊤", "to": "→", "leq": "≤", "geq": "≥",
    "sum": "∑", "int": "∫", "dots": "…", "ldots": "…", "cdots": "⋯", "times": "×",
}
# Commands that are words of their own (operators); the rest only lay out.
OPERATORS = {"sin", "cos", "tan", "log", "exp", "lim", "arctan", "max", "min", "det"}
_COMMAND = re.compile(r"\\([A-Za-z]+)|\\\\(\[[^\]]*\])?|\\[,;:! ]|\\\||\\\{|\\\}")
_LAYOUT = re.compile(r"[{}_^&]")
_DISPLAY = re.compile(r"\$\$(.+?)\$\$", re.DOTALL)
_INLINE = re.compile(r"\$([^$\n]+?)\$")
_FENCE = re.compile(r"^```.*?^```\s*$", re.DOTALL | re.MULTILINE)
_HEADING = re.compile(r"^(#{2,3}) (.+)$", re.MULTILINE)
_WORD = re.compile(r"[^\W_]+|[^\w\s]", re.UNICODE)


def math_text(latex: str) -> tuple[str, str]:
    """(readable plain form, search words) of one formula."""
    words: list[str] = []

    def command(found: re.Match[str]) -> str:
        name = found.group(1)
        if name in SYMBOLS:
            words.extend((name, SYMBOLS[name]))
            return SYMBOLS[name]
        if name in OPERATORS:
            words.append(name)
            return f" {name} "
        return " "

    readable = " ".join(_LAYOUT.sub(" ", _COMMAND.sub(command, latex)).split())
    return readable, " ".join(words)


def _prose(markdown: str) -> tuple[str, str]:
    """(plain text with math readable, math's search words) of a stretch of Markdown."""
    extra: list[str] = []

    def formula(found: re.Match[str]) -> str:
        readable, words = math_text(found.group(1))
        extra.append(words)
        return f" {readable} "

    text = _INLINE.sub(formula, _DISPLAY.sub(formula, _FENCE.sub(" ", markdown)))
    return " ".join(text.split()), " ".join(word for word in extra if word)


def _anchor(heading: str) -> str:
    return "-".join(re.findall(r"[a-z0-9]+", heading.lower()))


def course_documents(course: Path) -> list[dict[str, str | int]]:
    """Every search document of the course, in reading order, numbered by ``id``."""
    docs: list[dict[str, str | int]] = []
    for chapter_file in sorted(course.glob("*/*.md")):
        section = int(chapter_file.parent.name.split("-")[0])
        number = int(chapter_file.name.split("-")[0])
        url = (f"{chapter_file.parent.name.split('-', 1)[1]}/"
               f"{chapter_file.stem.split('-', 1)[1]}.html")
        _, front_text, body = chapter_file.read_text(encoding="utf-8").split("---\n", 2)
        front = yaml.safe_load(front_text)
        title, title_terms = _prose(front["title"])
        quiz = " ".join(f"{q['question']} " + " ".join(c["text"] for c in q["choices"])
                        for q in front.get("quiz", []))
        starts = list(_HEADING.finditer(body))
        cuts = [(None, 0)] + [(found, found.end()) for found in starts]
        for i, (found, start) in enumerate(cuts):
            end = starts[i].start() if i < len(starts) else len(body)
            section_text = body[start:end] + (f"\n\n{quiz}" if i == len(cuts) - 1 else "")
            text, terms = _prose(section_text)
            heading, heading_terms = _prose(found.group(2)) if found else ("", "")
            docs.append({
                "id": len(docs), "url": url, "anchor": _anchor(heading),
                "position": f"{section}.{number}", "chapter": title, "heading": heading,
                "text": text, "terms": " ".join(filter(None, (title_terms, heading_terms, terms))),
            })
    return docs


def _stem(word: str) -> str:
    if len(word) <= 3:
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("sses"):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if word.endswith("ing") and len(word) > 5:
        word = word[:-3]
    elif word.endswith("ed") and len(word) > 4:
        word = word[:-2]
    for suffix in ("ence", "ance", "ment", "ly"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            break
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]
    return word


def term_rules(text: str) -> list[str]:
    """The terms of ``text``, as search_engines/terms.js makes them in the browser."""
    folded = "".join(char for char in unicodedata.normalize("NFD", text.lower())
                     if not unicodedata.category(char).startswith("M"))
    words = [word for word in _WORD.findall(folded)
             if word[0].isalnum() or unicodedata.category(word)[0] == "S"]
    return [_stem(word) for word in words]
