"""One file in, diagnostics out: one libcst parse, one traversal, then table lookups.

The traversal (`_Collector`) records bindings into scopes and candidate sites (dotted-name
uses, imports, string literals, call keywords); nothing is matched during it. Afterwards
each candidate is resolved to qualified names once and looked up in the compiled rule
tables, so the cost does not grow with the number of rules. Positions are computed only
for files that have findings.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import libcst as cst
from libcst.metadata import CodeRange, MetadataWrapper, PositionProvider

from evlint.model import Diagnostic, Location, Rule
from evlint.names import (
    MODULE_IMPORTERS,
    UNKNOWN,
    Alias,
    Binding,
    ImportCall,
    QName,
    Resolver,
    Scope,
    ScopeKind,
)
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

Literal = str | int | float | bool | None
_NO_LITERAL = object()


def dotted_chain(node: cst.CSTNode) -> tuple[str, ...] | None:
    """`a.b.c` as ('a', 'b', 'c'); None for anything that is not a plain dotted name."""
    parts: list[str] = []
    while isinstance(node, cst.Attribute):
        parts.append(node.attr.value)
        node = node.value
    if not isinstance(node, cst.Name):
        return None
    parts.append(node.value)
    parts.reverse()
    return tuple(parts)


def _literal(node: cst.BaseExpression) -> object:
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
        value = node.evaluated_value
        return value if isinstance(value, str) else _NO_LITERAL
    if isinstance(node, cst.Integer):
        return node.evaluated_value
    if isinstance(node, cst.Float):
        return node.evaluated_value
    if isinstance(node, cst.Name) and node.value in ("True", "False", "None"):
        return {"True": True, "False": False, "None": None}[node.value]
    return _NO_LITERAL


@dataclass(frozen=True)
class _Use:
    node: cst.BaseExpression
    scope: Scope
    chain: tuple[str, ...]
    is_callee: bool


@dataclass(frozen=True)
class _Import:
    node: cst.CSTNode
    qnames: tuple[str, ...]  # the module first, then the names imported from it


@dataclass(frozen=True)
class _DynamicImport:
    """`importutils.try_import('eventlet')` and friends: an import if the callee is an importer."""

    call: cst.Call
    callee: tuple[str, ...]
    module: str
    scope: Scope


@dataclass(frozen=True)
class _AttributeString:
    call: cst.Call
    callee: tuple[str, ...]
    target: cst.BaseExpression
    chain: tuple[str, ...]
    attribute: cst.BaseExpression
    name: str
    scope: Scope


@dataclass(frozen=True)
class _Keyword:
    arg: cst.Arg
    name: str
    value: object
    callee: tuple[str, ...] | None
    scope: Scope


class _Collector(cst.CSTVisitor):
    """One traversal: bindings into scopes, candidate sites into lists."""

    def __init__(self, compiled: CompiledRules) -> None:
        self.module_scope = Scope(ScopeKind.MODULE, None)
        self.scope = self.module_scope
        self.uses: list[_Use] = []
        self.imports: list[_Import] = []
        self.strings: list[tuple[cst.BaseExpression, str]] = []
        self.attribute_strings: list[_AttributeString] = []
        self.dynamic_imports: list[_DynamicImport] = []
        self.keywords: list[_Keyword] = []
        self._want_keywords = compiled.keywords
        self._callees: set[int] = set()
        self._not_loads: set[int] = set()

    # -- scopes ----------------------------------------------------------------------

    def _push(self, kind: ScopeKind) -> Scope:
        self.scope = Scope(kind, self.scope)
        return self.scope

    def _pop(self, scope: Scope) -> None:
        assert scope.parent is not None
        self.scope = scope.parent

    def _bind_target(self, target: cst.BaseExpression, value: Binding) -> None:
        if isinstance(target, cst.Name):
            self.scope.bind(target.value, value)
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._bind_target(element.value, UNKNOWN)
        elif isinstance(target, cst.StarredElement):
            self._bind_target(target.value, UNKNOWN)
        else:  # an attribute or subscript target loads its base
            target.visit(self)

    def _value_binding(self, value: cst.BaseExpression) -> Binding:
        chain = dotted_chain(value)
        if chain is not None:
            return Alias(chain, self.scope)
        if isinstance(value, cst.Call) and value.args:
            callee = dotted_chain(value.func)
            module = _literal(value.args[0].value)
            if callee is not None and isinstance(module, str) and _DOTTED.fullmatch(module):
                return ImportCall(callee, self.scope, module)
        return UNKNOWN

    # -- imports ---------------------------------------------------------------------

    def visit_Import(self, node: cst.Import) -> bool:
        for alias in node.names:
            full = _dotted_name(alias.name)
            if alias.asname is not None:
                self._bind_target(alias.asname.name, QName(full))
            else:
                root = full.split(".", 1)[0]
                self.scope.bind(root, QName(root))
            location: cst.CSTNode = alias if len(node.names) > 1 else node
            self.imports.append(_Import(location, (full,)))
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        if node.relative or node.module is None:
            self._bind_relative(node)
            return False
        module = _dotted_name(node.module)
        if isinstance(node.names, cst.ImportStar):
            self.scope.module.star_imports.append(module)
            self.imports.append(_Import(node, (module,)))
            return False
        qnames = []
        for alias in node.names:
            name = _dotted_name(alias.name)
            qnames.append(f"{module}.{name}")
            target = alias.asname.name if alias.asname is not None else alias.name
            self._bind_target(target, QName(f"{module}.{name}"))
        self.imports.append(_Import(node, (module, *qnames)))
        return False

    def _bind_relative(self, node: cst.ImportFrom) -> None:
        if isinstance(node.names, cst.ImportStar):
            return
        for alias in node.names:
            target = alias.asname.name if alias.asname is not None else alias.name
            self._bind_target(target, UNKNOWN)

    # -- definitions and scopes --------------------------------------------------------

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        for decorator in node.decorators:
            decorator.visit(self)
        self._visit_parameter_parts(node.params)
        if node.returns is not None:
            node.returns.visit(self)
        self.scope.bind(node.name.value, UNKNOWN)
        scope = self._push(ScopeKind.FUNCTION)
        self._bind_parameters(node.params)
        node.body.visit(self)
        self._pop(scope)
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        self._visit_parameter_parts(node.params)
        scope = self._push(ScopeKind.FUNCTION)
        self._bind_parameters(node.params)
        node.body.visit(self)
        self._pop(scope)
        return False

    def _visit_parameter_parts(self, params: cst.Parameters) -> None:
        for param in _all_params(params):
            if param.annotation is not None:
                param.annotation.visit(self)
            if param.default is not None:
                param.default.visit(self)

    def _bind_parameters(self, params: cst.Parameters) -> None:
        for param in _all_params(params):
            self.scope.bind(param.name.value, UNKNOWN)

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        for decorator in node.decorators:
            decorator.visit(self)
        for arg in (*node.bases, *node.keywords):
            arg.visit(self)
        self.scope.bind(node.name.value, UNKNOWN)
        scope = self._push(ScopeKind.CLASS)
        node.body.visit(self)
        self._pop(scope)
        return False

    def visit_ListComp(self, node: cst.ListComp) -> bool:
        self._comprehension(node.for_in, (node.elt,))
        return False

    def visit_SetComp(self, node: cst.SetComp) -> bool:
        self._comprehension(node.for_in, (node.elt,))
        return False

    def visit_GeneratorExp(self, node: cst.GeneratorExp) -> bool:
        self._comprehension(node.for_in, (node.elt,))
        return False

    def visit_DictComp(self, node: cst.DictComp) -> bool:
        self._comprehension(node.for_in, (node.key, node.value))
        return False

    def _comprehension(self, for_in: cst.CompFor, results: Sequence[cst.BaseExpression]) -> None:
        for_in.iter.visit(self)  # the first iterable is evaluated in the enclosing scope
        scope = self._push(ScopeKind.COMPREHENSION)
        clause: cst.CompFor | None = for_in
        first = True
        while clause is not None:
            if not first:
                clause.iter.visit(self)
            self._bind_target(clause.target, UNKNOWN)
            for condition in clause.ifs:
                condition.visit(self)
            clause, first = clause.inner_for_in, False
        for result in results:
            result.visit(self)
        self._pop(scope)

    # -- binding statements ------------------------------------------------------------

    def visit_Assign(self, node: cst.Assign) -> bool:
        node.value.visit(self)
        value = self._value_binding(node.value)
        for target in node.targets:
            self._bind_target(target.target, value if isinstance(target.target, cst.Name) else UNKNOWN)
        return False

    def visit_AnnAssign(self, node: cst.AnnAssign) -> bool:
        node.annotation.visit(self)
        if node.value is not None:
            node.value.visit(self)
            self._bind_target(node.target, self._value_binding(node.value))
        elif not isinstance(node.target, cst.Name):
            node.target.visit(self)
        return False

    def visit_AugAssign(self, node: cst.AugAssign) -> bool:
        node.target.visit(self)  # `x += 1` reads x first
        node.value.visit(self)
        if isinstance(node.target, cst.Name):
            self.scope.bind(node.target.value, UNKNOWN)
        return False

    def visit_NamedExpr(self, node: cst.NamedExpr) -> bool:
        node.value.visit(self)
        scope = self.scope
        while scope.kind is ScopeKind.COMPREHENSION and scope.parent is not None:
            scope = scope.parent  # a walrus in a comprehension binds in the enclosing scope
        if isinstance(node.target, cst.Name):
            scope.bind(node.target.value, self._value_binding(node.value))
        return False

    def visit_For(self, node: cst.For) -> bool:
        node.iter.visit(self)
        self._bind_target(node.target, UNKNOWN)
        node.body.visit(self)
        if node.orelse is not None:
            node.orelse.visit(self)
        return False

    def visit_WithItem(self, node: cst.WithItem) -> bool:
        node.item.visit(self)
        if node.asname is not None:
            self._bind_target(node.asname.name, UNKNOWN)
        return False

    def visit_ExceptHandler(self, node: cst.ExceptHandler) -> bool:
        return self._except_handler(node)

    def visit_ExceptStarHandler(self, node: cst.ExceptStarHandler) -> bool:
        return self._except_handler(node)

    def _except_handler(self, node: cst.ExceptHandler | cst.ExceptStarHandler) -> bool:
        if node.type is not None:
            node.type.visit(self)
        if node.name is not None:
            self._bind_target(node.name.name, UNKNOWN)
        node.body.visit(self)
        return False

    def visit_Global(self, node: cst.Global) -> bool:
        self.scope.declared_global.update(item.name.value for item in node.names)
        return False

    def visit_Nonlocal(self, node: cst.Nonlocal) -> bool:
        self.scope.declared_nonlocal.update(item.name.value for item in node.names)
        return False

    def visit_MatchAs(self, node: cst.MatchAs) -> bool:
        if node.pattern is not None:
            node.pattern.visit(self)
        if node.name is not None:
            self.scope.bind(node.name.value, UNKNOWN)
        return False

    def visit_MatchStar(self, node: cst.MatchStar) -> bool:
        if node.name is not None:
            self.scope.bind(node.name.value, UNKNOWN)
        return False

    def visit_MatchMapping(self, node: cst.MatchMapping) -> bool:
        if node.rest is not None:
            self.scope.bind(node.rest.value, UNKNOWN)
            self._not_loads.add(id(node.rest))
        return True

    # -- uses --------------------------------------------------------------------------

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        chain = dotted_chain(node)
        if chain is None:
            self._not_loads.add(id(node.attr))
            return True
        self.uses.append(_Use(node, self.scope, chain, id(node) in self._callees))
        return False

    def visit_Name(self, node: cst.Name) -> bool:
        if id(node) not in self._not_loads:
            self.uses.append(_Use(node, self.scope, (node.value,), id(node) in self._callees))
        return False

    def visit_Call(self, node: cst.Call) -> bool:
        self._callees.add(id(node.func))
        callee = dotted_chain(node.func)
        if callee is not None and node.args:
            self._record_string_arguments(node, callee)
        if self._want_keywords:
            for arg in node.args:
                if arg.keyword is not None and arg.keyword.value in self._want_keywords:
                    value = _literal(arg.value)
                    if value is not _NO_LITERAL:
                        self.keywords.append(_Keyword(arg, arg.keyword.value, value, callee, self.scope))
        return True

    def _record_string_arguments(self, node: cst.Call, callee: tuple[str, ...]) -> None:
        first = node.args[0]
        if first.keyword is not None or first.star:
            return
        module = _literal(first.value)
        if isinstance(module, str) and _DOTTED.fullmatch(module):
            self.dynamic_imports.append(_DynamicImport(node, callee, module, self.scope))
        if len(node.args) >= 2:
            self._record_attribute_string(node, callee, first, node.args[1])

    def _record_attribute_string(
        self, node: cst.Call, callee: tuple[str, ...], target: cst.Arg, attribute: cst.Arg
    ) -> None:
        if attribute.star:
            return
        chain = dotted_chain(target.value)
        name = _literal(attribute.value)
        if chain is not None and isinstance(name, str) and _IDENTIFIER.fullmatch(name):
            self.attribute_strings.append(
                _AttributeString(node, callee, target.value, chain, attribute.value, name, self.scope)
            )

    def visit_Arg(self, node: cst.Arg) -> bool:
        if node.keyword is not None:
            self._not_loads.add(id(node.keyword))
        return True

    def visit_Expr(self, node: cst.Expr) -> bool:
        # a docstring or a bare string statement names nothing
        return not isinstance(node.value, (cst.SimpleString, cst.ConcatenatedString))

    def visit_SimpleString(self, node: cst.SimpleString) -> bool:
        self._record_string(node)
        return False

    def visit_ConcatenatedString(self, node: cst.ConcatenatedString) -> bool:
        self._record_string(node)
        return False

    def _record_string(self, node: cst.SimpleString | cst.ConcatenatedString) -> None:
        value = node.evaluated_value
        if isinstance(value, str) and _DOTTED.fullmatch(value):
            self.strings.append((node, value))


def _dotted_name(node: cst.BaseExpression) -> str:
    chain = dotted_chain(node)
    assert chain is not None, "import names are dotted names"
    return ".".join(chain)


def _all_params(params: cst.Parameters) -> list[cst.Param]:
    found = [*params.posonly_params, *params.params, *params.kwonly_params]
    if isinstance(params.star_arg, cst.Param):
        found.append(params.star_arg)
    if params.star_kwarg is not None:
        found.append(params.star_kwarg)
    return found


@dataclass(frozen=True)
class _Finding:
    rule_index: int
    start: cst.CSTNode
    end: cst.CSTNode
    matched: str


class _Matcher:
    """Looks the collected candidates up in the compiled tables."""

    def __init__(self, compiled: CompiledRules, collector: _Collector) -> None:
        self.compiled = compiled
        self.collector = collector
        self.resolver = Resolver()
        self.findings: dict[tuple[int, int], _Finding] = {}

    def run(self) -> list[_Finding]:
        self._match_uses()
        self._match_imports()
        self._match_strings()
        self._match_attribute_strings()
        self._match_keywords()
        return list(self.findings.values())

    def _add(self, rules: set[int], start: cst.CSTNode, end: cst.CSTNode, matched: str) -> None:
        for index in rules:
            self.findings.setdefault((index, id(start)), _Finding(index, start, end, matched))

    def _match_uses(self) -> None:
        call, reference = self.compiled.call, self.compiled.reference
        for use in self.collector.uses:
            if self._passes_alias_along(use):
                continue
            for qname in sorted(self.resolver.resolve(use.scope, use.chain)):
                if use.is_callee and call:
                    self._add(call.match(qname, with_parents=False), use.node, use.node, qname)
                if reference:
                    self._add(reference.match(qname, with_parents=True), use.node, use.node, qname)

    def _passes_alias_along(self, use: _Use) -> bool:
        """`fn = eventlet.spawn; return fn`: the assignment was the reference, `fn` only carries it.

        Calls through an alias (`fn()`) and attributes of one (`gt.spawn`) are new uses.
        """
        if use.is_callee or len(use.chain) > 1:
            return False
        return not self.resolver.bound_by_import(use.scope, use.chain[0])

    def _match_imports(self) -> None:
        table = self.compiled.imports
        if not table:
            return
        for site in self.collector.imports:
            for qname in site.qnames:
                self._add(table.match(qname, with_parents=True), site.node, site.node, qname)
        for dynamic in self.collector.dynamic_imports:
            if not MODULE_IMPORTERS.isdisjoint(self.resolver.resolve(dynamic.scope, dynamic.callee)):
                hits = table.match(dynamic.module, with_parents=True)
                self._add(hits, dynamic.call, dynamic.call, dynamic.module)

    def _match_strings(self) -> None:
        table = self.compiled.string_target
        if not table:
            return
        for node, value in self.collector.strings:
            self._add(table.match(value, with_parents=True), node, node, value)

    def _match_attribute_strings(self) -> None:
        table = self.compiled.string_target
        if not table:
            return
        for site in self.collector.attribute_strings:
            if ATTRIBUTE_BY_STRING.isdisjoint(self.resolver.resolve(site.scope, site.callee)):
                continue
            for target in sorted(self.resolver.resolve(site.scope, site.chain)):
                qname = f"{target}.{site.name}"
                self._add(table.match(qname, with_parents=True), site.target, site.attribute, qname)

    def _match_keywords(self) -> None:
        for site in self.collector.keywords:
            for index, selector in self.compiled.keywords.get(site.name, ()):
                if not _same_literal(site.value, selector.value):
                    continue
                if selector.calls and not self._callee_matches(site, selector.calls):
                    continue
                self._add({index}, site.arg, site.arg, f"{site.name}={site.value!r}")

    def _callee_matches(self, site: _Keyword, patterns: Sequence[str]) -> bool:
        if site.callee is None:
            return False
        for qname in self.resolver.resolve(site.scope, site.callee):
            for pattern in patterns:
                if qname == pattern or (pattern.endswith(".*") and qname.startswith(pattern[:-1])):
                    return True
        return False


def _same_literal(found: object, wanted: Literal) -> bool:
    return type(found) is type(wanted) and found == wanted


@dataclass(frozen=True)
class FileReport:
    """What the engine found in one file, with the decoded text for noqa and code frames."""

    diagnostics: tuple[Diagnostic, ...]
    text: str


def lint_source(path: str, source: bytes, compiled: CompiledRules) -> FileReport:
    """Diagnostics for one file's bytes. Raises cst.ParserSyntaxError for invalid code."""
    module = cst.parse_module(source)
    collector = _Collector(compiled)
    module.visit(collector)
    findings = _Matcher(compiled, collector).run()
    if not findings:
        return FileReport((), "")
    positions = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    diagnostics = tuple(
        sorted(
            (_diagnostic(path, compiled.rules[f.rule_index], f, positions) for f in findings),
            key=lambda d: d.sort_key,
        )
    )
    return FileReport(diagnostics, module.code)


def _diagnostic(path: str, rule: Rule, finding: _Finding, positions: object) -> Diagnostic:
    start: CodeRange = positions[finding.start]  # type: ignore[index]
    end: CodeRange = positions[finding.end]  # type: ignore[index]
    module, _, name = finding.matched.rpartition(".")
    values = {**rule.options, "matched": finding.matched, "name": name, "module": module}
    return Diagnostic(
        code=rule.id,
        message=render(rule.message, values),
        path=path,
        location=Location(start.start.line, start.start.column + 1),
        end_location=Location(end.end.line, end.end.column + 1),
        severity=rule.severity,
        suggestion=render(rule.suggestion, values) if rule.suggestion else None,
        url=rule.url,
    )
