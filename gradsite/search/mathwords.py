"""Math symbols by their LaTeX names, so that ``nabla`` finds ``∇`` and ``alpha`` finds ``α``.

The names are those of the LaTeX commands that KaTeX draws as each symbol;
the symbols are read from the formulas' MathML, so a course macro's symbols
are found too. A letter or digit needs no name: it is a term of its own.
"""

from __future__ import annotations

import html
import re

_GREEK = (
    "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho "
    "- sigma tau upsilon phi chi psi omega"
).split()
# LaTeX name of each symbol. Where KaTeX draws two commands alike, the first is kept.
SYMBOL_NAMES: dict[str, str] = {
    **{chr(0x3B1 + i): name for i, name in enumerate(_GREEK) if name != "-"},
    **{chr(0x391 + i): name for i, name in enumerate(_GREEK) if name != "-"},
    "\u03f5": "epsilon", "\u03b5": "varepsilon", "\u03d1": "vartheta", "\u03d5": "phi",
    "\u03c6": "varphi", "\u03f1": "varrho", "\u03c2": "varsigma", "\u03d6": "varpi",
    "\u03f0": "varkappa",
    "\u2207": "nabla", "\u2202": "partial", "\u2211": "sum", "\u220f": "prod", "\u222b": "int",
    "\u222e": "oint", "\u221e": "infty", "\u2264": "leq", "\u2265": "geq", "\u2260": "neq",
    "\u2248": "approx", "\u223c": "sim", "\u2243": "simeq", "\u2245": "cong", "\u2261": "equiv",
    "\u221d": "propto", "\u2208": "in", "\u2209": "notin", "\u220b": "ni", "\u2282": "subset",
    "\u2286": "subseteq", "\u2283": "supset", "\u2287": "supseteq", "\u222a": "cup",
    "\u2229": "cap", "\u2205": "emptyset", "\u2200": "forall", "\u2203": "exists",
    "\u00ac": "neg", "\u2227": "wedge", "\u2228": "vee", "\u2192": "rightarrow",
    "\u27f6": "longrightarrow", "\u2190": "leftarrow",
    "\u21a6": "mapsto", "\u21d2": "implies", "\u21d4": "iff", "\u27f9": "implies",
    "\u27fa": "iff", "\u00d7": "times", "\u00f7": "div", "\u22c5": "cdot", "\u00b7": "cdot",
    "\u00b1": "pm", "\u2213": "mp", "\u2218": "circ", "\u2297": "otimes", "\u2295": "oplus",
    "\u2299": "odot", "\u22c6": "star", "\u2217": "ast", "\u221a": "sqrt", "\u27e8": "langle",
    "\u27e9": "rangle", "\u2016": "vert", "\u2225": "parallel", "\u22a4": "top",
    "\u22a5": "perp", "\u2113": "ell", "\u210f": "hbar", "\u2032": "prime", "\u22ef": "cdots",
    "\u2026": "ldots", "\u22ee": "vdots", "\u22f1": "ddots", "\u230a": "lfloor",
    "\u230b": "rfloor", "\u2308": "lceil", "\u2309": "rceil", "\u2220": "angle",
    "\u2216": "setminus", "\u226a": "ll", "\u226b": "gg", "\u227a": "prec", "\u227b": "succ",
    "\u2aaf": "preceq", "\u2ab0": "succeq", "\u2020": "dagger",
    "\u2a01": "bigoplus", "\u22c3": "bigcup", "\u22c2": "bigcap", "\u25b3": "triangle",
    "\u2206": "triangle",
    "\u2033": "prime",
}
_LEAF_TEXT = re.compile(r">([^<]+)<")


def symbol_names(formulas: list[str]) -> list[str]:
    """The names of the symbols in the given ``<math>`` elements, in order, each once."""
    names: dict[str, None] = {}
    for formula in formulas:
        for text in _LEAF_TEXT.findall(formula):
            for char in html.unescape(text):
                name = SYMBOL_NAMES.get(char)
                if name:
                    names[name] = None
    return list(names)
