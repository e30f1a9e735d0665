"""Hostile source and names through the real CLI: deep but valid code keeps its findings,
terminal escape sequences never reach the terminal, crafted input stays near linear."""

from __future__ import annotations

import json
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
