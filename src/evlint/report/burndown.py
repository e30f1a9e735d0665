"""The burndown of a series of snapshots: what remains at each (production, tests, docs and per
pattern), what was removed and added since the one before (code moved is neither), as a
Markdown table, CSV and a self-contained SVG/HTML chart per team."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from evlint import __version__
from evlint.report.charts import line_chart
from evlint.report.classify import CODE_PATTERNS, DOCS, PRODUCTION, TEST
from evlint.report.compare import compare
from evlint.report.csv import table_csv
from evlint.report.html import page
from evlint.report.inventory import ProjectInventory
from evlint.report.markdown import table

ALL_PROJECTS = "all projects"  # the team of projects read without a team map


@dataclass(frozen=True)
class Snapshot:
    label: str
    projects: tuple[ProjectInventory, ...]
    work: FilesLinted | None = None  # for a revision read from git


@dataclass(frozen=True)
class FilesLinted:
    """How many of a revision's files were linted, and how many answered by the results
    of the revisions before it read in the same process."""

    linted: int
    reused: int


@dataclass(frozen=True)
class Point:
    """One team at one snapshot."""

    label: str
    team: str
    production: int
    test: int
    docs: int
    by_pattern: dict[str, int]  # code occurrences (production and tests) per pattern
    removed: int  # code occurrences removed since the snapshot before (0 for the first)
    added: int

    @property
    def code(self) -> int:
        return self.production + self.test


def burndown(snapshots: Sequence[Snapshot]) -> list[Point]:
    """Points in snapshot order, then team order."""
    points = []
    previous: dict[str, list[ProjectInventory]] = {}
    for snapshot in snapshots:
        teams: dict[str, list[ProjectInventory]] = {}
        for project in snapshot.projects:
            teams.setdefault(project.team or ALL_PROJECTS, []).append(project)
        for team in sorted(teams):
            points.append(_point(snapshot.label, team, teams[team], previous.get(team)))
        previous = teams
    return points


def _point(
    label: str, team: str, projects: Sequence[ProjectInventory], before: Sequence[ProjectInventory] | None
) -> Point:
    occurrences = [o for p in projects for o in p.occurrences]
    code = [o for o in occurrences if o.pattern != DOCS]
    scopes = Counter(o.scope for o in code)
    removed = added = 0
    if before is not None:
        old_code = [o for p in before for o in p.occurrences if o.pattern != DOCS]
        change = compare(label, old_code, code)
        removed, added = len(change.removed), len(change.added)
    patterns = Counter(o.pattern for o in code)
    return Point(
        label=label,
        team=team,
        production=scopes[PRODUCTION],
        test=scopes[TEST],
        docs=len(occurrences) - len(code),
        by_pattern={p: patterns[p] for p in CODE_PATTERNS},
        removed=removed,
        added=added,
    )


COLUMNS = ("snapshot", "team", "code", "production", "test", "docs", "removed", "added")


def _cells(point: Point) -> list[str]:
    counts = (point.code, point.production, point.test, point.docs, point.removed, point.added)
    return [point.label, point.team, *(str(c) for c in counts)]


def burndown_markdown(points: Sequence[Point]) -> str:
    lines = [
        "# Eventlet burndown",
        "",
        "Code occurrences left at each snapshot; removed and added since the one before.",
        "",
    ]
    lines += table(COLUMNS, [_cells(p) for p in points])
    return "\n".join(lines)


def burndown_csv(points: Sequence[Point]) -> str:
    """One row per snapshot and team: the totals, then each pattern's code occurrences."""
    headers = (*COLUMNS, *CODE_PATTERNS)
    rows = [[*_cells(p), *(str(p.by_pattern[pattern]) for pattern in CODE_PATTERNS)] for p in points]
    return table_csv(headers, rows)


def burndown_svg(points: Sequence[Point], team: str) -> str:
    """The chart alone: remaining production, tests and docs, and code removed so far."""
    mine = [p for p in points if p.team == team]
    removed_so_far = []
    total = 0
    for point in mine:
        total += point.removed
        removed_so_far.append(total)
    series = [
        ("remaining: production", [p.production for p in mine]),
        ("remaining: tests", [p.test for p in mine]),
        ("remaining: docs", [p.docs for p in mine]),
        ("removed so far (code)", removed_so_far),
    ]
    return line_chart([p.label for p in mine], series, f"burndown-{team}")


def pattern_svg(points: Sequence[Point], team: str) -> str:
    mine = [p for p in points if p.team == team]
    used = [pattern for pattern in CODE_PATTERNS if any(p.by_pattern[pattern] for p in mine)]
    series = [(pattern, [p.by_pattern[pattern] for p in mine]) for pattern in used]
    return line_chart([p.label for p in mine], series, f"patterns-{team}")


def burndown_html(points: Sequence[Point], generated: str | None) -> str:
    teams = list(dict.fromkeys(p.team for p in points))
    when = f" on {generated}" if generated else ""
    body = [
        "<h1>Eventlet burndown</h1>",
        f"<p class='provenance'>Made by evlint {escape(__version__)}{escape(when)}.</p>",
    ]
    for team in teams:
        body += [f"<h2>{escape(team)}</h2>", "<h3>Remaining and removed</h3>", burndown_svg(points, team)]
        body += ["<h3>Code per pattern</h3>", pattern_svg(points, team)]
        rows = "".join(
            "<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in _cells(p)) + "</tr>"
            for p in points
            if p.team == team
        )
        head = "".join(f"<th>{escape(c)}</th>" for c in COLUMNS)
        body.append(f"<table class='burndown'><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")
    return page("Eventlet burndown", body)
