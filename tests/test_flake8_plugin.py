"""The flake8 plugin, run through the real flake8 in a subprocess."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import write_files

SERVICE = """\
import eventlet
from eventlet import greenthread


def start(worker):
    eventlet.spawn(worker)
    greenthread.spawn_n(worker)  # noqa: EVL101
    eventlet.sleep(0)  # noqa
    eventlet.spawn_after(1, worker)  # noqa: E501
"""


def flake8(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "flake8", "--isolated", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


def lines(completed: subprocess.CompletedProcess[str]) -> list[str]:
    assert completed.returncode in (0, 1), completed.stdout + completed.stderr
    return [line.split(" ", 2)[0] + " " + line.split(" ", 2)[1] for line in completed.stdout.splitlines()]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write_files(
        tmp_path,
        {
            # evlint's own config: EVL501 off, and M322 on (which flake8 must not report)
            "pyproject.toml": '[tool.evlint]\nignore = ["EVL501"]\nextend-select = ["M322"]\n',
            "pkg/service.py": SERVICE,
        },
    )
    return tmp_path


def test_off_until_enabled(project: Path) -> None:
    assert lines(flake8(project, "--select", "EVL", "pkg")) == []


def test_evl_codes_with_enable_extensions_and_noqa(project: Path) -> None:
    found = lines(flake8(project, "--enable-extensions", "EVL", "--select", "EVL", "pkg"))
    # 6: EVL101 (7: noqa: EVL101; 8: noqa), 9: EVL101 (noqa for another code); no EVL501 (ignored
    # in [tool.evlint]) and no M322 (the openstack pack is left to hacking's own check)
    assert found == ["pkg/service.py:6:5: EVL101", "pkg/service.py:9:5: EVL101"]


def test_flake8_select_narrows_and_codes_sit_beside_pycodestyle(project: Path) -> None:
    (project / "pkg" / "style.py").write_text("import eventlet\neventlet.sleep(0)\nx=1\n", encoding="utf-8")
    found = lines(flake8(project, "--enable-extensions", "EVL", "--select", "EVL2,E225", "pkg"))
    # service.py's EVL201 is under a bare noqa comment
    assert found == ["pkg/style.py:2:1: EVL201", "pkg/style.py:3:2: E225"]


def test_tox_ini_configuration_and_parallel_workers(project: Path) -> None:
    """A pep8 env's usual setup: [flake8] in tox.ini, several files, flake8's process pool."""
    (project / "tox.ini").write_text("[flake8]\nenable-extensions = EVL\nselect = EVL\n", encoding="utf-8")
    for index in range(3):
        (project / "pkg" / f"copy{index}.py").write_text(SERVICE, encoding="utf-8")
    completed = subprocess.run(
        [sys.executable, "-m", "flake8", "-j", "2", "pkg"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 1, completed.stderr
    assert len(completed.stdout.splitlines()) == 8
    assert all(" EVL101 " in line for line in completed.stdout.splitlines())


def test_a_broken_evlint_config_stops_flake8_with_one_message(project: Path) -> None:
    (project / "pyproject.toml").write_text("[tool.evlint]\nbogus = 1\n", encoding="utf-8")
    completed = flake8(project, "--enable-extensions", "EVL", "pkg")
    assert completed.returncode == 1
    assert "Traceback" not in completed.stdout + completed.stderr
    assert f"evlint: {project / 'pyproject.toml'}:2: unknown configuration key 'bogus'" in completed.stdout
