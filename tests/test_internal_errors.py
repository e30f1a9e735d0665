"""Crash isolation: a bug injected into one rule, the engine or the fix stage (monkeypatch,
in process) becomes an EVL003 finding naming rule, file and line; everything else reports."""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

import pytest

import evlint.discover
import evlint.engine.collect
import evlint.engine.lint
import evlint.fix.apply
import evlint.runner.pool
from evlint.fix.propose import propose
from evlint.model import Fix, Rule
from tests.conftest import run_cli, write_files

CODE = "import eventlet\n\neventlet.sleep(1)\neventlet.spawn(f)\n"


def findings(stdout: str) -> list[tuple[str, int, str, str]]:
    return sorted(
        (Path(i["filename"]).name, i["location"]["row"], i["code"], i["message"]) for i in json.loads(stdout)
    )


def _propose_breaking_evl201(rule: Rule, matched: str, site: Any, context: Any) -> Fix | None:
    if rule.id == "EVL201":
        raise ZeroDivisionError("division by zero")
    return propose(rule, matched, site, context)


def test_a_crash_in_one_rule_is_reported_and_the_other_rules_still_report(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_files(project, {"a.py": CODE, "b.py": CODE})
    monkeypatch.setattr(evlint.engine.lint, "propose", _propose_breaking_evl201)
    result = run_cli(["check", "--no-cache", "--select", "EVL101,EVL201", "--output-format", "json"])
    assert result.exit_code == 1
    message = (
        "internal error during analysis in rule EVL201: ZeroDivisionError: division by zero (please report)"
    )
    spawn = "eventlet.spawn() starts a green thread"
    assert findings(result.stdout) == [
        ("a.py", 3, "EVL003", message),
        ("a.py", 4, "EVL101", spawn),
        ("b.py", 3, "EVL003", message),
        ("b.py", 4, "EVL101", spawn),
    ]
    assert result.stderr == ""


def test_debug_prints_the_traceback_on_stderr(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_files(project, {"a.py": CODE})
    monkeypatch.setattr(evlint.engine.lint, "propose", _propose_breaking_evl201)
    result = run_cli(["check", "--no-cache", "--select", "EVL201", "--output-format", "concise", "--debug"])
    assert result.stdout.startswith("a.py:3:1: EVL003 internal error during analysis in rule EVL201")
    assert result.stderr.startswith("evlint: internal error in a.py:3:\nTraceback (most recent call last):")
    assert "in _propose_breaking_evl201" in result.stderr
    assert result.stderr.rstrip().endswith("ZeroDivisionError: division by zero")


_real_visit_call = evlint.engine.collect._Collector.visit_Call


def _visit_call_breaking_on_boom(self: Any, node: ast.Call) -> None:
    if isinstance(node.func, ast.Name) and node.func.id == "boom":
        raise KeyError("boom")
    _real_visit_call(self, node)


def test_a_crash_in_the_engine_names_the_file_and_the_line_it_was_on(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_files(project, {"bad.py": "import eventlet\n\n\nboom()\n", "good.py": CODE})
    monkeypatch.setattr(evlint.engine.collect._Collector, "visit_Call", _visit_call_breaking_on_boom)
    result = run_cli(["check", "--no-cache", "--select", "EVL101", "--output-format", "json"])
    assert result.exit_code == 1
    assert findings(result.stdout) == [
        ("bad.py", 4, "EVL003", "internal error during analysis: KeyError: 'boom' (please report)"),
        (
            "good.py",
            4,
            "EVL101",
            "eventlet.spawn() starts a green thread",
        ),
    ]


def test_crashes_in_pool_workers_are_isolated_too(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The pool's workers are forked from this process, so they carry the injected bug."""
    assert evlint.runner.pool.pool_size([len(CODE)] * 6) == 1  # without the patches below: no pool
    files = {f"m{index}.py": CODE for index in range(6)}
    files["m3.py"] = "import eventlet\nboom()\n"
    write_files(project, files)
    monkeypatch.setattr(evlint.engine.collect._Collector, "visit_Call", _visit_call_breaking_on_boom)
    monkeypatch.setattr(evlint.runner.pool, "POOL_MIN_SAVED_BYTES", 0)
    monkeypatch.setattr(evlint.runner.pool, "cores", lambda: 2)
    result = run_cli(["check", "--no-cache", "--select", "EVL101", "--output-format", "json", "--debug"])
    assert [(name, row, code) for name, row, code, _ in findings(result.stdout)] == [
        *((f"m{index}.py", 4, "EVL101") for index in range(3)),
        ("m3.py", 2, "EVL003"),
        *((f"m{index}.py", 4, "EVL101") for index in range(4, 6)),
    ]
    assert "KeyError: 'boom'" in result.stderr  # the traceback came back from the worker


def test_a_crash_while_fixing_leaves_the_file_and_fixes_the_others(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_files(project, {"a.py": CODE, "b.py": CODE.replace("sleep(1)", "sleep(2)")})
    real = evlint.fix.apply.manage_imports

    def manage_imports_breaking_on_a(text: str, *args: Any, **kwargs: Any) -> str:
        if "sleep(1)" in text or "time.sleep(1)" in text:
            raise AttributeError("'NoneType' object has no attribute 'body'")
        return real(text, *args, **kwargs)

    monkeypatch.setattr(evlint.fix.apply, "manage_imports", manage_imports_breaking_on_a)
    result = run_cli(
        ["check", "--no-cache", "--select", "EVL201", "--fix", "--unsafe-fixes", "--output-format", "concise"]
    )
    assert (project / "a.py").read_text() == CODE
    assert (
        project / "b.py"
    ).read_text() == "import eventlet\nimport time\n\ntime.sleep(2)\neventlet.spawn(f)\n"
    assert result.stdout.splitlines()[:2] == [
        "a.py:1:1: EVL003 internal error during fixing: AttributeError: 'NoneType' object has no attribute"
        " 'body' (please report)",
        "a.py:3:1: EVL201 [*] eventlet.sleep() yields to eventlet's hub",
    ]
    assert result.stderr == "evlint: warning: a.py: fixes not applied: internal error\n"
    assert result.exit_code == 1


def test_a_crash_outside_the_files_is_one_line_and_exit_2(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_files(project, {"a.py": CODE})

    def broken_discover(self: Any, paths: Any) -> list[Path]:
        raise RuntimeError("discovery is broken")

    monkeypatch.setattr(evlint.discover.Discoverer, "discover", broken_discover)
    result = run_cli(["check"])
    assert result.exit_code == 2
    assert result.stderr == (
        "evlint: internal error: RuntimeError: discovery is broken"
        " (please report; --debug shows the traceback)\n"
    )
    debug = run_cli(["check", "--no-cache", "--debug"])
    assert debug.exit_code == 2
    assert debug.stderr.startswith("Traceback (most recent call last):")
    assert debug.stderr.endswith(
        "evlint: internal error: RuntimeError: discovery is broken (please report)\n"
    )
