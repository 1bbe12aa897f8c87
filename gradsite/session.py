"""One build session, as ``build``, ``check`` and ``serve`` run it, and one way to
report how it went.

A session takes the inputs' fingerprint first (an edit made while the build
runs must not look built), skips a build whose site is already current,
starts the cell workers early when cells will surely run, builds, and ends in
an :class:`Outcome`. ``describe`` turns an outcome into what the terminal
shows, the same for every command.

The builder itself (pipeline.py, with Markdown, KaTeX and the rest) is
imported only once a build is needed: loading it is most of a no-op build's
time.
"""

from __future__ import annotations

import errno
import threading
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from .diagnostics import BuildFailed, Diagnostic, Location, error, format_all, summary
from .fingerprint import inputs_fingerprint
from .options import BuildOptions
from .output import MARKER, site_is_current

if TYPE_CHECKING:
    from .pipeline import BuildResult

Command = Literal["build", "serve", "check"]
OutcomeKind = Literal["built", "up-to-date", "failed", "cancelled", "checked"]
_DISK_ERRORS = (errno.ENOSPC, errno.EDQUOT, errno.EROFS)  # a full or read-only disk


@dataclass(frozen=True)
class Outcome:
    """How a session ended: its kind, the problems found (errors of a failed build,
    warnings of one that built, everything ``check`` found) and the build's result."""

    kind: OutcomeKind
    options: BuildOptions
    diagnostics: tuple[Diagnostic, ...] = ()
    result: BuildResult | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not any(d.is_error for d in self.diagnostics)


def build_session(
    options: BuildOptions, *, reuse_current_site: bool = True,
    cancel: threading.Event | None = None,
) -> Outcome:
    """Build unless the site in ``options.out`` is already current for these inputs
    (never with ``--no-cache`` or ``--strict``: the warnings need a build)."""
    started = time.perf_counter()
    inputs = fingerprint(options)
    reuse = reuse_current_site and options.read_cache and not options.strict
    if reuse and inputs and site_is_current(options.out, inputs):
        return Outcome("up-to-date", options)
    if not options.read_cache or _nothing_cached(options.cache_dir):
        # Cells will run: the workers' fork server starts now and imports numpy and
        # matplotlib on the other core while the builder loads and checks the course.
        # Otherwise the build starts it once it knows a cell must run: a prose edit
        # never needs it.
        from .execute.pool import warm_up

        warm_up()
    from .pipeline import BuildCancelled, BuiltMeanwhile, build

    try:
        result = build(replace(options, inputs=inputs), cancel, reuse_current_site=reuse)
    except BuiltMeanwhile:  # another build of the same inputs, waited for, made it
        return Outcome("up-to-date", options)
    except BuildCancelled:
        return Outcome("cancelled", options, seconds=time.perf_counter() - started)
    except BuildFailed as failed:
        return Outcome("failed", options, tuple(failed.diagnostics),
                       seconds=time.perf_counter() - started)
    except OSError as exc:
        if exc.errno not in _DISK_ERRORS:
            raise
        # The site and the cache report their own; a full disk anywhere else in a
        # build (a folder of the cache, the system's temp folder) is the machine's
        # state too, not a bug: said in one line, like them.
        where = Location(str(exc.filename or options.out))
        return Outcome("failed", options, (error(where, f"cannot write: {exc.strerror}"),),
                       seconds=time.perf_counter() - started)
    return Outcome("built", options, tuple(result.warnings), result,
                   time.perf_counter() - started)


def check_session(options: BuildOptions) -> Outcome:
    """``gradsite check``: every problem of the course, nothing run or written."""
    from .pipeline import check

    started = time.perf_counter()
    found = check(options)
    return Outcome("checked", options, tuple(found), seconds=time.perf_counter() - started)


def fingerprint(options: BuildOptions) -> str:
    """The inputs' fingerprint; empty when the content folder is missing (the build
    reports that)."""
    if not options.content.is_dir():
        return ""
    return inputs_fingerprint(options.content, options.theme, options.include_drafts)


@dataclass(frozen=True)
class Report:
    """What the terminal shows of an outcome: for standard output and for errors."""

    out: str = ""
    err: str = ""
    verdict: str = ""  # the closing line of a failure, shown in red on a terminal


def describe(outcome: Outcome, command: Command, *, quiet: bool = False,
             verbose: bool = False, color: bool = False) -> Report:
    """The lines that report ``outcome`` for ``command``: problems (warnings only
    when not ``quiet``), then a summary, or the failure's verdict."""
    shown = [d for d in outcome.diagnostics if d.is_error or not quiet]
    err = format_all(shown, color=color) if shown else ""
    options = outcome.options
    if outcome.kind == "failed":
        errors = sum(1 for d in outcome.diagnostics if d.is_error)
        left = ("still serving the last site that built" if command == "serve"
                else site_left(options.out))
        return Report("", err, f"build failed: {errors} error(s); {left}")
    if outcome.kind == "checked":
        if not outcome.ok:
            return Report("", err, f"check failed: {summary(outcome.diagnostics)}")
        found = summary(outcome.diagnostics) or "no problems"
        said = "" if quiet else f"checked {options.content}: {found} ({outcome.seconds:.2f} s)"
        return Report(said, err)
    if outcome.kind == "up-to-date":
        return Report("" if quiet else f"nothing changed since the last build: "
                      f"{options.out} is up to date")
    if outcome.kind == "cancelled" or outcome.result is None:
        return Report()
    result = outcome.result
    lines = list(verbose_lines(result)) if verbose else []
    if not quiet and command == "serve":
        lines.append(f"built {result.chapters} chapters in {outcome.seconds:.2f} s "
                     f"({result.execution.cells_run} cells run)")
    elif not quiet:
        lines += [result.execution.summary(),
                  f"built {result.chapters} chapters, {result.pages} pages, {result.files} "
                  f"files into {options.out} in {result.seconds:.2f} s"]
    return Report("\n".join(lines), err)


def verbose_lines(result: BuildResult) -> list[str]:
    """--verbose: a line per chapter, then how long each stage of the build took."""
    return [*result.chapter_lines,
            *(f"  {stage:<16} {seconds:7.3f} s" for stage, seconds in result.stages)]


def site_left(out: Path) -> str:
    """What a build that stopped left in the output folder: the last site, if any."""
    if (out / MARKER).is_file():
        return "the previous site was left as it was"
    return "no site was written"


def _nothing_cached(cache_dir: Path | None) -> bool:
    return cache_dir is None or not cache_dir.is_dir() or not any(cache_dir.iterdir())
