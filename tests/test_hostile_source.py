"""Hostile source and names through the real CLI: deep but valid code keeps its findings,
terminal escape sequences never reach the terminal, crafted input stays near linear."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import evlint.engine.lint
from tests.conftest import run_cli, write_files

HEAD = "import eventlet\neventlet.sleep(1)\n"


def _codes(stdout: str) -> list[tuple[str, int, str]]:
    return sorted((Path(i["filename"]).name, i["location"]["row"], i["code"]) for i in json.loads(stdout))


def test_valid_code_nested_deeper_than_the_recursion_limit_keeps_its_findings(project: Path) -> None:
    write_files(project, {"deep.py": HEAD + "x = f" + "()" * 10_000 + "\n"})
    result = run_cli(["check", "--output-format", "json", "deep.py"])
    assert result.exit_code == 1, result.stderr
    assert _codes(result.stdout) == [("deep.py", 1, "EVL501"), ("deep.py", 2, "EVL201")]


def test_deep_code_is_fixed(project: Path) -> None:
    write_files(project, {"deep.py": HEAD + "x = f" + "()" * 10_000 + "\n"})
    result = run_cli(["check", "--fix", "--unsafe-fixes", "--output-format", "json", "deep.py"])
    assert "internal error" not in result.output, result.output
    assert (project / "deep.py").read_text(encoding="utf-8").startswith("import time\ntime.sleep(1)\n")


def test_code_nested_beyond_what_python_parses_is_reported_as_such(project: Path) -> None:
    write_files(project, {"deeper.py": HEAD + "x = " + "(" * 300 + ")" * 300 + "\n", "ok.py": HEAD})
    result = run_cli(["check", "--output-format", "json", "."])
    found = _codes(result.stdout)
    assert ("deeper.py", 3, "EVL000") in found or ("deeper.py", 1, "EVL000") in found
    assert ("ok.py", 2, "EVL201") in found


def test_running_out_of_memory_is_not_called_nesting(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_memory(text: str, filename: str = "<unknown>") -> None:
        raise MemoryError

    monkeypatch.setattr(evlint.engine.lint, "parse", no_memory)
    write_files(project, {"a.py": HEAD})
    result = run_cli(["check", "--no-cache", "--output-format", "json", "a.py"])
    items = json.loads(result.stdout)
    assert [(i["code"], i["message"]) for i in items] == [
        ("EVL002", "Cannot analyse the file: out of memory")
    ]


ESCAPES = "\x1b[2J\x1b]0;pwned\x07\u202e"


@pytest.mark.parametrize("output_format", ["text", "concise"])
def test_terminal_escapes_in_names_and_source_are_shown_escaped(project: Path, output_format: str) -> None:
    name = "a\x1b[31mred\nfake.py:1:1: EVL000.py"
    write_files(project, {name: f'import eventlet\nx = "{ESCAPES}"; eventlet.sleep(1)\n'})
    result = run_cli(["check", "--no-cache", "--output-format", output_format, "."])
    assert result.exit_code == 1, result.stderr
    for character in "\x1b\x07\u202e":
        assert character not in result.stdout
    assert "a\\x1b[31mred\\x0afake.py:1:1: EVL000.py:2:" in result.stdout
    assert not any(line.startswith("fake.py") for line in result.stdout.splitlines())
    if output_format == "text":
        source = '2 | x = "\\x1b[2J\\x1b]0;pwned\\x07\\u202e"; eventlet.sleep(1)'
        lines = result.stdout.splitlines()
        row = lines.index(source)
        assert lines[row + 1].index("^") == source.index("eventlet.sleep")


def _run_with_deadline(root: Path, seconds: float, *args: str) -> subprocess.CompletedProcess[str]:
    """The CLI in a child process; a hang or a quadratic blow-up fails here, not the suite."""
    command = [sys.executable, "-m", "evlint", "check", "--no-cache", "--output-format", "concise", *args]
    try:
        return subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=seconds, check=False)
    except subprocess.TimeoutExpired:
        pytest.fail(f"evlint {' '.join(args)} took over {seconds} s")


def test_a_from_import_of_thousands_of_names_is_not_quadratic(tmp_path: Path) -> None:
    # 10,000 names: about 100 s before (quadratic in the index's reader test), seconds now
    names = ", ".join(f"n{index}" for index in range(10_000))
    write_files(
        tmp_path, {"hub.py": f"from eventlet import ({names})\n", "user.py": "from hub import n5\nn5()\n"}
    )
    done = _run_with_deadline(tmp_path, 45, ".")
    assert done.returncode == 0, done.stderr  # warnings only: the run does not fail
    assert "hub.py:1:1: EVL501" in done.stdout
