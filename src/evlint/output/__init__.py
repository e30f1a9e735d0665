"""One formatter per output format; each writes a finished check to a stream."""

from __future__ import annotations

from typing import TextIO

from evlint.runner import CheckResult

FORMATS = ("text", "concise", "json")


def write_report(
    output_format: str,
    result: CheckResult,
    stream: TextIO,
    *,
    color: bool,
    quiet: bool,
    statistics: bool,
    unsafe_fixes: bool = False,
) -> None:
    if output_format == "json":
        from evlint.output.json import write_json

        write_json(result, stream)
    elif output_format == "concise":
        from evlint.output.concise import write_concise

        write_concise(result, stream, quiet=quiet, statistics=statistics, unsafe_fixes=unsafe_fixes)
    else:
        from evlint.output.text import write_text

        write_text(result, stream, color=color, quiet=quiet, statistics=statistics, unsafe_fixes=unsafe_fixes)
