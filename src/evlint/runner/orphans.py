"""Pool workers die with the process that started them.

A worker waits for its next task on a pipe that its sibling workers also hold open, so
when the main process is killed outright (SIGKILL, the OOM killer) nothing ever tells it
to stop: it would wait forever, holding its memory. On Linux the kernel kills it when its
parent dies (prctl PR_SET_PDEATHSIG); elsewhere a daemon thread polls the parent's pid.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
POLL_SECONDS = 1.0


def die_with_parent(parent: int) -> None:
    """Called first thing in a worker whose parent is `parent`."""
    if not (sys.platform == "linux" and _death_signal(signal.SIGKILL)):
        threading.Thread(target=_watch, args=(parent,), name="evlint-parent-watch", daemon=True).start()
    if os.getppid() != parent:  # the parent died before the signal was asked for
        os._exit(1)


def _death_signal(signal_number: int) -> bool:
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return int(libc.prctl(PR_SET_PDEATHSIG, int(signal_number), 0, 0, 0)) == 0
    except (OSError, AttributeError):  # pragma: no cover - a libc without prctl
        return False


def _watch(parent: int) -> None:  # pragma: no cover - the platforms without prctl
    while os.getppid() == parent:
        time.sleep(POLL_SECONDS)
    os._exit(1)
