"""gradsite: a static-site generator for math-heavy online courses.

The build is a pipeline (pipeline.py): load -> validate -> scan and render
Markdown -> execute cells -> build page contexts -> render templates -> write.
"""

__version__ = "0.1.0"
