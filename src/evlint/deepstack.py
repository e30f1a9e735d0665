"""Running one analysis again with room for deeply nested code.

Valid Python can nest deeper than the default recursion limit allows the `ast` module and
the engine's tree walks to go (`f()()()...` ten thousand times: Python runs it, `ast.parse`
raises RecursionError). Such a file is analysed again in a thread of its own with a large
stack and a higher recursion limit; only what even that cannot hold is "nested too deeply".
The retry costs nothing for ordinary files: it runs only after a RecursionError.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

DEEP_STACK_BYTES = 512 * 1024 * 1024  # reserved address space; pages are used only as needed
DEEP_RECURSION_LIMIT = 200_000
_THREAD_NAME = "evlint-deep-stack"
_lock = threading.Lock()  # the recursion limit is process-wide: one deep retry at a time


def _new_lock() -> None:
    global _lock  # a forked pool worker must not inherit a lock held at fork time
    _lock = threading.Lock()


os.register_at_fork(after_in_child=_new_lock)


def with_deep_stack(work: Callable[[], T]) -> T:
    """`work()` in a thread with a large stack and a high recursion limit; its exception
    (RecursionError if even that is not enough) is raised here."""
    if threading.current_thread().name == _THREAD_NAME:  # already as deep as it gets
        return work()
    outcome: list[T] = []
    failure: list[BaseException] = []

    def run() -> None:
        try:
            outcome.append(work())
        except BaseException as error:  # handed to the calling thread, which decides
            failure.append(error)

    with _lock:
        old_limit, old_size = sys.getrecursionlimit(), threading.stack_size()
        try:
            threading.stack_size(DEEP_STACK_BYTES)
            sys.setrecursionlimit(max(old_limit, DEEP_RECURSION_LIMIT))
            thread = threading.Thread(target=run, name=_THREAD_NAME)
            thread.start()
            thread.join()
        finally:
            threading.stack_size(old_size)
            sys.setrecursionlimit(old_limit)
    if failure:
        raise failure[0]
    return outcome[0]
