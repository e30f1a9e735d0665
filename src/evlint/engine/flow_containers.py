"""Objects kept in lists and sets: `threads.append(gt)` then `for t in threads: t.wait()`;
and in dicts: `pools[key] = GreenPool()` then `pools[key].spawn(f)` or `pools.get(key)`.

A container is a local name or an attribute of `self`; its elements are what `append`,
`add`, `appendleft` and `insert` put in it anywhere in the file's walked code, and a `for`
loop or a comprehension over it (or over a copy: `threads[:]`, `list(threads)`) gives
them. Elements put in any other way (a literal, `extend`, `+=`) are not seen. A dict's
entries are what `d[key] = value` stores; `d[key]`, `d.get(key)` and `d.pop(key)` give
what may be one of them (a key may be missing, a literal or `update` may add others),
and only when every entry stored is an eventlet object.
"""

from __future__ import annotations

import ast

from evlint.engine.flow_facts import Facts, ItemsKey
from evlint.engine.flow_values import OTHER, UNKNOWN_VALUE, Frame, Made, SelfOf, Values, followed

_PUTS = {"append": 0, "add": 0, "appendleft": 0, "insert": 1}  # method -> the element's argument
_COPIES = frozenset({"list", "tuple", "set", "sorted", "reversed", "iter", "frozenset"})
_LOOKUPS = frozenset({"get", "pop"})  # dict methods that give the entry of their one argument
ITEMS, ENTRIES = "items", "entries"


class Containers:
    """The container part of `FlowWalk` (engine/flow)."""

    facts: Facts
    _hot: set[str]

    def _expr(self, node: ast.expr, frame: Frame) -> Values:
        raise NotImplementedError

    def _put(self, call: ast.Call, passed: list[Values], frame: Frame) -> None:
        """`container.append(value)`: the value is one of the container's elements."""
        func = call.func
        if not isinstance(func, ast.Attribute) or func.attr not in _PUTS:
            return
        index = _PUTS[func.attr]
        if index >= len(passed) or isinstance(call.args[index], ast.Starred):
            return
        key = self._container(func.value, frame)
        if key is not None:
            self.facts.items.setdefault(key, set()).update(passed[index])
            if followed(passed[index]):
                self._hot.add(key[2])

    def _elements(self, iterated: ast.expr, frame: Frame) -> Values:
        """What a loop over `iterated` binds its target to."""
        node = iterated
        if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Slice):
            node = node.value
        elif _is_copy(node):
            assert isinstance(node, ast.Call)
            node = node.args[0]
        key = self._container(node, frame)
        if key is None:
            return UNKNOWN_VALUE
        return frozenset(self.facts.read(key)) or UNKNOWN_VALUE

    def _store(self, target: ast.Subscript, values: Values, frame: Frame) -> None:
        """`pools[key] = value`: the value is one of the dict's entries."""
        self._expr(target.value, frame)
        self._expr(target.slice, frame)
        key = self._container(target.value, frame, ENTRIES)
        if key is not None and not isinstance(target.slice, ast.Slice):
            self.facts.items.setdefault(key, set()).update(values)
            if followed(values):
                self._hot.add(key[2])

    def _subscript(self, node: ast.Subscript, frame: Frame) -> Values:
        self._expr(node.value, frame)
        self._expr(node.slice, frame)
        if isinstance(node.slice, ast.Slice):
            return UNKNOWN_VALUE
        return self._entry(node.value, frame) or UNKNOWN_VALUE

    def _lookup(self, call: ast.Call, frame: Frame) -> Values | None:
        """`pools.get(key)`, `pools.pop(key)` on a dict of eventlet objects: an entry."""
        func = call.func
        if not isinstance(func, ast.Attribute) or func.attr not in _LOOKUPS:
            return None
        return self._entry(func.value, frame) if len(call.args) == 1 and not call.keywords else None

    def _entry(self, node: ast.expr, frame: Frame) -> Values | None:
        """What may be an entry of the dict `node`, if every entry stored is an eventlet object."""
        key = self._container(node, frame, ENTRIES)
        entries = self.facts.read(key) if key is not None else set()
        if not entries or not all(isinstance(value, Made) for value in entries):
            return None
        return frozenset((*entries, OTHER))

    def _container(self, node: ast.expr, frame: Frame, kind: str = ITEMS) -> ItemsKey | None:
        if isinstance(node, ast.Name):
            return (kind, _owner(frame, node.id), node.id)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            for owner in frame.get(node.value.id) or ():
                if isinstance(owner, SelfOf):
                    return (kind, owner.class_key, node.attr)
        return None


def _is_copy(node: ast.expr) -> bool:
    """`list(x)`, `sorted(x)`, ...: the same elements."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
        return False
    return node.func.id in _COPIES and len(node.args) == 1 and not node.keywords


def _owner(frame: Frame, name: str) -> int | None:
    """The function whose frame holds `name` (None: the module)."""
    walk: Frame | None = frame
    while walk is not None:
        if walk.class_key is None and (name in walk.current or name in walk.ever):
            return walk.function_key
        walk = walk.parent
    return frame.function_key
