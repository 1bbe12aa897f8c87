"""The expression language's vocabulary: its functions, constants and limits.

Spec section 3 names exactly what an expression may contain. This module holds
that whitelist as tables (one entry per function, with its arity and its numpy
implementation), the hints for the mistakes authors make most (``np.sin``,
``x^2``, ``2x``), and :class:`ExprError`, the one exception that parsing and
compiling raise for an author's mistake. Callers turn it into a Diagnostic
with the file, line and key path (declare.py, answers.py).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

# name -> (number of arguments, numpy implementation). The spec's list, in its order.
FUNCTIONS: dict[str, tuple[int, Callable[..., np.ndarray]]] = {
    "sin": (1, np.sin),
    "cos": (1, np.cos),
    "tan": (1, np.tan),
    "arcsin": (1, np.arcsin),
    "arccos": (1, np.arccos),
    "arctan": (1, np.arctan),
    "sinh": (1, np.sinh),
    "cosh": (1, np.cosh),
    "tanh": (1, np.tanh),
    "exp": (1, np.exp),
    "log": (1, np.log),
    "log2": (1, np.log2),
    "log10": (1, np.log10),
    "sqrt": (1, np.sqrt),
    "abs": (1, np.abs),
    "minimum": (2, np.minimum),
    "maximum": (2, np.maximum),
    "where": (3, np.where),
}

CONSTANTS: dict[str, float] = {"pi": float(np.pi), "e": float(np.e)}

# The variables a function has when its declaration gives no `vars` (spec section 3).
DEFAULT_VARIABLES = ("x", "y", "z")

# Every name the language gives a meaning; a variable may not take one of them.
LANGUAGE_NAMES = frozenset(FUNCTIONS) | frozenset(CONSTANTS)

# Limits that keep a hostile or mistaken expression from stalling the build.
# Numbers are float64, so `9**9**9` overflows to inf at once instead of
# computing a huge integer; constant parts are folded at compile time and an
# overflow there is an error (compile.py).
MAX_LENGTH = 2000  # characters
MAX_DEPTH = 80  # nesting of the syntax tree

# Names of modules an author may reach for out of Python habit.
MODULE_NAMES = frozenset({"np", "numpy", "math", "scipy", "sympy", "torch", "jnp"})

# Python-spelled functions with a different name in the language.
ALIASES = {
    "arcsin": ("asin",),
    "arccos": ("acos",),
    "arctan": ("atan",),
    "abs": ("fabs", "absolute"),
    "log": ("ln",),
    "minimum": ("min", "fmin"),
    "maximum": ("max", "fmax"),
    "sqrt": ("root",),
}
ALIAS_OF = {alias: name for name, aliases in ALIASES.items() for alias in aliases}


@dataclass
class ExprError(Exception):
    """An author's mistake in an expression, at ``offset`` (0-based, in characters)."""

    message: str
    offset: int = 0
    hint: str = ""

    def __str__(self) -> str:
        return self.message


def suggest(word: str, names: Iterable[str]) -> str:
    """``did you mean 'y'?`` for the closest name, or "" when none is close."""
    close = difflib.get_close_matches(word, sorted(names), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""


def arguments(count: int) -> str:
    return f"{count} argument" + ("" if count == 1 else "s")


def listing(names: Iterable[str]) -> str:
    """``x``, ``x and y``, ``x, y and z``."""
    items = list(names)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
