"""The content-addressed cache: task outputs, rendered chapters, the subset font.

An entry is stored under the hash of everything that changes its result
(plan.py makes the keys). Entries are written to a temporary file and renamed
into place, and carry a checksum that is verified on every read: a corrupt or
half-written entry is a miss (and is removed), never served.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path
from typing import Any

MAGIC = b"gradsite-cache-1\n"


class Cache:
    """``folder`` None: nothing is read or written (builds with ``--no-cache`` still write)."""

    def __init__(self, folder: Path | None, read: bool = True) -> None:
        self.folder = folder
        self.read = read

    def _path(self, key: str) -> Path:
        assert self.folder is not None
        return self.folder / key[:2] / f"{key}.entry"

    def get(self, key: str) -> Any:
        """The value stored under ``key``, or None for a miss (or a damaged entry)."""
        if self.folder is None or not self.read:
            return None
        path = self._path(key)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        head = len(MAGIC) + 32
        if data[: len(MAGIC)] == MAGIC and hashlib.sha256(data[head:]).digest() == data[
            len(MAGIC) : head
        ]:
            try:
                return pickle.loads(data[head:])  # noqa: S301 - our own verified entry
            except Exception:  # noqa: BLE001 - an unreadable entry is a miss
                pass
        path.unlink(missing_ok=True)
        return None

    def put(self, key: str, value: Any) -> None:
        if self.folder is None:
            return
        path = self._path(key)
        payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        data = MAGIC + hashlib.sha256(payload).digest() + payload
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
