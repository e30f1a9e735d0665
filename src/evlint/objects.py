"""The object types the rules declare (`match: object:`), as the flow pass looks them up:
which qualified names make which type, and each type's methods with the rule reporting them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from evlint.contextual import argument_condition
from evlint.model import ObjectMethod, ObjectType, Rule

OBJECT_PLACEHOLDERS = frozenset({"receiver", "method", "object", "use", "api"})


@dataclass(frozen=True)
class DeclaredType:
    """An object type and the rule (by index in the compiled rules) that reports its methods."""

    rule_index: int
    type: ObjectType
    methods: Mapping[str, ObjectMethod]


class ObjectTable:
    """Object types by name, and by each qualified name that makes one."""

    def __init__(self) -> None:
        self.types: dict[str, DeclaredType] = {}
        self.makers: dict[str, str] = {}  # qualified name whose call gives the object -> type

    def add(self, declared: ObjectType, rule_index: int) -> None:
        if declared.name in self.types:  # the first rule (in code order) to declare a type owns it
            return
        methods = {method.name: method for method in declared.methods}
        self.types[declared.name] = DeclaredType(rule_index, declared, methods)
        for maker in declared.made_by:
            self.makers.setdefault(maker, declared.name)

    def __bool__(self) -> bool:
        return bool(self.types)

    @property
    def roots(self) -> frozenset[str]:
        return frozenset(maker.partition(".")[0] for maker in self.makers)

    @classmethod
    def for_rules(cls, rules: Sequence[Rule]) -> ObjectTable:
        table = cls()
        for index, rule in enumerate(rules):
            for declared in rule.selectors.objects:
                table.add(declared, index)
        return table


def object_types(items: Sequence[Mapping[str, object]]) -> tuple[ObjectType, ...]:
    """The `match: object:` entries of a rule file (already schema-valid) as model values."""
    types = []
    for item in items:
        methods = item["methods"]
        assert isinstance(methods, Mapping)
        made_by = item["made-by"]
        assert isinstance(made_by, Sequence)
        types.append(
            ObjectType(
                name=str(item["type"]),
                made_by=tuple(str(name) for name in made_by),
                methods=tuple(
                    ObjectMethod(
                        name=name,
                        use=str(spec["use"]).strip(),
                        api_changes=bool(spec.get("api-changes", True)),
                        returns=spec.get("returns"),
                        argument=argument_condition(spec.get("argument")),
                    )
                    for name, spec in methods.items()
                ),
                enter_returns_self=bool(item.get("enter-returns-self", False)),
                unless_made_with=argument_condition(_table(item.get("unless-made-with"))),
            )
        )
    return tuple(types)


def _table(value: object) -> Mapping[str, object] | None:
    return value if isinstance(value, Mapping) else None
