"""Where the benchmarks find the shared synthetic-course generator, and how they load it.

The generator (``gen_course.py``) is shared with other projects' benchmarks and lives
beside the repository, in ``../shared/bench/``. It is a script, not a package, so it is
loaded from its path; ``--generator`` points a benchmark at another copy.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_GENERATOR = ROOT.parent / "shared" / "bench" / "gen_course.py"


def add_generator_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--generator", type=Path, default=DEFAULT_GENERATOR,
                        help="the course generator (default: ../shared/bench/gen_course.py)")


def load_generator(path: Path = DEFAULT_GENERATOR) -> ModuleType:
    """The generator module at ``path``: ``write_course``, ``figure_snippets``, ..."""
    if not path.is_file():
        sys.exit(f"the course generator is not at {path}: pass --generator PATH")
    spec = importlib.util.spec_from_file_location("gen_course", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
