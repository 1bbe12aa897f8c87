"""The content cache (cache.py): entries hold data, never code."""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path, PurePosixPath

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
    # A loaded chapter names its file.
    cache.put("ef" * 32, (tmp_path / "01-a" / "01-b.md", PurePosixPath("a/b.html")))
    assert cache.get("ef" * 32) == (tmp_path / "01-a" / "01-b.md", PurePosixPath("a/b.html"))


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


def test_figures_are_kept_apart_by_the_hash_of_their_bytes(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    sha = cache.put_blob(b"<svg>1</svg>")
    assert sha == hashlib.sha256(b"<svg>1</svg>").hexdigest()
    assert cache.has_blob(sha) and cache.blob(sha) == b"<svg>1</svg>"
    assert cache.put_blob(b"<svg>1</svg>") == sha  # stored once
    # Read even by a build that reads no entry (--no-cache): the hash vouches for it.
    assert Cache(tmp_path, read=False).blob(sha) == b"<svg>1</svg>"
    # Damaged bytes are a miss, and are removed; nothing stored is not found.
    (tmp_path / "blobs" / sha[:2] / sha).write_bytes(b"<svg>2</svg>")
    assert cache.blob(sha) is None and not cache.has_blob(sha)
    assert cache.blob("0" * 64) is None
    # Without a folder, or written to by nobody, nothing is kept: the caller keeps it.
    assert Cache(None).put_blob(b"x") is None and not Cache(None).has_blob(sha)
    assert Cache(tmp_path, write=False).put_blob(b"y") is None
