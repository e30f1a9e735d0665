"""The report as one self-contained HTML page: inline CSS, inline SVG charts, no scripts, no network."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape
from typing import TYPE_CHECKING

from evlint.report import effort
from evlint.report.classify import PATTERN_TITLES, PATTERNS
from evlint.report.inventory import ProjectInventory, Summary
from evlint.report.json import by_pattern
from evlint.report.links import Links
from evlint.report.occurrence import Occurrence
from evlint.report.rollup import PROJECT_COLUMNS, project_row

if TYPE_CHECKING:
    from evlint.report import Report
    from evlint.report.compare import Comparison

CSS = """
body { font: 14px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 72em; color: #1d1d1f;
  padding: 0 1em; }
h1 { font-size: 1.7em; } h2 { margin-top: 2em; border-bottom: 1px solid #ccc; } h3 { font-size: 1.05em; }
table { border-collapse: collapse; margin: 0.6em 0 1.2em; }
th, td { border: 1px solid #d0d0d0; padding: 0.2em 0.6em; text-align: left; vertical-align: top; }
th { background: #f1f1f4; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
code { font: 12.5px ui-monospace, monospace; background: #f6f6f8; padding: 0 0.2em; white-space: pre-wrap; }
details { margin: 0.6em 0 1.5em; } summary { cursor: pointer; font-weight: 600; }
svg.chart text { font: 12px system-ui, sans-serif; fill: #1d1d1f; }
.legend span { display: inline-block; width: 0.9em; height: 0.9em; margin: 0 0.3em 0 1em;
  vertical-align: middle; }
.production { fill: #c0392b; background: #c0392b; } .test { fill: #e6a23c; background: #e6a23c; }
.docs { fill: #5b8def; background: #5b8def; }
"""

BAR_HEIGHT, GAP, LABEL_WIDTH, BAR_WIDTH, VALUE_WIDTH = 18, 6, 250, 420, 60


def render_html(report: Report) -> str:
    summary = report.summary()
    title = f"Analysis for Team: {report.team}"
    body = [f"<h1>{escape(title)}</h1>", f"<p>{escape(_overview(summary, len(report.projects)))}</p>"]
    body += ["<section id='team'>", "<h2>Team summary</h2>", _legend(), chart(summary, "team")]
    body += [_pattern_table(summary), _projects_table(report.projects), *_modules_and_files(summary)]
    body.append("</section>")
    if report.comparison is not None:
        body += _comparison(report.comparison, report.links())
    for index, project in enumerate(report.projects):
        body += _project(project, index, report.links())
    body += _effort_section()
    return (
        "<!DOCTYPE html>\n<html lang='en'>\n<head>\n<meta charset='utf-8'>\n"
        f"<title>{escape(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


def _overview(summary: Summary, projects: int) -> str:
    return (
        f"{projects} project{'s' if projects != 1 else ''}: {summary.occurrences} eventlet occurrences"
        f" on {summary.lines} lines in {summary.files} files; {summary.code.production} in production"
        f" code, {summary.code.test} in test code, {summary.docs} in docs."
        f" Effort score: {summary.effort.score}."
    )


def _legend() -> str:
    return (
        "<p class='legend'>Occurrences per pattern:<span class='production'></span>production code"
        "<span class='test'></span>test code<span class='docs'></span>docs</p>"
    )


def chart(summary: Summary, name: str) -> str:
    """A horizontal bar per pattern, production and test stacked (docs in their own colour)."""
    biggest = max((c.total for c in summary.by_pattern.values()), default=0) or 1
    height = len(PATTERNS) * (BAR_HEIGHT + GAP) + GAP
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    parts = [
        f"<svg class='chart' id='chart-{escape(name)}' xmlns='http://www.w3.org/2000/svg'"
        f" width='{width}' height='{height}' viewBox='0 0 {width} {height}' role='img'"
        f" aria-label='{escape(f'Occurrences per pattern: {name}')}'>"
    ]
    for row, pattern in enumerate(PATTERNS):
        counts = summary.by_pattern[pattern]
        y = GAP + row * (BAR_HEIGHT + GAP)
        text_y = y + BAR_HEIGHT - 4
        parts.append(f"<text x='0' y='{text_y}'>{escape(PATTERN_TITLES[pattern])}</text>")
        x = LABEL_WIDTH
        segments = (
            [("docs", counts.total)]
            if pattern == "docs"
            else [
                ("production", counts.production),
                ("test", counts.test),
            ]
        )
        for css, value in segments:
            if value:
                bar = max(1, round(BAR_WIDTH * value / biggest))
                parts.append(
                    f"<rect class='{css}' x='{x}' y='{y}' width='{bar}' height='{BAR_HEIGHT}'>"
                    f"<title>{escape(f'{pattern}: {value} in {css}')}</title></rect>"
                )
                x += bar
        parts.append(f"<text x='{x + 6}' y='{text_y}'>{counts.total}</text>")
    parts.append("</svg>")
    return "".join(parts)


def _table(headers: Sequence[str], rows: Iterable[Sequence[str]], css: str = "") -> str:
    """Cells are escaped here; a cell that is already HTML is passed as `Markup`."""
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(_cell(cell) for cell in row) + "</tr>" for row in rows)
    attribute = f" class='{css}'" if css else ""
    return f"<table{attribute}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


class Markup(str):
    """Text that is already HTML (built from escaped parts)."""


def _cell(cell: str) -> str:
    if isinstance(cell, Markup):
        return f"<td>{cell}</td>"
    if cell.replace(".", "", 1).isdigit():
        return f"<td class='n'>{cell}</td>"
    return f"<td>{escape(cell)}</td>"


def _pattern_table(summary: Summary) -> str:
    rows = [
        [PATTERN_TITLES[p], Markup(f"<code>{escape(p)}</code>"), str(c.production), str(c.test), str(c.total)]
        for p, c in summary.by_pattern.items()
    ]
    return _table(["pattern", "name", "production", "test", "total"], rows, "patterns")


def _projects_table(projects: Sequence[ProjectInventory]) -> str:
    rows = [project_row(project) for project in projects]
    return _table(list(PROJECT_COLUMNS), rows, "projects")


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


def _project(project: ProjectInventory, index: int, links: Links) -> list[str]:
    summary = project.summary()
    e = summary.effort
    parts = [
        f"<section class='project' id='project-{index}'>",
        f"<h2>Project: {escape(project.name)}</h2>",
        f"<p>{summary.occurrences} occurrences on {summary.lines} lines in {summary.files} files:"
        f" {summary.code.production} in production code, {summary.code.test} in test code,"
        f" {summary.docs} in docs. Effort score: <strong>{e.score}</strong> ({e.code_points} code points"
        f" &times; {e.spread} spread over {_modules(e.modules)} + {e.docs_points} docs points).</p>",
        chart(summary, f"project-{index}"),
        _pattern_table(summary),
    ]
    if summary.by_rule:
        rows = [
            [Markup(f"<code>{escape(rule)}</code>"), str(count), project.suggestions.get(rule, "")]
            for rule, count in summary.by_rule.items()
        ]
        parts.append(_table(["rule", "occurrences", "suggested replacement"], rows, "rules"))
    parts += _modules_and_files(summary)
    parts.append(
        f"<details><summary>Occurrences ({len(project.occurrences)})</summary>"
        + _occurrence_table(project.occurrences, links)
        + "</details>"
    )
    if project.errors:
        rows = [[f"{e.path}:{e.line}", e.code, e.message] for e in project.errors]
        parts += ["<h3>Files not analysed</h3>", _table(["file", "code", "message"], rows, "errors")]
    parts.append("</section>")
    return parts


def _occurrence_table(occurrences: Sequence[Occurrence], links: Links, *, with_project: bool = False) -> str:
    rows = [
        [
            *([o.project] if with_project else []),
            _location(o, links),
            o.rule or "docs",
            o.pattern,
            o.scope,
            Markup(f"<code>{escape(o.source)}</code>"),
            o.suggestion or "",
        ]
        for o in occurrences
    ]
    headers = ["where", "rule", "pattern", "scope", "source", "suggested replacement"]
    return _table(["project", *headers] if with_project else headers, rows, "occurrences")


def _location(occurrence: Occurrence, links: Links) -> str:
    where = f"{occurrence.path}:{occurrence.line}"
    url = links.url(occurrence)
    if url is None:
        return where
    return Markup(f"<a href='{escape(url)}'>{escape(where)}</a>")


def _comparison(comparison: Comparison, links: Links) -> list[str]:
    removed, added = by_pattern(comparison.removed), by_pattern(comparison.added)
    rows = [[p, str(removed[p]), str(added[p])] for p in PATTERNS if removed[p] or added[p]]
    parts = [
        "<section id='comparison'>",
        f"<h2>Progress since {escape(comparison.against)}</h2>",
        f"<p>{len(comparison.removed)} occurrences removed, {len(comparison.added)} added.</p>",
        _table(["pattern", "removed", "added"], rows, "comparison"),
    ]
    for title, items in (("Removed", comparison.removed), ("Added", comparison.added)):
        if items:
            parts.append(
                f"<details><summary>{title} ({len(items)})</summary>"
                + _occurrence_table(items, links, with_project=True)
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
