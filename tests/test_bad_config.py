"""Configuration and rule files that the existing tests (test_config.py, test_rule_files.py)
do not cover: each is one line naming the file and line, exit 2, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.test_rule_files import GOOD

BOMB = "".join(
    f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]\n"
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True)
)


def check_fails(*args: str) -> str:
    result = run_cli(["check", *args])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_a_pyproject_that_is_not_utf8(project: Path) -> None:
    (project / "pyproject.toml").write_bytes(b'[tool.evlint]\nselect = ["\xff"]\n')
    assert (
        check_fails() == f"evlint: error: {project / 'pyproject.toml'}:2: invalid TOML: not UTF-8 (byte 25)"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "a: &a [x, x]\n" + BOMB + GOOD,
            "TST001.yaml:2: invalid YAML: aliases (*name) are not allowed",
        ),
        (
            GOOD.replace("summary: s", "summary: &s s\ndocs: *s"),
            "TST001.yaml:4: invalid YAML: aliases (*name) are not allowed",
        ),
        ("- a\n- b\n", "TST001.yaml:1: (top level): ['a', 'b'] is not of type 'object'"),
        ("", "TST001.yaml:1: (top level): None is not of type 'object'"),
        ("{}\n", "TST001.yaml:1: (top level): 'id' is a required property"),
    ],
)
def test_bad_rule_files(project: Path, text: str, message: str) -> None:
    (project / "rules").mkdir()
    (project / "rules" / "TST001.yaml").write_text(text, encoding="utf-8")
    assert message in check_fails("--rules-dir", "rules")


def test_a_rule_file_that_is_not_utf8(project: Path) -> None:
    (project / "rules").mkdir()
    (project / "rules" / "TST001.yaml").write_bytes(b"id: TST001\nname: \xff\n")
    line = check_fails("--rules-dir", "rules")
    assert line.startswith(
        f"evlint: error: {project / 'rules' / 'TST001.yaml'}: cannot read rule file: 'utf-8' codec"
    )


def test_a_rules_dir_that_is_a_file(project: Path) -> None:
    (project / "rules").write_text("not a directory\n", encoding="utf-8")
    assert (
        check_fails("--rules-dir", "rules")
        == f"evlint: error: {project / 'rules'}: rules directory does not exist"
    )
