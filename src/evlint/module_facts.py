"""What the project index needs to know of one module, gathered while the engine reads it.

A module's re-exports are its top-level bindings (with what its functions return), which
the engine's scopes already hold, and a literal `__all__`, which limits what a star import
of the module binds.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from evlint.names import Scope


@dataclass(frozen=True)
class ModuleFacts:
    scope: Scope  # the module's top-level scope, with every binding made in it
    all_names: frozenset[str] | None  # a literal `__all__`, if any


def dunder_all(tree: ast.Module) -> frozenset[str] | None:
    """A module's `__all__` when every assignment to it is a literal list of strings."""
    names: set[str] = set()
    seen = False
    for node in _module_statements(tree.body):
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


def _module_statements(body: Sequence[ast.stmt]) -> Iterable[ast.stmt]:
    """Top-level statements, including those inside module-level if/try blocks."""
    for node in body:
        yield node
        if isinstance(node, ast.If):
            yield from _module_statements([*node.body, *node.orelse])
        elif isinstance(node, ast.Try):
            yield from _module_statements([*node.body, *node.orelse, *node.finalbody])
            for handler in node.handlers:
                yield from _module_statements(handler.body)
