"""Worker processes that end with the process that started them."""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
import time
from typing import Any


def die_with(parent: int) -> None:
    """Worker initializer: end this worker when the process that started it ends, even by SIGKILL.

    Linux is asked to send the worker SIGKILL when its parent dies
    (PR_SET_PDEATHSIG); a daemon thread that watches the parent's pid does
    the same elsewhere, and covers a parent that died before the request.
    """
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass

    def watch() -> None:
        while True:
            if os.getppid() != parent:
                os._exit(1)
            time.sleep(0.5)

    if os.getppid() != parent:
        os._exit(1)
    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def fork_context() -> Any:
    """The multiprocessing context that forks, where the platform can (workers inherit what the parent holds),
    else the one that spawns."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1
