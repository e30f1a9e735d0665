"""What the `evlint` command modules share: exit codes, the one-line error, shared options."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import click

from evlint.model import EvlintError

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2  # (evlint.api's, without importing it for --help)


def fail(error: EvlintError) -> NoReturn:
    """A usage, configuration or rule error: one line on stderr, exit 2."""
    click.echo(f"evlint: error: {error}", err=True)
    sys.exit(EXIT_ERROR)


rules_dir_option = click.option(
    "--rules-dir",
    "rules_dirs",
    multiple=True,
    type=click.Path(path_type=Path),
    help="A directory of YAML rules to load besides the bundled ones (repeatable).",
)
no_project_index_option = click.option(
    "--no-project-index",
    is_flag=True,
    help="Resolve each file on its own: do not follow eventlet names re-exported by the project's modules.",
)
