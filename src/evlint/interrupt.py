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

import os
import signal
import sys
import threading
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import TYPE_CHECKING, Any, NoReturn

import click

from evlint.stdio import guarded_stdout

if TYPE_CHECKING:
    from concurrent.futures import Executor

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
    """Pool workers leave Ctrl-C to the main process, which stops them with SIGTERM: that
    ends a worker at once (a forked worker would otherwise inherit `signals_as_interrupts`'s
    handler and print a traceback on its way out)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


_abandoned_pools: list[Executor] = []


def stop_pool(pool: Executor) -> None:
    """Stop a process pool now: its workers terminated, the pool abandoned.

    Python 3.11's executor cannot be shut down cleanly once its workers are killed (its
    threads wait for the rest of a half-sent result, or to feed jobs into a pipe nobody
    reads, and the interpreter's exit joins them), so the interrupted command exits at once
    instead (`InterruptibleGroup`): nothing is left to clean up, since a file being written
    has been completed first (signals_deferred).
    """
    # The executor's own threads may fail on the dead pipes before the exit: they are being
    # abandoned, and their traceback would be noise on an interrupted run's one line.
    import multiprocessing  # imported only by a run that started a pool

    threading.excepthook = _quiet_thread_failure
    children = multiprocessing.active_children()
    for child in children:
        child.terminate()
    for child in children:
        child.join(timeout=5)
        if child.is_alive():  # a handler of its own (a coverage tool's) kept it alive
            child.kill()
            child.join(timeout=5)
    _abandoned_pools.append(pool)


def _quiet_thread_failure(_args: threading.ExceptHookArgs) -> None:
    return None


def _exit(code: int) -> NoReturn:
    if _abandoned_pools:  # see stop_pool: the executor's threads would hang a normal exit
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


DEBUG_KEY = "evlint.debug"  # in click's shared ctx.meta: --debug was given


def remember_debug(ctx: click.Context, _param: click.Parameter, value: bool) -> bool:
    """The --debug option's callback: the group shows tracebacks when it is on."""
    ctx.meta[DEBUG_KEY] = value
    return value


class InterruptibleGroup(click.Group):
    """A click group whose commands exit with one line, never a traceback: 130/143 when
    interrupted, 2 on a crash outside the per-file isolation (a bug; --debug shows it)."""

    def invoke(self, ctx: click.Context) -> Any:
        with signals_as_interrupts():
            try:
                with guarded_stdout():
                    return super().invoke(ctx)
            except KeyboardInterrupt as interrupt:
                terminated = isinstance(interrupt, Terminated)
                click.echo("evlint: terminated" if terminated else "evlint: interrupted", err=True)
                _exit(128 + (signal.SIGTERM if terminated else signal.SIGINT))
            except (click.ClickException, click.exceptions.Exit, click.Abort):
                raise
            except Exception as error:
                if ctx.meta.get(DEBUG_KEY):
                    traceback.print_exc(file=sys.stderr)
                summary = f"{type(error).__name__}: {error}".splitlines()[0]
                hint = "" if ctx.meta.get(DEBUG_KEY) else "; --debug shows the traceback"
                click.echo(f"evlint: internal error: {summary} (please report{hint})", err=True)
                sys.exit(2)
