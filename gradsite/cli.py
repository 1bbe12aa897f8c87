"""The command line: commands, flags, messages and exit codes.

Commands: ``build`` (the default: ``gradsite --out DIR`` is ``gradsite build
--out DIR``), ``serve`` (serve.py), ``check`` (pipeline.check), ``new``
(scaffold.py) and ``export`` (export/). Exit codes: 0 success, 1 the course
has errors (reported like a compiler, no traceback), 2 a usage error.
Anything else that goes wrong is a bug in gradsite: its traceback is printed
with a request to report it.
"""

from __future__ import annotations

import argparse
import difflib
import gc
import os
import signal
import sys
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

from . import __version__

EXIT_OK, EXIT_CONTENT, EXIT_USAGE, EXIT_BUG = 0, 1, 2, 3

EPILOG = ("Exit status: 0 done, 1 the course has errors, 2 wrong usage, "
          "3 gradsite crashed (a bug: please report it).")
COMMANDS_HELP = """\
Build a math-heavy online course from Markdown into a static site.

commands:
  build                      build the site (the default command: 'gradsite --out DIR'
                             is 'gradsite build --out DIR')
  serve                      build, serve the site on http://127.0.0.1:8000/, rebuild on
                             every change and reload open pages
  check                      report every problem in the course at once, without
                             running cells or writing a site
  new course DIR             create a course in DIR (new or empty) that builds at once:
                             content/, a sample chapter, the GitHub Pages workflow
  new section TITLE          create a section folder with its _section.yml
  new chapter SECTION TITLE  create a chapter in SECTION (its folder name, slug or number)
  export {qti,moodle}        write the course's questions for Canvas (QTI 1.2 zip) or
                             Moodle (Moodle XML)

'gradsite COMMAND --help' describes a command. The options below are build's."""


def make_parser() -> argparse.ArgumentParser:
    """The ``build`` command's parser; it is also the top-level help."""
    parser = _parser("gradsite", COMMANDS_HELP, raw=True)
    parser.usage = ("%(prog)s [build] [options]\n"
                    "       %(prog)s {serve,check,new,export} ...  (see 'gradsite COMMAND --help')")
    _add_content_flags(parser)
    _add_build_flags(parser)
    _add_output_flags(parser)
    parser.add_argument("--version", action="version", version=f"gradsite {__version__}")
    return parser


def make_build_parser() -> argparse.ArgumentParser:
    parser = _parser("gradsite build", "Build the course into a static site. Nothing is "
                     "written unless the whole course builds; an unchanged course is not "
                     "built again.")
    _add_content_flags(parser)
    _add_build_flags(parser)
    _add_output_flags(parser)
    return parser


def make_serve_parser() -> argparse.ArgumentParser:
    parser = _parser("gradsite serve", "Build the course, serve the output folder on "
                     "127.0.0.1, and rebuild whenever a file in the content folder or the "
                     "theme changes; open pages reload by themselves. Build errors show in "
                     "the terminal and over the page, and the server keeps running. It "
                     "answers only requests addressed to 127.0.0.1, localhost or [::1] at its "
                     "port. Ctrl-C stops it.")
    parser.add_argument("--port", "-p", type=_port, default=8000, metavar="N",
                        help="the port to listen on (default: 8000; 0 picks a free one)")
    _add_content_flags(parser)
    _add_build_flags(parser)
    _add_output_flags(parser)
    return parser


def make_check_parser() -> argparse.ArgumentParser:
    parser = _parser("gradsite check", "Validate the whole course and report every problem "
                     "at once: front matter, expressions, gradients, questions, links, files, "
                     "cell options and syntax, LaTeX, and the warnings. Runs no cell and "
                     "writes no site.")
    _add_content_flags(parser)
    parser.add_argument("--cache-dir", type=Path, default=Path(".gradsite-cache"),
                        metavar="DIR", help="read what earlier builds cached here (it is "
                        "never written; default: ./.gradsite-cache)")
    parser.add_argument("--quiet", "-q", action="store_true",
                        help="print nothing but errors (not even warnings)")
    return parser


def make_new_parser() -> argparse.ArgumentParser:
    parser = _parser("gradsite new", "Create a course, a section or a chapter from a "
                     "template. A section or chapter gets the next free number, a slug made "
                     "from the title, and a front matter that shows the options in comments. "
                     "Nothing is ever overwritten; the new path is printed.")
    kinds = parser.add_subparsers(dest="kind", metavar="{course,section,chapter}",
                                  required=True)
    course = kinds.add_parser("course", help="create a course in a new or empty folder",
                              description="Create a course that builds at once: content/ "
                              "with course.yml, a section and a sample chapter, a .gitignore, "
                              "requirements.txt, the GitHub Pages workflow and a README. The "
                              "folder must be new or empty.",
                              epilog="example: gradsite new course my-course")
    course.add_argument("folder", type=Path, metavar="DIR", help="the course's folder")
    course.add_argument("--title", default="", metavar="TITLE",
                        help="the course's title (default: from the folder's name)")
    section = kinds.add_parser("section", help="create a section: NN-slug/_section.yml",
                               epilog='example: gradsite new section "Second-Order Methods"')
    section.add_argument("title", metavar="TITLE", help="the section's title")
    _add_content_option(section)
    chapter = kinds.add_parser("chapter", help="create a chapter: SECTION/NN-slug.md",
                               epilog='example: gradsite new chapter 2 "Newton\'s Method"')
    chapter.add_argument("section", metavar="SECTION",
                         help="the section: its folder name (02-gradient-descent), slug "
                              "(gradient-descent) or number (2)")
    chapter.add_argument("title", metavar="TITLE", help="the chapter's title")
    _add_content_option(chapter)
    return parser


EXPORT_FILES = {"qti": Path("questions-qti.zip"), "moodle": Path("questions-moodle.xml")}


def make_export_parser() -> argparse.ArgumentParser:
    parser = _parser("gradsite export", "Write every question of the course for a learning "
                     "management system: 'qti', a QTI 1.2 zip that Canvas imports (one quiz "
                     "per chapter); 'moodle', a Moodle XML file for the question bank (a "
                     "category per chapter). A question with params becomes one question "
                     "per variant. The course is checked as a build checks it: with errors, "
                     "nothing is written. No cell runs.")
    parser.add_argument("format", choices=tuple(EXPORT_FILES), metavar="{qti,moodle}",
                        help="qti: a QTI 1.2 zip (Canvas); moodle: a Moodle XML file")
    parser.add_argument("--out", type=Path, default=None, metavar="FILE",
                        help="the file to write (default: ./questions-qti.zip or "
                             "./questions-moodle.xml)")
    parser.add_argument("--chapters", nargs="+", type=_selection, default=None,
                        metavar="SECTION[.CHAPTER]",
                        help="export only these: 2 is every chapter of section 2, 1.3 "
                             "chapter 3 of section 1 (default: every chapter)")
    _add_content_option(parser)
    parser.add_argument("--drafts", action="store_true",
                        help="include chapters marked 'draft: true'")
    parser.add_argument("--cache-dir", type=Path, default=Path(".gradsite-cache"),
                        metavar="DIR", help="read what earlier builds cached here (it is "
                        "never written; default: ./.gradsite-cache)")
    parser.add_argument("--quiet", "-q", action="store_true",
                        help="print nothing but errors (not even warnings)")
    return parser


def entry() -> NoReturn:
    """The `gradsite` command and `python build.py`: run ``main`` and exit with its code."""
    code = main()
    # Python's last act would be a garbage collection that visits every object the
    # build made (~0.1 s, a sixth of a rebuild after a prose edit) just before the
    # system frees them all; frozen objects are left out of it. Files are closed
    # where they are written, and the standard streams are still flushed.
    gc.freeze()
    sys.exit(code)


class Terminated(KeyboardInterrupt):
    """SIGTERM (a cancelled CI job, `timeout`, `kill`): stopped as Ctrl-C stops a
    build, so running cells are killed and no worker outlives the builder."""


def _terminate(signum: int, frame: object) -> None:
    raise Terminated


def main(argv: list[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    command, given = "build", False
    if words and words[0] in COMMANDS:
        command, given = words.pop(0), True
    elif words and not words[0].startswith("-"):
        close = difflib.get_close_matches(words[0], COMMANDS, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else f" (commands: {', '.join(COMMANDS)})"
        make_parser().error(f"unknown command '{words[0]}'{hint}")  # exits with 2
    make, run = COMMANDS[command]
    if not given:
        make = make_parser  # no command given: the top-level help lists the commands
    args = make().parse_args(words)  # exits with 2 on a usage error
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _terminate)
    try:
        return run(args)
    except KeyboardInterrupt as stop:
        what = "terminated" if isinstance(stop, Terminated) else "interrupted"
        print(f"\n{what}; {_site_left(args)}", file=sys.stderr)
        return 128 + (signal.SIGTERM if isinstance(stop, Terminated) else signal.SIGINT)
    except Exception:  # a bug in gradsite, not the author's mistake
        traceback.print_exc()
        print("\ngradsite crashed: this is a bug in gradsite, not in your course. "
              "Please report it with the traceback above.", file=sys.stderr)
        return EXIT_BUG


def _site_left(args: argparse.Namespace) -> str:
    from .session import site_left

    out = getattr(args, "out", None)
    return site_left(out) if out is not None else "no site was written"


def run_build(args: argparse.Namespace) -> int:
    from .session import build_session

    outcome = build_session(_build_options(args))
    return _report(outcome, "build", args)


def run_serve(args: argparse.Namespace) -> int:
    from .serve import serve

    return serve(_build_options(args), port=args.port, verbose=args.verbose)


def run_check(args: argparse.Namespace) -> int:
    from .options import BuildOptions
    from .session import check_session

    options = BuildOptions(content=args.content, out=Path("_site"), include_drafts=args.drafts,
                           cache_dir=args.cache_dir, strict=args.strict, quiet=args.quiet)
    return _report(check_session(options), "check", args)


def _report(outcome: Any, command: str, args: argparse.Namespace) -> int:
    """Print what ``outcome`` says (session.describe) and return the exit code."""
    from .diagnostics import use_color
    from .session import describe

    report = describe(outcome, command, quiet=args.quiet,  # type: ignore[arg-type]
                      verbose=getattr(args, "verbose", False), color=use_color(sys.stderr))
    if report.err:
        print(report.err, file=sys.stderr)
    if report.verdict:
        _print_verdict(report.verdict)
    if report.out:
        print(report.out)
    return EXIT_OK if outcome.ok else EXIT_CONTENT


def run_new(args: argparse.Namespace) -> int:
    from .load import display_path
    from .scaffold import new_chapter, new_section

    if args.kind == "course":
        return _new_course(args.folder, args.title)
    if args.kind == "section":
        path, problems = new_section(args.content, args.title)
    else:
        path, problems = new_chapter(args.content, args.section, args.title)
    if path is None:
        _print_problems(problems)
        return EXIT_CONTENT
    print(f"created {display_path(path)}")
    if args.kind == "section":
        # The command to copy next, with the same content folder if it was given.
        content = "" if args.content == Path("content") else f" --content {args.content}"
        print(f'next: {_invoked_as()} new chapter {path.name} "Chapter Title"{content}')
    return EXIT_OK


def _invoked_as() -> str:
    """The command as the author ran it, for a command line to copy next: a course made
    with ``gradsite new course`` has no build.py."""
    return "python build.py" if Path(sys.argv[0]).name == "build.py" else "gradsite"


def _new_course(folder: Path, title: str) -> int:
    from .load import display_path
    from .scaffold import new_course

    made, problems = new_course(folder, title)
    if made is None:
        _print_problems(problems)
        return EXIT_USAGE  # a folder that is taken is the command's mistake, not the course's
    print(f"created {display_path(made)}: a course with a sample chapter\n"
          f"next:\n  cd {display_path(made)}\n"
          "  gradsite serve    # build, serve on http://127.0.0.1:8000/, rebuild on every save")
    return EXIT_OK


def run_export(args: argparse.Namespace) -> int:
    from .diagnostics import BuildFailed, format_all, use_color
    from .export import lms_course, moodle_xml, qti_package, select_chapters
    from .options import BuildOptions
    from .output import write_export
    from .pipeline import checked_course

    options = BuildOptions(content=args.content, out=Path("_site"), include_drafts=args.drafts,
                           cache_dir=args.cache_dir)
    out = args.out or EXPORT_FILES[args.format]
    try:
        checked = checked_course(options)
    except BuildFailed as failed:
        shown = [d for d in failed.diagnostics if d.is_error or not args.quiet]
        print(format_all(shown, color=use_color(sys.stderr)), file=sys.stderr)
        errors = sum(1 for d in failed.diagnostics if d.is_error)
        _print_verdict(f"export failed: {errors} error(s); nothing was written")
        return EXIT_CONTENT
    if checked.warnings and not args.quiet:
        _print_problems(list(checked.warnings))
    chosen, unknown = select_chapters(checked.chapters, args.chapters)
    if unknown:
        positions = ", ".join(one.position for one in checked.chapters)
        print(f"gradsite export: error: --chapters {' '.join(unknown)}: no such section or "
              f"chapter (the course has {positions})", file=sys.stderr)
        return EXIT_USAGE
    course = lms_course(checked.course, chosen, checked.facts)
    if not course.chapters:
        print("gradsite export: the chapters chosen have no questions; nothing was written",
              file=sys.stderr)
        return EXIT_CONTENT
    data = qti_package(course) if args.format == "qti" else moodle_xml(course)
    problems = write_export(out, data)
    if problems:
        _print_problems(problems)
        return EXIT_CONTENT
    if not args.quiet:
        questions = len(course.questions)
        authored = sum(len(chapter.families) for chapter in course.chapters)
        print(f"exported {authored} questions ({questions} with their variants) from "
              f"{len(course.chapters)} chapters to {out}")
    return EXIT_OK


COMMANDS: dict[str, tuple[Callable[[], argparse.ArgumentParser],
                          Callable[[argparse.Namespace], int]]] = {
    "build": (make_build_parser, run_build),
    "serve": (make_serve_parser, run_serve),
    "check": (make_check_parser, run_check),
    "new": (make_new_parser, run_new),
    "export": (make_export_parser, run_export),
}


def _parser(prog: str, description: str, raw: bool = False) -> argparse.ArgumentParser:
    formatter = argparse.RawDescriptionHelpFormatter if raw else argparse.HelpFormatter
    return argparse.ArgumentParser(prog=prog, description=description, epilog=EPILOG,
                                   formatter_class=formatter)


def _add_content_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--content", type=Path, default=Path("content"), metavar="DIR",
                        help="the course folder to read (default: ./content)")


def _add_content_flags(parser: argparse.ArgumentParser) -> None:
    _add_content_option(parser)
    parser.add_argument("--drafts", action="store_true",
                        help="include chapters marked 'draft: true'")
    parser.add_argument("--strict", action="store_true",
                        help="treat warnings (a figure without alt text or caption, an unused "
                             "function, a chapter without questions, ...) as errors")


def _add_build_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, default=Path("_site"), metavar="DIR",
                        help="where to write the site (default: ./_site); an existing folder "
                             "is replaced only if gradsite made it")
    parser.add_argument("--jobs", "-j", type=_positive_int, default=os.cpu_count() or 1,
                        metavar="N", help="chapters whose cells run at once "
                        "(default: the number of cores)")
    parser.add_argument("--no-cache", action="store_true",
                        help="run every cell and plot again instead of using cached outputs")
    parser.add_argument("--cache-dir", type=Path, default=Path(".gradsite-cache"),
                        metavar="DIR", help="where cell outputs are cached "
                        "(default: ./.gradsite-cache)")


def _add_output_flags(parser: argparse.ArgumentParser) -> None:
    talk = parser.add_mutually_exclusive_group()
    talk.add_argument("--quiet", "-q", action="store_true",
                      help="print nothing but errors (not even warnings)")
    talk.add_argument("--verbose", "-v", action="store_true",
                      help="also print a line per chapter and the time each stage took")


def _build_options(args: argparse.Namespace) -> Any:
    from .options import BuildOptions

    return BuildOptions(
        content=args.content,
        out=args.out,
        include_drafts=args.drafts,
        jobs=args.jobs,
        cache_dir=args.cache_dir,
        read_cache=not args.no_cache,
        quiet=args.quiet,
        strict=args.strict,
    )


def _print_problems(diagnostics: list[Any]) -> None:
    from .diagnostics import format_all, use_color

    print(format_all(diagnostics, color=use_color(sys.stderr)), file=sys.stderr)


def _print_verdict(text: str) -> None:
    from .diagnostics import use_color

    if use_color(sys.stderr):
        text = f"\033[1;31m{text}\033[0m"
    print(f"\n{text}", file=sys.stderr)


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _selection(text: str) -> str:
    """``--chapters``: a section's number, or a section's and a chapter's ("1.3")."""
    parts = text.split(".")
    if not (1 <= len(parts) <= 2 and all(part.isdigit() for part in parts)):
        raise argparse.ArgumentTypeError(f"'{text}' is not SECTION or SECTION.CHAPTER, "
                                         "such as 2 or 1.3")
    return ".".join(str(int(part)) for part in parts)


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port number") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError("a port is a number from 0 to 65535")
    return value


if __name__ == "__main__":
    sys.exit(main())
