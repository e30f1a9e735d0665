"""The roll-up: each project's status, the order of remaining work, and rows per deliverable/team.

Status, from the facts the report has:
- `eventlet-free`: no eventlet left in code (or the entry-point analysis says so);
- `dual-mode`: the entry-point analysis found the services can run without eventlet;
- `in progress`: code left, and the removal has started (code removed since --compare's
  report, or release notes that mention eventlet);
- `not started`: code left and no sign of removal yet.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from evlint.report.classify import DOCS, PRODUCTION
from evlint.report.inventory import ProjectInventory, team_summary
from evlint.report.teams import UNKNOWN_TEAM

FREE, DUAL, IN_PROGRESS, NOT_STARTED = "eventlet-free", "dual-mode", "in progress", "not started"
STATUSES = (NOT_STARTED, IN_PROGRESS, DUAL, FREE)  # most work first
VERDICT_ORDER = ("eventlet-only", "dual-mode", "eventlet-free")
NONE = "-"
ROLLUP_TITLE = "Eventlet removal: community roll-up"


@dataclass(frozen=True)
class Work:
    """The counts one row of the roll-up shows."""

    production: int
    test: int
    docs: int
    effort: float

    @property
    def code(self) -> int:
        return self.production + self.test


def work_of(projects: Iterable[ProjectInventory]) -> Work:
    production = test = docs = 0
    effort = 0.0
    for project in projects:
        summary = project.summary()
        production += summary.code.production
        test += summary.code.test
        docs += summary.docs
        effort += summary.effort.score
    return Work(production, test, docs, round(effort, 1))


def status(project: ProjectInventory, removed: Mapping[str, int] | None = None) -> str:
    """`removed`: code occurrences removed per project since an earlier report."""
    code = [o for o in project.occurrences if o.pattern != DOCS]
    if not code or project.verdict == FREE:
        return FREE
    if project.verdict == DUAL:
        return DUAL
    if (removed or {}).get(project.name, 0) or project.release_notes:
        return IN_PROGRESS
    return NOT_STARTED


def by_remaining_work(projects: Iterable[ProjectInventory]) -> tuple[ProjectInventory, ...]:
    """Most effort first; ties by production uses, then by name."""

    def key(project: ProjectInventory) -> tuple[float, int, str]:
        summary = project.summary()
        return (-summary.effort.score, -summary.code.production, project.name)

    return tuple(sorted(projects, key=key))


def has_use(project: ProjectInventory) -> bool:
    return bool(project.occurrences)


def production_uses(project: ProjectInventory) -> int:
    return sum(1 for o in project.occurrences if o.pattern != DOCS and o.scope == PRODUCTION)


def worst(values: Iterable[str], order: Sequence[str]) -> str:
    """The value that is furthest from done (by `order`), or NONE."""
    present = [v for v in values if v in order]
    return min(present, key=order.index) if present else NONE


@dataclass(frozen=True)
class Row:
    """One line of the roll-up: a deliverable (its repositories) or a whole team."""

    team: str
    name: str
    repositories: tuple[str, ...]
    work: Work
    verdict: str
    status: str


def deliverable_rows(
    projects: Sequence[ProjectInventory], removed: Mapping[str, int] | None = None
) -> list[Row]:
    """Per team and deliverable (a project without one is its own), most work first."""
    groups: dict[tuple[str, str], list[ProjectInventory]] = {}
    for project in projects:
        groups.setdefault((team_of(project), project.deliverable or project.name), []).append(project)
    rows = [_row(team, name, members, removed) for (team, name), members in groups.items()]
    return sorted(rows, key=lambda r: (-r.work.effort, -r.work.code, r.team, r.name))


def team_rows(projects: Sequence[ProjectInventory], removed: Mapping[str, int] | None = None) -> list[Row]:
    groups: dict[str, list[ProjectInventory]] = {}
    for project in projects:
        groups.setdefault(team_of(project), []).append(project)
    rows = [_row(team, team, members, removed) for team, members in groups.items()]
    return sorted(rows, key=lambda r: (-r.work.effort, -r.work.code, r.team))


def _row(team: str, name: str, members: Sequence[ProjectInventory], removed: Mapping[str, int] | None) -> Row:
    return Row(
        team=team,
        name=name,
        repositories=tuple(sorted(p.name for p in members)),
        work=work_of(members),
        verdict=worst((p.verdict for p in members if p.verdict), VERDICT_ORDER),
        status=worst((status(p, removed) for p in members), STATUSES),
    )


def team_of(project: ProjectInventory) -> str:
    return project.team or UNKNOWN_TEAM


PROJECT_COLUMNS = (
    "project",
    "deliverable",
    "occurrences",
    "production",
    "test",
    "docs",
    "effort",
    "verdict",
    "status",
)


def project_row(project: ProjectInventory, removed: Mapping[str, int] | None = None) -> list[str]:
    """One project's line of the team's projects table (Markdown and HTML alike)."""
    summary = project.summary()
    counts = (summary.occurrences, summary.code.production, summary.code.test, summary.docs)
    return [
        project.name,
        project.deliverable or NONE,
        *(str(count) for count in counts),
        str(summary.effort.score),
        project.verdict or NONE,
        status(project, removed),
    ]


def project_facts(project: ProjectInventory, removed: Mapping[str, int] | None = None) -> list[str]:
    """What the report knows about a project besides its occurrences (shown at its top)."""
    facts = []
    if project.team:
        facts.append(f"Team: {project.team}")
    if project.deliverable:
        facts.append(f"deliverable: {project.deliverable}")
    if project.ref:
        facts.append(f"read at: {project.ref}")
    if project.verdict:
        blockers = f" (blockers: {'; '.join(project.blockers)})" if project.blockers else ""
        facts.append(f"entry points: {project.verdict}{blockers}")
    facts.append(f"status: {status(project, removed)}")
    return [facts[0][:1].upper() + facts[0][1:], *facts[1:]]


def overview(
    projects: Sequence[ProjectInventory], teams: Sequence[Row], removed: Mapping[str, int] | None = None
) -> str:
    summary = team_summary(projects)
    statuses: dict[str, int] = {}
    for row in deliverable_rows(projects, removed):
        statuses[row.status] = statuses.get(row.status, 0) + 1
    counted = ", ".join(f"{count} {status}" for status, count in sorted(statuses.items()))
    return (
        f"{len(projects)} repositories of {len(teams)} teams: {summary.code.total} eventlet uses"
        f" in code ({summary.code.production} in production, {summary.code.test} in tests) and"
        f" {summary.docs} lines of docs; effort {summary.effort.score}. Deliverables: {counted}."
    )


TEAM_COLUMNS = ("team", "repositories", "production", "test", "docs", "effort", "verdict", "status")
DELIVERABLE_COLUMNS = (
    *("team", "deliverable", "repositories", "production", "test", "docs"),
    *("effort", "verdict", "status"),
)


def team_cells(row: Row) -> list[str]:
    counts = (len(row.repositories), row.work.production, row.work.test, row.work.docs, row.work.effort)
    return [row.team, *(str(count) for count in counts), row.verdict, row.status]


def deliverable_cells(row: Row) -> list[str]:
    counts = (row.work.production, row.work.test, row.work.docs, row.work.effort)
    return [
        row.team,
        row.name,
        " ".join(row.repositories),
        *(str(c) for c in counts),
        row.verdict,
        row.status,
    ]
