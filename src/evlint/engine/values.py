"""Literal values followed to where they select something: `executor='eventlet'` given
directly, through a variable, a conditional (`'eventlet' if green else 'threading'`) or a
parameter's default; and settings (`worker_class = 'eventlet'`, `HUB_TYPE == 'eventlet'`).

The traversal records, for the names the rules ask about, the values assigned to every
plain name (`ValueSites.assigned`) and the setting sites; the matcher asks which literals
an expression may hold (`possible_literals`), a may-analysis like name resolution.
"""

from __future__ import annotations

import ast
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from evlint.engine.reaching import in_own_code, parents_of, reaching
from evlint.engine.sites import _Keyword
from evlint.model import KeywordSelector
from evlint.names import Scope, ScopeKind

# Expressions whose literals are followed (a container's: its items'); others (calls,
# attributes) hold no known literal.
_FOLLOWED = (ast.Constant, ast.IfExp, ast.BoolOp, ast.Name, ast.List, ast.Tuple, ast.Set)
_MAX_DEPTH = 8  # `a = b; b = c; ...`: a chain this long is not followed further


@dataclass(frozen=True)
class Setting:
    """`name` given `value` at `start`..`end`: an assignment, comparison or parameter default."""

    start: ast.AST
    end: ast.AST
    name: str
    value: ast.expr
    scope: Scope


class ValueSites:
    """The values names are given in one module, and its setting sites."""

    def __init__(self, setting_names: Collection[str]) -> None:
        self.setting_names = setting_names
        self.settings: list[Setting] = []
        self._values: dict[tuple[int, str], list[tuple[ast.expr, Scope]]] = {}
        # Each function's (and the module's) statements, for statement order (`engine.reaching`).
        self.bodies: dict[int, Sequence[ast.stmt]] = {}
        self._parents: dict[int, dict[int, ast.AST]] = {}

    def assigned(self, targets: Iterable[ast.expr], value: ast.expr, scope: Scope) -> None:
        for target in targets:
            if type(target) is ast.Name:
                name = target.id
                if isinstance(value, _FOLLOWED):
                    owner = scope.module if name in scope.declared_global else scope
                    self._values.setdefault((id(owner), name), []).append((value, scope))
            elif type(target) is ast.Attribute:
                name = target.attr
            else:
                continue
            if name in self.setting_names:
                self.settings.append(Setting(target, value, name, value, scope))

    def compared(self, node: ast.Compare, scope: Scope) -> None:
        """`HUB_TYPE == 'eventlet'`, `'eventlet' != self.backend`."""
        if len(node.ops) != 1 or type(node.ops[0]) not in (ast.Eq, ast.NotEq):
            return
        left, right = node.left, node.comparators[0]
        for named, other in ((left, right), (right, left)):
            name = _last_name(named)
            if name is not None and name in self.setting_names:
                self.settings.append(Setting(node, node, name, other, scope))

    def defaults(
        self, args: ast.arguments, function_scope: Scope, outer: Scope, body: Sequence[ast.stmt] = ()
    ) -> None:
        """Parameters' defaults: values of the parameters in the function, and settings."""
        self.bodies[id(function_scope)] = body
        positional = [*args.posonlyargs, *args.args]
        pairs = [
            *zip(positional[len(positional) - len(args.defaults) :], args.defaults, strict=True),
            *(
                (arg, default)
                for arg, default in zip(args.kwonlyargs, args.kw_defaults, strict=True)
                if default
            ),
        ]
        for arg, default in pairs:
            if isinstance(default, _FOLLOWED):
                self._values.setdefault((id(function_scope), arg.arg), []).append((default, outer))
            if arg.arg in self.setting_names:
                self.settings.append(Setting(arg, default, arg.arg, default, outer))

    def possible_literals(self, value: ast.expr, scope: Scope, depth: int = 0) -> set[object]:
        """The literals `value`, evaluated in `scope`, may hold (a may-analysis)."""
        if isinstance(value, ast.Constant):
            return {value.value}
        if depth > _MAX_DEPTH:
            return set()
        if isinstance(value, ast.IfExp):
            parts = [value.body, value.orelse]
        elif isinstance(value, ast.BoolOp):
            parts = value.values
        elif isinstance(value, (ast.List, ast.Tuple, ast.Set)):  # `choices=['eventlet', ...]`
            parts = value.elts
        elif isinstance(value, ast.Name):
            owner = scope.owner(value.id)
            recorded = self._values.get((id(owner), value.id), [])
            reach = self._reaching(owner, scope, value, recorded)
            return {
                literal
                for assigned, where in recorded
                if reach is None or id(assigned) in reach
                for literal in self.possible_literals(assigned, where, depth + 1)
            }
        else:
            return set()
        return {literal for part in parts for literal in self.possible_literals(part, scope, depth + 1)}

    def _reaching(
        self, owner: Scope, scope: Scope, load: ast.Name, recorded: list[tuple[ast.expr, Scope]]
    ) -> frozenset[int] | None:
        """The recorded values still bound where `load` reads the name, in statement order;
        None (all of them) where that order is not modelled."""
        name = load.id
        body = self.bodies.get(id(owner))
        if not body or not recorded or name in owner.declared_global or name in owner.declared_nonlocal:
            return None
        walk: Scope | None = scope
        while walk is not owner:  # read in the owner's own code (a comprehension in it at most)
            if walk is None or walk.kind is not ScopeKind.COMPREHENSION:
                return None
            walk = walk.parent
        parents = self._parents.get(id(owner))
        if parents is None:
            parents = self._parents[id(owner)] = parents_of(body)
        start = []
        for assigned, _ in recorded:
            placed = in_own_code(assigned, parents)
            if placed is None:
                start.append(id(assigned))  # a parameter's default: bound on entry
            elif not placed:
                return None  # bound in a nested function (`global`, `nonlocal`)
        return reaching(body, parents, name, load, frozenset(start))


def positional_arguments(
    call: ast.Call, callee: tuple[str, ...], selectors: Iterable[tuple[int, KeywordSelector]], scope: Scope
) -> list[_Keyword]:
    """`get_rpc_server(t, target, endpoints, 'eventlet')`: the arguments at the selectors' positions."""
    found = []
    for _, selector in selectors:
        position = selector.position
        if position is None or len(call.args) <= position:
            continue
        if not any(isinstance(arg, ast.Starred) for arg in call.args[: position + 1]):
            given = call.args[position]
            found.append(_Keyword(given, selector.name, given, callee, scope, position))
    return found


def _last_name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None
