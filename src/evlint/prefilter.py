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
file, as every import, use or string naming it writes them; names a project module re-exports are the
project index's to find. A module that a pattern names alone (`eventlet`) needs nothing more.

Not seen, as by any text filter: a name spelled with escapes (`'\\x65ventlet'`) or split
across implicitly concatenated literals (`'event' 'let'`).
"""

from __future__ import annotations

from collections.abc import Iterable

from evlint.contextual import GREEN_ROOTS, needs_green_module
from evlint.import_lines import is_whole_word, on_import_line
from evlint.model import KeywordSelector, Rule, SettingSelector

_QUOTES = (ord("'"), ord('"'))
_GATE = 8  # bytes of a name searched for before the name itself


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
        # By module, then by the first name below it: each searched once per file.
        below: dict[bytes, dict[bytes, list[tuple[bytes, ...]]]] = {}
        for module, first, *rest in self.qualified:
            by_first = below.setdefault(module.encode(), {})
            by_first.setdefault(first.encode(), []).append(tuple(name.encode() for name in rest))
        self._below = {m: {f: tuple(r) for f, r in firsts.items()} for m, firsts in below.items()}
        # name -> whether it is a module (which an import line may name, not only a string).
        self._names = {name.encode(): False for name in self.string_starts} | {
            name.encode(): True for name in self.modules
        }
        # Each search reads the whole file, so names sharing their first bytes are searched for
        # only where those bytes occur (`__original_module_...`, `greenthread...`).
        gated: dict[bytes, list[tuple[bytes, bool]]] = {}
        for name, is_module in self._names.items():
            gated.setdefault(name[:_GATE], []).append((name, is_module))
        self._gated = tuple((gate, tuple(names)) for gate, names in gated.items())

    @classmethod
    def for_rules(cls, rules: Iterable[Rule]) -> Prefilter:
        modules: set[str] = set()
        string_starts: set[str] = set()
        words: set[str] = set()
        qualified: set[tuple[str, ...]] = set()
        for rule in rules:
            s = rule.selectors
            for pattern in (
                *s.call,
                *s.reference,
                *s.import_,
                *s.string_target,
                *(c.name for c in s.call_with if not needs_green_module(c)),
                *(maker for declared in s.objects for maker in declared.made_by),
            ):
                parts = pattern.removesuffix(".*").split(".")
                if parts[0] == "builtins" and len(parts) > 1:
                    words.add(parts[1])  # a builtin is used by its bare name
                elif len(parts) > 1:
                    qualified.add(tuple(parts))
                else:
                    modules.add(parts[0])
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
        if any(word in source for word in self._words):
            return True
        for gate, names in self._gated:
            if gate in source and any(_named(source, n, is_module) for n, is_module in names if n in source):
                return True
        return any(
            module in source
            and any(
                first in source and any(all(name in source for name in rest) for rest in rests)
                for first, rests in firsts.items()
            )
            and _named(source, module, True)
            for module, firsts in self._below.items()
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
