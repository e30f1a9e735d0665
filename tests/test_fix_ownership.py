"""--fix keeps a file's owner, group and mode, and never writes a file the user could not
write in place (replacing it by rename would otherwise succeed in a writable directory)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.unprivileged import NOBODY, run_as_nobody, shared_directory, skip_unless_root_can_drop_privileges

CODE = "import eventlet\n\n\ndef nap():\n    eventlet.sleep(1)\n"
ARGS = ["check", "--no-cache", "--select", "EVL201", "--fix", "--unsafe-fixes"]


def test_root_keeps_the_owner_group_and_mode(project: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("needs root to give the file another owner")
    path = project / "mod.py"
    path.write_text(CODE)
    os.chown(path, NOBODY, NOBODY)
    path.chmod(0o640)
    result = run_cli([*ARGS, "mod.py"])
    assert result.exit_code == 0, result.output
    status = path.stat()
    assert "time.sleep(1)" in path.read_text()
    assert (status.st_uid, status.st_gid, status.st_mode & 0o7777) == (NOBODY, NOBODY, 0o640)


def test_a_user_never_replaces_read_only_files_or_other_users_files() -> None:
    skip_unless_root_can_drop_privileges()
    with shared_directory() as tree:
        os.chown(tree, NOBODY, NOBODY)  # nobody may create and rename files here
        (tree / "pyproject.toml").write_text("[tool.evlint]\n")
        files = {"own.py": (NOBODY, 0o644), "readonly.py": (NOBODY, 0o444)}
        files |= {"roots.py": (0, 0o644), "roots_shared.py": (0, 0o666)}
        for name, (owner, mode) in files.items():
            (tree / name).write_text(CODE)
            os.chown(tree / name, owner, owner)
            (tree / name).chmod(mode)
        done = run_as_nobody([*ARGS, *files], tree)
        assert "internal error" not in done.stderr, done.stderr
        assert "time.sleep(1)" in (tree / "own.py").read_text()
        for name, (owner, mode) in files.items():
            status = (tree / name).stat()
            assert (status.st_uid, status.st_mode & 0o7777) == (owner, mode), name
            if name != "own.py":
                assert (tree / name).read_text() == CODE, name
        assert "readonly.py: fixes not applied: it is not writable (mode 444)" in done.stderr
        assert "roots.py: fixes not applied: it is not writable (mode 644)" in done.stderr
        assert "roots_shared.py: fixes not applied: replacing it would change its owner" in done.stderr
        assert not list(tree.glob(".*evlint-tmp"))
