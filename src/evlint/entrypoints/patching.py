"""Where a module calls for monkey patching, and what guards each call: read from its syntax tree.

Only modules whose code may decide a patch are parsed (see `graph`): those that name
`monkey_patch`, and those that import a module with a patching function. For each such
module this records the calls its code makes to eventlet's `monkey_patch` and to functions
of the project (which may be wrappers such as `nova.monkey_patch.patch`), each with the
scope it runs in and the guards around it.

A guard is an `if` around the call, or an `if` before it that returns early. It is named
by what its condition reads, followed through the assignments of the function it is in
and into the same module's functions it calls: an environment variable
(`os.environ.get("X")`), a configuration option (`cfg.StrOpt("x")`, `CONF.x`), a backend
selection (a `backend` parameter, oslo.service's `BackendType`), `is_monkey_patched()`, or,
when none of those, the condition's text.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, replace

from evlint.entrypoints.scan import MAIN_SCOPE, MODULE_SCOPE
from evlint.module_level import dotted_chain, import_bindings
from evlint.names import ModuleContext
from evlint.pyparse import decode_source, parse

EVENTLET = "eventlet"
EVENTLET_PATCHERS = frozenset(f"{EVENTLET}.{name}" for name in ("monkey_patch", "patcher.monkey_patch"))
# Guard kinds that a deployment can set: a switch that makes a service dual-mode.
SWITCHES = frozenset({"env", "config", "backend", "condition"})
_CONF_METHODS = ("register_", "unregister_", "set_", "clear", "reset", "import_", "find_file", "log_opt")
_PATCHED_CHECKS = ("is_monkey_patched", "is_patched", "monkey_patched", "MONKEY_PATCHED")


# A condition, whether the code runs when it is false, and the lines of the code it guards.
Test = tuple[ast.expr, bool, tuple[int, int]]


@dataclass(frozen=True)
class Guard:
    kind: str  # env | config | backend | parameter | is_monkey_patched | condition
    name: str
    line: int
    negated: bool = False  # the call runs when the condition is false (`else:`, after an early return)
    file: str = ""  # the file the guard is in, once known
    block: tuple[int, int] = (0, 0)  # the first and last line of the code it guards

    @property
    def key(self) -> tuple[str, str, int]:
        return self.kind, self.name, self.line

    def describe(self) -> str:
        labels = {"env": "environment variable", "config": "config option", "backend": "backend selection"}
        return f"{labels.get(self.kind, self.kind)} {self.name}"


@dataclass(frozen=True)
class CallSite:
    """A call to eventlet's monkey_patch or to one of the project's functions."""

    callee: str  # qualified name
    line: int
    scope: str  # MODULE_SCOPE, MAIN_SCOPE or a function's qualified name
    text: str
    excluded: tuple[str, ...]  # for monkey_patch: the modules it leaves unpatched (`thread=False`)
    index: int  # in its module's `PatchFacts.calls`


class PatchFacts:
    """A module's calls; the guards of one are named when asked for (most never are)."""

    def __init__(self, calls: list[CallSite], tests: list[tuple[_GuardNamer, tuple[Test, ...]]]) -> None:
        self.calls = tuple(calls)
        self._tests = tests
        self._guards: dict[int, tuple[Guard, ...]] = {}

    def guards(self, site: CallSite) -> tuple[Guard, ...]:
        if site.index not in self._guards:
            namer, tests = self._tests[site.index]
            self._guards[site.index] = namer.name(tests)
        return self._guards[site.index]


def patch_facts(source: bytes, context: ModuleContext, tops: frozenset[str]) -> PatchFacts | None:
    """The facts of one module (None: it does not parse)."""
    try:
        tree = parse(decode_source(source))
    except (SyntaxError, ValueError, UnicodeDecodeError, LookupError, RecursionError, MemoryError):
        return None
    bindings = _module_bindings(tree, context)
    functions = {s.name: s for s in tree.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))}
    calls: list[CallSite] = []
    tests_of: list[tuple[_GuardNamer, tuple[Test, ...]]] = []
    for scope, body, params in _scopes(tree):
        local = {**bindings, **_import_bindings(body, context)}
        guards = _GuardNamer(functions, body, params)
        for call, tests in _calls_with_tests(body, ()):
            callee = _qualified(call.func, local)
            if callee is None or not (callee in EVENTLET_PATCHERS or callee.partition(".")[0] in tops):
                continue
            calls.append(CallSite(callee, call.lineno, scope, _text(call), _excluded(call), len(calls)))
            tests_of.append((guards, tests))
    return PatchFacts(calls, tests_of)


def _scopes(tree: ast.Module) -> Iterator[tuple[str, list[ast.stmt], frozenset[str]]]:
    """(scope, statements, parameters) of the module body, the main block and every function."""
    module_body = [s for s in tree.body if not _is_main_guard(s)]
    yield MODULE_SCOPE, module_body, frozenset()
    for statement in tree.body:
        if isinstance(statement, ast.If) and _is_main_guard(statement):
            yield MAIN_SCOPE, statement.body, frozenset()
    yield from _functions(tree.body, "")


def _functions(body: list[ast.stmt], prefix: str) -> Iterator[tuple[str, list[ast.stmt], frozenset[str]]]:
    for node in _walk_statements(body):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            name = prefix + node.name
            arguments = node.args
            params = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
            yield name, node.body, frozenset(a.arg for a in params)
            yield from _functions(node.body, name + ".")
        elif isinstance(node, ast.ClassDef):
            yield from _functions(node.body, prefix + node.name + ".")


def _walk_statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """The statements of a block and of the blocks nested in it, not entering functions and
    classes (which are yielded, not walked)."""
    for statement in body:
        yield statement
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        for field in ("body", "orelse", "finalbody"):
            inner = getattr(statement, field, None)
            if isinstance(inner, list):
                yield from _walk_statements(inner)
        for item in (*getattr(statement, "handlers", ()), *getattr(statement, "cases", ())):
            yield from _walk_statements(item.body)


def _is_main_guard(statement: ast.stmt) -> bool:
    if not isinstance(statement, ast.If) or not isinstance(statement.test, ast.Compare):
        return False
    parts = [statement.test.left, *statement.test.comparators]
    names = {p.id for p in parts if isinstance(p, ast.Name)}
    strings = {p.value for p in parts if isinstance(p, ast.Constant)}
    return names == {"__name__"} and strings == {"__main__"}


def _calls_with_tests(
    body: list[ast.stmt], tests: tuple[Test, ...]
) -> Iterator[tuple[ast.Call, tuple[Test, ...]]]:
    """Each call in the block (not in nested functions), with the conditions it runs under:
    the tests of the `if`s around it and of the `if`s before it that return."""
    early: list[Test] = []
    for statement in body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            for decorator in statement.decorator_list:
                yield from ((c, (*tests, *early)) for c in _calls_in(decorator))
            continue
        here = (*tests, *early)
        if isinstance(statement, ast.If):
            yield from ((c, here) for c in _calls_in(statement.test))
            yield from _calls_with_tests(
                statement.body, (*here, (statement.test, False, _span(statement.body)))
            )
            if statement.orelse:
                orelse = (*here, (statement.test, True, _span(statement.orelse)))
                yield from _calls_with_tests(statement.orelse, orelse)
            if statement.body and isinstance(statement.body[-1], ast.Return):
                rest = (statement.end_lineno or statement.lineno) + 1, _span(body)[1]
                early.append((statement.test, True, rest))
            continue
        nested = [getattr(statement, f, None) for f in ("body", "orelse", "finalbody")]
        blocks = [b for b in nested if isinstance(b, list)]
        blocks.extend(h.body for h in getattr(statement, "handlers", ()))
        if blocks:
            for expression in _header_expressions(statement):
                yield from ((c, here) for c in _calls_in(expression))
            for block in blocks:
                yield from _calls_with_tests(block, here)
        else:
            yield from ((c, here) for c in _calls_in(statement))


def _span(body: list[ast.stmt]) -> tuple[int, int]:
    return body[0].lineno, body[-1].end_lineno or body[-1].lineno


def _header_expressions(statement: ast.stmt) -> list[ast.expr]:
    if isinstance(statement, (ast.With, ast.AsyncWith)):
        return [item.context_expr for item in statement.items]
    if isinstance(statement, (ast.For, ast.AsyncFor)):
        return [statement.iter]
    if isinstance(statement, ast.While):
        return [statement.test]
    return []


def _calls_in(node: ast.AST) -> Iterator[ast.Call]:
    for inner in ast.walk(node):
        if isinstance(inner, ast.Call):
            yield inner


def _module_bindings(tree: ast.Module, context: ModuleContext) -> dict[str, str]:
    bindings = _import_bindings(tree.body, context)
    for statement in tree.body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bindings[statement.name] = f"{context.name}.{statement.name}"
    return bindings


def _import_bindings(body: list[ast.stmt], context: ModuleContext) -> dict[str, str]:
    """The names the imports of a block (and its inner blocks, not its functions) bind, to
    what they name."""
    bindings: dict[str, str] = {}
    for statement in _walk_statements(body):
        if isinstance(statement, ast.Import):
            bindings.update(import_bindings(statement))
        elif isinstance(statement, ast.ImportFrom):
            module = statement.module
            if statement.level:
                module = context.absolute(statement.level, module)
            if module:
                for alias in statement.names:
                    bindings[alias.asname or alias.name] = f"{module}.{alias.name}"
    return bindings


def _qualified(node: ast.expr, bindings: dict[str, str]) -> str | None:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name) or node.id not in bindings:
        return None
    return ".".join([bindings[node.id], *reversed(parts)])


def _excluded(call: ast.Call) -> tuple[str, ...]:
    """What `monkey_patch(...)` leaves alone: the modules set False, or, when only some are set
    True, `only <those>`. `all=True`, or no keyword, patches everything."""
    flags = {k.arg: k.value.value for k in call.keywords if k.arg and isinstance(k.value, ast.Constant)}
    if flags.get("all") is True:
        return ()
    off = [f"{name}=False" for name, value in flags.items() if value is False]
    on = [name for name, value in flags.items() if value is True]
    return tuple(off) if off or not on else (f"only {', '.join(on)}",)


def _text(node: ast.AST) -> str:
    text = ast.unparse(node)
    return text if len(text) <= 80 else text[:77] + "..."


class _GuardNamer:
    """Names the guards of calls in one function (or the module body)."""

    def __init__(
        self,
        functions: dict[str, ast.FunctionDef | ast.AsyncFunctionDef],
        body: list[ast.stmt],
        params: frozenset[str],
    ) -> None:
        self.functions, self.params = functions, params
        self._named_by_test: dict[int, list[Guard]] = {}
        self.assignments: dict[str, list[tuple[ast.expr, tuple[ast.expr, ...]]]] = {}
        self._collect(body, ())

    def _collect(self, body: list[ast.stmt], tests: tuple[ast.expr, ...]) -> None:
        for statement in body:
            if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                continue
            if (
                isinstance(statement, (ast.Assign, ast.AnnAssign, ast.AugAssign))
                and statement.value is not None
            ):
                targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
                for target in targets:
                    for name in ast.walk(target):
                        if isinstance(name, ast.Name):
                            self.assignments.setdefault(name.id, []).append((statement.value, tests))
            if isinstance(statement, ast.If):
                self._collect(statement.body, (*tests, statement.test))
                self._collect(statement.orelse, (*tests, statement.test))
                continue
            for field in ("body", "orelse", "finalbody"):
                inner = getattr(statement, field, None)
                if isinstance(inner, list):
                    self._collect(inner, tests)
            for handler in getattr(statement, "handlers", ()):
                self._collect(handler.body, tests)

    def name(self, tests: tuple[Test, ...]) -> tuple[Guard, ...]:
        found: dict[tuple[str, str, int], Guard] = {}
        for test, negated, block in tests:
            if id(test) not in self._named_by_test:
                self._named_by_test[id(test)] = list(self._named(test))
            named = [replace(guard, negated=negated, block=block) for guard in self._named_by_test[id(test)]]
            if not any(guard.kind != "parameter" for guard in named):
                named.append(Guard("condition", _text(test), test.lineno, negated, block=block))
            for guard in named:
                found.setdefault(guard.key, guard)
        return tuple(found.values())

    def _named(self, test: ast.expr) -> Iterator[Guard]:
        """What the condition reads, followed through assignments and called functions."""
        queue = [test]
        seen_names: set[str] = set()
        seen_functions: set[str] = set()
        while queue:
            expression = queue.pop(0)
            yield from _direct_guards(expression, self.params)
            for node in ast.walk(expression):
                if isinstance(node, ast.Name) and node.id not in seen_names:
                    seen_names.add(node.id)
                    for value, around in self.assignments.get(node.id, ()):
                        queue.extend((value, *around))
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                    function = self.functions.get(node.func.id)
                    if function is not None and node.func.id not in seen_functions:
                        seen_functions.add(node.func.id)
                        for inner in ast.walk(function):
                            if isinstance(inner, ast.expr):
                                yield from _direct_guards(inner, frozenset(), shallow=True)


def _direct_guards(expression: ast.expr, params: frozenset[str], *, shallow: bool = False) -> Iterator[Guard]:
    nodes = [expression] if shallow else list(ast.walk(expression))
    for node in nodes:
        line = getattr(node, "lineno", 0)
        env = _environment_variable(node)
        if env is not None:
            yield Guard("env", env, line)
        option = _config_option(node)
        if option is not None:
            yield Guard("config", option, line)
        name = _called_name(node) if isinstance(node, ast.Call) else _plain_name(node)
        if name is not None and any(check in name for check in _PATCHED_CHECKS):
            yield Guard("is_monkey_patched", name, line)
        elif name is not None and ("BackendType" in name or name.endswith("get_backend")):
            yield Guard("backend", name, line)
        if isinstance(node, ast.Name) and node.id in params:
            yield Guard("backend" if "backend" in node.id else "parameter", node.id, line)


def _environment_variable(node: ast.AST) -> str | None:
    if isinstance(node, ast.Call) and _called_name(node) in (
        "os.environ.get",
        "environ.get",
        "os.getenv",
        "getenv",
    ):
        first = node.args[0] if node.args else None
        return first.value if isinstance(first, ast.Constant) and isinstance(first.value, str) else None
    if isinstance(node, ast.Subscript) and _plain_name(node.value) in ("os.environ", "environ"):
        key = node.slice
        return key.value if isinstance(key, ast.Constant) and isinstance(key.value, str) else None
    if isinstance(node, ast.Compare) and any(
        _plain_name(c) in ("os.environ", "environ") for c in node.comparators
    ):
        left = node.left
        return left.value if isinstance(left, ast.Constant) and isinstance(left.value, str) else None
    return None


def _config_option(node: ast.AST) -> str | None:
    if isinstance(node, ast.Call):
        called = _called_name(node)
        first = node.args[0] if node.args else None
        if (
            called
            and called.endswith("Opt")
            and isinstance(first, ast.Constant)
            and isinstance(first.value, str)
        ):
            return first.value
    if isinstance(node, ast.Attribute):
        base = _plain_name(node.value)
        if base and base.split(".")[-1] in ("CONF", "conf") and not node.attr.startswith(_CONF_METHODS):
            return node.attr
    return None


def _called_name(node: ast.Call) -> str | None:
    return _plain_name(node.func)


def _plain_name(node: ast.AST) -> str | None:
    chain = dotted_chain(node) if isinstance(node, ast.expr) else None
    return None if chain is None else ".".join(chain)
