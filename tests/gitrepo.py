"""Real git repositories for the tests of `report --history`: a commit and a tag per revision."""

from __future__ import annotations

import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

from tests.conftest import write_files


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True)
    return done.stdout


def commit_tagged(repo: Path, tag: str) -> None:
    """Commit everything in the work tree (ignored files too) and tag it."""
    git(repo, "add", "-A", "-f")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@e", "commit", "-qm", tag)
    git(repo, "tag", tag)


def tagged_repository(
    repo: Path,
    revisions: Mapping[str, Mapping[str, str]],
    removed: Mapping[str, Sequence[str]] | None = None,
) -> Path:
    """A new repository at `repo`: per tag, the files removed and written, then a commit."""
    repo.mkdir()
    git(repo, "init", "-q")
    for tag, files in revisions.items():
        for gone in (removed or {}).get(tag, ()):
            (repo / gone).unlink()
        write_files(repo, dict(files))
        commit_tagged(repo, tag)
    return repo


def extract(repo: Path, tag: str, target: Path) -> Path:
    """The revision's files alone in `target`, as `git archive` gives them."""
    target.mkdir()
    archive = subprocess.run(["git", "-C", str(repo), "archive", tag], check=True, capture_output=True)
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive.stdout, check=True)
    return target
