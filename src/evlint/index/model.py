"""The project index as the engine sees it: hub modules and what they re-export, and the
questions a file linted before the index was finished asked of it."""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from evlint.index.module_order import OrderStep, steps_before
from evlint.index.object_facts import ObjectFact
from evlint.index.readers import HubTokens
from evlint.index.star_chains import AttributeWalk
from evlint.model import Rule
from evlint.names import CALL, Expansion

CALL_SUFFIX = "." + CALL


@dataclass(frozen=True)
class SourceFile:
    path: Path
    source: bytes


@dataclass(frozen=True)
class IndexInput:
    """A file the index read in full, with its content hash (for a results cache)."""

    path: str
    module: str
    sha256: str


@dataclass(frozen=True)
class ModuleExports:
    """What one hub module re-exports."""

    exports: Mapping[str, frozenset[str]]  # attribute (or `func.()`) -> target names
    bound: frozenset[str]  # every name bound at module level, eventlet's or not
    star_sources: tuple[str, ...]  # modules it star-imports (absolute)
    all_names: frozenset[str] | None  # a literal `__all__`, if any
    submodules: frozenset[str] = frozenset()  # a package's own modules, which are not its names
    is_package: bool = False

    def visible(self, name: str) -> bool:
        """Whether `from <this module> import *` binds `name`."""
        return name in self.all_names if self.all_names is not None else not name.startswith("_")


@dataclass(frozen=True)
class ProjectIndex:
    """The project's hub modules; answers the resolver's questions about project names."""

    targets: frozenset[str]
    modules: Mapping[str, ModuleExports]
    readers: frozenset[Path] = frozenset()  # every file parsed to build the index
    inputs: tuple[IndexInput, ...] = ()
    _tokens: tuple[HubTokens, ...] = field(default=(), compare=False)
    _tops: frozenset[str] = field(default=frozenset(), compare=False)
    # Project names that make, return or hold eventlet objects (`index.object_facts`).
    objects: Mapping[str, ObjectFact] = field(default_factory=dict)
    # What packages' `__init__`s do at import before any project import (`index.module_order`).
    order: Mapping[str, tuple[OrderStep, ...]] = field(default_factory=dict)
    # Functions that spawn a parameter, with its position (`index.spawn_wrappers`).
    wrappers: Mapping[str, int] = field(default_factory=dict)

    @property
    def wrapper_names(self) -> frozenset[str]:
        return frozenset(qname.rpartition(".")[2] for qname in self.wrappers)

    def spawn_wrapper(self, qname: str) -> int | None:
        return self.wrappers.get(qname)

    def steps_before(self, module: str) -> tuple[OrderStep, ...]:
        return steps_before(self.order, module)

    def object_at(self, qname: str) -> tuple[str, ObjectFact] | None:
        """The longest prefix of `qname` that is an object fact (`mymod.POOL` of
        `mymod.POOL.waitall`), with the fact."""
        objects = self.objects
        if not objects or qname.partition(".")[0] not in self._tops:
            return None
        name = qname
        while "." in name:
            fact = objects.get(name)
            if fact is not None:
                return name, fact
            name = name.rpartition(".")[0]
        return None

    def expand(self, qname: str) -> Expansion | None:
        """`myproj.concurrency.GreenPool` -> ({'eventlet.GreenPool'}, via 'myproj.concurrency')."""
        if qname.partition(".")[0] not in self._tops:
            return None
        parts = qname.split(".")
        for end in range(len(parts) - 1, 0, -1):
            module = ".".join(parts[:end])
            if module not in self.modules:
                continue
            attribute, rest = attribute_and_rest(parts, end)
            names = self._attribute(module, attribute)
            if not names:
                return None
            suffix = "".join("." + part for part in rest)
            return Expansion(frozenset(name + suffix for name in names), module)
        return None

    @property
    def tops(self) -> frozenset[str]:
        return self._tops

    def star_visible(self, module: str, name: str) -> bool:
        exports = self.modules.get(module)
        return exports is None or exports.visible(name)

    def answers_like(self, questions: Questions) -> bool:
        """Whether this index answers each question as `RecordingProject` did."""
        return (
            all(self.expand(name) == answer for name, answer in questions.expanded)
            and all(
                self.star_visible(module, name) == answer for module, name, answer in questions.star_visible
            )
            and all(self.object_at(name) == answer for name, answer in questions.objects)
            and all(self.steps_before(module) == answer for module, answer in questions.order)
            and all(self.spawn_wrapper(name) == answer for name, answer in questions.wrappers)
            and questions.wrapper_names in (None, self.wrapper_names)
        )

    def fingerprint(self) -> str:
        """A hash of everything the index tells the engine: equal hashes, equal resolution.

        A results cache keys each file's result on this (with the file's own content, its
        module name and the settings): a change in a hub that changes what it re-exports
        re-checks every file; any other change in a hub re-checks only the hub.
        """
        content = {
            "targets": sorted(self.targets),
            "modules": {
                name: {
                    "exports": {key: sorted(value) for key, value in sorted(exports.exports.items())},
                    # A module's other names and submodules only stop a lookup that would
                    # go on into its star imports (`_attribute`): without those, a new
                    # function in a hub changes nothing the engine is told.
                    "bound": sorted(exports.bound) if exports.star_sources else [],
                    "star": list(exports.star_sources),
                    "all": sorted(exports.all_names) if exports.all_names is not None else None,
                    "submodules": sorted(exports.submodules) if exports.star_sources else [],
                }
                for name, exports in sorted(self.modules.items())
            },
            "objects": {name: repr(fact) for name, fact in sorted(self.objects.items())},
        }
        if self.order:
            content["order"] = {name: repr(steps) for name, steps in sorted(self.order.items())}
        if self.wrappers:
            content["wrappers"] = dict(sorted(self.wrappers.items()))
        return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()

    def _attribute(self, module: str, attribute: str) -> frozenset[str]:
        return self._walk.attribute(module, attribute)

    @functools.cached_property
    def _walk(self) -> AttributeWalk:
        """Star-import chains followed once per module and attribute (`index.star_chains`)."""
        return AttributeWalk(self.modules, self.targets)


@dataclass(frozen=True)
class Questions:
    """What resolving one file asked of a project index that was not finished yet, with the
    answers it got."""

    expanded: tuple[tuple[str, Expansion | None], ...] = ()
    star_visible: tuple[tuple[str, str, bool], ...] = ()
    objects: tuple[tuple[str, tuple[str, ObjectFact] | None], ...] = ()
    order: tuple[tuple[str, tuple[OrderStep, ...]], ...] = ()
    wrappers: tuple[tuple[str, int | None], ...] = ()
    wrapper_names: frozenset[str] | None = None  # None: not asked


class RecordingProject:
    """Answers as `known` (the index as far as it is built; None: an index without hubs)
    does, and notes each question about the project's modules (those under `tops`) with
    its answer, so the answers can be checked against the finished index.

    The engine consults the index only through these two questions. If the finished index
    answers each of them as this one did (`ProjectIndex.answers_like`), linting with it
    would give the same findings; so a file linted before the index was finished is linted
    again only if the index changed what it was told.
    """

    def __init__(self, tops: frozenset[str], known: ProjectIndex | None = None) -> None:
        self.tops = tops
        self.known = known
        self._expanded: dict[str, Expansion | None] = {}
        self._star_visible: dict[tuple[str, str], bool] = {}
        self._objects: dict[str, tuple[str, ObjectFact] | None] = {}
        self._order: dict[str, tuple[OrderStep, ...]] = {}
        self._wrappers: dict[str, int | None] = {}
        self._wrapper_names: frozenset[str] | None = None

    @property
    def wrapper_names(self) -> frozenset[str]:
        self._wrapper_names = self.known.wrapper_names if self.known is not None else frozenset()
        return self._wrapper_names

    def spawn_wrapper(self, qname: str) -> int | None:
        answer = self.known.spawn_wrapper(qname) if self.known is not None else None
        self._wrappers[qname] = answer
        return answer

    def steps_before(self, module: str) -> tuple[OrderStep, ...]:
        answer = self.known.steps_before(module) if self.known is not None else ()
        self._order[module] = answer
        return answer

    def object_at(self, qname: str) -> tuple[str, ObjectFact] | None:
        answer = self.known.object_at(qname) if self.known is not None else None
        if answer is not None or qname.partition(".")[0] in self.tops:
            self._objects[qname] = answer
        return answer

    def expand(self, qname: str) -> Expansion | None:
        answer = self.known.expand(qname) if self.known is not None else None
        if answer is not None or qname.partition(".")[0] in self.tops:
            self._expanded[qname] = answer
        return answer

    def star_visible(self, module: str, name: str) -> bool:
        answer = self.known.star_visible(module, name) if self.known is not None else True
        if not answer or module.partition(".")[0] in self.tops:
            self._star_visible[(module, name)] = answer
        return answer

    def questions(self) -> Questions:
        return Questions(
            tuple(self._expanded.items()),
            tuple((module, name, answer) for (module, name), answer in self._star_visible.items()),
            tuple(self._objects.items()),
            tuple(self._order.items()),
            tuple(self._wrappers.items()),
            self._wrapper_names,
        )


def index_targets(rules: Iterable[Rule]) -> frozenset[str]:
    """The top-level packages the rules' name patterns are about (`eventlet`)."""
    targets = set()
    for rule in rules:
        if not rule.follow_reexports:
            continue
        s = rule.selectors
        made_by = (maker for declared in s.objects for maker in declared.made_by)
        patterns = (*s.call, *s.reference, *s.import_, *s.string_target, *(c.name for c in s.call_with))
        for pattern in (*patterns, *made_by):
            root = pattern.partition(".")[0]
            if root and root not in ("builtins", "*"):
                targets.add(root)
    return frozenset(targets)


def index_makers(rules: Iterable[Rule]) -> dict[str, str]:
    """The qualified names whose call makes an object a rule follows (`match: object:`),
    with the object's type: what the index's object facts look for."""
    makers: dict[str, str] = {}
    for rule in rules:
        for declared in rule.selectors.objects:
            for maker in declared.made_by:
                makers.setdefault(maker, declared.name)
    return makers


def empty_index(targets: frozenset[str]) -> ProjectIndex:
    return ProjectIndex(targets, {})


def attribute_and_rest(parts: Sequence[str], end: int) -> tuple[str, Sequence[str]]:
    """`m.f.().x` split after module `m`: the attribute `f.()` (a call result) and the rest."""
    attribute, rest = parts[end], parts[end + 1 :]
    if rest and rest[0] == CALL:
        return attribute + CALL_SUFFIX, rest[1:]
    return attribute, rest
