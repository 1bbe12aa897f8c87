"""gradsite: a static-site generator for math-heavy online courses.

The build is a pipeline (pipeline.py), one module or package per stage:
load (load.py) -> check (check/) -> resolve (resolve.py) -> execute (execute/)
alongside render (render.py) -> warnings (lint.py) -> pages (site.py,
templates.py, assets.py) -> write (output.py). README.md's module table gives
the layers that imports follow.
"""

__version__ = "0.1.0"
