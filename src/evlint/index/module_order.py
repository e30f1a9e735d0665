"""The project index's order facts: what a package's `__init__` does at import, in order,
before it imports anything of the project.

Python runs a package's `__init__` before any of its submodules, so a statement of
`neutron/__init__.py` that runs before `neutron/__init__.py` imports any project module has
run before every line of `neutron/cmd/server/__init__.py`. That order is exact across
modules, where the order of functions is the program's: it is what lets
`after-call`/`after-import` selectors (EVB107: `init_backend()` called twice or late) look
at the packages above the checked module.

Only the statements of the rules' interest are kept: module-level calls of, and imports of,
the names their `after-call`/`after-import` selectors give (`ProjectIndex.order`). The
statements counted are the package's top-level ones and those in the bodies of top-level
`try` blocks (a `try` body runs up to the statement that raises); not `if` branches, which
may not run. The walk stops at the first import of a project module (absolute within the
project's top-level packages, or relative): that module may import the checked one.

The facts come from the text of the packages' `__init__` files that name one of the rules'
top-level packages: a handful of small files per project, parsed here once per run.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from evlint.model import Rule
from evlint.module_level import import_bindings

CALL, IMPORT = "call", "import"


@dataclass(frozen=True)
class OrderStep:
    """A module-level call of `name` (`kind` CALL) or import of module `name` (IMPORT) at
    `path`:`line` of a package's `__init__`."""

    path: str
    line: int
    kind: str
    name: str


@runtime_checkable
class ProjectOrder(Protocol):
    """The index's order facts (`ProjectIndex`, or a `RecordingProject`, which notes the question)."""

    def steps_before(self, module: str) -> tuple[OrderStep, ...]:
        """The steps the packages above `module` take before it runs, outermost first."""


def order_names(rules: Iterable[Rule]) -> frozenset[str]:
    """The names the rules' `after-call` and `after-import` selectors give."""
    return frozenset(
        name
        for rule in rules
        for selector in rule.selectors.call_with
        for name in (*selector.after_call, *selector.after_import)
    )


def ancestors(module: str) -> list[str]:
    """`a.b.c` -> ['a', 'a.b'] (for the package `a.b.c` the same: its `__init__` is itself)."""
    parts = module.split(".")
    return [".".join(parts[:end]) for end in range(1, len(parts))] if parts[0] else []


def steps_before(order: Mapping[str, tuple[OrderStep, ...]], module: str) -> tuple[OrderStep, ...]:
    return tuple(step for parent in ancestors(module) for step in order.get(parent, ()))


def package_order(
    packages: Sequence[tuple[str, str, bytes]], names: frozenset[str], tops: frozenset[str]
) -> dict[str, tuple[OrderStep, ...]]:
    """Each package's steps: `packages` are (module name, shown path, source) of `__init__`s."""
    if not names:
        return {}
    tokens = {name.partition(".")[0].encode() for name in names}
    found: dict[str, tuple[OrderStep, ...]] = {}
    for module, shown, source in packages:
        if not any(token in source for token in tokens):
            continue
        try:
            tree = ast.parse(source, shown)
        except (SyntaxError, ValueError):
            continue  # the file's own check reports it
        steps = tuple(_steps(tree, shown, names, tops))
        if steps:
            found[module] = steps
    return found


def _steps(tree: ast.Module, shown: str, names: frozenset[str], tops: frozenset[str]) -> Iterator[OrderStep]:
    aliases: dict[str, str] = {}
    for statement, counted in _runs_first(tree.body):
        if not counted:
            if _imports_project(statement, tops):  # (in a branch that may run: the order ends)
                return
            continue
        if isinstance(statement, (ast.Import, ast.ImportFrom)):
            imported = _bind(statement, aliases)
            if any(_is_project(module, tops) for module in imported):
                return
            for module in imported:
                if _named(module, names):
                    yield OrderStep(shown, statement.lineno, IMPORT, module)
            continue
        for node in ast.walk(statement):
            if isinstance(node, ast.Call):
                qname = _qualified(node.func, aliases)
                if qname is not None and qname in names:
                    yield OrderStep(shown, node.lineno, CALL, qname)


def _runs_first(statements: Sequence[ast.stmt]) -> Iterator[tuple[ast.stmt, bool]]:
    """Top-level statements in order, into `try` bodies, each with whether it counts: a
    statement in an `if`, a loop, a `with`, a class body or an `except` may or may not run,
    or is left out for simplicity; it only ends the order if it imports the project. A
    definition runs nothing (its decorators aside, rare enough here to leave out)."""
    for statement in statements:
        if isinstance(statement, (ast.Try, ast.TryStar)):
            yield from _runs_first(statement.body)
            for rest in (*statement.handlers, *statement.orelse, *statement.finalbody):
                yield from ((inner, False) for inner in ast.walk(rest) if isinstance(inner, ast.stmt))
        elif not isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            simple = not isinstance(statement, (ast.If, ast.With, ast.For, ast.While, ast.ClassDef))
            yield statement, simple


def _imports_project(statement: ast.stmt, tops: frozenset[str]) -> bool:
    for node in ast.walk(statement):
        if isinstance(node, ast.Import) and any(_is_project(a.name, tops) for a in node.names):
            return True
        if isinstance(node, ast.ImportFrom) and (node.level or _is_project(node.module or ".", tops)):
            return True
    return False


def _bind(statement: ast.Import | ast.ImportFrom, aliases: dict[str, str]) -> list[str]:
    """The modules (or `module.name`s) the statement imports; its bindings go into `aliases`."""
    if isinstance(statement, ast.Import):
        aliases.update(import_bindings(statement))
        return [alias.name for alias in statement.names]
    if statement.level or not statement.module:
        return ["."]  # relative: the project's own
    for alias in statement.names:
        aliases[alias.asname or alias.name] = f"{statement.module}.{alias.name}"
    return [statement.module, *(f"{statement.module}.{alias.name}" for alias in statement.names)]


def _is_project(module: str, tops: frozenset[str]) -> bool:
    return module == "." or module.partition(".")[0] in tops


def _named(module: str, names: frozenset[str]) -> bool:
    return any(module == name or module.startswith(name + ".") for name in names)


def _qualified(node: ast.expr, aliases: Mapping[str, str]) -> str | None:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name) or node.id not in aliases:
        return None
    return ".".join((aliases[node.id], *reversed(parts)))
