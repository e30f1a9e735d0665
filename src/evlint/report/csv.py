"""The report as CSV for spreadsheets: one row per occurrence, with its team and deliverable."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from evlint.report.rollup import Row

if TYPE_CHECKING:
    from evlint.report import Report

OCCURRENCE_COLUMNS = (
    *("team", "deliverable", "project", "ref", "path", "line", "column"),
    *("rule", "rule_name", "pattern", "kind", "scope", "source", "url"),
)
ROLLUP_COLUMNS = (
    *("team", "deliverable", "repositories", "production", "test", "docs"),
    *("effort", "verdict", "status"),
)


def render_csv(report: Report) -> str:
    links = report.links()
    rows = []
    for project in report.projects:
        for o in project.occurrences:
            rows.append(
                [
                    project.team or "",
                    project.deliverable or "",
                    project.name,
                    project.ref or "",
                    o.path,
                    str(o.line),
                    str(o.column),
                    o.rule or "",
                    project.rule_names.get(o.rule or "", ""),
                    o.pattern,
                    o.kind,
                    o.scope,
                    o.source,
                    links.url(o) or "",
                ]
            )
    return table_csv(OCCURRENCE_COLUMNS, rows)


def rollup_csv(rows: Iterable[Row]) -> str:
    cells = [
        [
            row.team,
            row.name,
            " ".join(row.repositories),
            str(row.work.production),
            str(row.work.test),
            str(row.work.docs),
            str(row.work.effort),
            row.verdict,
            row.status,
        ]
        for row in rows
    ]
    return table_csv(ROLLUP_COLUMNS, cells)


def table_csv(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue()
