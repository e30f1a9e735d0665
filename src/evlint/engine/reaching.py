"""Which assignments of a name may reach one of its loads, in statement order: the values
`engine.values` follows are those still bound where the name is read (`executor =
'eventlet'` then `executor = 'threading'` before the call: only `'threading'`).

Structured, like the code: an assignment replaces what the name held, `if`/`match`
branches merge, a loop's body may run any number of times, a `try`'s handlers and
`finally` may start after any statement of its body. Anything this does not model (a
walrus binding the name, a load inside a nested function) gives None: every assignment.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping, Sequence

State = frozenset[int]  # ids of the value expressions the name may hold (an empty set: unknown)
_NESTED = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)
_UNKNOWN: State = frozenset()  # bound to something not followed
_KEEPS: State = frozenset((-1,))  # (no id is negative)


class _UnmodelledError(Exception):
    pass


def parents_of(body: Sequence[ast.stmt]) -> dict[int, ast.AST]:
    """Each node's parent in `body` (nested functions and classes included)."""
    parents: dict[int, ast.AST] = {}
    stack: list[ast.AST] = list(body)
    while stack:
        node = stack.pop()
        for child in ast.iter_child_nodes(node):
            parents[id(child)] = node
            stack.append(child)
    return parents


def in_own_code(node: ast.AST, parents: Mapping[int, ast.AST]) -> bool | None:
    """Whether `node` is in the body's own code (not in a nested function or class); None
    if it is not in the body at all."""
    if id(node) not in parents:
        return None
    current: ast.AST | None = parents.get(id(node))
    while current is not None:
        if isinstance(current, _NESTED):
            return False
        current = parents.get(id(current))
    return True


def reaching(
    body: Sequence[ast.stmt], parents: Mapping[int, ast.AST], name: str, load: ast.expr, start: State
) -> State | None:
    """The values (by id) of `name` that may be bound where `load` reads it; `start`: what it
    holds on entry (parameter defaults). None when the load is not in `body`'s own code."""
    ancestors = set()
    node: ast.AST | None = load
    while node is not None:
        if isinstance(node, _NESTED):
            return None
        ancestors.add(id(node))
        node = parents.get(id(node))
    if not any(id(statement) in ancestors for statement in body):
        return None
    walk = _Walk(name, ancestors)
    try:
        walk.block(body, start)
    except _UnmodelledError:
        return None
    return walk.found


class _Walk:
    def __init__(self, name: str, ancestors: set[int]) -> None:
        self.name = name
        self.ancestors = ancestors
        self.found: State | None = None

    def block(self, statements: Iterable[ast.stmt], state: State) -> State:
        for statement in statements:
            if id(statement) in self.ancestors:
                self._into(statement, state)
                return state
            state = self.after(statement, state)
        return state

    def _into(self, node: ast.stmt, state: State) -> None:
        """The load is inside `node`: find the state where it is."""
        for body, entry in self._parts(node, state):
            if any(id(statement) in self.ancestors for statement in body):
                self.block(body, entry)
                return
        self.found = state  # in the statement's own expressions, read before it binds

    def _parts(self, node: ast.stmt, state: State) -> list[tuple[Sequence[ast.stmt], State]]:
        """The statement's blocks, each with the state it may start in."""
        if isinstance(node, ast.If):
            return [(node.body, state), (node.orelse, state)]
        if isinstance(node, ast.Match):
            return [(case.body, state) for case in node.cases]
        if isinstance(node, ast.For | ast.AsyncFor | ast.While):
            looping = state | self._loop_end(node, state)
            if not isinstance(node, ast.While) and self._binds(node.target):
                looping = frozenset()
            return [(node.body, looping), (node.orelse, looping)]
        if isinstance(node, ast.With | ast.AsyncWith):
            bound = any(
                item.optional_vars is not None and self._binds(item.optional_vars) for item in node.items
            )
            return [(node.body, frozenset() if bound else state)]
        if isinstance(node, ast.Try) or type(node).__name__ == "TryStar":
            return self._try_parts(node, state)
        return []

    def _try_parts(self, node: ast.stmt, state: State) -> list[tuple[Sequence[ast.stmt], State]]:
        body: Sequence[ast.stmt] = node.body  # type: ignore[attr-defined]
        handlers: Sequence[ast.ExceptHandler] = node.handlers  # type: ignore[attr-defined]
        anywhere = state | self._every(body, state)
        parts: list[tuple[Sequence[ast.stmt], State]] = [(body, state)]
        for handler in handlers:
            bound = handler.name == self.name
            parts.append((handler.body, frozenset() if bound else anywhere))
        after_body = self.block(body, state)
        parts.append((node.orelse, after_body))  # type: ignore[attr-defined]
        ends = anywhere | self._every([s for h in handlers for s in h.body], anywhere)
        ends |= self._every(node.orelse, after_body)  # type: ignore[attr-defined]
        parts.append((node.finalbody, ends))  # type: ignore[attr-defined]
        return parts

    def after(self, node: ast.stmt, state: State) -> State:
        """The state after a statement that does not hold the load."""
        bound = self._binding(node)
        if bound is not None:
            return bound if bound != _KEEPS else state
        if isinstance(node, ast.Global | ast.Nonlocal) and self.name in node.names:
            raise _UnmodelledError
        if any(isinstance(n, ast.NamedExpr) and n.target.id == self.name for n in _own(node)):
            raise _UnmodelledError
        parts = self._parts(node, state)
        if not parts:
            return state
        if isinstance(node, ast.For | ast.AsyncFor | ast.While):
            return state | self._every(node.body, parts[0][1]) | self._every(node.orelse, parts[0][1])
        if isinstance(node, ast.Try) or type(node).__name__ == "TryStar":
            finalbody: Sequence[ast.stmt] = node.finalbody  # type: ignore[attr-defined]
            return self._every(finalbody, parts[-1][1]) if finalbody else parts[-1][1]
        ends = [self.block(body, entry) for body, entry in parts]
        if isinstance(node, ast.Match) and not _exhaustive(node):
            ends.append(state)  # no case matched
        return frozenset().union(*ends)

    def _binding(self, node: ast.stmt) -> State | None:
        """What a simple statement binds the name to (`_KEEPS`: it does not bind it); None
        for a statement with blocks."""
        name = self.name
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if node.value is not None and any(isinstance(t, ast.Name) and t.id == name for t in targets):
                return frozenset((id(node.value),))
            return _UNKNOWN if any(self._binds(t) for t in targets) else _KEEPS
        if isinstance(node, ast.AugAssign | ast.Delete):
            targets = [node.target] if isinstance(node, ast.AugAssign) else node.targets
            return _UNKNOWN if any(self._binds(t) for t in targets) else _KEEPS
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = {(a.asname or a.name).partition(".")[0] for a in node.names}
            return _UNKNOWN if name in names else _KEEPS
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            return _UNKNOWN if node.name == name else _KEEPS
        return None

    def _every(self, body: Sequence[ast.stmt], state: State) -> State:
        """What the name may hold at the end of `body` or at any point in it."""
        found = state
        for statement in body:
            state = self.after(statement, state)
            found |= state
        return found

    def _loop_end(self, node: ast.For | ast.AsyncFor | ast.While, state: State) -> State:
        return self._every(node.body, state)

    def _binds(self, target: ast.expr) -> bool:
        return any(isinstance(n, ast.Name) and n.id == self.name for n in ast.walk(target))


def _own(node: ast.AST) -> Iterable[ast.AST]:
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(c for c in ast.iter_child_nodes(current) if not isinstance(c, _NESTED))


def _exhaustive(node: ast.Match) -> bool:
    last = node.cases[-1].pattern if node.cases else None
    return isinstance(last, ast.MatchAs) and last.pattern is None and node.cases[-1].guard is None
