"""The team document: "# Analysis for Team: NAME", a section per project, "Occurrences Found"."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from evlint.report import effort
from evlint.report.classify import PATTERN_TITLES, PATTERNS
from evlint.report.inventory import PROJECT_COLUMNS, ProjectInventory, Summary, project_row
from evlint.report.json import by_pattern
from evlint.report.links import reference
from evlint.report.occurrence import Occurrence

if TYPE_CHECKING:
    from evlint.report import Report
    from evlint.report.compare import Comparison


def render_markdown(report: Report) -> str:
    summary = report.summary()
    parts = [f"# Analysis for Team: {report.team}", "", _overview(len(report.projects), summary), ""]
    parts += _team_summary(report, summary)
    if report.comparison is not None:
        parts += _comparison(report.comparison, report.link_template)
    for project in report.projects:
        parts += _project(project, report.link_template)
        parts += ["***", ""]
    parts += _effort_section()
    return "\n".join(parts)


def _overview(projects: int, summary: Summary) -> str:
    noun = "project" if projects == 1 else "projects"
    return (
        f"{projects} {noun}: {summary.occurrences} eventlet occurrences on {summary.lines} lines"
        f" in {summary.files} files; {summary.code.production} in production code,"
        f" {summary.code.test} in test code, {summary.docs} in docs. Effort score: {summary.effort.score}."
    )


def _team_summary(report: Report, summary: Summary) -> list[str]:
    lines = ["## Team summary", ""]
    lines += _pattern_table(summary)
    rows = [project_row(project) for project in report.projects]
    lines += _table(list(PROJECT_COLUMNS), rows)
    lines += _modules_and_files(summary)
    return lines


def _project(project: ProjectInventory, template: str | None) -> list[str]:
    summary = project.summary()
    lines = [f"## Project: {project.name}", "", _project_overview(summary), ""]
    lines += _pattern_table(summary)
    if summary.by_rule:
        rows = [
            [f"`{rule}`", _rule_pattern(project, rule), str(count), project.suggestions.get(rule, "")]
            for rule, count in summary.by_rule.items()
        ]
        lines += _table(["rule", "pattern", "occurrences", "suggested replacement"], rows)
    lines += _modules_and_files(summary)
    lines += ["Occurrences Found:"]
    lines += _occurrence_lines(project.occurrences, template) or ["- none"]
    lines.append("")
    if project.errors:
        lines.append("Files not analysed:")
        lines += [f"- {e.path}:{e.line} : {e.code} {e.message}" for e in project.errors]
        lines.append("")
    return lines


def _project_overview(summary: Summary) -> str:
    e = summary.effort
    return (
        f"{summary.occurrences} occurrences on {summary.lines} lines in {summary.files} files:"
        f" {summary.code.production} in production code, {summary.code.test} in test code,"
        f" {summary.docs} in docs. Effort score: {e.score} ({e.code_points} code points"
        f" x {e.spread} spread over {_modules(e.modules)} + {e.docs_points} docs points)."
    )


def _rule_pattern(project: ProjectInventory, rule: str) -> str:
    return next(o.pattern for o in project.occurrences if o.rule == rule)


def _pattern_table(summary: Summary) -> list[str]:
    rows = [
        [f"{PATTERN_TITLES[p]} (`{p}`)", str(c.production), str(c.test), str(c.total)]
        for p, c in summary.by_pattern.items()
    ]
    return _table(["pattern", "production", "test", "total"], rows)


def _modules_and_files(summary: Summary) -> list[str]:
    lines: list[str] = []
    if summary.by_module:
        rows = [[m, str(c.production), str(c.test), str(c.total)] for m, c in summary.by_module.items()]
        lines += _table(["module", "production", "test", "total"], rows)
    if summary.top_files:
        qualify = len({f.project for f in summary.top_files}) > 1
        rows = [
            [f"{f.project}: {f.path}" if qualify else f.path, str(f.occurrences), str(f.points)]
            for f in summary.top_files
        ]
        lines += _table(["file with the most work", "occurrences", "points"], rows)
    return lines


def _occurrence_lines(occurrences: Iterable[Occurrence], template: str | None) -> list[str]:
    """One item per source line (a line with two findings is listed once)."""
    seen: set[tuple[str, int]] = set()
    lines = []
    for occurrence in occurrences:
        if (occurrence.path, occurrence.line) in seen:
            continue
        seen.add((occurrence.path, occurrence.line))
        made = f" (object made at line {occurrence.origin_line})" if occurrence.origin_line else ""
        lines.append(f"- {reference(template, occurrence)} : {occurrence.source}{made}")
    return lines


def _comparison(comparison: Comparison, template: str | None) -> list[str]:
    removed, added = by_pattern(comparison.removed), by_pattern(comparison.added)
    lines = [
        f"## Progress since {comparison.against}",
        "",
        f"{len(comparison.removed)} occurrences removed, {len(comparison.added)} added.",
        "",
    ]
    rows = [[f"`{p}`", str(removed[p]), str(added[p])] for p in PATTERNS if removed[p] or added[p]]
    if rows:
        lines += _table(["pattern", "removed", "added"], rows)
    for title, items in (("Removed", comparison.removed), ("Added", comparison.added)):
        if items:
            lines.append(f"{title}:")
            lines += [f"- {o.project}: {reference(template, o)} : {o.source}" for o in items]
            lines.append("")
    return lines


def _effort_section() -> list[str]:
    weights = ", ".join(f"`{p}` {w:g}" for p, w in effort.weights_table().items())
    return [
        "## Effort score",
        "",
        f"`{effort.FORMULA}`.",
        "",
        f"Weights per occurrence: {weights} (docs: per mention, outside the spread factor).",
        "",
    ]


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(_cell(cell) for cell in row) + " |" for row in rows]
    lines.append("")
    return lines


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _modules(count: int) -> str:
    return f"{count} module" if count == 1 else f"{count} modules"
