"""Reading a file reads what it holds, up to the size limit, whatever its stat said: a file
at the limit is checked, one a byte over is reported, and a file that grew since its stat
is read to its end (and is over the limit if it grew past it)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from evlint.runner import reading
from evlint.runner.reading import OverLimitError, read_bounded
from tests.conftest import run_cli, write_files

SPAWN = "import eventlet\neventlet.spawn(f)\n"


def test_a_file_at_the_size_limit_is_checked_and_one_a_byte_over_is_not(project: Path) -> None:
    padded = SPAWN + "#" * (100 - len(SPAWN) - 1) + "\n"
    write_files(project, {"pyproject.toml": "[tool.evlint]\nmax-file-size = 100\n", "at.py": padded})
    (project / "over.py").write_text(padded + "\n", encoding="utf-8")
    result = run_cli(["check", ".", "--output-format", "concise", "--no-cache"])
    lines = result.stdout.splitlines()
    assert any(line.startswith("at.py:2:1: EVL101") for line in lines), result.stdout
    assert any(line.startswith("over.py:1:1: EVL002 File is 101 bytes") for line in lines), result.stdout


@pytest.mark.parametrize("told", [0, 1, 5000])
def test_a_file_is_read_to_its_end_whatever_its_stat_said(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, told: int
) -> None:
    data = bytes(range(256)) * 300  # 76,800 bytes: more than one piece after the first read
    path = tmp_path / "a.py"
    path.write_bytes(data)
    real_stat, real_fstat = os.stat, os.fstat

    def stat(path: Path) -> os.stat_result:  # the file "grew" after its stat said `told`
        return _told(real_stat(path), told)

    def fstat(fd: int) -> os.stat_result:
        return _told(real_fstat(fd), told)

    monkeypatch.setattr(reading.os, "stat", stat)
    monkeypatch.setattr(reading.os, "fstat", fstat)
    assert read_bounded(path, 100_000) == data
    with pytest.raises(OverLimitError, match="76800 bytes, over the 76799 byte limit"):
        read_bounded(path, 76_799)
    assert read_bounded(path, 76_800) == data


def _told(status: os.stat_result, size: int) -> os.stat_result:
    return os.stat_result((*status[:6], size, *status[7:]))
