"""A build's options, as the command line gives them: plain, frozen, and light to
import (the command line makes them before it knows whether a build is needed)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from .layout import DEFAULT_THEME


@dataclass(frozen=True)
class BuildOptions:
    content: Path
    out: Path
    theme: Path = DEFAULT_THEME
    include_drafts: bool = False
    jobs: int = field(default_factory=lambda: os.cpu_count() or 1)
    cache_dir: Path | None = Path(".gradsite-cache")
    read_cache: bool = True  # False: --no-cache runs every cell (and refreshes the cache)
    quiet: bool = False
    inputs: str = ""  # the inputs' fingerprint, if the caller already took it
    strict: bool = False  # --strict: warnings are errors
