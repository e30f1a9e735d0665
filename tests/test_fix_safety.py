"""Where `--fix` writes: only inside the paths it was given, never through a symbolic link."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import evlint.discover
from tests.conftest import MASAKARI_WRAPPER, run_cli, write_files

SPAWN = "import eventlet\neventlet.spawn(f)\n"
FIXED = "from masakari import utils\nutils.spawn(f)\n"


@pytest.fixture
def tree_with_links(project: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """`tree/` with a fixable file, a symlinked directory and a symlinked file pointing outside."""
    outside = tmp_path_factory.mktemp("outside")
    write_files(outside, {"victim.py": SPAWN, "linked_file.py": SPAWN})
    write_files(project, {"tree/own.py": SPAWN, **MASAKARI_WRAPPER})  # M322's fix needs the wrapper
    (project / "tree" / "linked_dir").symlink_to(outside, target_is_directory=True)
    (project / "tree" / "linked_file.py").symlink_to(outside / "linked_file.py")
    return project / "tree", outside


def test_fix_does_not_follow_a_symlinked_directory_or_file_out_of_the_tree(
    tree_with_links: tuple[Path, Path],
) -> None:
    tree, outside = tree_with_links
    result = run_cli(["check", "--select", "M322", "--fix", "tree"])
    assert (tree / "own.py").read_text() == FIXED
    assert (outside / "victim.py").read_text() == SPAWN  # the linked directory is not walked
    assert (outside / "linked_file.py").read_text() == SPAWN
    assert result.stderr == (
        "evlint: warning: tree/linked_file.py: fixes not applied: it is a symbolic link;"
        " fix the file it points to\n"
    )


def test_a_file_reached_through_a_symlinked_directory_is_not_written(
    tree_with_links: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Discovery never yields such a file; if it did (a directory swapped for a link while
    evlint runs), the write is refused: the resolved path is outside the paths given."""
    tree, outside = tree_with_links
    real = evlint.discover.Discoverer.discover

    def discover_through_the_link(self: Any, paths: Any) -> list[Path]:
        return [*real(self, paths), tree / "linked_dir" / "victim.py"]

    monkeypatch.setattr(evlint.discover.Discoverer, "discover", discover_through_the_link)
    result = run_cli(["check", "--select", "M322", "--fix", "tree"])
    assert (outside / "victim.py").read_text() == SPAWN
    assert (tree / "own.py").read_text() == FIXED
    assert (
        "evlint: warning: tree/linked_dir/victim.py: fixes not applied: it is outside the paths given"
        " (reached through a symbolic link)"
    ) in result.stderr.splitlines()


def test_a_symlinked_directory_named_on_the_command_line_is_fixed(
    tree_with_links: tuple[Path, Path],
) -> None:
    """Naming the link is asking for it, as with any other tool."""
    _, outside = tree_with_links
    run_cli(["check", "--select", "M322", "--fix", "tree/linked_dir"])
    assert (outside / "victim.py").read_text() == FIXED
