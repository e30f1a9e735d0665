"""Memoised recursive resolution without deep recursion.

Name resolution is naturally recursive: `a2 = a1; a1 = a0; a0 = eventlet.spawn` resolves
`a2` through `a1` and `a0`, and the project index asks one module's resolver about
another's names. A chain of twenty thousand aliases would need twenty thousand nested
calls, far past Python's recursion limit. `bounded` lets such a computation nest at most
`MAX_NESTING` deep: a step asked for deeper than that is set aside (`_TooDeepError`), the
outermost call computes it first, from the top, where its result is memoised, and then
tries again the step that needed it, which now finds it in the memo. A chain of N aliases
costs about 2N steps and never nests more than `MAX_NESTING` deep.

A step is identified by a key. The steps waiting on the worklist count as in progress:
reaching one again is a cycle (`is_waiting`), which the callers already treat as "nothing
new", so a cycle longer than `MAX_NESTING` ends too.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import TypeVar

T = TypeVar("T")

# Nested steps before the deepest is computed from the top. Each step is a handful of Python
# frames (the index's cross-module steps about a dozen): well below the recursion limit.
MAX_NESTING = 40


class _TooDeepError(Exception):
    """A step asked for past the nesting bound: computed from the top first."""

    def __init__(self, key: Hashable, compute: Callable[[], object]) -> None:
        super().__init__(key)
        self.key = key
        self.compute = compute


class _State(threading.local):
    def __init__(self) -> None:
        self.depth = 0
        self.waiting: set[Hashable] = set()


_state = _State()


def bounded(key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()`, the step `key`, memoised by the caller (it must store its result where
    a second call finds it before calling here again)."""
    state = _state
    if state.depth == 0:
        return _drive(key, compute)
    if state.depth >= MAX_NESTING:
        raise _TooDeepError(key, compute)
    state.depth += 1
    try:
        return compute()
    finally:
        state.depth -= 1


def is_waiting(key: Hashable) -> bool:
    """Whether the step `key` waits on the worklist for a deeper one: reaching it is a cycle."""
    return key in _state.waiting


def _drive(key: Hashable, compute: Callable[[], T]) -> T:
    state = _state
    work: list[tuple[Hashable, Callable[[], object]]] = [(key, compute)]
    while True:
        top_key, top = work[-1]
        state.waiting.discard(top_key)
        state.depth = 1
        try:
            result = top()
        except _TooDeepError as deeper:
            state.waiting.add(top_key)
            work.append((deeper.key, deeper.compute))
            continue
        except BaseException:
            state.waiting.difference_update(k for k, _ in work)
            raise
        finally:
            state.depth = 0
        work.pop()
        if not work:
            return result  # type: ignore[return-value]  # the first step's own result
