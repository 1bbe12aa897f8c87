"""Search terms: the words of a text as the index and the query both see them.

The same rules are written again in the site's search engine
(``templates/assets/js/search-terms.js``); tests/test_search_terms.py and
tests/js/search-terms.test.js check both on one list of words
(tests/js/search-terms-cases.json), so a page's words and a reader's query
always meet.

1. Compatibility-decompose (NFKD), lowercase and drop combining marks:
   accents go (``Hölder`` -> ``holder``) and styled math letters become plain
   ones (bold ``𝐱`` -> ``x``, ``ℝ`` -> ``r``). A final sigma reads as a sigma.
2. A term is a run of letters and digits, or one math symbol on its own (a
   character of Unicode's "Sm" or "So" categories beyond ASCII: ``∇``, ``∂``,
   ``≤``), so ``∇f`` is the two terms ``∇`` and ``f``.
3. A word of plain letters a-z loses its English ending (``stem``).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Step 1 of the stemmer: plurals. (ending, replacement, shortest word it applies to)
_PLURALS = (("sses", "ss", 5), ("ies", "y", 5), ("s", "", 4))
_KEEP_S = ("ss", "us", "is")
# Step 2, repeated while one applies: the longest matching ending is replaced,
# if at least MIN_STEM letters remain before the replacement.
_ENDINGS = (
    ("ization", "ize"), ("isation", "ize"), ("ation", "ate"), ("ingly", ""),
    ("ence", ""), ("ance", ""), ("ness", ""), ("edly", ""),
    ("ing", ""), ("ity", ""), ("ize", ""), ("ise", ""), ("ate", ""),
    ("ed", ""), ("ly", ""), ("er", ""), ("iz", ""), ("at", ""), ("e", ""),
)
MIN_STEM = 4
_PLAIN_WORD = re.compile(r"[a-z]+")
_TERM = re.compile(r"[^\W_]+|[^\w\s]", re.UNICODE)


def stem(word: str) -> str:
    """The stem of a lowercase word: ``gradients`` -> ``gradient``, ``converges``
    and ``convergence`` -> ``converg``, ``optimizing`` -> ``optim``. Words of other
    letters than a-z, and short ones, are kept as they are."""
    if not _PLAIN_WORD.fullmatch(word):
        return word
    for ending, replacement, shortest in _PLURALS:
        if word.endswith(ending) and len(word) >= shortest:
            if ending == "s" and word.endswith(_KEEP_S):
                break
            word = word[: len(word) - len(ending)] + replacement
            break
    changed = True
    while changed:
        changed = False
        for ending, replacement in _ENDINGS:
            if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM:
                word = word[: len(word) - len(ending)] + replacement
                changed = True
                break
    return word


def folded(text: str) -> str:
    """Lowercase, without accents, styled letters made plain (rule 1)."""
    if text.isascii():
        return text.lower()
    # Lowercased after decomposing: ℝ decomposes to an uppercase R.
    decomposed = unicodedata.normalize("NFKD", text).lower()
    plain = "".join(c for c in decomposed if not unicodedata.category(c).startswith("M"))
    return plain.replace("\u03c2", "\u03c3")


def is_symbol(char: str) -> bool:
    return ord(char) > 0x7F and unicodedata.category(char) in ("Sm", "So")


def raw_terms(text: str) -> list[str]:
    """The words and math symbols of ``text``, folded, not stemmed."""
    return [t for t in _TERM.findall(folded(text)) if t[0].isalnum() or is_symbol(t)]


def normalize_terms(text: str) -> list[str]:
    """The search terms of ``text``, in order, repeats kept."""
    # No term spans a space, and a course repeats its words: each is worked out once.
    return [term for chunk in text.split() for term in _chunk_terms(chunk)]


@lru_cache(maxsize=1 << 16)
def _chunk_terms(chunk: str) -> tuple[str, ...]:
    return tuple(stem(t) for t in raw_terms(chunk))
