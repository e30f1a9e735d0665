"""The project index's object facts: which project names make, return or hold an eventlet
object (`cinder.ssh_utils.SSHPool` derives from `eventlet.pools.Pool`, `mymod.make_pool()`
returns the `GreenPool` made at mymod.py:41, `mymod.POOL` holds one), so the object-flow
pass of another module follows them to their method calls.

Each module's `ModuleObjects` (its syntax, cached with its facts) is resolved here with the
module's own scope and the index's resolver, as its re-exports are; a name another module
defines is looked up the same way, lazily, so chains of modules need no special case and a
cycle resolves to nothing new.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from evlint.index.object_sources import CALL, NAME, ModuleObjects, Source
from evlint.names import Resolver, Scope
from evlint.nesting import bounded, is_waiting

CLASS, RETURNS, VALUE = "class", "returns", "value"


@dataclass(frozen=True)
class ObjectOrigin:
    """An eventlet object of `type` made at `path`:`line`; `derived`: the project class
    (derived from the eventlet class) whose call made it."""

    type: str
    path: str
    line: int
    derived: str | None = None


@dataclass(frozen=True)
class ObjectFact:
    """A project name that is a class making eventlet objects (`class`: the origin is the
    class's line), a function returning them (`returns`) or a name holding one (`value`);
    `other`: it may also give something else."""

    kind: str
    origins: tuple[ObjectOrigin, ...]
    other: bool = False


@dataclass(frozen=True)
class ObjectModule:
    """What the object facts need of one parsed module."""

    path: str
    scope: Scope
    objects: ModuleObjects
    resolver: Callable[[], Resolver]


class ObjectFacts:
    """Resolves the object facts of the parsed modules, lazily and once each."""

    def __init__(
        self,
        modules: Mapping[str, list[ObjectModule]],
        makers: Mapping[str, str],
        split: Callable[[str], tuple[str, str] | None],
    ) -> None:
        self._modules = modules
        self._makers = makers
        self._split = split  # a qualified name -> (a parsed module, the attribute), or None
        self._cache: dict[str, ObjectFact | None] = {}
        self._busy: set[str] = set()

    def all(self) -> tuple[dict[str, ObjectFact], list[str]]:
        """The facts, and the modules whose names nest too deeply even within the bound
        (left out, as the index leaves them out of its re-exports)."""
        found: dict[str, ObjectFact] = {}
        too_deep: list[str] = []
        for module, entries in sorted(self._modules.items()):
            names = sorted({n for entry in entries for n in entry.objects.names()})
            try:
                facts = {f"{module}.{name}": self.fact(f"{module}.{name}") for name in names}
            except RecursionError:
                self._busy.clear()
                too_deep.append(module)
                continue
            found.update((qname, fact) for qname, fact in facts.items() if fact is not None)
        return found, too_deep

    def fact(self, qname: str) -> ObjectFact | None:
        if qname in self._cache:
            return self._cache[qname]
        if qname in self._busy or is_waiting((id(self), qname)):  # a cycle: nothing new
            return None
        # (A chain of names across modules nests a step per name: `bounded` keeps that shallow.)
        return bounded((id(self), qname), lambda: self._fact_bound(qname))

    def _fact_bound(self, qname: str) -> ObjectFact | None:
        self._busy.add(qname)
        try:
            found = self._compute(qname)
        finally:
            self._busy.discard(qname)
        self._cache[qname] = found
        return found

    def _compute(self, qname: str) -> ObjectFact | None:
        split = self._split(qname)
        if split is None:
            return None
        module, attribute = split
        origins: list[ObjectOrigin] = []
        other = False
        kind = None
        for entry in self._modules.get(module, ()):
            objects = entry.objects
            if attribute in objects.classes:
                kind = CLASS
                origins.extend(self._class_origins(module, entry, attribute))
            elif attribute in objects.returns:
                kind = RETURNS
                more, maybe = self._sources(module, entry, objects.returns[attribute])
                origins.extend(more)
                other = other or maybe
            elif attribute in objects.values:
                kind = VALUE
                more, maybe = self._sources(module, entry, objects.values[attribute])
                origins.extend(more)
                other = other or maybe
        if kind is None or not origins:
            return None
        return ObjectFact(kind, tuple(dict.fromkeys(origins)), other)

    def _class_origins(self, module: str, entry: ObjectModule, name: str) -> Iterable[ObjectOrigin]:
        bases = entry.objects.classes[name]
        for base in bases.bases:
            for target in self._names(module, entry, base):
                maker = self._makers.get(target)
                if maker is not None:
                    yield ObjectOrigin(maker, entry.path, bases.line, name)
                    continue
                fact = self.fact(target)
                if fact is not None and fact.kind == CLASS:
                    yield from (ObjectOrigin(o.type, entry.path, bases.line, name) for o in fact.origins)

    def _sources(
        self, module: str, entry: ObjectModule, sources: Iterable[Source]
    ) -> tuple[list[ObjectOrigin], bool]:
        origins: list[ObjectOrigin] = []
        other = False
        for source in sources:
            found = False
            if source.kind == CALL:
                for target in self._names(module, entry, source.chain):
                    maker = self._makers.get(target)
                    if maker is not None:
                        origins.append(ObjectOrigin(maker, entry.path, source.line))
                        found = True
                        continue
                    fact = self.fact(target)
                    if fact is not None and fact.kind == CLASS:
                        origins.extend(
                            ObjectOrigin(o.type, entry.path, source.line, o.derived) for o in fact.origins
                        )
                        found = True
                    elif fact is not None and fact.kind == RETURNS:
                        origins.extend(fact.origins)
                        other, found = other or fact.other, True
            elif source.kind == NAME:
                for target in self._names(module, entry, source.chain):
                    fact = self.fact(target)
                    if fact is not None and fact.kind == VALUE:
                        origins.extend(fact.origins)
                        other, found = other or fact.other, True
            other = other or not found
        return origins, other

    def _names(self, module: str, entry: ObjectModule, chain: tuple[str, ...]) -> frozenset[str]:
        """The qualified names a chain written in the module may be: its own top-level
        classes, functions and names first (the scope does not resolve those)."""
        objects = entry.objects
        root = chain[0]
        if root in objects.classes or root in objects.returns or root in objects.values:
            return frozenset((".".join((module, *chain)),))
        return entry.resolver().resolve(entry.scope, chain)
