"""Files whose lines end in a lone carriage return (old Mac OS): Python reads them, so evlint
must put `# noqa` on the right line, never fix a suppressed line, and not show a diff that
patch and git apply cannot apply."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import run_cli

CODE = "import eventlet\rx = 1\reventlet.sleep(1)  # noqa: EVL201\reventlet.sleep(2)\r"


def concise(*args: str) -> list[str]:
    result = run_cli(["check", "--no-cache", "--output-format", "concise", "--select", "EVL201", *args])
    assert result.exit_code in (0, 1), result.output
    return [line for line in result.stdout.splitlines() if "EVL201" in line]


def test_noqa_suppresses_its_own_line(project: Path) -> None:
    (project / "mod.py").write_bytes(CODE.encode())
    assert [line.split(" ")[0] for line in concise("mod.py")] == ["mod.py:4:1:"]


def test_fix_leaves_the_suppressed_line_alone(project: Path) -> None:
    (project / "mod.py").write_bytes(CODE.encode())
    result = run_cli(["check", "--no-cache", "--select", "EVL201", "--fix", "--unsafe-fixes", "mod.py"])
    assert result.exit_code == 0, result.output
    fixed = (project / "mod.py").read_bytes().decode()
    assert "eventlet.sleep(1)  # noqa: EVL201\r" in fixed
    assert "\rtime.sleep(2)\r" in fixed


def test_diff_is_refused_with_the_reason(project: Path) -> None:
    (project / "mod.py").write_bytes(CODE.encode())
    result = run_cli(["check", "--no-cache", "--select", "EVL201", "--unsafe-fixes", "--diff", "mod.py"])
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    assert "mod.py: fixes not applied: its lines end in lone carriage returns" in result.stderr
    assert (project / "mod.py").read_bytes() == CODE.encode()


@pytest.mark.skipif(shutil.which("patch") is None, reason="needs patch")
def test_a_crlf_diff_still_applies_with_patch(project: Path) -> None:
    code = CODE.replace("\r", "\r\n").replace("  # noqa: EVL201", "")
    (project / "mod.py").write_bytes(code.encode())
    result = run_cli(["check", "--no-cache", "--select", "EVL201", "--unsafe-fixes", "--diff", "mod.py"])
    assert result.exit_code == 1, result.output
    (project / "fix.diff").write_bytes(result.stdout_bytes)
    subprocess.run(["patch", "-p1", "-i", "fix.diff"], cwd=project, check=True, capture_output=True)
    assert (project / "mod.py").read_bytes().count(b"time.sleep(") == 2
