"""`index.star_chains` gives exactly what following every star-import chain afresh gave.

The project index used to answer "which names does this hub re-export" and "what is
`module.attribute`" by recursing through star imports from each module, with the modules
on the current path as its only memory: the square of a chain's length (minutes for
5,000 modules, `tests/test_hostile_sizes.py`). These differential tests run the old
recursions (below, as they were) and the new linear ones on random star-import graphs,
cycles and `__all__` lists included, and ask for the same answers.
"""

from __future__ import annotations

from collections.abc import Mapping

from hypothesis import given, settings
from hypothesis import strategies as st

from evlint.index.model import CALL_SUFFIX, ModuleExports
from evlint.index.resolve import _hubs
from evlint.index.star_chains import AttributeWalk, reexported_names

TARGETS = frozenset({"eventlet"})
MODULES = [f"pkg.m{k}" for k in range(7)]
NAMES = ["spawn", "sleep", "_hidden", "f" + CALL_SUFFIX]


def _old_names(
    module: str, hubs: Mapping[str, ModuleExports], targets: frozenset[str], seen: frozenset[str]
) -> set[str] | None:
    exports = hubs[module]
    names = {key.removesuffix(CALL_SUFFIX) for key in exports.exports}
    for source in exports.star_sources:
        if source.partition(".")[0] in targets:
            return None
        if source not in hubs or source in seen:
            continue
        inner = _old_names(source, hubs, targets, seen | {module})
        if inner is None:
            return None
        names.update(name for name in inner if hubs[source].visible(name))
    return names


def _old_attribute(
    modules: Mapping[str, ModuleExports], module: str, attribute: str, seen: frozenset[str]
) -> frozenset[str]:
    exports = modules[module]
    found = exports.exports.get(attribute)
    if found is not None:
        return found
    if attribute in exports.bound or attribute in exports.submodules or attribute.endswith(CALL_SUFFIX):
        return frozenset()
    names: set[str] = set()
    for source in exports.star_sources:
        if source.partition(".")[0] in TARGETS:
            if not attribute.startswith("_"):
                names.add(f"{source}.{attribute}")
        elif source in modules and source not in seen and modules[source].visible(attribute):
            names.update(_old_attribute(modules, source, attribute, seen | {module}))
    return frozenset(names)


def _old_hubs(modules: Mapping[str, ModuleExports]) -> set[str]:
    hubs = {name for name, exports in modules.items() if exports.exports}
    changed = True
    while changed:
        changed = False
        for name, exports in modules.items():
            if name not in hubs and any(
                s.partition(".")[0] in TARGETS or s in hubs for s in exports.star_sources
            ):
                hubs.add(name)
                changed = True
    return hubs


@st.composite
def _module(draw: st.DrawFn, name: str) -> ModuleExports:
    exported = draw(st.lists(st.sampled_from(NAMES), max_size=2, unique=True))
    exports = {key: frozenset({f"eventlet.{key}@{name}"}) for key in exported}
    bound = frozenset(draw(st.lists(st.sampled_from(NAMES[:3]), max_size=2)))
    sources = draw(st.lists(st.sampled_from([*MODULES, "eventlet", "eventlet.green", "other"]), max_size=3))
    all_names = draw(st.none() | st.frozensets(st.sampled_from(NAMES[:3]), max_size=2))
    return ModuleExports(exports, bound | frozenset(exported), tuple(dict.fromkeys(sources)), all_names)


@st.composite
def _graphs(draw: st.DrawFn) -> dict[str, ModuleExports]:
    names = draw(st.lists(st.sampled_from(MODULES), min_size=1, unique=True))
    return {name: draw(_module(name)) for name in sorted(names)}


@settings(max_examples=400, derandomize=True, deadline=None)
@given(_graphs())
def test_each_hub_reexports_the_names_the_old_recursion_found(modules: dict[str, ModuleExports]) -> None:
    hubs = _hubs(modules, TARGETS)
    assert set(hubs) == _old_hubs(modules)
    found = reexported_names(hubs, TARGETS)
    for module in hubs:
        old = _old_names(module, hubs, TARGETS, frozenset())
        assert found[module] == (None if old is None else frozenset(old)), module


@settings(max_examples=400, derandomize=True, deadline=None)
@given(_graphs(), st.data())
def test_every_attribute_through_star_imports_is_what_the_old_recursion_found(
    modules: dict[str, ModuleExports], data: st.DataObject
) -> None:
    walk = AttributeWalk(modules, TARGETS)  # one memo for every question, asked in any order
    questions = [(module, name) for module in modules for name in NAMES]
    for module, name in data.draw(st.permutations(questions)):
        assert walk.attribute(module, name) == _old_attribute(modules, module, name, frozenset()), (
            module,
            name,
        )
