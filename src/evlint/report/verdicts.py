"""The entry-point verdict of each project and its blockers, shown in the roll-up and at the
top of each project's section.

This is the one place the report asks for them. The entry-point analysis (issue 18) returns,
per project, `eventlet-free`, `dual-mode` or `eventlet-only` and short blocker strings; until
it is merged, projects read from source carry none, and merged JSON reports carry whatever
the job that wrote them found (`verdict`, `blockers`).
"""

from __future__ import annotations

from dataclasses import replace

from evlint.report.inventory import ProjectInventory

VERDICTS = ("eventlet-free", "dual-mode", "eventlet-only")


def with_verdicts(projects: tuple[ProjectInventory, ...]) -> tuple[ProjectInventory, ...]:
    """The projects with their verdicts filled in (the seam for issue 18's analysis)."""
    return tuple(_with_verdict(project, *_verdict(project)) for project in projects)


def _verdict(project: ProjectInventory) -> tuple[str | None, tuple[str, ...]]:
    # At merge: return the entry-point analysis of Path(project.root) here.
    return project.verdict, project.blockers


def _with_verdict(
    project: ProjectInventory, verdict: str | None, blockers: tuple[str, ...]
) -> ProjectInventory:
    if verdict is not None and verdict not in VERDICTS:
        raise ValueError(f"unknown verdict {verdict!r}")
    return replace(project, verdict=verdict, blockers=blockers)
