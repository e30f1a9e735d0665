"""`grouped`: ruff's grouped format, each file's name once with its findings below it."""

from __future__ import annotations

from typing import TextIO

from evlint.fix.apply import is_applicable
from evlint.model import CheckResult, Diagnostic
from evlint.output.summary import summary_lines


def write_grouped(result: CheckResult, stream: TextIO, *, quiet: bool, unsafe_fixes: bool = False) -> None:
    by_path: dict[str, list[Diagnostic]] = {}
    for diagnostic in result.diagnostics:
        by_path.setdefault(diagnostic.path, []).append(diagnostic)
    for path, diagnostics in by_path.items():
        stream.write(f"{path}:\n")
        width = max(len(f"{d.location.row}:{d.location.column}") for d in diagnostics)
        for d in diagnostics:
            mark = " [*]" if is_applicable(d.fix, unsafe=unsafe_fixes) else ""
            where = f"{d.location.row}:{d.location.column}"
            stream.write(f"  {where:<{width}} {d.code}{mark} {d.message}\n")
        stream.write("\n")
    if not quiet:
        for line in summary_lines(result, unsafe_fixes=unsafe_fixes):
            stream.write(line + "\n")
