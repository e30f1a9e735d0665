"""`evlint entrypoints` output: a text table with the evidence under it, or JSON (a list of
objects, one per entry point, with at least name, group, target, verdict and evidence)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from evlint.entrypoints.project import ProjectEntryPoints
from evlint.entrypoints.verdict import EntryPointResult, PatchSite

_COLUMNS = ("NAME", "GROUP", "TARGET", "VERDICT")


def to_json(projects: Sequence[ProjectEntryPoints]) -> str:
    items = [_item(project, result) for project in projects for result in project.entry_points]
    return json.dumps(items, indent=2, ensure_ascii=False)


def to_text(projects: Sequence[ProjectEntryPoints]) -> str:
    lines: list[str] = []
    for project in projects:
        if lines:
            lines.append("")
        lines.extend(_project_text(project))
    return "\n".join(lines) + "\n"


def _project_text(project: ProjectEntryPoints) -> list[str]:
    lines = [f"{project.root}: {project.verdict or 'no entry points'}"]
    lines.extend(f"  blocker: {blocker}" for blocker in project.blockers)
    if not project.entry_points:
        return lines
    rows = [
        (r.entry_point.name, r.entry_point.group, r.entry_point.target, r.verdict)
        for r in project.entry_points
    ]
    widths = [max(len(row[i]) for row in (_COLUMNS, *rows)) for i in range(len(_COLUMNS))]
    lines.append("")
    for row in (_COLUMNS, *rows):
        lines.append("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
    for result in project.entry_points:
        lines.append("")
        lines.append(f"{result.entry_point.name} ({result.verdict})")
        lines.extend(f"  - {line}" for line in result.evidence)
        if result.patches and result.imported_before_patch:
            shown = ", ".join(result.imported_before_patch[:8])
            more = len(result.imported_before_patch) - 8
            lines.append(f"  - imported before the patch: {shown}{f' (and {more} more)' if more > 0 else ''}")
    return lines


def _item(project: ProjectEntryPoints, result: EntryPointResult) -> dict[str, Any]:
    point = result.entry_point
    return {
        "name": point.name,
        "group": point.group,
        "target": point.target,
        "module": point.module,
        "function": point.function,
        "declared_in": point.declared_in,
        "project": str(project.root),
        "verdict": result.verdict,
        "evidence": list(result.evidence),
        "patches": [_patch(patch) for patch in result.patches],
        "imported_before_patch": list(result.imported_before_patch),
        "eventlet_imports": list(result.eventlet_imports),
        "lazy_eventlet_imports": list(result.lazy_eventlet),
    }


def _patch(patch: PatchSite) -> dict[str, Any]:
    return {
        "location": patch.location,
        "call": patch.call,
        "reached_by": patch.reached_by,
        "via": list(patch.via),
        "how": patch.how,
        "switchable": patch.switchable,
        "guards": [
            {"kind": g.kind, "name": g.name, "file": g.file, "line": g.line, "negated": g.negated}
            for g in patch.guards
        ],
    }
