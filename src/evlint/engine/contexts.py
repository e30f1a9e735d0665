"""Contextual call selectors matched: where a call is (inside `async def`, a loop, a
`while True:`, a function the module hands to a green spawn, a dual-mode branch), what the
module imported at its top before it, and how large a literal size it is given.

It runs only for files in which some use resolved to a name a contextual selector calls,
so a file with none pays nothing; such a file is walked once more, with a small state
(`_Where`) carried down, and only the candidate calls are looked at.
"""

from __future__ import annotations

import ast
import bisect
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace

from evlint.contextual import (
    ASYNC_DEF,
    DUAL_MODE_GUARD,
    EVENTLET_MODULE,
    GREEN_CODE,
    GREEN_ROOTS,
    LOOP,
    WHILE_TRUE,
)
from evlint.engine.arguments import argument_holds
from evlint.engine.collect import _Collector
from evlint.engine.green import GreenCode
from evlint.engine.order import caught, parent_step
from evlint.engine.sites import UsesByNode, _literal, _Use
from evlint.index.module_order import CALL, IMPORT
from evlint.model import CallSelector
from evlint.names import Resolver, ScopeKind

# The strings below name eventlet's API as data, not as patch targets:
# evlint: noqa: EVL601
# Names whose truth says whether eventlet runs the process: the branches of an `if` that asks
# are dual-mode code.
GUARDS = frozenset(
    {
        "eventlet.patcher.is_monkey_patched",
        "oslo_utils.eventletutils.is_monkey_patched",
        "oslo_utils.eventletutils.EVENTLET_AVAILABLE",
        "oslo_service.backend.get_backend_type",
        "oslo_service.backend.BackendType",
    }
)
SIZE_KEYWORDS = ("size", "max_workers", "thread_pool_size", "max_threads")


@dataclass(frozen=True)
class Candidate:
    """A resolved call a contextual selector names; `via` as in the matcher's findings."""

    use: _Use
    qname: str
    rule_index: int
    selector: CallSelector
    via: str | None


@dataclass(frozen=True)
class ContextHit:
    rule_index: int
    node: ast.expr
    matched: str
    via: str | None
    detail: str | None


@dataclass(frozen=True)
class _Where:
    """What encloses a node, as the walk carries it down."""

    async_def: bool = False
    loop: bool = False
    while_true: bool = False
    green: bool = False
    guarded: bool = False
    top: int = 0  # index of the module-level statement holding the node
    in_function: bool = False

    def names(self) -> frozenset[str]:
        flags = (
            (ASYNC_DEF, self.async_def),
            (LOOP, self.loop),
            (WHILE_TRUE, self.while_true),
            (GREEN_CODE, self.green),
            (DUAL_MODE_GUARD, self.guarded),
        )
        return frozenset(name for name, on in flags if on)


def contextual_hits(
    tree: ast.Module, collector: _Collector, resolver: Resolver, candidates: Sequence[Candidate]
) -> list[ContextHit]:
    """The candidates whose selectors' conditions hold, each with its detail for {context}."""
    calls = [c.use.call for c in candidates if c.use.call is not None]
    wants_green = any(GREEN_CODE in (*c.selector.inside, *c.selector.outside) for c in candidates)
    module = _ModuleContexts(tree, collector, resolver, calls, wants_green)
    hits = []
    for candidate in candidates:
        call = candidate.use.call
        assert call is not None  # only calls are candidates
        where = module.where.get(id(call))
        if where is None:
            continue
        detail = _satisfied(candidate, call, where, module)
        if detail is not None:
            hits.append(
                ContextHit(candidate.rule_index, candidate.use.node, candidate.qname, candidate.via, detail)
            )
    return hits


def _satisfied(candidate: Candidate, call: ast.Call, where: _Where, module: _ModuleContexts) -> str | None:
    """The detail to report ("" when there is none), or None when the selector does not hold."""
    selector = candidate.selector
    contexts = where.names() | ({EVENTLET_MODULE} if module.is_eventlet_module else frozenset())
    if not contexts.issuperset(selector.inside) or not contexts.isdisjoint(selector.outside):
        return None
    if not _literals_match(selector, call):
        return None
    details = []
    for found in _details(candidate, call, where, module):  # stops at the first that fails
        if found is None:
            return None
        if found:
            details.append(found)
    return ", ".join(details)


def _details(
    candidate: Candidate, call: ast.Call, where: _Where, module: _ModuleContexts
) -> Iterator[str | None]:
    """What each of the selector's conditions found ("" for nothing to say), None if it fails."""
    selector = candidate.selector
    if selector.argument is not None:
        yield argument_holds(selector.argument, call, candidate.use.scope)
    if selector.min_size is not None:
        size = _size(call)
        yield str(size) if size is not None and size >= selector.min_size else None
    if selector.unless_caught:
        yield None if module.caught(call, selector.unless_caught) else ""
    if selector.after_import:
        yield module.import_before(where, selector.after_import) or module.parent_step(
            IMPORT, selector.after_import
        )
    if selector.after_call:
        yield module.call_before(where, selector.after_call) or module.parent_step(CALL, selector.after_call)


def _literals_match(selector: CallSelector, call: ast.Call) -> bool:
    if len(call.args) < len(selector.args):
        return False
    if not all(_same(_literal(arg), wanted) for arg, wanted in zip(call.args, selector.args, strict=False)):
        return False
    keywords = {k.arg: k.value for k in call.keywords if k.arg is not None}
    return all(name in keywords and _same(_literal(keywords[name]), w) for name, w in selector.keywords)


def _same(found: object, wanted: object) -> bool:
    return type(found) is type(wanted) and found == wanted


def _size(call: ast.Call) -> int | None:
    values = [call.args[0]] if call.args else []
    values.extend(k.value for k in call.keywords if k.arg in SIZE_KEYWORDS)
    for value in values:
        literal = _literal(value)
        if type(literal) is int:
            return literal
    return None


class _ModuleContexts:
    """One module's contexts: where each wanted call is, what its top imports, its green code."""

    def __init__(
        self,
        tree: ast.Module,
        collector: _Collector,
        resolver: Resolver,
        calls: list[ast.Call],
        wants_green: bool,
    ) -> None:
        self.tree = tree
        self.resolver = resolver
        self.is_eventlet_module = _imports_green(collector)
        self._collector = collector
        self._uses_by_node = UsesByNode(collector.uses)  # made when first asked
        self._module_calls: list[tuple[int, int, str]] | None = None  # made when first asked
        self._green = (
            GreenCode(
                tree,
                collector.uses,
                resolver,
                self.is_eventlet_module,
                _package(collector),
                self._uses_by_node,
            )
            if wants_green
            else None
        )
        self._wanted = {id(call) for call in calls}
        # The walk goes only into nodes whose lines hold a wanted call: its ancestors' spans
        # hold its first line.
        self._lines = sorted({call.lineno for call in calls})
        self.where: dict[int, _Where] = {}
        for index, statement in enumerate(tree.body):
            self._walk(statement, _Where(top=index))

    # -- the walk --------------------------------------------------------------------

    def _holds_wanted(self, node: ast.AST) -> bool:
        first = getattr(node, "lineno", None)
        if first is None:  # arguments, comprehensions, match cases: no span of their own
            return True
        last = getattr(node, "end_lineno", None) or first
        decorators = getattr(node, "decorator_list", None)
        if decorators:  # a definition's span starts at `def`/`class`, below its decorators
            first = min(first, decorators[0].lineno)
        index = bisect.bisect_left(self._lines, first)
        return index < len(self._lines) and self._lines[index] <= last

    def _walk(self, node: ast.AST, where: _Where) -> None:
        if not self._holds_wanted(node):
            return
        if id(node) in self._wanted:
            self.where[id(node)] = where
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            self._walk_function(node, where)
        elif isinstance(node, (ast.If, ast.IfExp)) and self._is_guard(node.test):
            self._walk(node.test, where)
            self._walk_all(_branches(node), replace(where, guarded=True))
        elif isinstance(node, (ast.For, ast.AsyncFor, ast.While)):
            self._walk_loop(node, where)
        else:
            self._walk_all(ast.iter_child_nodes(node), where)

    def _walk_all(self, nodes: Iterable[ast.AST], where: _Where) -> None:
        for child in nodes:
            self._walk(child, where)

    def _walk_function(
        self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda, where: _Where
    ) -> None:
        if isinstance(node, ast.Lambda):
            body: list[ast.AST] = [node.body]
            green = where.green or self._is_green(node)
            is_async = False
        else:
            self._walk_all([*node.decorator_list, node.args], where)
            body = list(node.body)
            green = where.green or self._is_green(node)
            is_async = isinstance(node, ast.AsyncFunctionDef)
        inner = replace(
            where, async_def=is_async, loop=False, while_true=False, green=green, in_function=True
        )
        self._walk_all(body, inner)

    def _is_green(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> bool:
        return self._green is not None and self._green.is_green(node)

    def _walk_loop(self, node: ast.For | ast.AsyncFor | ast.While, where: _Where) -> None:
        if isinstance(node, ast.While):
            self._walk(node.test, where)
            forever = isinstance(node.test, ast.Constant) and bool(node.test.value) and not _leaves(node.body)
        else:
            self._walk_all([node.target, node.iter], where)
            forever = False
        self._walk_all(node.body, replace(where, loop=True, while_true=forever))
        self._walk_all(node.orelse, where)

    def _uses(self) -> dict[int, _Use]:
        return self._uses_by_node.map()

    def _is_guard(self, test: ast.expr) -> bool:
        uses = self._uses()
        for node in ast.walk(test):
            use = uses.get(id(node))
            if use is not None and not GUARDS.isdisjoint(self.resolver.resolve(use.scope, use.chain)):
                return True
        return False

    # -- imports before a call -------------------------------------------------------

    def import_before(self, where: _Where, modules: Sequence[str]) -> str | None:
        """The first module-level import of one of `modules` that runs before the call:
        those above its statement, and for a call in a function all of the module's."""
        statements = self.tree.body if where.in_function else self.tree.body[: where.top]
        for statement in _module_level(statements):
            for imported in _imported_names(statement):
                if any(imported == m or imported.startswith(m + ".") for m in modules):
                    return f"{imported} (line {statement.lineno})"
        return None

    def caught(self, call: ast.Call, exceptions: Sequence[str]) -> bool:
        """Whether a `try` around the call handles one of `exceptions` (`unless-caught`)."""
        return caught(self.tree, call, self._uses(), self.resolver, exceptions)

    def parent_step(self, kind: str, names: Sequence[str]) -> str | None:
        """What a package above the module did at import before it ran (`index.module_order`)."""
        return parent_step(self.resolver, self._collector.context, kind, names)

    def call_before(self, where: _Where, names: Sequence[str]) -> str | None:
        """The first module-level call of one of `names` that runs before `call`: in the
        statements above its own, and for a call in a function in any of the module's."""
        if self._module_calls is None:
            self._module_calls = self._calls_at_module_level()
        wanted = set(names)
        for top, line, qname in self._module_calls:
            if (where.in_function or top < where.top) and qname in wanted:
                return f"{qname.rpartition('.')[2]}() (line {line})"
        return None

    def _calls_at_module_level(self) -> list[tuple[int, int, str]]:
        """(index of the top statement, line, qualified callee) of the calls the module's own
        statements make, in order."""
        starts = [statement.lineno for statement in self.tree.body]
        found = []
        for use in self._collector.uses:
            if use.call is None or not use.is_callee or use.scope.kind is not ScopeKind.MODULE:
                continue
            top = bisect.bisect_right(starts, use.call.lineno) - 1
            for qname in sorted(self.resolver.resolve(use.scope, use.chain)):
                found.append((top, use.call.lineno, qname))
        return sorted(found)


def _leaves(body: list[ast.stmt]) -> bool:
    """Whether a loop body has a `break` or `return` of its own (a retry loop, not a forever loop)."""
    stack: list[ast.AST] = list(body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.Break, ast.Return)):
            return True
        if not isinstance(node, (ast.For, ast.AsyncFor, ast.While, *_SCOPES)):
            stack.extend(
                child
                for child in ast.iter_child_nodes(node)
                if isinstance(child, ast.stmt | ast.excepthandler)
            )
    return False


_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)


def _branches(node: ast.If | ast.IfExp) -> list[ast.AST]:
    if isinstance(node, ast.If):
        return [*node.body, *node.orelse]
    return [node.body, node.orelse]


def _module_level(statements: Iterable[ast.stmt]) -> Iterator[ast.stmt]:
    """Statements that run when the module is imported: the body, into `if` and `try` blocks."""
    for statement in statements:
        yield statement
        if isinstance(statement, ast.If):
            yield from _module_level([*statement.body, *statement.orelse])
        elif isinstance(statement, ast.Try):
            yield from _module_level([*statement.body, *statement.orelse, *statement.finalbody])


def _imported_names(statement: ast.stmt) -> list[str]:
    if isinstance(statement, ast.Import):
        return [alias.name for alias in statement.names]
    if isinstance(statement, ast.ImportFrom) and not statement.level and statement.module:
        return [statement.module, *(f"{statement.module}.{alias.name}" for alias in statement.names)]
    return []


def _package(collector: _Collector) -> str | None:
    """The top-level package of the checked module (None for a file outside any package)."""
    context = collector.context
    return context.name.partition(".")[0] if context is not None and "." in context.name else None


def _imports_green(collector: _Collector) -> bool:
    named = [qname for site in collector.imports for qname in site.qnames[:1]]
    named.extend(dynamic.module for dynamic in collector.dynamic_imports)
    return any(name.partition(".")[0] in GREEN_ROOTS for name in named)
