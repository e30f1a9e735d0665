"""`gitlab`: a GitLab Code Quality report (a JSON list of issues with stable fingerprints).

Paths are relative to `CI_PROJECT_DIR` when GitLab CI sets it, else to the working
directory, as the merge request widget expects repository paths.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, TextIO

from evlint.baseline import result_fingerprints
from evlint.model import CheckResult, Severity

SEVERITIES = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


def write_gitlab(result: CheckResult, stream: TextIO) -> None:
    base = Path(os.environ.get("CI_PROJECT_DIR") or Path.cwd())
    issues: list[dict[str, Any]] = []
    for diagnostic, fingerprint in result_fingerprints(result, base):
        issues.append(
            {
                "check_name": diagnostic.code,
                "description": f"{diagnostic.code}: {diagnostic.message}",
                "fingerprint": fingerprint.digest(),
                "severity": SEVERITIES[diagnostic.severity],
                "location": {
                    "path": fingerprint.path,
                    "lines": {"begin": diagnostic.location.row, "end": diagnostic.end_location.row},
                },
            }
        )
    json.dump(issues, stream, indent=2)
    stream.write("\n")
