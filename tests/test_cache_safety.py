"""The cache never harms the user's tree: evlint deletes only files it can prove it wrote,
whatever directory `cache-dir` or EVLINT_CACHE_DIR names."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from evlint.cache.store import KEEP
from tests.conftest import run_cli, write_files

SPAWN = "import eventlet\n\n\ndef start(worker):\n    eventlet.spawn(worker)\n"


def user_files(directory: Path) -> list[Path]:
    """JSON files named like evlint's own, where evlint's old layout pruned them."""
    made = []
    for sub in ("results", "rules", "index", "facts"):
        for index in range(KEEP + 4):
            path = directory / sub / f"{index:032x}.json"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text('{"mine": true}')
            os.utime(path, (1000 + index, 1000 + index))
            made.append(path)
    return made


def run_twice_with_new_keys(project: Path) -> None:
    for select in ("EVL101", "EVL501", "ALL"):  # each a new key: each write may prune
        result = run_cli(["check", "--select", select, "--output-format", "concise", "-q"])
        assert result.exit_code in (0, 1), result.output


@pytest.mark.parametrize("setting", [".", "~"])
def test_a_cache_dir_holding_user_files_keeps_them(
    project: Path, setting: str, monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    monkeypatch.delenv("EVLINT_CACHE_DIR")
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    target = project if setting == "." else home
    (project / "pyproject.toml").write_text(f'[tool.evlint]\ncache-dir = "{setting}"\n')
    write_files(project, {"pkg/spawner.py": SPAWN})
    mine = user_files(target) + user_files(target / "projects" / "x")
    run_twice_with_new_keys(project)
    assert [path for path in mine if not path.exists()] == []


def test_the_environment_variable_naming_a_user_directory_keeps_its_files(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EVLINT_CACHE_DIR", str(project))
    write_files(project, {"pkg/spawner.py": SPAWN})
    mine = user_files(project)
    run_twice_with_new_keys(project)
    assert [path for path in mine if not path.exists()] == []


def test_a_namespace_directory_evlint_did_not_create_is_never_pruned(project: Path, cache_dir: Path) -> None:
    mine = (
        user_files(cache_dir)
        + user_files(cache_dir / "evlint-cache")
        + user_files(cache_dir / "projects" / "x")
    )
    write_files(project, {"pkg/spawner.py": SPAWN})
    run_twice_with_new_keys(project)
    assert [path for path in mine if not path.exists()] == []


def test_evlint_still_prunes_its_own_files_but_not_others_or_links(project: Path, cache_dir: Path) -> None:
    write_files(project, {"pkg/spawner.py": SPAWN})
    run_twice_with_new_keys(project)  # creates and tags the namespace
    (results,) = cache_dir.glob("evlint-cache/projects/*/results")
    keepsake = project / "keepsake.json"
    keepsake.write_text("{}")
    for index in range(KEEP + 4):
        (results / f"{index:032x}.json").write_text("{}")
        os.utime(results / f"{index:032x}.json", (1000 + index, 1000 + index))
    (results / "notes.json").write_text("{}")
    os.utime(results / "notes.json", (10, 10))
    (results / f"{'f' * 32}.json").symlink_to(keepsake)
    os.utime(results / f"{'f' * 32}.json", (10, 10), follow_symlinks=False)
    result = run_cli(["check", "--select", "EVL1", "-q"])  # a new key
    assert result.exit_code in (0, 1), result.output
    own = [path for path in results.iterdir() if len(path.name) == 37 and not path.is_symlink()]
    assert (
        (results / "notes.json").exists()
        and (results / f"{'f' * 32}.json").is_symlink()
        and keepsake.exists()
    )
    assert not (results / f"{0:032x}.json").exists()
    assert len(own) == KEEP
