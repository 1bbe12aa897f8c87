"""The check stage: a loaded course -> checked chapters, with every problem found.

After loading (load.py read each file's YAML and checked its shape), this
stage checks what the chapters mean, without running a cell or rendering a
page: it scans each body for fenced blocks, math and links (scan/),
compiles the declared functions and checks their gradients, computes the
numeric questions' answers, reads the cells' options and syntax and the plot
blocks' options, checks where questions are placed and that labels are
unique, and checks the LaTeX of titles. Its result, one frozen
:class:`~gradsite.model.CheckedChapter` per chapter, is what execution,
rendering, the warnings and ``gradsite check`` all take.

| module | owns |
| --- | --- |
| ``chapters.py`` | ``check_course``: the stage's entry, and the rules that span a chapter |
| ``functions.py`` | declared functions: FunctionDecl -> CompiledFunction, gradient checks |
| ``answers.py`` | numeric questions' computed answers |
| ``cells.py`` | a ``{python}`` cell's ``#|`` options and its syntax |

Plot blocks' options are read by ``plots/spec.py``, beside the code that draws them.
"""

from __future__ import annotations

from .chapters import check_course, checked_key, failed_macros, settings_key

__all__ = ["check_course", "checked_key", "failed_macros", "settings_key"]
