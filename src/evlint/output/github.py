"""GitHub Actions workflow commands: one annotation per finding on the pull request's diff.

Escaping is that of the Actions toolkit (@actions/core `escapeData`/`escapeProperty`): in the
message `%`, CR and LF; in property values also `:` and `,`.
"""

from __future__ import annotations

from typing import TextIO

from evlint.model import CheckResult, Diagnostic, Severity

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def annotation(diagnostic: Diagnostic) -> str:
    start, end = diagnostic.location, diagnostic.end_location
    properties = [("file", diagnostic.path), ("line", str(start.row))]
    if end.row == start.row:  # GitHub takes columns only on a one-line range
        properties += [("col", str(start.column)), ("endLine", str(end.row)), ("endColumn", str(end.column))]
    else:
        properties.append(("endLine", str(end.row)))
    properties.append(("title", f"evlint ({diagnostic.code})"))
    rendered = ",".join(f"{name}={escape_property(value)}" for name, value in properties)
    return f"::{COMMANDS[diagnostic.severity]} {rendered}::{escape_data(diagnostic.message)}"


def write_github(result: CheckResult, stream: TextIO) -> None:
    for diagnostic in result.diagnostics:
        stream.write(annotation(diagnostic) + "\n")
