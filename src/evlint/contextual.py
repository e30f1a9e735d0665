"""The table of contextual call selectors: calls matched by where they are as well as what
they call (`eventlet.sleep` inside `async def`, `GreenPool(1000)`, `monkey_patch()` after
`import threading`). Compiled with the other tables (`ruleset`), matched by
`evlint.engine.contexts` once a file's uses are resolved.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from evlint.model import ArgumentCondition, CallSelector

# The contexts a selector may name in `inside` / `outside` (the rule schema lists the same).
ASYNC_DEF = "async-def"  # the nearest enclosing function is `async def`
LOOP = "loop"  # a `for` or `while` body of the same function
WHILE_TRUE = "while-true"  # the nearest enclosing loop is `while True:` (or `while 1:`)
GREEN_CODE = "green-code"  # a function the module hands to a green spawn (`eventlet.spawn(f)`)
DUAL_MODE_GUARD = "dual-mode-guard"  # a branch of an `if` that asks whether eventlet is in charge
EVENTLET_MODULE = "eventlet-module"  # the module imports eventlet or greenlet
CONTEXTS = frozenset({ASYNC_DEF, LOOP, WHILE_TRUE, GREEN_CODE, DUAL_MODE_GUARD, EVENTLET_MODULE})

# The kinds of function an `argument` condition may ask for: neither pickles (pickle stores a
# function by its qualified name, and `<lambda>` or `f.<locals>.g` cannot be looked up).
LAMBDA = "lambda"
NESTED_FUNCTION = "nested-function"
ARGUMENT_KINDS = frozenset({LAMBDA, NESTED_FUNCTION})

# A module that imports none of these cannot hold green code or an eventlet module: the
# pre-filter may skip it for a selector that needs either context.
GREEN_ROOTS = ("eventlet", "greenlet")


def call_selector(data: Mapping[str, Any]) -> CallSelector:
    """A `call:` item of a rule file given as a table (validated by the schema already)."""
    return CallSelector(
        data["name"],
        tuple(data.get("args", ())),
        tuple(data.get("keywords", {}).items()),
        inside=tuple(data.get("inside", ())),
        outside=tuple(data.get("outside", ())),
        after_import=tuple(data.get("after-import", ())),
        min_size=data.get("min-size"),
        argument=argument_condition(data.get("argument")),
        after_call=tuple(data.get("after-call", ())),
        unless_caught=tuple(data.get("unless-caught", ())),
    )


def argument_condition(data: Mapping[str, Any] | None) -> ArgumentCondition | None:
    """An `argument:` table (of a `call:` item or an object's method), schema-valid already."""
    if data is None:
        return None
    return ArgumentCondition(
        position=data.get("position"),
        keyword=data.get("keyword"),
        kinds=tuple(data.get("kind", ())),
        absent=bool(data.get("absent", False)),
        values=tuple(data.get("values", ())),
    )


def needs_green_module(selector: CallSelector) -> bool:
    """Whether the selector can only match in a module that imports eventlet or greenlet."""
    return bool({GREEN_CODE, EVENTLET_MODULE} & set(selector.inside))


class ContextualCalls:
    """Contextual selectors by the qualified name they call; `a.b.*` names what is below `a.b`."""

    def __init__(self) -> None:
        self._exact: dict[str, list[tuple[int, CallSelector]]] = {}
        self._below: dict[str, list[tuple[int, CallSelector]]] = {}
        self._roots: set[str] = set()

    def add(self, selector: CallSelector, rule_index: int) -> None:
        name = selector.name
        self._roots.add(name.partition(".")[0])
        if name.endswith(".*"):
            self._below.setdefault(name[:-2], []).append((rule_index, selector))
        else:
            self._exact.setdefault(name, []).append((rule_index, selector))

    def __bool__(self) -> bool:
        return bool(self._roots)

    @property
    def roots(self) -> frozenset[str]:
        return frozenset(self._roots)

    def match(self, qname: str) -> list[tuple[int, CallSelector]]:
        if qname.partition(".")[0] not in self._roots:
            return []
        hits = list(self._exact.get(qname, ()))
        end = qname.rfind(".")
        while end > 0:
            hits.extend(self._below.get(qname[:end], ()))
            end = qname.rfind(".", 0, end)
        return hits
