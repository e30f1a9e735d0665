"""One formatter per output format; each writes a finished check to a stream."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TextIO

from evlint.model import CheckResult, Rule

FORMATS = ("text", "concise", "json", "sarif", "github")
# Formats a program reads: no summary on standard output.
MACHINE_FORMATS = ("json", "sarif", "github")


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
    """Write `result` in `output_format`; `rules` are those that ran (SARIF lists them)."""
    if output_format == "json":
        from evlint.output.json import write_json

        write_json(result, stream)
    elif output_format == "sarif":
        from evlint.output.sarif import write_sarif

        write_sarif(result, rules, stream)
    elif output_format == "github":
        from evlint.output.github import write_github

        write_github(result, stream)
    elif output_format == "concise":
        from evlint.output.concise import write_concise

        write_concise(result, stream, quiet=quiet, statistics=statistics, unsafe_fixes=unsafe_fixes)
    else:
        from evlint.output.text import write_text

        write_text(result, stream, color=color, quiet=quiet, statistics=statistics, unsafe_fixes=unsafe_fixes)
