"""The report as JSON, in the shape src/evlint/schema/report.schema.json fixes (version 1)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from evlint import __version__
from evlint.fsnames import escape_undecodable
from evlint.report import effort
from evlint.report.classify import PATTERN_TITLES, PATTERNS
from evlint.report.inventory import Counts, ProjectInventory, Summary
from evlint.report.links import Links
from evlint.report.occurrence import Occurrence

if TYPE_CHECKING:
    from evlint.report import Report

SCHEMA_VERSION = 1


@cache
def report_schema() -> dict[str, Any]:
    text = resources.files("evlint").joinpath("schema/report.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def render_json(report: Report) -> str:
    return escape_undecodable(json.dumps(report_document(report), indent=2, ensure_ascii=False)) + "\n"


def report_document(report: Report) -> dict[str, Any]:
    weights = effort.weights_table()
    return {
        "schema_version": SCHEMA_VERSION,
        "evlint_version": __version__,
        "team": report.team,
        "link_template": report.link_template,
        "patterns": [{"name": p, "title": PATTERN_TITLES[p], "weight": weights[p]} for p in PATTERNS],
        "effort_formula": {
            "formula": effort.FORMULA,
            "weights": weights,
            "test_factor": effort.TEST_FACTOR,
            "spread_per_doubling": effort.SPREAD_PER_DOUBLING,
            "docs_weight": effort.DOCS_WEIGHT,
        },
        "summary": summary_json(report.summary()),
        "generated": report.generated,
        "projects": [_project(project, report.links()) for project in report.projects],
        "comparison": _comparison(report),
    }


def _project(project: ProjectInventory, links: Links) -> dict[str, Any]:
    return {
        "name": project.name,
        "root": project.root,
        "team": project.team,
        "deliverable": project.deliverable,
        "ref": project.ref,
        "verdict": project.verdict,
        "blockers": list(project.blockers),
        "release_notes": project.release_notes,
        "aliases": list(project.aliases),
        "rule_names": dict(sorted(project.rule_names.items())),
        "summary": summary_json(project.summary()),
        "suggestions": dict(sorted(project.suggestions.items())),
        "errors": [
            {"path": e.path, "line": e.line, "code": e.code, "message": e.message} for e in project.errors
        ],
        "occurrences": [occurrence_json(o, links, project.suggestions) for o in project.occurrences],
    }


def _counts(counts: Counts) -> dict[str, int]:
    return {"production": counts.production, "test": counts.test, "total": counts.total}


def summary_json(summary: Summary) -> dict[str, Any]:
    return {
        "occurrences": summary.occurrences,
        "lines": summary.lines,
        "files": summary.files,
        "code": _counts(summary.code),
        "docs": summary.docs,
        "by_pattern": {pattern: _counts(counts) for pattern, counts in summary.by_pattern.items()},
        "by_rule": summary.by_rule,
        "by_module": [{"module": module, **_counts(counts)} for module, counts in summary.by_module.items()],
        "top_files": [
            {"project": f.project, "path": f.path, "occurrences": f.occurrences, "points": f.points}
            for f in summary.top_files
        ],
        "effort": {
            "score": summary.effort.score,
            "code_points": summary.effort.code_points,
            "modules": summary.effort.modules,
            "spread": summary.effort.spread,
            "docs_points": summary.effort.docs_points,
        },
    }


def occurrence_json(
    occurrence: Occurrence, links: Links, suggestions: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """`suggestion` is null when it is the project's `suggestions[rule]` (said once, not on
    every occurrence: it was a quarter of a large report)."""
    suggestion = occurrence.suggestion
    if suggestions is not None and occurrence.rule and suggestions.get(occurrence.rule) == suggestion:
        suggestion = None
    return {
        "project": occurrence.project,
        "path": occurrence.path,
        "line": occurrence.line,
        "column": occurrence.column,
        "rule": occurrence.rule,
        "pattern": occurrence.pattern,
        "kind": occurrence.kind,
        "scope": occurrence.scope,
        "source": occurrence.source,
        "message": occurrence.message,
        "suggestion": suggestion,
        "origin_line": occurrence.origin_line,
        "origin_path": occurrence.origin_path,
        "url": links.url(occurrence),
        "origin_url": links.url(origin) if (origin := occurrence.origin) is not None else None,
    }


def _comparison(report: Report) -> dict[str, Any] | None:
    comparison = report.comparison
    if comparison is None:
        return None
    links = report.links()
    return {
        "against": comparison.against,
        "removed": [occurrence_json(o, links) for o in comparison.removed],
        "added": [occurrence_json(o, links) for o in comparison.added],
        "removed_by_pattern": by_pattern(comparison.removed),
        "added_by_pattern": by_pattern(comparison.added),
    }


def by_pattern(occurrences: Iterable[Occurrence]) -> dict[str, int]:
    counted = Counter(o.pattern for o in occurrences)
    return {pattern: counted[pattern] for pattern in PATTERNS}
