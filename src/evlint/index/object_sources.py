"""What a module's top-level names, functions and classes may hold, read from its syntax
alone, for the project index's object facts (`index.object_facts`).

`POOL = eventlet.GreenPool()` (a module-level name given a call), `def make_pool(): return
GreenPool(4)` (a function returning a call, directly or through a local name or a module
global it sets), `class SSHPool(pools.Pool)` (a class and its bases). Nothing is resolved
here: the index resolves the chains with the module's scope, so these facts depend on the
module's bytes alone and are cached with its other facts.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from evlint.module_level import dotted_chain, module_statements

CALL, NAME, OTHER = "call", "name", "other"
# Decorators that keep what the function returns; any other may change it.
_KEEPING = frozenset({"staticmethod", "classmethod", "lru_cache", "cache", "cached"})
_LOCAL_DEPTH = 4  # `a = b; b = c; ...` inside a function: followed this deep


@dataclass(frozen=True)
class Source:
    """One value a name may hold: a `call` of a dotted chain (on `line`), the value of a
    dotted `name`, or `other` (anything not followed)."""

    kind: str
    chain: tuple[str, ...] = ()
    line: int = 0


_OTHER = Source(OTHER)


@dataclass(frozen=True)
class ClassBases:
    bases: tuple[tuple[str, ...], ...]
    line: int


@dataclass(frozen=True)
class ModuleObjects:
    """A module's names (`values`), functions and static/class methods (`returns`, keyed
    `f` or `Class.f`) with what they may hold or return, and its classes' dotted bases."""

    values: Mapping[str, tuple[Source, ...]] = field(default_factory=dict)
    returns: Mapping[str, tuple[Source, ...]] = field(default_factory=dict)
    classes: Mapping[str, ClassBases] = field(default_factory=dict)

    def names(self) -> Iterable[str]:
        yield from self.classes
        yield from self.returns
        yield from self.values


def module_objects(tree: ast.Module, declared_global: Mapping[int, Iterable[str]]) -> ModuleObjects:
    """`declared_global`: the names each function (by its node's id) declares `global`."""
    values: dict[str, list[Source]] = {}
    returns: dict[str, tuple[Source, ...]] = {}
    classes: dict[str, ClassBases] = {}
    rebound: set[str] = set()
    for node in module_statements(tree.body):
        if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            _assign(targets, node.value, values, rebound)
        elif isinstance(node, ast.AugAssign | ast.For | ast.AsyncFor | ast.With | ast.AsyncWith):
            rebound.update(_bound_names(node))
        elif isinstance(node, ast.Import | ast.ImportFrom):
            rebound.update((a.asname or a.name).partition(".")[0] for a in node.names)
        elif isinstance(node, ast.FunctionDef | ast.ClassDef):
            rebound.add(node.name)
            _definition(node, values, returns, classes)
    if values and declared_global:  # globals other functions (methods, nested ones) may rebind
        scanned = _scanned(tree)
        rebound.update(n for key, names in declared_global.items() if key not in scanned for n in names)
    kept = {}
    for name, sources in values.items():
        if name in rebound:
            sources.append(_OTHER)
        if any(source.kind != OTHER for source in sources):
            kept[name] = tuple(dict.fromkeys(sources))
    return ModuleObjects(kept, returns, classes)


def _scanned(tree: ast.Module) -> set[int]:
    """The functions whose returns (and globals set) `module_objects` reads."""
    found = set()
    for node in module_statements(tree.body):
        if isinstance(node, ast.FunctionDef):
            found.add(id(node))
        elif isinstance(node, ast.ClassDef):
            found.update(
                id(item)
                for item in node.body
                if isinstance(item, ast.FunctionDef) and _decorated_as(item, {"staticmethod", "classmethod"})
            )
    return found


def _definition(
    node: ast.FunctionDef | ast.ClassDef,
    values: dict[str, list[Source]],
    returns: dict[str, tuple[Source, ...]],
    classes: dict[str, ClassBases],
) -> None:
    """A module-level function's returns; a class's bases and its static and class methods' returns."""
    if isinstance(node, ast.FunctionDef):
        found = _returns(node, values)
        if found:
            returns[node.name] = found
        return
    bases = tuple(chain for base in node.bases if (chain := dotted_chain(base)) is not None)
    if bases:
        classes[node.name] = ClassBases(bases, node.lineno)
    for item in node.body:
        if isinstance(item, ast.FunctionDef) and _decorated_as(item, {"staticmethod", "classmethod"}):
            found = _returns(item, values)
            if found:
                returns[f"{node.name}.{item.name}"] = found


def _assign(
    targets: Sequence[ast.expr], value: ast.expr, into: dict[str, list[Source]], rebound: set[str]
) -> None:
    sources = _sources(value)
    for target in targets:
        if isinstance(target, ast.Name):
            into.setdefault(target.id, []).extend(sources)
        else:
            rebound.update(_names_in(target))


def _sources(node: ast.expr) -> list[Source]:
    """What an expression may hold; None adds nothing."""
    if isinstance(node, ast.Constant) and node.value is None:
        return []
    if isinstance(node, ast.IfExp):
        return [*_sources(node.body), *_sources(node.orelse)]
    if isinstance(node, ast.BoolOp):
        return [source for value in node.values for source in _sources(value)]
    if isinstance(node, ast.Call):
        chain = dotted_chain(node.func)
        return [Source(CALL, chain, node.lineno)] if chain is not None else [_OTHER]
    chain = dotted_chain(node)
    return [Source(NAME, chain)] if chain is not None else [_OTHER]


def _returns(function: ast.FunctionDef, module_values: dict[str, list[Source]]) -> tuple[Source, ...]:
    """What a function may return, its locals replaced by what they were given; globals it
    sets (`global _POOL; _POOL = GreenPool()`) are added to the module's values. A generator
    returns a generator: nothing."""
    body = list(_own_nodes(function))
    if any(isinstance(node, ast.Yield | ast.YieldFrom) for node in body):
        return ()
    declared_global = {name for node in body if isinstance(node, ast.Global) for name in node.names}
    local: dict[str, list[Source]] = {}
    returned: list[Source] = []
    for node in body:
        if isinstance(node, ast.Return) and node.value is not None:
            returned.extend(_sources(node.value))
        else:
            _bind_in_function(node, local, module_values, declared_global)
    if not any(source.kind != OTHER for source in returned):
        return ()
    for name, unfollowed in _unfollowed_locals(function).items():
        local.setdefault(name, []).extend(unfollowed)
    found = _without_locals(returned, local, declared_global, 0)
    if not any(source.kind != OTHER for source in found):
        return ()
    if not all(_decorated_as(function, _KEEPING, decorator) for decorator in function.decorator_list):
        found.append(_OTHER)
    return tuple(dict.fromkeys(found))


def _bind_in_function(
    node: ast.AST,
    local: dict[str, list[Source]],
    module_values: dict[str, list[Source]],
    declared_global: set[str],
) -> None:
    """What a statement of a function binds: its locals, or module globals it declares."""
    if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        for target in targets:
            into = module_values if isinstance(target, ast.Name) and target.id in declared_global else local
            _assign([target], node.value, into, set())
            if not isinstance(target, ast.Name):
                for name in _names_in(target):
                    local.setdefault(name, []).append(_OTHER)
    elif isinstance(node, ast.AugAssign | ast.For | ast.AsyncFor | ast.With | ast.AsyncWith | ast.NamedExpr):
        for name in _bound_names(node):
            (module_values if name in declared_global else local).setdefault(name, []).append(_OTHER)


def _unfollowed_locals(function: ast.FunctionDef) -> dict[str, list[Source]]:
    """Local names bound to values not followed: parameters, functions, classes, imports."""
    arguments = function.args
    parameters = {a.arg for a in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs)}
    parameters.update(a.arg for a in (arguments.vararg, arguments.kwarg) if a is not None)
    local: dict[str, list[Source]] = {name: [_OTHER] for name in parameters}
    for inner in ast.walk(function):
        if isinstance(inner, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and inner is not function:
            local.setdefault(inner.name, []).append(_OTHER)
        elif isinstance(inner, ast.Import | ast.ImportFrom):
            for alias in inner.names:
                local.setdefault((alias.asname or alias.name).partition(".")[0], []).append(_OTHER)
    return local


def _without_locals(
    sources: Iterable[Source], local: Mapping[str, list[Source]], declared_global: set[str], depth: int
) -> list[Source]:
    found: list[Source] = []
    for source in sources:
        root = source.chain[0] if source.chain else None
        if root is None or root in declared_global or root not in local:
            found.append(source)
        elif source.kind == NAME and len(source.chain) == 1 and depth < _LOCAL_DEPTH:
            found.extend(_without_locals(local[root], local, declared_global, depth + 1))
        else:
            found.append(_OTHER)  # an attribute or method of a local: not followed
    return found


def _own_nodes(function: ast.FunctionDef | ast.AsyncFunctionDef) -> Iterable[ast.AST]:
    """The function's nodes, without those of functions, classes and lambdas inside it."""
    nested = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)
    stack: list[ast.AST] = [node for node in function.body if not isinstance(node, nested)]
    while stack:
        node = stack.pop()
        yield node
        for child in ast.iter_child_nodes(node):
            if not isinstance(child, nested):
                stack.append(child)
    return


def _bound_names(node: ast.AST) -> set[str]:
    if isinstance(node, ast.AugAssign | ast.For | ast.AsyncFor | ast.NamedExpr):
        return _names_in(node.target)
    if isinstance(node, ast.With | ast.AsyncWith):
        return {n for item in node.items if item.optional_vars for n in _names_in(item.optional_vars)}
    return set()


def _names_in(target: ast.expr) -> set[str]:
    return {node.id for node in ast.walk(target) if isinstance(node, ast.Name)}


def _decorated_as(function: ast.FunctionDef, names: Iterable[str], only: ast.expr | None = None) -> bool:
    decorators = [only] if only is not None else function.decorator_list
    wanted = set(names)
    for decorator in decorators:
        called = decorator.func if isinstance(decorator, ast.Call) else decorator
        chain = dotted_chain(called)
        if chain is not None and chain[-1] in wanted:
            return True
    return False


# -- JSON, for the facts cache -------------------------------------------------------------


def objects_to_json(objects: ModuleObjects) -> dict[str, Any]:
    def sources(found: tuple[Source, ...]) -> list[Any]:
        return [[source.kind, list(source.chain), source.line] for source in found]

    return {
        "values": {name: sources(found) for name, found in objects.values.items()},
        "returns": {name: sources(found) for name, found in objects.returns.items()},
        "classes": {name: [[list(b) for b in c.bases], c.line] for name, c in objects.classes.items()},
    }


def objects_from_json(data: Any) -> ModuleObjects:
    """`objects_to_json`'s inverse; raises ValueError, TypeError or KeyError on anything else."""

    def sources(items: Any) -> tuple[Source, ...]:
        found = []
        for kind, chain, line in items:
            if kind not in (CALL, NAME, OTHER):
                raise ValueError(f"unknown source {kind!r}")
            found.append(Source(str(kind), tuple(str(part) for part in chain), int(line)))
        return tuple(found)

    return ModuleObjects(
        {str(name): sources(items) for name, items in data["values"].items()},
        {str(name): sources(items) for name, items in data["returns"].items()},
        {
            str(name): ClassBases(tuple(tuple(str(p) for p in base) for base in bases), int(line))
            for name, (bases, line) in data["classes"].items()
        },
    )
