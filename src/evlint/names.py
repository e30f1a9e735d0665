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

A call is a chain part of its own, `CALL`: `get_eventlet().spawn` is the chain
('get_eventlet', '()', 'spawn'). Calling a function defined in the file gives what its
`return` statements give; calling anything else gives nothing, unless the project index
(`ProjectNames`) knows what a project function returns. The index also maps a project
module's attribute to the eventlet name it re-exports (`myproj.concurrency.sleep` is
`eventlet.sleep`); a name reached that way carries the module it was seen through.
"""

from __future__ import annotations

import builtins
from dataclasses import dataclass
from enum import Enum
from typing import Protocol

from evlint.nesting import bounded, is_waiting

MODULE_IMPORTERS = frozenset(
    {
        "importlib.import_module",
        "oslo_utils.importutils.try_import",
        "oslo_utils.importutils.import_module",
        "builtins.__import__",
    }
)
BUILTIN_NAMES = frozenset(dir(builtins))
CALL = "()"
_CALL_PART = "." + CALL

# A resolved name and the project module it was re-exported through (None: named directly).
Target = tuple[str, str | None]


@dataclass(frozen=True)
class Expansion:
    """What a project module's attribute stands for: target `names`, re-exported by `module`."""

    names: frozenset[str]
    module: str


class ProjectNames(Protocol):
    """What the project index tells the resolver about the project's own modules."""

    @property
    def tops(self) -> frozenset[str]:
        """Top-level packages outside which `expand` answers None: no other name changes."""

    def expand(self, qname: str) -> Expansion | None:
        """The names a project module's attribute stands for, with that module; None if unknown."""

    def star_visible(self, module: str, name: str) -> bool:
        """Whether `from module import *` binds `name` (`__all__`, or not `_private`)."""


@dataclass(frozen=True)
class ModuleContext:
    """The checked file's module name, for resolving its relative imports."""

    name: str
    is_package: bool

    def absolute(self, level: int, module: str | None) -> str | None:
        """The module `from <level dots><module> import ...` names, or None if above the root."""
        parts = self.name.split(".")
        keep = len(parts) - level + (1 if self.is_package else 0)
        if keep < 1:  # Python: "attempted relative import beyond top-level package"
            return None
        return ".".join((*parts[:keep], module) if module else parts[:keep])


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


class Function:
    """`def f(): ...`: unknown as a value; calling it gives what its `return`s give."""

    __slots__ = ("returns",)

    def __init__(self) -> None:
        self.returns: list[Binding] = []

    def __repr__(self) -> str:
        return f"Function({self.returns!r})"


class _Unknown:
    """A binding whose value is not a name we track (a parameter, a loop variable)."""

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN = _Unknown()
Binding = QName | Alias | ImportCall | Function | _Unknown


class Scope:
    __slots__ = (
        "bindings",
        "declared_global",
        "declared_nonlocal",
        "kind",
        "parent",
        "star_imports",
        "valued",
    )

    def __init__(self, kind: ScopeKind, parent: Scope | None) -> None:
        self.kind = kind
        self.parent = parent
        self.bindings: dict[str, list[Binding]] = {}
        self.declared_global: set[str] = set()
        self.declared_nonlocal: set[str] = set()
        self.star_imports: list[str] = []
        # Names any scope of the module binds to more than UNKNOWN (one set, shared by all).
        self.valued: set[str] = parent.valued if parent is not None else set()

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
        if value is not UNKNOWN:
            self.valued.add(name)

    def may_name_anything(self, name: str) -> bool:
        """False only if no load of `name` in this scope's module resolves to any name: each
        of its bindings is UNKNOWN, and it is neither a builtin nor star-imported."""
        return name in self.valued or name in BUILTIN_NAMES or bool(self.module.star_imports)

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

    def owner(self, name: str) -> Scope:
        """The scope whose bindings a load of `name` here sees (as `lookup` finds them); the
        module if none binds it. A load in either resolves alike."""
        if name in self.bindings or name in self.declared_global or name in self.declared_nonlocal:
            return self
        scope = self.parent
        while scope is not None:
            binds = name in scope.bindings or name in scope.declared_global
            if binds and scope.kind is not ScopeKind.CLASS:
                return scope
            if scope.parent is None:
                return scope
            scope = scope.parent
        return self

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

    def __init__(self, project: ProjectNames | None = None) -> None:
        self.project = project
        # Keyed by scope, name, and whether the name is called (`f` or `f()`).
        self._root_cache: dict[tuple[int, str, bool], frozenset[Target]] = {}
        self._in_progress: set[tuple[int, str, bool]] = set()
        self._tail_cache: dict[tuple[frozenset[Target], tuple[str, ...]], frozenset[Target]] = {}
        self._cycle_seen = False

    def resolve(self, scope: Scope, chain: tuple[str, ...]) -> frozenset[str]:
        return frozenset(name for name, _ in self.resolve_traced(scope, chain))

    def resolve_traced(self, scope: Scope, chain: tuple[str, ...]) -> frozenset[Target]:
        """The names `chain` may stand for, each with the project module it came through."""
        if len(chain) > 1 and chain[1] == CALL:
            targets, rest = self._resolve_root(scope, chain[0], called=True), chain[2:]
        else:
            targets, rest = self._resolve_root(scope, chain[0]), chain[1:]
        if not rest or not targets:
            return targets
        # What follows the root depends on the root's names alone: `mock.patch.object` in a
        # thousand test methods is worked out once (the root's names are one shared frozenset).
        key = (targets, rest)
        found = self._tail_cache.get(key)
        if found is None:
            found = self._tail_cache[key] = self._resolve_tail(targets, rest)
        return found

    def _resolve_tail(self, targets: frozenset[Target], rest: tuple[str, ...]) -> frozenset[Target]:
        while targets and CALL in rest:  # a call in the middle: what the call returns
            end = rest.index(CALL)
            targets = self.expand(_extended(targets, (*rest[:end], CALL)))
            rest = rest[end + 1 :]
        return self.expand(_extended(targets, rest)) if targets and rest else targets

    def expand(self, targets: frozenset[Target]) -> frozenset[Target]:
        """Project names the index maps to other names, replaced; unknown call results dropped."""
        project = self.project
        expanded: set[Target] = set()
        for name, via in targets:
            found = project.expand(name) if project is not None else None
            if found is not None:
                expanded.update((new, via or found.module) for new in found.names)
            elif _CALL_PART not in name:
                expanded.add((name, via))
        return frozenset(expanded)

    def may_reach(self, scope: Scope, name: str, called: bool, tops: frozenset[str]) -> bool:
        """Whether a chain rooted at `name` (`called`: `name().x`) may resolve to a name in one
        of the top-level packages `tops`, given that they include the project's (`expand`
        keeps any other name's top-level package, extending a name keeps it too)."""
        targets = self._resolve_root(scope, name, called=called)
        return any(target.partition(".")[0] in tops for target, _ in targets)

    @staticmethod
    def bound_by_import(scope: Scope, name: str) -> bool:
        """Whether a load of `name` may see an import (not only `x = <dotted name>` aliases)."""
        bindings = scope.lookup(name)
        if bindings is None:
            return bool(scope.module.star_imports)
        return any(isinstance(binding, (QName, ImportCall)) for binding in bindings)

    def _resolve_root(self, scope: Scope, name: str, *, called: bool = False) -> frozenset[Target]:
        key = (id(scope), name, called)
        cached = self._root_cache.get(key)
        if cached is not None:
            return cached
        owner = scope.owner(name)
        if owner is not scope:  # resolved once where it is bound, not again in each function
            result = self._resolve_root(owner, name, called=called)
            if (id(owner), name, called) in self._root_cache:  # (a partial result is not cached)
                self._root_cache[key] = result
            return result
        if key in self._in_progress or is_waiting((id(self), key)):  # `a = b; b = a`, `x = x()`:
            self._cycle_seen = True  # a cycle binds nothing new
            return frozenset()
        # (A chain of aliases nests a step per alias: `bounded` keeps that shallow.)
        return bounded((id(self), key), lambda: self._resolve_bound(scope, name, called, key))

    def _resolve_bound(
        self, scope: Scope, name: str, called: bool, key: tuple[int, str, bool]
    ) -> frozenset[Target]:
        outer_cycle, self._cycle_seen = self._cycle_seen, False
        self._in_progress.add(key)
        try:
            result = self._call_results(scope, name) if called else self._compute_root(scope, name)
        finally:
            self._in_progress.discard(key)
        # A result computed while a cycle was open may be partial: cache only complete ones.
        if not self._cycle_seen or not self._in_progress:
            self._root_cache[key] = result
        self._cycle_seen = self._cycle_seen or outer_cycle
        return result

    def _compute_root(self, scope: Scope, name: str) -> frozenset[Target]:
        bindings = scope.lookup(name)
        if bindings is None:
            return self._unbound(scope, name)
        names: set[Target] = set()
        for binding in bindings:
            names.update(self._binding_names(binding))
        return frozenset(names)

    def _binding_names(self, binding: Binding) -> frozenset[Target]:
        if isinstance(binding, QName):
            named = frozenset(((binding.name, None),))
            return self.expand(named) if self.project is not None else named
        if isinstance(binding, Alias):
            return self.resolve_traced(binding.scope, binding.chain)
        if isinstance(binding, ImportCall):
            callees = self.resolve(binding.scope, binding.callee)
            if MODULE_IMPORTERS.isdisjoint(callees):
                return frozenset()
            if "builtins.__import__" in callees:  # returns the top-level package
                return frozenset(((binding.module.split(".", 1)[0], None),))
            return frozenset(((binding.module, None),))
        return frozenset()

    def _call_results(self, scope: Scope, name: str) -> frozenset[Target]:
        """What calling the name gives: a local function's returns, or a project function's."""
        bindings = scope.lookup(name)
        if bindings is None:
            return self.expand(_extended(self._unbound(scope, name), (CALL,)))
        results: set[Target] = set()
        for binding in bindings:
            if isinstance(binding, Function):
                results.update(self._function_returns(binding))
            else:
                results.update(self.expand(_extended(self._binding_names(binding), (CALL,))))
        return frozenset(results)

    def _function_returns(self, function: Function) -> frozenset[Target]:
        return frozenset(t for binding in function.returns for t in self._binding_names(binding))

    def _unbound(self, scope: Scope, name: str) -> frozenset[Target]:
        if name in BUILTIN_NAMES:
            return frozenset(((f"builtins.{name}", None),))
        project = self.project
        if project is None:
            return frozenset((f"{module}.{name}", None) for module in scope.module.star_imports)
        return self.expand(
            frozenset(
                (f"{module}.{name}", None)
                for module in scope.module.star_imports
                if project.star_visible(module, name)
            )
        )


def _extended(targets: frozenset[Target], parts: tuple[str, ...]) -> frozenset[Target]:
    suffix = "." + ".".join(parts)
    return frozenset((name + suffix, via) for name, via in targets)
