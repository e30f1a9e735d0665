"""`pylint`: `path:row: [CODE] message`, the parseable form pylint and ruff print."""

from __future__ import annotations

from typing import TextIO

from evlint.model import CheckResult


def write_pylint(result: CheckResult, stream: TextIO) -> None:
    for d in result.diagnostics:
        stream.write(f"{d.path}:{d.location.row}: [{d.code}] {d.message}\n")
