"""ruff's JSON shape: a list of findings with 1-based rows and columns."""

from __future__ import annotations

import json
import os
from typing import Any, TextIO

from evlint.fix.apply import fix_edits
from evlint.model import CheckResult, Diagnostic, Edit, Location, Origin


def _location(location: Location) -> dict[str, int]:
    return {"column": location.column, "row": location.row}


def _edit_json(edit: Edit) -> dict[str, Any]:
    return {
        "content": edit.content,
        "end_location": _location(edit.end_location),
        "location": _location(edit.location),
    }


def fix_json(diagnostic: Diagnostic, text: str) -> dict[str, Any] | None:
    """ruff's `fix` object: applicability, message and every edit, imports included."""
    fix = diagnostic.fix
    if fix is None:
        return None
    return {
        "applicability": fix.applicability.value,
        "edits": [_edit_json(edit) for edit in fix_edits(text, fix)],
        "message": fix.message,
    }


def origin_json(origin: Origin | None) -> dict[str, Any] | None:
    """Where an object-flow finding's eventlet object was made (`column` null when only the
    line is known: a constructor in another module)."""
    if origin is None:
        return None
    return {"filename": os.path.abspath(origin.path), "row": origin.row, "column": origin.column}


def diagnostic_json(diagnostic: Diagnostic, text: str = "") -> dict[str, Any]:
    return {
        "cell": None,
        "code": diagnostic.code,
        "end_location": {"column": diagnostic.end_location.column, "row": diagnostic.end_location.row},
        "filename": os.path.abspath(diagnostic.path),
        "fix": fix_json(diagnostic, text),
        "location": {"column": diagnostic.location.column, "row": diagnostic.location.row},
        "message": diagnostic.message,
        "noqa_row": diagnostic.location.row,
        "origin": origin_json(diagnostic.made_at),
        "severity": diagnostic.severity.value,
        "suggestion": diagnostic.suggestion,
        "url": diagnostic.url,
    }


def write_json(result: CheckResult, stream: TextIO) -> None:
    json.dump([diagnostic_json(d, result.text_of(d.path)) for d in result.diagnostics], stream, indent=2)
    stream.write("\n")
