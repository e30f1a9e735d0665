"""The lookups (`_Matcher`): each candidate site the traversal collected is resolved to
qualified names once and looked up in the compiled rule tables, so the cost does not grow
with the number of rules."""

from __future__ import annotations

import ast
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from evlint.engine.collect import _Collector
from evlint.engine.contexts import Candidate, contextual_hits
from evlint.engine.sites import Literal, _Keyword, _literal, _Use
from evlint.fix.propose import ImportSite, KeywordSite, Site, UseSite
from evlint.model import CallSelector, KeywordSelector, Origin
from evlint.names import BUILTIN_NAMES, CALL, MODULE_IMPORTERS, ProjectNames, Resolver
from evlint.ruleset import CompiledRules

# Calls that name an attribute of their first argument with a string: the pair is a
# reference to `first_argument.string`, as in mock.patch.object(eventlet.greenthread, 'sleep').
# Reflection (`getattr(eventlet, 'spawn')`) is a reference like `eventlet.spawn`; a mock's
# pair is a string target.
REFLECTION = frozenset({"builtins.getattr", "builtins.setattr", "builtins.hasattr", "builtins.delattr"})
ATTRIBUTE_BY_STRING = frozenset(
    {"unittest.mock.patch.object", "mock.patch.object", "fixtures.MockPatchObject"}
)


@dataclass(frozen=True)
class _Finding:
    rule_index: int
    start: ast.AST
    end: ast.AST
    matched: str
    site: Site | None = None
    via: str | None = None  # the project module the name was re-exported through
    details: tuple[tuple[str, str], ...] = ()  # more placeholder values (object flow's)
    origin: ast.AST | None = None  # a method finding: where its object was made
    origin_elsewhere: Origin | None = None  # ... when that is another module (the index's line)
    detail: str | None = None  # what a contextual selector found, for {context}


@dataclass(frozen=True)
class _UseHits:
    """What the rule tables hold for one qualified name a use resolves to."""

    call: list[tuple[int, str]]
    constrained: bool
    contextual: list[tuple[int, CallSelector]]
    reference: list[tuple[int, str]]


class _UseLookups:
    """The rule tables' answers for each qualified name, looked up once per file (a name
    such as `mock.patch.object` is used thousands of times)."""

    def __init__(self, compiled: CompiledRules) -> None:
        self.compiled = compiled
        self.roots = compiled.call.roots | compiled.reference.roots | compiled.contextual.roots
        self.roots |= {name.partition(".")[0] for name in compiled.call_with}
        self._known: dict[str, _UseHits | None] = {}

    def of(self, qname: str) -> _UseHits | None:
        """None when no table names `qname` (most names: the project's own)."""
        if qname in self._known:
            return self._known[qname]
        found = None
        if qname.partition(".")[0] in self.roots:
            compiled = self.compiled
            found = _UseHits(
                compiled.call.match(qname, with_parents=False),
                qname in compiled.call_with,
                compiled.contextual.match(qname),
                compiled.reference.match(qname, with_parents=True),
            )
            if not (found.call or found.constrained or found.contextual or found.reference):
                found = None
        self._known[qname] = found
        return found


class _Matcher:
    """Looks the collected candidates up in the compiled tables."""

    def __init__(
        self,
        compiled: CompiledRules,
        collector: _Collector,
        project: ProjectNames | None,
        tree: ast.Module | None = None,
    ) -> None:
        self.compiled = compiled
        self.tree = tree  # for contextual selectors (engine.contexts)
        self._candidates: list[Candidate] = []
        self.collector = collector
        self.resolver = Resolver(project)
        self.findings: dict[tuple[int, int], _Finding] = {}
        self._import_strings: set[int] = set()
        self._pair_targets: set[int] = set()  # `eventlet.event.Event` in patch.object(<it>, 'wait')
        # Each use resolved to some name, with those names, for the object-flow pass (engine/flow).
        self.resolved: list[tuple[_Use, list[tuple[str, str | None]]]] = []

    def run(self) -> list[_Finding]:
        self._match_attribute_strings()
        self._match_uses()
        self._match_imports()
        self._match_strings()
        self._match_keywords()
        self._match_settings()
        findings = self._reportable(self._without_covered_fallbacks())
        if self._candidates and self.tree is not None:
            findings.extend(self._reportable(self._contextual_findings(self.tree)))
        return findings

    def _contextual_findings(self, tree: ast.Module) -> list[_Finding]:
        """Kept apart from the catch-all's coverage: a hazard on an eventlet call does not
        stand for the eventlet pack's finding there."""
        found = []
        seen = set(self.findings)  # one finding per rule and site, as everywhere
        for hit in contextual_hits(tree, self.collector, self.resolver, self._candidates):
            if (hit.rule_index, id(hit.node)) not in seen:
                seen.add((hit.rule_index, id(hit.node)))
                found.append(
                    _Finding(
                        hit.rule_index, hit.node, hit.node, hit.matched, None, hit.via, detail=hit.detail
                    )
                )
        return found

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
        tops = self._use_tops()
        may_reach = self.resolver.may_reach
        # Most uses (`self.x`, `os.path.join`) are dismissed by what their first name is
        # bound to, decided once per scope and name rather than resolving each whole chain.
        verdicts: dict[tuple[int, str, bool], bool] = {}
        module_scope = self.collector.module_scope
        # (`Scope.may_name_anything` as one set: names valued anywhere in the module, builtins)
        nameable = None if module_scope.star_imports else module_scope.valued | BUILTIN_NAMES
        keep_resolved = bool(self.compiled.objects)
        lookups = _UseLookups(self.compiled)
        for use in self.collector.uses:
            chain = use.chain
            if nameable is not None and chain[0] not in nameable:  # `self`, a parameter everywhere
                continue
            called = len(chain) > 1 and chain[1] == CALL
            key = (id(use.scope), chain[0], called)
            reaches = verdicts.get(key)
            if reaches is None:
                reaches = verdicts[key] = may_reach(use.scope, chain[0], called, tops)
            if not reaches or self._passes_alias_along(use):
                continue
            targets = _direct_first(self.resolver.resolve_traced(use.scope, chain))
            if keep_resolved and targets:
                self.resolved.append((use, targets))
            for qname, via in targets:
                found = lookups.of(qname)
                if found is not None:
                    self._add_use_hits(use, qname, via, found, len(targets) == 1)

    def _add_use_hits(self, use: _Use, qname: str, via: str | None, found: _UseHits, only: bool) -> None:
        node = use.node
        # Only a name that resolves one way, written in the file, can be rewritten.
        rewritable = only and via is None and CALL not in use.chain
        rewritable = rewritable and type(node) is not ast.Constant  # (a string annotation)
        site = UseSite(node, use.chain, use.scope, qname, use.call) if rewritable else None
        if use.is_callee and found.call:
            self._add(found.call, node, node, site, via)
        if use.call is not None and found.constrained:
            self._add(_constrained_calls(self.compiled, qname, use.call), node, node, site, via)
        if use.call is not None and found.contextual:
            self._candidates.extend(
                Candidate(use, qname, index, selector, via) for index, selector in found.contextual
            )
        if found.reference and id(node) not in self._pair_targets:
            self._add(found.reference, node, node, site, via)

    def _use_tops(self) -> frozenset[str]:
        """Top-level packages a use must resolve into to match: the rules' and the project's."""
        compiled = self.compiled
        tops = {name.partition(".")[0] for name in compiled.call_with}
        tops.update(compiled.call.roots, compiled.reference.roots, compiled.objects.roots)
        tops.update(compiled.contextual.roots)
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
        project = self.resolver.project
        tops = project.tops if project is not None else frozenset()
        keys = self.collector.key_strings
        for node, value in self.collector.strings:
            if id(node) in self._import_strings:
                continue
            # A dotted key names a setting or logger ('eventlet.input'), not an API; an undotted
            # one may name a module itself (sys.modules['__original_module_threading'])
            if id(node) in keys and "." in value:
                continue
            if value.partition(".")[0] in tops:  # 'myproj.utils.tpool.Proxy': what the project re-exports
                for qname, via in _direct_first(self.resolver.expand(frozenset(((value, None),)))):
                    self._add(_named(table.match(qname, with_parents=True), qname), node, node, via=via)
            else:
                self._add(_named(table.match(value, with_parents=True), value), node, node)

    def _match_attribute_strings(self) -> None:
        strings, reference = self.compiled.string_target, self.compiled.reference
        for site in self.collector.attribute_strings:
            callees = self.resolver.resolve(site.scope, site.callee)
            if not REFLECTION.isdisjoint(callees):
                table = reference
            elif not ATTRIBUTE_BY_STRING.isdisjoint(callees):
                table = strings
            else:
                continue
            if not table:
                continue
            targets = self.resolver.resolve_traced(site.scope, site.chain)
            named = frozenset((f"{target}.{site.name}", via) for target, via in targets)
            for qname, via in _direct_first(self.resolver.expand(named)):
                hits = table.match(qname, with_parents=True)
                if hits:  # the pair names the API; its target is not also a reference of its own
                    self._pair_targets.add(id(site.target))
                self._add(_named(hits, qname), site.target, site.attribute, via=via)

    def _match_keywords(self) -> None:
        values = self.collector.values
        if values is None:
            return
        keywords, settings = self.compiled.keywords, self.compiled.settings
        for site in self.collector.keywords:
            literals = values.possible_literals(site.value, site.scope)
            keyword = site.keyword if isinstance(site.keyword, ast.keyword) else None
            by_keyword = keyword is not None
            # Only a literal written as the keyword's value can be rewritten.
            fix_site = KeywordSite(keyword) if keyword and isinstance(site.value, ast.Constant) else None
            for index, selector in keywords.get(site.name, ()):
                if site.position is not None and selector.position != site.position:
                    continue  # another selector's position
                if not any(_same_literal(literal, selector.value) for literal in literals):
                    continue
                if (selector.calls or selector.methods) and not self._callee_matches(site, selector):
                    continue
                self._add([(index, f"{site.name}={selector.value!r}")], site.keyword, site.keyword, fix_site)
            if by_keyword:
                for index, setting in settings.get(site.name, ()):
                    if any(_same_literal(literal, setting.value) for literal in literals):
                        self._add([(index, f"{site.name}={setting.value!r}")], site.keyword, site.keyword)

    def _match_settings(self) -> None:
        values = self.collector.values
        if values is None:
            return
        for site in values.settings:
            literals = values.possible_literals(site.value, site.scope)
            for index, setting in self.compiled.settings.get(site.name, ()):
                if any(_same_literal(literal, setting.value) for literal in literals):
                    self._add([(index, f"{site.name}={setting.value!r}")], site.start, site.end)

    def _callee_matches(self, site: _Keyword, selector: KeywordSelector) -> bool:
        callee = site.callee
        if callee is None:
            return False
        if len(callee) > 1 and callee[-1] in selector.methods:  # `mock_get.assert_called_once_with`
            return True
        for qname in self.resolver.resolve(site.scope, callee):
            for pattern in selector.calls:
                if qname == pattern or (pattern.endswith(".*") and qname.startswith(pattern[:-1])):
                    return True
        return False


def _direct_first(targets: Collection[tuple[str, str | None]]) -> list[tuple[str, str | None]]:
    """Each name once, in name order; named directly rather than through a module if both."""
    if len(targets) < 2:  # (most uses: nothing to order)
        return list(targets)
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
