"""What the project index needs to know of one module, gathered while the engine reads it.

A module's re-exports are its top-level bindings (with what its functions return), which
the engine's scopes already hold, and a literal `__all__`, which limits what a star import
of the module binds.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any

from evlint.index.object_sources import ModuleObjects, objects_from_json, objects_to_json
from evlint.module_level import module_statements
from evlint.names import UNKNOWN, Alias, Binding, Function, ImportCall, QName, Scope, ScopeKind


@dataclass(frozen=True)
class ModuleFacts:
    scope: Scope  # the module's top-level scope, with every binding made in it
    all_names: frozenset[str] | None  # a literal `__all__`, if any
    objects: ModuleObjects = field(
        default_factory=ModuleObjects
    )  # what its names may hold (index.object_sources)


def dunder_all(tree: ast.Module) -> frozenset[str] | None:
    """A module's `__all__` when every assignment to it is a literal list of strings."""
    names: set[str] = set()
    seen = False
    for node in module_statements(tree.body):
        values = _values_given_to_all(node)
        if values is None:
            continue
        seen = True
        for value in values:
            literal = _strings(value)
            if literal is None:
                return None
            names.update(literal)
    return frozenset(names) if seen else None


def _values_given_to_all(node: ast.stmt) -> list[ast.expr] | None:
    """`__all__ = [...]`, `__all__ += [...]`, `__all__.extend([...])`: the values; else None."""
    if isinstance(node, ast.Assign) and any(_is_all(target) for target in node.targets):
        return [node.value]
    if isinstance(node, (ast.AugAssign, ast.AnnAssign)) and _is_all(node.target):
        return [node.value] if node.value is not None else []
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
        func = node.value.func
        if isinstance(func, ast.Attribute) and _is_all(func.value) and func.attr in ("extend", "append"):
            return list(node.value.args)
    return None


def _is_all(node: ast.expr) -> bool:
    return isinstance(node, ast.Name) and node.id == "__all__"


def _strings(node: ast.expr) -> list[str] | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, (ast.List, ast.Tuple)):
        items = [item.value for item in node.elts if isinstance(item, ast.Constant)]
        if len(items) == len(node.elts) and all(isinstance(item, str) for item in items):
            return [str(item) for item in items]
    return None


# -- a JSON form, for the cache (plain data: reading a cache file never runs code) ------------


def facts_to_json(facts: ModuleFacts) -> dict[str, Any]:
    """The facts as JSON data: the scopes they reach, numbered, and bindings that name them."""
    numbers: dict[int, int] = {}
    scopes: list[Any] = []

    def scope_number(scope: Scope) -> int:
        number = numbers.get(id(scope))
        if number is None:
            number = numbers[id(scope)] = len(scopes)
            scopes.append(None)  # reserved: a binding inside may lead back to this scope
            parent = scope_number(scope.parent) if scope.parent is not None else None
            scopes[number] = [
                scope.kind.value,
                parent,
                {name: [binding_json(b) for b in bound] for name, bound in scope.bindings.items()},
                sorted(scope.declared_global),
                sorted(scope.declared_nonlocal),
                list(scope.star_imports),
            ]
        return number

    def binding_json(binding: Binding) -> list[Any]:
        if isinstance(binding, QName):
            return ["q", binding.name]
        if isinstance(binding, Alias):
            return ["a", list(binding.chain), scope_number(binding.scope)]
        if isinstance(binding, ImportCall):
            return ["i", list(binding.callee), scope_number(binding.scope), binding.module]
        if isinstance(binding, Function):
            return ["f", [binding_json(returned) for returned in binding.returns]]
        return ["u"]

    scope_number(facts.scope)
    return {
        "scopes": scopes,
        "all": sorted(facts.all_names) if facts.all_names is not None else None,
        "objects": objects_to_json(facts.objects),
    }


def facts_from_json(data: Any) -> ModuleFacts:
    """`facts_to_json`'s inverse; raises ValueError (or TypeError, KeyError) on anything else."""
    rows = data["scopes"]
    if not isinstance(rows, list) or not rows:
        raise ValueError("no scopes")
    scopes = [Scope(ScopeKind(row[0]), None) for row in rows]

    def binding(item: list[Any]) -> Binding:
        tag = item[0]
        if tag == "q":
            return QName(str(item[1]))
        if tag == "a":
            return Alias(tuple(str(part) for part in item[1]), scopes[item[2]])
        if tag == "i":
            return ImportCall(tuple(str(part) for part in item[1]), scopes[item[2]], str(item[3]))
        if tag == "f":
            function = Function()
            function.returns.extend(binding(returned) for returned in item[1])
            return function
        if tag == "u":
            return UNKNOWN
        raise ValueError(f"unknown binding {tag!r}")

    for scope, (_, parent, bindings, declared_global, declared_nonlocal, star_imports) in zip(
        scopes, rows, strict=True
    ):
        scope.parent = scopes[parent] if parent is not None else None
        scope.bindings = {str(name): [binding(item) for item in bound] for name, bound in bindings.items()}
        scope.declared_global = {str(name) for name in declared_global}
        scope.declared_nonlocal = {str(name) for name in declared_nonlocal}
        scope.star_imports = [str(module) for module in star_imports]
    all_names = data["all"]
    return ModuleFacts(
        scopes[0],
        frozenset(str(name) for name in all_names) if all_names is not None else None,
        objects_from_json(data["objects"]),
    )
