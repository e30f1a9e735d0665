"""What the object-flow pass (`flow`) knows about a value, and where: the abstract values,
the frames that hold them while a function is walked, and the method sites it records.

A value is a set of possibilities: an eventlet object with the line it was made on, a bound
method of one, a name whose call makes one, `self` of a class of the file, a function of
the file, or OTHER (anything the pass does not follow). `None` adds nothing: a method
called on the value cannot have been called on None.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Made:
    """An eventlet object of `type`, made (or `annotated`) at `node`."""

    type: str
    node: ast.AST = field(compare=False)
    line: int
    annotated: bool = False
    where: str | None = None  # made in another module: its path (`line` is that file's)
    derived: str | None = None  # made by a project class derived from the eventlet class


@dataclass(frozen=True)
class BoundMethod:
    """`pool.spawn` as a value (`spawn = pool.spawn`)."""

    made: Made
    method: str


@dataclass(frozen=True)
class Maker:
    """A name whose call makes an object of `type` (`getattr(eventlet, 'spawn')`); `derived`:
    a project class derived from the eventlet class."""

    type: str
    derived: str | None = None


@dataclass(frozen=True)
class Returned:
    """A project function of another module whose call gives `values` (the index's facts)."""

    values: frozenset[Made | _Other]


@dataclass(frozen=True)
class SelfOf:
    """`self` or `cls` in a method of the class defined at `class_key`."""

    class_key: int


@dataclass(frozen=True)
class FunctionRef:
    """A function or method defined in the file (its `return`s give its call's value)."""

    key: int


class _Other:
    def __repr__(self) -> str:
        return "OTHER"


OTHER = _Other()
Value = Made | BoundMethod | Maker | Returned | SelfOf | FunctionRef | _Other
Values = frozenset[Value]
NOTHING: Values = frozenset()
UNKNOWN_VALUE: Values = frozenset((OTHER,))


class Frame:
    """The names of one function (or module, or class body) while it is walked.

    `current` follows the statements in order (an assignment replaces, branches merge);
    `ever` is every value a name was ever given here, what nested functions see.
    """

    __slots__ = ("class_key", "current", "declared_global", "ever", "function_key", "hot", "parent")

    def __init__(self, parent: Frame | None, function_key: int | None = None) -> None:
        self.parent = parent
        self.function_key = function_key
        self.class_key: int | None = None  # set on a class body's frame
        self.current: dict[str, Values] = {}
        self.ever: dict[str, set[Value]] = {}
        self.declared_global: set[str] = set()
        # Names any frame of the module gave a followed value (one set, shared by all).
        self.hot: set[str] = parent.hot if parent is not None else set()

    @property
    def module(self) -> Frame:
        frame = self
        while frame.parent is not None:
            frame = frame.parent
        return frame

    def set(self, name: str, values: Values) -> None:
        if followed(values):
            self.hot.add(name)
        if name in self.declared_global and self.parent is not None:
            self.module.ever.setdefault(name, set()).update(values)
            return
        self.current[name] = values
        self.ever.setdefault(name, set()).update(values)

    def get(self, name: str) -> Values | None:
        if name in self.declared_global:
            found = self.module.ever.get(name)
            return frozenset(found) if found is not None else None
        if name in self.current:
            return self.current[name]
        frame = self.parent
        while frame is not None:
            if frame.class_key is None and name in frame.ever:  # class bodies do not enclose
                return frozenset(frame.ever[name])
            frame = frame.parent
        return None

    def fork(self) -> dict[str, Values]:
        return dict(self.current)

    def merge(self, *branches: dict[str, Values]) -> None:
        """The names after branches that each started from a fork of `current`."""
        merged: dict[str, set[Value]] = {}
        for branch in branches:
            for name, values in branch.items():
                merged.setdefault(name, set()).update(values)
        self.current = {name: frozenset(values) for name, values in merged.items()}


@dataclass
class ClassInfo:
    bases: list[int] = field(default_factory=list)  # classes of the file it derives from
    maker: Maker | None = None  # derived from an eventlet class: its call makes that object
    methods: dict[str, int] = field(default_factory=dict)  # name -> function key
    properties: set[str] = field(default_factory=set)


@dataclass
class MethodSite:
    """`receiver.method` where the receiver may hold eventlet objects (and maybe other values)."""

    node: ast.Attribute
    values: set[Value] = field(default_factory=set)


def followed(values: Iterable[Value]) -> bool:
    """Whether a value may be an eventlet object, a bound method of one or a factory of one."""
    return any(isinstance(value, Made | BoundMethod | Maker | Returned) for value in values)


@dataclass(frozen=True)
class Relevance:
    """Which functions the walk needs: the words (names, attributes) each one's code uses,
    and those that name a class or factory of an eventlet object. A function using none of
    the names that came to hold such an object cannot call a method on one."""

    words: Mapping[int | None, frozenset[str]]  # function (def node id; None: module) -> words
    makers: frozenset[int | None]


def union(*values: Values) -> Values:
    return frozenset().union(*values)


def same_shape(target: ast.expr, value: ast.expr) -> bool:
    """`a, b = x, y`: each name gets its own value."""
    if not (isinstance(target, ast.Tuple | ast.List) and isinstance(value, ast.Tuple | ast.List)):
        return False
    elements = (*target.elts, *value.elts)
    return len(target.elts) == len(value.elts) and not any(isinstance(e, ast.Starred) for e in elements)


def decorator_name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def annotated_arguments(arguments: ast.arguments) -> list[ast.arg]:
    every = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
    return [argument for argument in every if argument.annotation is not None]


def followed_change(before: dict[str, Values], after: dict[str, Values]) -> bool:
    """Whether a name changed to or from a value the pass follows (anything but OTHER)."""
    for name, values in after.items():
        old = before.get(name)
        if old != values and any(v is not OTHER for v in (*values, *(old or ()))):
            return True
    return False


def is_static(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    return any(decorator_name(d) == "staticmethod" for d in function.decorator_list)
