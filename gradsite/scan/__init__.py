"""The pre-Markdown pass: fenced blocks, math spans and link targets, with their lines.

Python-Markdown keeps no source lines, so everything that must be reported as
``path:line`` is found here, on the raw text, before Markdown runs (STYLE.md).
Each fenced block and math span is replaced by a token and put
back as finished HTML after Markdown, so ``_`` and ``*`` in formulas never
meet the emphasis parser (Python-Markdown's HtmlStash idea).

| module | owns |
| --- | --- |
| ``body.py`` | ``scan_body``: the entry, a text split into fenced blocks and prose |
| ``findings.py`` | what a scan finds, and the tokens that stand for blocks |
| ``structure.py`` | the open admonitions and theorem-like blocks, their headers, tables' captions |
| ``fences.py`` | fenced blocks: their kind (cell, plot, quiz, functions, code) and body |
| ``prose.py`` | math spans, bare display environments and prose references |
| ``links.py`` | link targets, and the schemes a link may not use |
| ``labels.py`` | the syntax of labels and of ``\\eqref``/``\\ref`` (check, resolve, render) |
"""

from __future__ import annotations

from .body import scan_body

__all__ = ["scan_body"]
