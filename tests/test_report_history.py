"""`evlint report --history`: a repository's revisions read from git, or saved reports, as a burndown."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.gitrepo import extract, git, tagged_repository

REVISIONS = {
    "v1": {
        "pkg/a.py": "import eventlet\n\neventlet.sleep(1)\n",
        "pkg/b.py": "from eventlet import semaphore\n\nLOCK = semaphore.Semaphore()\n",
        "pkg/tests/test_a.py": "import eventlet\n",
        "README.rst": "Runs on eventlet.\n",
    },
    # a.py's code moved to c.py: neither removed nor added; a release note is history
    "v2": {
        "pkg/c.py": "import eventlet\n\neventlet.sleep(1)\n",
        "releasenotes/notes/x-1.yaml": "---\nother:\n  - eventlet is going away.\n",
    },
    "v3": {"pkg/c.py": "import time\n\ntime.sleep(1)\n"},
}
REMOVED = {"v2": ["pkg/a.py"], "v3": []}


@pytest.fixture
def repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tagged_repository(tmp_path / "proj", REVISIONS, REMOVED)


def _report_of_checkout(repo: Path, tag: str, target: Path) -> dict[str, int]:
    """What `report` says about the revision checked out on its own (the reference)."""
    result = run_cli(["report", str(extract(repo, tag, target)), "--output-format", "json"])
    assert result.exit_code == 0, result.output
    code = json.loads(result.stdout)["summary"]["code"]
    return {"production": code["production"], "test": code["test"]}


def _points(*args: str) -> list[dict[str, object]]:
    result = run_cli(["report", "--history", *args, "--output-format", "json"])
    assert result.exit_code == 0, result.output
    points: list[dict[str, object]] = json.loads(result.stdout)["points"]
    return points


def test_history_gives_each_revision_the_counts_of_a_report_on_it(repository: Path, tmp_path: Path) -> None:
    points = _points(str(repository), "--revs", "v1..v3")
    assert [p["label"] for p in points] == ["v1", "v2", "v3"]
    for point in points:
        alone = _report_of_checkout(repository, str(point["label"]), tmp_path / f"alone-{point['label']}")
        assert {"production": point["production"], "test": point["test"]} == alone
    assert points[0]["production"] > points[2]["production"]
    # v2 moved a.py to c.py: nothing removed, nothing added; v3 removed c.py's two uses
    assert [(p["removed"], p["added"]) for p in points] == [(0, 0), (0, 0), (2, 0)]
    assert [p["docs"] for p in points] == [1, 1, 1]  # the release note is not work


def test_revisions_by_list_every_nth_commit_or_tags(repository: Path) -> None:
    assert [p["label"] for p in _points(str(repository), "--revs", "v1,v3")] == ["v1", "v3"]
    head = git(repository, "rev-parse", "HEAD")[:12]
    first = git(repository, "rev-parse", "v1")[:12]
    assert [p["label"] for p in _points(str(repository), "--every", "2")] == [first, head]
    assert [p["label"] for p in _points(str(repository))] == ["v1", "v2", "v3"]


def test_history_writes_table_csv_and_a_self_contained_chart(repository: Path, tmp_path: Path) -> None:
    table = run_cli(["report", "--history", str(repository), "--revs", "v1..v3"])
    assert table.exit_code == 0, table.output
    assert "| snapshot | team | code | production | test | docs | removed | added |" in table.stdout
    result = run_cli(["report", "--history", str(repository), "--revs", "v1..v3", "-o", "out"])
    assert result.exit_code == 0, result.output
    out = tmp_path / "out"
    assert sorted(p.name for p in out.iterdir()) == [
        "history-all-projects.svg",
        "history.csv",
        "history.html",
        "history.md",
    ]
    rows = list(csv.DictReader(io.StringIO((out / "history.csv").read_text(encoding="utf-8"))))
    assert [(r["snapshot"], r["timed-work"], r["synchronisation"]) for r in rows] == [
        ("v1", "1", "1"),
        ("v2", "1", "1"),
        ("v3", "0", "1"),
    ]
    page = (out / "history.html").read_text(encoding="utf-8")
    assert "<script" not in page and "<polyline" in page and "removed so far (code)" in page
    svg = (out / "history-all-projects.svg").read_text(encoding="utf-8")
    assert svg.startswith("<svg class='chart'") and "xmlns='http://www.w3.org/2000/svg'" in svg


def test_history_of_saved_reports(repository: Path, tmp_path: Path) -> None:
    saved = []
    for tag in ("v1", "v2", "v3"):
        checkout = tmp_path / f"checkout-{tag}" / "proj"
        checkout.parent.mkdir()
        extract(repository, tag, checkout)
        target = tmp_path / f"{tag}.json"
        assert run_cli(["report", str(checkout), "--output-format", "json", "-o", str(target)]).exit_code == 0
        saved.append(str(target))
    from_reports = _points(*saved)
    from_git = _points(str(repository), "--revs", "v1..v3")
    assert [(p["production"], p["test"], p["removed"], p["added"]) for p in from_reports] == [
        (p["production"], p["test"], p["removed"], p["added"]) for p in from_git
    ]


def test_history_errors(repository: Path, tmp_path: Path) -> None:
    (tmp_path / "plain").mkdir()
    for args, message in (
        ([str(repository), "--revs", "nope"], "git rev-parse"),
        ([str(tmp_path / "plain")], "git"),
        ([str(repository), str(repository)], "give one git repository"),
    ):
        result = run_cli(["report", "--history", *args])
        assert result.exit_code == 2, result.output
        assert message in result.stderr and len(result.stderr.splitlines()) == 1
