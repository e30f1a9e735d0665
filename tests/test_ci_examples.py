"""examples/ci: the workflow, pre-commit config and tox.ini run as they are written."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import ROOT, run_cli
from tests.test_pre_commit import GIT_IDENTITY
from tests.test_sarif import assert_valid_sarif

CI = ROOT / "examples" / "ci"
BIN = Path(sys.executable).parent


def _steps() -> list[dict[str, Any]]:
    workflow = yaml.safe_load((CI / "evlint.yml").read_text(encoding="utf-8"))
    steps: list[dict[str, Any]] = workflow["jobs"]["evlint"]["steps"]
    assert workflow["permissions"]["security-events"] == "write"
    return steps


def test_workflow_commands_run_and_the_sarif_it_uploads_is_valid(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT / "examples" / "masakari-style")
    commands = [step["run"] for step in _steps() if step.get("run", "").startswith("evlint ")]
    assert len(commands) == 2
    annotations = run_cli(shlex.split(commands[0])[1:])
    assert annotations.exit_code == 1
    assert annotations.stdout.startswith("::")
    sarif_args, _, sarif_file = commands[1].partition(" > ")
    sarif = run_cli(shlex.split(sarif_args)[1:])
    assert sarif.exit_code == 0
    assert_valid_sarif(json.loads(sarif.stdout))
    upload = next(
        step for step in _steps() if step.get("uses", "").startswith("github/codeql-action/upload-sarif@")
    )
    assert upload["with"]["sarif_file"] == sarif_file
    assert upload["if"] == "always()"


def test_pre_commit_config_runs_evlint(tmp_path: Path) -> None:
    pre_commit = str(BIN / "pre-commit")
    config = CI / ".pre-commit-config.yaml"
    assert subprocess.run([pre_commit, "validate-config", str(config)], check=False).returncode == 0
    shutil.copy(config, tmp_path / ".pre-commit-config.yaml")
    (tmp_path / "mod.py").write_text("import eventlet\n\neventlet.spawn(print)\n", encoding="utf-8")
    env = {**os.environ, **GIT_IDENTITY, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    env["PRE_COMMIT_HOME"] = str(tmp_path / ".pre-commit-home")
    for command in (["git", "init", "-q"], ["git", "add", "-A"]):
        subprocess.run(command, cwd=tmp_path, check=True, env=env)
    run = subprocess.run(
        [pre_commit, "run", "--all-files", "--color", "never"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert run.returncode == 1, run.stdout + run.stderr
    assert "mod.py:1:1: EVL501" in run.stdout and "mod.py:3:1: EVL101" in run.stdout


def test_tox_ini_flake8_section_reports_evl_codes(tmp_path: Path) -> None:
    (tmp_path / "mod.py").write_text("import eventlet\n\neventlet.spawn(print)\n", encoding="utf-8")
    completed = subprocess.run(
        [sys.executable, "-m", "flake8", "--config", str(CI / "tox.ini"), "mod.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 1, completed.stderr
    codes = [line.split()[1] for line in completed.stdout.splitlines() if line.startswith("mod.py:")]
    assert codes == ["EVL501", "EVL101"]
