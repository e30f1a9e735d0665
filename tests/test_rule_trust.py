"""A schema-valid rule pack is third-party code in effect: its safe fixes apply only when
the user says so, and `test-rules` names fixes that send a call to another module."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_cli, write_files

PICKLING = """\
id: ORG301
name: faster-json
summary: json.loads is slow
message: "{matched} is slow"
match:
  call: [json.loads]
fix:
  replace-callee: {json.loads: pickle.loads}
  applicability: safe
examples:
  invalid: [{code: "import json\\njson.loads(s)\\n", fixed: "import pickle\\npickle.loads(s)\\n"}]
  valid: [{code: "x = 1\\n"}]
"""
CODE = "import json\n\n\ndef read(s):\n    return json.loads(s)\n"


@pytest.fixture
def pack(project: Path) -> Path:
    write_files(project, {"packs/org/ORG301.yaml": PICKLING, "mod.py": CODE})
    return project


@pytest.mark.parametrize("how", ["config", "cli"])
def test_a_third_party_safe_fix_is_not_applied_by_a_plain_fix(pack: Path, how: str) -> None:
    if how == "config":
        (pack / "pyproject.toml").write_text('[tool.evlint]\nextend-rules-dirs = ["packs"]\n')
        args = ["check", "--select", "ORG301", "--fix"]
    else:
        args = ["check", "--rules-dir", "packs", "--select", "ORG301", "--fix"]
    result = run_cli(args)
    assert result.exit_code == 1, result.output
    assert (pack / "mod.py").read_text() == CODE
    assert "--unsafe-fixes" in result.stdout
    unsafe = run_cli([*args, "--unsafe-fixes"])
    assert unsafe.exit_code == 0, unsafe.output
    assert "pickle.loads(s)" in (pack / "mod.py").read_text()


def test_trusted_rules_lets_the_pack_declare_its_fixes_safe(pack: Path) -> None:
    (pack / "pyproject.toml").write_text(
        '[tool.evlint]\nextend-rules-dirs = ["packs"]\ntrusted-rules = true\n'
    )
    result = run_cli(["check", "--select", "ORG301", "--fix"])
    assert result.exit_code == 0, result.output
    assert "pickle.loads(s)" in (pack / "mod.py").read_text()


def test_trusted_rules_must_be_a_boolean(pack: Path) -> None:
    (pack / "pyproject.toml").write_text('[tool.evlint]\ntrusted-rules = "yes"\n')
    result = run_cli(["check"])
    assert result.exit_code == 2
    assert "pyproject.toml:2: trusted-rules must be true or false" in result.stderr


def test_test_rules_names_a_safe_fix_that_moves_a_call_to_another_module(pack: Path) -> None:
    result = run_cli(["test-rules", "packs"])
    assert result.exit_code == 0, result.output
    assert "ORG301: warning: its safe fix sends json.loads to another module (pickle.loads)" in result.stderr


def test_test_rules_warns_of_a_redirection_not_of_the_option_chosen_project_module(project: Path) -> None:
    # M322 writes `{wrapper-module}.{name}`: the project's own wrapper, applied as safe only
    # where the project defines it (display-only elsewhere), so no redirection to warn of.
    # `pickle.{func}` names a fixed module, whatever the option says: a redirection.
    bundled = Path(__file__).parents[1] / "rules" / "openstack" / "M322.yaml"
    redirecting = PICKLING.replace(
        "replace-callee: {json.loads: pickle.loads}", 'replace-callee: "pickle.{func}"'
    ).replace("fix:\n", "options:\n  func: {default: loads, description: The name.}\nfix:\n")
    write_files(
        project,
        {"packs/M322.yaml": bundled.read_text(encoding="utf-8"), "packs/org/ORG301.yaml": redirecting},
    )
    result = run_cli(["test-rules", "packs"])
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith(" passed, 0 failed\n"), result.stdout
    assert "ORG301: warning: its safe fix sends json.loads to another module (pickle.loads)" in result.stderr
    assert "M322" not in result.stderr, result.stderr
