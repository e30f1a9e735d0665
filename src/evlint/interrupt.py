"""Interrupted runs: Ctrl-C and SIGTERM stop evlint cleanly, never in the middle of a write.

- While a command runs, SIGTERM raises `Terminated` (a KeyboardInterrupt) in the main
  thread, as Ctrl-C does, so `finally` blocks and cleanups run: the process pool's
  workers are stopped and evlint exits 130 (SIGINT) or 143 (SIGTERM) with one line,
  not click's "Aborted!" and exit 1, which would read as "findings".
- A file is written with both signals blocked (`signals_deferred`) from the creation of
  its temporary file to the rename over the original: a signal that arrives meanwhile is
  delivered once the file is complete, so every file is the old or the new content and
  no temporary file is left behind. Only SIGKILL (which nothing can catch) can stop a
  write halfway, and even then the original is intact: the rename is atomic.
"""

from __future__ import annotations

import multiprocessing
import signal
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import Executor
from contextlib import contextmanager
from types import FrameType
from typing import Any

import click

_DEFERRED = {signal.SIGINT, signal.SIGTERM}


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the program was, like Ctrl-C's KeyboardInterrupt."""


def _raise_terminated(_signum: int, _frame: FrameType | None) -> None:
    raise Terminated


@contextmanager
def signals_as_interrupts() -> Iterator[None]:
    """SIGTERM raises `Terminated` while the block runs (in the main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextmanager
def signals_deferred() -> Iterator[None]:
    """SIGINT and SIGTERM wait until the block is done (POSIX; elsewhere nothing changes)."""
    if not hasattr(signal, "pthread_sigmask"):  # pragma: no cover - Windows
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _DEFERRED)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def ignore_interrupts_in_worker() -> None:
    """Pool workers leave Ctrl-C to the main process, which stops them (no traceback per worker)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def stop_pool(pool: Executor) -> None:
    """Stop a process pool now: pending work cancelled, running workers terminated."""
    for child in multiprocessing.active_children():
        child.terminate()
    pool.shutdown(wait=False, cancel_futures=True)


class InterruptibleGroup(click.Group):
    """A click group whose commands exit 130/143 with one line when interrupted."""

    def invoke(self, ctx: click.Context) -> Any:
        with signals_as_interrupts():
            try:
                return super().invoke(ctx)
            except KeyboardInterrupt as interrupt:
                terminated = isinstance(interrupt, Terminated)
                click.echo("evlint: terminated" if terminated else "evlint: interrupted", err=True)
                sys.exit(128 + (signal.SIGTERM if terminated else signal.SIGINT))
