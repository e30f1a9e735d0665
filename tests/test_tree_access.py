"""Directories the user may not search, and ignore patterns git ignores or that do not
compile: never an internal error."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_cli, write_files
from tests.unprivileged import run_as_nobody, shared_directory, skip_unless_root_can_drop_privileges

SPAWN = "import eventlet\n\n\ndef start(worker):\n    eventlet.spawn(worker)\n"
BAD_LINES = ["\\", "!", "foo\\", "[z-a]"]


@pytest.mark.parametrize("mode", [0o700, 0o744])
def test_another_users_private_directory_is_passed_over(mode: int) -> None:
    skip_unless_root_can_drop_privileges()
    with shared_directory() as tree:
        write_files(tree, {"pyproject.toml": "[tool.evlint]\n", "pkg/spawner.py": SPAWN})
        write_files(tree, {"private/.gitignore": "*.log\n", "private/inner/mod.py": SPAWN})
        (tree / "pkg").chmod(0o755)
        (tree / "private" / "inner").chmod(0o755)
        (tree / "private").chmod(mode)  # root's: nobody may not search it
        done = run_as_nobody(["check", "--output-format", "concise", "."], tree)
        assert done.returncode == 1, done.stderr
        assert "internal error" not in done.stderr
        assert "pkg/spawner.py:5:5: EVL101" in done.stdout
        named = run_as_nobody(["check", "--output-format", "concise", "private/inner/mod.py"], tree)
        assert "internal error" not in named.stderr
        assert "private/inner/mod.py:1:1: EVL002 Cannot read file: Permission denied" in named.stdout


@pytest.mark.parametrize("line", BAD_LINES)
def test_a_gitignore_line_git_ignores_is_ignored(project: Path, line: str) -> None:
    write_files(project, {"pkg/spawner.py": SPAWN, "pkg/skipped.py": SPAWN})
    (project / ".gitignore").write_text(f"{line}\nskipped.py\n")
    result = run_cli(["check", "--output-format", "concise"])
    assert result.exit_code == 1, result.output
    assert "pkg/spawner.py:5:5: EVL101" in result.stdout
    assert "skipped.py" not in result.stdout  # the valid lines still apply


@pytest.mark.parametrize("line", BAD_LINES)
@pytest.mark.parametrize("setting", ["exclude", "extend-exclude", "per-file-ignores"])
def test_the_same_pattern_in_the_configuration_is_a_one_line_error(
    project: Path, line: str, setting: str
) -> None:
    quoted = line.replace("\\", "\\\\")
    if setting == "per-file-ignores":
        config = f'[tool.evlint]\n\n[tool.evlint.per-file-ignores]\n"{quoted}" = ["EVL101"]\n'
    else:
        config = f'[tool.evlint]\n{setting} = ["{quoted}"]\n'
    (project / "pyproject.toml").write_text(config)
    write_files(project, {"pkg/spawner.py": SPAWN})
    result = run_cli(["check"])
    assert result.exit_code == 2, result.output
    assert "internal error" not in result.stderr
    (message,) = result.stderr.splitlines()
    lines = {config.count("\n")} | ({config.count("\n") - 1} if setting == "per-file-ignores" else set())
    assert any(f"pyproject.toml:{line}: {setting}: invalid pattern" in message for line in lines), message
