"""`--history`: the inventory at each of a series of snapshots, and the burndown across them.

PATHS is one git repository (its revisions read straight from git, see gitread) or a series
of saved JSON reports, oldest first. Printed: the burndown table (or CSV/JSON/HTML with
--output-format); with `-o DIR`: history.md, history.csv, history.html and one SVG per team.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import sys
import tempfile
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, replace
from pathlib import Path

from evlint.cache.results_reuse import ResultReuse
from evlint.model import EvlintError
from evlint.report.burndown import (
    FilesLinted,
    Point,
    Snapshot,
    burndown,
    burndown_csv,
    burndown_html,
    burndown_markdown,
    burndown_svg,
)
from evlint.report.collect import collect_project
from evlint.report.gitread import Revision, ScratchTree, revisions
from evlint.report.identity import Identity, identify
from evlint.report.inventory import ProjectInventory
from evlint.report.load import load_projects
from evlint.report.merge import with_team
from evlint.report.request import ReportRequest, generated_date
from evlint.report.teams import TeamMap, load_team_map
from evlint.report.write import write_document, write_report_file


def run_history(request: ReportRequest) -> None:
    mapped = request.governance or request.teams_files
    teams = load_team_map(request.governance, request.teams_files) if mapped else None
    snapshots = _from_reports(request.paths, teams) if _all_json(request.paths) else _from_git(request, teams)
    for snapshot in snapshots:
        if snapshot.work is not None:
            linted, reused = snapshot.work.linted, snapshot.work.reused
            print(f"{snapshot.label}: {linted} files linted, {reused} reused", file=sys.stderr)
    points = burndown(snapshots)
    if request.output is not None and (request.output.is_dir() or not request.output.suffix):
        write_history_directory(points, request.output, generated_date())
        return
    document = _render(points, request.output_format, generated_date())
    write_document(document, request.output, sys.stdout)


def _all_json(paths: Sequence[Path]) -> bool:
    return all(path.suffix == ".json" for path in paths)


def _from_reports(paths: Sequence[Path], teams: TeamMap | None) -> list[Snapshot]:
    snapshots = []
    for path in paths:
        projects = load_projects(path)
        if teams is not None:
            projects = tuple(with_team(project, teams) for project in projects)
        snapshots.append(Snapshot(path.stem, projects))
    return snapshots


def _from_git(request: ReportRequest, teams: TeamMap | None) -> list[Snapshot]:
    """Each revision's inventory. The revisions are cut into one run of consecutive ones per
    core, each read by a process pinned to its core that moves its own scratch tree: one huge
    file (nova's test_driver.py) keeps a single report from using two cores, two revisions at
    once do not have that limit; and consecutive revisions share most blobs, whose results a
    process reuses (`ResultReuse`)."""
    if len(request.paths) != 1:
        raise EvlintError("--history: give one git repository, or JSON reports (*.json)")
    repository = Path(os.path.abspath(request.paths[0]))
    chosen = revisions(repository, request.revs, request.every)
    candidates = identify(repository).candidates
    allowed = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else [0]
    workers = min(len(allowed), len(chosen))
    if workers < 2:
        return _read_revisions(request, repository, chosen, candidates, teams, None)
    bounds = [len(chosen) * worker // workers for worker in range(workers + 1)]
    shares = [chosen[bounds[worker] : bounds[worker + 1]] for worker in range(workers)]
    context = multiprocessing.get_context("fork" if sys.platform == "linux" else None)
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        futures = [
            pool.submit(_read_revisions, request, repository, share, candidates, teams, allowed[worker])
            for worker, share in enumerate(shares)
        ]
        return [snapshot for future in futures for snapshot in future.result()]


def _read_revisions(
    request: ReportRequest,
    repository: Path,
    chosen: Sequence[Revision],
    candidates: tuple[str, ...],
    teams: TeamMap | None,
    core: int | None,
) -> list[Snapshot]:
    if core is not None and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {core})
    snapshots = []
    reuse = ResultReuse()  # unchanged blobs whose index answers did not change are not linted again
    with tempfile.TemporaryDirectory(prefix="evlint-history-") as scratch:
        directory = Path(scratch) / candidates[0]
        directory.mkdir()
        with ScratchTree(repository, directory) as tree:
            for revision in chosen:
                tree.move_to(revision)
                reuse.start()
                project = _inventory(request, directory, Identity(candidates, revision.label), teams, reuse)
                work = FilesLinted(reuse.linted, reuse.reused)
                snapshots.append(Snapshot(revision.label, (project,), work))
    return snapshots


def _inventory(
    request: ReportRequest, directory: Path, identity: Identity, teams: TeamMap | None, reuse: ResultReuse
) -> ProjectInventory:
    """One revision's inventory, read by the same engine as `report`, with the results of the
    revisions this process read before kept by what each file depends on (`reuse`)."""
    project = collect_project(
        directory,
        request.rules_dirs,
        project_index=request.project_index,
        teams=teams,
        identity=identity,
        reuse=reuse,
    )
    return replace(project, root=f"{request.paths[0]}@{identity.ref}")


def _render(points: Sequence[Point], output_format: str, generated: str) -> str:
    if output_format == "csv":
        return burndown_csv(points)
    if output_format == "html":
        return burndown_html(points, generated)
    if output_format == "json":
        return json.dumps({"generated": generated, "points": [asdict(p) for p in points]}, indent=2) + "\n"
    return burndown_markdown(points)


def write_history_directory(points: Sequence[Point], directory: Path, generated: str) -> None:
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise EvlintError(f"{directory}: cannot create: {error.strerror or error}") from None
    write_report_file(directory / "history.md", burndown_markdown(points))
    write_report_file(directory / "history.csv", burndown_csv(points))
    write_report_file(directory / "history.html", burndown_html(points, generated))
    from evlint.report.community import document_names

    names = document_names(list(dict.fromkeys(p.team for p in points)), "html")
    for team, name in names.items():
        svg = burndown_svg(points, team)
        write_report_file(directory / f"history-{name.removesuffix('.html')}.svg", svg)
