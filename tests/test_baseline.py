"""Baselines through the real CLI: only new findings are reported; fingerprints survive edits."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import Result

from tests.conftest import run_cli, write_files

SERVICE = """\
import eventlet


def start(worker):
    eventlet.spawn(worker)
    eventlet.sleep(0)
"""


@pytest.fixture
def recorded(project: Path) -> Path:
    """A project with findings in two files and a baseline of them."""
    write_files(project, {"pkg/service.py": SERVICE, "pkg/other.py": "import eventlet\n"})
    result = run_cli(["check", "--write-baseline", "baseline.json"])
    assert result.exit_code == 0, result.output
    assert result.stderr == "Wrote 4 findings to baseline.json\n"
    return project


def check(*args: str) -> Result:
    return run_cli(["check", "--baseline", "baseline.json", "--output-format", "concise", *args])


def edit(project: Path, name: str, text: str) -> None:
    (project / name).write_text(text, encoding="utf-8")


def test_the_baseline_file_is_sorted_stable_and_has_no_rows(recorded: Path) -> None:
    first = (recorded / "baseline.json").read_bytes()
    document = json.loads(first)
    assert document["version"] == 1
    assert document["findings"] == [
        {"path": "pkg/other.py", "code": "EVL501", "text": "importeventlet", "occurrence": 0},
        {"path": "pkg/service.py", "code": "EVL101", "text": "eventlet.spawn", "occurrence": 0},
        {"path": "pkg/service.py", "code": "EVL201", "text": "eventlet.sleep", "occurrence": 0},
        {"path": "pkg/service.py", "code": "EVL501", "text": "importeventlet", "occurrence": 0},
    ]
    assert run_cli(["check", "--write-baseline", "baseline.json"]).exit_code == 0
    assert (recorded / "baseline.json").read_bytes() == first
    assert [p.name for p in recorded.iterdir() if p.name.endswith(".evlint-tmp")] == []


def test_nothing_new_passes_and_says_how_many_are_known(recorded: Path) -> None:
    result = check()
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "All checks passed! (3 files checked)",  # pyproject.toml too: EVL702 reads dependencies
        "Baseline baseline.json: 4 known findings not shown, 0 fixed since it was written.",
    ]


def test_lines_added_above_and_a_reformatted_file_keep_findings_known(recorded: Path) -> None:
    edit(
        recorded,
        "pkg/service.py",
        '"""A docstring."""\nimport os\nimport eventlet\n\n\n\ndef start( worker ) :\n'
        "    os.getpid()\n    eventlet.spawn(\n        worker\n    )\n    eventlet.sleep( 0 )\n",
    )
    result = check()
    assert result.exit_code == 0, result.output
    assert "4 known findings not shown, 0 fixed" in result.stdout


def test_renamed_unrelated_symbols_keep_findings_known(recorded: Path) -> None:
    edit(recorded, "pkg/service.py", SERVICE.replace("start", "begin").replace("worker", "job"))
    assert check().exit_code == 0


def test_a_second_identical_violation_is_new(recorded: Path) -> None:
    edit(recorded, "pkg/service.py", SERVICE + "    eventlet.spawn(worker)\n")
    result = check()
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "pkg/service.py:7:5: EVL101 eventlet.spawn() starts a green thread",
        "Found 1 error in 1 file.",
        "Baseline baseline.json: 4 known findings not shown, 0 fixed since it was written.",
    ]


def test_a_fixed_violation_counts_as_fixed(recorded: Path) -> None:
    edit(recorded, "pkg/service.py", SERVICE.replace("    eventlet.spawn(worker)\n", ""))
    result = check()
    assert result.exit_code == 0
    assert "3 known findings not shown, 1 fixed since it was written." in result.stdout


def test_a_deleted_file_counts_as_fixed(recorded: Path) -> None:
    (recorded / "pkg" / "other.py").unlink()
    assert "3 known findings not shown, 1 fixed" in check().stdout


def test_files_and_rules_outside_the_run_are_neither_known_nor_fixed(recorded: Path) -> None:
    assert "1 known finding not shown, 0 fixed" in check("pkg/other.py").stdout
    assert "1 known finding not shown, 0 fixed" in check("--select", "EVL101").stdout


def test_the_config_key_is_relative_to_the_config_file(
    recorded: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    edit(recorded, "pyproject.toml", '[tool.evlint]\nbaseline = "baseline.json"\n')
    edit(recorded, "pkg/service.py", SERVICE + "    eventlet.spawn(worker)\n")
    monkeypatch.chdir(recorded / "pkg")
    result = run_cli(["check", ".", "--output-format", "concise"])
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0].startswith("service.py:7:5: EVL101")
    assert "4 known findings not shown, 0 fixed" in result.stdout


def test_machine_formats_keep_the_summary_off_standard_output(recorded: Path) -> None:
    result = run_cli(["check", "--baseline", "baseline.json", "--output-format", "json"])
    assert json.loads(result.stdout) == []
    assert (
        result.stderr == "Baseline baseline.json: 4 known findings not shown, 0 fixed since it was written.\n"
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "missing.json: cannot read baseline: No such file or directory"),
        ('{"version": 1,\n "findings": [}', "missing.json:2: invalid baseline JSON: Expecting value"),
        ("[]", "missing.json: not an evlint baseline (version 1)"),
        (
            '{"version": 1, "findings": [{"path": "a.py"}]}',
            "missing.json: baseline finding 0: missing 'code'",
        ),
        (
            '{"version": 1, "findings": [{"path": "a.py", "code": "X1", "text": "", "occurrence": "0"}]}',
            "missing.json: baseline finding 0: 'occurrence' must be a int",
        ),
    ],
)
def test_a_bad_baseline_is_a_one_line_error(project: Path, content: str | None, message: str) -> None:
    write_files(project, {"mod.py": "import eventlet\n"})
    if content is not None:
        edit(project, "missing.json", content)
    result = run_cli(["check", "--baseline", "missing.json"])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"evlint: error: {project / message}") or result.stderr.startswith(
        f"evlint: error: {message}"
    ), result.stderr


def test_a_baseline_that_cannot_be_written_is_an_error_and_leaves_nothing(project: Path) -> None:
    write_files(project, {"mod.py": "import eventlet\n"})
    result = run_cli(["check", "--write-baseline", "no/such/dir/baseline.json"])
    assert result.exit_code == 2
    assert result.stderr == (
        "evlint: error: no/such/dir/baseline.json: cannot write baseline: No such file or directory\n"
    )
    assert not (project / "no").exists()
