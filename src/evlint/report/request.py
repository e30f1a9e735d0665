"""What `evlint report` was asked to do, as the command line gave it."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path


@dataclass(frozen=True)
class ReportRequest:
    paths: tuple[Path, ...]
    team: str | None = None
    link_template: str | None = None
    output_format: str = "markdown"
    output: Path | None = None
    compare_path: Path | None = None
    rules_dirs: tuple[Path, ...] = ()
    project_index: bool = True
    governance: tuple[Path, ...] = ()
    teams_files: tuple[Path, ...] = ()
    merge: bool = False
    history: bool = False
    revs: tuple[str, ...] = ()
    every: int | None = None


def generated_date() -> str:
    """Today (UTC), or SOURCE_DATE_EPOCH's day for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch), timezone.utc) if epoch and epoch.isdigit() else None
    return (moment or datetime.now(timezone.utc)).strftime("%Y-%m-%d")
