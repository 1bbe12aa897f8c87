"""Whether this process is one of a build's chapter processes, still starting.

Such a process first runs the builder's main script again (as ``__mp_main__``,
as multiprocessing does for every process it starts). A script that starts a
build at its top level would start a second build there, which would wait for the
first one's output folder while the first waits for its chapters. Kept apart from
pool.py so that a build that runs no cell need not import multiprocessing to ask.
"""

from __future__ import annotations

import sys

from ..diagnostics import BuildFailed, Location, error


def refuse_in_a_starting_worker() -> None:
    """Raise BuildFailed, naming the script and the fix, in a starting chapter process."""
    # Not imported here: a process that has not imported it is no chapter's.
    multiprocessing = sys.modules.get("multiprocessing")
    if multiprocessing is None or not getattr(multiprocessing.current_process(),
                                              "_inheriting", False):
        return
    script = getattr(sys.modules.get("__mp_main__"), "__file__", None) or "the script"
    raise BuildFailed([error(
        Location(str(script)),
        "this script starts a build each time it runs, and each of the build's "
        "chapter processes runs it again as it starts",
        'start the build under `if __name__ == "__main__":`, as build.py does')])
