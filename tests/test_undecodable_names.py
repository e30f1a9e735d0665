"""File names that are not UTF-8 (bytes on POSIX): carried losslessly through every stage
and every output, never an internal error."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import run_cli, write_files

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="needs a file system that takes any bytes")

NAME = os.fsdecode(b"b_\xff.py")
SPAWN = "import eventlet\n\n\ndef start(worker):\n    eventlet.spawn(worker)\n"


@pytest.fixture
def tree(project: Path) -> Path:
    write_files(project, {"pkg/spawner.py": SPAWN})
    return project


def put(tree: Path, code: str) -> Path:
    path = tree / "pkg" / NAME
    path.write_bytes(code.encode())
    return path


def test_a_file_named_in_bytes_that_never_mentions_eventlet_does_not_break_a_default_run(tree: Path) -> None:
    write_files(tree, {"pkg/__init__.py": "", "pkg/hub.py": "from eventlet import sleep\n"})
    put(tree, "from pkg import hub\nhub.sleep(1)\n")  # eventlet's, through the project's module
    for _ in range(2):  # the cache written, then read
        result = run_cli(["check", "--output-format", "concise"])
        assert result.exit_code == 1, result.output
        assert "internal error" not in result.stderr
        assert "pkg/spawner.py:5:5: EVL101" in result.stdout
        assert "pkg/b_\ufffd.py:2:1: EVL201" in result.stdout  # (the test runner's stdout replaces)


@pytest.mark.parametrize("cache", [[], ["--no-cache"]])
def test_its_findings_reach_sarif_with_a_percent_encoded_uri(tree: Path, cache: list[str]) -> None:
    put(tree, SPAWN)
    result = run_cli(["check", *cache, "--output-format", "sarif"])
    assert result.exit_code == 1, result.output
    locations = [
        location["physicalLocation"]["artifactLocation"]["uri"]
        for run in json.loads(result.stdout)["runs"]
        for found in run["results"]
        for location in found["locations"]
    ]
    assert "pkg/b_%FF.py" in locations and "pkg/spawner.py" in locations


def test_a_baseline_records_it_and_then_hides_it(tree: Path) -> None:
    put(tree, SPAWN)
    written = run_cli(["check", "--no-cache", "--write-baseline", "baseline.json"])
    assert written.exit_code == 0, written.output
    text = (tree / "baseline.json").read_bytes().decode("utf-8")  # valid UTF-8, the byte escaped
    assert NAME in [entry["path"].rpartition("/")[2] for entry in json.loads(text)["findings"]]
    again = run_cli(["check", "--no-cache", "--baseline", "baseline.json"])
    assert again.exit_code == 0, again.output


@pytest.mark.parametrize("format", ["json", "markdown", "html"])
def test_the_report_names_it(tree: Path, format: str) -> None:
    put(tree, SPAWN)
    result = run_cli(["report", ".", "--output-format", format, "-o", f"report.{format}"])
    assert result.exit_code in (0, 1), result.output
    text = (tree / f"report.{format}").read_bytes().decode("utf-8")
    if format == "json":
        assert NAME in json.dumps(json.loads(text), ensure_ascii=False)  # the same str back
    assert "b_\\udcff.py" in text


def test_text_output_writes_the_name_as_its_bytes_whatever_the_stream_errors(tree: Path) -> None:
    put(tree, SPAWN)
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}  # strict errors
    done = subprocess.run(
        [sys.executable, "-m", "evlint", "check", "--no-cache", "--output-format", "concise"],
        cwd=tree,
        env=env,
        capture_output=True,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert b"pkg/b_\xff.py:5:5: EVL101" in done.stdout
