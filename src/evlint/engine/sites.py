"""What the traversal records and the matcher looks up: the shapes of names it reads
(`a.b.c`, `f().a`, literals) and one record per kind of candidate site."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import NamedTuple

from evlint.names import CALL, Scope

_DOTTED = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

Literal = str | int | float | bool | None
_NO_LITERAL = object()


def call_chain(node: ast.expr) -> tuple[str, ...] | None:
    """`f().a.b` as ('f', CALL, 'a', 'b'): a dotted name through calls of dotted names."""
    parts: list[str] = []
    while True:
        if isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        elif isinstance(node, ast.Call):
            parts.append(CALL)
            node = node.func
        elif isinstance(node, ast.Name):
            parts.append(node.id)
            parts.reverse()
            return tuple(parts)
        else:
            return None


def _literal(node: ast.expr) -> object:
    if isinstance(node, ast.Constant) and isinstance(node.value, (str, int, float, bool, type(None))):
        return node.value
    return _NO_LITERAL


class _Use(NamedTuple):  # one per name load: a tuple is several times cheaper to make
    node: ast.expr
    scope: Scope
    chain: tuple[str, ...]
    is_callee: bool
    call: ast.Call | None = None


class UsesByNode:
    """The uses by their node's id, made when first asked, once for all who ask (green code,
    contextual selectors)."""

    def __init__(self, uses: list[_Use]) -> None:
        self._uses = uses
        self._by_node: dict[int, _Use] | None = None

    def map(self) -> dict[int, _Use]:
        if self._by_node is None:
            self._by_node = {id(use.node): use for use in self._uses}
        return self._by_node


@dataclass(frozen=True)
class _Import:
    node: ast.AST
    qnames: tuple[str, ...]  # the module first, then the names imported from it


@dataclass(frozen=True)
class _DynamicImport:
    """`importutils.try_import('eventlet')` and friends: an import if the callee is an importer."""

    call: ast.Call
    callee: tuple[str, ...]
    module: str
    string: ast.expr
    scope: Scope


@dataclass(frozen=True)
class _AttributeString:
    callee: tuple[str, ...]
    target: ast.expr
    chain: tuple[str, ...]
    attribute: ast.expr
    name: str
    scope: Scope


@dataclass(frozen=True)
class _Keyword:
    """A call argument a keyword or setting selector names: `keyword` is what is reported (the
    `ast.keyword`, or the positional argument), `value` the expression it passes."""

    keyword: ast.AST
    name: str
    value: ast.expr
    callee: tuple[str, ...] | None
    scope: Scope
    position: int | None = None  # of a positional argument
