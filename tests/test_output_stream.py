"""Standard output that goes away, fills up, is closed or cannot encode: a quiet exit or one
line on stderr, never `internal error` (the real CLI in a child process)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import write_files

CODE = "import eventlet\neventlet.sleep(1)\neventlet.spawn(f)\n"


def _tree(root: Path, files: int = 300) -> None:
    write_files(root, {f"m{index}.py": CODE for index in range(files)})


def _env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(extra)
    return env


@pytest.mark.parametrize("output_format", ["text", "concise", "json", "sarif"])
def test_a_reader_that_stops_reading_ends_the_run_quietly(tmp_path: Path, output_format: str) -> None:
    _tree(tmp_path)
    command = [sys.executable, "-m", "evlint", "check", "--no-cache", "--output-format", output_format, "."]
    with subprocess.Popen(
        command, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env()
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        process.stdout.read(10)
        process.stdout.close()  # what `| head -c 10` does
        stderr = process.stderr.read().decode()
        returncode = process.wait(timeout=120)
    assert stderr == ""
    assert returncode == 0


def test_a_full_disk_is_one_line_and_exit_2(tmp_path: Path) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full on this system")
    _tree(tmp_path, 3)
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "evlint", "check", "--no-cache", "."],
            check=False,
            cwd=tmp_path,
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            env=_env(),
            timeout=120,
        )
    assert done.stderr.splitlines() == ["evlint: error: cannot write the output: No space left on device"]
    assert done.returncode == 2


def test_a_closed_standard_output_is_one_line_and_exit_2(tmp_path: Path) -> None:
    _tree(tmp_path, 3)
    script = "import os, runpy, sys; os.close(1); sys.argv = ['evlint', 'check', '--no-cache', '.']; runpy.run_module('evlint', run_name='__main__')"
    done = subprocess.run(
        [sys.executable, "-c", script],
        check=False,
        cwd=tmp_path,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
        timeout=120,
    )
    assert len(done.stderr.splitlines()) == 1, done.stderr
    assert done.stderr.startswith("evlint: error: cannot write the output: ")
    assert done.returncode == 2


def test_an_ascii_terminal_gets_escapes_for_characters_it_cannot_show(tmp_path: Path) -> None:
    write_files(tmp_path, {"caf\u00e9.py": CODE})
    done = subprocess.run(
        [sys.executable, "-m", "evlint", "check", "--no-cache", "--output-format", "concise", "."],
        check=False,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=_env(PYTHONIOENCODING="ascii"),
        timeout=120,
    )
    assert "internal error" not in done.stderr
    assert "caf\\xe9.py:2:1: EVL201" in done.stdout
    assert done.returncode == 1
