"""Resolving hub modules' names: each module's scope, asked through the engine's own
resolver, which asks the builder in turn about other project modules."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from evlint.index.model import CALL_SUFFIX, IndexInput, ModuleExports, ProjectIndex, attribute_and_rest
from evlint.index.notes import note_left_out
from evlint.index.object_facts import ObjectFact, ObjectFacts, ObjectModule
from evlint.index.object_sources import ModuleObjects
from evlint.index.readers import HubTokens
from evlint.index.star_chains import reexported_names, star_importers
from evlint.module_facts import ModuleFacts
from evlint.names import CALL, Expansion, Function, ModuleContext, Resolver, Scope
from evlint.nesting import bounded, is_waiting

_RELATIVE_IMPORT = b"from ."
# A cycle that keeps widening a name past this many passes is cut short (never seen in practice).
_MAX_FIXPOINT_PASSES = 10


@dataclass
class _Parsed:
    path: Path
    scope: Scope
    all_names: frozenset[str] | None
    is_package: bool
    objects: ModuleObjects = field(default_factory=ModuleObjects)
    shown: str = ""
    resolver: Resolver = field(init=False)


class Builder:
    """Resolves hub modules' names lazily, asking itself about other project modules."""

    def __init__(
        self, targets: frozenset[str], known_modules: frozenset[str], makers: Mapping[str, str] | None = None
    ) -> None:
        self.targets = targets
        self.makers = makers or {}  # qualified names whose call makes an eventlet object -> its type
        self.known_modules = known_modules
        self._children: dict[str, set[str]] = {}
        for name in known_modules:
            parent, _, child = name.rpartition(".")
            self._children.setdefault(parent, set()).add(child)
        self.parsed: dict[str, list[_Parsed]] = {}
        self._cache: dict[tuple[str, str], frozenset[str]] = {}
        self._busy: set[tuple[str, str]] = set()
        self._previous: dict[tuple[str, str], frozenset[str]] = {}
        self._cycle_seen = False
        self.left_out: set[str] = set()  # modules whose names nest too deeply to resolve

    def add(self, path: Path, context: ModuleContext, facts: ModuleFacts, shown: str = "") -> None:
        parsed = _Parsed(path, facts.scope, facts.all_names, context.is_package, facts.objects, shown)
        self.parsed.setdefault(context.name, []).append(parsed)

    # -- the resolver's questions (ProjectNames) -------------------------------------

    @property
    def tops(self) -> frozenset[str]:
        return frozenset(module.partition(".")[0] for module in self.parsed)

    def expand(self, qname: str) -> Expansion | None:
        parts = qname.split(".")
        for end in range(len(parts) - 1, 0, -1):
            module = ".".join(parts[:end])
            if module in self.left_out:
                return None
            if module in self.parsed:
                attribute, rest = attribute_and_rest(parts, end)
                names = self.attribute(module, attribute)
                suffix = "".join("." + part for part in rest)
                return Expansion(frozenset(name + suffix for name in names), module) if names else None
            if module in self.known_modules:  # a project module that re-exports nothing
                return None
        return None

    def star_visible(self, module: str, name: str) -> bool:
        entries = self.parsed.get(module, ())
        return not entries or any(_visible(entry.all_names, name) for entry in entries)

    # -- resolution --------------------------------------------------------------------

    def attribute(self, module: str, attribute: str) -> frozenset[str]:
        """The target names `module.attribute` may be (`f.()`: what calling `module.f` gives)."""
        key = (module, attribute)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        if key in self._busy or is_waiting((id(self), key)):  # a cycle: what the previous pass
            self._cycle_seen = True  # found, nothing at first
            return self._previous.get(key, frozenset())
        # (A chain of re-exports across modules nests a step per module: `bounded` keeps that shallow.)
        return bounded((id(self), key), lambda: self._attribute_bound(module, attribute, key))

    def _attribute_bound(self, module: str, attribute: str, key: tuple[str, str]) -> frozenset[str]:
        self._busy.add(key)
        try:
            chain = (
                (attribute.removesuffix(CALL_SUFFIX), CALL)
                if attribute.endswith(CALL_SUFFIX)
                else (attribute,)
            )
            found = frozenset(
                name
                for entry in self.parsed[module]
                for name in entry.resolver.resolve(entry.scope, chain)
                if name.partition(".")[0] in self.targets
            )
        finally:
            self._busy.discard(key)
        self._cache[key] = found
        return found

    def finish(self, readers: frozenset[Path], inputs: tuple[IndexInput, ...]) -> ProjectIndex:
        """Every parsed module's exports, iterated to a fixpoint when imports form cycles."""
        self._previous = {}
        for _ in range(_MAX_FIXPOINT_PASSES):
            self._cache = {}
            self._cycle_seen = False
            modules = self._all_exports()
            if not self._cycle_seen or self._cache == self._previous:
                break
            self._previous = dict(self._cache)
        hubs = _hubs(modules, self.targets)
        objects = self._object_facts()
        return ProjectIndex(
            self.targets,
            hubs,
            readers,
            inputs,
            _all_tokens(hubs, objects, self.parsed, self.targets, self._split),
            frozenset(name.partition(".")[0] for name in (*hubs, *objects)),
            objects,
        )

    def _all_exports(self) -> dict[str, ModuleExports]:
        """Each module's exports; a module whose names nest too deeply even so is left out,
        with a note, and the pass starts again without it (its partial answers forgotten)."""
        while True:
            self._cache = {}
            for entries in self.parsed.values():
                for entry in entries:
                    entry.resolver = Resolver(self)
            modules: dict[str, ModuleExports] = {}
            try:
                for name in sorted(self.parsed):
                    if name not in self.left_out:
                        modules[name] = self._exports(name)
            except RecursionError:
                self._leave_out(name)
                continue
            return modules

    def _leave_out(self, module: str) -> None:
        self.left_out.add(module)
        for entry in self.parsed[module]:
            note_left_out(entry.path)

    def _object_facts(self) -> dict[str, ObjectFact]:
        """Which project names make, return or hold eventlet objects (`index.object_facts`)."""
        if not self.makers:
            return {}
        modules = {
            name: [
                ObjectModule(entry.shown or str(entry.path), entry.scope, entry.objects, _resolver_of(entry))
                for entry in entries
            ]
            for name, entries in self.parsed.items()
            if name not in self.left_out
            and any(
                entry.objects.classes or entry.objects.returns or entry.objects.values for entry in entries
            )
        }
        if not modules:
            return {}
        facts, too_deep = ObjectFacts(modules, self.makers, self._split).all()
        for module in too_deep:
            self._leave_out(module)
        return facts

    def _split(self, qname: str) -> tuple[str, str] | None:
        """`pkg.mod.Class.make` -> ('pkg.mod', 'Class.make'): the longest parsed module first."""
        parts = qname.split(".")
        for end in range(len(parts) - 1, 0, -1):
            module = ".".join(parts[:end])
            if module in self.parsed:
                return (module, ".".join(parts[end:])) if len(parts) - end <= 2 else None
        return None

    def _exports(self, module: str) -> ModuleExports:
        entries = self.parsed[module]
        bound = frozenset(name for entry in entries for name in entry.scope.bindings)
        functions = {
            name
            for entry in entries
            for name, bindings in entry.scope.bindings.items()
            if any(isinstance(binding, Function) for binding in bindings)
        }
        keys = sorted(bound) + sorted(name + CALL_SUFFIX for name in functions)
        exports = {key: found for key in keys if (found := self.attribute(module, key))}
        alls = [entry.all_names for entry in entries]
        return ModuleExports(
            exports,
            bound,
            tuple(dict.fromkeys(source for entry in entries for source in entry.scope.star_imports)),
            None
            if any(names is None for names in alls)
            else frozenset(n for names in alls if names for n in names),
            frozenset(self._children.get(module, ())),
            any(entry.is_package for entry in entries),
        )


def _resolver_of(entry: _Parsed) -> Callable[[], Resolver]:
    return lambda: entry.resolver


def _all_tokens(
    hubs: Mapping[str, ModuleExports],
    objects: Mapping[str, ObjectFact],
    parsed: Mapping[str, list[_Parsed]],
    targets: frozenset[str],
    split: Callable[[str], tuple[str, str] | None],
) -> tuple[HubTokens, ...]:
    """Each hub's tokens, with the names of its object facts; and a module with object
    facts but no re-exports has those names as its tokens."""
    object_names: dict[str, set[str]] = {}
    for qname in objects:
        found = split(qname)
        if found is not None:
            object_names.setdefault(found[0], set()).add(found[1].partition(".")[0])
    reexported = reexported_names(hubs, targets)
    tokens = []
    for module in sorted({*hubs, *object_names}):
        names = object_names.get(module, set())
        if module in hubs:
            hub = _tokens(module, hubs[module], reexported[module])
            more = None if hub.names is None else tuple(sorted({*hub.names, *(n.encode() for n in names)}))
            tokens.append(HubTokens(hub.modules, more))
        else:
            is_package = any(entry.is_package for entry in parsed[module])
            modules = (module.rpartition(".")[2].encode(), *((_RELATIVE_IMPORT,) if is_package else ()))
            tokens.append(HubTokens(modules, tuple(sorted(n.encode() for n in names))))
    return tuple(tokens)


def _hubs(modules: Mapping[str, ModuleExports], targets: frozenset[str]) -> dict[str, ModuleExports]:
    """Modules with exports, or star imports that lead to a target package or another hub."""
    importers: dict[str, list[str]] = {}
    starts = []
    for name, exports in modules.items():
        if exports.exports or any(s.partition(".")[0] in targets for s in exports.star_sources):
            starts.append(name)
        for source in exports.star_sources:
            importers.setdefault(source, []).append(name)
    found = star_importers(starts, importers)
    return {name: exports for name, exports in modules.items() if name in found}


def _tokens(module: str, exports: ModuleExports, names: frozenset[str] | None) -> HubTokens:
    modules = (module.rpartition(".")[2].encode(), *((_RELATIVE_IMPORT,) if exports.is_package else ()))
    return HubTokens(modules, None if names is None else tuple(sorted(name.encode() for name in names)))


def _visible(all_names: frozenset[str] | None, name: str) -> bool:
    return name in all_names if all_names is not None else not name.startswith("_")
