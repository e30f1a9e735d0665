"""One file in, diagnostics out: parse, traverse (`collect`), look up (`match`), then each
finding made a diagnostic, with its fix when the rule has one."""

from __future__ import annotations

import ast
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

from evlint.engine.collect import _Collector
from evlint.engine.flow_findings import object_findings
from evlint.engine.match import _Finding, _Matcher
from evlint.fix.propose import LINE_BREAK, FixContext, SourceText, propose
from evlint.index.object_sources import module_objects
from evlint.internal import InternalError, capture
from evlint.model import Diagnostic, Location, Origin, Rule
from evlint.module_facts import ModuleFacts, dunder_all
from evlint.names import ModuleContext, ProjectNames, Resolver
from evlint.precedence import drop_superseded
from evlint.pyparse import parse
from evlint.ruleset import CompiledRules, normalize_distribution, render
from evlint.setup_py import is_setup_py, requirements

# Deeply nested code recurses deeply; past this the file is reported, not the run aborted.
RECURSION_LIMIT = 12_000


def source_lines(text: str) -> list[str]:
    """Lines as Python counts them: only CR, LF and CRLF end a line (not form feeds)."""
    if "\r" not in text:
        return text.split("\n")  # the same lines, several times faster than the expression
    return LINE_BREAK.split(text)


@dataclass(frozen=True)
class FileReport:
    """What the engine found in one file, with the decoded text for noqa and code frames."""

    diagnostics: tuple[Diagnostic, ...]
    text: str
    # Crashes caught while matching; the caller reports them (EVL003) after noqa comments apply.
    internal_errors: tuple[InternalError, ...] = ()
    facts: ModuleFacts | None = None  # what the project index needs of this module, when asked


def lint_text(
    path: str,
    text: str,
    compiled: CompiledRules,
    context: ModuleContext | None = None,
    project: ProjectNames | None = None,
    *,
    want_facts: bool = False,
) -> FileReport:
    """Diagnostics for one file's decoded text, and with `want_facts` the module's facts for
    the project index (so a file the index reads is parsed once for both).

    `context` names the file's module (for its relative imports), `project` is the project
    index. Raises SyntaxError for invalid code and RecursionError for code nested too deeply.
    """
    tree = _parse(path, text)
    collector = _Collector(compiled, context)
    collector.visit(tree)
    if collector.values is not None:  # (statement order of the module's own names)
        collector.values.bodies[id(collector.module_scope)] = tree.body
    facts = (
        ModuleFacts(
            collector.module_scope, dunder_all(tree), module_objects(tree, _declared_globals(collector))
        )
        if want_facts
        else None
    )
    matcher = _Matcher(compiled, collector, project, tree)
    declared = _setup_py_dependencies(path, tree, compiled, collector)
    findings = [*matcher.run(), *declared]
    findings.extend(object_findings(tree, collector, matcher, compiled.objects, compiled.reportable))
    if not findings:
        return FileReport((), text, facts=facts)
    lines = source_lines(text)
    fix_context = None
    if any(compiled.rules[f.rule_index].fix is not None and f.site is not None for f in findings):
        fix_context = _fix_context(text, tree, collector, matcher.resolver)
    diagnostics: list[Diagnostic] = []
    crashes: list[InternalError] = []
    for finding in findings:
        rule = compiled.rules[finding.rule_index]
        try:
            diagnostic = _diagnostic(path, rule, finding, lines)
            if fix_context is not None:
                diagnostic = _with_fix(diagnostic, rule, finding, fix_context)
            diagnostics.append(diagnostic)
        except Exception as error:  # one rule's bug on one site: reported, the other findings kept
            row = getattr(finding.start, "lineno", None)
            crashes.append(capture(error, path, "analysis", rule=rule.id, row=row))
    kept = drop_superseded(diagnostics, compiled.rules[: compiled.reportable])
    return FileReport(tuple(sorted(kept, key=lambda d: d.sort_key)), text, tuple(crashes), facts)


def _declared_globals(collector: _Collector) -> dict[int, set[str]]:
    """The names each function declares `global` (for the index's object facts)."""
    return {
        key: scope.declared_global
        for key, scope in collector.function_scopes.items()
        if scope.declared_global
    }


def _setup_py_dependencies(
    path: str, tree: ast.Module, compiled: CompiledRules, collector: _Collector
) -> list[_Finding]:
    """The dependencies a `setup.py` declares that a rule names; their strings are no names."""
    if not compiled.dependencies or not is_setup_py(path):
        return []
    found = []
    for requirement in requirements(tree):
        collector.key_strings.add(id(requirement.node))
        for index in compiled.dependencies.get(normalize_distribution(requirement.name), ()):
            if index < compiled.reportable:
                found.append(_Finding(index, requirement.node, requirement.node, requirement.name))
    return found


def _fix_context(text: str, tree: ast.Module, collector: _Collector, resolver: Resolver) -> FixContext:
    return FixContext(
        source=SourceText(text),
        tree=tree,
        resolver=resolver,
        module_scope=collector.module_scope,
        import_refs=collector.import_refs,
        imported_modules=frozenset(collector.imported_modules),
        root_uses=Counter([use.chain[0] for use in collector.uses]),
    )


def _with_fix(diagnostic: Diagnostic, rule: Rule, finding: _Finding, context: FixContext) -> Diagnostic:
    if rule.fix is None or finding.site is None:
        return diagnostic
    fix = propose(rule, finding.matched, finding.site, context)
    return diagnostic if fix is None else replace(diagnostic, fix=fix)


def _parse(path: str, text: str) -> ast.Module:
    if sys.getrecursionlimit() < RECURSION_LIMIT:
        sys.setrecursionlimit(RECURSION_LIMIT)
    return parse(text, filename=path)


_NO_RULES = CompiledRules(())


def module_facts(path: str, text: str, context: ModuleContext) -> ModuleFacts:
    """What the project index needs of a module it reads without linting it.

    Raises SyntaxError, ValueError, RecursionError as `lint_text` does.
    """
    tree = _parse(path, text)
    collector = _Collector(_NO_RULES, context)
    collector.visit(tree)
    return ModuleFacts(
        collector.module_scope, dunder_all(tree), module_objects(tree, _declared_globals(collector))
    )


def _column(lines: Sequence[str], row: int, byte_offset: int) -> int:
    """ast's UTF-8 byte offset as a 1-based character column."""
    line = lines[row - 1] if row <= len(lines) else ""
    return len(line.encode("utf-8")[:byte_offset].decode("utf-8", errors="replace")) + 1


def _diagnostic(path: str, rule: Rule, finding: _Finding, lines: Sequence[str]) -> Diagnostic:
    start, end = finding.start, finding.end
    start_row, end_row = start.lineno, end.end_lineno or end.lineno  # type: ignore[attr-defined]
    start_column = _column(lines, start_row, start.col_offset)  # type: ignore[attr-defined]
    end_column = _column(lines, end_row, end.end_col_offset or 0)  # type: ignore[attr-defined]
    diagnostic = diagnostic_for(
        rule,
        finding.matched,
        path,
        Location(start_row, start_column),
        Location(end_row, end_column),
        finding.via,
        finding.detail,
        extra=dict(finding.details),
    )
    if finding.origin_elsewhere is not None:
        return replace(diagnostic, made_at=finding.origin_elsewhere)
    origin = finding.origin
    if origin is None:
        return diagnostic
    row = origin.lineno  # type: ignore[attr-defined]
    location = Location(row, _column(lines, row, origin.col_offset))  # type: ignore[attr-defined]
    return replace(diagnostic, origin=location, made_at=Origin(path, location.row, location.column))


def diagnostic_for(
    rule: Rule,
    matched: str,
    path: str,
    start: Location,
    end: Location,
    via: str | None = None,
    detail: str | None = None,
    *,
    extra: dict[str, str] | None = None,
) -> Diagnostic:
    """A finding of `rule` on the name `matched` (re-exported `via` a project module), filled
    in; `detail` is what a contextual selector found (the {context} placeholder), `extra`
    holds more placeholder values (an object-flow finding's)."""
    module, _, name = matched.rpartition(".")
    values = {
        **rule.options,
        "matched": matched,
        "name": name,
        "module": module,
        "context": detail or "",
        **(extra or {}),
    }
    message = render(rule.message, values)
    return Diagnostic(
        code=rule.id,
        message=f"{message} (via {via})" if via else message,
        path=path,
        location=start,
        end_location=end,
        severity=rule.severity,
        suggestion=render(rule.suggestion, values) if rule.suggestion else None,
        url=rule.url,
    )
