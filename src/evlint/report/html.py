"""The report as one self-contained HTML page: inline CSS, inline SVG charts, no scripts, no network.

Everything fits the page's width: occurrences are grouped by file (a heading row per file, then
line, rule, pattern, scope and source), long source lines wrap, and suggestions live in the
rules table once rather than on every row.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from html import escape
from typing import TYPE_CHECKING

from evlint import __version__
from evlint.report import effort
from evlint.report.charts import pattern_chart, stacked_bars
from evlint.report.classify import PATTERN_TITLES, PATTERNS
from evlint.report.inventory import ProjectInventory, Summary
from evlint.report.json import by_pattern
from evlint.report.links import Links, MadeAt
from evlint.report.narrative import narrative
from evlint.report.occurrence import Occurrence
from evlint.report.rollup import (
    DELIVERABLE_COLUMNS,
    PROJECT_COLUMNS,
    ROLLUP_TITLE,
    TEAM_COLUMNS,
    Row,
    by_remaining_work,
    deliverable_cells,
    has_use,
    overview,
    project_facts,
    project_row,
    team_cells,
)

if TYPE_CHECKING:
    from evlint.report import Report
    from evlint.report.compare import Comparison

CSS = """
body { font: 14px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 72em; color: #1d1d1f;
  padding: 0 1em; overflow-wrap: anywhere; }
h1 { font-size: 1.7em; } h2 { margin-top: 2em; border-bottom: 1px solid #ccc; } h3 { font-size: 1.05em; }
table { border-collapse: collapse; margin: 0.6em 0 1.2em; max-width: 100%; }
th, td { border: 1px solid #d0d0d0; padding: 0.2em 0.6em; text-align: left; vertical-align: top;
  overflow-wrap: anywhere; }
th { background: #f1f1f4; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
table.occurrences { table-layout: fixed; width: 100%; }
table.occurrences col.line { width: 4.5em; } table.occurrences col.rule { width: 14em; }
table.occurrences col.pattern { width: 11em; } table.occurrences col.scope { width: 6.5em; }
table.occurrences tr.file th { background: #e8eef8; font-weight: 600; }
code { font: 12.5px ui-monospace, monospace; background: #f6f6f8; padding: 0 0.2em; white-space: pre-wrap;
  overflow-wrap: anywhere; }
details { margin: 0.6em 0 1.5em; } summary { cursor: pointer; font-weight: 600; }
p.provenance, p.facts { color: #555; }
svg.chart { max-width: 100%; height: auto; }
svg.chart text { font: 12px system-ui, sans-serif; fill: #1d1d1f; }
.legend span { display: inline-block; width: 0.9em; height: 0.9em; margin: 0 0.3em 0 1em;
  vertical-align: middle; }
.production { fill: #c0392b; background: #c0392b; } .test { fill: #e6a23c; background: #e6a23c; }
.docs { fill: #5b8def; background: #5b8def; }
"""


def page(title: str, body: Sequence[str]) -> str:
    return (
        "<!DOCTYPE html>\n<html lang='en'>\n<head>\n<meta charset='utf-8'>\n"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>\n"
        f"<title>{escape(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


def render_html(report: Report) -> str:
    summary = report.summary()
    links = report.links()
    title = f"Analysis for Team: {report.team}"
    body = [f"<h1>{escape(title)}</h1>", _provenance(report), f"<p>{escape(_overview(summary, report))}</p>"]
    body += ["<section id='team'>", "<h2>Team summary</h2>", _legend("Occurrences per pattern:")]
    body += [pattern_chart(summary, "team"), _pattern_table(summary)]
    ordered = by_remaining_work(report.projects)
    if len(report.projects) > 1:
        bars = [(p.name, _counts(p.summary())) for p in ordered if has_use(p)]
        body += [_legend("Occurrences per project:"), stacked_bars(bars, "projects")]
    removed = report.removed_code()
    body += [_table(PROJECT_COLUMNS, [project_row(p, removed) for p in ordered], "projects")]
    body += [*_modules_and_files(summary), "</section>"]
    if report.comparison is not None:
        body += _comparison(report.comparison, links)
    empty = [p for p in ordered if not has_use(p)]
    for index, project in enumerate(p for p in ordered if has_use(p)):
        body += _project(project, index, links, removed)
    if empty:
        names = ", ".join(escape(p.name) for p in empty)
        body.append(f"<section id='no-use'><h2>No eventlet use</h2><p>{names}</p></section>")
    body += _effort_section()
    return page(title, body)


def render_rollup_html(
    report: Report, teams: Sequence[Row], deliverables: Sequence[Row], documents: Mapping[str, str]
) -> str:
    bars = [
        (row.team, (row.work.production, row.work.test, row.work.docs)) for row in teams if row.work.effort
    ]
    team_lines = [
        [Markup(f"<a href='{escape(documents[row.team])}'>{escape(row.team)}</a>"), *team_cells(row)[1:]]
        for row in teams
    ]
    body = [
        f"<h1>{escape(ROLLUP_TITLE)}</h1>",
        _provenance(report),
        f"<p>{escape(overview(report.projects, teams, report.removed_code()))}</p>",
    ]
    body += ["<h2>Teams</h2>", _legend("Occurrences per team:"), stacked_bars(bars, "teams")]
    body += [_table(TEAM_COLUMNS, team_lines, "teams")]
    body += [
        "<h2>Deliverables</h2>",
        _table(DELIVERABLE_COLUMNS, map(deliverable_cells, deliverables), "deliverables"),
    ]
    return page(ROLLUP_TITLE, body)


def _counts(summary: Summary) -> tuple[int, int, int]:
    return (summary.code.production, summary.code.test, summary.docs)


def _provenance(report: Report) -> str:
    refs = [f"{p.name} {p.ref}" for p in report.projects if p.ref]
    read = f"; read: {', '.join(refs)}" if refs else ""
    when = f" on {report.generated}" if report.generated else ""
    return f"<p class='provenance'>{escape(f'Made by evlint {__version__}{when}{read}.')}</p>"


def _overview(summary: Summary, report: Report) -> str:
    projects = len(report.projects)
    return (
        f"{projects} project{'s' if projects != 1 else ''}: {summary.occurrences} eventlet occurrences"
        f" on {summary.lines} lines in {summary.files} files; {summary.code.production} in production"
        f" code, {summary.code.test} in test code, {summary.docs} in docs."
        f" Effort score: {summary.effort.score}."
    )


def _legend(title: str) -> str:
    return (
        f"<p class='legend'>{escape(title)}<span class='production'></span>production code"
        "<span class='test'></span>test code<span class='docs'></span>docs</p>"
    )


class Markup(str):
    """Text that is already HTML (built from escaped parts)."""


def _table(headers: Sequence[str], rows: Iterable[Sequence[str]], css: str = "") -> str:
    """Cells are escaped here; a cell that is already HTML is passed as `Markup`."""
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(_cell(cell) for cell in row) + "</tr>" for row in rows)
    attribute = f" class='{css}'" if css else ""
    return f"<table{attribute}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _cell(cell: str) -> str:
    if isinstance(cell, Markup):
        return f"<td>{cell}</td>"
    if cell.replace(".", "", 1).isdigit():
        return f"<td class='n'>{cell}</td>"
    return f"<td>{escape(cell)}</td>"


def _pattern_table(summary: Summary, *, skip_empty: bool = False) -> str:
    rows = [
        [PATTERN_TITLES[p], Markup(f"<code>{escape(p)}</code>"), str(c.production), str(c.test), str(c.total)]
        for p, c in summary.by_pattern.items()
        if c.total or not skip_empty
    ]
    return _table(["pattern", "name", "production", "test", "total"], rows, "patterns")


def _modules_and_files(summary: Summary) -> list[str]:
    parts = []
    if summary.by_module:
        rows = [[m, str(c.production), str(c.test), str(c.total)] for m, c in summary.by_module.items()]
        parts += ["<h3>Per module</h3>", _table(["module", "production", "test", "total"], rows, "modules")]
    if summary.top_files:
        rows = [[f.project, f.path, str(f.occurrences), str(f.points)] for f in summary.top_files]
        parts += [
            "<h3>Files with the most work</h3>",
            _table(["project", "file", "occurrences", "points"], rows, "files"),
        ]
    return parts


def _project(project: ProjectInventory, index: int, links: Links, removed: Mapping[str, int]) -> list[str]:
    summary = project.summary()
    e = summary.effort
    parts = [
        f"<section class='project' id='project-{index}'>",
        f"<h2>Project: {escape(project.name)}</h2>",
        f"<p class='facts'>{escape('; '.join(project_facts(project, removed)))}.</p>",
        f"<p class='narrative'>{escape(' '.join(narrative(project)))}</p>",
        f"<p>{summary.occurrences} occurrences on {summary.lines} lines in {summary.files} files:"
        f" {summary.code.production} in production code, {summary.code.test} in test code,"
        f" {summary.docs} in docs. Effort score: <strong>{e.score}</strong> ({e.code_points} code points"
        f" &times; {e.spread} spread over {_modules(e.modules)} + {e.docs_points} docs points).</p>",
        pattern_chart(summary, f"project-{index}", skip_empty=True),
        _pattern_table(summary, skip_empty=True),
    ]
    if summary.by_rule:
        rows = [
            [_rule(project, rule), str(count), project.suggestions.get(rule, "")]
            for rule, count in summary.by_rule.items()
        ]
        parts.append(_table(["rule", "occurrences", "suggested replacement"], rows, "rules"))
    parts += _modules_and_files(summary)
    parts.append(
        f"<details><summary>Occurrences ({len(project.occurrences)}) by file</summary>"
        + occurrence_table(project.occurrences, links, project.rule_names)
        + "</details>"
    )
    if project.release_notes:
        parts.append(
            f"<p>Release notes: {project.release_notes} lines mention eventlet (history, not counted).</p>"
        )
    if project.errors:
        rows = [[f"{e.path}:{e.line}", e.code, e.message] for e in project.errors]
        parts += ["<h3>Files not analysed</h3>", _table(["file", "code", "message"], rows, "errors")]
    parts.append("</section>")
    return parts


def _rule(project: ProjectInventory, rule: str) -> Markup:
    name = project.rule_names.get(rule)
    return Markup(f"<code>{escape(rule)}</code>" + (f" {escape(name)}" if name else ""))


def occurrence_table(
    occurrences: Sequence[Occurrence],
    links: Links,
    rule_names: Mapping[str, str],
    *,
    with_project: bool = False,
) -> str:
    """A heading row per file (with its project when several), then one row per occurrence."""
    columns = "".join(f"<col class='{name}'>" for name in ("line", "rule", "pattern", "scope", "source"))
    columns = f"<colgroup>{columns}</colgroup>"
    head = "<thead><tr><th>line</th><th>rule</th><th>pattern</th><th>scope</th><th>source</th></tr></thead>"
    rows = []
    current: tuple[str, str] | None = None
    for o in sorted(occurrences, key=lambda o: o.sort_key):
        if (o.project, o.path) != current:
            current = (o.project, o.path)
            count = sum(1 for x in occurrences if (x.project, x.path) == current)
            where = f"{o.project}: {o.path}" if with_project else o.path
            rows.append(f"<tr class='file'><th colspan='5'>{escape(where)} ({count})</th></tr>")
        rule = o.rule or "docs"
        name = rule_names.get(rule, "")
        rows.append(
            f"<tr><td class='n'>{_line(o, links)}</td><td><code>{escape(rule)}</code> {escape(name)}</td>"
            f"<td>{escape(o.pattern)}</td><td>{escape(o.scope)}</td><td><code>{escape(o.source)}</code>"
            f"{_made_at(links.made_at(o))}</td></tr>"
        )
    return f"<table class='occurrences'>{columns}{head}<tbody>{''.join(rows)}</tbody></table>"


def _line(occurrence: Occurrence, links: Links) -> str:
    url = links.url(occurrence)
    if url is None:
        return str(occurrence.line)
    return f"<a href='{escape(url)}'>{occurrence.line}</a>"


def _made_at(made: MadeAt | None) -> str:
    """The constructor of a method call's object, linked when a link template is given."""
    if made is None:
        return ""
    where = f"<a href='{escape(made.url)}'>{escape(made.text)}</a>" if made.url else escape(made.text)
    return f" <span class='made'>(object made at {where})</span>"


def _comparison(comparison: Comparison, links: Links) -> list[str]:
    removed, added = by_pattern(comparison.removed), by_pattern(comparison.added)
    rows = [[p, str(removed[p]), str(added[p])] for p in PATTERNS if removed[p] or added[p]]
    parts = [
        "<section id='comparison'>",
        f"<h2>Progress since {escape(comparison.against)}</h2>",
        f"<p>{escape(comparison.headline())}</p>",
        _table(["pattern", "removed", "added"], rows, "comparison"),
    ]
    for title, items in (("Removed", comparison.removed), ("Added", comparison.added)):
        if items:
            parts.append(
                f"<details><summary>{title} ({len(items)})</summary>"
                + occurrence_table(items, links, {}, with_project=True)
                + "</details>"
            )
    parts.append("</section>")
    return parts


def _effort_section() -> list[str]:
    rows = [[p, f"{w:g}"] for p, w in effort.weights_table().items()]
    return [
        "<section id='effort'>",
        "<h2>Effort score</h2>",
        f"<p><code>{escape(effort.FORMULA)}</code></p>",
        _table(["pattern", "weight per occurrence"], rows, "weights"),
        "</section>",
    ]


def _modules(count: int) -> str:
    return f"{count} module" if count == 1 else f"{count} modules"
