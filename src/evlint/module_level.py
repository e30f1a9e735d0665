"""Small readings of a module's syntax shared by the index's text-free scans."""

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


def dotted(node: ast.expr) -> tuple[str, ...] | None:
    """`a.b.c` as ('a', 'b', 'c'); None for anything but a plain dotted name."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return tuple(reversed(parts))
