"""How `evlint check` shows a finished check: the report where it goes (standard output,
a file, nowhere), the fixes applied, colour; and --show-settings / --show-files."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import NoReturn, TextIO

import click

from evlint.api import EXIT_CLEAN, Configuration
from evlint.model import CheckResult
from evlint.output import MACHINE_FORMATS, write_report
from evlint.output.destination import ReportDestination


@dataclass(frozen=True)
class Presentation:
    """How `check` shows its result (the options that choose it)."""

    output_format: str
    output_file: Path | None
    color: bool | None
    quiet: bool
    silent: bool
    statistics: bool
    unsafe_fixes: bool
    show_fixes: bool
    fix_only: bool


def present(
    result: CheckResult, configuration: Configuration, how: Presentation, *, to_stderr: bool
) -> CheckResult:
    """Write the report where it goes; the result as shown (--fix-only shows no finding)."""
    destination = ReportDestination(how.output_file, silent=how.silent)
    stream = destination.stream(sys.stderr if to_stderr else None)
    shown = fixes_only(result) if how.fix_only else result
    if how.show_fixes and not how.silent and how.output_format not in MACHINE_FORMATS:
        from evlint.output.fixes import write_fixes

        write_fixes(result, configuration.rules, stream)
    write_report(
        how.output_format,
        shown,
        stream,
        color=use_color(how.color, stream) and how.output_file is None,
        quiet=how.quiet,
        statistics=how.statistics,
        unsafe_fixes=how.unsafe_fixes,
        rules=configuration.rules,
    )
    destination.finish()  # raises EvlintError if the file cannot be written
    if shown.baseline is not None and how.output_format in MACHINE_FORMATS and not how.quiet:
        click.echo(shown.baseline.summary(), err=True)
    return shown


def show(configuration: Configuration, targets: tuple[Path, ...], *, settings: bool) -> NoReturn:
    """--show-settings or --show-files: print, do not check."""
    from evlint.show import show_files, show_settings

    if settings:
        show_settings(configuration, sys.stdout)
    else:
        show_files(configuration, targets, sys.stdout)
    sys.exit(EXIT_CLEAN)


def fixes_only(result: CheckResult) -> CheckResult:
    """--fix-only: the fixes applied, none of what remains (ruff's `--fix-only`)."""
    return replace(result, files=tuple(replace(file, diagnostics=()) for file in result.files))


def use_color(color: bool | None, stream: TextIO = sys.stdout) -> bool:
    """--color/--no-color, else FORCE_COLOR or NO_COLOR (non-empty), else whether on a terminal."""
    if color is not None:
        return color
    if os.environ.get("FORCE_COLOR"):
        return True
    return "NO_COLOR" not in os.environ and stream.isatty()
