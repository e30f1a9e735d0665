"""`evlint report --history` on nova's releases 28 to 34, a git repository built from their
sdists (`pytest -m corpus`): each revision counts what a `report` on that release counts."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.gitrepo import commit_tagged, git
from tests.test_corpus import fetch

pytestmark = pytest.mark.corpus

RELEASES = ("28.0.0", "29.0.1", "30.0.0", "31.0.0", "32.0.0", "33.0.0", "34.0.0")


def test_nova_history_counts_what_each_release_counts(tmp_path: Path) -> None:
    trees = [fetch(f"nova=={version}") for version in RELEASES]
    repo = tmp_path / "nova"
    repo.mkdir()
    git(repo, "init", "-q")
    for tree, version in zip(trees, RELEASES, strict=True):
        for child in repo.iterdir():
            if child.name != ".git":
                shutil.rmtree(child) if child.is_dir() else child.unlink()
        shutil.copytree(tree, repo, dirs_exist_ok=True, symlinks=True)
        commit_tagged(repo, version)
    result = run_cli(
        [
            "report",
            "--history",
            str(repo),
            "--revs",
            f"{RELEASES[0]}..{RELEASES[-1]}",
            "--output-format",
            "json",
        ]
    )
    assert result.exit_code == 0, result.output
    points = json.loads(result.stdout)["points"]
    assert [p["label"] for p in points] == list(RELEASES)
    for point, tree in zip(points, trees, strict=True):
        alone = run_cli(["report", str(tree), "--output-format", "json"])
        code = json.loads(alone.stdout)["summary"]["code"]
        assert (point["production"], point["test"]) == (code["production"], code["test"]), point["label"]
    assert points[0]["production"] + points[0]["test"] > points[-1]["production"] + points[-1]["test"]
