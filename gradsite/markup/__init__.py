"""HTML of one thing, as pure functions: a formula (KaTeX's MathML, mended), a code
block, cell outputs, questions, function cards, and a whole chapter's Markdown
with its table of contents. The render stage (render.py) calls them; the check
stage uses the math renderer to check LaTeX."""
