"""The project's modules and the import graph between them, read lazily: a module is read and
scanned (`scan`) when an entry point's path reaches it, and parsed (`patching`) only when
its code may decide a monkey patch.

Edges: an import at module level (also inside `if`/`try`: marked conditional) runs when
the module is imported; an import inside a function runs when the function is called, so
only the function an entry point names is followed, and the others' are lazy. Importing
`a.b.c` runs `a` and `a.b` first.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from evlint.entrypoints.patching import EVENTLET_PATCHERS, CallSite, Guard, PatchFacts, patch_facts
from evlint.entrypoints.scan import MODULE_SCOPE, ImportEdge, ModuleScan, scan_module
from evlint.names import ModuleContext

_PATCH_CALL = re.compile(rb"monkey_patch\s*\(")


@dataclass(frozen=True)
class ModuleFile:
    path: Path
    context: ModuleContext


@dataclass(frozen=True)
class PatchPath:
    """How a call reaches eventlet's monkey_patch: the call sites from the first (the call
    itself) to eventlet's, each with the guards left once contradictory ones are dropped."""

    sites: tuple[tuple[str, CallSite], ...]  # (module, call site)
    guards: tuple[Guard, ...]


Event = tuple[str, ...] | PatchPath  # the modules an import statement imports, or a patch


class ScanStore:
    """Where scans and patch facts come from: `scan` and `facts` compute them; a cache may
    answer scans first (see `evlint.cache.entrypoints`). Patch facts hold syntax trees, to
    name guards when asked: they are parsed again each run, and only a few modules need them."""

    def scan(self, source: bytes, context: ModuleContext) -> ModuleScan:
        return scan_module(source, context)

    def facts(self, source: bytes, context: ModuleContext, tops: frozenset[str]) -> PatchFacts | None:
        return patch_facts(source, context, tops)

    def save(self) -> None:
        """Keep what was computed, for a store that can."""


class ProjectModules:
    """The project's modules by name; each read, scanned and parsed at most once."""

    def __init__(
        self, files: Mapping[str, ModuleFile], read: Callable[[Path], bytes | None], store: ScanStore
    ) -> None:
        self.files, self._read, self._store = files, read, store
        self.tops = frozenset(name.partition(".")[0] for name in files)
        self._sources: dict[str, bytes | None] = {}
        self._scans: dict[str, ModuleScan | None] = {}
        self._facts: dict[str, PatchFacts | None] = {}
        self._decides: dict[str, bool] = {}
        self._wrappers: dict[str, bool] = {}
        self._events: dict[tuple[str, str], list[Event]] = {}
        self._names: dict[str, bool] = {}
        self._patching: dict[str, PatchPath | None] = {}

    def __contains__(self, module: str) -> bool:
        return module in self.files

    def display(self, module: str) -> str:
        return self.files[module].path.as_posix()

    def source(self, module: str) -> bytes | None:
        if module not in self._sources:
            self._sources[module] = self._read(self.files[module].path) if module in self.files else None
        return self._sources[module]

    def scan(self, module: str) -> ModuleScan | None:
        if module not in self._scans:
            source = self.source(module)
            self._scans[module] = (
                self._store.scan(source, self.files[module].context) if source is not None else None
            )
        return self._scans[module]

    def facts(self, module: str) -> PatchFacts | None:
        if module not in self._facts:
            source = self.source(module)
            context = self.files[module].context if module in self.files else None
            found = self._store.facts(source, context, self.tops) if source is not None and context else None
            self._facts[module] = found
        return self._facts[module]

    def imported(self, edge: ImportEdge) -> list[str]:
        """The modules an import statement imports: `from a import b` imports `a`, and `a.b`
        too when that is a module of the project."""
        found = [edge.module]
        found.extend(f"{edge.module}.{name}" for name in edge.names if f"{edge.module}.{name}" in self.files)
        return found

    def edges(self, module: str, scopes: Callable[[str], bool]) -> Iterator[ImportEdge]:
        scan = self.scan(module)
        if scan is not None:
            yield from (edge for edge in scan.imports if scopes(edge.scope))

    def events(self, module: str, scopes: Callable[[str], bool], key: str | None = None) -> list[Event]:
        """What running these scopes of the module does, in order: the modules each import
        imports, and the patches. Kept under `key` (the module-level runs are repeated for
        every entry point)."""
        if key is not None and (module, key) in self._events:
            return self._events[(module, key)]
        found: list[tuple[int, int, Event]] = [
            (edge.line, 0, tuple(self.imported(edge))) for edge in self.edges(module, scopes)
        ]
        found.extend((site.line, 1, path) for site, path in self.patch_calls(module, scopes))
        ordered = [event for _, _, event in sorted(found, key=lambda e: (e[0], e[1]))]
        if key is not None:
            self._events[(module, key)] = ordered
        return ordered

    def patch_calls(self, module: str, scopes: Callable[[str], bool]) -> list[tuple[CallSite, PatchPath]]:
        """The calls in these scopes of the module that reach eventlet's monkey_patch."""
        if not self.decides_patching(module):
            return []
        facts = self.facts(module)
        found = []
        for site in facts.calls if facts is not None else ():
            if scopes(site.scope):
                path = self.patching(site.callee)
                if path is not None and facts is not None:
                    found.append((site, self._located(module, facts.guards(site)), path))
        kept = _without_contradictions([guards for _, guards, _ in found])
        return [
            (site, _prefixed(module, site, guards, path))
            for (site, _, path), guards in zip(found, kept, strict=True)
        ]

    def decides_patching(self, module: str) -> bool:
        """Whether the module's code may call for a patch: it names monkey_patch, or imports
        a module that has a function that patches."""
        if module not in self._decides:
            self._decides[module] = self._names_patching(module) or any(
                self._has_patching_function(target)
                for edge in self.edges(module, lambda scope: True)
                for target in self.imported(edge)
                if target in self.files and target != module
            )
        return self._decides[module]

    def _names_patching(self, module: str) -> bool:
        if module not in self._names:
            self._names[module] = _PATCH_CALL.search(self.source(module) or b"") is not None
        return self._names[module]

    def _has_patching_function(self, module: str) -> bool:
        """Whether a function of the module patches. Wrappers are looked for in the modules
        that name monkey_patch and in those that import one of them (two levels)."""
        if module in self._wrappers:
            return self._wrappers[module]
        self._wrappers[module] = False
        if not self._may_wrap(module):
            return False
        facts = self.facts(module)
        found = facts is not None and any(
            site.scope != MODULE_SCOPE and self.patching(site.callee) is not None for site in facts.calls
        )
        self._wrappers[module] = found
        return found

    def _may_wrap(self, module: str) -> bool:
        """Whether the module names monkey_patch or imports a module that does."""
        return self._names_patching(module) or any(
            self._names_patching(target)
            for edge in self.edges(module, lambda scope: True)
            for target in self.imported(edge)
            if target in self.files and target != module
        )

    def patching(self, callee: str) -> PatchPath | None:
        """How calling `callee` patches (None: it does not)."""
        if callee in EVENTLET_PATCHERS:
            return PatchPath((), ())
        if callee in self._patching:
            return self._patching[callee]
        self._patching[callee] = None  # (recursion answers no)
        module, function = self._split(callee)
        facts = self.facts(module) if module is not None and self._may_wrap(module) else None
        if facts is None or module is None:
            return None
        paths = []
        for site in facts.calls:
            if site.scope == function and (path := self.patching(site.callee)) is not None:
                paths.append((site, self._located(module, facts.guards(site)), path))
        if not paths:
            return None
        site, _, path = min(paths, key=lambda found: len(found[0].excluded))  # a full patch first
        result = PatchPath(((module, site), *path.sites), _function_guards(paths) + path.guards)
        self._patching[callee] = result
        return result

    def _located(self, module: str, guards: tuple[Guard, ...]) -> tuple[Guard, ...]:
        return tuple(replace(guard, file=self.display(module)) for guard in guards)

    def _split(self, callee: str) -> tuple[str | None, str]:
        parts = callee.split(".")
        for end in range(len(parts) - 1, 0, -1):
            module = ".".join(parts[:end])
            if module in self.files:
                return module, ".".join(parts[end:])
        return None, callee


def _prefixed(module: str, site: CallSite, guards: tuple[Guard, ...], path: PatchPath) -> PatchPath:
    guards = tuple(g for g in guards if g.kind != "parameter")
    return PatchPath(((module, site), *path.sites), guards + path.guards)


def _without_contradictions(guard_sets: list[tuple[Guard, ...]]) -> list[tuple[Guard, ...]]:
    """The guards of calls side by side, without those that appear both ways among them
    (`if debug: patch(thread=False) else: patch()` patches either way)."""
    polarity: dict[tuple[str, str, int], set[bool]] = {}
    for guards in guard_sets:
        for guard in guards:
            polarity.setdefault(guard.key, set()).add(guard.negated)
    both = {key for key, values in polarity.items() if len(values) == 2}
    return [tuple(g for g in guards if g.key not in both) for guards in guard_sets]


def _function_guards(paths: list[tuple[CallSite, tuple[Guard, ...], PatchPath]]) -> tuple[Guard, ...]:
    """The guards that hold for every patching call of a function (contradictions dropped)."""
    kept = _without_contradictions([guards for _, guards, _ in paths])
    return tuple(g for g in kept[0] if all(any(h.key == g.key for h in guards) for guards in kept))
