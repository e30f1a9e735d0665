"""What this process is told while it waits for the pool's workers: whether any still lints."""

from __future__ import annotations

import os
import sys
import time
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import pytest

import evlint.runner.pool
from evlint.api import load_configuration
from evlint.config import CliOverrides
from evlint.runner.jobs import JobResult, Linter, LintJob

pytestmark = pytest.mark.skipif(
    sys.platform != "linux" or len(os.sched_getaffinity(0)) < 2,
    reason="needs two cores (evlint starts workers only then)",
)


def _jobs(count: int) -> list[LintJob]:
    source = b"import eventlet\neventlet.spawn(print)\n"
    return [LintJob(f"mod{index}.py", (0,), source, None) for index in range(count)]


def test_the_workers_are_done_once_they_have_linted_though_their_results_are_not_read(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Their futures are done only once this process has read their results, for which the
    pool's thread here needs the interpreter that this process's own linting holds: that
    lag must not make this process start work the idle workers could have shared."""
    monkeypatch.setattr(evlint.runner.pool, "POOL_MIN_SAVED_BYTES", 0)
    monkeypatch.setattr(evlint.runner.pool, "cores", lambda: 2)
    scope = load_configuration(project, CliOverrides(select=("EVL101",))).scope()
    told: list[bool] = []

    def while_waiting(mine: dict[int, JobResult], busy: Any) -> None:
        # As if the results were never read here: only the workers' own word is left.
        with monkeypatch.context() as patch:
            patch.setattr(Future, "done", lambda self: False)
            deadline = time.monotonic() + 30
            while busy() and time.monotonic() < deadline:
                time.sleep(0.01)
            told.append(busy())

    results = evlint.runner.pool.run_jobs(Linter(scope.compiled), _jobs(4), while_waiting)
    assert told == [False]
    assert [len(result.result.diagnostics) for result in results] == [1, 1, 1, 1]
