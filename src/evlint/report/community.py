"""`-o DIR` with teams: one document per team plus the community roll-up (`index.<ext>`).

The roll-up lists every team and every deliverable with its code, test and docs counts,
effort, entry-point verdict and status, most remaining work first; each team's row names the
file of its document.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from evlint.model import EvlintError
from evlint.report import Report, render
from evlint.report.compare import Comparison
from evlint.report.csv import rollup_csv
from evlint.report.html import render_rollup_html
from evlint.report.inventory import ProjectInventory
from evlint.report.markdown import table
from evlint.report.rollup import (
    DELIVERABLE_COLUMNS,
    ROLLUP_TITLE,
    TEAM_COLUMNS,
    Row,
    deliverable_cells,
    deliverable_rows,
    overview,
    team_cells,
    team_of,
    team_rows,
)
from evlint.report.write import write_report_file

EXTENSIONS = {"markdown": "md", "json": "json", "html": "html", "csv": "csv"}
INDEX = "index"


def team_reports(report: Report) -> list[Report]:
    """The report split by team, in the order of the teams' remaining work."""
    by_team: dict[str, list[ProjectInventory]] = {}
    for project in report.projects:
        by_team.setdefault(team_of(project), []).append(project)
    order = [row.team for row in team_rows(report.projects, report.removed_code())]
    return [
        replace(
            report, team=team, projects=tuple(by_team[team]), comparison=_of(report.comparison, by_team[team])
        )
        for team in order
    ]


def _of(comparison: Comparison | None, projects: Sequence[ProjectInventory]) -> Comparison | None:
    """The part of the comparison about these projects."""
    if comparison is None:
        return None
    names = {project.name for project in projects}
    removed = tuple(o for o in comparison.removed if o.project in names)
    return replace(
        comparison, removed=removed, added=tuple(o for o in comparison.added if o.project in names)
    )


def document_names(teams: Sequence[str], output_format: str) -> dict[str, str]:
    """team -> its file name; names that would clash get a number."""
    names: dict[str, str] = {}
    used = {INDEX}
    for team in teams:
        stem = re.sub(r"[^a-z0-9]+", "-", team.lower()).strip("-") or "team"
        name, number = stem, 2
        while name in used:
            name, number = f"{stem}-{number}", number + 1
        used.add(name)
        names[team] = f"{name}.{EXTENSIONS[output_format]}"
    return names


def write_community(report: Report, directory: Path, output_format: str) -> list[Path]:
    """Every team's document and the roll-up, each written whole; the paths written."""
    if directory.exists() and not directory.is_dir():
        raise EvlintError(f"{directory}: not a directory (-o names a directory when teams are mapped)")
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise EvlintError(f"{directory}: cannot create: {error.strerror or error}") from None
    parts = team_reports(report)
    names = document_names([part.team for part in parts], output_format)
    written = []
    for part in parts:
        path = directory / names[part.team]
        write_report_file(path, render(part, output_format))
        written.append(path)
    index = directory / f"{INDEX}.{EXTENSIONS[output_format]}"
    write_report_file(index, render_rollup(report, output_format, names))
    written.append(index)
    return written


def render_rollup(report: Report, output_format: str, documents: Mapping[str, str]) -> str:
    removed = report.removed_code()
    teams, deliverables = team_rows(report.projects, removed), deliverable_rows(report.projects, removed)
    if output_format == "json":
        return _rollup_json(report, teams, deliverables, documents)
    if output_format == "csv":
        return rollup_csv(deliverables)
    if output_format == "html":
        return render_rollup_html(report, teams, deliverables, documents)
    return _rollup_markdown(report, teams, deliverables, documents)


def _rollup_markdown(
    report: Report, teams: Sequence[Row], deliverables: Sequence[Row], documents: Mapping[str, str]
) -> str:
    team_lines = [[f"[{row.team}]({documents[row.team]})", *team_cells(row)[1:]] for row in teams]
    lines = [
        f"# {ROLLUP_TITLE}",
        "",
        overview(report.projects, teams, report.removed_code()),
        "",
        "## Teams",
        "",
    ]
    lines += table(TEAM_COLUMNS, team_lines)
    lines += ["## Deliverables", ""]
    lines += table(DELIVERABLE_COLUMNS, [deliverable_cells(row) for row in deliverables])
    return "\n".join(lines)


def _rollup_json(
    report: Report, teams: Sequence[Row], deliverables: Sequence[Row], documents: Mapping[str, str]
) -> str:
    def row_json(row: Row) -> dict[str, object]:
        return {
            "team": row.team,
            "name": row.name,
            "repositories": list(row.repositories),
            "production": row.work.production,
            "test": row.work.test,
            "docs": row.work.docs,
            "effort": row.work.effort,
            "verdict": row.verdict,
            "status": row.status,
        }

    document = {
        "title": ROLLUP_TITLE,
        "generated": report.generated,
        "teams": [{**row_json(row), "document": documents[row.team]} for row in teams],
        "deliverables": [row_json(row) for row in deliverables],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
