"""Where a report goes: standard output, nowhere (`--silent`), or a file (`-o`) that a
reader sees whole or not at all (written once the report is complete)."""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import TextIO


class ReportDestination:
    def __init__(self, output_file: Path | None, *, silent: bool = False) -> None:
        self.output_file = output_file
        self.silent = silent
        self._buffer = io.StringIO()

    def stream(self, default: TextIO | None = None) -> TextIO:
        """The stream to write the report to; `default`: standard output unless told."""
        if self.silent or self.output_file is not None:
            return self._buffer
        return default if default is not None else sys.stdout

    def finish(self) -> None:
        """Write the file, if one was asked for; raises EvlintError if it cannot be written."""
        if self.output_file is not None and not self.silent:
            from evlint.report.write import write_report_file

            write_report_file(self.output_file, self._buffer.getvalue())
