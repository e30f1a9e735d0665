"""Which files may use a hub's names, decided from their text: the tokens each hub makes
such a file contain, regrouped so a file is scanned for each token once."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field

from evlint.import_lines import imported_by_name, used_as_attribute
from evlint.word_search import WordSearch

_MAX_NAMES_FOR_LONGER = 256
_STAR_IMPORT = b"import *"


@dataclass(frozen=True)
class HubTokens:
    """Text any file that uses a hub's names contains.

    A use of a re-exported name names the attribute (`from m import GreenPool`, `m.GreenPool`,
    a star import then `GreenPool`), and the module: its last component in an absolute or
    `from .m import` relative import, or `from .` when importing from a package relatively.
    A hub with star imports can re-export any name, so only its module is a token. A file
    that star-imports a hub (`from .impl import *`) re-exports its names without naming
    them, so `import *` with any hub's module token is enough.
    """

    modules: tuple[bytes, ...]
    names: tuple[bytes, ...] | None


@dataclass(frozen=True)
class ReaderTest:
    """`HubTokens` of many hubs, regrouped so a file is scanned for each token once.

    The names come first: a hub's names are few and rare (`eventlet`, `tpool`), while its
    module tokens are common words (`utils`, `manager`); most files hold none of the names.
    """

    star_modules: tuple[bytes, ...]  # module tokens of hubs that may re-export any name
    modules_by_name: Mapping[bytes, tuple[bytes, ...]]  # a name -> module tokens of hubs naming it
    # A name -> the longer names that contain it: absent from a text if it is.
    longer: Mapping[bytes, tuple[bytes, ...]]
    all_modules: tuple[bytes, ...] = ()  # every hub's module tokens, for star imports of a hub
    # The tokens every file is tested for, looked for in one pass over it.
    first: WordSearch = field(default=WordSearch(()), compare=False)

    @staticmethod
    @functools.cache
    def of(hubs: tuple[HubTokens, ...]) -> ReaderTest:
        star = sorted({token for hub in hubs if hub.names is None for token in hub.modules})
        by_name: dict[bytes, set[bytes]] = {}
        for hub in hubs:
            for name in hub.names or ():
                by_name.setdefault(name, set()).update(hub.modules)
        names = sorted(by_name, key=lambda name: (len(name), name))  # shorter names first: see `passes`
        # Quadratic in the names: a hub re-exporting thousands (`from eventlet import (...)`
        # of 20,000 names) goes without this shortcut rather than spend minutes on it.
        few = len(names) <= _MAX_NAMES_FOR_LONGER
        longer = {
            name: tuple(other for other in names if name in other and other != name) for name in names if few
        }
        by_name_sorted = {name: tuple(sorted(by_name[name])) for name in names}
        every_module = sorted({token for hub in hubs for token in hub.modules})
        return ReaderTest(
            tuple(star),
            by_name_sorted,
            {name: more for name, more in longer.items() if more},
            tuple(every_module),
            WordSearch([*star, *names, _STAR_IMPORT]),
        )

    def passes(self, source: bytes, seen: dict[bytes, bool] | None = None) -> bool:
        """`seen`: what `token in source` gave for the tokens tested so far (filled in here),
        so a text tested again, against other hubs, is not scanned again for the same token."""
        seen = {} if seen is None else seen
        if any(word not in seen for word in self.first.words):
            held = self.first.held_by(source)
            seen.update((word, word in held) for word in self.first.words)
        if any(self._has(token, source, seen) for token in self.star_modules):
            return True
        if self._has(_STAR_IMPORT, source, seen) and any(
            self._has(t, source, seen) for t in self.all_modules
        ):
            return True
        for name, modules in self.modules_by_name.items():
            found = seen.get(name)
            if found is None:
                found = seen[name] = name in source
                if not found:
                    seen.update(dict.fromkeys(self.longer.get(name, ()), False))
            if not found or not any(self._has(token, source, seen) for token in modules):
                continue
            # `from hub import *`, then the bare name; otherwise the name is used as an
            # attribute (`hub.sleep`) or imported by name (`from hub import sleep`, also in a
            # parenthesised list), never merely mentioned.
            if self._has(_STAR_IMPORT, source, seen) or self._used(name, source, seen):
                return True
        return False

    @staticmethod
    def _has(token: bytes, source: bytes, seen: dict[bytes, bool]) -> bool:
        found = seen.get(token)
        if found is None:
            found = seen[token] = token in source
        return found

    @staticmethod
    def _used(name: bytes, source: bytes, seen: dict[bytes, bool]) -> bool:
        key = b"\0" + name  # (no token starts with a NUL byte)
        found = seen.get(key)
        if found is None:
            found = seen[key] = used_as_attribute(name, source) or imported_by_name(name, source)
        return found
