"""Executed ``{python}`` cells (spec section 4): figures, namespaces, errors, cache, order.

Courses are built for real: cells run in the worker processes, figures are
read back from the built site. Courses that several tests inspect are built
once per module; tests that change a course copy a built one first.
"""

from __future__ import annotations

import importlib.util
import io
import os
import py_compile
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gradsite import cli
from gradsite.cache import Cache
from gradsite.diagnostics import Diagnostic
from gradsite.execute import plan
from gradsite.execute.jobs import ChapterJob, Task, TaskError
from gradsite.execute.pool import run_jobs
from gradsite.execute.progress import Progress
from tests.coursekit import stamped_apart
from tests.exec_helpers import (
    FRONT,
    PNG_SIGNATURE,
    REPO,
    CellHTML,
    cell,
    cells_of,
    chapter_text,
    failed_build,
    messages,
    read_tree,
    run_build,
    start_fork_server,
    working_dir,
    write_course,
)

# --- figure capture, printed text, namespaces, working folder -------------------------

FIGURES_CHAPTER = chapter_text(
    "Figures.\n",
    # two figures, neither shown: both are output, in order
    cell('import matplotlib.pyplot as plt\nplt.figure()\nplt.title("A1")\n'
         'plt.figure()\nplt.title("A2")'),
    # one shown, then one left open
    cell('plt.figure()\nplt.title("B1")\nplt.show()\nplt.figure()\nplt.title("B2")'),
    # a figure closed before the cell ends is not output
    cell('gone = plt.figure()\nplt.title("C-closed")\nplt.close(gone)\n'
         'plt.figure()\nplt.title("C-kept")'),
    # printed before a figure it leaves open: the (escaped) text, then the figure, shown
    # when the cell ends (as Jupyter's inline backend does)
    cell('print("<b>&")\nplt.figure()\nplt.title("D1")'),
    # the cells of a chapter share a namespace
    cell("shared = 41\nplt.rcParams['lines.linewidth'] = 9"),
    cell("print(shared + 1)"),
    # the working folder is the chapter's folder
    cell('import os\nprint(open("data.txt").read().strip())\nprint(os.path.basename(os.getcwd()))'),
    # plt.show() on nothing shows nothing
    cell('plt.show()\nprint("nothing open")'),
)

LEAK_CHAPTER = chapter_text(
    "Another chapter, another process.\n",
    cell(
        "import matplotlib.pyplot as plt\n"
        "try:\n"
        "    shared\n"
        "except NameError:\n"
        '    print("no shared")\n'
        "print(plt.rcParams['lines.linewidth'])\n"
        "print(len(plt.get_fignums()))"
    ),
)


@pytest.fixture(scope="module")
def figures_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("figures")
    write_course(root / "content", {
        "01-s/01-figs.md": FIGURES_CHAPTER,
        "01-s/data.txt": "numbers from a file\n",
        "01-s/02-leak.md": LEAK_CHAPTER,
    })
    with working_dir(root):
        result = run_build(root)
    assert result.execution.cells_run == 9
    assert result.execution.figures == 6
    return root / "_site"


@pytest.fixture(scope="module")
def figure_cells(figures_site: Path) -> list:
    found = cells_of(figures_site / "s" / "figs.html")
    assert len(found) == 8
    return found


def _titles(site: Path, found) -> list[str]:
    """The title drawn in each figure of a cell (SVG keeps text as text)."""
    titles = []
    for figure in found.figures:
        svg = (site / "s" / figure.img["src"]).read_text(encoding="utf-8")
        titles += re.findall(r">([A-Z]\d|C-\w+)</text>", svg)
    return titles


def test_every_figure_left_open_is_output_in_order(figures_site: Path, figure_cells) -> None:
    first = figure_cells[0]
    assert len(first.figures) == 2
    assert _titles(figures_site, first) == ["A1", "A2"]
    assert [f.img["src"] for f in first.figures] == ["figures/figs-1.svg", "figures/figs-2.svg"]


def _built_cell(tmp_path: Path, code: str) -> CellHTML:
    """Build a course of one chapter holding one cell of ``code``; the cell as shown."""
    write_course(tmp_path / "content", {"01-s/01-c.md": FRONT + cell(code)})
    run_build(tmp_path)
    (found,) = cells_of(tmp_path / "_site" / "s" / "c.html")
    return found


def test_a_cell_may_leave_many_figures_open_without_a_warning(tmp_path: Path) -> None:
    # Each open figure is an output, closed once saved: matplotlib's warning about
    # more than 20 open figures would only clutter the printed output.
    found = _built_cell(tmp_path, "import matplotlib.pyplot as plt\n"
                                  "for k in range(22):\n"
                                  "    plt.figure(figsize=(1, 1))")
    assert len(found.figures) == 22
    assert found.outputs == []


def test_shown_figures_and_figures_left_open_are_both_output(figures_site: Path,
                                                            figure_cells) -> None:
    assert _titles(figures_site, figure_cells[1]) == ["B1", "B2"]


def test_a_figure_closed_before_the_cell_ends_is_not_output(figures_site: Path,
                                                           figure_cells) -> None:
    assert _titles(figures_site, figure_cells[2]) == ["C-kept"]


def test_figures_are_numbered_in_order_through_the_chapter(figures_site: Path,
                                                          figure_cells) -> None:
    srcs = [f.img["src"] for c in figure_cells for f in c.figures]
    assert srcs == [f"figures/figs-{n}.svg" for n in range(1, 7)]
    files = sorted(p.name for p in (figures_site / "s" / "figures").iterdir())
    assert files == sorted(f"figs-{n}.svg" for n in range(1, 7))


def test_printed_text_is_escaped_and_a_figure_left_open_comes_after_it(
    figures_site: Path, figure_cells
) -> None:
    printing = figure_cells[3]
    assert printing.order == ["code", "text", "figure"]
    assert printing.outputs == ["<b>&\n"]
    page = (figures_site / "s" / "figs.html").read_text(encoding="utf-8")
    assert '<pre class="cell-output">&lt;b&gt;&amp;\n</pre>' in page
    assert "<b>&" not in page


def test_the_cells_of_a_chapter_share_a_namespace(figure_cells) -> None:
    assert figure_cells[4].outputs == []
    assert figure_cells[5].outputs == ["42\n"]


def test_cells_run_in_the_chapters_folder(figure_cells) -> None:
    assert figure_cells[6].outputs == ["numbers from a file\n01-s\n"]


def test_show_with_no_figure_outputs_only_text(figure_cells) -> None:
    assert figure_cells[7].figures == []
    assert figure_cells[7].outputs == ["nothing open\n"]


def test_no_state_passes_between_chapters(figures_site: Path) -> None:
    (leak,) = cells_of(figures_site / "s" / "leak.html")
    # no variable, no style change, no open figure of the other chapter
    assert leak.outputs == ["no shared\n2.0\n0\n"]
    assert leak.figures == []


# --- errors: raising cells, syntax errors, timeouts, dying workers ----------------------

RAISING = (
    FRONT                               # lines 1-3
    + "Intro line.\n"                   # 4
    + "\n"                              # 5
    + "More prose.\n"                   # 6
    + "\n"                              # 7
    + "Even more prose.\n"              # 8
    + "\n"                              # 9
    + "```{python}\n"                   # 10: the fence
    + "#| echo: true\n"                 # 11
    + "x = 1\n"                         # 12
    + "y = x + 1\n"                     # 13
    + 'raise ValueError(f"bad value {y * 21}")\n'  # 14: the third line of code
    + "```\n"                           # 15
    + "\nAfter.\n"
)
RAISING_LINE = 14

NESTED = (
    FRONT
    + "```{python}\n"                   # 4
    + "def helper(n):\n"                # 5
    + "    return 1 / n\n"              # 6: where it raises
    + "```\n"                           # 7
    + "\n"                              # 8
    + "```{python}\n"                   # 9
    + "value = 5\n"                     # 10
    + "helper(value - 5)\n"             # 11: the failing statement of this cell
    + "```\n"
)

IN_NUMPY = (
    FRONT
    + "```{python}\n"                   # 4
    + "import numpy as np\n"            # 5
    + "A = np.zeros((2, 2))\n"          # 6
    + "np.linalg.inv(A)\n"              # 7: raises inside numpy
    + "```\n"
)

SYNTAX = (
    FRONT
    + "Prose.\n"                        # 4
    + "\n"                              # 5
    + "```{python}\n"                   # 6
    + "#| caption: Never drawn\n"       # 7
    + "x = 1\n"                         # 8
    + "y = = 2\n"                       # 9: the syntax error
    + "```\n"
)

TIMEOUT = (
    FRONT
    + "```{python}\n"                   # 4
    + "#| timeout: 1\n"                 # 5
    + "while True:\n"                   # 6
    + "    pass\n"                      # 7
    + "```\n"                           # 8
)

EXIT = (
    FRONT
    + "```{python}\n"                   # 4
    + "import os\n"                     # 5
    + "os._exit(3)\n"                   # 6
    + "```\n"                           # 7
)

BAD_TEX = (
    FRONT
    + "```{python}\n"                   # 4
    + "import matplotlib.pyplot as plt\n"  # 5
    + "plt.plot([1, 2])\n"              # 6
    + 'plt.title(r"$\\frac{1}{$")\n'     # 7: mathtext that cannot be drawn
    + "```\n"                           # 8
)

SYS_EXIT = FRONT + "```{python}\nimport sys\nsys.exit(0)\n```\n"  # sys.exit on line 6

STUCK_IN_C = (
    FRONT
    + "```{python}\n"                   # 4
    + "#| timeout: 1\n"                 # 5
    + "total = 0\n"                     # 6
    + "total = sum(range(10**12))\n"    # 7: one long call, deaf to the timeout's alarm
    + "```\n"
)

SEGFAULT = (
    FRONT
    + "```{python}\n"                   # 4
    + "import ctypes\n"                 # 5
    + "ctypes.string_at(0)\n"           # 6: reads address 0
    + "```\n"
)

OK_RUNS = FRONT + cell('open("ok-ran.txt", "w").write("yes")\ndefined_elsewhere = 1')

USES_OTHER = FRONT + "```{python}\nprint(defined_elsewhere)\n```\n"  # line 5
READS_INPUT = FRONT + "```{python}\nname = input('Your name? ')\n```\n"  # line 5
NO_MODULE = FRONT + "```{python}\nimport no_such_module_here\n```\n"  # line 5

FAILING = {
    "01-s/01-raise.md": RAISING,
    "01-s/02-nested.md": NESTED,
    "01-s/03-numpy.md": IN_NUMPY,
    "01-s/05-bad-tex.md": BAD_TEX,
    "02-t/01-timeout.md": TIMEOUT,
    "02-t/02-exit.md": EXIT,
    "02-t/03-ok.md": OK_RUNS,
    "02-t/04-other.md": USES_OTHER,
    "02-t/05-sysexit.md": SYS_EXIT,
    "02-t/06-input.md": READS_INPUT,
    "02-t/07-module.md": NO_MODULE,
    "02-t/08-stuck.md": STUCK_IN_C,
    "02-t/09-segfault.md": SEGFAULT,
}
GOOD = {name: FRONT + f"Chapter {n} before it broke.\n" for n, name in enumerate(FAILING)}
GOOD["01-s/01-raise.md"] = FRONT + cell(
    'import matplotlib.pyplot as plt\nplt.plot([1, 2])\nprint("fine")', "caption: Fine")


def _path(name: str) -> str:
    return f"content/{name}"


@pytest.fixture(scope="module")
def failed(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A good course built, then broken in every way at once and built again."""
    root = tmp_path_factory.mktemp("errors")
    with working_dir(root):
        write_course(root / "content", GOOD)
        run_build(root)
        before = read_tree(root / "_site")
        write_course(root / "content", FAILING)
        started = time.perf_counter()
        problems = failed_build(root, jobs=3)
        seconds = time.perf_counter() - started
    by_path: dict[str, list[Diagnostic]] = {}
    for problem in problems:
        by_path.setdefault(problem.location.path, []).append(problem)
    return {"root": root, "before": before, "problems": problems, "by_path": by_path,
            "seconds": seconds}


def _one(failed: dict, name: str) -> Diagnostic:
    found = failed["by_path"].get(_path(name), [])
    assert len(found) == 1, messages(failed["problems"])
    assert found[0].is_error
    return found[0]


def test_every_failing_chapter_is_reported_together(failed: dict) -> None:
    expected = {_path(n) for n in FAILING if not n.endswith("ok.md")}
    assert set(failed["by_path"]) == expected, messages(failed["problems"])
    assert all(p.is_error for p in failed["problems"])


def test_a_raising_cell_reports_the_markdown_line_and_the_exception(failed: dict) -> None:
    problem = _one(failed, "01-s/01-raise.md")
    assert RAISING.split("\n")[RAISING_LINE - 1].startswith("raise ValueError")
    assert problem.location.line == RAISING_LINE
    assert f"content/01-s/01-raise.md:{RAISING_LINE}: " in problem.format()
    assert "ValueError: bad value 42" in problem.message


def test_the_traceback_shows_only_the_chapters_own_frames(failed: dict) -> None:
    problem = _one(failed, "01-s/01-raise.md")
    assert f'"content/01-s/01-raise.md", line {RAISING_LINE}' in problem.detail
    for other in ("gradsite", "execute", "worker.py", "multiprocessing", "<string>"):
        assert other not in problem.detail


def test_a_traceback_through_an_earlier_cell_names_both_lines(failed: dict) -> None:
    problem = _one(failed, "01-s/02-nested.md")
    assert "ZeroDivisionError" in problem.message
    assert problem.location.line in (6, 11)  # the raising line, or the failing statement
    assert "line 11" in problem.detail and "line 6" in problem.detail
    assert problem.detail.index("line 11") < problem.detail.index("line 6")
    assert "gradsite" not in problem.detail


def test_an_exception_inside_a_library_points_at_the_cells_statement(failed: dict) -> None:
    problem = _one(failed, "01-s/03-numpy.md")
    assert problem.location.line == 7
    assert "LinAlgError" in problem.message and "Singular matrix" in problem.message
    assert "line 7" in problem.detail
    assert "numpy" not in problem.detail.replace("content/01-s/03-numpy.md", "")
    assert "gradsite" not in problem.detail


def test_syntax_errors_are_all_found_before_any_cell_runs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # cells.py parses every cell in the check stage: all syntax errors at once, with
    # their Markdown lines, from `check` too, and no cell of the course runs.
    write_course(tmp_path / "content", {
        "01-s/01-syntax.md": SYNTAX,
        "01-s/02-magic.md": (FRONT + cell("%matplotlib inline\nimport matplotlib.pyplot")
                             + "\n" + cell("x = (1,")),
        "01-s/03-fine.md": FRONT + cell("open('ran.txt', 'w').write('yes')"),
    })
    problems = failed_build(tmp_path)
    assert [(p.location.path, p.location.line) for p in problems] == [
        ("content/01-s/01-syntax.md", 9),
        ("content/01-s/02-magic.md", 5),
        ("content/01-s/02-magic.md", 10),
    ]
    assert all(p.message.startswith("the cell has a syntax error:") for p in problems)
    assert "IPython magics" in problems[1].hint
    assert not (tmp_path / "content" / "01-s" / "ran.txt").exists()
    assert cli.main(["check", "--content", str(tmp_path / "content")]) == 1
    assert "content/01-s/02-magic.md:10:5: the cell has a syntax error" in capsys.readouterr().err


def test_a_figure_that_cannot_be_drawn_is_an_error_of_the_cell(failed: dict) -> None:
    # The title's mathtext fails only when the figure is saved, after the cell's code
    # ran: still the cell's error, with the exception, not a dead worker.
    assert r'plt.title(r"$\frac{1}{$")' in BAD_TEX.split("\n")[6]
    problem = _one(failed, "01-s/05-bad-tex.md")
    assert problem.location.line == 4  # the fence: no line of the cell's code was running
    assert "died" not in problem.message
    assert "drawing its figure failed: ValueError" in problem.message
    assert "frac" in problem.message or "frac" in problem.detail


def test_a_cell_past_its_timeout_is_stopped_and_fails_the_build(failed: dict) -> None:
    problem = _one(failed, "02-t/01-timeout.md")
    assert 4 < problem.location.line < 8  # inside the cell (fence 4, closing fence 8)
    assert "timeout" in problem.message
    assert "1 s" in problem.message
    assert "timeout" in problem.hint
    assert failed["seconds"] < 20  # the hanging cell was stopped, not waited for


def test_a_cell_that_kills_its_process_fails_the_build_not_the_builder(failed: dict) -> None:
    problem = _one(failed, "02-t/02-exit.md")
    assert 4 < problem.location.line < 7
    assert "its process ended before the cell finished (exit code 3)" in problem.message
    assert "os._exit()" in problem.message


def test_a_cell_stuck_in_compiled_code_is_stopped_at_its_line(failed: dict) -> None:
    # The timeout's exception cannot interrupt sum() in C; the process is killed,
    # and the stack faulthandler wrote a second past the timeout names the line.
    problem = _one(failed, "02-t/08-stuck.md")
    assert problem.location.line == 7
    assert "timeout of 1 s" in problem.message


def test_a_crash_in_compiled_code_names_the_signal_and_the_line(failed: dict) -> None:
    problem = _one(failed, "02-t/09-segfault.md")
    assert problem.location.line == 6
    assert "SIGSEGV" in problem.message


def test_sys_exit_in_a_cell_is_an_error_of_the_cell(failed: dict) -> None:
    problem = _one(failed, "02-t/05-sysexit.md")
    assert problem.location.line == 6
    assert "SystemExit" in problem.message


def test_a_cell_reading_input_is_told_there_is_no_keyboard(failed: dict) -> None:
    problem = _one(failed, "02-t/06-input.md")
    assert problem.location.line == 5
    assert "EOFError" in problem.message
    assert "input()" in problem.hint and "no keyboard" in problem.hint


def test_a_missing_module_says_where_to_install_it(failed: dict) -> None:
    problem = _one(failed, "02-t/07-module.md")
    assert problem.location.line == 5
    assert "ModuleNotFoundError: No module named 'no_such_module_here'" in problem.message
    assert f"{sys.executable} -m pip install" in problem.hint


def test_other_chapters_still_run_when_cells_fail(failed: dict) -> None:
    assert (failed["root"] / "content" / "02-t" / "ok-ran.txt").read_text() == "yes"


def test_no_variable_passes_between_chapters(failed: dict) -> None:
    problem = _one(failed, "02-t/04-other.md")
    assert problem.location.line == 5
    assert "NameError" in problem.message and "defined_elsewhere" in problem.message


def test_a_failed_build_leaves_the_previous_site_as_it_was(failed: dict) -> None:
    assert read_tree(failed["root"] / "_site") == failed["before"]
    leftovers = [p.name for p in failed["root"].iterdir() if p.name.startswith(".gradsite")]
    assert leftovers == []


def test_the_results_of_chapters_that_ran_are_kept_when_a_worker_dies(tmp_path: Path) -> None:
    write_course(tmp_path / "content", {
        "01-s/01-exit.md": EXIT,
        "01-s/02-fine.md": FRONT + cell("import time\ntime.sleep(0.2)\nprint('fine')"),
    })
    problems = failed_build(tmp_path)
    assert [p.location.path for p in problems] == ["content/01-s/01-exit.md"]
    (tmp_path / "content" / "01-s" / "01-exit.md").write_text(FRONT + "No cells now.\n")
    result = run_build(tmp_path)
    assert (result.execution.cells_run, result.execution.cells_cached) == (0, 1)
    assert cells_of(tmp_path / "_site" / "s" / "fine.html")[0].outputs == ["fine\n"]


def test_a_worker_that_dies_before_its_first_cell_is_reported(tmp_path: Path) -> None:
    # The chapter's process cannot even start its work (here: its folder is gone).
    # Every task must end with a result or an error, never vanish in silence:
    # otherwise the build succeeds with the chapter's outputs missing.
    task = Task(0, "cell", "print('hi')", 5, "svg", 5.0)
    job = ChapterJob("content/01-s/01-c.md", str(tmp_path / "missing"), (task,), {})
    start_fork_server()
    results = run_jobs([job], 1)
    found = results.get(job.path, [])
    assert len(found) == 1, found
    assert found[0].error is not None


# --- slots: at most --jobs chapters run at once, and a slot outlives its process ---------

def _interval_cell(seconds: float) -> str:
    return cell(f"import time\nstarted = time.time()\ntime.sleep({seconds})\n"
                "print(started, time.time())")


def test_no_more_chapters_run_at_once_than_jobs(tmp_path: Path) -> None:
    # pool.py starts one process more than --jobs; it must wait for a free slot.
    write_course(tmp_path / "content", {
        f"01-s/{k:02d}-c{k}.md": FRONT + _interval_cell(0.4) for k in range(1, 6)
    })
    run_build(tmp_path, jobs=2)
    intervals = []
    for k in range(1, 6):
        (found,) = cells_of(tmp_path / "_site" / "s" / f"c{k}.html")
        start, end = map(float, found.outputs[0].split())
        intervals.append((start, end))
    events = sorted([(start, 1) for start, _ in intervals] + [(end, -1) for _, end in intervals])
    running, most = 0, 0
    for _, change in events:  # an end sorts before a start at the same instant
        running += change
        most = max(most, running)
    assert most == 2, intervals


def test_chapters_still_run_where_the_system_has_no_shared_semaphores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Without /dev/shm, multiprocessing cannot make a semaphore (ImportError or OSError).
    from gradsite.execute import pool

    def no_semaphores(value: int) -> None:
        raise ImportError("This platform lacks a functioning sem_open implementation")

    monkeypatch.setattr(pool._context, "Semaphore", no_semaphores)
    write_course(tmp_path / "content", {
        f"01-s/{k:02d}-c{k}.md": FRONT + _interval_cell(0.2) for k in range(1, 4)
    })
    result = run_build(tmp_path, jobs=2)
    assert result.execution.cells_run == 3
    for k in range(1, 4):
        (found,) = cells_of(tmp_path / "_site" / "s" / f"c{k}.html")
        assert len(found.outputs[0].split()) == 2


def test_a_chapter_whose_process_dies_or_is_killed_frees_its_slot(tmp_path: Path) -> None:
    # With one slot, a slot kept by a dead process would leave the last chapter
    # waiting for ever: the build runs in a process of its own, with a time limit.
    ignores_timeout = (
        "import signal, time\n"
        "signal.signal(signal.SIGALRM, signal.SIG_IGN)  # the worker cannot interrupt it\n"
        "time.sleep(60)"
    )
    write_course(tmp_path / "content", {
        "01-s/01-exit.md": EXIT,
        "01-s/02-stuck.md": FRONT + cell(ignores_timeout, "timeout: 1"),
        "01-s/03-fine.md": FRONT + cell("print('fine')"),
    })
    done = subprocess.run(
        [sys.executable, str(REPO / "build.py"), "--content", "content", "--cache-dir", "cache",
         "-q", "-j", "1"],
        cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False,
    )
    assert done.returncode == 1, done.stderr
    assert "01-exit.md:5: the cell failed: its process ended before the cell" in done.stderr
    assert "02-stuck.md" in done.stderr and "timeout of 1 s" in done.stderr
    for name in ("01-exit.md", "02-stuck.md"):
        (tmp_path / "content" / "01-s" / name).write_text(FRONT + "No cells now.\n")
    result = run_build(tmp_path)
    assert (result.execution.cells_run, result.execution.cells_cached) == (0, 1)


# --- the cache ---------------------------------------------------------------------------

def _cache_course() -> dict[str, str]:
    return {
        "01-s/01-a.md": chapter_text(
            "Prose of A.\n",
            cell('import matplotlib.pyplot as plt\nplt.plot([1, 2])\nprint("a1")',
                 "caption: First caption"),
            cell('print("a2")'),
        ),
        "01-s/02-b.md": chapter_text(
            "Prose of B.\n",
            cell('b = 10\nprint("b1")'),
            cell('import matplotlib.pyplot as plt\nplt.plot([b, 1])\nprint("b2", b)'),
            cell('print("b3")'),
        ),
        "02-t/01-c.md": chapter_text("Prose of C.\n", cell('print("c1")', "format: png")),
    }


CELLS = 6


@pytest.fixture(scope="module")
def cached_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The course built once, and a pristine copy of it (content, cache and site)."""
    root = tmp_path_factory.mktemp("cached")
    course = root / "course"
    write_course(course / "content", _cache_course())
    with working_dir(course):
        result = run_build(course)
    assert (result.execution.cells_run, result.execution.cells_cached) == (CELLS, 0)
    shutil.copytree(course, root / "pristine")
    return root


@pytest.fixture
def warm(cached_root: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The built course, with its cache, as it was after its first build.

    Restored in place (cache keys may name the chapters' folders), and the
    test runs in it, as the first build did.
    """
    course = cached_root / "course"
    shutil.rmtree(course)
    shutil.copytree(cached_root / "pristine", course)
    monkeypatch.chdir(course)
    return course


def _pristine_site(cached_root: Path) -> dict[str, bytes]:
    return read_tree(cached_root / "pristine" / "_site")


def _edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / "content" / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def _entries(root: Path) -> list[Path]:
    return sorted((root / "cache").rglob("*.entry"))


def test_a_rebuild_runs_no_cell(warm: Path, cached_root: Path) -> None:
    result = run_build(warm)
    assert (result.execution.cells_run, result.execution.cells_cached) == (0, CELLS)
    assert result.execution.chapters == 0
    assert result.execution.figures == 2
    assert read_tree(warm / "_site") == _pristine_site(cached_root)


def test_editing_prose_runs_no_cell(warm: Path) -> None:
    _edit(warm, "01-s/02-b.md", "Prose of B.", "Better prose of B.")
    result = run_build(warm)
    assert result.execution.cells_run == 0
    assert "Better prose of B." in (warm / "_site" / "s" / "b.html").read_text()


def test_editing_a_caption_runs_no_cell_but_shows_the_caption(warm: Path) -> None:
    _edit(warm, "01-s/01-a.md", "First caption", "Second caption")
    result = run_build(warm)
    assert result.execution.cells_run == 0
    (figure,) = cells_of(warm / "_site" / "s" / "a.html")[0].figures
    assert "Second caption" in figure.caption_html


def test_editing_a_cell_runs_only_that_chapters_cells(warm: Path) -> None:
    _edit(warm, "01-s/02-b.md", "b = 10", "b = 20")
    result = run_build(warm)
    assert (result.execution.cells_run, result.execution.cells_cached) == (3, 3)
    assert result.execution.chapters == 1
    assert cells_of(warm / "_site" / "s" / "b.html")[1].outputs == ["b2 20\n"]
    again = run_build(warm)
    assert (again.execution.cells_run, again.execution.cells_cached) == (0, CELLS)


def test_changing_a_cells_format_runs_it_again(warm: Path) -> None:
    _edit(warm, "01-s/01-a.md", "caption: First caption", "format: png")
    result = run_build(warm)
    assert result.execution.cells_run == 2
    (figure,) = cells_of(warm / "_site" / "s" / "a.html")[0].figures
    assert (warm / "_site" / "s" / figure.img["src"]).read_bytes().startswith(PNG_SIGNATURE)


def test_no_cache_runs_every_cell_and_refreshes_the_cache(warm: Path,
                                                         cached_root: Path) -> None:
    result = run_build(warm, read_cache=False)
    assert (result.execution.cells_run, result.execution.cells_cached) == (CELLS, 0)
    assert read_tree(warm / "_site") == _pristine_site(cached_root)
    again = run_build(warm)
    assert again.execution.cells_run == 0


def _blobs(root: Path) -> list[Path]:
    return sorted(p for p in (root / "cache" / "blobs").rglob("*") if p.is_file())


def test_figures_are_kept_apart_and_a_prose_edit_reads_none(
        warm: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The cells' entries name their figures; the figures' bytes are files of their own.
    figures = {p.read_bytes() for p in (warm / "_site").rglob("*.svg")
               if "assets" not in p.parts}
    assert {p.read_bytes() for p in _blobs(warm)} == figures and len(figures) == 2
    assert not any(data in p.read_bytes() for p in _entries(warm) for data in figures)
    read: list[str] = []
    real_blob = Cache.blob

    def counting(self: Cache, sha256: str) -> bytes | None:
        read.append(sha256)
        return real_blob(self, sha256)

    run_build(warm)  # the site as a build here wrote it: restored, it was copied
    stamped_apart(warm / "_site")
    monkeypatch.setattr(Cache, "blob", counting)
    _edit(warm, "02-t/01-c.md", "Prose of C.", "Better prose of C.")  # C drew no figure
    assert run_build(warm).execution.cells_run == 0
    assert read == []  # every figure linked from the previous site, none read
    # A site that lost a figure gets it from the store; a store that lost one runs its cell.
    figure = next(p for p in (warm / "_site").rglob("*.svg") if "assets" not in p.parts)
    drawn = figure.read_bytes()
    stamped_apart(warm / "_site")
    figure.unlink()
    run_build(warm)
    assert len(read) == 1 and figure.read_bytes() == drawn
    for blob in _blobs(warm):
        blob.unlink()
    result = run_build(warm)
    assert result.execution.cells_run > 0 and {p.read_bytes() for p in _blobs(warm)} == figures


DAMAGE = ("garbage", "truncate", "empty", "flip-a-byte")


def _damage(entry: Path, how: str) -> None:
    data = entry.read_bytes()
    if how == "garbage":
        entry.write_bytes(bytes((i * 7 + 3) % 256 for i in range(len(data))))
    elif how == "truncate":
        entry.write_bytes(data[: len(data) // 2])
    elif how == "empty":
        entry.write_bytes(b"")
    else:  # one bit of the payload, past the header: the rest still unpickles, maybe
        middle = len(data) - max(len(data) // 3, 1)
        entry.write_bytes(data[:middle] + bytes([data[middle] ^ 0x01]) + data[middle + 1:])


def test_damaged_cache_entries_are_recomputed_never_served(warm: Path,
                                                          cached_root: Path) -> None:
    entries = _entries(warm)
    assert len(entries) >= CELLS
    for number, entry in enumerate(entries):
        _damage(entry, DAMAGE[number % len(DAMAGE)])
    result = run_build(warm)
    assert (result.execution.cells_run, result.execution.cells_cached) == (CELLS, 0)
    assert read_tree(warm / "_site") == _pristine_site(cached_root)
    again = run_build(warm)  # the damaged entries were replaced by good ones
    assert (again.execution.cells_run, again.execution.cells_cached) == (0, CELLS)


@pytest.mark.parametrize("how", DAMAGE)
def test_a_flipped_figure_entry_is_never_served(warm: Path, cached_root: Path,
                                                how: str) -> None:
    # The largest entries hold figures (SVG bytes): damage the biggest one only.
    victim = max(_entries(warm), key=lambda p: p.stat().st_size)
    _damage(victim, how)
    run_build(warm)
    assert read_tree(warm / "_site") == _pristine_site(cached_root)


def test_one_damaged_entry_among_good_ones(warm: Path, cached_root: Path) -> None:
    import random

    entries = _entries(warm)
    victim = random.Random(3).choice(entries)
    victim.write_bytes(b"not a cache entry")
    run_build(warm)
    assert read_tree(warm / "_site") == _pristine_site(cached_root)


def test_identical_cells_in_different_folders_get_their_own_outputs(tmp_path: Path) -> None:
    # The same code gives different outputs in different working folders; a warm
    # build must show what a cold one shows.
    reader = cell('print(open("data.txt").read().strip())')
    write_course(tmp_path / "content", {
        "01-s/01-a.md": FRONT + reader,
        "01-s/data.txt": "data of section one\n",
        "02-t/01-b.md": FRONT + reader,
        "02-t/data.txt": "data of section two\n",
    })
    run_build(tmp_path)
    cold = read_tree(tmp_path / "_site")
    assert cells_of(tmp_path / "_site" / "s" / "a.html")[0].outputs == ["data of section one\n"]
    assert cells_of(tmp_path / "_site" / "t" / "b.html")[0].outputs == ["data of section two\n"]
    run_build(tmp_path)
    assert cells_of(tmp_path / "_site" / "s" / "a.html")[0].outputs == ["data of section one\n"]
    assert cells_of(tmp_path / "_site" / "t" / "b.html")[0].outputs == ["data of section two\n"]
    assert read_tree(tmp_path / "_site") == cold


def test_a_prose_edit_re_renders_its_chapter_without_highlighting_code_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Code blocks highlighted in an earlier build come from the cache;
    # building a Pygments lexer is most of the cost of re-rendering a chapter.
    from gradsite.markup import highlight

    page = tmp_path / "_site" / "s" / "c.html"
    chapter = tmp_path / "content" / "01-s" / "01-c.md"
    write_course(tmp_path / "content", {"01-s/01-c.md": FRONT + "Prose.\n\n"
                 "```python\ndef f(x):\n    return x ** 2\n```\n\n" + cell("print(1 + 1)")})
    run_build(tmp_path)
    before = page.read_text()

    def no_lexer(lang: str) -> None:
        raise AssertionError(f"a {lang} lexer was built for unchanged code")

    monkeypatch.setattr(highlight, "_lexer", no_lexer)
    chapter.write_text(chapter.read_text().replace("Prose.", "Prose, edited."))
    run_build(tmp_path)
    after = page.read_text()
    assert "Prose, edited." in after
    assert after == before.replace("Prose.", "Prose, edited.")


# --- determinism and parallel order ------------------------------------------------------

SLEEPS = (0.3, 0.0, 0.2, 0.05, 0.25, 0.1)


def _parallel_course() -> dict[str, str]:
    files = {}
    for k, seconds in enumerate(SLEEPS, start=1):
        files[f"01-s/{k:02d}-c{k}.md"] = chapter_text(
            f"Chapter {k}.\n",
            cell(f"import time\nimport matplotlib.pyplot as plt\ntime.sleep({seconds})\n"
                 f'plt.figure(figsize=(3, 2))\nplt.title("ch{k} fig1")\nplt.show()'),
            cell(f'print("chapter {k}", [n * {k} for n in range(3)])'),
            cell(f'plt.figure(figsize=(3, 2))\nplt.plot([0, {k}])\nplt.title("ch{k} png")',
                 "format: png", f"caption: Powers of $x$ in chapter {k}"),
        )
    return files


@pytest.fixture(scope="module")
def parallel_builds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("parallel")
    write_course(root / "content", _parallel_course())
    with working_dir(root):
        one = run_build(root, out="site-j1", cache="cache-j1", jobs=1)
        three = run_build(root, out="site-j3", cache="cache-j3", jobs=3)
    for result in (one, three):
        assert result.execution.cells_run == 3 * len(SLEEPS)
        assert result.execution.figures == 2 * len(SLEEPS)
    return root


def test_parallel_and_serial_builds_with_empty_caches_are_byte_identical(
    parallel_builds: Path,
) -> None:
    serial = read_tree(parallel_builds / "site-j1")
    parallel = read_tree(parallel_builds / "site-j3")
    assert sorted(serial) == sorted(parallel)
    different = [path for path in serial if serial[path] != parallel[path]]
    assert different == []


def test_figures_are_numbered_per_chapter_in_order(parallel_builds: Path) -> None:
    site = parallel_builds / "site-j3"
    for k in range(1, len(SLEEPS) + 1):
        found = cells_of(site / "s" / f"c{k}.html")
        srcs = [f.img["src"] for c in found for f in c.figures]
        assert srcs == [f"figures/c{k}-1.svg", f"figures/c{k}-2.png"]
        svg = (site / "s" / "figures" / f"c{k}-1.svg").read_text(encoding="utf-8")
        assert f">ch{k} fig1</text>" in svg
        assert found[1].outputs == [f"chapter {k} {[0, k, 2 * k]}\n"]
        assert f"chapter {k}" in found[2].figures[0].caption_html


def test_svg_figures_carry_no_date_or_version(parallel_builds: Path) -> None:
    svgs = sorted((parallel_builds / "site-j3" / "s" / "figures").glob("*.svg"))
    assert len(svgs) == len(SLEEPS)
    for path in svgs:
        text = path.read_text(encoding="utf-8")
        assert "<dc:date>" not in text
        assert not re.search(r"\b(19|20)\d\d-\d\d-\d\d", text), path
        assert "Matplotlib v" not in text


def test_png_figures_carry_no_software_or_time(parallel_builds: Path) -> None:
    pngs = sorted((parallel_builds / "site-j3" / "s" / "figures").glob("*.png"))
    assert len(pngs) == len(SLEEPS)
    for path in pngs:
        data = path.read_bytes()
        assert data.startswith(PNG_SIGNATURE)
        assert b"tIME" not in data and b"Software" not in data


# --- progress and the command line ------------------------------------------------------

CLI_COURSE = {
    "01-s/01-c.md": chapter_text("Text.\n", cell('print("one")'), cell('print("two")')),
    "01-s/02-d.md": chapter_text("Text.\n", cell('print("three")')),
}


def _cli(root: Path, *extra: str) -> int:
    start_fork_server()
    return cli.main(["--content", str(root / "content"), "--out", str(root / "_site"),
                     "--cache-dir", str(root / "cache"), "--jobs", "2", *extra])


def test_the_command_prints_a_summary_of_cells_run_and_from_cache(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_course(tmp_path / "content", CLI_COURSE)
    assert _cli(tmp_path) == 0
    first = capsys.readouterr()
    summary = [line for line in first.out.splitlines() if "cells:" in line]
    assert len(summary) == 1
    assert "3 run" in summary[0] and "0 from cache" in summary[0]
    # stderr is not a terminal here: plain lines, one per chapter, no carriage returns
    assert "\r" not in first.err
    ran = [re.fullmatch(r"ran (\S+) \((\d)/3 tasks\)", line)
           for line in first.err.splitlines() if line.startswith("ran ")]
    assert all(ran), first.err
    assert sorted(m.group(1) for m in ran) == ["content/01-s/01-c.md", "content/01-s/02-d.md"]
    assert ran[-1].group(2) == "3"
    assert _cli(tmp_path) == 0
    unchanged = capsys.readouterr()
    assert "up to date" in unchanged.out and "cells:" not in unchanged.out
    for chapter in (tmp_path / "content" / "01-s").glob("*.md"):
        chapter.write_text(chapter.read_text() + "\nMore prose.\n")
    assert _cli(tmp_path) == 0
    second = capsys.readouterr()
    summary = [line for line in second.out.splitlines() if "cells:" in line]
    assert "0 run" in summary[0] and "3 from cache" in summary[0]
    assert _cli(tmp_path, "--no-cache") == 0
    third = capsys.readouterr()
    assert "3 run, 0 from cache" in third.out


def test_quiet_prints_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_course(tmp_path / "content", CLI_COURSE)
    assert _cli(tmp_path, "--quiet") == 0
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


def test_a_failing_cell_exits_1_with_file_line_and_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_course(tmp_path / "content", {"01-s/01-raise.md": RAISING})
    start_fork_server()
    assert cli.main(["--content", "content", "--out", "_site", "--cache-dir", "cache",
                     "--quiet"]) == 1
    err = capsys.readouterr().err
    assert f"content/01-s/01-raise.md:{RAISING_LINE}: the cell failed: ValueError: bad value 42" \
        in err
    assert "raise ValueError" in err  # the source line is shown
    assert "Traceback" not in err.split("traceback of the cell")[0]  # no builder traceback
    assert "gradsite/" not in err


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_on_a_terminal_is_one_live_line() -> None:
    stream = _Terminal()
    progress = Progress(3, stream=stream)
    progress.task_done("content/01-s/01-c.md")
    progress.task_done("content/01-s/01-c.md")
    progress.chapter_done("content/01-s/01-c.md")
    progress.task_done("content/01-s/02-d.md")
    progress.chapter_done("content/01-s/02-d.md")
    progress.close()
    text = stream.getvalue()
    assert "\n" not in text
    assert "3/3" in text and text.endswith("\r")


def test_progress_elsewhere_is_a_plain_line_per_chapter() -> None:
    stream = io.StringIO()
    progress = Progress(3, stream=stream)
    progress.task_done("content/01-s/01-c.md")
    progress.task_done("content/01-s/01-c.md")
    progress.chapter_done("content/01-s/01-c.md")
    progress.task_done("content/01-s/02-d.md")
    progress.chapter_done("content/01-s/02-d.md")
    progress.close()
    assert stream.getvalue().splitlines() == [
        "ran content/01-s/01-c.md (2/3 tasks)",
        "ran content/01-s/02-d.md (3/3 tasks)",
    ]


def _build_py_probe(tmp_path: Path, probe: str) -> list[str]:
    """Build a one-cell course with the real entry point, ``python build.py``, run from
    ``tmp_path`` (outside the repository); the printed lines of the cell."""
    write_course(tmp_path / "content", {"01-s/01-c.md": FRONT + cell(probe)})
    done = subprocess.run(
        [sys.executable, str(REPO / "build.py"), "--content", "content", "--out", "_site",
         "--cache-dir", "cache", "-q", "-j", "1"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False,
    )
    assert done.returncode == 0, done.stderr
    (found,) = cells_of(tmp_path / "_site" / "s" / "c.html")
    return found.outputs[0].splitlines()


def test_chapter_processes_start_warm_and_without_the_builder(tmp_path: Path) -> None:
    # pool.py: the fork server imports numpy, matplotlib and the worker once, so each
    # chapter's process starts warm; worker.py: it "never imports Jinja or Markdown".
    # A cell reports what its process holds, and whether its parent (the fork
    # server) has matplotlib's Agg renderer loaded, which only the worker module loads.
    probe = (
        "import os, sys\n"
        "print(sorted(m for m in ('jinja2', 'markdown', 'pykatex', 'gradsite.pipeline')\n"
        "             if m in sys.modules))\n"
        "server = open(f'/proc/{os.getppid()}/maps').read()\n"
        "print('preloaded' if '_backend_agg' in server else 'not preloaded')"
    )
    builder_modules, server = _build_py_probe(tmp_path, probe)
    assert builder_modules == "[]"
    assert server == "preloaded"


def test_a_gradsite_folder_where_the_build_runs_does_not_shadow_the_builders(
    tmp_path: Path,
) -> None:
    # The fork server starts with "python -c"; without PYTHONSAFEPATH the current
    # folder comes first on its path, and an unrelated "gradsite" there would be the
    # package every chapter's process inherits (and fails to unpickle its job with).
    decoy = tmp_path / "gradsite"
    decoy.mkdir()
    (decoy / "__init__.py").write_text("")
    (line,) = _build_py_probe(
        tmp_path, "import gradsite, os\nprint(os.path.dirname(gradsite.__file__))")
    assert Path(line) == REPO / "gradsite"


def _with_fork_server(tmp_path: Path, body: str) -> str:
    """Run ``body`` in a process of its own (this session's fork server must live on)
    after it has started a fork server whose pid is ``pid``; what it printed."""
    script = (
        "import atexit, os, signal, sys, time\n"
        "from multiprocessing import forkserver\n"
        "from gradsite.execute.pool import warm_up\n"
        "warm_up()\n"
        "pid = forkserver._forkserver._forkserver_pid\n"
    ) + body
    done = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True,
                          text=True, timeout=60, check=False,
                          env={**os.environ, "PYTHONPATH": str(REPO)})
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_the_fork_server_ends_when_the_builder_exits(tmp_path: Path) -> None:
    # Left alone it would tear down its interpreter after the builder has gone,
    # holding the builder's stdout open (a `| tee` would wait for it).
    printed = _with_fork_server(tmp_path, (
        "atexit._run_exitfuncs()  # what the interpreter does on its way out\n"
        "deadline = time.monotonic() + 10\n"
        "while time.monotonic() < deadline:\n"
        "    done, status = os.waitpid(pid, os.WNOHANG)\n"
        "    if done:\n"
        "        print(os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGTERM)\n"
        "        sys.exit(0)\n"
        "    time.sleep(0.05)\n"
        "print('still running')\n"
    ))
    assert printed == "True"


def test_a_process_forked_from_the_builder_leaves_its_fork_server_alone(
    tmp_path: Path,
) -> None:
    # A forked copy of the builder inherits its exit handlers (and the fork server's
    # pid) but not the fork server: its exit must not end the builder's.
    printed = _with_fork_server(tmp_path, (
        "child = os.fork()\n"
        "if child == 0:\n"
        "    atexit._run_exitfuncs()\n"
        "    os._exit(0)\n"
        "os.waitpid(child, 0)\n"
        "time.sleep(0.5)\n"
        "print('alive' if os.waitpid(pid, os.WNOHANG) == (0, 0) else 'ended')\n"
    ))
    assert printed == "alive"


def test_a_cell_may_start_processes_of_its_own(tmp_path: Path) -> None:
    # A course on parallel methods may use multiprocessing in a cell, as in a
    # notebook; a daemonic chapter process could not ("daemonic processes are not
    # allowed to have children").
    found = _built_cell(tmp_path, "from multiprocessing import Pool\n"
                                  "with Pool(2) as pool:\n"
                                  "    print(pool.map(abs, [-1, -2, 3]))")
    assert found.outputs == ["[1, 2, 3]\n"]


def test_printed_terminal_control_is_left_out_of_the_page(tmp_path: Path) -> None:
    # Coloured logging and progress bars print escape sequences and carriage
    # returns; HTML has no place for them (the Nu checker rejects U+001B).
    found = _built_cell(tmp_path, 'print("\\x1b[31mred\\x1b[0m and \\x07bell\\x00")\n'
                                  'print("loading 10%\\rloading 100%")')
    assert found.outputs == ["red and bell\nloading 100%\n"]


def test_a_cell_that_closes_stdout_keeps_what_it_printed(tmp_path: Path) -> None:
    found = _built_cell(tmp_path, 'import sys\nprint("before")\nsys.stdout.close()')
    assert found.outputs == ["before\n"]


def test_random_numbers_without_a_seed_are_the_same_on_every_build(tmp_path: Path) -> None:
    code = ("import random\nimport numpy as np\n"
            "print(random.random(), np.random.rand(2))")
    first = _built_cell(tmp_path / "a", code).outputs
    second = _built_cell(tmp_path / "b", code).outputs
    assert first == second and first[0].strip()


def _alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status  # a zombie has ended


@pytest.mark.parametrize(("signum", "word"), [(signal.SIGTERM, "terminated"),
                                              (signal.SIGINT, "interrupted")])
def test_a_stopped_build_stops_its_cells_at_once(tmp_path: Path, signum: int,
                                                  word: str) -> None:
    # A cancelled CI job sends SIGTERM: without a handler the builder died at once
    # and left the chapter's process running its cell past every timeout. Ctrl-C
    # waited for the cell's timeout before the builder could exit.
    pid_file = tmp_path / "cell.pid"
    write_course(tmp_path / "content", {"01-s/01-c.md": FRONT + cell(
        "import os, signal, time\n"
        "signal.signal(signal.SIGALRM, signal.SIG_IGN)  # deaf to its own timeout\n"
        f"open({str(pid_file)!r}, 'w').write(str(os.getpid()))\n"
        "time.sleep(60)", "timeout: 30")})
    builder = subprocess.Popen(
        [sys.executable, str(REPO / "build.py"), "--content", "content", "--out", "_site",
         "--cache-dir", "cache"],
        cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not (pid_file.exists() and pid_file.read_text()) and time.monotonic() < deadline:
            time.sleep(0.05)
        cell_pid = int(pid_file.read_text())
        builder.send_signal(signum)
        _, stderr = builder.communicate(timeout=15)  # the cell's timeout is 30 s
    finally:
        builder.kill()
    assert builder.returncode == 128 + signum
    assert f"{word}; no site was written" in stderr  # there was none before
    assert "Traceback" not in stderr
    deadline = time.monotonic() + 10
    while _alive(cell_pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(cell_pid)


def test_editing_a_data_file_a_cell_reads_runs_that_chapter_again(tmp_path: Path) -> None:
    # The cell's code is unchanged, but its output depends on the file it loads.
    write_course(tmp_path / "content", {
        "01-s/data/points.csv": "1,2\n3,4\n",
        "01-s/01-c.md": FRONT + cell("import numpy as np\n"
                                     "print(np.loadtxt('data/points.csv', delimiter=',').sum())"),
        "01-s/02-d.md": FRONT + cell("print('untouched')"),
    })
    assert run_build(tmp_path).execution.cells_run == 2
    assert run_build(tmp_path).execution.cells_run == 0
    (tmp_path / "content/01-s/data/points.csv").write_text("1,2\n3,40\n")
    assert run_build(tmp_path).execution.cells_run == 1  # only the chapter that read it
    (found,) = cells_of(tmp_path / "_site" / "s" / "c.html")
    assert found.outputs == ["46.0\n"]


def test_a_file_a_cell_writes_is_not_one_it_depends_on(tmp_path: Path) -> None:
    write_course(tmp_path / "content", {"01-s/01-c.md": FRONT + cell(
        "with open('made.txt', 'w') as handle:\n    handle.write('x')\nprint('wrote')")})
    assert run_build(tmp_path).execution.cells_run == 1
    (tmp_path / "content/01-s/made.txt").write_text("changed by hand")
    assert run_build(tmp_path).execution.cells_run == 0


# --- cells run as a script in the chapter's folder would --------------------------------

def test_printed_text_that_is_not_valid_unicode_is_shown_escaped(tmp_path: Path) -> None:
    # A lone surrogate (os.listdir() of a name that is not UTF-8, text read with
    # errors="surrogateescape") has no UTF-8 form: it crashed the chapter's process.
    found = _built_cell(tmp_path, "import sys\nprint('a\\ud800b')\n"
                                  "sys.stdout.write('x\\udcff y')")
    assert found.outputs == ["a\\ud800b\nx\\udcff y"]


def _processes_in(folder: Path) -> list[int]:
    """The processes whose working folder is ``folder`` or under it (a zombie has none)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            cwd = Path(os.readlink(entry / "cwd")) if entry.name.isdigit() else None
        except OSError:
            continue
        if cwd is not None and (cwd == folder or folder in cwd.parents):
            found.append(int(entry.name))
    return found


def _build_leaving_no_process(tmp_path: Path) -> None:
    """Build ``tmp_path/content``; no process may run in the content folder afterwards."""
    content = (tmp_path / "content").resolve()
    try:
        run_build(tmp_path, jobs=1)
        deadline = time.monotonic() + 10  # SIGKILL is sent at once, but not handled at once
        while _processes_in(content) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _processes_in(content) == []
    finally:
        for pid in _processes_in(content):  # a failing run's leftovers: not the next test's
            os.kill(pid, signal.SIGKILL)


def test_processes_a_cell_leaves_running_end_with_its_chapter(tmp_path: Path) -> None:
    # They outlived the build (found by their working folder after it): a subprocess,
    # a forked child, multiprocessing's children, and the fork server a cell starts
    # with another start method. One the cell waited for ran as usual.
    write_course(tmp_path / "content", {"01-s/01-c.md": FRONT + cell(
        "import multiprocessing as mp, os, subprocess, time\n"
        "subprocess.Popen(['sleep', '777'])\n"
        "if os.fork() == 0:\n"
        "    time.sleep(666)\n"
        "    os._exit(0)\n"
        "mp.Process(target=time.sleep, args=(555,)).start()\n"
        "mp.get_context('forkserver').Process(target=time.sleep, args=(444,)).start()\n"
        "print(subprocess.run(['echo', 'waited for'], capture_output=True, text=True).stdout)"),
        "01-s/02-d.md": FRONT + cell("print('the next chapter ran')")})
    _build_leaving_no_process(tmp_path)
    (found,) = cells_of(tmp_path / "_site" / "s" / "c.html")
    assert found.outputs == ["waited for\n\n"]
    assert cells_of(tmp_path / "_site" / "s" / "d.html")[0].outputs == ["the next chapter ran\n"]


def test_a_forked_child_the_cell_waits_for_ends_with_the_cell(tmp_path: Path) -> None:
    # The child came out of the cell and went on as the chapter's process (reporting,
    # running the next cells) or hung; the parent waited for it until its timeout.
    # What the child prints reaches the page, as a terminal would show it.
    write_course(tmp_path / "content", {"01-s/01-c.md": FRONT + cell(
        "import os\n"
        "pid = os.fork()\n"
        "if pid == 0:\n"
        "    print('child')\n"
        "else:\n"
        "    print('child exit code', os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))",
        "timeout: 10") + cell("print('next cell')")})
    _build_leaving_no_process(tmp_path)
    found = cells_of(tmp_path / "_site" / "s" / "c.html")
    assert [c.outputs for c in found] == [["child\nchild exit code 0\n"], ["next cell\n"]]


def test_a_pool_runs_a_function_defined_in_a_cell(tmp_path: Path) -> None:
    # pickle finds a function by its module, __main__: the cells' namespace must be the
    # module that sys.modules["__main__"] is, as in IPython, and the Pool's workers
    # must be forked from the chapter's process, which holds it.
    found = _built_cell(tmp_path, "import __main__, multiprocessing as mp\n"
                                  "def sq(x):\n"
                                  "    return x*x\n"
                                  "with mp.Pool(2) as p:\n"
                                  "    print(p.map(sq, range(5)))\n"
                                  "print(__main__.__dict__ is globals())")
    assert found.outputs == ["[0, 1, 4, 9, 16]\nTrue\n"]


def test_a_cell_imports_a_module_next_to_its_chapter_not_the_builders(tmp_path: Path) -> None:
    # As Jupyter puts the notebook's folder first. The builder's script folder
    # (build.py's, gradsite's checkout) was first instead.
    write_course(tmp_path / "content", {"01-s/helper.py": "WHO = 'next to the chapter'\n"})
    printed = _build_py_probe(tmp_path, (
        "import os, sys, helper\n"
        "print(helper.WHO)\n"
        "print(sys.path[0] == os.getcwd())\n"
        f"print([p for p in sys.path if os.path.realpath(p or '.') == {str(REPO)!r}])"))
    assert printed == ["next to the chapter", "True", "[]"]


def test_editing_a_module_a_cell_imports_runs_that_chapter_again(tmp_path: Path) -> None:
    helper = tmp_path / "content" / "01-s" / "helper.py"
    write_course(tmp_path / "content", {
        "01-s/helper.py": "WHO = 'first'\n",
        "01-s/01-c.md": FRONT + cell("import helper\nprint(helper.WHO)"),
    })
    # Bytecode left by an earlier run: the import then reads it, not helper.py.
    py_compile.compile(str(helper), importlib.util.cache_from_source(str(helper)),
                       doraise=True)
    assert run_build(tmp_path).execution.cells_run == 1
    assert run_build(tmp_path).execution.cells_run == 0
    helper.write_text("WHO = 'second, edited'\n")
    assert run_build(tmp_path).execution.cells_run == 1
    (found,) = cells_of(tmp_path / "_site" / "s" / "c.html")
    assert found.outputs == ["second, edited\n"]


@pytest.mark.parametrize(("module", "package"), [
    ("pandas", "pandas"), ("pandas.core", "pandas"), ("sklearn.linear_model", "scikit-learn"),
    ("cv2", "opencv-python"), ("PIL", "pillow"), ("yaml", "pyyaml"),
    ("skimage", "scikit-image"), ("bs4", "beautifulsoup4"),
])
def test_the_hint_for_a_missing_module_names_the_package(module: str, package: str) -> None:
    failure = TaskError(5, f"ModuleNotFoundError: No module named '{module}'", "")
    assert plan._hint(failure).endswith(f"({sys.executable} -m pip install {package})")


def test_cells_see_the_chapters_file_as_sys_argv_not_the_builders_flags(
    tmp_path: Path,
) -> None:
    # The flags were published in the page (and cached); argparse in a cell failed.
    printed = _build_py_probe(tmp_path, "import argparse, sys\n"
                                        "print(sys.argv, argparse.ArgumentParser().parse_args())")
    assert printed == ["['01-c.md'] Namespace()"]
