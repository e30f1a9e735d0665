"""A Python file that is a symbolic link to a kernel file (/proc, /sys) is refused, never
read: /proc/kmsg blocks a reader forever (and hands each message out once)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import run_cli, write_files

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="needs Linux's /proc")


def test_a_link_to_a_proc_file_is_refused(project: Path) -> None:
    write_files(project, {"pkg/mod.py": "import eventlet\n"})
    (project / "pkg" / "status.py").symlink_to("/proc/self/status")
    result = run_cli(["check", "--no-cache", "--output-format", "concise"])
    assert result.exit_code == 1, result.output
    assert (
        "pkg/status.py:1:1: EVL002 Cannot read file: a file of /proc or /sys, not a regular file"
        in result.stdout
    )
    assert "pkg/mod.py:1:1: EVL501" in result.stdout


@pytest.mark.skipif(not os.path.exists("/proc/kmsg") or os.geteuid() != 0, reason="needs root and /proc/kmsg")
def test_a_link_to_proc_kmsg_does_not_hang_a_root_run(tmp_path: Path) -> None:
    write_files(tmp_path, {"pyproject.toml": "[tool.evlint]\n", "pkg/mod.py": "import eventlet\n"})
    (tmp_path / "pkg" / "x.py").symlink_to("/proc/kmsg")
    try:
        done = subprocess.run(
            [sys.executable, "-m", "evlint", "check", "--no-cache", "--output-format", "concise", "."],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("evlint hung reading /proc/kmsg")
    assert done.returncode == 1, done.stderr
    assert "pkg/x.py:1:1: EVL002" in done.stdout
