"""What the object-flow walk learns across functions, and which walks read it too early.

A function's returns, a class's attributes and what calls in the file pass a function's
parameters only grow while the module is walked; a walk that read one of them before it
was complete is stale and is walked again (`FlowWalk.run`).
"""

from __future__ import annotations

from evlint.engine.flow_values import OTHER, Value

ARGUMENT = "argument"
# A function's returns (its key), an attribute (class key, name), or what calls in the file
# pass a parameter (function key, name, ARGUMENT).
# A container's elements: ("items", the function or class holding it, its name).
ItemsKey = tuple[str, int | None, str]
Fact = int | tuple[int, str] | tuple[int, str, str] | ItemsKey


class Facts:
    def __init__(self) -> None:
        self.returns: dict[int, set[Value]] = {}
        self.attributes: dict[tuple[int, str], set[Value]] = {}
        self.arguments: dict[tuple[int, str, str], set[Value]] = {}
        self.items: dict[ItemsKey, set[Value]] = {}
        self.unit: int | None = None  # the function being walked (None: the module's statements)
        self.reads: dict[int | None, list[tuple[Fact, int]]] = {}
        self.walked: set[int] = set()

    def stale_units(self) -> set[int | None]:
        stale: set[int | None] = set()
        for unit, reads in self.reads.items():
            for fact, size in reads:
                facts = self._facts(fact)
                if facts is not None and len(facts) > size:
                    stale.add(unit)
                    break
        return stale

    def _facts(self, fact: Fact) -> set[Value] | None:
        if isinstance(fact, int):
            return self.returns.get(fact)
        if len(fact) == 2:
            return self.attributes.get(fact)
        if isinstance(fact[0], str):
            return self.items.get(fact)
        return self.arguments.get(fact)

    def read(self, fact: Fact) -> set[Value]:
        """A fact, noted as read by this walk; a function not walked (it uses no followed
        name) returns something else."""
        facts = self._facts(fact)
        if isinstance(fact, int) and fact not in self.walked:
            self.reads.setdefault(self.unit, []).append((fact, 0))
            return facts or {OTHER}
        self.reads.setdefault(self.unit, []).append((fact, len(facts or ())))
        return facts or set()
