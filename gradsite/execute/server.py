"""The fork server's own settings: imported by the fork server alone, as the last of
its preloaded modules (pool.PRELOAD), never by the builder or a chapter's process.

The fork server ends when the builder has gone and with it every chapter's
process (the stdlib's pipe, which each of them holds, reaches its end). Then it
ends at once: tearing down an interpreter that holds numpy and matplotlib takes
it ~0.2 s on a quiet machine, over a second on a loaded one, and it holds nothing
worth a clean exit. The builder that exits normally kills it (pool.py).
"""

from __future__ import annotations

import atexit
import os

_SERVER = os.getpid()


def _exit_at_once() -> None:
    # Chapters are forked from the server and inherit this handler; they end with
    # os._exit() and never run it, but a pid is the guarantee.
    if os.getpid() == _SERVER:
        os._exit(0)


atexit.register(_exit_at_once)  # run first: registered last
