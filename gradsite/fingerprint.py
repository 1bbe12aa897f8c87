"""Fingerprints of what a build depends on: the environment and all its inputs.

``environment_key`` (library versions, the figure house style) is part of
every cache key. ``inputs_fingerprint`` hashes everything a build reads, so
the command line can tell, before loading the builder, that a site is
already up to date. Kept free of heavy imports on purpose: that check must
take milliseconds.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from dataclasses import fields, is_dataclass
from functools import cache, lru_cache
from pathlib import Path, PurePath

from . import __version__
from .style import HOUSE_STYLE, PALETTE

PACKAGE = Path(__file__).resolve().parent


def digest(*parts: str) -> str:
    """A sha256 of text parts, separated so that ("ab", "c") and ("a", "bc") differ."""
    hasher = hashlib.sha256()
    for part in parts:
        hasher.update(part.encode("utf-8"))
        hasher.update(b"\x00")
    return hasher.hexdigest()


def canonical(value: object) -> str:
    """``value`` as canonical JSON text, for a cache key: plain values, tuples and
    lists, dicts with text keys (in key order), sets (sorted), paths, and dataclasses
    by their fields' names.

    Anything else is refused, so an object whose ``repr`` changes between
    processes (an address, a set's order) can never slip into a key. The JSON
    encoder does the walking: a chapter's inputs are thousands of values.
    """
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True,
                      default=_plain)


def _plain(value: object) -> object:
    """What JSON cannot encode by itself, as what it can."""
    if is_dataclass(value) and not isinstance(value, type):
        return {"": type(value).__name__,
                **{name: getattr(value, name) for name in _field_names(type(value))}}
    if isinstance(value, frozenset | set):
        return sorted(value, key=canonical)
    if isinstance(value, PurePath):
        return value.as_posix()
    raise TypeError(f"{type(value).__name__} has no canonical form for a cache key")


@cache
def _field_names(kind: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(kind))


@lru_cache(maxsize=1)
def environment_key() -> str:
    """Python's and the libraries' versions, the house style and gradsite's own code:
    a change in any of them may change an output, so every cache key includes this
    (a cache folder restored on another machine, as CI does, is then safe to use).
    Pillow writes matplotlib's PNGs and contourpy traces its contours: their
    versions are matplotlib's choice within a range, and change figures' bytes."""
    return digest("gradsite", __version__, sys.version, installed_version("numpy"),
                   installed_version("matplotlib"), installed_version("pillow"),
                   installed_version("contourpy"), installed_version("pykatex"),
                   installed_version("pygments"), installed_version("markdown"),
                   canonical(HOUSE_STYLE), canonical(PALETTE), _code_digest())


@cache
def installed_version(distribution: str) -> str:
    """The installed version of a distribution, from its ``NAME-VERSION.dist-info``
    folder on ``sys.path``.

    The same answer as ``importlib.metadata.version``, which is kept as the fallback,
    but in a millisecond instead of ~20 ms a package plus 35 ms to import it: every
    build, even one with nothing to do, asks for seven versions.
    """
    wanted = _normalized(distribution)
    for entry in sys.path:
        for folder in _dist_info_folders(entry or "."):
            name, _, found = folder.removesuffix(".dist-info").partition("-")
            if _normalized(name) == wanted and found:
                return found
    from importlib.metadata import version  # not on sys.path as a plain folder

    return version(distribution)


@cache
def _dist_info_folders(entry: str) -> tuple[str, ...]:
    try:
        return tuple(sorted(n for n in os.listdir(entry) if n.endswith(".dist-info")))
    except OSError:
        return ()


def _normalized(name: str) -> str:
    # PEP 503 names: case, "-", "_" and "." do not tell distributions apart.
    return re.sub(r"[-_.]+", "-", name).lower()


def files_digest(root: Path, pattern: str = "*") -> str:
    """A sha256 of the files under ``root`` that match ``pattern``: each one's path
    from ``root`` and the hash of its bytes, in path order (``__pycache__`` left out)."""
    hasher = hashlib.sha256()
    for path in sorted(root.rglob(pattern)):
        rel = path.relative_to(root)
        if path.is_file() and "__pycache__" not in rel.parts:
            hasher.update(f"{rel.as_posix()}\0".encode())
            hasher.update(hashlib.sha256(path.read_bytes()).digest())
    return hasher.hexdigest()


def _code_digest() -> str:
    return files_digest(PACKAGE, "*.py")


def inputs_fingerprint(content: Path, theme: Path, include_drafts: bool) -> str:
    """A hash of the course, the theme, gradsite's own files, the environment and
    the options that change the site."""
    return digest(files_digest(content), files_digest(theme), files_digest(PACKAGE),
                  environment_key(), f"drafts={include_drafts}")
