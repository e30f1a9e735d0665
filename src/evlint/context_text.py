"""Whether a file's text can hold a call in a context (`async def`, a loop, `while True:`),
decided without parsing: a context is made by keywords, and a text without them has none.

Each test may say yes where there is no such context (the word in a string or a comment);
it never says no where there is one. The spawn-wrapper search asks it of the files that may
call a wrapper (`index.spawn_wrappers`): one that cannot hold a selector's other contexts
is not linted for green code.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from evlint.contextual import ASYNC_DEF, LOOP, WHILE_TRUE

TextTest = Callable[[bytes], bool]

_ASYNC = re.compile(rb"\basync\b")
_LOOP = re.compile(rb"\b(?:for|while)\b")
_WHILE = re.compile(rb"\bwhile\b")
# What may follow `while` when its test is a constant that is true (`True`, `1`, a string,
# `...`; `not x` or a name is no constant): spaces and backslash continuations, then the
# constant's first bytes. An opening bracket may hide anything (a line break, a comment):
# taken as a constant, as is a backslash left over.
_CONSTANT_AFTER_WHILE = re.compile(rb"""[ \t]*(?:\\\r?\n[ \t]*)*(?:True\b|[0-9.'"(\\]|[rRbBuUfF]{1,2}['"])""")


def holds_while_true(source: bytes) -> bool:
    """Whether a `while` in the text may test a constant (`while True:`, `while (1):`)."""
    return any(_CONSTANT_AFTER_WHILE.match(source, found.end()) for found in _WHILE.finditer(source))


_TESTS: dict[str, TextTest] = {
    ASYNC_DEF: lambda source: _ASYNC.search(source) is not None,
    LOOP: lambda source: _LOOP.search(source) is not None,
    WHILE_TRUE: holds_while_true,
}


def may_hold_contexts(inside: Iterable[str]) -> TextTest:
    """A test passed by every text that may hold a call inside all of these contexts (those
    without a keyword of their own, such as green code, ask nothing of the text)."""
    tests = [_TESTS[context] for context in sorted(set(inside)) if context in _TESTS]
    return lambda source: all(test(source) for test in tests)
