"""The content-addressed cache: task outputs, rendered chapters, the subset font.

An entry is stored under the hash of everything that changes its result
(each stage makes the keys of its own results). Entries are written to a temporary file and renamed
into place, and carry a checksum that is verified on every read: a corrupt or
half-written entry is a miss (and is removed), never served.

Entries are pickles, but read back with an unpickler that builds only plain
data and gradsite's own dataclasses: a cache folder that came with a cloned
course (or was planted) cannot run code, as a plain ``pickle.loads`` would
let it. The checksum guards against damage, not against forgery.

Figures are kept apart, as plain files named by the hash of their bytes
(``blobs/``): a cell's entry names its figures, and a build reads their bytes
only if it writes them (a rebuild links a figure from the previous site).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import pickle
import tempfile
from pathlib import Path
from typing import Any

MAGIC = b"gradsite-cache-1\n"
# The only globals an entry may name: gradsite's data classes, a few builtins, and
# paths (a chapter names its file).
_SAFE_GLOBALS = {
    "builtins": frozenset({"set", "frozenset", "complex", "bytearray", "slice", "range"}),
    "pathlib": frozenset({"PosixPath", "WindowsPath", "PurePosixPath", "PureWindowsPath"}),
}


class _DataOnlyUnpickler(pickle.Unpickler):
    # The globals allowed so far: an entry names a dozen, and a build reads thousands.
    allowed: dict[tuple[str, str], Any] = {}

    def find_class(self, module: str, name: str) -> Any:
        found = self.allowed.get((module, name))
        if found is None:
            found = self.allowed[(module, name)] = self._allowed(module, name)
        return found

    def _allowed(self, module: str, name: str) -> Any:
        if name in _SAFE_GLOBALS.get(module, ()):
            return super().find_class(module, name)
        if module.startswith("gradsite.") and not name.startswith("_"):
            found = super().find_class(module, name)
            if isinstance(found, type):  # a class, never a function to call
                return found
        raise pickle.UnpicklingError(f"a cache entry may not refer to {module}.{name}")


def _loads(payload: bytes) -> Any:
    return _DataOnlyUnpickler(io.BytesIO(payload)).load()


class Cache:
    """``folder`` None: nothing is read or written. ``read`` False: nothing is read
    (``--no-cache`` still writes); ``write`` False: nothing is written or removed
    (``gradsite check`` only reads what builds stored)."""

    def __init__(self, folder: Path | None, read: bool = True, write: bool = True) -> None:
        self.folder = folder
        self.read = read
        self.write = write
        # The first write that failed (a full disk, a folder made read-only), with the
        # entry's path: nothing is written after it, and the build reports it.
        self.failure: OSError | None = None

    def _path(self, key: str) -> Path:
        assert self.folder is not None
        return self.folder / key[:2] / f"{key}.entry"

    def get(self, key: str) -> Any:
        """The value stored under ``key``, or None for a miss (or a damaged entry)."""
        if self.folder is None or not self.read:
            return None
        path = self._path(key)
        try:
            # open() rather than Path.read_bytes: a rebuild reads thousands of entries,
            # and pathlib's wrapper costs as much again as the read.
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError:
            return None
        head = len(MAGIC) + 32
        if data[: len(MAGIC)] == MAGIC and hashlib.sha256(data[head:]).digest() == data[
            len(MAGIC) : head
        ]:
            try:
                return _loads(data[head:])
            except Exception:  # noqa: BLE001 - an unreadable or forbidden entry is a miss
                pass
        if self.write:
            path.unlink(missing_ok=True)
        return None

    def put(self, key: str, value: Any) -> None:
        """Store ``value`` under ``key``. Two builds may store one key at once: each
        renames a whole entry into place, and both entries hold the same bytes."""
        if self.folder is None or not self.write or self.failure is not None:
            return
        payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        self._store(self._path(key), MAGIC + hashlib.sha256(payload).digest() + payload)

    def _blob_path(self, sha256: str) -> Path:
        assert self.folder is not None
        return self.folder / "blobs" / sha256[:2] / sha256

    def put_blob(self, data: bytes) -> str | None:
        """Keep ``data`` (a figure) in the store; its sha256, or None where it cannot
        be kept (no cache folder, a read-only cache, a failed write)."""
        if self.folder is None or not self.write or self.failure is not None:
            return None
        sha256 = hashlib.sha256(data).hexdigest()
        path = self._blob_path(sha256)
        if not path.is_file():
            self._store(path, data)
        return sha256 if self.failure is None else None

    def has_blob(self, sha256: str) -> bool:
        """Whether the store holds the bytes of hash ``sha256`` (whole: they are
        renamed into place; damage is found when they are read)."""
        return self.folder is not None and self._blob_path(sha256).is_file()

    def blob(self, sha256: str) -> bytes | None:
        """The bytes of hash ``sha256`` from the store, or None when they are not
        there, or damaged (and then removed). Read even by a build that reads no
        entry (``--no-cache``): bytes checked against their hash cannot be stale."""
        if self.folder is None:
            return None
        path = self._blob_path(sha256)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        if hashlib.sha256(data).hexdigest() == sha256:
            return data
        if self.write:
            path.unlink(missing_ok=True)
        return None

    def _store(self, path: Path, data: bytes) -> None:
        """Write ``data`` as ``path`` whole: a temporary file renamed into place."""
        temp = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(temp, path)
        except OSError as exc:  # the machine's problem, not a bug: kept for the build's report
            _remove(temp)
            if exc.filename is None:  # a failed write() names no file
                exc.filename = str(path)
            self.failure = exc
        except BaseException:
            _remove(temp)
            raise


def _remove(temp: str | None) -> None:
    if temp is not None:
        with contextlib.suppress(OSError):  # a read-only folder keeps it; a miss, never read
            Path(temp).unlink(missing_ok=True)
