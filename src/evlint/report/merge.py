"""`--merge a.json b.json ...`: the community documents from per-repository JSON reports.

Each repository's CI job writes its own report; merging reads no code. With --governance or
--teams the teams are mapped again here (by the repository's name and its aliases), so the
jobs need not know them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from evlint.model import EvlintError
from evlint.report.inventory import ProjectInventory
from evlint.report.load import load_projects
from evlint.report.teams import UNKNOWN_TEAM, TeamMap


def merge_reports(paths: Sequence[Path], teams: TeamMap | None) -> tuple[ProjectInventory, ...]:
    if not paths:
        raise EvlintError("--merge: give the JSON reports to merge")
    projects: list[ProjectInventory] = []
    seen: dict[str, Path] = {}
    for path in paths:
        for loaded in load_projects(path):
            project = with_team(loaded, teams) if teams is not None else loaded
            if project.name in seen:
                raise EvlintError(f"{path}: project {project.name!r} is also in {seen[project.name]}")
            seen[project.name] = path
            projects.append(project)
    return tuple(projects)


def with_team(project: ProjectInventory, teams: TeamMap) -> ProjectInventory:
    """The project's team and deliverable from the map, renamed to its repository's name."""
    owner = teams.owner((project.name, *project.aliases))
    if owner is None:
        return replace(project, team=UNKNOWN_TEAM, deliverable=None)
    return rename(replace(project, team=owner.team, deliverable=owner.deliverable), owner.repository)


def rename(project: ProjectInventory, name: str) -> ProjectInventory:
    if name == project.name:
        return project
    aliases = tuple(a for a in (project.name, *project.aliases) if a != name)
    occurrences = tuple(replace(o, project=name) for o in project.occurrences)
    return replace(project, name=name, aliases=aliases, occurrences=occurrences)
