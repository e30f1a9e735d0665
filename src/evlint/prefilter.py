"""The text pre-filter: whether a file can hold anything the rules match, decided without parsing.

A qualified name such as `eventlet.spawn` only ever reaches the engine through an import
statement (`import eventlet`, `from eventlet.green import threading`, a star import) or a
string literal (`importlib.import_module('eventlet')`, `mock.patch('eventlet.spawn')`), so
a file can match a pattern rooted at `eventlet` only if `eventlet` appears as a word on a
line that says `import` or `from` (backslash continuations included) or right after a
quote. That rules out the many files that name eventlet only in comments, docstrings or
longer identifiers (`fake_eventlet_event`). Builtins (`builtins.open`) are used by their
bare name, which must simply appear; a keyword selector's string value must appear as
the start of a string literal.

Not seen, as by any text filter: a name spelled with escapes (`'\\x65ventlet'`) or split
across implicitly concatenated literals (`'event' 'let'`).
"""

from __future__ import annotations

from collections.abc import Iterable

from evlint.import_lines import is_whole_word, on_import_line
from evlint.model import Rule

_QUOTES = (ord("'"), ord('"'))


class Prefilter:
    """`may_match(source)` is False only for a file in which no rule can match."""

    def __init__(
        self,
        modules: Iterable[str] = (),
        string_starts: Iterable[str] = (),
        words: Iterable[str] = (),
    ) -> None:
        self.modules = tuple(sorted(set(modules)))
        self.string_starts = tuple(sorted(set(string_starts)))
        self.words = tuple(sorted(set(words)))
        self._words = tuple(word.encode() for word in self.words)
        # name -> whether it is a module (which an import line may name, not only a string).
        self._names = {name.encode(): False for name in self.string_starts} | {
            name.encode(): True for name in self.modules
        }

    @classmethod
    def for_rules(cls, rules: Iterable[Rule]) -> Prefilter:
        modules: set[str] = set()
        string_starts: set[str] = set()
        words: set[str] = set()
        for rule in rules:
            s = rule.selectors
            for pattern in (
                *s.call,
                *s.reference,
                *s.import_,
                *s.string_target,
                *(c.name for c in s.call_with),
            ):
                parts = pattern.removesuffix(".*").split(".")
                if parts[0] == "builtins" and len(parts) > 1:
                    words.add(parts[1])  # a builtin is used by its bare name
                else:
                    modules.add(parts[0])
            for keyword in s.keyword:
                if isinstance(keyword.value, str) and keyword.value:
                    string_starts.add(keyword.value)
                else:
                    words.add(keyword.name)
            if s.unused_noqa:
                words.update(("noqa", "NOQA"))  # a file without the word has no directive
            # Dependency selectors match declaration files, which are not pre-filtered.
        return cls(modules, string_starts, words)

    def may_match(self, source: bytes) -> bool:
        if any(word in source for word in self._words):
            return True
        return any(
            _named(source, name, is_module) for name, is_module in self._names.items() if name in source
        )


def _named(source: bytes, name: bytes, is_module: bool) -> bool:
    """Whether `name` opens a string literal in `source` or, for a module, sits on an import line.

    bytes.find, not a regular expression: a lookbehind defeats the regex engine's literal
    search, and this runs on every file of the tree.
    """
    start = source.find(name)
    while start >= 0:
        if start and source[start - 1] in _QUOTES:
            return True
        end = start + len(name)
        if is_module and is_whole_word(source, start, end) and on_import_line(source, start):
            return True
        start = source.find(name, end)
    return False
