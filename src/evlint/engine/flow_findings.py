"""The object-flow pass's input and output: the names the traversal resolved to something
that makes an eventlet object, and each method site found on one, as a finding."""

from __future__ import annotations

import ast
from collections.abc import Iterable
from itertools import groupby
from operator import itemgetter

from evlint.engine.arguments import MethodArguments
from evlint.engine.collect import _Collector
from evlint.engine.flow import FlowWalk
from evlint.engine.flow_project import ProjectObjects, project_objects
from evlint.engine.flow_values import Made, Maker, MethodSite, Relevance, Values
from evlint.engine.match import _Finding, _Matcher
from evlint.engine.sites import _Use
from evlint.model import Origin
from evlint.names import Resolver, Scope
from evlint.objects import ObjectTable

_RECEIVER_WIDTH = 24
_LINES_SHOWN = 3


def object_findings(
    tree: ast.Module, collector: _Collector, matcher: _Matcher, table: ObjectTable, reportable: int
) -> list[_Finding]:
    """Method calls (and references) on the eventlet objects the file makes."""
    if not table:
        return []
    resolver = matcher.resolver
    units = _UnitOf(collector)
    makers, maker_units = _maker_names(matcher.resolved, table, units)
    if isinstance(resolver.project, ProjectObjects):
        makers.update(project_objects(matcher.resolved, resolver.project, table, units, maker_units))
    getattr_makers = _getattr_makers(collector, resolver, table, units, maker_units)
    if not makers and not getattr_makers:  # most files: nothing to follow, no second walk
        return []
    relevance = Relevance(units.words(collector), frozenset(maker_units))
    sites = FlowWalk(table, makers, getattr_makers, relevance).run(tree)
    findings: list[_Finding] = []
    meets_arguments = MethodArguments(table, collector.uses)  # methods declaring `argument:`
    for site in filter(meets_arguments, sites.values()):
        findings.extend(f for f in _site_findings(site, table) if f.rule_index < reportable)
    return findings


class _UnitOf:
    """The function (def node id; None for the module's own statements) a scope belongs to:
    comprehensions and lambdas belong to the function around them."""

    def __init__(self, collector: _Collector) -> None:
        self._function_of_scope = {id(scope): key for key, scope in collector.function_scopes.items()}
        self._cache: dict[int, int | None] = {}

    def __call__(self, scope: Scope) -> int | None:
        key = id(scope)
        found = self._cache.get(key, _MISSING)
        if found is not _MISSING:
            return found  # type: ignore[return-value]
        walk: Scope | None = scope
        unit = None
        while walk is not None:
            unit = self._function_of_scope.get(id(walk))
            if unit is not None:
                break
            walk = walk.parent
        self._cache[key] = unit
        return unit

    def words(self, collector: _Collector) -> dict[int | None, frozenset[str]]:
        """The names and attributes each function's code uses."""
        words: dict[int | None, set[str]] = {}
        of_scope: dict[int, set[str]] = {}
        # (uses come in the order of the code: a run of them shares a scope, whose unit is
        # worked out once and whose chains are added in one call)
        for scope, uses in groupby(collector.uses, key=_SCOPE_OF):
            found = of_scope.get(id(scope))
            if found is None:
                found = of_scope[id(scope)] = words.setdefault(self(scope), set())
            found.update(*map(_CHAIN_OF, uses))
        return {unit: frozenset(found) for unit, found in words.items()}


_MISSING = object()
_SCOPE_OF, _CHAIN_OF = itemgetter(1), itemgetter(2)  # (`_Use.scope`, `_Use.chain`)


def _maker_names(
    resolved: list[tuple[_Use, list[tuple[str, str | None]]]], table: ObjectTable, units: _UnitOf
) -> tuple[dict[int, Values], set[int | None]]:
    """Nodes (callees, annotations, aliases) that name a class or factory of an eventlet
    object, and the functions they are in, from the uses the matcher resolved."""
    found: dict[int, Values] = {}
    in_units: set[int | None] = set()
    makers = table.makers
    for use, targets in resolved:
        if len(targets) == 1:  # (most uses: one name, and no maker)
            if targets[0][0] not in makers:
                continue
            types = [makers[targets[0][0]]]
        else:
            types = sorted({makers[name] for name, _ in targets if name in makers})
        if types:
            found[id(use.node)] = frozenset((Maker(types[0]),))
            in_units.add(units(use.scope))
    return found, in_units


def _getattr_makers(
    collector: _Collector, resolver: Resolver, table: ObjectTable, units: _UnitOf, in_units: set[int | None]
) -> dict[int, str]:
    """`getattr(eventlet, 'spawn')`: its first argument's node -> the type the result makes
    (and the function it is in, added to `in_units`)."""
    found: dict[int, str] = {}
    for site in collector.attribute_strings:
        if "builtins.getattr" not in resolver.resolve(site.scope, site.callee):
            continue
        for target in resolver.resolve(site.scope, site.chain):
            type_name = table.makers.get(f"{target}.{site.name}")
            if type_name is not None:
                found[id(site.target)] = type_name
                in_units.add(units(site.scope))
    return found


def _site_findings(site: MethodSite, table: ObjectTable) -> Iterable[_Finding]:
    method = site.node.attr
    by_rule: dict[int, list[Made]] = {}
    for value in site.values:
        if isinstance(value, Made) and method in table.types[value.type].methods:
            by_rule.setdefault(table.types[value.type].rule_index, []).append(value)
    for rule_index, made in sorted(by_rule.items()):
        may_be = len(made) < len(site.values)
        first = min(made, key=lambda m: (m.where is not None, m.line))
        declared = table.types[first.type]
        spec = declared.methods[method]
        details = (
            ("receiver", _receiver(site.node.value)),
            ("method", method),
            ("object", _object_phrase(made, may_be)),
            ("use", spec.use),
            ("api", "the API changes" if spec.api_changes else "same API"),
        )
        name = _method_name(site.node)
        elsewhere = None if first.where is None else Origin(first.where, first.line)
        yield _Finding(
            rule_index,
            name,
            name,
            f"{first.type}.{method}",
            details=details,
            origin=first.node if elsewhere is None else None,
            origin_elsewhere=elsewhere,
        )


def _method_name(node: ast.Attribute) -> ast.AST:
    """Where the method's name is written (`spawn_n` in `self._pool.spawn_n`): the finding's span,
    so it never shares a start with a finding on the receiver (`eventlet.spawn(f).kill`)."""
    end_line, end_column = node.end_lineno or node.lineno, node.end_col_offset or 0
    start = end_column - len(node.attr.encode("utf-8"))
    return ast.Name(
        node.attr, lineno=end_line, col_offset=start, end_lineno=end_line, end_col_offset=end_column
    )


def _receiver(node: ast.expr) -> str:
    text = ast.unparse(node)
    return text if len(text) <= _RECEIVER_WIDTH else "…" + text[-(_RECEIVER_WIDTH - 1) :]


def display_type(type_name: str) -> str:
    """`eventlet.greenpool.GreenPool` as users write it: `eventlet.GreenPool`."""
    root, _, rest = type_name.partition(".")
    return f"{root}.{rest.rpartition('.')[2]}" if rest else type_name


def _object_phrase(made: list[Made], may_be: bool) -> str:
    """`the eventlet.GreenPool made at line 41`, or `what may be the ...` when it may not."""
    types = sorted({_type_phrase(m) for m in made})
    here = sorted({m.line for m in made if m.where is None})
    there = sorted({f"{m.where}:{m.line}" for m in made if m.where is not None})
    places = [*(str(line) for line in here), *there]
    shown = ", ".join(places[:_LINES_SHOWN])
    if len(places) > _LINES_SHOWN:
        shown += ", …"
    verb = "annotated" if all(m.annotated for m in made) else "made"
    if not here:
        where = f"{verb} at {shown}"
    else:
        where = f"{verb} at line {shown}" if len(places) == 1 else f"{verb} at lines {shown}"
    return f"{'what may be ' if may_be else ''}the {' or '.join(types)} {where}"


def _type_phrase(made: Made) -> str:
    """`eventlet.GreenPool`, or `SSHPool (an eventlet.Pool)` for a project class derived from it."""
    shown = display_type(made.type)
    return f"{made.derived} (an {shown})" if made.derived else shown
