"""The text pre-filter: whether a file can hold anything the rules match, decided without parsing.

A qualified name such as `eventlet.spawn` only ever reaches the engine through an import
statement (`import eventlet`, `from eventlet.green import threading`, a star import) or a
string literal (`importlib.import_module('eventlet')`, `mock.patch('eventlet.spawn')`), so
a file can match a pattern rooted at `eventlet` only if `eventlet` appears as a word on a
line that says `import` or `from` (backslash continuations included) or right after a
quote. That rules out the many files that name eventlet only in comments, docstrings or
longer identifiers (`fake_eventlet_event`). Builtins (`builtins.open`) are used by their
bare name, which must simply appear; a keyword selector's string value must appear as
the start of a string literal. A pattern below a module (`oslo_utils.eventletutils.Event`)
also needs each name under the module (`eventletutils`, `Event`) written somewhere in the
file as a whole word, as every import, use or string naming it writes them (`service` in
`oslo_service` or `service_fixture` is not `oslo_service.service`); names a project module
re-exports are the project index's to find. A module that a pattern names alone (`eventlet`)
needs nothing more.

Every word looked for is looked for in one pass over the file (`evlint.word_search`), and
most files hold none of them; only the words a file holds are then read in place (on an
import line, after a quote, as a whole word). A name holding a plain word is left to the
word, and a pattern below a module is not read for once a shorter name it holds (`eventlet`
in `eventletutils`) is known to be absent.

Not seen, as by any text filter: a name spelled with escapes (`'\\x65ventlet'`) or split
across implicitly concatenated literals (`'event' 'let'`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from evlint.contextual import GREEN_ROOTS, needs_green_module
from evlint.import_lines import is_whole_word, on_import_line
from evlint.model import KeywordSelector, Rule, SettingSelector
from evlint.word_search import WordSearch, shared_start

_QUOTES = (ord("'"), ord('"'))
_GROUP = 5  # names sharing this many first bytes are searched for behind the bytes they share


@dataclass(frozen=True)
class _Below:
    """A pattern below a module: its names under the module, and the gates (searched first)
    that are part of one of them, so that the pattern cannot be there where one is not."""

    names: tuple[bytes, ...]
    gates: frozenset[bytes]


class Prefilter:
    """`may_match(source)` is False only for a file in which no rule can match."""

    def __init__(
        self,
        modules: Iterable[str] = (),
        string_starts: Iterable[str] = (),
        words: Iterable[str] = (),
        qualified: Iterable[tuple[str, ...]] = (),
    ) -> None:
        self.modules = tuple(sorted(set(modules)))
        self.string_starts = tuple(sorted(set(string_starts)))
        self.words = tuple(sorted(set(words)))
        self._words = tuple(word.encode() for word in self.words)
        # (module, *names below it) for patterns whose module alone is not enough: the names must
        # also be written somewhere in the file (`oslo_utils` is everywhere, `eventletutils` not).
        self.qualified = tuple(sorted({q for q in qualified if q[0] not in self.modules}))
        # name -> whether it is a module (which an import line may name, not only a string); a
        # name holding a word is found by the word alone.
        names = {name.encode(): False for name in self.string_starts} | {
            name.encode(): True for name in self.modules
        }
        names = {name: is_module for name, is_module in names.items() if not self._has_word(name)}
        groups: dict[bytes, list[tuple[bytes, bool]]] = {}
        for name, is_module in sorted(names.items()):
            groups.setdefault(name[:_GROUP], []).append((name, is_module))
        self._gated = tuple(
            (shared_start([name for name, _ in group]), tuple(group)) for group in groups.values()
        )
        gates = [gate for gate, _ in self._gated]
        below: dict[bytes, list[_Below]] = {}
        for module, *under in self.qualified:
            parts = tuple(name.encode() for name in under)
            if not self._has_word(module.encode()) and not any(self._has_word(part) for part in parts):
                held = frozenset(gate for gate in gates if any(gate in part for part in parts))
                below.setdefault(module.encode(), []).append(_Below(parts, held))
        self._below = tuple((module, tuple(patterns)) for module, patterns in below.items())
        self._search = WordSearch(
            {
                *self._words,
                *(word for gate, names in self._gated for word in (gate, *(name for name, _ in names))),
                *(word for module, patterns in self._below for p in patterns for word in (module, *p.names)),
            },
            per_text=len(self._words) + len(self._gated) + len(self._below),
        )

    def _has_word(self, name: bytes) -> bool:
        return any(word in name for word in self._words)

    @classmethod
    def for_names(cls, patterns: Iterable[str]) -> Prefilter:
        """For code that names any of these qualified names (`a.b.*`: what is below `a.b`)."""
        modules: set[str] = set()
        words: set[str] = set()
        qualified: set[tuple[str, ...]] = set()
        _add_names(patterns, modules, words, qualified)
        return cls(modules, (), words, qualified)

    @classmethod
    def for_rules(cls, rules: Iterable[Rule]) -> Prefilter:
        modules: set[str] = set()
        string_starts: set[str] = set()
        words: set[str] = set()
        qualified: set[tuple[str, ...]] = set()
        for rule in rules:
            s = rule.selectors
            patterns = (
                *s.call,
                *s.reference,
                *s.import_,
                *s.string_target,
                *(c.name for c in s.call_with if not needs_green_module(c)),
                *(maker for declared in s.objects for maker in declared.made_by),
            )
            _add_names(patterns, modules, words, qualified)
            if any(needs_green_module(c) for c in s.call_with):
                modules.update(GREEN_ROOTS)  # green code needs an eventlet import in the module
            valued: list[KeywordSelector | SettingSelector] = [*s.keyword, *s.setting]
            for keyword in valued:
                if isinstance(keyword.value, str) and keyword.value:
                    string_starts.add(keyword.value)
                else:
                    words.add(keyword.name)
            # Dependency selectors match declaration files, which are not pre-filtered, and
            # the requirement strings of a setup.py.
            string_starts.update(name for name in s.dependency if name)
            if s.unused_noqa:
                words.update(("noqa", "NOQA"))  # a file without the word has no directive
        return cls(modules, string_starts, words, qualified)

    def may_match(self, source: bytes) -> bool:
        held = self._search.held_by(source)  # (every word looked for below, in one pass)
        if any(word in held for word in self._words):
            return True
        present = set()
        for gate, names in self._gated:
            if gate in held:
                present.add(gate)
                if any(n in held and _named(source, n, is_module) for n, is_module in names):
                    return True
        for module, patterns in self._below:
            if module not in held:
                continue
            possible = [pattern for pattern in patterns if pattern.gates <= present]
            if possible and _named(source, module, True):
                written: dict[bytes, bool] = {}
                for pattern in possible:
                    if all(name in held and _written(source, name, written) for name in pattern.names):
                        return True
        return False


def _add_names(
    patterns: Iterable[str], modules: set[str], words: set[str], qualified: set[tuple[str, ...]]
) -> None:
    for pattern in patterns:
        parts = pattern.removesuffix(".*").split(".")
        if parts[0] == "builtins" and len(parts) > 1:
            words.add(parts[1])  # a builtin is used by its bare name
        elif len(parts) > 1:
            qualified.add(tuple(parts))
        else:
            modules.add(parts[0])


def _written(source: bytes, name: bytes, known: dict[bytes, bool]) -> bool:
    """Whether `name` is in `source` as a whole word (remembered in `known`)."""
    found = known.get(name)
    if found is None:
        found = known[name] = _whole_word_in(source, name)
    return found


def _whole_word_in(source: bytes, name: bytes) -> bool:
    start = source.find(name)
    while start >= 0:
        end = start + len(name)
        if is_whole_word(source, start, end):
            return True
        start = source.find(name, end)
    return False


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
