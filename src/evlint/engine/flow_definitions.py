"""The object-flow walk's definitions: functions (their parameters, what calls pass them),
classes, annotations. A part of `FlowWalk` (engine/flow), which walks statements and
expressions."""

from __future__ import annotations

import ast
from collections.abc import Iterable

from evlint.engine.flow_facts import ARGUMENT, Facts
from evlint.engine.flow_values import (
    NOTHING,
    UNKNOWN_VALUE,
    ClassInfo,
    Frame,
    FunctionRef,
    Made,
    Maker,
    SelfOf,
    Values,
    annotated_arguments,
    decorator_name,
    followed,
    is_static,
    union,
)

_Function = ast.FunctionDef | ast.AsyncFunctionDef
_PROPERTIES = frozenset({"property", "cached_property"})


class Definitions:
    """Functions and classes as the walk meets them; `FlowWalk` provides the walking."""

    facts: Facts
    classes: dict[int, ClassInfo]
    makers: dict[int, Values]
    _units: dict[int, tuple[_Function, Frame, int | None]]
    _maker_parameters: set[int]
    _hot: set[str]

    def _expr(self, node: ast.expr, frame: Frame) -> Values:
        raise NotImplementedError

    def _block(self, statements: Iterable[ast.stmt], frame: Frame) -> None:
        raise NotImplementedError

    def _define(self, node: _Function, frame: Frame) -> None:
        for part in node.decorator_list:
            self._expr(part, frame)
        for default in (*node.args.defaults, *node.args.kw_defaults):
            if default is not None and followed(self._expr(default, frame)):
                self._maker_parameters.add(id(node))
        frame.set(node.name, frozenset((FunctionRef(id(node)),)))
        class_key = frame.class_key
        if class_key is not None:
            info = self.classes[class_key]
            info.methods[node.name] = id(node)
            if any(decorator_name(d) in _PROPERTIES for d in node.decorator_list):
                info.properties.add(node.name)
        parent = frame.parent if class_key is not None and frame.parent is not None else frame
        if id(node) not in self._units:  # walked when relevant, again only when its reads were stale
            self._units[id(node)] = (node, parent, class_key)
            if any(self._annotation(a.annotation) for a in annotated_arguments(node.args) if a.annotation):
                self._maker_parameters.add(id(node))

    def _function_body(self, node: _Function, parent: Frame, class_key: int | None) -> None:
        frame = Frame(parent, id(node))
        arguments = node.args
        positional = [*arguments.posonlyargs, *arguments.args]
        defaults: list[ast.expr | None] = [None] * (len(positional) - len(arguments.defaults))
        defaults.extend(arguments.defaults)
        pairs = [
            *zip(positional, defaults, strict=True),
            *zip(arguments.kwonlyargs, arguments.kw_defaults, strict=True),
        ]
        for index, (argument, default) in enumerate(pairs):
            if index == 0 and class_key is not None and not is_static(node) and positional:
                frame.set(argument.arg, frozenset((SelfOf(class_key),)))
                continue
            given = self.facts.read((id(node), argument.arg, ARGUMENT))
            declared = self._parameter(argument, default, parent)
            frame.set(argument.arg, declared | given if given else declared)
        for rest in (arguments.vararg, arguments.kwarg):
            if rest is not None:
                frame.set(rest.arg, UNKNOWN_VALUE)
        self._block(node.body, frame)

    def _parameter(self, argument: ast.arg, default: ast.expr | None, parent: Frame) -> Values:
        """An annotated parameter holds the object; one that defaults to it may hold another."""
        if argument.annotation is not None:
            annotated = self._annotation(argument.annotation)
            if annotated:
                return annotated
        if default is not None:
            made = frozenset(v for v in self._expr(default, parent) if isinstance(v, Made))
            if made:
                return made | UNKNOWN_VALUE
        return UNKNOWN_VALUE

    def _annotation(self, node: ast.expr) -> Values:
        """`GreenPool`, `Optional[GreenPool]`, `GreenPool | None`: the object, annotated."""
        if isinstance(node, ast.Subscript):
            return self._annotation(node.slice)
        if isinstance(node, ast.BinOp):
            return union(self._annotation(node.left), self._annotation(node.right))
        if isinstance(node, ast.Tuple):
            return union(*(self._annotation(element) for element in node.elts))
        made_by = self.makers.get(id(node), NOTHING)
        return frozenset(
            Made(maker.type, node, node.lineno, annotated=True, derived=maker.derived)
            for maker in made_by
            if isinstance(maker, Maker)
        )

    def _class(self, node: ast.ClassDef, frame: Frame) -> None:
        info = ClassInfo()
        for base in node.bases:
            for value in self._expr(base, frame):
                if isinstance(value, FunctionRef) and value.key in self.classes:
                    info.bases.append(value.key)
                    base_maker = self.classes[value.key].maker
                    if base_maker is not None and info.maker is None:
                        info.maker = Maker(base_maker.type, node.name)
                elif isinstance(value, Maker) and info.maker is None:
                    info.maker = Maker(value.type, node.name)
        if info.maker is not None:
            self._hot.add(node.name)
        for part in (*node.decorator_list, *(k.value for k in node.keywords)):
            self._expr(part, frame)
        self.classes[id(node)] = info
        frame.set(node.name, frozenset((FunctionRef(id(node)),)))  # a class: only its key matters
        body = Frame(frame)
        body.class_key = id(node)
        self._block(node.body, body)

    def _pass_arguments(
        self, key: int, node: ast.Call, passed: list[Values], named: dict[str | None, Values]
    ) -> None:
        """Objects passed to a function (or class) of the file reach its parameters."""
        info = self.classes.get(key)
        target = info.methods.get("__init__") if info is not None else key
        if target is None or target not in self._units:
            return
        function, _, class_key = self._units[target]
        parameters = [a.arg for a in (*function.args.posonlyargs, *function.args.args)]
        if class_key is not None and not any(
            decorator_name(d) == "staticmethod" for d in function.decorator_list
        ):
            parameters = parameters[1:]  # `self` (a method called on self, or a class called)
        by_name: dict[str, Values] = {}
        for index, values in enumerate(passed):
            if isinstance(node.args[index], ast.Starred) or index >= len(parameters):
                break
            by_name[parameters[index]] = values
        by_name.update((name, values) for name, values in named.items() if name is not None)
        for name, values in by_name.items():
            if followed(values):
                self.facts.arguments.setdefault((target, name, ARGUMENT), set()).update(values)
                self._maker_parameters.add(target)
