"""What a dotted string literal is, by where it stands: a name (a mock target, an annotation)
or only a key (a WSGI environ key, a logger name, a dict key, a compared value).

`'eventlet.input'` indexes a WSGI environ and `'eventlet.wsgi.server'` names a logger; such
strings look like eventlet's names and are not. A string annotation (`pool:
'eventlet.GreenPool'`) is a reference written as a string: its names are uses.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator

from evlint.engine.sites import (
    _DOTTED,
    _IDENTIFIER,
    _AttributeString,
    _DynamicImport,
    _literal,
    _Use,
)
from evlint.module_level import dotted_chain
from evlint.names import Scope

# Methods whose first argument is a key, not a name: `environ.get('eventlet.input')`,
# `logging.getLogger('eventlet.wsgi.server')`.
KEY_TAKING_CALLS = frozenset({"get", "pop", "setdefault", "getLogger", "getChild", "__contains__"})


def key_strings(node: ast.AST) -> Iterator[ast.expr]:
    """The operands of `node` that are keys when they are string literals."""
    kind = type(node)
    if kind is ast.Subscript:
        yield node.slice  # type: ignore[attr-defined]
    elif kind is ast.Dict:
        yield from (key for key in node.keys if key is not None)  # type: ignore[attr-defined]
    elif kind is ast.Compare:
        yield node.left  # type: ignore[attr-defined]
        yield from node.comparators  # type: ignore[attr-defined]


def annotation_chains(text: str) -> list[tuple[str, ...]]:
    """The dotted names a string annotation (`'eventlet.GreenPool'`, `'list[gt.GreenThread]'`)
    refers to; none if it is no expression."""
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except (SyntaxError, ValueError):
        return []
    chains = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Name, ast.Attribute)):
            chain = dotted_chain(node)
            if chain is not None:
                chains.append(chain)
    return _maximal(chains)


def _maximal(chains: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """`a.b.c` only, not also its parts `a.b` and `a` that ast.walk finds inside it."""
    return [c for c in chains if not any(o != c and o[: len(c)] == c for o in chains)]


def module_argument(call: ast.Call) -> tuple[ast.expr, str] | None:
    """The literal module name an importer call is given (first argument or `name=`)."""
    if call.args:
        candidates: Iterable[ast.expr] = (call.args[0],)
    elif call.keywords:
        candidates = [k.value for k in call.keywords if k.arg == "name"]
    else:
        return None
    for candidate in candidates:
        value = _literal(candidate)
        if isinstance(value, str) and _DOTTED.fullmatch(value):
            return candidate, value
    return None


class StringRoleVisits(ast.NodeVisitor):
    """The traversal's string literals by role (`collect._Collector`'s visitors for them):
    dotted strings that may name something, keys that do not, string annotations (uses),
    importers' module names and `getattr(obj, 'name')`'s attribute names."""

    scope: Scope
    uses: list[_Use]
    strings: list[tuple[ast.Constant, str]]
    attribute_strings: list[_AttributeString]
    dynamic_imports: list[_DynamicImport]
    key_strings: set[int]
    _in_annotation: bool

    def _record_string_arguments(self, node: ast.Call, callee: tuple[str, ...]) -> None:
        args = node.args
        # (most calls' first argument is no string literal: `module_argument` only if it may be)
        may_name_module = type(args[0]) is ast.Constant if args else bool(node.keywords)
        module = module_argument(node) if may_name_module else None
        if module is not None:
            string, module_name = module
            self.dynamic_imports.append(_DynamicImport(node, callee, module_name, string, self.scope))
        # (the cheap test first: most calls' second argument is no string literal)
        if len(args) >= 2 and type(args[1]) is ast.Constant and type(args[0]) is not ast.Starred:
            target, attribute = args[0], args[1]
            name = _literal(attribute)
            chain = dotted_chain(target) if isinstance(name, str) else None
            if chain is not None and isinstance(name, str) and _IDENTIFIER.fullmatch(name):
                self.attribute_strings.append(
                    _AttributeString(callee, target, chain, attribute, name, self.scope)
                )
        if args and callee[-1] in KEY_TAKING_CALLS:  # (`key_argument`, inlined)
            self.key_strings.add(id(args[0]))

    def visit_Expr(self, node: ast.Expr) -> None:
        if not (isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)):
            self.visit(node.value)  # a docstring or a bare string statement names nothing

    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:
        for value in node.values:
            if isinstance(value, ast.FormattedValue):  # the text parts are not string literals
                self.visit(value)

    def visit_Constant(self, node: ast.Constant) -> None:
        value = node.value
        if not isinstance(value, str):
            return
        if self._in_annotation:  # a reference written as a string
            self.uses.extend(_Use(node, self.scope, chain, False) for chain in annotation_chains(value))
        elif _DOTTED.fullmatch(value):
            self.strings.append((node, value))

    def visit_Subscript(self, node: ast.Subscript) -> None:
        self._keys_then_children(node)

    def visit_Dict(self, node: ast.Dict) -> None:
        self._keys_then_children(node)

    def _keys_then_children(self, node: ast.AST) -> None:
        self.key_strings.update(id(key) for key in key_strings(node) if type(key) is ast.Constant)
        self.generic_visit(node)
