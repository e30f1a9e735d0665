"""Names that travel through chains of star imports, in time linear in the import graph.

`from pkg.m1 import *` in `m2`, `from pkg.m0 import *` in `m1`, … : what `m1500` re-exports
is what the whole chain does. Following the chain afresh from each module costs the square
of its length (1,500 modules took 39 s); here every module's answer is computed once, from
its star sources' answers, without nesting a call per module. Star imports may form cycles:
a module's answer is the union over every module it reaches, whatever the path.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping, MutableMapping
from dataclasses import dataclass, field
from typing import Protocol

from evlint.names import CALL

CALL_SUFFIX = "." + CALL


class ModuleExports(Protocol):
    """What this module needs of `index.model.ModuleExports` (which uses it)."""

    @property
    def exports(self) -> Mapping[str, frozenset[str]]: ...
    @property
    def bound(self) -> frozenset[str]: ...
    @property
    def star_sources(self) -> tuple[str, ...]: ...
    @property
    def submodules(self) -> frozenset[str]: ...
    def visible(self, name: str) -> bool: ...


def reexported_names(
    hubs: Mapping[str, ModuleExports], targets: frozenset[str]
) -> dict[str, frozenset[str] | None]:
    """Each hub's names: its own, and those its star imports of other hubs bring (within
    their `__all__`); None (any name) when it reaches a star import of a target package."""
    importers: dict[str, list[str]] = {module: [] for module in hubs}
    any_name: list[str] = []
    for module, exports in hubs.items():
        for source in exports.star_sources:
            if source.partition(".")[0] in targets:
                any_name.append(module)
            elif source in hubs:
                importers[source].append(module)
    unbounded = star_importers(any_name, importers)
    names = {module: {key.removesuffix(CALL_SUFFIX) for key in hub.exports} for module, hub in hubs.items()}
    pending = deque((module, frozenset(found)) for module, found in names.items() if found)
    while pending:  # each name reaches each module once
        source, new = pending.popleft()
        visible = hubs[source].visible
        for module in importers[source]:
            if module in unbounded:
                continue
            added = {name for name in new if visible(name)} - names[module]
            if added:
                names[module] |= added
                pending.append((module, frozenset(added)))
    return {module: None if module in unbounded else frozenset(found) for module, found in names.items()}


def star_importers(starts: Iterable[str], importers: Mapping[str, list[str]]) -> set[str]:
    """`starts` and every module that star-imports one of them, directly or not."""
    found = set(starts)
    work = list(found)
    while work:
        for module in importers.get(work.pop(), ()):
            if module not in found:
                found.add(module)
                work.append(module)
    return found


@dataclass
class _Frame:
    """One module on the depth-first walk: its own contribution and its sources left."""

    module: str
    names: set[str]
    sources: list[str]
    low: int
    at: int = 0


@dataclass
class AttributeWalk:
    """`module.attribute` through star imports (`ProjectIndex.expand`), every module's
    answer memoised: strongly connected modules (a star-import cycle) share one answer."""

    modules: Mapping[str, ModuleExports]
    targets: frozenset[str]
    memo: MutableMapping[tuple[str, str], frozenset[str]] = field(default_factory=dict)

    def attribute(self, module: str, attribute: str) -> frozenset[str]:
        found = self.memo.get((module, attribute))
        return found if found is not None else self._walk(module, attribute)

    def _step(self, module: str, attribute: str, order: int) -> _Frame:
        """What `module` gives by itself, and the star sources the lookup goes on into."""
        exports = self.modules[module]
        found = exports.exports.get(attribute)
        if found is not None:
            return _Frame(module, set(found), [], order)
        if attribute in exports.bound or attribute in exports.submodules or attribute.endswith(CALL_SUFFIX):
            return _Frame(module, set(), [], order)
        names, sources = set(), []
        for source in exports.star_sources:
            if source.partition(".")[0] in self.targets:
                if not attribute.startswith("_"):
                    names.add(f"{source}.{attribute}")
            elif source in self.modules and self.modules[source].visible(attribute):
                sources.append(source)
        return _Frame(module, names, sources, order)

    def _walk(self, root: str, attribute: str) -> frozenset[str]:
        """Tarjan's strongly connected components, without recursion."""
        memo = self.memo
        order: dict[str, int] = {root: 0}
        walk = [self._step(root, attribute, 0)]
        component: list[_Frame] = [walk[0]]
        while walk:
            frame = walk[-1]
            if frame.at < len(frame.sources):
                source = frame.sources[frame.at]
                frame.at += 1
                done = memo.get((source, attribute))
                if done is not None:
                    frame.names |= done
                elif source not in order:
                    order[source] = len(order)
                    walk.append(self._step(source, attribute, order[source]))
                    component.append(walk[-1])
                else:  # on the walk still, or in the component being built: a cycle
                    frame.low = min(frame.low, order[source])
                continue
            walk.pop()
            if frame.low == order[frame.module]:
                self._close(component, frame, attribute)
            if walk:
                parent = walk[-1]
                done = memo.get((frame.module, attribute))
                if done is not None:
                    parent.names |= done
                else:
                    parent.low = min(parent.low, frame.low)
        return memo[(root, attribute)]

    def _close(self, component: list[_Frame], root: _Frame, attribute: str) -> None:
        """The modules from `root` on in `component` form one cycle: they share one answer."""
        start = next(i for i in range(len(component) - 1, -1, -1) if component[i] is root)
        members = component[start:]
        del component[start:]
        names = frozenset().union(*(member.names for member in members))
        for member in members:
            self.memo[(member.module, attribute)] = names
