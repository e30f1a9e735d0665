"""`json-lines`: ruff's JSON finding objects, one a line, for streaming tools."""

from __future__ import annotations

import json
from typing import TextIO

from evlint.model import CheckResult
from evlint.output.json import diagnostic_json


def write_json_lines(result: CheckResult, stream: TextIO) -> None:
    for diagnostic in result.diagnostics:
        stream.write(json.dumps(diagnostic_json(diagnostic, result.text_of(diagnostic.path))) + "\n")
