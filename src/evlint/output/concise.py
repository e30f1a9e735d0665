"""`path:row:col: CODE message`, one finding a line, as flake8 and ruff print it."""

from __future__ import annotations

from typing import TextIO

from evlint.fix.apply import is_applicable
from evlint.model import CheckResult
from evlint.output.safe import printable
from evlint.output.summary import summary_lines


def write_concise(result: CheckResult, stream: TextIO, *, quiet: bool, unsafe_fixes: bool = False) -> None:
    for d in result.diagnostics:
        mark = " [*]" if is_applicable(d.fix, unsafe=unsafe_fixes) else ""
        where = f"{printable(d.path)}:{d.location.row}:{d.location.column}"
        stream.write(f"{where}: {d.code}{mark} {printable(d.message)}\n")
    if not quiet:
        for line in summary_lines(result, unsafe_fixes=unsafe_fixes):
            stream.write(line + "\n")
