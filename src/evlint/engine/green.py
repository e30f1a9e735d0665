"""Green code: the functions a module hands to a green spawn, and what they call.

A function is green when the module passes it (by name, `self.method`, or as a lambda) to

- eventlet's spawners (`eventlet.spawn(f)`, `greenthread.spawn_n(f)`, `spawn_after(t, f)`),
  or, in a module that imports eventlet, a pool's or thread group's `spawn`, `spawn_n`,
  `spawn_after`, `add_thread`;
- a spawn wrapper of the same module: a module-level function that hands its parameter to
  a spawner (`eventlet.spawn(func)`), spawns a nested function that calls it (masakari's
  `utils.spawn`), or passes it along with a spawner (`pass_context(pool.spawn, func)`,
  nova's `utils.spawn`);
- a spawn wrapper of another module of the project, in any module (`utils.spawn(f)`,
  `spawn(f)` after `from nova.utils import spawn`): the project index reads the wrappers'
  bodies (`evlint.index.spawn_wrappers`) and has the runner lint the modules that may call
  them, eventlet import or not. Without an index (`project-index = false`), a project
  function named as eventlet's spawners are (`spawn`, `spawn_n`: the function first;
  `spawn_after`: second) is taken for one, in a module that imports eventlet;

and a function such a function calls in the same module (`helper()` for a module-level
`def helper`, `self.helper()` for a method of the same class) is green too, up to
`MAX_DEPTH` calls away from the spawn.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from evlint.engine.sites import UsesByNode, _Use
from evlint.index.spawn_wrappers import SPAWN_METHODS, SPAWNERS, ProjectWrappers, wrapped_parameter
from evlint.names import Resolver

# A project's own function of one of these names is taken for a wrapper of eventlet's.
PROJECT_WRAPPERS = {"spawn": 0, "spawn_n": 0, "spawn_after": 1}
_SPAWN_NAMES = frozenset(SPAWN_METHODS) | {name.rpartition(".")[2] for name in SPAWNERS}
MAX_DEPTH = 3  # calls followed from a spawned function: f -> g -> h -> k

_Function = ast.FunctionDef | ast.AsyncFunctionDef


@dataclass(frozen=True)
class _Definition:
    node: _Function
    owner: ast.ClassDef | None  # the class whose body defines it; None for a function


class GreenCode:
    """Which functions and lambdas of one module run in green threads."""

    def __init__(
        self,
        tree: ast.Module,
        uses: list[_Use],
        resolver: Resolver,
        eventlet_module: bool,
        package: str | None,
        by_node: UsesByNode | None = None,
    ) -> None:
        self._resolver = resolver
        project = resolver.project
        # The project's top-level packages: the index's, or at least the checked module's own.
        self._tops = (project.tops if project is not None else frozenset()) | {package or ""} - {""}
        # The index's wrappers of any module (`index.spawn_wrappers`); without an index, the
        # project's functions named as eventlet's spawners, in an eventlet module.
        self._project = project if isinstance(project, ProjectWrappers) else None
        self._project_names: frozenset[str] = (
            self._project.wrapper_names if self._project is not None else frozenset()
        )
        self._eventlet_module = eventlet_module
        self._by_node = by_node or UsesByNode(uses)  # (made when a module-level def is asked about)
        definitions = list(_definitions(tree.body, None, top=True))
        self._functions = {d.node.name: d for d, top in definitions if top and d.owner is None}
        self._methods = {(id(d.owner), d.node.name): d for d, _ in definitions if d.owner is not None}
        self._wrappers = self._module_wrappers()
        names, self.lambdas = self._spawned(uses)
        seeds = [d for d, _ in definitions if d.node.name in names]
        # (Most modules spawn no lambda: then the walk over every node is skipped.)
        lambda_bodies = [node for node in ast.walk(tree) if id(node) in self.lambdas] if self.lambdas else []
        self.functions = self._reached(seeds, lambda_bodies)

    def is_green(self, node: _Function | ast.Lambda) -> bool:
        return id(node) in self.lambdas or id(node) in self.functions

    # -- what is spawned ---------------------------------------------------------------

    def _spawned(self, uses: Iterable[_Use]) -> tuple[frozenset[str], frozenset[int]]:
        """Names of the functions (and the lambdas) the module passes to a spawn."""
        names: set[str] = set()
        lambdas: set[int] = set()
        # (the last names `_spawn_position` may answer for: any other use is dismissed here)
        spawning = _SPAWN_NAMES | self._project_names | self._wrappers.keys()
        for use in uses:
            call = use.call
            if call is None or not use.is_callee or use.chain[-1] not in spawning:
                continue
            position = self._spawn_position(use)
            if position is None or len(call.args) <= position:
                continue
            target = call.args[position]
            if isinstance(target, ast.Name):
                names.add(target.id)
            elif isinstance(target, ast.Attribute):  # self.method, module.function
                names.add(target.attr)
            elif isinstance(target, ast.Lambda):
                lambdas.add(id(target))
        return frozenset(names), frozenset(lambdas)

    def _spawn_position(self, use: _Use, *, wrappers: bool = True) -> int | None:
        last = use.chain[-1]
        if wrappers and len(use.chain) == 1 and last in self._wrappers:
            return self._wrappers[last]
        if last not in _SPAWN_NAMES and last not in self._project_names:  # most uses: decided
            return None  # without resolving them
        qnames = self._resolver.resolve(use.scope, use.chain)
        position = self._named_position(qnames, last, wrappers=wrappers)
        if position is None and self._eventlet_module and len(use.chain) > 1 and last in SPAWN_METHODS:
            return SPAWN_METHODS[last]
        return position

    def _named_position(self, qnames: frozenset[str], last: str, *, wrappers: bool) -> int | None:
        """The position eventlet's spawner or the project's wrapper that `qnames` name spawns."""
        for qname in qnames:
            if qname in SPAWNERS:
                return SPAWNERS[qname]
        if self._project is not None:
            found = (self._project.spawn_wrapper(q) for q in qnames) if last in self._project_names else ()
            return next((position for position in found if position is not None), None)
        if wrappers and self._eventlet_module and last in PROJECT_WRAPPERS and self._is_project_name(qnames):
            return PROJECT_WRAPPERS[last]
        return None

    def _is_project_name(self, qnames: frozenset[str]) -> bool:
        return any(qname.partition(".")[0] in self._tops for qname in qnames)

    # -- the module's own spawn wrappers -----------------------------------------------

    def _module_wrappers(self) -> dict[str, int]:
        """Module-level functions that spawn one of their positional parameters: by name,
        the parameter's position."""
        wrappers = {}
        for name, definition in self._functions.items():
            position = self._wrapped_parameter(definition.node)
            if position is not None:
                wrappers[name] = position
        return wrappers

    def _wrapped_parameter(self, node: _Function) -> int | None:
        return wrapped_parameter(node, self._spawner_position)

    def _spawner_position(self, node: ast.expr) -> int | None:
        use = self._by_node.map().get(id(node))
        return self._spawn_position(use, wrappers=False) if use is not None else None

    # -- what spawned functions call ---------------------------------------------------

    def _reached(self, seeds: list[_Definition], lambdas: list[ast.AST]) -> frozenset[int]:
        green = {id(d.node) for d in seeds}
        frontier: list[tuple[_Definition | None, ast.AST]] = [(d, d.node) for d in seeds]
        frontier.extend((None, node) for node in lambdas)
        for _ in range(MAX_DEPTH):
            following: list[tuple[_Definition | None, ast.AST]] = []
            for definition, body in frontier:
                for callee in self._callees(definition, body):
                    if id(callee.node) not in green:
                        green.add(id(callee.node))
                        following.append((callee, callee.node))
            frontier = following
        return frozenset(green)

    def _callees(self, definition: _Definition | None, body: ast.AST) -> Iterator[_Definition]:
        owner = definition.owner if definition is not None else None
        for node in ast.walk(body):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            if isinstance(func, ast.Name) and func.id in self._functions:
                yield self._functions[func.id]
            elif (
                owner is not None
                and isinstance(func, ast.Attribute)
                and isinstance(func.value, ast.Name)
                and func.value.id in ("self", "cls")
            ):
                method = self._methods.get((id(owner), func.attr))
                if method is not None:
                    yield method


def _definitions(
    statements: Iterable[ast.stmt], owner: ast.ClassDef | None, *, top: bool
) -> list[tuple[_Definition, bool]]:
    """Every def of the module, with its class and whether it is a module-level function."""
    found: list[tuple[_Definition, bool]] = []
    _add_definitions(statements, owner, top, found)
    return found


def _add_definitions(
    statements: Iterable[ast.stmt],
    owner: ast.ClassDef | None,
    top: bool,
    found: list[tuple[_Definition, bool]],
) -> None:
    # (A plain recursion over a list: a generator per block cost more than the rest of green code.)
    for statement in statements:
        kind = type(statement)
        if kind is ast.FunctionDef or kind is ast.AsyncFunctionDef:
            assert isinstance(statement, _Function)  # (the exact type, tested above: quicker)
            found.append((_Definition(statement, owner), top))
            _add_definitions(statement.body, None, False, found)
        elif kind is ast.ClassDef:
            assert isinstance(statement, ast.ClassDef)
            _add_definitions(statement.body, statement, False, found)
        else:
            fields = _BLOCK_FIELDS.get(kind)
            if fields is None:
                fields = _BLOCK_FIELDS[kind] = tuple(f for f in _BLOCKS if f in kind._fields)
            for field in fields:
                inner = getattr(statement, field, None)
                if isinstance(inner, list):  # (only `handlers` holds more than statements)
                    _add_definitions(_statements(inner) if field == "handlers" else inner, owner, top, found)


_BLOCKS = ("body", "orelse", "finalbody", "handlers")
_BLOCK_FIELDS: dict[type[ast.AST], tuple[str, ...]] = {}


def _statements(nodes: list[ast.AST]) -> list[ast.stmt]:
    """Statements of a block, the bodies of `except` handlers included."""
    found: list[ast.stmt] = []
    for node in nodes:
        if isinstance(node, ast.ExceptHandler):
            found.extend(node.body)
        elif isinstance(node, ast.stmt):
            found.append(node)
    return found
