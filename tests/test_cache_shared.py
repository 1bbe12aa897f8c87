"""One cache folder written by two builds at once (two sites, or serve and a build of
another output) stays consistent: every entry read is whole, none is lost."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from gradsite.cache import Cache

REPO = Path(__file__).resolve().parent.parent
ENTRIES = 300

WRITER = r"""
import sys
from pathlib import Path
from gradsite.cache import Cache

cache = Cache(Path(sys.argv[1]))
n = int(sys.argv[2])
for round in range(2):
    for i in range(n) if int(sys.argv[3]) % 2 == round % 2 else reversed(range(n)):
        key = f"{i:064x}"
        value = {"entry": i, "payload": bytes(range(256)) * (i % 40)}
        cache.put(key, value)
        other = cache.get(f"{(i * 7) % n:064x}")
        assert other is None or other["entry"] == (i * 7) % n, other
assert cache.failure is None, cache.failure
"""


def test_two_processes_writing_one_cache_leave_every_entry_whole(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, str(folder), str(ENTRIES),
                                 str(n)], env=env, stderr=subprocess.PIPE, text=True)
               for n in range(2)]
    for writer in writers:
        _, err = writer.communicate(timeout=300)
        assert writer.returncode == 0, err
    cache = Cache(folder)
    for i in range(ENTRIES):
        assert cache.get(f"{i:064x}") == {"entry": i, "payload": bytes(range(256)) * (i % 40)}
    assert [p.name for p in folder.rglob(".tmp-*")] == []
