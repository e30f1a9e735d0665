"""The traversal (`_Collector`): one walk of a module's `ast` that records bindings into
scopes and candidate sites into lists (see `sites`); nothing is matched during it.

The walk is the engine's hot loop: the dispatch by node type is written out by hand in
`visit`, `generic_visit` and `_visit_all`.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from evlint.engine.sites import (
    _AttributeString,
    _DynamicImport,
    _Import,
    _Keyword,
    _Use,
    call_chain,
)
from evlint.engine.string_roles import StringRoleVisits, module_argument
from evlint.engine.values import ValueSites, positional_arguments
from evlint.model import ImportRef
from evlint.module_level import dotted_chain
from evlint.names import (
    UNKNOWN,
    Alias,
    Binding,
    Function,
    ImportCall,
    ModuleContext,
    QName,
    Scope,
    ScopeKind,
)
from evlint.ruleset import CompiledRules

_Comprehension = ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp
_Function = ast.FunctionDef | ast.AsyncFunctionDef


class _Collector(StringRoleVisits):
    """One traversal: bindings into scopes, candidate sites into lists (the string literals'
    roles by `StringRoleVisits`)."""

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
        self.key_strings: set[int] = set()  # string literals that are keys, not names (`string_roles`)
        self._in_annotation = False
        self._want_keywords = compiled.keywords.keys() | compiled.settings.keys()
        self._positional = compiled.positional  # callees' last names -> selectors with a position
        self.values = ValueSites(compiled.settings.keys()) if self._want_keywords else None
        self.import_refs: dict[str, list[ImportRef]] = {}  # import bindings by name, for fixes
        self.imported_modules: set[str] = set()
        self._callees: set[int] = set()
        self._calls: dict[int, ast.Call] = {}
        self._functions: dict[int, Function] = {}  # function scope -> its binding, for `return`
        self.function_scopes: dict[int, Scope] = {}  # id of a def node -> its scope (object flow)
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
            module = module_argument(value) if callee is not None else None
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
        self._visit_annotations([node.returns])
        function = Function()
        self.scope.bind(node.name, function)
        scope = Scope(ScopeKind.FUNCTION, self.scope)
        self._functions[id(scope)] = function
        self.function_scopes[id(node)] = scope
        self._bind_arguments(scope, node.args)
        if self.values is not None:
            self.values.defaults(node.args, scope, self.scope, node.body)
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
        self._visit_annotations(arg.annotation for arg in _all_arguments(args))
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
        context = type(node.ctx)
        if context is ast.Load:  # (`_use`, inlined: a third of the nodes visited are names)
            key = id(node)
            self.uses.append(_Use(node, self.scope, (node.id,), key in self._callees, self._calls.get(key)))
        elif context is ast.Store:
            self.scope.bind(node.id, UNKNOWN)

    def visit_Assign(self, node: ast.Assign) -> None:
        self.visit(node.value)
        value = self._value_binding(node.value)
        for target in node.targets:
            self._bind_target(target, value)
        if self.values is not None:
            self.values.assigned(node.targets, node.value, self.scope)

    def _visit_annotations(self, nodes: Iterable[ast.expr | None]) -> None:
        self._in_annotation = True
        self._visit_all(nodes)
        self._in_annotation = False

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        self._visit_annotations([node.annotation])
        if node.value is None:
            if not isinstance(node.target, ast.Name):
                self.visit(node.target)
            return
        self.visit(node.value)
        self._bind_target(node.target, self._value_binding(node.value))
        if self.values is not None:
            self.values.assigned([node.target], node.value, self.scope)

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
        if chain is None:
            chain = call_chain(node)
            if chain is None:
                self.visit(node.value)
                return
            self.uses.append(self._use(node, chain))  # `utils.get_eventlet().tpool`: one use...
            base = node.value
            while isinstance(base, ast.Attribute):
                base = base.value
            self.visit(base)  # ...and the call below it, with its own callee and arguments
            return
        # A maximal dotted name is one use, whatever its context (`eventlet.x = 1` too).
        key = id(node)  # (`_use`, inlined)
        self.uses.append(_Use(node, self.scope, chain, key in self._callees, self._calls.get(key)))

    def _use(self, node: ast.expr, chain: tuple[str, ...]) -> _Use:
        key = id(node)
        return _Use(node, self.scope, chain, key in self._callees, self._calls.get(key))

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        callee = dotted_chain(func)
        args, keywords = node.args, node.keywords
        if callee is not None and (args or keywords):  # (a call of nothing holds no string)
            self._record_string_arguments(node, callee)
        wanted = self._want_keywords
        if wanted:
            for keyword in keywords:
                if keyword.arg in wanted:
                    self.keywords.append(_Keyword(keyword, keyword.arg, keyword.value, callee, self.scope))
            if callee is not None and callee[-1] in self._positional:
                self.keywords.extend(
                    positional_arguments(node, callee, self._positional[callee[-1]], self.scope)
                )
        if callee is None:
            self._callees.add(id(func))
            self._calls[id(func)] = node
            self.generic_visit(node)
            return
        # A dotted callee is one use, recorded here rather than by visiting it (which would
        # work its chain out again); then the arguments (`visit`, inlined).
        self.uses.append(_Use(func, self.scope, callee, True, node))
        visitors = self._visitors
        for arg in args:
            visitor = visitors.get(type(arg))
            if visitor is not None:
                visitor(self, arg)
            else:
                self.generic_visit(arg)
        for keyword in keywords:
            value = keyword.value
            visitor = visitors.get(type(value))
            if visitor is not None:
                visitor(self, value)
            else:
                self.generic_visit(value)

    def visit_Compare(self, node: ast.Compare) -> None:
        if self.values is not None:
            self.values.compared(node, self.scope)
        self._keys_then_children(node)


_VISITED = {
    getattr(ast, name.removeprefix("visit_")): name
    for name in dir(_Collector)  # (its own visitors and those of StringRoleVisits)
    if name.startswith("visit_") and hasattr(ast, name.removeprefix("visit_"))
}
_CHILD_FIELDS: dict[type[ast.AST], tuple[str, ...]] = {}
# Fields that never hold a node (names, flags, expression contexts): not worth a look.
_NOT_NODES = frozenset(
    {"ctx", "id", "attr", "arg", "name", "module", "level", "type_comment"}
    | {"is_async", "conversion", "kind", "simple"}
)


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
