"""Objects kept in lists and sets: `threads.append(gt)` then `for t in threads: t.wait()`.

A container is a local name or an attribute of `self`; its elements are what `append`,
`add`, `appendleft` and `insert` put in it anywhere in the file's walked code, and a `for`
loop or a comprehension over it (or over a copy: `threads[:]`, `list(threads)`) gives
them. Elements put in any other way (a literal, `extend`, `+=`) are not seen.
"""

from __future__ import annotations

import ast

from evlint.engine.flow_facts import Facts, ItemsKey
from evlint.engine.flow_values import UNKNOWN_VALUE, Frame, SelfOf, Values, followed

_PUTS = {"append": 0, "add": 0, "appendleft": 0, "insert": 1}  # method -> the element's argument
_COPIES = frozenset({"list", "tuple", "set", "sorted", "reversed", "iter", "frozenset"})


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

    def _container(self, node: ast.expr, frame: Frame) -> ItemsKey | None:
        if isinstance(node, ast.Name):
            return ("items", _owner(frame, node.id), node.id)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            for owner in frame.get(node.value.id) or ():
                if isinstance(owner, SelfOf):
                    return ("items", owner.class_key, node.attr)
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
