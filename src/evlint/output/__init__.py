"""One formatter per output format (a module each); each writes a finished check to a stream."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TextIO

from evlint.model import CheckResult, Rule

# ruff's output formats, those evlint has a use for, in ruff's spelling.
FORMATS = ("text", "concise", "grouped", "json", "json-lines", "sarif", "github", "gitlab", "junit", "pylint")
# Formats a program reads: no summary on standard output.
MACHINE_FORMATS = ("json", "json-lines", "sarif", "github", "gitlab", "junit", "pylint")


def write_report(
    output_format: str,
    result: CheckResult,
    stream: TextIO,
    *,
    color: bool,
    quiet: bool,
    statistics: bool,
    unsafe_fixes: bool = False,
    rules: Sequence[Rule] = (),
) -> None:
    """Write `result` in `output_format`; `rules` are those that ran (SARIF lists them).
    With `statistics`, only the count per rule (a JSON list for `json`), as in ruff."""
    if statistics:
        from evlint.output.statistics import write_statistics

        write_statistics(result, rules, stream, as_json=output_format == "json", unsafe_fixes=unsafe_fixes)
    elif output_format == "sarif":
        from evlint.output.sarif import write_sarif

        write_sarif(result, rules, stream)
    elif output_format in MACHINE_FORMATS:
        _write_machine(output_format, result, stream)
    elif output_format == "concise":
        from evlint.output.concise import write_concise

        write_concise(result, stream, quiet=quiet, unsafe_fixes=unsafe_fixes)
    elif output_format == "grouped":
        from evlint.output.grouped import write_grouped

        write_grouped(result, stream, quiet=quiet, unsafe_fixes=unsafe_fixes)
    else:
        from evlint.output.text import write_text

        write_text(result, stream, color=color, quiet=quiet, unsafe_fixes=unsafe_fixes)


def _write_machine(output_format: str, result: CheckResult, stream: TextIO) -> None:
    if output_format == "json":
        from evlint.output.json import write_json as write
    elif output_format == "json-lines":
        from evlint.output.json_lines import write_json_lines as write
    elif output_format == "github":
        from evlint.output.github import write_github as write
    elif output_format == "gitlab":
        from evlint.output.gitlab import write_gitlab as write
    elif output_format == "junit":
        from evlint.output.junit import write_junit as write
    else:
        from evlint.output.pylint import write_pylint as write
    write(result, stream)
