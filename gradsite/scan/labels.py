"""The syntax of labels and of LaTeX's references to them.

The scan reads them in prose and in block headers; the check stage, the resolve
stage and the numbering of a page read the same ones inside formulas.
"""

from __future__ import annotations

import re

LABEL = re.compile(r"^[a-z0-9][a-z0-9_:-]*$")
LABEL_HINT = "a label is a slug: lowercase letters, digits, '-', '_' and ':', e.g. eq-descent"
# \eqref{name} and \ref{name} in prose (in math they are read by the check stage).
PROSE_REFERENCE = re.compile(r"\\(eqref|ref)\{([^{}]*)\}")
# The same commands inside a formula, and the label of a display equation.
MATH_REFERENCE = re.compile(r"\\(eqref|ref)\s*\{([^{}]*)\}")
LABEL_COMMAND = re.compile(r"\\label\s*\{([^{}]*)\}")
