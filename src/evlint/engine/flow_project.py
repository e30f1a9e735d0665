"""The object-flow pass's view of the project index: names of other project modules that
make, return or hold eventlet objects (`index.object_facts`), as the values the walk
follows (`from cinder import ssh_utils; ssh_utils.SSHPool(...)`, `mymod.make_pool()`,
`mymod.POOL.waitall()`)."""

from __future__ import annotations

import ast
from collections.abc import Callable
from typing import Protocol, runtime_checkable

from evlint.engine.flow_values import OTHER, Made, Maker, Returned, Values
from evlint.engine.sites import _Use
from evlint.index.object_facts import CLASS, RETURNS, ObjectFact
from evlint.names import Scope
from evlint.objects import ObjectTable


@runtime_checkable
class ProjectObjects(Protocol):
    """The project index's object facts (`ProjectIndex`, or a `RecordingProject`, which notes
    the question)."""

    def object_at(self, qname: str) -> tuple[str, ObjectFact] | None:
        """The longest prefix of `qname` that is an object fact, with the fact."""


def project_objects(
    resolved: list[tuple[_Use, list[tuple[str, str | None]]]],
    project: ProjectObjects,
    table: ObjectTable,
    units: Callable[[Scope], int | None],
    in_units: set[int | None],
) -> dict[int, Values]:
    """Nodes naming an object fact of another module, with what they are; the functions
    they are in are added to `in_units`."""
    found: dict[int, Values] = {}
    answers: dict[str, tuple[str, ObjectFact] | None] = {}  # (a name is used many times)
    for use, targets in resolved:
        for qname, _ in targets:
            if qname in answers:
                answer = answers[qname]
            else:
                answer = answers[qname] = project.object_at(qname)
            if answer is None:
                continue
            prefix, fact = answer
            node = _prefix_node(use.node, qname.count(".") - prefix.count("."))
            values = _values(fact, node, table) if node is not None else frozenset()
            if node is None or not values:
                continue
            found[id(node)] = found.get(id(node), frozenset()) | values
            in_units.add(units(use.scope))
    return found


def _prefix_node(node: ast.expr, extra: int) -> ast.expr | None:
    """`utils.POOL` in `utils.POOL.waitall` (`extra` attributes below the written chain)."""
    for _ in range(extra):
        if not isinstance(node, ast.Attribute):
            return None
        node = node.value
    return node


def _values(fact: ObjectFact, node: ast.AST, table: ObjectTable) -> Values:
    origins = [origin for origin in fact.origins if origin.type in table.types]
    if not origins:
        return frozenset()
    if fact.kind == CLASS:
        return frozenset(Maker(origin.type, origin.derived) for origin in origins)
    made = frozenset(
        Made(origin.type, node, origin.line, where=origin.path, derived=origin.derived) for origin in origins
    )
    held: frozenset[Made | object] = made | {OTHER} if fact.other else made
    if fact.kind == RETURNS:
        return frozenset((Returned(held),))  # type: ignore[arg-type]
    return held  # type: ignore[return-value]
