"""Unused `# noqa` directives (ruff's RUF100): a `# noqa: CODE` naming an active evlint rule
that suppresses no finding on its line is itself a finding, with a safe fix that removes
the directive (or just the unused codes from it).

Only codes of the rules active in the file are judged: `# noqa: E501` is another tool's,
and a blanket `# noqa` may be too, so neither is reported.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from evlint.model import Applicability, Diagnostic, Edit, Fix, Location, Rule
from evlint.suppress import LineDirective, apply_noqa, line_directives


def apply_noqa_checked(
    diagnostics: Sequence[Diagnostic], text: str, rules: Sequence[Rule], path: str
) -> list[Diagnostic]:
    """The findings `# noqa` comments leave, plus the unused directives when one of `rules`
    (the rules active in the file) reports them."""
    kept = apply_noqa(diagnostics, text) if diagnostics else []
    reporter = next((rule for rule in rules if rule.selectors.unused_noqa), None)
    if reporter is not None:
        kept.extend(unused_directives(diagnostics, kept, text, rules, reporter, path))
    return kept


def wants_unused_noqa(rules: Sequence[Rule]) -> bool:
    return any(rule.selectors.unused_noqa for rule in rules)


def unused_directives(
    found: Sequence[Diagnostic],
    kept: Sequence[Diagnostic],
    text: str,
    rules: Sequence[Rule],
    reporter: Rule,
    path: str,
) -> list[Diagnostic]:
    from evlint.engine import diagnostic_for, source_lines

    active = [rule.id for rule in rules if rule is not reporter]
    kept_ids = {id(d) for d in kept}
    suppressed = [d for d in found if id(d) not in kept_ids]
    lines: list[str] | None = None
    reported = []
    for directive in line_directives(text):
        ours = [
            code
            for code in directive.codes or ()
            if code != reporter.id and any(rule_id.startswith(code) for rule_id in active)
        ]
        unused = [code for code in ours if not _suppresses(code, directive.rows, suppressed)]
        if not unused:
            continue
        lines = lines if lines is not None else source_lines(text)
        where = _comment_location(directive, lines)
        if where is None:
            continue
        row, column = where
        start, end = Location(row, column + directive.span[0]), Location(row, column + directive.span[1])
        diagnostic = diagnostic_for(reporter, ", ".join(unused), path, start, end)
        fix = _removal(directive, unused, lines[row - 1], row, column)
        reported.append(replace(diagnostic, fix=fix))
    return reported


def _suppresses(code: str, rows: range, suppressed: Sequence[Diagnostic]) -> bool:
    return any(d.location.row in rows and d.code.startswith(code) for d in suppressed)


def _comment_location(directive: LineDirective, lines: Sequence[str]) -> tuple[int, int] | None:
    """(row, 1-based column) of the comment's `#`."""
    for row in directive.rows:
        if row <= len(lines):
            index = lines[row - 1].find(directive.comment)
            if index >= 0:
                return row, index + 1
    return None


def _removal(directive: LineDirective, unused: Sequence[str], line: str, row: int, column: int) -> Fix | None:
    """Drop the unused codes; the whole comment when it is only the directive and nothing
    it names is used. None where that would also remove other words of the comment."""
    codes = directive.codes or ()
    remaining = [code for code in codes if code not in unused]
    span_start, span_end = directive.span
    if remaining:
        content = f"# noqa: {', '.join(remaining)}"
        start, end = column + span_start, column + span_end
        return _fix("Remove unused codes from the `noqa` directive", content, row, start, end)
    if directive.comment[:span_start].strip() or directive.comment[span_end:].strip():
        return None
    before = line[: column - 1]
    start = len(before.rstrip()) + 1
    return _fix("Remove unused `noqa` directive", "", row, start, column + len(directive.comment))


def _fix(message: str, content: str, row: int, start: int, end: int) -> Fix:
    edit = Edit(content, Location(row, start), Location(row, end))
    return Fix(Applicability.SAFE, message, (edit,))
