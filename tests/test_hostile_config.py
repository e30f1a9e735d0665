"""Hostile configuration, rule, baseline and cache files through the real CLI: one line
naming the file (and line), exit 2, never `internal error`; and no schema hole that
silently turns every rule on or off."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_cli, write_files

CODE = "import eventlet\neventlet.sleep(1)\n"
EVL201 = (ROOT / "rules" / "eventlet" / "EVL201.yaml").read_text(encoding="utf-8")


def _one_line_error(result: object, *fragments: str) -> None:
    stderr = getattr(result, "stderr", "")
    assert getattr(result, "exit_code", None) == 2, stderr
    assert "internal error" not in stderr
    lines = stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("evlint: error: "), stderr
    for fragment in fragments:
        assert fragment in lines[0], stderr


@pytest.mark.parametrize(
    ("document", "fragment"),
    [
        ("[tool]\nevlint = 5\n", "pyproject.toml:2: [tool.evlint] must be a table"),
        ('[tool]\nname = "x"\nevlint = "text"\n', "pyproject.toml:3: [tool.evlint] must be a table"),
        ("tool = 5\n", "pyproject.toml:1: [tool] must be a table"),
    ],
)
def test_a_tool_table_that_is_not_a_table(project: Path, document: str, fragment: str) -> None:
    write_files(project, {"pyproject.toml": document, "a.py": CODE})
    _one_line_error(run_cli(["check", "."]), fragment)


def test_a_baseline_nested_too_deeply(project: Path) -> None:
    (project / "base.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    write_files(project, {"a.py": CODE})
    _one_line_error(run_cli(["check", "--baseline", "base.json", "."]), "base.json:1:", "nested too deeply")


def test_a_baseline_integer_of_more_digits_than_python_converts(project: Path) -> None:
    (project / "base.json").write_text('{"version": ' + "1" * 5000 + "}", encoding="utf-8")
    write_files(project, {"a.py": CODE})
    _one_line_error(run_cli(["check", "--baseline", "base.json", "."]), "base.json:1:", "4300 digits")


def test_cache_files_nested_too_deeply_are_ignored(project: Path, cache_dir: Path) -> None:
    write_files(project, {"a.py": CODE})
    first = run_cli(["check", "--output-format", "json", "."])
    cached = list(cache_dir.rglob("*.json"))
    assert cached
    for path in cached:
        path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    again = run_cli(["check", "--output-format", "json", "."])
    assert again.exit_code == 1, again.stderr
    assert json.loads(again.stdout) == json.loads(first.stdout)


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("2020-01-01", "date"),
        ("!!binary aGVsbG8=", "bytes"),
        ("!!set {a, b}", "set"),
        ("[1, 2020-01-01]", "date"),
    ],
)
def test_yaml_values_that_are_not_json_in_a_rule_file(project: Path, value: str, kind: str) -> None:
    text = EVL201.replace("id: EVL201", "id: ORG201", 1).replace("name: eventlet-sleep", f"name: {value}", 1)
    write_files(project, {"rules/ORG201.yaml": text, "a.py": CODE})
    _one_line_error(
        run_cli(["check", "--rules-dir", "rules", "."]), "ORG201.yaml:2: name", f"a {kind} is not"
    )


def test_a_rule_file_with_a_non_string_key(project: Path) -> None:
    text = EVL201.replace("id: EVL201", "id: ORG201\n1: x", 1)
    write_files(project, {"rules/ORG201.yaml": text, "a.py": CODE})
    _one_line_error(run_cli(["check", "--rules-dir", "rules", "."]), "ORG201.yaml", "a key must be a string")


def test_a_rule_file_nested_too_deeply_for_the_line_finder(project: Path) -> None:
    text = EVL201.replace("id: EVL201", "id: ORG201", 1).replace(
        "name: eventlet-sleep", "name: " + "[" * 990 + "]" * 990, 1
    )
    write_files(project, {"rules/ORG201.yaml": text, "a.py": CODE})
    # the recursion limit decides which of the two messages it is; either is one line
    _one_line_error(run_cli(["check", "--rules-dir", "rules", "."]), "ORG201.yaml:")


def test_a_rule_id_with_a_trailing_newline_does_not_match_the_pattern(project: Path) -> None:
    text = EVL201.replace("id: EVL201", 'id: "ORG201\\n"', 1)
    write_files(project, {"rules/ORG201.yaml": text, "a.py": CODE})
    _one_line_error(run_cli(["check", "--rules-dir", "rules", "."]), "ORG201.yaml:1: id:", "does not match")


@pytest.mark.parametrize(
    ("table", "fragment"),
    [
        ('select = [""]', "unknown rule selector ''"),
        ('ignore = [""]', "unknown rule selector ''"),
        ('extend-select = [""]', "unknown rule selector ''"),
        ('[tool.evlint.per-file-ignores]\n"*.py" = [""]', "pyproject.toml:3: per-file-ignores.'*.py'"),
        ('[tool.evlint.per-file-ignores]\n"*.py" = ["XYZ123"]', "unknown rule selector 'XYZ123'"),
    ],
)
def test_empty_and_unknown_codes_in_the_configuration(project: Path, table: str, fragment: str) -> None:
    write_files(project, {"pyproject.toml": f"[tool.evlint]\n{table}\n", "a.py": CODE})
    _one_line_error(run_cli(["check", "."]), fragment)


def test_a_known_prefix_in_per_file_ignores_still_works(project: Path) -> None:
    write_files(
        project, {"pyproject.toml": '[tool.evlint.per-file-ignores]\n"a.py" = ["EVL2"]\n', "a.py": CODE}
    )
    result = run_cli(["check", "--output-format", "json", "."])
    assert result.exit_code == 0, result.stderr  # EVL501 is a warning: it does not fail the run
    assert [item["code"] for item in json.loads(result.stdout)] == ["EVL501"]
