"""`evlint report`: from the command line's request to the documents written.

Three sources of inventories: project directories (read now), saved JSON reports (`--merge`:
no code is read again) and a git repository's revisions or a series of reports (`--history`).
With teams mapped (`--governance`, `--teams`, or merged reports that carry teams), `-o` names
a directory: one document per team plus the community roll-up.
"""

from __future__ import annotations

import sys

from evlint.report import Report, render
from evlint.report.inventory import ProjectInventory
from evlint.report.links import PRESETS, check_template
from evlint.report.request import ReportRequest, generated_date
from evlint.report.teams import TeamMap, load_team_map


def run_report(request: ReportRequest) -> None:
    if request.history:
        from evlint.report.history import run_history

        run_history(request)
        return
    teams = _team_map(request)
    template = _template(request)
    projects = _merged(request, teams) if request.merge else _collected(request, teams)
    comparison = None
    if request.compare_path is not None:
        from evlint.report.compare import compare_with

        comparison = compare_with(request.compare_path, projects)
    name = request.team or ", ".join(project.name for project in projects)
    report = Report(name, projects, template, comparison, generated=generated_date())
    write(report, request, by_team=teams is not None or any(p.team for p in projects))


def _team_map(request: ReportRequest) -> TeamMap | None:
    if not request.governance and not request.teams_files:
        return None
    return load_team_map(request.governance, request.teams_files)


def _template(request: ReportRequest) -> str | None:
    if request.link_template is not None:
        return check_template(request.link_template)
    return PRESETS["openstack"] if request.governance else None


def _collected(request: ReportRequest, teams: TeamMap | None) -> tuple[ProjectInventory, ...]:
    from evlint.report.progress import project_progress
    from evlint.report.projects import CollectSettings, collect_projects

    how = CollectSettings(tuple(request.rules_dirs), request.project_index, teams)
    with project_progress(sys.stderr, len(request.paths)) as advance:
        return collect_projects(request.paths, how, advance)


def _merged(request: ReportRequest, teams: TeamMap | None) -> tuple[ProjectInventory, ...]:
    from evlint.report.merge import merge_reports

    return merge_reports(request.paths, teams)


def write(report: Report, request: ReportRequest, *, by_team: bool) -> None:
    from evlint.report.write import write_document

    if by_team and request.output is not None:
        from evlint.report.community import write_community

        write_community(report, request.output, request.output_format)
        return
    write_document(render(report, request.output_format), request.output, sys.stdout)
