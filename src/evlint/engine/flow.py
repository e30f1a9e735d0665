"""Object flow: which eventlet object an expression holds, followed to its method calls.

`x = eventlet.GreenPool()` then `x.spawn_n(f)`: the traversal resolved `eventlet.GreenPool`,
and this pass follows the object it makes through local names (statement by statement,
merging branches), `self.x`/`cls.x` attributes across the methods of a class and the
classes of the file derived from it, module globals, `with ... as t`, what the file's own
functions and properties return, parameters annotated with (or defaulting to) such an
object, bound methods (`spawn = pool.spawn`), `getattr(eventlet, 'spawn')` and the objects
methods return (`gt = pool.spawn(f)`). Where a value may also be something else (another
assignment, a parameter a caller may fill) the site is reported as "may be".

It walks the module again, so it only runs in files where the traversal resolved a name
that makes an object (or annotates one); most files have none.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from typing import Any

from evlint.engine.flow_containers import Containers
from evlint.engine.flow_definitions import Definitions
from evlint.engine.flow_facts import Facts
from evlint.engine.flow_values import (
    NOTHING,
    OTHER,
    UNKNOWN_VALUE,
    BoundMethod,
    ClassInfo,
    Frame,
    FunctionRef,
    Made,
    Maker,
    MethodSite,
    Relevance,
    Returned,
    SelfOf,
    Value,
    Values,
    followed,
    followed_change,
    same_shape,
    union,
)
from evlint.objects import ObjectTable

_Function = ast.FunctionDef | ast.AsyncFunctionDef
_Comprehension = ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp
_ROUNDS = 4  # rounds that walk again functions whose reads were stale (facts feed each other)
_LOOP_DEPTH = 3  # loops nested deeper are walked once, not twice


class FlowWalk(Definitions, Containers):
    """Walks a module's statements with `Frame`s, recording method sites on eventlet objects."""

    def __init__(
        self,
        table: ObjectTable,
        makers: dict[int, Values],
        getattr_makers: dict[int, str],
        relevance: Relevance,
    ) -> None:
        self.table = table
        self.relevance = relevance
        self.makers = makers  # id of a name's node -> what it is (a Maker, or the index's facts)
        self.getattr_makers = getattr_makers  # id of getattr's first argument -> type
        self.sites: dict[int, MethodSite] = {}
        self.facts = Facts()
        self.classes: dict[int, ClassInfo] = {}
        self._units: dict[int, tuple[_Function, Frame, int | None]] = {}
        self._maker_parameters: set[int] = set()  # functions with a parameter that may be an object
        self._hot: set[str] = set()  # (the module frame's: names, attributes, functions followed)
        self._loops = 0

    def run(self, tree: ast.Module) -> dict[int, MethodSite]:
        """Walk the module's statements, then each function that uses a name which came to
        hold an eventlet object (or names a maker), until none is left; a function is walked
        again only when it read an attribute or a return value before that was complete
        (facts only grow, so a walk whose reads all saw final facts is final)."""
        module = Frame(None)
        module.hot = self._hot
        self._walk_unit(None, partial(self._block, tree.body, module))
        stale_rounds = 0
        while True:  # each round walks new functions (each once) or stale ones (at most _ROUNDS)
            stale = self.facts.stale_units() if stale_rounds < _ROUNDS else set()
            new = [key for key in self._units if key not in self.facts.walked and self._relevant(key)]
            if not stale and not new:
                break
            stale_rounds += 1 if stale else 0
            if None in stale:
                module.current = {}
                self._walk_unit(None, partial(self._block, tree.body, module))
            for key, (node, parent, class_key) in list(self._units.items()):
                if key in stale or key in new:
                    self._walk_unit(key, partial(self._function_body, node, parent, class_key))
        return self.sites

    def _relevant(self, key: int) -> bool:
        relevance = self.relevance
        if key in relevance.makers or key in self._maker_parameters:
            return True
        return not self._hot.isdisjoint(relevance.words.get(key, ()))

    def _walk_unit(self, key: int | None, walk: Callable[[], None]) -> None:
        outer, self.facts.unit = self.facts.unit, key
        self.facts.reads[key] = []
        if key is not None:
            self.facts.walked.add(key)
        walk()
        self.facts.unit = outer

    # -- statements -------------------------------------------------------------------

    def _block(self, statements: Iterable[ast.stmt], frame: Frame) -> None:
        for statement in statements:
            self._statement(statement, frame)

    def _statement(self, node: ast.stmt, frame: Frame) -> None:
        handler = _STATEMENTS.get(type(node))
        if handler is not None:
            handler(self, node, frame)
            return
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.expr):
                self._expr(child, frame)
            elif isinstance(child, ast.stmt):
                self._statement(child, frame)

    def _augmented(self, node: ast.AugAssign, frame: Frame) -> None:
        self._expr(node.value, frame)
        self._bind(node.target, UNKNOWN_VALUE, frame)

    def _return(self, node: ast.Return, frame: Frame) -> None:
        values = self._expr(node.value, frame) if node.value is not None else NOTHING
        if frame.function_key is not None:
            self.facts.returns.setdefault(frame.function_key, set()).update(values)
            if followed(values):
                self._hot.add(self._units[frame.function_key][0].name)

    def _if(self, node: ast.If, frame: Frame) -> None:
        self._expr(node.test, frame)
        self._branches(frame, node.body, node.orelse)

    def _match(self, node: ast.Match, frame: Frame) -> None:
        self._expr(node.subject, frame)
        self._branches(frame, *(case.body for case in node.cases), [])

    @staticmethod
    def _global(node: ast.Global, frame: Frame) -> None:
        frame.declared_global.update(node.names)

    @staticmethod
    def _import(node: ast.Import | ast.ImportFrom, frame: Frame) -> None:
        for alias in node.names:
            frame.set((alias.asname or alias.name).partition(".")[0], UNKNOWN_VALUE)

    def _delete(self, node: ast.Delete, frame: Frame) -> None:
        for target in node.targets:
            self._bind(target, NOTHING, frame)

    def _branches(self, frame: Frame, *bodies: Sequence[ast.stmt]) -> None:
        start, ends = frame.fork(), []
        for body in bodies:
            frame.current = dict(start)
            self._block(body, frame)
            ends.append(frame.current)
        frame.merge(*ends)

    def _loop(self, node: ast.For | ast.AsyncFor | ast.While, frame: Frame) -> None:
        if isinstance(node, ast.While):
            self._expr(node.test, frame)
            elements = NOTHING
        else:
            self._expr(node.iter, frame)
            elements = self._elements(node.iter, frame)
        self._loops += 1
        start = frame.fork()
        self._loop_body(node, elements, frame)
        frame.merge(start, frame.current)
        if self._loops <= _LOOP_DEPTH and followed_change(start, frame.current):
            start = frame.fork()  # a second walk sees what the first left for the next iteration
            self._loop_body(node, elements, frame)
            frame.merge(start, frame.current)
        self._loops -= 1
        self._block(node.orelse, frame)

    def _loop_body(self, node: ast.For | ast.AsyncFor | ast.While, elements: Values, frame: Frame) -> None:
        if not isinstance(node, ast.While):
            self._bind(node.target, elements, frame)
        self._block(node.body, frame)

    def _with(self, node: ast.With | ast.AsyncWith, frame: Frame) -> None:
        for item in node.items:
            values = self._expr(item.context_expr, frame)
            if item.optional_vars is not None:
                types = self.table.types
                entered = frozenset(
                    v for v in values if isinstance(v, Made) and types[v.type].type.enter_returns_self
                )
                bound = entered if entered == values else entered | UNKNOWN_VALUE
                self._bind(item.optional_vars, bound, frame)
        self._block(node.body, frame)

    def _try(self, node: ast.Try, frame: Frame) -> None:
        start = frame.fork()
        self._block(node.body, frame)
        after_body = frame.current
        ends = []
        for handler in node.handlers:
            frame.merge(start, after_body)  # an exception may come before or after any statement
            if handler.type is not None:
                self._expr(handler.type, frame)
            if handler.name is not None:
                frame.set(handler.name, UNKNOWN_VALUE)
            self._block(handler.body, frame)
            ends.append(frame.current)
        frame.current = dict(after_body)
        self._block(node.orelse, frame)
        frame.merge(frame.current, *ends)
        self._block(node.finalbody, frame)

    def _assign(self, node: ast.Assign, frame: Frame) -> None:
        value = node.value
        for target in node.targets:
            if same_shape(target, value):
                assert isinstance(target, ast.Tuple | ast.List) and isinstance(value, ast.Tuple | ast.List)
                pairs = [(t, self._expr(v, frame)) for t, v in zip(target.elts, value.elts, strict=True)]
                for element, values in pairs:
                    self._bind(element, values, frame)
                return
        values = self._expr(value, frame)
        for target in node.targets:
            self._bind(target, values, frame)

    def _annotated(self, node: ast.AnnAssign, frame: Frame) -> None:
        if node.value is not None:
            self._bind(node.target, self._expr(node.value, frame), frame)
            return
        annotated = self._annotation(node.annotation)
        if annotated:
            self._bind(node.target, annotated, frame)

    def _bind(self, target: ast.expr, values: Values, frame: Frame) -> None:
        if isinstance(target, ast.Name):
            frame.set(target.id, values)
            if frame.class_key is not None:  # a class attribute, seen as self.x and cls.x
                self._set_attribute(frame.class_key, target.id, values)
        elif isinstance(target, ast.Attribute):
            for owner in self._expr(target.value, frame):
                if isinstance(owner, SelfOf):
                    self._set_attribute(owner.class_key, target.attr, values)
        elif isinstance(target, ast.Subscript):
            self._store(target, values, frame)
        elif isinstance(target, ast.Tuple | ast.List):
            for element in target.elts:
                inner = element.value if isinstance(element, ast.Starred) else element
                self._bind(inner, UNKNOWN_VALUE, frame)
        else:
            self._expr(target, frame)

    def _set_attribute(self, class_key: int, name: str, values: Values) -> None:
        self.facts.attributes.setdefault((class_key, name), set()).update(values)
        if followed(values):
            self._hot.add(name)

    # -- expressions ------------------------------------------------------------------

    def _expr(self, node: ast.expr, frame: Frame) -> Values:
        handler = _EXPRESSIONS.get(type(node))
        if handler is not None:
            values: Values = handler(self, node, frame)
            return values
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.expr):
                self._expr(child, frame)
        return UNKNOWN_VALUE

    @staticmethod
    def _constant(node: ast.Constant, frame: Frame) -> Values:
        return NOTHING if node.value is None else UNKNOWN_VALUE

    def _if_expression(self, node: ast.IfExp, frame: Frame) -> Values:
        self._expr(node.test, frame)
        return union(self._expr(node.body, frame), self._expr(node.orelse, frame))

    def _bool_operation(self, node: ast.BoolOp, frame: Frame) -> Values:
        return union(*(self._expr(value, frame) for value in node.values))

    def _walrus(self, node: ast.NamedExpr, frame: Frame) -> Values:
        values = self._expr(node.value, frame)
        frame.set(node.target.id, values)
        return values

    def _lambda(self, node: ast.Lambda, frame: Frame) -> Values:
        inner = Frame(frame)
        for argument in (*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs):
            inner.set(argument.arg, UNKNOWN_VALUE)
        self._expr(node.body, inner)
        return UNKNOWN_VALUE

    def _comprehension(self, node: _Comprehension, frame: Frame) -> Values:
        inner = Frame(frame)
        inner.current = frame.fork()
        for generator in node.generators:
            self._expr(generator.iter, inner)
            self._bind(generator.target, self._elements(generator.iter, inner), inner)
            for condition in generator.ifs:
                self._expr(condition, inner)
        results = [node.key, node.value] if isinstance(node, ast.DictComp) else [node.elt]
        for result in results:
            self._expr(result, inner)
        return UNKNOWN_VALUE

    def _name(self, node: ast.Name, frame: Frame) -> Values:
        made_by = self.makers.get(id(node))
        if made_by is not None:
            return made_by
        found = frame.get(node.id)
        return found if found is not None else UNKNOWN_VALUE

    def _attribute(self, node: ast.Attribute, frame: Frame) -> Values:
        made_by = self.makers.get(id(node))
        if made_by is not None:
            return made_by
        owners = self._expr(node.value, frame)
        return self._member(node, owners)

    def _member(self, node: ast.Attribute, owners: Values) -> Values:
        """`owner.attr`: a method of an eventlet object (a site), or an attribute of `self`."""
        name = node.attr
        found: set[Value] = set()
        for owner in owners:
            if isinstance(owner, Made):
                declared = self.table.types[owner.type]
                if name in declared.methods:
                    self.sites.setdefault(id(node), MethodSite(node)).values.update(owners)
                    found.add(BoundMethod(owner, name))
                else:
                    found.add(OTHER)
            elif isinstance(owner, SelfOf):
                found.update(self._class_member(owner.class_key, name, set()) or (OTHER,))
            else:
                found.add(OTHER)
        return frozenset(found)

    def _class_member(self, class_key: int, name: str, seen: set[int]) -> set[Value]:
        """What `self.name` may be in the class (its own and its bases' in the file); empty if
        no class assigns it (set elsewhere, or in a base outside the file)."""
        if class_key in seen:
            return set()
        seen.add(class_key)
        info = self.classes[class_key]
        found = set(self.facts.read((class_key, name)))
        method = info.methods.get(name)
        if method is not None:
            found.update(self.facts.read(method) if name in info.properties else (FunctionRef(method),))
        for base in info.bases:
            found.update(self._class_member(base, name, seen))
        return found

    def _call(self, node: ast.Call, frame: Frame) -> Values:
        callees = self._expr(node.func, frame)
        passed = [self._expr(a.value if isinstance(a, ast.Starred) else a, frame) for a in node.args]
        named = {k.arg: self._expr(k.value, frame) for k in node.keywords}
        self._put(node, passed, frame)
        if any(followed(values) for values in (*passed, *named.values())):
            for callee in callees:
                if isinstance(callee, FunctionRef):
                    self._pass_arguments(callee.key, node, passed, named)
        given = self._getattr_maker(node) or self._lookup(node, frame)
        if given is not None:  # `getattr(eventlet, 'spawn')` is the factory itself; a dict's entry
            return given
        made: set[Value] = set()
        for callee in callees:
            if isinstance(callee, Maker):
                made.add(Made(callee.type, node, node.lineno, derived=callee.derived))
            elif isinstance(callee, Returned):
                made.update(callee.values)
            elif isinstance(callee, BoundMethod):
                method = self.table.types[callee.made.type].methods[callee.method]
                if method.returns is not None and method.returns in self.table.types:
                    made.add(Made(method.returns, node, node.lineno))
                else:
                    made.add(OTHER)
            elif isinstance(callee, FunctionRef):
                made.update(self._call_result(callee.key, node))
            else:
                made.add(OTHER)
        return frozenset(made)

    def _call_result(self, key: int, node: ast.Call) -> Iterable[Value]:
        """What calling a function of the file gives; a class of the file derived from an
        eventlet class makes that object."""
        info = self.classes.get(key)
        if info is None:
            return self.facts.read(key)
        if info.maker is None:
            return (OTHER,)
        return (Made(info.maker.type, node, node.lineno, derived=info.maker.derived),)

    def _getattr_maker(self, node: ast.Call) -> Values | None:
        if len(node.args) == 2 and isinstance(node.func, ast.Name) and node.func.id == "getattr":
            made_by = self.getattr_makers.get(id(node.args[0]))
            return frozenset((Maker(made_by),)) if made_by is not None else None
        return None


_Handler = Callable[[FlowWalk, Any, Frame], Any]
_STATEMENTS: dict[type[ast.AST], _Handler] = {
    ast.Assign: FlowWalk._assign,
    ast.AnnAssign: FlowWalk._annotated,
    ast.AugAssign: FlowWalk._augmented,
    ast.Return: FlowWalk._return,
    ast.FunctionDef: FlowWalk._define,
    ast.AsyncFunctionDef: FlowWalk._define,
    ast.ClassDef: FlowWalk._class,
    ast.If: FlowWalk._if,
    ast.For: FlowWalk._loop,
    ast.AsyncFor: FlowWalk._loop,
    ast.While: FlowWalk._loop,
    ast.With: FlowWalk._with,
    ast.AsyncWith: FlowWalk._with,
    ast.Try: FlowWalk._try,
    ast.Global: lambda walk, node, frame: FlowWalk._global(node, frame),
    ast.Import: lambda walk, node, frame: FlowWalk._import(node, frame),
    ast.ImportFrom: lambda walk, node, frame: FlowWalk._import(node, frame),
    ast.Delete: FlowWalk._delete,
    ast.Match: FlowWalk._match,
}
if hasattr(ast, "TryStar"):  # Python 3.11+
    _STATEMENTS[ast.TryStar] = FlowWalk._try
_EXPRESSIONS: dict[type[ast.AST], _Handler] = {
    ast.Name: FlowWalk._name,
    ast.Attribute: FlowWalk._attribute,
    ast.Call: FlowWalk._call,
    ast.Subscript: FlowWalk._subscript,
    ast.Constant: lambda walk, node, frame: FlowWalk._constant(node, frame),
    ast.IfExp: FlowWalk._if_expression,
    ast.BoolOp: FlowWalk._bool_operation,
    ast.NamedExpr: FlowWalk._walrus,
    ast.Lambda: FlowWalk._lambda,
    ast.ListComp: FlowWalk._comprehension,
    ast.SetComp: FlowWalk._comprehension,
    ast.GeneratorExp: FlowWalk._comprehension,
    ast.DictComp: FlowWalk._comprehension,
}
