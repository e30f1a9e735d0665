"""The entry-point verdict of each project and its blockers, shown in the roll-up and at the
top of each project's section.

This is the one place the report asks for them: the entry-point analysis
(`evlint.api.entrypoint_verdicts`, the same as `evlint entrypoints`) gives each project read
from source `eventlet-free`, `dual-mode` or `eventlet-only` (the worst of its entry points)
and short blocker strings; a project without entry points has none. Merged JSON reports
carry whatever the job that wrote them found (`verdict`, `blockers`).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from evlint.api import entrypoint_verdicts
from evlint.model import EvlintError
from evlint.report.inventory import ProjectInventory

VERDICTS = ("eventlet-free", "dual-mode", "eventlet-only")


def with_verdicts(projects: tuple[ProjectInventory, ...]) -> tuple[ProjectInventory, ...]:
    """The projects with their verdicts filled in (the seam for issue 18's analysis)."""
    return tuple(_with_verdict(project, *_verdict(project)) for project in projects)


def _verdict(project: ProjectInventory) -> tuple[str | None, tuple[str, ...]]:
    if project.verdict is not None or not Path(project.root).is_dir():
        return project.verdict, project.blockers
    try:
        found = entrypoint_verdicts(Path(project.root))
    except EvlintError:  # (its configuration was reported when the project was checked)
        return None, ()
    if found.verdict not in VERDICTS:
        return None, ()
    return found.verdict, found.blockers


def _with_verdict(
    project: ProjectInventory, verdict: str | None, blockers: tuple[str, ...]
) -> ProjectInventory:
    if verdict is not None and verdict not in VERDICTS:
        raise ValueError(f"unknown verdict {verdict!r}")
    return replace(project, verdict=verdict, blockers=blockers)
