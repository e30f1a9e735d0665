"""Which of many words a text holds, read in one pass over the text.

`word in text` reads the text once per word, and the text pre-filter and the project index
ask each file for a dozen words or more, most of which it does not hold. RE2's set of
literal patterns (google-re2, which pathspec's `re2` extra installs) reports every word a
text holds in one pass, in time linear in the text, at about the cost of four `in` tests. Its automaton
has about one state per byte of the words, so the words go into sets of a bounded total
length: no set can run out of the memory RE2 gives it (it would then report nothing).
Where fewer words than that are looked for in every text, each is looked up when asked.
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Sequence
from typing import Any

_FEW = 4  # fewer words than this looked for in every text: each is looked up when asked
_SET_BYTES = 1024  # the words of one RE2 set: their total length at most this (or one word)
_MAX_MEM = 64 << 20  # RE2's memory budget for a set: far more than `_SET_BYTES` of words need


class WordSearch:
    """`held_by(text)`: the words of `words` that `text` holds (`word in text`). `per_text`:
    how many of them are looked for in every text (the others only where one of those is
    found); all of them, if not given."""

    def __init__(self, words: Iterable[bytes], per_text: int | None = None) -> None:
        self.words = tuple(sorted(set(words)))
        self._one_pass = (len(self.words) if per_text is None else per_text) >= _FEW
        self._sets: tuple[tuple[tuple[bytes, ...], Any], ...] | None = None  # (compiled when first asked)

    def __reduce__(self) -> tuple[type[WordSearch], tuple[tuple[bytes, ...], int]]:
        return WordSearch, (self.words, _FEW if self._one_pass else 0)  # (compiled sets do not pickle)

    def held_by(self, text: bytes) -> Container[bytes]:
        """Asked only about words of `words`."""
        if not self._one_pass:
            return _LookedUp(text)
        if self._sets is None:  # (the empty word, in every text, is no pattern RE2 reports)
            self._sets = tuple(_compiled(chunk) for chunk in _chunks(tuple(filter(None, self.words))))
        found: set[bytes] = {b""} if self.words and not self.words[0] else set()
        for chunk, compiled in self._sets:
            found.update(chunk[index] for index in compiled.Match(text) or ())
        return frozenset(found)


class _LookedUp:
    """`word in text`, looked up when asked."""

    __slots__ = ("_text",)

    def __init__(self, text: bytes) -> None:
        self._text = text

    def __contains__(self, word: object) -> bool:
        return isinstance(word, bytes) and word in self._text


def _chunks(words: tuple[bytes, ...]) -> list[tuple[bytes, ...]]:
    chunks: list[list[bytes]] = [[]] if words else []
    size = 0
    for word in words:
        if chunks[-1] and size + len(word) > _SET_BYTES:
            chunks.append([])
            size = 0
        chunks[-1].append(word)
        size += len(word)
    return [tuple(chunk) for chunk in chunks]


def _compiled(words: tuple[bytes, ...]) -> tuple[tuple[bytes, ...], Any]:
    import re2  # type: ignore[import-untyped]  # (loaded by a run that searches for many words)

    options = re2.Options()
    options.literal = True
    options.encoding = re2.Options.Encoding.LATIN1  # bytes as they are, not UTF-8
    options.max_mem = _MAX_MEM
    compiled = re2.Set.SearchSet(options)
    for word in words:
        compiled.Add(word)
    compiled.Compile()
    return words, compiled


def shared_start(names: Sequence[bytes]) -> bytes:
    """The bytes every name of `names` starts with."""
    first, last = min(names), max(names)
    size = 0
    while size < len(first) and first[size] == last[size]:
        size += 1
    return first[:size]
