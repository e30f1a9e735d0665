"""Settings that would make evlint walk or read the whole file system are bounded, with a
one-line error: `extend-rules-dirs = ["/"]`, `src = ["/"]`."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_cli, write_files


def test_a_rules_directory_with_too_much_below_it_is_an_error(project: Path) -> None:
    (project / "pyproject.toml").write_text('[tool.evlint]\nextend-rules-dirs = ["/"]\n')
    write_files(project, {"mod.py": "import eventlet\n"})
    result = run_cli(["check", "--no-cache", "mod.py"])
    assert result.exit_code == 2, result.output
    assert result.stderr.strip() == (
        "evlint: error: /: not a rules directory: over 20000 entries below it"
        " (rule files are YAML files at most 4 levels down)"
    )


def test_rule_files_are_found_only_near_the_rules_directory(project: Path) -> None:
    rule = (
        Path(__file__).parents[1] / "examples" / "custom-rules" / "ourproject" / "ORG101.yaml"
    ).read_text()
    write_files(project, {"rules/deep/a/b/c/d/ORG101.yaml": rule, "mod.py": "import eventlet\n"})
    result = run_cli(["check", "--no-cache", "--rules-dir", "rules", "--select", "ORG101", "mod.py"])
    assert result.exit_code == 2, result.output
    assert "unknown rule selector 'ORG101'" in result.stderr


@pytest.mark.parametrize("entry", ["/", "..", "pkg/../.."])
def test_a_src_root_outside_the_project_is_an_error(project: Path, entry: str) -> None:
    (project / "pyproject.toml").write_text(f'[tool.evlint]\nsrc = ["{entry}"]\n')
    write_files(project, {"pkg/mod.py": "import eventlet\n"})
    result = run_cli(["check", "--no-cache"])
    assert result.exit_code == 2, result.output
    assert f"pyproject.toml:2: src: {entry!r} is outside the project" in result.stderr
