"""Small readings of syntax shared by the engine and the index's scans."""

from __future__ import annotations

import ast
from collections.abc import Iterator, Sequence


def module_statements(body: Sequence[ast.stmt]) -> Iterator[ast.stmt]:
    """The statements that may run when the module is imported: the body, and inside
    module-level `if`, `try` (handlers too) blocks."""
    for node in body:
        yield node
        if isinstance(node, ast.If):
            yield from module_statements([*node.body, *node.orelse])
        elif isinstance(node, ast.Try):
            yield from module_statements([*node.body, *node.orelse, *node.finalbody])
            for handler in node.handlers:
                yield from module_statements(handler.body)


def dotted_chain(node: ast.expr) -> tuple[str, ...] | None:
    """`a.b.c` as ('a', 'b', 'c'); None for anything that is not a plain dotted name."""
    if type(node) is ast.Name:  # (exact types: these nodes are never subclassed, and it is quicker)
        return (node.id,)
    parts: list[str] = []
    while type(node) is ast.Attribute:
        parts.append(node.attr)
        node = node.value
    if type(node) is not ast.Name:
        return None
    parts.append(node.id)
    parts.reverse()
    return tuple(parts)


def import_bindings(statement: ast.Import) -> Iterator[tuple[str, str]]:
    """What each name an `import` statement binds names: `import a.b as c` binds `c` to
    `a.b`; `import a.b` binds `a` to `a`."""
    for alias in statement.names:
        if alias.asname:
            yield alias.asname, alias.name
        else:
            top = alias.name.partition(".")[0]
            yield top, top
