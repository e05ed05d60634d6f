"""The PDF pool's processes end with the process that started them, even when it is killed outright (`kill -9`),
instead of living on as orphans that hold memory and the data folder.

The fork server watches its parent from a thread (`watch_parent`, run by importing `fork_server_start` first); a
parent-death signal would not do for it, since Linux sends that when the thread that started it ends, and a pool is
started from a worker thread of the event loop. Each worker, forked by the fork server's only thread, asks for the
signal in its initializer (`end_with_parent`). The resource tracker then sees every end of its pipe close, and ends.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1
WATCH_SECONDS = 0.5


def end_with_parent() -> None:
    """Ask Linux to kill this process when the thread that forked it ends; if the parent is already gone, end now."""
    if not sys.platform.startswith("linux"):
        return
    parent = os.getppid()
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(0)


def watch_parent() -> None:
    """End this process soon after its parent process ends (the parent's pid is no longer its parent's)."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(WATCH_SECONDS)
        os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()
