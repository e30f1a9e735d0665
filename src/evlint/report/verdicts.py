"""The entry-point verdict of each project and its blockers, shown in the roll-up and at the
top of each project's section.

This is the one place the report asks for them: the entry-point analysis
(`evlint.api.entrypoint_verdicts`, the same as `evlint entrypoints`) gives each project read
from source `eventlet-free`, `dual-mode` or `eventlet-only` (the worst of its entry points)
and short blocker strings; a project without entry points has none. Merged JSON reports
carry whatever the job that wrote them found (`verdict`, `blockers`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from evlint.api import entrypoint_verdicts
from evlint.model import EvlintError
from evlint.report.inventory import ProjectInventory

VERDICTS = ("eventlet-free", "dual-mode", "eventlet-only")


def with_verdict_of(project: ProjectInventory, files: Sequence[Path]) -> ProjectInventory:
    """The project with its verdict, read from `files`: those its check discovered."""
    return _with_verdict(project, *verdict_of(Path(project.root), files))


def verdict_of(root: Path, files: Sequence[Path] | None = None) -> tuple[str | None, tuple[str, ...]]:
    """The verdict of the project at `root` and its blockers; `files`: the project's files,
    if the caller has discovered them (else the analysis walks the project)."""
    try:
        found = entrypoint_verdicts(root, files=files)
    except EvlintError:  # (its configuration was reported when the project was checked)
        return None, ()
    if found.verdict not in VERDICTS:
        return None, ()
    return found.verdict, found.blockers


def _with_verdict(
    project: ProjectInventory, verdict: str | None, blockers: tuple[str, ...]
) -> ProjectInventory:
    if verdict is not None and verdict not in VERDICTS:
        raise ValueError(f"unknown verdict {verdict!r}")
    return replace(project, verdict=verdict, blockers=blockers)
