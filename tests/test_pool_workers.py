"""Worker processes end with the process that started them, even when it is killed outright."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

PARENT = """
import multiprocessing, sys
from pathlib import Path
from events.extract import ArticleMeta
from events.extract.pool import read_many
texts = [p.read_bytes() for p in sorted(Path(sys.argv[1]).glob("*.txt"))]
jobs = [(t + f"\\n{i}".encode(), f"a{i}.txt", ArticleMeta()) for i in range(3000) for t in texts[:1]]
results = read_many(jobs, workers=2)
next(results)
print(" ".join(str(p.pid) for p in multiprocessing.active_children()), flush=True)
for _ in results:
    pass
"""


def alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\\nState:\\tZ" not in status and "State:\tZ" not in status


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads process states from /proc")
def test_workers_exit_when_the_parent_is_killed():
    parent = subprocess.Popen([sys.executable, "-c", PARENT, str(ROOT / "seeds")], cwd=ROOT,
                              stdout=subprocess.PIPE, text=True)
    try:
        workers = [int(p) for p in parent.stdout.readline().split()]
        assert len(workers) == 2 and all(alive(w) for w in workers)
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait()
        deadline = time.monotonic() + 10
        while any(alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(alive(w) for w in workers)
    finally:
        if parent.poll() is None:
            parent.kill()
        for w in workers if "workers" in locals() else ():
            if alive(w):
                os.kill(w, signal.SIGKILL)
