"""Name resolution: which qualified name a dotted expression refers to.

A small binding tracker instead of libcst's ScopeProvider/QualifiedNameProvider, which
cost several times a parse. The engine's single traversal records every binding into the
scope Python would put it in (module, class, function, lambda, comprehension) and every
use with the scope it appears in; resolution happens afterwards, so a function body sees
module bindings made below it, exactly as it does at run time.

Values are a may-analysis: a name bound to `eventlet` on one path and to something else on
another (`try: import eventlet / except ImportError: eventlet = None`) may be eventlet, so
its uses resolve to eventlet. A name bound only to unknown values (a parameter, a loop
variable, `x = self.greenthread`) resolves to nothing.
"""

from __future__ import annotations

import builtins
from dataclasses import dataclass
from enum import Enum

MODULE_IMPORTERS = frozenset(
    {
        "importlib.import_module",
        "oslo_utils.importutils.try_import",
        "oslo_utils.importutils.import_module",
        "builtins.__import__",
    }
)
_BUILTIN_NAMES = frozenset(dir(builtins))


class ScopeKind(Enum):
    MODULE = "module"
    CLASS = "class"
    FUNCTION = "function"
    COMPREHENSION = "comprehension"


@dataclass(frozen=True)
class QName:
    """The name is bound to this absolute qualified name (an import)."""

    name: str


@dataclass(frozen=True)
class Alias:
    """The name is bound to whatever a dotted expression means in a scope (`x = a.b`)."""

    chain: tuple[str, ...]
    scope: Scope


@dataclass(frozen=True)
class ImportCall:
    """`x = importlib.import_module('m')`: module `m` if the callee really is an importer."""

    callee: tuple[str, ...]
    scope: Scope
    module: str


class _Unknown:
    """A binding whose value is not a name we track (a parameter, a loop variable)."""

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN = _Unknown()
Binding = QName | Alias | ImportCall | _Unknown


class Scope:
    __slots__ = ("bindings", "declared_global", "declared_nonlocal", "kind", "parent", "star_imports")

    def __init__(self, kind: ScopeKind, parent: Scope | None) -> None:
        self.kind = kind
        self.parent = parent
        self.bindings: dict[str, list[Binding]] = {}
        self.declared_global: set[str] = set()
        self.declared_nonlocal: set[str] = set()
        self.star_imports: list[str] = []

    @property
    def module(self) -> Scope:
        scope = self
        while scope.parent is not None:
            scope = scope.parent
        return scope

    def bind(self, name: str, value: Binding) -> None:
        """Record a binding in the scope Python would put it in."""
        target = self._binding_scope(name)
        target.bindings.setdefault(name, []).append(value)

    def _binding_scope(self, name: str) -> Scope:
        if name in self.declared_global:
            return self.module
        if name in self.declared_nonlocal:
            enclosing = _enclosing_function(self.parent)
            owner = enclosing
            while owner is not None and name not in owner.bindings:
                owner = _enclosing_function(owner.parent)
            return owner or enclosing or self
        return self

    def lookup(self, name: str) -> list[Binding] | None:
        """The bindings a load of `name` in this scope may see, or None if it binds nowhere."""
        if name in self.declared_global:
            return self.module.bindings.get(name)
        if name in self.declared_nonlocal:
            enclosing = _enclosing_function(self.parent)
            return enclosing.lookup(name) if enclosing is not None else None
        found = self.bindings.get(name)
        if found is not None and self.kind is not ScopeKind.CLASS:
            return found
        # A class body runs top to bottom: until the class binds a name, the name is the
        # enclosing one (`class A: spawn = staticmethod(spawn)`), so both may be seen.
        outer = self.parent._lookup_from_inside(name) if self.parent is not None else None
        if found is None:
            return outer
        return [*found, *(outer or ())]

    def _lookup_from_inside(self, name: str) -> list[Binding] | None:
        """A lookup from a nested scope: class bodies are not enclosing scopes."""
        scope: Scope | None = self
        while scope is not None:
            if scope.kind is not ScopeKind.CLASS:
                if name in scope.declared_global:
                    return scope.module.bindings.get(name)
                found = scope.bindings.get(name)
                if found is not None:
                    return found
            scope = scope.parent
        return None


def _enclosing_function(scope: Scope | None) -> Scope | None:
    while scope is not None and scope.kind is not ScopeKind.FUNCTION:
        scope = scope.parent
    return scope


class Resolver:
    """Resolves dotted chains to qualified names, memoised per file."""

    def __init__(self) -> None:
        self._root_cache: dict[tuple[int, str], frozenset[str]] = {}
        self._in_progress: set[tuple[int, str]] = set()
        self._cycle_seen = False

    def resolve(self, scope: Scope, chain: tuple[str, ...]) -> frozenset[str]:
        roots = self._resolve_root(scope, chain[0])
        if not roots or len(chain) == 1:
            return roots
        suffix = ".".join(chain[1:])
        return frozenset(f"{root}.{suffix}" for root in roots)

    @staticmethod
    def bound_by_import(scope: Scope, name: str) -> bool:
        """Whether a load of `name` may see an import (not only `x = <dotted name>` aliases)."""
        bindings = scope.lookup(name)
        if bindings is None:
            return bool(scope.module.star_imports)
        return any(isinstance(binding, (QName, ImportCall)) for binding in bindings)

    def _resolve_root(self, scope: Scope, name: str) -> frozenset[str]:
        key = (id(scope), name)
        cached = self._root_cache.get(key)
        if cached is not None:
            return cached
        if key in self._in_progress:  # `a = b; b = a`: a cycle binds nothing new
            self._cycle_seen = True
            return frozenset()
        outer_cycle, self._cycle_seen = self._cycle_seen, False
        self._in_progress.add(key)
        try:
            result = self._compute_root(scope, name)
        finally:
            self._in_progress.discard(key)
        # A result computed while a cycle was open may be partial: cache only complete ones.
        if not self._cycle_seen or not self._in_progress:
            self._root_cache[key] = result
        self._cycle_seen = self._cycle_seen or outer_cycle
        return result

    def _compute_root(self, scope: Scope, name: str) -> frozenset[str]:
        bindings = scope.lookup(name)
        if bindings is None:
            return self._unbound(scope, name)
        names: set[str] = set()
        for binding in bindings:
            names.update(self._binding_names(binding))
        return frozenset(names)

    def _binding_names(self, binding: Binding) -> frozenset[str]:
        if isinstance(binding, QName):
            return frozenset((binding.name,))
        if isinstance(binding, Alias):
            return self.resolve(binding.scope, binding.chain)
        if isinstance(binding, ImportCall):
            callees = self.resolve(binding.scope, binding.callee)
            if MODULE_IMPORTERS.isdisjoint(callees):
                return frozenset()
            if "builtins.__import__" in callees:  # returns the top-level package
                return frozenset((binding.module.split(".", 1)[0],))
            return frozenset((binding.module,))
        return frozenset()

    @staticmethod
    def _unbound(scope: Scope, name: str) -> frozenset[str]:
        if name in _BUILTIN_NAMES:
            return frozenset((f"builtins.{name}",))
        star_modules = scope.module.star_imports
        return frozenset(f"{module}.{name}" for module in star_modules)
