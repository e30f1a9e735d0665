"""What ran before a call, beyond its module's statements above it: the steps of the
packages above the module (the index's order facts, `evlint.index.module_order`), and
whether a `try` around the call handles the exception that running it late raises."""

from __future__ import annotations

import ast
from collections.abc import Mapping, Sequence

from evlint.engine.sites import _Use
from evlint.index.module_order import CALL, IMPORT, ProjectOrder
from evlint.names import ModuleContext, Resolver


def parent_step(
    resolver: Resolver, context: ModuleContext | None, kind: str, names: Sequence[str]
) -> str | None:
    """The first call (`kind` CALL) of, or import (IMPORT) of a module among, `names` that a
    package above the module makes before the module runs: "init_backend() (pkg/__init__.py:21)"."""
    project = resolver.project
    if context is None or not isinstance(project, ProjectOrder):
        return None
    for step in project.steps_before(context.name):
        if step.kind != kind:
            continue
        if kind == CALL and step.name in names:
            return f"{step.name.rpartition('.')[2]}() ({step.path}:{step.line})"
        if kind == IMPORT and any(step.name == m or step.name.startswith(m + ".") for m in names):
            return f"{step.name} ({step.path}:{step.line})"
    return None


def caught(
    tree: ast.Module,
    call: ast.Call,
    uses: Mapping[int, _Use],
    resolver: Resolver,
    exceptions: Sequence[str],
) -> bool:
    """Whether `call` is in the body of a `try` with a handler for one of `exceptions`
    (`except backend.exceptions.BackendAlreadySelected:`, also in a tuple)."""
    wanted = set(exceptions)
    for node in ast.walk(tree):
        if not isinstance(node, (ast.Try, ast.TryStar)) or not _holds(node.body, call):
            continue
        for handler in node.handlers:
            if handler.type is not None and _names_one(handler.type, uses, resolver, wanted):
                return True
    return False


def _holds(body: list[ast.stmt], call: ast.Call) -> bool:
    first, last = body[0].lineno, body[-1].end_lineno or body[-1].lineno
    return first <= call.lineno <= last


def _names_one(node: ast.expr, uses: Mapping[int, _Use], resolver: Resolver, wanted: set[str]) -> bool:
    types = node.elts if isinstance(node, ast.Tuple) else [node]
    for type_ in types:
        use = uses.get(id(type_))
        if use is not None and not wanted.isdisjoint(resolver.resolve(use.scope, use.chain)):
            return True
    return False
