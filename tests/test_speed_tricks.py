"""Each speed trick (evlint.speed) can be turned off for the benchmark, and none changes a finding."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from evlint.speed import ENVIRONMENT, Tricks
from tests.conftest import write_files

SCRIPT = Path(__file__).resolve().parent.parent / "benchmarks" / "tricks.py"
FILLER = "# A comment line only there to make the file weigh in the pool's sums, nothing else.\n" * 1500

TREE = {
    "pyproject.toml": "[tool.evlint]\n",
    "myproj/__init__.py": "",
    "myproj/green.py": "import eventlet\nfrom eventlet import sleep\n\nspawn = eventlet.spawn\n",
    "myproj/worker.py": "import eventlet\nfrom myproj import green\n\ngreen.spawn(print)\neventlet.sleep(0)\n",
    "myproj/reader.py": "from myproj.green import sleep\n\nsleep(1)\n",
    **{
        f"myproj/big_{i}.py": f"from myproj.green import spawn\n\nspawn(print, {i})\n{FILLER}"
        for i in range(4)
    },
}


def test_the_switches_read_the_environment() -> None:
    assert Tricks.from_environment("") == Tricks()
    off = Tricks.from_environment("pool, claims")
    assert not off.pool and not off.claims and off.prefilter and off.one_parse
    assert "one-parse" in Tricks.names() and len(Tricks.names()) == len(Tricks().__dataclass_fields__)


def _check(tree: Path, off: str) -> str:
    env = {**os.environ, ENVIRONMENT: off}
    argv = [sys.executable, "-m", "evlint", "check", "--no-cache", "--output-format", "concise", "."]
    completed = subprocess.run(argv, cwd=tree, capture_output=True, text=True, env=env, check=False)
    assert completed.returncode == 1, completed.stderr
    return completed.stdout


def test_no_trick_changes_a_finding(tmp_path: Path) -> None:
    write_files(tmp_path, TREE)
    everything = _check(tmp_path, "")
    assert "myproj/reader.py:3:1: EVL" in everything and "myproj/big_3.py:3:1: EVL101" in everything
    for name in Tricks.names():
        assert _check(tmp_path, name) == everything, name
    assert _check(tmp_path, ",".join(Tricks.names())) == everything


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("tricks_bench", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    return _load()


def test_the_benchmark_table_says_what_each_trick_buys(bench: ModuleType) -> None:
    variants = [
        bench.Variant("nova==34.0.0", bench.ALL_ON, [1.0, 1.1, 0.9]),
        bench.Variant("nova==34.0.0", "pool", [2.0, 2.0, 2.2]),
        bench.Variant("nova==34.0.0", "claims", [1.02, 1.0, 1.03]),
    ]
    rows = {row["off"]: row for row in bench.rows(variants)}
    assert rows["pool"]["buys"] == 0.5 and rows["pool"]["keep"]
    assert rows["claims"]["buys"] == pytest.approx(0.02, abs=0.001) and not rows["claims"]["keep"]
    text = bench.table(list(rows.values()))
    assert "| nova==34.0.0 | pool | 2.0 | 2.0-2.2 | 50.0 % | yes |" in text
    assert "| claims |" in text and "| no |" in text
