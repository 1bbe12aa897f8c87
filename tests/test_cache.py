"""The content cache (cache.py): entries hold data, never code."""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path

from gradsite.cache import MAGIC, Cache
from gradsite.execute.jobs import Output


class _Planted:
    """What a forged entry would hold: unpickling it calls a function."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return os.system, (f"touch {self.marker}",)


def _forge(cache: Cache, key: str, value: object) -> Path:
    # Exactly what put() writes, checksum included: the checksum is no defence.
    payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    path = cache.folder / key[:2] / f"{key}.entry"  # type: ignore[operator]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(MAGIC + hashlib.sha256(payload).digest() + payload)
    return path


def test_gradsites_own_data_comes_back(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    value = (Output("figure", b"<svg/>", "svg", 640, 420), Output("text", b"hi\n"))
    cache.put("ab" * 32, value)
    assert cache.get("ab" * 32) == value
    cache.put("cd" * 32, ({"x", "y"}, frozenset({1}), [1.5, None, True], {"k": b"v"}))
    assert cache.get("cd" * 32) == ({"x", "y"}, frozenset({1}), [1.5, None, True], {"k": b"v"})


def test_an_entry_that_would_run_code_is_a_miss_and_runs_nothing(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache")
    marker = tmp_path / "ran"
    key = "ef" * 32
    path = _forge(cache, key, (_Planted(marker),))
    assert cache.get(key) is None
    assert not marker.exists()
    assert not path.exists()  # removed, so the next build writes a good one


def test_an_entry_may_not_name_a_gradsite_function_either(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    key = "01" * 32
    # A module-level function of gradsite is callable: only classes may be named.
    from gradsite import cache as cache_module

    class CallsAFunction:
        def __reduce__(self) -> tuple[object, tuple[bytes]]:
            return cache_module._loads, (b"",)

    _forge(cache, key, CallsAFunction())
    assert cache.get(key) is None
