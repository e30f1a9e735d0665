"""`evlint entrypoints`: a run-without-eventlet verdict per entry point of each project."""

from __future__ import annotations

from pathlib import Path

import click

from evlint.cli_common import fail
from evlint.model import EvlintError


@click.command("entrypoints")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--output-format", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path),
    help="A pyproject.toml (or evlint.toml) to use instead of the nearest one.",
)
def entrypoints_command(paths: tuple[Path, ...], output_format: str, config_path: Path | None) -> None:
    """Can each entry point of the projects at PATHS run without eventlet? Where it
    monkey-patches, behind which switch, and what still imports eventlet: a verdict with evidence."""
    from evlint.api import entrypoint_projects
    from evlint.config import CliOverrides
    from evlint.entrypoints.render import to_json, to_text

    try:
        projects = entrypoint_projects(paths or (Path("."),), CliOverrides(config=config_path))
    except EvlintError as error:
        fail(error)
    for project in projects:
        for problem in project.problems:
            click.echo(f"evlint: warning: {project.root / problem}", err=True)
    click.echo(to_json(projects) if output_format == "json" else to_text(projects), nl=False)
