"""Reading the text of a project's files for the spawn-wrapper search (`index.spawn_wrappers`)
without parsing: which words a file holds, and whether one lies in a module-level function.

A module-level function's block runs from its `def` (or `async def`) at the margin to the
first line after its first line that starts module-level code: anything but blank space, a
comment or a closing bracket at the margin (which still belongs to a signature or a call).
A `def` on the last line, with no line end after it, has no block.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from evlint.word_search import shared_start

_MODULE_DEF = re.compile(rb"(?:async[ \t]+)?def[ \t]")  # matched only at a line's start
# A line that starts module-level code, found by its line end before it: a search that
# starts with a literal byte is quick, where a `^` in MULTILINE mode tries every position.
_NEXT_MODULE_CODE = re.compile(rb"\n[^\s#)\]}]")
_NOT_MODULE_CODE = frozenset(b" \t\n\r\x0b\x0c#)]}")  # (`\s` of a bytes pattern, and the rest)
_SHARED = 5  # needles sharing this many first bytes are searched for behind the bytes they share


def in_module_function(source: bytes, needles: Iterable[bytes]) -> bool:
    """Whether one of `needles` (none holding a line end) lies in a module-level function's block.

    Each occurrence is placed by the module-level line it falls under (the last line starting
    module-level code at or before it), so only the file's text up to the occurrences is read.
    """
    occurrences = sorted({start for needle in needles for start in _occurrences(source, needle)})
    if not occurrences:
        return False
    tops = _module_code_starts(source)
    top = next(tops, None)
    if top is None or top > occurrences[-1]:
        return False
    following = next(tops, None)
    for start in occurrences:
        while following is not None and following <= start:
            top, following = following, next(tops, None)
        if top <= start and _MODULE_DEF.match(source, top) and source.find(b"\n", top) != -1:
            return True
    return False


def _occurrences(source: bytes, needle: bytes) -> Iterator[int]:
    start = source.find(needle)
    while start != -1:
        yield start
        start = source.find(needle, start + 1)


def _module_code_starts(source: bytes) -> Iterator[int]:
    if source and source[0] not in _NOT_MODULE_CODE:
        yield 0
    for found in _NEXT_MODULE_CODE.finditer(source):
        yield found.start() + 1


@dataclass(frozen=True)
class Needles:
    """Needles grouped by their first bytes: a group of several behind the start they share
    (`spawn` for `spawn(` and `spawn_n(`), which most texts do not hold."""

    groups: tuple[tuple[bytes | None, tuple[bytes, ...]], ...]

    @classmethod
    def of(cls, needles: Iterable[bytes]) -> Needles:
        by_start: dict[bytes, list[bytes]] = {}
        for needle in sorted(set(needles)):
            by_start.setdefault(needle[:_SHARED], []).append(needle)
        groups = [
            (shared_start(group) if len(group) > 1 else None, tuple(group)) for group in by_start.values()
        ]
        return cls(tuple(groups))

    def held_by(self, source: bytes, absent: set[bytes] | None = None) -> list[bytes]:
        """The needles `source` holds. `absent`: needles known absent from it (filled in here):
        a needle holding one of them is not searched for."""
        absent = set() if absent is None else absent
        found: list[bytes] = []
        for gate, group in self.groups:
            if gate is None or _holds(gate, source, absent):
                found.extend(needle for needle in group if _holds(needle, source, absent))
        return found


def _gate(group: Sequence[bytes]) -> bytes | None:
    return shared_start(group) if len(group) > 1 else None


def _holds(needle: bytes, source: bytes, absent: set[bytes]) -> bool:
    if needle in absent or any(word in needle for word in absent):
        return False
    if needle in source:
        return True
    absent.add(needle)
    return False
