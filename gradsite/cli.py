"""The command line: flags, messages and exit codes.

Exit codes: 0 success, 1 the course has errors (reported like a compiler,
no traceback), 2 a usage error. Anything else that goes wrong is a bug in
gradsite: its traceback is printed with a request to report it.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from pathlib import Path

from . import __version__

EXIT_OK, EXIT_CONTENT, EXIT_USAGE, EXIT_BUG = 0, 1, 2, 3


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gradsite",
        description="Build a math-heavy online course from Markdown into a static site.",
        epilog="Exit status: 0 built, 1 the course has errors, 2 wrong usage, "
               "3 gradsite crashed (a bug: please report it).",
    )
    parser.add_argument("--content", type=Path, default=Path("content"), metavar="DIR",
                        help="the course folder to read (default: ./content)")
    parser.add_argument("--out", type=Path, default=Path("_site"), metavar="DIR",
                        help="where to write the site (default: ./_site); an existing folder "
                             "is replaced only if gradsite made it")
    parser.add_argument("--drafts", action="store_true",
                        help="include chapters marked 'draft: true'")
    parser.add_argument("--jobs", "-j", type=_positive_int, default=os.cpu_count() or 1,
                        metavar="N", help="chapters whose cells run at once "
                        "(default: the number of cores)")
    parser.add_argument("--no-cache", action="store_true",
                        help="run every cell and plot again instead of using cached outputs")
    parser.add_argument("--cache-dir", type=Path, default=Path(".gradsite-cache"),
                        metavar="DIR", help="where cell outputs are cached "
                        "(default: ./.gradsite-cache)")
    parser.add_argument("--quiet", "-q", action="store_true",
                        help="print nothing but errors")
    parser.add_argument("--version", action="version", version=f"gradsite {__version__}")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)  # exits with 2 on a usage error
    # Taken before anything is read, and handed to the build: an edit made while
    # the build runs must not look already built next time.
    inputs = _fingerprint(args)
    if not args.no_cache and _up_to_date(args, inputs):
        return EXIT_OK

    # Imported here: loading the builder takes most of a no-op build's time, and
    # worker processes re-import the entry script (so this module) as __mp_main__.
    from .diagnostics import BuildFailed, format_all
    from .pipeline import BuildOptions, build

    options = BuildOptions(
        content=args.content,
        out=args.out,
        include_drafts=args.drafts,
        jobs=args.jobs,
        cache_dir=args.cache_dir,
        read_cache=not args.no_cache,
        quiet=args.quiet,
        inputs=inputs,
    )
    try:
        result = build(options)
    except BuildFailed as failed:
        print(format_all(failed.diagnostics), file=sys.stderr)
        errors = sum(1 for d in failed.diagnostics if d.is_error)
        print(f"\nbuild failed: {errors} error(s); the previous site was left as it was",
              file=sys.stderr)
        return EXIT_CONTENT
    except KeyboardInterrupt:
        print("\ninterrupted; the previous site was left as it was", file=sys.stderr)
        return 130
    except Exception:  # a bug in gradsite, not the author's mistake
        traceback.print_exc()
        print("\ngradsite crashed: this is a bug in gradsite, not in your course. "
              "Please report it with the traceback above.", file=sys.stderr)
        return EXIT_BUG
    if result.warnings:
        print(format_all(result.warnings), file=sys.stderr)
    if not args.quiet:
        print(result.execution.summary())
        print(f"built {result.chapters} chapters, {result.pages} pages, {result.files} files "
              f"into {args.out} in {result.seconds:.2f} s")
    return EXIT_OK


def _fingerprint(args: argparse.Namespace) -> str:
    from .fingerprint import inputs_fingerprint
    from .layout import DEFAULT_THEME

    if not args.content.is_dir():
        return ""  # the build reports the missing folder
    return inputs_fingerprint(args.content, DEFAULT_THEME, args.drafts)


def _up_to_date(args: argparse.Namespace, inputs: str) -> bool:
    """Nothing a build reads changed since the site in --out was built, and the site
    is intact: say so and do nothing (checked without loading the builder)."""
    from .output import site_is_current

    if not inputs or not site_is_current(args.out, inputs):
        return False
    if not args.quiet:
        print(f"nothing changed since the last build: {args.out} is up to date")
    return True


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


if __name__ == "__main__":
    sys.exit(main())
