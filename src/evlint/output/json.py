"""ruff's JSON shape: a list of findings with 1-based rows and columns."""

from __future__ import annotations

import json
import os
from typing import Any, TextIO

from evlint.model import Diagnostic
from evlint.runner import CheckResult


def diagnostic_json(diagnostic: Diagnostic) -> dict[str, Any]:
    return {
        "cell": None,
        "code": diagnostic.code,
        "end_location": {"column": diagnostic.end_location.column, "row": diagnostic.end_location.row},
        "filename": os.path.abspath(diagnostic.path),
        "fix": None,
        "location": {"column": diagnostic.location.column, "row": diagnostic.location.row},
        "message": diagnostic.message,
        "noqa_row": diagnostic.location.row,
        "severity": diagnostic.severity.value,
        "suggestion": diagnostic.suggestion,
        "url": diagnostic.url,
    }


def write_json(result: CheckResult, stream: TextIO) -> None:
    json.dump([diagnostic_json(d) for d in result.diagnostics], stream, indent=2)
    stream.write("\n")
