"""`argument:` conditions: whether a call gives an argument (by keyword or position), does
not give it, or gives a function of a kind that cannot be pickled (a lambda, a function
defined inside another function).

Exact by construction: a call that passes `*args` or `**kwargs` where the argument could
be is neither "given" nor "absent", so it matches no condition.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable

from evlint.contextual import LAMBDA, NESTED_FUNCTION
from evlint.engine.flow_values import Made, MethodSite
from evlint.engine.sites import _literal, _Use
from evlint.model import ArgumentCondition
from evlint.names import Function, Scope, ScopeKind
from evlint.objects import ObjectTable

_UNKNOWN = object()  # the argument may be in a *args or **kwargs


def argument_holds(condition: ArgumentCondition, call: ast.Call, scope: Scope) -> str | None:
    """What `call` (whose names load in `scope`) gives that meets the condition, for a
    message's {context}: `max_threads=` (given by that keyword), `a lambda`, `nested
    function g`, "" (absent, or given by position); None if the condition does not hold."""
    given = _argument(condition, call)
    if given is _UNKNOWN:
        return None
    if condition.absent:
        return "" if given is None else None
    return _given(condition, call, given, scope) if isinstance(given, ast.expr) else None


def _given(condition: ArgumentCondition, call: ast.Call, given: ast.expr, scope: Scope) -> str | None:
    if condition.values:
        found = _literal(given)
        return "" if any(type(found) is type(v) and found == v for v in condition.values) else None
    if not condition.kinds:
        by_keyword = any(keyword.value is given for keyword in call.keywords)
        return f"{condition.keyword}=" if by_keyword else ""
    kind = _kind(given, scope)
    if kind not in condition.kinds:
        return None
    return "a lambda" if kind == LAMBDA else f"nested function {ast.unparse(given)}"


def _argument(condition: ArgumentCondition, call: ast.Call) -> ast.expr | object | None:
    """The argument's expression, None if the call does not give it, or _UNKNOWN."""
    for keyword in call.keywords:
        if keyword.arg is not None and keyword.arg == condition.keyword:
            return keyword.value
    if condition.position is not None:
        for index, argument in enumerate(call.args):
            if isinstance(argument, ast.Starred):
                return _UNKNOWN
            if index == condition.position:
                return argument
    if any(keyword.arg is None for keyword in call.keywords) and condition.keyword is not None:
        return _UNKNOWN
    return None


def _kind(node: ast.expr, scope: Scope) -> str | None:
    if isinstance(node, ast.Lambda):
        return LAMBDA
    if isinstance(node, ast.Name) and _is_nested_function(node.id, scope):
        return NESTED_FUNCTION
    return None


def _is_nested_function(name: str, scope: Scope) -> bool:
    """Whether `name` loaded in `scope` is only ever a `def` made inside a function."""
    owner = scope.owner(name)
    bindings = owner.bindings.get(name)
    if owner.kind is not ScopeKind.FUNCTION or not bindings:
        return False
    return all(isinstance(binding, Function) for binding in bindings)


class MethodArguments:
    """Whether an object-flow site (`executor.submit`) meets the `argument` condition its
    method declares: a site is reported if any type it may hold has the method with no
    condition, or with one the call meets. Uses are looked up only when a condition exists."""

    def __init__(self, table: ObjectTable, uses: Iterable[_Use]) -> None:
        self._table = table
        self._uses = uses
        self._calls: dict[int, _Use] | None = None

    def __call__(self, site: MethodSite) -> bool:
        method = site.node.attr
        types = self._table.types
        made = [v for v in site.values if isinstance(v, Made) and method in types[v.type].methods]
        live = [v for v in made if not self._excluded(v)]
        if made and not live:
            return False
        conditions = [types[value.type].methods[method].argument for value in live]
        if not conditions or any(condition is None for condition in conditions):
            return True
        use = self._call_of(site.node)
        return use is not None and any(
            argument_holds(condition, use.call, use.scope) is not None
            for condition in conditions
            if condition is not None and use.call is not None
        )

    def _excluded(self, made: Made) -> bool:
        """Whether the call that made the object meets its type's `unless-made-with`."""
        unless = self._table.types[made.type].type.unless_made_with
        if unless is None or not isinstance(made.node, ast.Call):
            return False
        use = self._call_of(made.node.func)
        return use is not None and argument_holds(unless, made.node, use.scope) is not None

    def _call_of(self, node: ast.AST) -> _Use | None:
        if self._calls is None:
            self._calls = {id(use.node): use for use in self._uses if use.call is not None and use.is_callee}
        return self._calls.get(id(node))
