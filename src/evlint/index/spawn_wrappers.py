"""The project index's spawn-wrapper facts: module-level functions that hand one of their
parameters to a green spawn (`nova.utils.spawn`, `masakari.utils.spawn`), directly or
through another such wrapper, with that parameter's position. The engine's green code
(`evlint.engine.green`) takes a function passed there, in any module of the project, for a
function run by a green thread.

A function is a wrapper when its body
- passes the parameter to a spawner (`eventlet.spawn(func)`; in a module that imports
  eventlet, a pool's `spawn`/`spawn_n`/`spawn_after` or a thread group's `add_thread`; or
  a wrapper found before),
- spawns a nested function that calls the parameter (masakari's
  `eventlet.spawn(context_wrapper)`), or
- passes the parameter to a call together with a spawner (`pass_context(pool.spawn, func)`,
  nova's).

The facts are read from the text of the few files that can hold one: first those that
import eventlet or greenlet and name a spawn in a module-level function; then, until no
wrapper is added, those that call a wrapper found by the round before by name in one
(`index.function_text`: a file's text is searched once for each name). Each is parsed
here once per run (names are resolved through the module's own imports, which is all a
module-level function's spawn needs) and only when a selected rule asks for green code.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from evlint.context_text import may_hold_contexts
from evlint.gcpause import no_cyclic_gc
from evlint.import_lines import imports_module
from evlint.index.function_text import Needles, in_module_function
from evlint.model import Rule
from evlint.module_level import dotted_chain, import_bindings, module_statements
from evlint.names import ModuleContext
from evlint.prefilter import Prefilter

# The strings below name eventlet's API as data, not as patch targets:
# evlint: noqa: EVL601
# Calls that run their first argument (spawn_after: their second) in a new green thread.
SPAWNERS = {
    "eventlet.spawn": 0,
    "eventlet.spawn_n": 0,
    "eventlet.greenthread.spawn": 0,
    "eventlet.greenthread.spawn_n": 0,
    "eventlet.spawn_after": 1,
    "eventlet.spawn_after_local": 1,
    "eventlet.greenthread.spawn_after": 1,
    "eventlet.greenthread.spawn_after_local": 1,
}
# Methods that do the same on a pool or thread group (GreenPool.spawn, GreenPile.spawn,
# ThreadGroup.add_thread): counted as green only in a module that imports eventlet.
SPAWN_METHODS = {"spawn": 0, "spawn_n": 0, "add_thread": 0, "spawn_after": 1}
GREEN_CODE = "green-code"  # (the context name, as `evlint.contextual` spells it)
_SPAWN_TOKENS = (b"spawn", b"add_thread")
_MAX_ROUNDS = 10  # wrappers of wrappers of wrappers...: never that deep in practice

_Function = ast.FunctionDef | ast.AsyncFunctionDef
# The position of the argument a call runs in a green thread, given the call's callee.
SpawnPosition = Callable[[ast.expr], "int | None"]


@runtime_checkable
class ProjectWrappers(Protocol):
    """The index's spawn wrappers (`ProjectIndex`, or a `RecordingProject` noting the question)."""

    @property
    def wrapper_names(self) -> frozenset[str]:
        """The wrappers' own names (`spawn` of `nova.utils.spawn`): a quick test before resolving."""

    def spawn_wrapper(self, qname: str) -> int | None:
        """The position of the parameter `qname` spawns, if it is a wrapper."""


@dataclass(frozen=True)
class WrapperSearch:
    """What the index looks for when a rule asks for green code: functions handing a
    parameter to a spawn of `roots` (eventlet, greenlet), and the modules that may call them,
    of which only those whose text `may_matter` (it names what a green-code selector calls,
    as the pre-filter reads names) are linted: in any other, green code changes no finding."""

    roots: frozenset[str]
    may_matter: Callable[[bytes], bool]


def wants_wrappers(rules: Sequence[Rule]) -> WrapperSearch | None:
    """The search if a rule asks for green code; else None, and the index looks for no wrappers.

    A text may matter if it names what a green-code selector calls and may hold that
    selector's other contexts (EVH202's `time.sleep` also needs a `while True:`)."""
    names: dict[tuple[str, ...], list[str]] = {}
    for rule in rules:
        for selector in rule.selectors.call_with:
            if GREEN_CODE in selector.inside:
                names.setdefault(tuple(sorted(set(selector.inside))), []).append(selector.name)
    if not names:
        return None
    tests = [(Prefilter.for_names(calls).may_match, may_hold_contexts(at)) for at, calls in names.items()]
    return WrapperSearch(
        frozenset({"eventlet", "greenlet"}),
        lambda source: any(names_it(source) and in_context(source) for names_it, in_context in tests),
    )


def wrapped_parameter(node: _Function, position_of: SpawnPosition) -> int | None:
    """The position of the parameter the function spawns (see the module doc), or None."""
    return SpawnShape.of(node).wrapped_parameter(position_of)


@dataclass(frozen=True)
class SpawnShape:
    """What of a function decides whether it is a wrapper, read from its body once: its
    parameters, its calls (in `ast.walk`'s order) and the functions defined in it by name."""

    parameters: tuple[str, ...]
    calls: tuple[ast.Call, ...]
    nested: Mapping[str, _Function]

    @classmethod
    def of(cls, node: _Function) -> SpawnShape:
        parameters = tuple(a.arg for a in (*node.args.posonlyargs, *node.args.args))
        if not parameters:
            return cls((), (), {})
        calls: list[ast.Call] = []
        nested: dict[str, _Function] = {}
        for inner in ast.walk(node):
            if isinstance(inner, ast.Call):
                calls.append(inner)
            elif isinstance(inner, _Function) and inner is not node:
                nested[inner.name] = inner
        return cls(parameters, tuple(calls), nested)

    def wrapped_parameter(self, position_of: SpawnPosition) -> int | None:
        parameters = self.parameters
        for call in self.calls:
            position = position_of(call.func)
            if position is not None and len(call.args) > position:
                target = call.args[position]
                if isinstance(target, ast.Name) and target.id in parameters:
                    return parameters.index(target.id)  # eventlet.spawn(func)
                if isinstance(target, ast.Name) and target.id in self.nested:
                    called = called_names(self.nested[target.id]) & set(parameters)
                    if called:  # eventlet.spawn(context_wrapper), which calls func
                        return min(parameters.index(name) for name in called)
            passed = [a.id for a in call.args if isinstance(a, ast.Name) and a.id in parameters]
            if passed and any(position_of(a) is not None for a in call.args):
                return parameters.index(passed[0])  # pass_context(pool.spawn, func)
        return None


def callers(
    files: Sequence[tuple[ModuleContext, bytes]],
    wrappers: Mapping[str, int],
    may_matter: Callable[[bytes], bool],
) -> list[str]:
    """The modules whose text may call a wrapper: `spawn(` and the wrapper's module's last
    name (`utils`), or its own module, and `may_matter`. The runner lints them though the
    pre-filter (which asks for an eventlet import in green code) passed over them."""
    return _callers([_Text(context.name, source) for context, source in files], wrappers, may_matter)


def wrappers_and_callers(
    files: Sequence[tuple[ModuleContext, bytes]], search: WrapperSearch
) -> tuple[dict[str, int], list[str]]:
    """`project_wrappers`, then `callers` if there are any: the second does not search a
    text again for what the first found it does not hold (`spawn` is in few files)."""
    texts = [_Text(context.name, source) for context, source in files]
    wrappers = _wrappers(files, search.roots, texts)
    return wrappers, _callers(texts, wrappers, search.may_matter) if wrappers else []


def _callers(
    texts: Sequence[_Text], wrappers: Mapping[str, int], may_matter: Callable[[bytes], bool]
) -> list[str]:
    modules_by_call: dict[bytes, set[bytes]] = {}
    for qname in wrappers:
        module, _, name = qname.rpartition(".")
        modules_by_call.setdefault(name.encode() + b"(", set()).add(module.rpartition(".")[2].encode())
    calls = Needles.of(modules_by_call)
    return [
        text.name
        for text in texts
        if any(
            module in text.source
            for call in calls.held_by(text.source, text.absent)
            for module in modules_by_call[call]
        )
        and may_matter(text.source)
    ]


def called_names(node: _Function) -> set[str]:
    return {n.func.id for n in ast.walk(node) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}


@dataclass
class _Module:
    name: str
    tree: ast.Module
    green: bool  # imports eventlet or greenlet
    aliases: dict[str, str] = field(default_factory=dict)  # a module-level name -> qualified name
    functions: dict[str, _Function] = field(default_factory=dict)
    shapes: dict[str, SpawnShape] = field(default_factory=dict)  # (read once, asked every round)
    qualified: dict[int, str | None] = field(default_factory=dict)  # an expression's id -> its name


def project_wrappers(files: Sequence[tuple[ModuleContext, bytes]], roots: frozenset[str]) -> dict[str, int]:
    """The project's spawn wrappers: qualified name -> the position of the spawned parameter.
    `files`: each module's context and text; `roots`: the packages whose spawns count."""
    return _wrappers(files, roots, [_Text(context.name, source) for context, source in files])


def _wrappers(
    files: Sequence[tuple[ModuleContext, bytes]], roots: frozenset[str], texts: Sequence[_Text]
) -> dict[str, int]:
    if not roots:
        return {}
    tokens = tuple(sorted(root.encode() for root in roots))
    spawning = Needles.of(_SPAWN_TOKENS)
    batch = [
        (index, True)
        for index, text in enumerate(texts)
        if (held := spawning.held_by(text.source, text.absent))
        and imports_module(text.source, tokens)
        and text.in_function(held)
    ]
    read: dict[str, _Module] = {}
    tried: set[int] = set()  # files parsed: a file that does not parse is not parsed again
    searched: set[bytes] = set()  # every file not parsed holds none of these in a function
    found: dict[str, int] = {}
    with no_cyclic_gc():
        for _ in range(_MAX_ROUNDS):
            for index, green in batch:
                tried.add(index)
                module = _parse(*files[index], green)
                if module is not None:
                    read[module.name] = module
            found = _fixpoint(read, found)
            names = {qname.rpartition(".")[2].encode() + b"(" for qname in found} - searched
            searched |= names
            calls = Needles.of(names)
            batch = [
                (index, imports_module(text.source, tokens))
                for index, text in enumerate(texts)
                if index not in tried
                and text.name not in read
                and (held := calls.held_by(text.source, text.absent))
                and text.in_function(held)
            ]
            if not batch:
                break
    return found


@dataclass
class _Text:
    """A module's text, with the needles known not to be in it, or in no module-level function."""

    name: str
    source: bytes
    absent: set[bytes] = field(default_factory=set)
    outside: set[bytes] = field(default_factory=set)

    def in_function(self, needles: Sequence[bytes]) -> bool:
        """Whether one of `needles` lies in a module-level function: not one that holds a
        needle found before to lie in none."""
        left = [needle for needle in needles if not any(word in needle for word in self.outside)]
        if left and in_module_function(self.source, left):
            return True
        self.outside.update(left)
        return False


def _fixpoint(read: Mapping[str, _Module], found: dict[str, int]) -> dict[str, int]:
    while True:
        more = dict(found)
        for module in read.values():
            position_of = _positions(module, more)
            for name, node in module.functions.items():
                shape = module.shapes.get(name)
                if shape is None:
                    shape = module.shapes[name] = SpawnShape.of(node)
                position = shape.wrapped_parameter(position_of)
                if position is not None:
                    more.setdefault(f"{module.name}.{name}", position)
        if more == found:
            return found
        found = more


def _positions(module: _Module, wrappers: Mapping[str, int]) -> SpawnPosition:
    return lambda func: _position(func, module, wrappers)


def _position(func: ast.expr, module: _Module, wrappers: Mapping[str, int]) -> int | None:
    qname = _qualified(func, module)
    if qname is not None:
        if qname in SPAWNERS:
            return SPAWNERS[qname]
        if qname in wrappers:
            return wrappers[qname]
    if module.green and isinstance(func, ast.Attribute) and func.attr in SPAWN_METHODS:
        return SPAWN_METHODS[func.attr]  # pool.spawn, _get_default_green_pool().spawn
    return None


def _qualified(node: ast.expr, module: _Module) -> str | None:
    key = id(node)
    if key in module.qualified:
        return module.qualified[key]
    chain = dotted_chain(node)
    base = None if chain is None else module.aliases.get(chain[0])
    qname = module.qualified[key] = None if base is None or chain is None else ".".join((base, *chain[1:]))
    return qname


def _parse(context: ModuleContext, source: bytes, green: bool) -> _Module | None:
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return None  # the file's own check reports it
    module = _Module(context.name, tree, green)
    for statement in module_statements(tree.body):
        if isinstance(statement, ast.Import):
            module.aliases.update(import_bindings(statement))
        elif isinstance(statement, ast.ImportFrom):
            level, name_ = statement.level, statement.module
            base = context.absolute(level, name_) if level else name_
            for alias in statement.names:
                if base and alias.name != "*":
                    module.aliases[alias.asname or alias.name] = f"{base}.{alias.name}"
        elif isinstance(statement, _Function):
            module.functions[statement.name] = statement
            module.aliases[statement.name] = f"{context.name}.{statement.name}"
    return module
