"""Writing the site: the output plan, its checks, and the swap into place.

The writer owns the output guarantees (STYLE.md, practice 9): no two files on
one path, no path outside the output folder, the site is written to a
temporary folder beside the output and swapped in only when complete, and a
folder gradsite did not make is never replaced.

"Made by gradsite" means more than a marker file: the marker holds a manifest
of every file the last build wrote (path -> sha256), and a marker that is not
one is no marker. Before the build and again just before the swap, the folder
is compared with it: a file or folder the manifest does not list stops the
build, since replacing the folder would lose it. A listed file whose bytes
changed is written again, with a warning (a touched site is repaired by the
next build; ``--strict`` makes the warning an error). A cache folder that
overlaps the output or the content folder is refused too. Files a rebuild
would write with the same bytes are hard-linked from the previous site.

Two builds into one output folder take turns (``OutputLock``): an OS lock on a
file beside the folder, held from before a build's first write to after its swap,
so the site is always one build's whole output.

An export (``gradsite export``) is one file, written beside its place and
renamed over it, never into a site.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import json
import os
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Container, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from stat import S_ISREG
from types import MappingProxyType
from typing import TYPE_CHECKING

from .diagnostics import BuildFailed, Diagnostic, Location, error, warning

if TYPE_CHECKING:  # annotations only: the up-to-date check must not load the model
    from .model import OutputFile, RememberedFile

MARKER = ".gradsite-site"
MARKER_TEXT = "This folder is made by gradsite and replaced on every build.\n"
_TEMP_PREFIX = ".gradsite-tmp-"
_OLD_PREFIX = ".gradsite-old-"
_LOCK_PREFIX = ".gradsite-lock-"
# How long a build waits for another one writing the same folder: a build that runs
# every cell of a big course takes minutes; one that takes longer is likely stuck.
LOCK_WAIT_SECONDS = 600.0
_LOCK_POLL_SECONDS = 0.1
_SHOWN = 5  # paths named in a refusal; the rest are counted
_SHA256 = re.compile(r"[0-9a-f]{64}")
_OWN_FOLDER = ("keep the cache in a folder of its own with --cache-dir, such as "
               ".gradsite-cache (the default)")


@dataclass(frozen=True)
class Manifest:
    """What the marker of a gradsite-made folder says: the inputs' fingerprint and the
    sha256 of every file the build wrote, by POSIX path relative to the folder."""

    inputs: str
    files: Mapping[str, str]


@dataclass(frozen=True)
class Survey:
    """An output folder compared with its manifest (``survey_folder``).

    ``foreign``: entries the manifest does not list (folders end in ``/``; a symlink
    is never gradsite's); ``changed``: listed files whose bytes differ from what was
    written; ``missing``: listed files that are gone. Paths are sorted.
    """

    foreign: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()


def check_output_folder(out: Path, content: Path, cache: Path | None = None) -> list[Diagnostic]:
    """Refuse an output folder that would overwrite the content or anything not ours,
    and a cache folder (``cache``, None for no cache) that overlaps either folder.

    Returns warnings: the site files that were changed and will be written again.
    """
    given = out
    out, content = out.resolve(), content.resolve()
    shown = Location(str(out))
    problems: list[Diagnostic] = []
    # Checked before any cell runs: the site is written in a temp folder beside
    # ``out``, so its parent must be (or become) a folder gradsite can write in
    # (`--out afile/sub` must fail at once, not after every cell has run).
    why = folder_problem(given.parent if given.name else given)
    if why is not None:
        problems.append(error(Location(str(given)), f"the output folder cannot be created: {why}",
                              "choose another place for the site with --out"))
    if out == content or content.is_relative_to(out) or out.is_relative_to(content):
        # Suggest a folder that does not overlap: next to the content folder.
        beside = content.parent / f"{content.name}-site"
        problems.append(error(shown, "the output folder overlaps the content folder",
                              f"write the site to a folder of its own, outside {content.name}/:"
                              f" --out {os.path.relpath(beside)}"))
    if cache is not None:
        problems += check_cache_folder(cache, write=True)
        problems += _cache_overlaps(cache.resolve(), out, content)
    if problems:
        raise BuildFailed(problems)
    return check_replaceable(out)


def check_cache_folder(cache: Path, write: bool) -> list[Diagnostic]:
    """An error when ``cache`` cannot be a cache folder: it is a file, or lies under
    one; with ``write`` (a build), also when it cannot be created or written in.

    ``check`` only reads the cache, but a cache folder that can never exist is a
    mistake in the command all the same.
    """
    shown = Location(str(cache))
    hint = "choose a folder for the cache with --cache-dir, such as .gradsite-cache"
    if cache.exists() and not cache.is_dir():
        return [error(shown, "the cache folder is a file, not a folder", hint)]
    why = folder_problem(cache, probe=write)
    if why is not None:
        return [error(shown, f"the cache folder cannot be created: {why}", hint)]
    return []


def folder_problem(folder: Path, probe: bool = True) -> str | None:
    """Why ``folder`` cannot be made (if missing) and written in; None when it can.

    The nearest existing folder at or above it must be a folder (not a file), and,
    with ``probe``, one where a folder can be made: tried with an empty temp folder,
    removed at once, since a permission check cannot see a read-only file system.
    """
    base = folder
    while not os.path.lexists(base) and base != base.parent:
        base = base.parent
    if not base.is_dir():
        what = "a file" if base.exists() else "a broken symbolic link"
        return f"'{base}' is {what}, not a folder"
    if not probe:
        return None
    try:
        os.rmdir(tempfile.mkdtemp(prefix=".gradsite-probe-", dir=base))
    except OSError as exc:
        return f"cannot write in '{base}' ({exc.strerror or exc})"
    return None


def check_replaceable(
    out: Path, linked: Mapping[str, int] = MappingProxyType({})
) -> list[Diagnostic]:
    """Refuse to replace ``out`` unless the swap loses nothing the build cannot write
    again: it is missing, empty, or made by gradsite and holds only files it wrote.

    Returns a warning naming the files gradsite wrote that were changed since: the
    build writes them again. ``write_site`` checks again just before the swap: the
    folder may change while cells run. ``linked`` is passed to ``survey_folder``.
    """
    shown = Location(str(out))
    try:
        if not out.exists():
            return []
        if not out.is_dir():
            raise BuildFailed([error(shown, "the output path exists and is not a folder")])
        if not any(out.iterdir()):
            return []
        manifest = read_manifest(out)
        if manifest is None:
            if os.path.lexists(out / MARKER):
                hint = (f"its {MARKER} marker is not one gradsite writes (it is damaged, or "
                        "from another tool or an older gradsite): choose an empty or new "
                        "folder with --out, or delete this one yourself if nothing in it "
                        "is needed")
            else:
                hint = ("choose an empty or new folder with --out, or delete this one "
                        "yourself")
            raise BuildFailed([error(shown, "refusing to replace a folder that gradsite did "
                                     "not make", hint)])
        survey = survey_folder(out, manifest, linked)
    except OSError as exc:
        raise BuildFailed([error(Location(exc.filename or str(out)), "cannot read the output "
                                 f"folder: {exc.strerror or exc}")]) from exc
    if survey.foreign:
        raise BuildFailed([error(
            shown, f"the output folder holds files gradsite did not write: "
            f"{_listing(survey.foreign)}",
            "a build replaces the whole folder, so these would be lost: move them out of it "
            "(a file the site should publish belongs in the content folder, next to the "
            "chapter that links to it), or delete them")])
    if survey.changed:
        return [warning(
            shown, f"files of the site were changed after gradsite wrote them; the build "
            f"writes them again: {_listing(survey.changed)}",
            "the site is made from the content folder, so edits to it do not last: to "
            "change a page, edit its chapter (with --strict, changed files stop the build)")]
    return []


def read_manifest(out: Path) -> Manifest | None:
    """The manifest in ``out``'s marker; None when there is no marker or it is not one
    gradsite writes: a damaged or foreign marker must not make a folder look ours."""
    marker = out / MARKER
    try:
        if marker.is_symlink():
            return None
        text = marker.read_text(encoding="utf-8")
        stamp = json.loads(text[len(MARKER_TEXT):]) if text.startswith(MARKER_TEXT) else None
    except (OSError, ValueError):  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        return None
    if not isinstance(stamp, dict):
        return None
    inputs, files = stamp.get("inputs"), stamp.get("files")
    if not isinstance(inputs, str) or not isinstance(files, dict):
        return None
    listed: dict[str, str] = {}
    for rel, digest in files.items():
        if not (isinstance(digest, str) and _SHA256.fullmatch(digest) and _is_site_path(rel)):
            return None
        listed[rel if _is_plain(rel) else PurePosixPath(rel).as_posix()] = digest
    return Manifest(inputs, listed)


def survey_folder(out: Path, manifest: Manifest,
                  linked: Mapping[str, int] = MappingProxyType({})) -> Survey:
    """Compare ``out`` with its manifest: one walk, and a hash of each listed file
    changed after the marker was stamped, but for those in ``linked``.

    The marker is stamped after every file of its build was written and linked, so
    a file whose inode changed before it is as the build left it (one as new, on a
    file system with coarse times, is hashed); hashing only those keeps a no-op
    build of a big course from reading its whole site (tens of MB of figures).
    The inode's change time (ctime) decides, not the modification time: a program
    can set a file's modification time back (`cp -p`, a restore, ``os.utime``),
    but any write, ``utime`` or ``chmod`` moves the change time to now.

    Linking a file into the next site moves its change time too: ``linked`` holds
    the change time each file had once ``write_site`` linked it, unchanged since
    its marker; still that, it is still as written, and is not read.
    """
    written = (out / MARKER).stat().st_mtime_ns
    folders: set[str] = set()  # every folder holding a listed file (its paths are plain)
    for rel in manifest.files:
        end = rel.rfind("/")
        while end > 0 and rel[:end] not in folders:
            folders.add(rel[:end])
            end = rel.rfind("/", 0, end)
    foreign: list[str] = []
    changed: list[str] = []
    seen: set[str] = set()

    def visit(folder: str, prefix: str) -> None:
        with os.scandir(folder) as entries:
            for entry in entries:
                rel = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    if rel in folders:
                        visit(entry.path, rel + "/")
                    else:
                        foreign.append(rel + "/")
                elif rel == MARKER or _made_by_the_system(entry.name):
                    continue
                elif rel not in manifest.files or not entry.is_file(follow_symlinks=False):
                    foreign.append(rel)
                else:
                    seen.add(rel)
                    stat = entry.stat(follow_symlinks=False)
                    touched = max(stat.st_ctime_ns, stat.st_mtime_ns) >= written \
                        and linked.get(rel) != stat.st_ctime_ns
                    if touched and _sha256(entry.path) != manifest.files[rel]:
                        changed.append(rel)

    visit(str(out), "")
    missing = sorted(set(manifest.files) - seen)
    return Survey(tuple(sorted(foreign)), tuple(sorted(changed)), tuple(missing))


# Files a desktop leaves in any folder it shows (Finder, Explorer): nobody's work,
# so they neither stop a build nor make a site out of date.
_SYSTEM_FILES = frozenset({".DS_Store", "Thumbs.db", "desktop.ini"})


def _made_by_the_system(name: str) -> bool:
    return name in _SYSTEM_FILES or name.startswith("._")  # ._x: macOS's AppleDouble


def _sha256(path: str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()  # site files are small


def _is_site_path(rel: object) -> bool:
    """A path ``plan_paths`` lets a build write (and so one a manifest may list)."""
    if not isinstance(rel, str) or not rel or rel == MARKER:
        return False
    if _is_plain(rel):
        return True
    path = PurePosixPath(rel)
    return not path.is_absolute() and ".." not in path.parts and bool(path.parts)


def _is_plain(rel: str) -> bool:
    """Whether ``rel`` is a relative path as PurePosixPath writes it, with no ``..``:
    every path a build writes. Told from the string, as a manifest of thousands of
    files is read three times a build."""
    return all(part not in ("", ".", "..") for part in rel.split("/"))


def _listing(paths: tuple[str, ...]) -> str:
    """Up to ``_SHOWN`` paths, and how many more."""
    text = ", ".join(paths[:_SHOWN])
    more = len(paths) - _SHOWN
    return text + (f", and {more} more" if more > 0 else "")


def _cache_overlaps(cache: Path, out: Path, content: Path) -> list[Diagnostic]:
    """A cache folder shares no file with the output or the content folder: a build
    replaces the output folder (cache and all), cache entries would be written into
    the author's course, and clearing the cache would delete the site or the course."""
    shown = Location(str(cache))
    problems = []
    for folder, name, lost in ((out, "output", "the site"), (content, "content", "your course")):
        if cache == folder or cache.is_relative_to(folder):
            where = "is" if cache == folder else "is inside"
            why = ("every build replaces the output folder, and would delete the cache with it"
                   if name == "output" else "cache files would be written into your course")
            problems.append(error(shown, f"the cache folder {where} the {name} folder",
                                  f"{why}; {_OWN_FOLDER}"))
        elif folder.is_relative_to(cache):
            problems.append(error(shown, f"the {name} folder is inside the cache folder",
                                  f"clearing the cache would delete {lost}; {_OWN_FOLDER}"))
    return problems


class OutputLock:
    """Two builds into one output folder take turns: an exclusive ``flock`` on a file
    beside the folder (``.gradsite-lock-<name>``), held from before a build's first
    write (the stale folders it cleans up) to after its swap.

    Beside the folder, not in it: the swap replaces the folder, so a lock in it would
    be published, or lost with the old site. Not in the cache folder: two builds of
    one site may use two caches, or none. The file holds its holder's pid, for the
    message of a build that waits, and is removed on release, so a build leaves
    nothing beside the site; a killed build leaves the file, but the system
    releases its lock with the process.
    """

    def __init__(self, out: Path) -> None:
        self.shown = out
        resolved = out.resolve()
        self.path = resolved.parent / f"{_LOCK_PREFIX}{resolved.name}"
        self._fd: int | None = None
        self._made: list[Path] = []  # folders made to hold the lock file, outermost first
        self.waited = False  # another build held it when this one asked

    def acquire(self, wait: float = LOCK_WAIT_SECONDS, stop: threading.Event | None = None,
                on_wait: Callable[[str], None] | None = None) -> bool:
        """Take the lock, waiting up to ``wait`` seconds while another build holds it
        (``on_wait`` hears once that this build waits, and for whom).

        False when ``stop`` is set while waiting; BuildFailed when the wait runs out
        or the lock file cannot be made (the output folder cannot be written).
        """
        try:
            held = self._wait(wait, stop, on_wait)
        except BaseException:  # Ctrl-C while waiting, or the wait ran out
            self._remove_made()
            raise
        if not held:
            self._remove_made()
        return held

    def _wait(self, wait: float, stop: threading.Event | None,
              on_wait: Callable[[str], None] | None) -> bool:
        deadline = time.monotonic() + wait
        told = False
        while True:
            fd = self._open()
            if fd is None:  # another build removed the folder this build just made
                continue
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = _lock_holder(fd)
                os.close(fd)
            except OSError as exc:  # ENOLCK: a network file system that cannot lock
                os.close(fd)
                raise BuildFailed([error(Location(str(self.path)), "cannot lock the output "
                                         f"folder: {exc.strerror or exc}",
                                         "build into a folder on a local disk")]) from exc
            else:
                # The holder before this build removed the file after it was opened
                # here: a lock on a removed file keeps no one out. Open the new one.
                if self._is_current(fd):
                    self._fd = fd
                    # The pid only informs a waiting build. Its first line: no truncation
                    # of what a killed build left (on ext4, a file truncated and written
                    # again is flushed on close, some milliseconds).
                    with contextlib.suppress(OSError):
                        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
                    return True
                os.close(fd)
                continue
            who = f" (pid {holder})" if holder else ""
            self.waited = True
            if not told and on_wait is not None:
                on_wait(f"waiting for the other build writing {self.shown}{who} to finish")
                told = True
            if time.monotonic() >= deadline:
                raise BuildFailed([error(
                    Location(str(self.shown)), f"another build{who} was still writing the "
                    f"output folder after {wait:.0f} s of waiting",
                    "two builds into one folder take turns: let the other one finish, or "
                    "stop it, then build again")])
            if stop is not None and stop.wait(_LOCK_POLL_SECONDS):
                return False
            if stop is None:
                time.sleep(_LOCK_POLL_SECONDS)

    def release(self) -> None:
        """Remove the lock file and let the next build in (nothing when not held)."""
        if self._fd is None:
            return
        # Removed while still held: a build that opened it meanwhile gets a lock on a
        # removed file, sees that (``_is_current``) and opens the next one.
        with contextlib.suppress(OSError):
            self.path.unlink()
        os.close(self._fd)
        self._fd = None
        self._remove_made()

    def _open(self) -> int | None:
        """The lock file, opened (made if missing, with its folders); None when a
        folder made for it was removed meanwhile."""
        try:
            missing = []
            folder = self.path.parent
            while not os.path.lexists(folder) and folder != folder.parent:
                missing.append(folder)
                folder = folder.parent
            if missing:  # nothing is made where the site could not be written
                self._refuse_unwritable()
            for folder in reversed(missing):
                with contextlib.suppress(FileExistsError):
                    folder.mkdir()
                    self._made.append(folder)
            # Never through a symbolic link: the pid would be written into its target.
            flags = os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW
            return os.open(self.path, flags, 0o644)
        except FileNotFoundError:
            if os.path.isdir(self.path.parent):
                raise BuildFailed([error(Location(str(self.path)),
                                         "cannot create the output's lock file")]) from None
            return None
        except OSError as exc:  # a read-only or full disk
            if exc.errno == errno.ELOOP:
                raise BuildFailed([error(Location(str(self.path)), "the output's lock file is "
                                         "a symbolic link", "delete it: gradsite makes it "
                                         "while a build runs")]) from exc
            self._refuse_unwritable()
            raise self._unwritable(f"cannot write in '{self._given_parent()}' "
                                   f"({exc.strerror or exc})") from exc

    def _given_parent(self) -> Path:
        return self.shown.parent if self.shown.name else self.shown

    def _refuse_unwritable(self) -> None:
        """Raise what check_output_folder says of a folder the site cannot be written in."""
        why = folder_problem(self._given_parent())
        if why is not None:
            raise self._unwritable(why)

    def _unwritable(self, why: str) -> BuildFailed:
        return BuildFailed([error(Location(str(self.shown)), f"the output folder cannot be "
                                  f"created: {why}", "choose another place for the site "
                                  "with --out")])

    def _is_current(self, fd: int) -> bool:
        try:
            on_disk = os.stat(self.path)
        except FileNotFoundError:
            return False
        held = os.fstat(fd)
        return (on_disk.st_dev, on_disk.st_ino) == (held.st_dev, held.st_ino)

    def _remove_made(self) -> None:
        """Folders made for the lock file go with it while empty: a build that wrote
        nothing leaves nothing behind."""
        for folder in reversed(self._made):
            try:
                folder.rmdir()
            except OSError:
                break
        self._made = []


def _lock_holder(fd: int) -> str:
    """The pid a lock file names on its first line, or "" (its holder has not written
    it yet)."""
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace")
    except OSError:
        return ""
    first = text.split("\n", 1)[0].strip()
    return first if first.isdigit() and "\n" in text else ""


def plan_paths(files: Iterable[OutputFile]) -> dict[str, OutputFile]:
    """Check every output path: relative, inside the folder, and used once."""
    planned: dict[str, OutputFile] = {}
    for item in files:
        _check_path(item, planned)
        planned[item.path] = item
    return planned


def _check_path(item: OutputFile | RememberedFile, planned: Container[str]) -> None:
    """A BuildFailed unless ``item``'s path is relative, inside the folder and not
    among the ``planned`` ones."""
    if not _is_site_path(item.path):
        raise BuildFailed([error(Location(item.path), "a file would be written outside "
                                 "the output folder")])
    if item.path in planned:
        raise BuildFailed([error(Location(item.path), "two files would be written to the "
                                 "same path in the site", "rename one of the sources")])


def write_site(files: Iterable[OutputFile | RememberedFile], out: Path, inputs: str = "") -> int:
    """Write every file to a fresh folder beside ``out``, then swap it in; returns
    how many files were written.

    ``files`` is read once, one file at a time, and none is kept: a builder that
    makes them as they are asked for (pages, notebooks) never holds the whole site
    in memory (a 1000-chapter course's is over 1 GB). A bad path found on the way
    fails the build before the swap, as one found first would.

    A file whose bytes the previous site already holds, as its build wrote them,
    is hard-linked from it rather than written again (``_as_last_written``); a
    ``RememberedFile`` found there that way is not even made.

    The marker names the fingerprint of the inputs and the hash of every file,
    so the next build can tell that nothing changed (``site_is_current``) and
    that replacing the folder loses nothing (``check_replaceable``).
    """
    from .model import RememberedFile  # here: the up-to-date check must not load the model

    shown, out = out, out.resolve()
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        clean_stale(out)
        temp = Path(tempfile.mkdtemp(prefix=_TEMP_PREFIX + out.name + "-", dir=out.parent))
    except OSError as exc:  # checked up front (check_output_folder), but it may have changed
        raise _cannot_write(shown, exc) from exc
    manifest: dict[str, str] = {}
    linked: dict[str, int] = {}  # the files linked from the previous site: their change times
    previous, last_stamp = _as_last_written(out)

    def link_previous(rel: str) -> bool:
        changed = _linked(out / rel, temp / rel, last_stamp)
        if changed is not None:
            linked[rel] = changed
        return changed is not None

    writing: str | None = None
    folders = {""}  # made in the new site (thousands of files share a few hundred)
    # An OSError raised while ``files`` makes the next file (a page, a notebook, the
    # pages stage) is its maker's, reported as it is; not a failed write of the site.
    making = True
    try:
        for item in files:
            making = False
            _check_path(item, manifest)
            rel = writing = item.path
            target = temp / rel
            folder = rel.rpartition("/")[0]
            if folder not in folders:
                target.parent.mkdir(parents=True, exist_ok=True)
                folders.add(folder)
            if isinstance(item, RememberedFile):
                if previous.get(rel) == (item.sha256, item.size) and link_previous(rel):
                    manifest[rel] = item.sha256
                    making = True
                    continue
                making = True
                data = item.make()
                making = False
            else:
                data = item.data
            manifest[rel] = hashlib.sha256(data).hexdigest()
            if not (previous.get(rel) == (manifest[rel], len(data))
                    and link_previous(rel)):
                target.write_bytes(data)
            making = True
        making = False
        writing = MARKER
        stamp = json.dumps({"inputs": inputs, "files": manifest}, sort_keys=True)
        (temp / MARKER).write_text(MARKER_TEXT + stamp + "\n", encoding="utf-8")
        writing = None
        os.chmod(temp, 0o755)
        check_replaceable(out, linked)  # again, before the swap: it may have changed meanwhile
        _swap(temp, out)
    except OSError as exc:  # a full disk, a permission: the author's machine, not a bug
        shutil.rmtree(temp, ignore_errors=True)
        if making:
            raise
        raise _cannot_write(shown, exc, writing) from exc
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    return len(manifest)


def _cannot_write(out: Path, exc: OSError, writing: str | None = None) -> BuildFailed:
    """A write of the site that failed, in one line: the output folder, the file being
    written, the system's reason (the temp folder's own path would name a folder
    that is gone by the time the author reads it)."""
    what = f" (writing {writing})" if writing else ""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        hint = "free some space on the disk, then build again"
    elif exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        hint = "make the folder writable, or choose another place for the site with --out"
    else:
        hint = ""
    return BuildFailed([error(Location(str(out)), "cannot write the site: "
                              f"{exc.strerror or exc}{what}", hint)])


def write_export(path: Path, data: bytes) -> list[Diagnostic]:
    """Write one exported file (``gradsite export``) whole or not at all: into a temporary
    file beside it, renamed over it. Never inside a site gradsite made, which the
    next build would refuse to replace for holding a file it did not write."""
    where = Location(str(path))
    if path.is_dir():
        return [error(where, f"{path} is a folder", "give --out a file name")]
    if not path.parent.is_dir():
        return [error(where, f"there is no folder {path.parent}",
                      "create it first, or give --out another place")]
    for folder in path.resolve().parents:
        if (folder / MARKER).is_file():
            return [error(where, f"{folder} is a site that gradsite builds",
                          "write the export outside it: the next build would refuse to "
                          "replace a site holding a file it did not write")]
    try:
        handle, temp = tempfile.mkstemp(prefix=f".gradsite-export-{path.name}-", dir=path.parent)
    except OSError as exc:
        return [error(where, f"cannot write {path}: {exc.strerror or exc}")]
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temp, 0o644)  # mkstemp's file is private; an export is a file to share
        os.replace(temp, path)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        return [error(where, f"cannot write {path}: {exc.strerror or exc}")]
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return []


def _as_last_written(out: Path) -> tuple[dict[str, tuple[str, int]], int]:
    """Files of the previous site that are as its build wrote them: path -> (sha256,
    size), for the files whose inodes have not changed since its marker was
    stamped (``survey_folder`` says why the change time decides); and that stamp.

    A rebuild links such a file into the new site when its bytes are the same
    (``_linked``) instead of writing it again: after a prose edit of a big course
    nearly every file is (hundreds of MB of figures and notebooks), and neither
    writing them nor reading them back to hash them is needed. The swap then
    deletes the old names only.
    """
    manifest = read_manifest(out)
    if manifest is None:
        return {}, 0
    try:
        written = (out / MARKER).stat().st_mtime_ns
    except OSError:
        return {}, 0
    found = {}
    for rel, digest in manifest.files.items():
        try:
            stat = os.lstat(out / rel)
        except OSError:
            continue
        if S_ISREG(stat.st_mode) and _unchanged_since(stat, written):
            found[rel] = (digest, stat.st_size)
    return found, written


def _unchanged_since(stat: os.stat_result, stamp: int) -> bool:
    return max(stat.st_ctime_ns, stat.st_mtime_ns) < stamp


def _linked(source: Path, target: Path, stamp: int) -> int | None:
    """Hard-link ``source`` as ``target`` if its inode is still unchanged since the
    marker's ``stamp`` (looked at again here: the build may have run for minutes),
    and return its change time once linked; None where it changed or the file
    system cannot link. An edit that kept the file's time and size (cp -p, a
    restore) changed its change time: it is written."""
    try:
        stat = os.lstat(source)
        if not (S_ISREG(stat.st_mode) and _unchanged_since(stat, stamp)):
            return None
        os.link(source, target)
        return os.lstat(target).st_ctime_ns
    except OSError:
        return None


def site_is_current(out: Path, inputs: str) -> bool:
    """True when ``out`` was built from these inputs and holds exactly the files written."""
    manifest = read_manifest(out)
    if not inputs or manifest is None or manifest.inputs != inputs:
        return False
    try:
        return survey_folder(out, manifest) == Survey()
    except OSError:
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
    # Deleting the old names of the files linked into the new site changed their
    # inodes (their link count): stamp the marker after that, so that the next
    # survey hashes only files changed since (a build killed before this line
    # leaves an older stamp, and the next survey hashes more: slower, not wrong).
    with contextlib.suppress(OSError):
        os.utime(out / MARKER)


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
