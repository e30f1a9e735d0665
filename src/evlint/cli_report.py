"""`evlint report`: the migration inventory of many projects, by pattern, team and history."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from evlint.cli_common import EXIT_ERROR, fail, no_project_index_option, rules_dir_option
from evlint.model import EvlintError


@click.command("report")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--team", help="The team's name, in the title (default: the projects' names).")
@click.option(
    "--link-template",
    help="Turn occurrences into links: placeholders {repo}, {ref}, {path}, {line} ({project} = {repo});"
    " `openstack` for https://opendev.org/openstack/{repo}/src/{ref}/{path}#n{line}, the default with"
    " --governance.",
)
@click.option(
    "--output-format",
    type=click.Choice(["markdown", "json", "html", "csv"]),
    default="markdown",
    show_default=True,
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="Write to FILE; with teams mapped, to DIR: one document per team and index.<ext>, the roll-up.",
)
@click.option(
    "--compare",
    "compare_path",
    type=click.Path(path_type=Path),
    help="An earlier JSON report: show what was removed and added since.",
)
@click.option(
    "--governance",
    multiple=True,
    type=click.Path(path_type=Path),
    help="OpenStack governance's projects.yaml (and technical-committee-repos.yaml, sigs-repos.yaml):"
    " each repository's team and deliverable (repeatable).",
)
@click.option(
    "--teams",
    "teams_files",
    multiple=True,
    type=click.Path(path_type=Path),
    help="A YAML file of team -> list of repositories (repeatable).",
)
@click.option("--merge", is_flag=True, help="PATHS are JSON reports to combine; no code is read.")
@click.option(
    "--history",
    is_flag=True,
    help="PATHS are one git repository (see --revs, --every) or a series of JSON reports: a burndown.",
)
@click.option(
    "--revs",
    multiple=True,
    help="With --history: revisions to read, comma-separated or repeated; A..B is every first-parent"
    " commit from A to B.",
)
@click.option("--every", type=click.IntRange(min=1), help="With --history: every Nth commit of HEAD.")
@rules_dir_option
@no_project_index_option
def report_command(
    paths: tuple[Path, ...],
    team: str | None,
    link_template: str | None,
    output_format: str,
    output: Path | None,
    compare_path: Path | None,
    governance: tuple[Path, ...],
    teams_files: tuple[Path, ...],
    merge: bool,
    history: bool,
    revs: tuple[str, ...],
    every: int | None,
    rules_dirs: tuple[Path, ...],
    no_project_index: bool,
) -> None:
    """Inventory every eventlet use in the projects at PATHS, by migration pattern."""
    from evlint.report.command import run_report
    from evlint.report.request import ReportRequest

    if not paths:
        click.echo("evlint: error: Missing argument 'PATHS...'.", err=True)
        sys.exit(EXIT_ERROR)
    request = ReportRequest(
        paths=paths,
        team=team,
        link_template=link_template,
        output_format=output_format,
        output=output,
        compare_path=compare_path,
        rules_dirs=rules_dirs,
        project_index=not no_project_index,
        governance=governance,
        teams_files=teams_files,
        merge=merge,
        history=history,
        revs=tuple(rev.strip() for value in revs for rev in value.split(",") if rev.strip()),
        every=every,
    )
    try:
        run_report(request)
    except EvlintError as error:
        fail(error)
