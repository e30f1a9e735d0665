"""The team document: "# Analysis for Team: NAME", a section per project, "Occurrences Found"."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from evlint.report import effort
from evlint.report.classify import PATTERN_TITLES, PATTERNS
from evlint.report.inventory import ProjectInventory, Summary
from evlint.report.json import by_pattern
from evlint.report.links import Links, MadeAt
from evlint.report.narrative import narrative
from evlint.report.occurrence import Occurrence
from evlint.report.rollup import PROJECT_COLUMNS, by_remaining_work, has_use, project_facts, project_row

if TYPE_CHECKING:
    from evlint.report import Report
    from evlint.report.compare import Comparison


def render_markdown(report: Report) -> str:
    summary = report.summary()
    links = report.links()
    parts = [f"# Analysis for Team: {report.team}", "", _overview(len(report.projects), summary), ""]
    parts += _team_summary(report, summary)
    if report.comparison is not None:
        parts += _comparison(report.comparison, links)
    for project in by_remaining_work(report.projects):
        if has_use(project):
            parts += _project(project, links, report.removed_code())
            parts += ["***", ""]
        else:
            parts += [f"## Project: {project.name}{_deliverable(project)}: no eventlet use", ""]
    parts += _effort_section()
    return "\n".join(parts)


def _deliverable(project: ProjectInventory) -> str:
    shown = project.deliverable and project.deliverable != project.name
    return f" (deliverable {project.deliverable})" if shown else ""


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
    rows = [project_row(project, report.removed_code()) for project in by_remaining_work(report.projects)]
    lines += table(list(PROJECT_COLUMNS), rows)
    lines += _modules_and_files(summary)
    return lines


def _project(project: ProjectInventory, links: Links, removed: Mapping[str, int]) -> list[str]:
    summary = project.summary()
    lines = [f"## Project: {project.name}", ""]
    facts = project_facts(project, removed)
    if facts:
        lines += ["; ".join(facts) + ".", ""]
    lines += [" ".join(narrative(project)), "", _project_overview(summary), ""]
    lines += _pattern_table(summary, skip_empty=True)
    if summary.by_rule:
        rows = [
            [
                f"`{rule}`",
                project.rule_names.get(rule, ""),
                _rule_pattern(project, rule),
                str(count),
                project.suggestions.get(rule, ""),
            ]
            for rule, count in summary.by_rule.items()
        ]
        lines += table(["rule", "name", "pattern", "occurrences", "suggested replacement"], rows)
    lines += _modules_and_files(summary)
    lines += ["Occurrences Found:"]
    lines += _occurrence_lines(project.occurrences, links) or ["- none"]
    lines.append("")
    if project.release_notes:
        lines += [
            f"Release notes: {project.release_notes} lines mention eventlet (history, not counted).",
            "",
        ]
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


def _pattern_table(summary: Summary, *, skip_empty: bool = False) -> list[str]:
    rows = [
        [f"{PATTERN_TITLES[p]} (`{p}`)", str(c.production), str(c.test), str(c.total)]
        for p, c in summary.by_pattern.items()
        if c.total or not skip_empty
    ]
    return table(["pattern", "production", "test", "total"], rows)


def _modules_and_files(summary: Summary) -> list[str]:
    lines: list[str] = []
    if summary.by_module:
        rows = [[m, str(c.production), str(c.test), str(c.total)] for m, c in summary.by_module.items()]
        lines += table(["module", "production", "test", "total"], rows)
    if summary.top_files:
        qualify = len({f.project for f in summary.top_files}) > 1
        rows = [
            [f"{f.project}: {f.path}" if qualify else f.path, str(f.occurrences), str(f.points)]
            for f in summary.top_files
        ]
        lines += table(["file with the most work", "occurrences", "points"], rows)
    return lines


def _occurrence_lines(occurrences: Iterable[Occurrence], links: Links) -> list[str]:
    """One item per source line in the seed's `URL#nLINE : code` form, then rule codes and patterns
    (a line with two findings is listed once, with both)."""
    grouped: dict[tuple[str, int], list[Occurrence]] = {}
    for occurrence in occurrences:
        grouped.setdefault((occurrence.path, occurrence.line), []).append(occurrence)
    lines = []
    for group in grouped.values():
        first = group[0]
        tags = ", ".join(dict.fromkeys(f"{o.rule} {o.pattern}" if o.rule else o.pattern for o in group))
        made = _made_at(links.made_at(first))
        lines.append(f"- {links.reference(first)} : {first.source}{made}  [{tags}]")
    return lines


def _made_at(made: MadeAt | None) -> str:
    if made is None:
        return ""
    return f" (object made at [{made.text}]({made.url}))" if made.url else f" (object made at {made.text})"


def _comparison(comparison: Comparison, links: Links) -> list[str]:
    removed, added = by_pattern(comparison.removed), by_pattern(comparison.added)
    lines = [
        f"## Progress since {comparison.against}",
        "",
        comparison.headline(),
        "",
    ]
    rows = [[f"`{p}`", str(removed[p]), str(added[p])] for p in PATTERNS if removed[p] or added[p]]
    if rows:
        lines += table(["pattern", "removed", "added"], rows)
    for title, items in (("Removed", comparison.removed), ("Added", comparison.added)):
        if items:
            lines.append(f"{title}:")
            lines += [f"- {o.project}: {links.reference(o)} : {o.source}" for o in items]
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


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(_cell(cell) for cell in row) + " |" for row in rows]
    lines.append("")
    return lines


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _modules(count: int) -> str:
    return f"{count} module" if count == 1 else f"{count} modules"
