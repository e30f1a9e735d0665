"""One file in, diagnostics out: one parse, one traversal, then table lookups.

The traversal (`_Collector`) records bindings into scopes and candidate sites (dotted-name
uses, imports, string literals, call keywords); nothing is matched during it. Afterwards
each candidate is resolved to qualified names once and looked up in the compiled rule
tables, so the cost does not grow with the number of rules.

Matching parses with the standard library's `ast`, not libcst: on nova's 45 files that
mention eventlet, libcst took 22 s (its parse is ~11x `ast`'s, its PositionProvider ~2x
its parse) against ~1.5 s for `ast`, which also carries exact positions. libcst is what
rewrites files when fixing, where keeping every comment and space matters.
"""

from __future__ import annotations

import ast
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any, NamedTuple

from evlint.fix.propose import (
    LINE_BREAK,
    FixContext,
    ImportSite,
    KeywordSite,
    Site,
    SourceText,
    UseSite,
    propose,
)
from evlint.internal import InternalError, capture
from evlint.model import Diagnostic, ImportRef, Location, Rule
from evlint.module_facts import ModuleFacts, dunder_all
from evlint.names import (
    CALL,
    MODULE_IMPORTERS,
    UNKNOWN,
    Alias,
    Binding,
    Function,
    ImportCall,
    ModuleContext,
    ProjectNames,
    QName,
    Resolver,
    Scope,
    ScopeKind,
)
from evlint.pyparse import parse
from evlint.ruleset import CompiledRules, render

# Calls that name an attribute of their first argument with a string: the pair is a
# reference to `first_argument.string`, as in mock.patch.object(eventlet.greenthread, 'sleep').
ATTRIBUTE_BY_STRING = frozenset(
    {
        "unittest.mock.patch.object",
        "mock.patch.object",
        "fixtures.MockPatchObject",
        "builtins.getattr",
        "builtins.setattr",
        "builtins.hasattr",
        "builtins.delattr",
    }
)
_DOTTED = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# Deeply nested code recurses deeply; past this the file is reported, not the run aborted.
RECURSION_LIMIT = 12_000

Literal = str | int | float | bool | None
_NO_LITERAL = object()
_Comprehension = ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp
_Function = ast.FunctionDef | ast.AsyncFunctionDef


def dotted_chain(node: ast.expr) -> tuple[str, ...] | None:
    """`a.b.c` as ('a', 'b', 'c'); None for anything that is not a plain dotted name."""
    if type(node) is ast.Name:  # (exact types: these nodes are never subclassed, and it is quicker)
        return (node.id,)
    parts: list[str] = []
    while type(node) is ast.Attribute:
        parts.append(node.attr)
        node = node.value
    if type(node) is not ast.Name:
        return None
    parts.append(node.id)
    parts.reverse()
    return tuple(parts)


def call_chain(node: ast.expr) -> tuple[str, ...] | None:
    """`f().a.b` as ('f', CALL, 'a', 'b'): a dotted name through calls of dotted names."""
    parts: list[str] = []
    while True:
        if isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        elif isinstance(node, ast.Call):
            parts.append(CALL)
            node = node.func
        elif isinstance(node, ast.Name):
            parts.append(node.id)
            parts.reverse()
            return tuple(parts)
        else:
            return None


def _literal(node: ast.expr) -> object:
    if isinstance(node, ast.Constant) and isinstance(node.value, (str, int, float, bool, type(None))):
        return node.value
    return _NO_LITERAL


class _Use(NamedTuple):  # one per name load: a tuple is several times cheaper to make
    node: ast.expr
    scope: Scope
    chain: tuple[str, ...]
    is_callee: bool
    call: ast.Call | None = None


@dataclass(frozen=True)
class _Import:
    node: ast.AST
    qnames: tuple[str, ...]  # the module first, then the names imported from it


@dataclass(frozen=True)
class _DynamicImport:
    """`importutils.try_import('eventlet')` and friends: an import if the callee is an importer."""

    call: ast.Call
    callee: tuple[str, ...]
    module: str
    string: ast.expr
    scope: Scope


@dataclass(frozen=True)
class _AttributeString:
    callee: tuple[str, ...]
    target: ast.expr
    chain: tuple[str, ...]
    attribute: ast.expr
    name: str
    scope: Scope


@dataclass(frozen=True)
class _Keyword:
    keyword: ast.keyword
    name: str
    value: object
    callee: tuple[str, ...] | None
    scope: Scope


class _Collector(ast.NodeVisitor):
    """One traversal: bindings into scopes, candidate sites into lists."""

    def __init__(self, compiled: CompiledRules, context: ModuleContext | None = None) -> None:
        self.context = context
        self.module_scope = Scope(ScopeKind.MODULE, None)
        self.scope = self.module_scope
        self.uses: list[_Use] = []
        self.imports: list[_Import] = []
        self.strings: list[tuple[ast.Constant, str]] = []
        self.attribute_strings: list[_AttributeString] = []
        self.dynamic_imports: list[_DynamicImport] = []
        self.keywords: list[_Keyword] = []
        self._want_keywords = compiled.keywords
        self.import_refs: dict[str, list[ImportRef]] = {}  # import bindings by name, for fixes
        self.imported_modules: set[str] = set()
        self._callees: set[int] = set()
        self._calls: dict[int, ast.Call] = {}
        self._functions: dict[int, Function] = {}  # function scope -> its binding, for `return`
        # Functions, not bound methods: those would make a cycle through which the whole
        # tree is freed by the cycle collector instead of as soon as the file is done.
        self._visitors: dict[type[ast.AST], Callable[[_Collector, Any], None]] = {
            kind: getattr(type(self), name) for kind, name in _VISITED.items()
        }

    # -- dispatch ----------------------------------------------------------------------
    # ast.NodeVisitor finds the method by name for every node and visits every field,
    # expression contexts (Load, Store) included; a table by type and each type's child
    # fields, computed once, made the traversal about a third faster on nova.

    def visit(self, node: ast.AST) -> None:
        visitor = self._visitors.get(type(node))
        if visitor is not None:
            visitor(self, node)
        else:
            self.generic_visit(node)

    def generic_visit(self, node: ast.AST) -> None:
        kind = type(node)
        fields = _CHILD_FIELDS.get(kind)
        if fields is None:
            fields = _CHILD_FIELDS[kind] = tuple(field for field in kind._fields if field not in _NOT_NODES)
        visitors = self._visitors  # (`visit`, inlined: this runs for most nodes of the tree)
        for field in fields:
            value = getattr(node, field, None)
            for item in value if type(value) is list else (value,):
                if isinstance(item, ast.AST):
                    visitor = visitors.get(type(item))
                    if visitor is not None:
                        visitor(self, item)
                    else:
                        self.generic_visit(item)

    # -- scopes ----------------------------------------------------------------------

    def _visit_in(self, scope: Scope, nodes: Iterable[ast.AST | None]) -> None:
        outer, self.scope = self.scope, scope
        self._visit_all(nodes)
        self.scope = outer

    def _visit_all(self, nodes: Iterable[ast.AST | None]) -> None:
        visitors = self._visitors
        for node in nodes:
            if node is not None:
                visitor = visitors.get(type(node))
                if visitor is not None:
                    visitor(self, node)
                else:
                    self.generic_visit(node)

    def _value_binding(self, value: ast.expr) -> Binding:
        chain = dotted_chain(value)
        if chain is not None:
            return Alias(chain, self.scope)
        if isinstance(value, ast.Call):
            callee = dotted_chain(value.func)
            module = _module_argument(value)
            if callee is not None and module is not None:
                return ImportCall(callee, self.scope, module[1])
        called = call_chain(value)  # `x = utils.get_eventlet()`: what the call returns
        return Alias(called, self.scope) if called is not None else UNKNOWN

    # -- imports ---------------------------------------------------------------------

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if alias.asname is not None:
                self.scope.bind(alias.asname, QName(alias.name))
            else:
                root = alias.name.split(".", 1)[0]
                self.scope.bind(root, QName(root))
            location: ast.AST = alias if len(node.names) > 1 else node
            self.imports.append(_Import(location, (alias.name,)))
            bound = alias.asname or alias.name.split(".", 1)[0]
            self.import_refs.setdefault(bound, []).append(ImportRef(alias.name, None, alias.asname))
            if self.scope is self.module_scope:
                self.imported_modules.add(alias.name)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level:  # relative: a project module, resolved only when the module is known
            self._relative_import(node)
            return
        module = node.module or ""
        if node.names[0].name == "*":
            self.module_scope.star_imports.append(module)
            self.imports.append(_Import(node, (module,)))
            return
        qnames = []
        for alias in node.names:
            qname = f"{module}.{alias.name}"
            qnames.append(qname)
            self.scope.bind(alias.asname or alias.name, QName(qname))
            bound = alias.asname or alias.name
            self.import_refs.setdefault(bound, []).append(ImportRef(module, alias.name, alias.asname))
        self.imports.append(_Import(node, (module, *qnames)))

    def _relative_import(self, node: ast.ImportFrom) -> None:
        """Bindings only: a project module's name is no import site any rule reports."""
        module = self.context.absolute(node.level, node.module) if self.context is not None else None
        for alias in node.names:
            if alias.name == "*":
                if module is not None:
                    self.module_scope.star_imports.append(module)
            else:
                value = QName(f"{module}.{alias.name}") if module is not None else UNKNOWN
                self.scope.bind(alias.asname or alias.name, value)

    # -- definitions and scopes --------------------------------------------------------

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._function(node)

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self._function(node)

    def _function(self, node: _Function) -> None:
        self._callees.update(id(decorator) for decorator in node.decorator_list)  # @d calls d
        self._visit_all(node.decorator_list)
        self._visit_all(_type_param_parts(node))
        self._visit_argument_parts(node.args)
        self._visit_all([node.returns])
        function = Function()
        self.scope.bind(node.name, function)
        scope = Scope(ScopeKind.FUNCTION, self.scope)
        self._functions[id(scope)] = function
        self._bind_arguments(scope, node.args)
        self._visit_in(scope, node.body)

    def visit_Return(self, node: ast.Return) -> None:
        if node.value is None:
            return
        self.visit(node.value)
        function = self._functions.get(id(self.scope))
        if function is not None:
            function.returns.append(self._value_binding(node.value))

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self._visit_argument_parts(node.args)
        scope = Scope(ScopeKind.FUNCTION, self.scope)
        self._bind_arguments(scope, node.args)
        self._visit_in(scope, [node.body])

    def _visit_argument_parts(self, args: ast.arguments) -> None:
        self._visit_all(arg.annotation for arg in _all_arguments(args))
        self._visit_all(args.defaults)
        self._visit_all(args.kw_defaults)

    @staticmethod
    def _bind_arguments(scope: Scope, args: ast.arguments) -> None:
        for arg in _all_arguments(args):
            scope.bind(arg.arg, UNKNOWN)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self._callees.update(id(decorator) for decorator in node.decorator_list)
        self._visit_all(node.decorator_list)
        self._visit_all(_type_param_parts(node))
        self._visit_all(node.bases)
        self._visit_all(node.keywords)
        self.scope.bind(node.name, UNKNOWN)
        self._visit_in(Scope(ScopeKind.CLASS, self.scope), node.body)

    def visit_ListComp(self, node: ast.ListComp) -> None:
        self._comprehension(node, [node.elt])

    def visit_SetComp(self, node: ast.SetComp) -> None:
        self._comprehension(node, [node.elt])

    def visit_GeneratorExp(self, node: ast.GeneratorExp) -> None:
        self._comprehension(node, [node.elt])

    def visit_DictComp(self, node: ast.DictComp) -> None:
        self._comprehension(node, [node.key, node.value])

    def _comprehension(self, node: _Comprehension, results: Sequence[ast.expr]) -> None:
        first, *rest = node.generators
        self.visit(first.iter)  # the first iterable is evaluated in the enclosing scope
        parts: list[ast.AST] = [first.target, *first.ifs]
        for generator in rest:
            parts.extend((generator.iter, generator.target, *generator.ifs))
        self._visit_in(Scope(ScopeKind.COMPREHENSION, self.scope), [*parts, *results])

    # -- binding statements ------------------------------------------------------------

    def visit_Name(self, node: ast.Name) -> None:
        if isinstance(node.ctx, ast.Load):
            self.uses.append(self._use(node, (node.id,)))
        elif isinstance(node.ctx, ast.Store):
            self.scope.bind(node.id, UNKNOWN)

    def visit_Assign(self, node: ast.Assign) -> None:
        self.visit(node.value)
        value = self._value_binding(node.value)
        for target in node.targets:
            self._bind_target(target, value)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        self.visit(node.annotation)
        if node.value is None:
            if not isinstance(node.target, ast.Name):
                self.visit(node.target)
            return
        self.visit(node.value)
        self._bind_target(node.target, self._value_binding(node.value))

    def _bind_target(self, target: ast.expr, value: Binding) -> None:
        if isinstance(target, ast.Name):
            self.scope.bind(target.id, value)
        else:  # unpacking binds unknown values; attribute and subscript targets load their base
            self.visit(target)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        if isinstance(node.target, ast.Name):  # `x += 1` reads x, then rebinds it
            self.uses.append(_Use(node.target, self.scope, (node.target.id,), False))
            self.scope.bind(node.target.id, UNKNOWN)
        else:
            self.visit(node.target)
        self.visit(node.value)

    def visit_NamedExpr(self, node: ast.NamedExpr) -> None:
        self.visit(node.value)
        scope = self.scope
        while scope.kind is ScopeKind.COMPREHENSION and scope.parent is not None:
            scope = scope.parent  # a walrus in a comprehension binds in the enclosing scope
        scope.bind(node.target.id, self._value_binding(node.value))

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        self._visit_all([node.type])
        if node.name is not None:
            self.scope.bind(node.name, UNKNOWN)
        self._visit_all(node.body)

    def visit_Global(self, node: ast.Global) -> None:
        self.scope.declared_global.update(node.names)

    def visit_Nonlocal(self, node: ast.Nonlocal) -> None:
        self.scope.declared_nonlocal.update(node.names)

    def visit_MatchAs(self, node: ast.MatchAs) -> None:
        self._visit_all([node.pattern])
        if node.name is not None:
            self.scope.bind(node.name, UNKNOWN)

    def visit_MatchStar(self, node: ast.MatchStar) -> None:
        if node.name is not None:
            self.scope.bind(node.name, UNKNOWN)

    def visit_MatchMapping(self, node: ast.MatchMapping) -> None:
        self._visit_all(node.keys)
        self._visit_all(node.patterns)
        if node.rest is not None:
            self.scope.bind(node.rest, UNKNOWN)

    # -- uses --------------------------------------------------------------------------

    def visit_Attribute(self, node: ast.Attribute) -> None:
        chain = dotted_chain(node)
        if chain is not None:  # a maximal dotted name is one use, whatever its context (`eventlet.x = 1` too)
            self.uses.append(self._use(node, chain))
            return
        chain = call_chain(node)
        if chain is None:
            self.visit(node.value)
            return
        self.uses.append(self._use(node, chain))  # `utils.get_eventlet().tpool`: one use...
        base = node.value
        while isinstance(base, ast.Attribute):
            base = base.value
        self.visit(base)  # ...and the call below it, with its own callee and arguments

    def _use(self, node: ast.expr, chain: tuple[str, ...]) -> _Use:
        key = id(node)
        return _Use(node, self.scope, chain, key in self._callees, self._calls.get(key))

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        callee = dotted_chain(func)
        if callee is not None:
            self._record_string_arguments(node, callee)
        if self._want_keywords:
            for keyword in node.keywords:
                if keyword.arg in self._want_keywords:
                    value = _literal(keyword.value)
                    if value is not _NO_LITERAL:
                        self.keywords.append(_Keyword(keyword, keyword.arg, value, callee, self.scope))
        if callee is None:
            self._callees.add(id(func))
            self._calls[id(func)] = node
            self.generic_visit(node)
            return
        # A dotted callee is one use, recorded here rather than by visiting it (which would
        # work its chain out again); then the arguments.
        self.uses.append(_Use(func, self.scope, callee, True, node))
        self._visit_all(node.args)
        self._visit_all([keyword.value for keyword in node.keywords])

    def _record_string_arguments(self, node: ast.Call, callee: tuple[str, ...]) -> None:
        module = _module_argument(node)
        if module is not None:
            string, module_name = module
            self.dynamic_imports.append(_DynamicImport(node, callee, module_name, string, self.scope))
        if len(node.args) >= 2 and not any(isinstance(arg, ast.Starred) for arg in node.args[:2]):
            target, attribute = node.args[0], node.args[1]
            chain = dotted_chain(target)
            name = _literal(attribute)
            if chain is not None and isinstance(name, str) and _IDENTIFIER.fullmatch(name):
                self.attribute_strings.append(
                    _AttributeString(callee, target, chain, attribute, name, self.scope)
                )

    def visit_Expr(self, node: ast.Expr) -> None:
        if not (isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)):
            self.visit(node.value)  # a docstring or a bare string statement names nothing

    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:
        for value in node.values:
            if isinstance(value, ast.FormattedValue):  # the text parts are not string literals
                self.visit(value)

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str) and _DOTTED.fullmatch(node.value):
            self.strings.append((node, node.value))


_VISITED = {
    getattr(ast, name.removeprefix("visit_")): name
    for name in vars(_Collector)
    if name.startswith("visit_") and hasattr(ast, name.removeprefix("visit_"))
}
_CHILD_FIELDS: dict[type[ast.AST], tuple[str, ...]] = {}
# Fields that never hold a node (names, flags, expression contexts): not worth a look.
_NOT_NODES = frozenset(
    {"ctx", "id", "attr", "arg", "name", "module", "level", "type_comment"}
    | {"is_async", "conversion", "kind", "simple"}
)


def _module_argument(call: ast.Call) -> tuple[ast.expr, str] | None:
    """The literal module name an importer call is given (first argument or `name=`)."""
    if call.args:
        candidates: Iterable[ast.expr] = (call.args[0],)
    elif call.keywords:
        candidates = [k.value for k in call.keywords if k.arg == "name"]
    else:
        return None
    for candidate in candidates:
        value = _literal(candidate)
        if isinstance(value, str) and _DOTTED.fullmatch(value):
            return candidate, value
    return None


def source_lines(text: str) -> list[str]:
    """Lines as Python counts them: only CR, LF and CRLF end a line (not form feeds)."""
    if "\r" not in text:
        return text.split("\n")  # the same lines, several times faster than the expression
    return LINE_BREAK.split(text)


def _all_arguments(args: ast.arguments) -> list[ast.arg]:
    found = [*args.posonlyargs, *args.args, *args.kwonlyargs]
    found.extend(arg for arg in (args.vararg, args.kwarg) if arg is not None)
    return found


def _type_param_parts(node: ast.AST) -> list[ast.expr]:
    """Bounds and defaults of PEP 695 type parameters (Python 3.12+), evaluated outside."""
    parts: list[ast.expr] = []
    for param in getattr(node, "type_params", ()):
        parts.extend(p for p in (getattr(param, "bound", None), getattr(param, "default_value", None)) if p)
    return parts


@dataclass(frozen=True)
class _Finding:
    rule_index: int
    start: ast.AST
    end: ast.AST
    matched: str
    site: Site | None = None
    via: str | None = None  # the project module the name was re-exported through


class _Matcher:
    """Looks the collected candidates up in the compiled tables."""

    def __init__(self, compiled: CompiledRules, collector: _Collector, project: ProjectNames | None) -> None:
        self.compiled = compiled
        self.collector = collector
        self.resolver = Resolver(project)
        self.findings: dict[tuple[int, int], _Finding] = {}
        self._import_strings: set[int] = set()
        self._pair_targets: set[int] = set()  # `eventlet.event.Event` in patch.object(<it>, 'wait')

    def run(self) -> list[_Finding]:
        self._match_attribute_strings()
        self._match_uses()
        self._match_imports()
        self._match_strings()
        self._match_keywords()
        return self._reportable(self._without_covered_fallbacks())

    def _without_covered_fallbacks(self) -> list[_Finding]:
        """A catch-all rule reports only the sites no specific rule reports."""
        fallback = self.compiled.fallback
        findings = list(self.findings.values())
        if not fallback:
            return findings
        covered = {id(f.start) for f in findings if f.rule_index not in fallback}
        return [f for f in findings if f.rule_index not in fallback or id(f.start) not in covered]

    def _reportable(self, findings: list[_Finding]) -> list[_Finding]:
        return [f for f in findings if f.rule_index < self.compiled.reportable]

    def _add(
        self,
        hits: Iterable[tuple[int, str]],
        start: ast.AST,
        end: ast.AST,
        site: Site | None = None,
        via: str | None = None,
    ) -> None:
        for index, matched in hits:
            self.findings.setdefault((index, id(start)), _Finding(index, start, end, matched, site, via))

    def _match_uses(self) -> None:
        call, reference = self.compiled.call, self.compiled.reference
        tops = self._use_tops()
        may_reach = self.resolver.may_reach
        # Most uses (`self.x`, `os.path.join`) are dismissed by what their first name is
        # bound to, decided once per scope and name rather than resolving each whole chain.
        verdicts: dict[tuple[int, str, bool], bool] = {}
        may_name_anything = self.collector.module_scope.may_name_anything
        for use in self.collector.uses:
            chain = use.chain
            if not may_name_anything(chain[0]):  # `self`, a parameter everywhere it is bound
                continue
            called = len(chain) > 1 and chain[1] == CALL
            key = (id(use.scope), chain[0], called)
            reaches = verdicts.get(key)
            if reaches is None:
                reaches = verdicts[key] = may_reach(use.scope, chain[0], called, tops)
            if not reaches or self._passes_alias_along(use):
                continue
            targets = _direct_first(self.resolver.resolve_traced(use.scope, use.chain))
            for qname, via in targets:
                # Only a name that resolves one way, written in the file, can be rewritten.
                rewritable = len(targets) == 1 and via is None and CALL not in use.chain
                site = UseSite(use.node, use.chain, use.scope, qname, use.call) if rewritable else None
                node = use.node
                if use.is_callee and call:
                    self._add(call.match(qname, with_parents=False), node, node, site, via)
                if use.call is not None and qname in self.compiled.call_with:
                    self._add(_constrained_calls(self.compiled, qname, use.call), node, node, site, via)
                if reference and id(node) not in self._pair_targets:
                    self._add(reference.match(qname, with_parents=True), node, node, site, via)

    def _use_tops(self) -> frozenset[str]:
        """Top-level packages a use must resolve into to match: the rules' and the project's."""
        compiled = self.compiled
        tops = {name.partition(".")[0] for name in compiled.call_with}
        tops.update(compiled.call.roots, compiled.reference.roots)
        if self.resolver.project is not None:
            tops.update(self.resolver.project.tops)
        return frozenset(tops)

    def _passes_alias_along(self, use: _Use) -> bool:
        """`fn = eventlet.spawn; return fn`: the assignment was the reference, `fn` only carries it.

        Calls through an alias (`fn()`) and attributes of one (`gt.spawn`) are new uses.
        """
        if use.is_callee or len(use.chain) > 1:
            return False
        return not self.resolver.bound_by_import(use.scope, use.chain[0])

    def _match_imports(self) -> None:
        table = self.compiled.imports
        for dynamic in self.collector.dynamic_imports:
            if not MODULE_IMPORTERS.isdisjoint(self.resolver.resolve(dynamic.scope, dynamic.callee)):
                self._import_strings.add(id(dynamic.string))  # a module name, not a string target
                if table:
                    self._add(
                        _named(table.match(dynamic.module, with_parents=True), dynamic.module),
                        dynamic.call,
                        dynamic.call,
                    )
        if not table:
            return
        for site in self.collector.imports:
            for qname in site.qnames:
                hits = _named(table.match(qname, with_parents=True), qname)
                self._add(hits, site.node, site.node, ImportSite(site.node))

    def _match_strings(self) -> None:
        table = self.compiled.string_target
        if not table:
            return
        for node, value in self.collector.strings:
            if id(node) not in self._import_strings:
                self._add(_named(table.match(value, with_parents=True), value), node, node)

    def _match_attribute_strings(self) -> None:
        table = self.compiled.string_target
        if not table:
            return
        for site in self.collector.attribute_strings:
            if ATTRIBUTE_BY_STRING.isdisjoint(self.resolver.resolve(site.scope, site.callee)):
                continue
            targets = self.resolver.resolve_traced(site.scope, site.chain)
            named = frozenset((f"{target}.{site.name}", via) for target, via in targets)
            for qname, via in _direct_first(self.resolver.expand(named)):
                hits = table.match(qname, with_parents=True)
                if hits:  # the pair names the API; its target is not also a reference of its own
                    self._pair_targets.add(id(site.target))
                self._add(_named(hits, qname), site.target, site.attribute, via=via)

    def _match_keywords(self) -> None:
        for site in self.collector.keywords:
            for index, selector in self.compiled.keywords.get(site.name, ()):
                if not _same_literal(site.value, selector.value):
                    continue
                if selector.calls and not self._callee_matches(site, selector.calls):
                    continue
                matched = f"{site.name}={site.value!r}"
                self._add([(index, matched)], site.keyword, site.keyword, KeywordSite(site.keyword))

    def _callee_matches(self, site: _Keyword, patterns: Sequence[str]) -> bool:
        if site.callee is None:
            return False
        for qname in self.resolver.resolve(site.scope, site.callee):
            for pattern in patterns:
                if qname == pattern or (pattern.endswith(".*") and qname.startswith(pattern[:-1])):
                    return True
        return False


def _direct_first(targets: Iterable[tuple[str, str | None]]) -> list[tuple[str, str | None]]:
    """Each name once, in name order; named directly rather than through a module if both."""
    best: dict[str, str | None] = {}
    for name, via in sorted(targets, key=lambda target: (target[0], target[1] is not None, target[1] or "")):
        best.setdefault(name, via)
    return list(best.items())


def _constrained_calls(compiled: CompiledRules, qname: str, call: ast.Call) -> list[tuple[int, str]]:
    """Rules whose `call: {name, args, keywords}` this call satisfies."""
    hits = []
    keywords = {k.arg: k.value for k in call.keywords if k.arg is not None}
    for index, selector in compiled.call_with[qname]:
        if len(call.args) < len(selector.args):
            continue
        if not all(_same_literal(_literal(a), w) for a, w in zip(call.args, selector.args, strict=False)):
            continue
        if all(
            name in keywords and _same_literal(_literal(keywords[name]), w) for name, w in selector.keywords
        ):
            hits.append((index, qname))
    return hits


def _named(hits: Iterable[tuple[int, str]], written: str) -> list[tuple[int, str]]:
    """Imports and strings are reported by the full name written, not the pattern's."""
    return [(index, written) for index, _ in hits]


def _same_literal(found: object, wanted: Literal) -> bool:
    return type(found) is type(wanted) and found == wanted


@dataclass(frozen=True)
class FileReport:
    """What the engine found in one file, with the decoded text for noqa and code frames."""

    diagnostics: tuple[Diagnostic, ...]
    text: str
    # Crashes caught while matching; the caller reports them (EVL003) after noqa comments apply.
    internal_errors: tuple[InternalError, ...] = ()
    facts: ModuleFacts | None = None  # what the project index needs of this module, when asked


def lint_text(
    path: str,
    text: str,
    compiled: CompiledRules,
    context: ModuleContext | None = None,
    project: ProjectNames | None = None,
    *,
    want_facts: bool = False,
) -> FileReport:
    """Diagnostics for one file's decoded text, and with `want_facts` the module's facts for
    the project index (so a file the index reads is parsed once for both).

    `context` names the file's module (for its relative imports), `project` is the project
    index. Raises SyntaxError for invalid code and RecursionError for code nested too deeply.
    """
    tree = _parse(path, text)
    collector = _Collector(compiled, context)
    collector.visit(tree)
    facts = ModuleFacts(collector.module_scope, dunder_all(tree)) if want_facts else None
    matcher = _Matcher(compiled, collector, project)
    findings = matcher.run()
    if not findings:
        return FileReport((), text, facts=facts)
    lines = source_lines(text)
    fix_context = None
    if any(compiled.rules[f.rule_index].fix is not None and f.site is not None for f in findings):
        fix_context = _fix_context(text, tree, collector, matcher.resolver)
    diagnostics: list[Diagnostic] = []
    crashes: list[InternalError] = []
    for finding in findings:
        rule = compiled.rules[finding.rule_index]
        try:
            diagnostic = _diagnostic(path, rule, finding, lines)
            if fix_context is not None:
                diagnostic = _with_fix(diagnostic, rule, finding, fix_context)
            diagnostics.append(diagnostic)
        except Exception as error:  # one rule's bug on one site: reported, the other findings kept
            row = getattr(finding.start, "lineno", None)
            crashes.append(capture(error, path, "analysis", rule=rule.id, row=row))
    return FileReport(tuple(sorted(diagnostics, key=lambda d: d.sort_key)), text, tuple(crashes), facts)


def _fix_context(text: str, tree: ast.Module, collector: _Collector, resolver: Resolver) -> FixContext:
    return FixContext(
        source=SourceText(text),
        tree=tree,
        resolver=resolver,
        module_scope=collector.module_scope,
        import_refs=collector.import_refs,
        imported_modules=frozenset(collector.imported_modules),
        root_uses=Counter(use.chain[0] for use in collector.uses),
    )


def _with_fix(diagnostic: Diagnostic, rule: Rule, finding: _Finding, context: FixContext) -> Diagnostic:
    if rule.fix is None or finding.site is None:
        return diagnostic
    fix = propose(rule, finding.matched, finding.site, context)
    return diagnostic if fix is None else replace(diagnostic, fix=fix)


def _parse(path: str, text: str) -> ast.Module:
    if sys.getrecursionlimit() < RECURSION_LIMIT:
        sys.setrecursionlimit(RECURSION_LIMIT)
    return parse(text, filename=path)


_NO_RULES = CompiledRules(())


def module_facts(path: str, text: str, context: ModuleContext) -> ModuleFacts:
    """What the project index needs of a module it reads without linting it.

    Raises SyntaxError, ValueError, RecursionError as `lint_text` does.
    """
    tree = _parse(path, text)
    collector = _Collector(_NO_RULES, context)
    collector.visit(tree)
    return ModuleFacts(collector.module_scope, dunder_all(tree))


def _column(lines: Sequence[str], row: int, byte_offset: int) -> int:
    """ast's UTF-8 byte offset as a 1-based character column."""
    line = lines[row - 1] if row <= len(lines) else ""
    return len(line.encode("utf-8")[:byte_offset].decode("utf-8", errors="replace")) + 1


def _diagnostic(path: str, rule: Rule, finding: _Finding, lines: Sequence[str]) -> Diagnostic:
    start, end = finding.start, finding.end
    start_row, end_row = start.lineno, end.end_lineno or end.lineno  # type: ignore[attr-defined]
    start_column = _column(lines, start_row, start.col_offset)  # type: ignore[attr-defined]
    end_column = _column(lines, end_row, end.end_col_offset or 0)  # type: ignore[attr-defined]
    return diagnostic_for(
        rule,
        finding.matched,
        path,
        Location(start_row, start_column),
        Location(end_row, end_column),
        finding.via,
    )


def diagnostic_for(
    rule: Rule, matched: str, path: str, start: Location, end: Location, via: str | None = None
) -> Diagnostic:
    """A finding of `rule` on the name `matched` (re-exported `via` a project module), filled in."""
    module, _, name = matched.rpartition(".")
    values = {**rule.options, "matched": matched, "name": name, "module": module}
    message = render(rule.message, values)
    return Diagnostic(
        code=rule.id,
        message=f"{message} (via {via})" if via else message,
        path=path,
        location=start,
        end_location=end,
        severity=rule.severity,
        suggestion=render(rule.suggestion, values) if rule.suggestion else None,
        url=rule.url,
    )
