"""Writing the site: the output plan, its checks, and the swap into place.

The writer owns the output guarantees (STYLE.md, practice 9): no two files on
one path, no path outside the output folder, the site is written to a
temporary folder beside the output and swapped in only when complete, and a
folder gradsite did not make is never replaced.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path, PurePosixPath

from .diagnostics import BuildFailed, Location, error
from .model import OutputFile

MARKER = ".gradsite-site"
MARKER_TEXT = "This folder is made by gradsite and replaced on every build.\n"
_TEMP_PREFIX = ".gradsite-tmp-"
_OLD_PREFIX = ".gradsite-old-"


def check_output_folder(out: Path, content: Path) -> None:
    """Refuse an output folder that would overwrite the content or a folder not ours."""
    out, content = out.resolve(), content.resolve()
    shown = Location(str(out))
    if out == content or content.is_relative_to(out) or out.is_relative_to(content):
        raise BuildFailed([error(shown, "the output folder overlaps the content folder",
                                 "write the site to a folder of its own, such as _site")])
    if out.exists():
        if not out.is_dir():
            raise BuildFailed([error(shown, "the output path exists and is not a folder")])
        if any(out.iterdir()) and not (out / MARKER).is_file():
            raise BuildFailed([error(shown, "refusing to replace a folder that gradsite did not "
                                     "make", "choose an empty or new folder with --out, or "
                                     "delete this one yourself")])


def plan_paths(files: list[OutputFile]) -> dict[str, OutputFile]:
    """Check every output path: relative, inside the folder, and used once."""
    planned: dict[str, OutputFile] = {}
    for item in files:
        path = PurePosixPath(item.path)
        if path.is_absolute() or ".." in path.parts or not path.parts or item.path == MARKER:
            raise BuildFailed([error(Location(item.path), "a file would be written outside "
                                     "the output folder")])
        if item.path in planned:
            raise BuildFailed([error(Location(item.path), "two files would be written to the "
                                     "same path in the site", "rename one of the sources")])
        planned[item.path] = item
    return planned


def write_site(files: list[OutputFile], out: Path, inputs: str = "") -> None:
    """Write every file to a fresh folder beside ``out``, then swap it in.

    The marker names the fingerprint of the inputs and the hash of every file,
    so the next build can tell that nothing changed (``site_is_current``).
    """
    planned = plan_paths(files)
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    clean_stale(out)
    temp = Path(tempfile.mkdtemp(prefix=_TEMP_PREFIX + out.name + "-", dir=out.parent))
    try:
        for rel in sorted(planned):
            target = temp / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(planned[rel].data)
        manifest = {rel: hashlib.sha256(item.data).hexdigest() for rel, item in planned.items()}
        stamp = json.dumps({"inputs": inputs, "files": manifest}, sort_keys=True)
        (temp / MARKER).write_text(MARKER_TEXT + stamp + "\n", encoding="utf-8")
        os.chmod(temp, 0o755)
        _swap(temp, out)
    except OSError as exc:  # a full disk, a permission: the author's machine, not a bug
        shutil.rmtree(temp, ignore_errors=True)
        where = Location(exc.filename or str(out))
        raise BuildFailed([error(where, f"cannot write the site: {exc.strerror or exc}",
                                 "the previous site was left as it was")]) from exc
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise


def site_is_current(out: Path, inputs: str) -> bool:
    """True when ``out`` was built from these inputs and no file of it was changed since."""
    try:
        text = (out / MARKER).read_text(encoding="utf-8")
        stamp = json.loads(text[len(MARKER_TEXT):])
        if not inputs or stamp.get("inputs") != inputs:
            return False
        files = stamp["files"]
        present = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
        if present != set(files) | {MARKER}:
            return False
        return all(hashlib.sha256((out / rel).read_bytes()).hexdigest() == digest
                   for rel, digest in files.items())
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return False


def _swap(temp: Path, out: Path) -> None:
    if not out.exists():
        temp.rename(out)
        return
    old = Path(tempfile.mkdtemp(prefix=_OLD_PREFIX + out.name + "-", dir=out.parent))
    old.rmdir()
    out.rename(old)
    try:
        temp.rename(out)
    except BaseException:
        old.rename(out)  # put the previous site back
        raise
    shutil.rmtree(old, ignore_errors=True)


def clean_stale(out: Path) -> None:
    """Remove temp and old folders that a killed build left beside ``out``."""
    if not out.parent.is_dir():
        return
    for entry in sorted(out.parent.iterdir()):
        # A build killed mid-swap moved the previous site aside: put it back.
        old = entry.name.startswith(_OLD_PREFIX + out.name + "-")
        if old and not out.exists() and (entry / MARKER).is_file():
            entry.rename(out)
            continue
        name = entry.name
        ours = name.startswith((_TEMP_PREFIX + out.name + "-", _OLD_PREFIX + out.name + "-"))
        if ours and entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
