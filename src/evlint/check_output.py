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


def write_fixed_stdin(result: CheckResult, stdin_source: bytes) -> None:
    fixed_sources = [file.fixed_source for file in result.files if file.fixed_source is not None]
    sys.stdout.buffer.write(fixed_sources[0] if fixed_sources else stdin_source)
    sys.stdout.flush()


def add_noqa_and_exit(result: CheckResult) -> NoReturn:
    from evlint.add_noqa import add_noqa

    added, warnings = add_noqa(result)
    for warning in (*warnings, f"Added {added} noqa directive{'s' if added != 1 else ''}."):
        click.echo(warning, err=True)
    sys.exit(EXIT_CLEAN)


def report_diff(result: CheckResult, *, quiet: bool) -> None:
    """ruff's --diff: the diff on stdout, a count on stderr."""
    for file in sorted(result.files, key=lambda f: f.path):
        sys.stdout.write(file.diff)
    if not quiet:
        noun = "error" if result.fixed == 1 else "errors"
        click.echo(
            f"Would fix {result.fixed} {noun}." if result.fixed else "No errors would be fixed.", err=True
        )
