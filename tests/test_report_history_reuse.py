"""`evlint report --history` lints a file again only when it, or what it depends on, changed.

A file's result depends on its bytes and on the project index's answers to the questions
its names asked (what `pkg.hub.sleep` is). An unchanged file whose answers did not change
is not linted again at the next revision, even when another hub changed; one whose hub
now re-exports something else is.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.gitrepo import extract, tagged_repository

REVISIONS = {
    "v1": {
        "pkg/__init__.py": "",
        "pkg/hub.py": "from eventlet import sleep\n",
        "pkg/pool.py": "from eventlet import GreenPool\n",
        "pkg/user.py": "from pkg.hub import sleep\n\nsleep(1)\n",
        "pkg/other.py": "import eventlet\n\neventlet.spawn(print)\n",
    },
    # other.py changed; nothing any other file asks of the index changed
    "v2": {"pkg/other.py": "import eventlet\n\neventlet.spawn(print)\neventlet.spawn(print)\n"},
    # the pool hub re-exports something else: nobody uses it, so only pool.py is linted again
    "v3": {"pkg/pool.py": "from eventlet import GreenPool, GreenPile\n"},
    # the hub that user.py imports from re-exports another function: user.py is linted again
    "v4": {"pkg/hub.py": "from eventlet import spawn as sleep\n"},
}


@pytest.fixture
def repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tagged_repository(tmp_path / "proj", REVISIONS)


def _alone(repo: Path, tag: str, target: Path) -> int:
    result = run_cli(["report", str(extract(repo, tag, target)), "--output-format", "json"])
    assert result.exit_code == 0, result.output
    return int(json.loads(result.stdout)["summary"]["code"]["total"])


def test_history_lints_only_what_changed_or_depends_on_a_change(
    repository: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # One core: every revision read by one process, one after the other.
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0}, raising=False)
    result = run_cli(["report", "--history", str(repository), "--revs", "v1..v4", "--output-format", "json"])
    assert result.exit_code == 0, result.output
    work = [line for line in result.stderr.splitlines() if " files linted, " in line]
    assert work == [
        "v1: 4 files linted, 0 reused",
        "v2: 1 files linted, 3 reused",
        "v3: 1 files linted, 3 reused",
        "v4: 2 files linted, 2 reused",
    ]
    points = json.loads(result.stdout)["points"]
    codes = [int(p["production"]) + int(p["test"]) for p in points]
    assert codes == [_alone(repository, tag, tmp_path / f"alone-{tag}") for tag in REVISIONS]
