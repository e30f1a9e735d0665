"""A directory the walk cannot list: its files are not checked, and the run says so, once,
naming the directory, as an EVL002 finding (ruff reports the same as E902): exit 1, not a
silent "0 files checked". (A directory named on the command line that cannot be read at
all is already a usage error, exit 2: click checks it.)"""

from __future__ import annotations

import json

from tests.conftest import write_files
from tests.unprivileged import run_as_nobody, shared_directory, skip_unless_root_can_drop_privileges

SPAWN = "import eventlet\n\n\ndef start(worker):\n    eventlet.spawn(worker)\n"
UNLISTED = "EVL002 Cannot read directory: Permission denied"


def test_a_directory_that_cannot_be_listed_is_reported_by_name() -> None:
    skip_unless_root_can_drop_privileges()
    with shared_directory() as tree:
        write_files(
            tree, {"pyproject.toml": "[tool.evlint]\n", "pkg/ok.py": SPAWN, "pkg/private/mod.py": SPAWN}
        )
        (tree / "pkg").chmod(0o755)
        (tree / "pkg" / "private").chmod(0o700)  # root's: nobody may not list it
        (tree / "pkg" / "ok.py").unlink()
        named = run_as_nobody(["check", "--output-format", "concise", "pkg"], tree)
        assert named.returncode == 1, named.stderr  # before: 0, "All checks passed! (0 files checked)"
        assert named.stdout.splitlines()[0] == f"pkg/private:1:1: {UNLISTED}"
        write_files(tree, {"pkg/ok.py": SPAWN})
        walked = run_as_nobody(["check", "--output-format", "concise", "."], tree)
        assert walked.returncode == 1, walked.stderr
        assert f"pkg/private:1:1: {UNLISTED}" in walked.stdout
        assert "pkg/ok.py:5:5: EVL101" in walked.stdout  # the rest of the tree is still checked
        as_json = run_as_nobody(["check", "--output-format", "json", "pkg"], tree)
        found = [(item["filename"], item["code"]) for item in json.loads(as_json.stdout)]
        assert (str(tree / "pkg" / "private"), "EVL002") in found


def test_a_listable_directory_is_walked_as_before() -> None:
    """The guard: a directory nobody may list and search is checked, with no EVL002."""
    skip_unless_root_can_drop_privileges()
    with shared_directory() as tree:
        write_files(tree, {"pyproject.toml": "[tool.evlint]\n", "pkg/sub/mod.py": SPAWN})
        (tree / "pkg").chmod(0o755)
        (tree / "pkg" / "sub").chmod(0o755)
        done = run_as_nobody(["check", "--output-format", "concise", "pkg"], tree)
        assert "EVL002" not in done.stdout
        assert "pkg/sub/mod.py:5:5: EVL101" in done.stdout
