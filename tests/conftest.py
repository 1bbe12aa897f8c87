"""Shared fixtures: fixture courses in ``tmp_path``, builds, and a faster math font.

Every test runs with ``tmp_path`` as its working folder, so diagnostics name
files the way an author sees them: ``content/01-a/01-b.md``. The helpers that
write courses and collect diagnostics (``make_course(tmp_path, files)``,
``chapter``, ``load_problems``, ``render_body``, ...) live in ``coursekit.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import gradsite.assets
from gradsite.diagnostics import Diagnostic
from tests.coursekit import build_problems, build_site, make_course

__all__ = ["make_course"]


_real_subset = gradsite.assets.subset_math_font
_font_cache: dict[frozenset[str], bytes] = {}


def _cached_subset(chars: set[str]) -> bytes:
    # Subsetting STIX Two Math takes most of a small build (~0.8 s). The result
    # depends only on the character set, so reuse it across tests: the real
    # subsetter still runs, once per distinct set.
    key = frozenset(chars)
    if key not in _font_cache:
        _font_cache[key] = _real_subset(chars)
    return _font_cache[key]


@pytest.fixture(autouse=True)
def _fast_math_font(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gradsite.assets, "subset_math_font", _cached_subset)


@pytest.fixture
def real_math_font(monkeypatch: pytest.MonkeyPatch) -> None:
    """Subset the math font afresh in this test (for determinism checks)."""
    monkeypatch.setattr(gradsite.assets, "subset_math_font", _real_subset)


@pytest.fixture(autouse=True)
def _work_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def site(tmp_path: Path) -> Callable[..., Path]:
    """``site(files, include_drafts=False)``: build a fixture course; returns ``_site``."""

    def run(files: dict[str, str | bytes | None], include_drafts: bool = False) -> Path:
        content = make_course(tmp_path, files)
        return build_site(content, tmp_path / "_site", include_drafts)

    return run


@pytest.fixture
def failing_build(tmp_path: Path) -> Callable[..., list[Diagnostic]]:
    """``failing_build(files)``: build a course that must fail; returns its diagnostics."""

    def run(files: dict[str, str | bytes | None], include_drafts: bool = False) -> list[Diagnostic]:
        content = make_course(tmp_path, files)
        return build_problems(content, tmp_path / "_site", include_drafts)

    return run
