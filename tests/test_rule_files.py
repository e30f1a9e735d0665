"""Rule files: the bundled pack's examples pass, and a bad rule file is one clear error."""

from __future__ import annotations

from pathlib import Path

import pytest

from evlint.ruleset import bundled_rules_dir, load_rules
from evlint.testing import run_examples
from tests.conftest import ROOT, run_cli, write_files

DOC_SECTIONS = ["## What it does", "## Why it matters", "## Example", "## Use instead", "## Fix safety"]

GOOD = """\
id: TST001
name: good-rule
summary: s
message: "{matched}"
match:
  call: [eventlet.sleep]
examples:
  invalid: [{code: "import eventlet\\neventlet.sleep(1)\\n"}]
  valid: [{code: "sleep(1)\\n"}]
"""


def test_bundled_rule_examples_pass_through_the_cli() -> None:
    result = run_cli(["test-rules"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith(" 0 failed")


@pytest.mark.parametrize("rule", load_rules([bundled_rules_dir()]), ids=lambda rule: rule.id)
def test_every_bundled_rule_is_documented_and_tested(rule: object) -> None:
    from evlint.model import Rule

    assert isinstance(rule, Rule)
    assert len(rule.invalid_examples) >= 2 and len(rule.valid_examples) >= 2
    sections = [line for line in rule.docs.splitlines() if line.startswith("## ")]
    assert sections == DOC_SECTIONS, f"{rule.id} docs sections: {sections}"
    assert rule.message.strip() and rule.summary.strip()
    assert rule.suggestion
    assert run_examples([rule], load_rules([bundled_rules_dir()])) == []


def test_bundled_rules_are_found_from_any_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    ids = {rule.id for rule in load_rules([bundled_rules_dir()])}
    assert {"EVL101", "EVL501", "EVL601", "EVL701", "M322"} <= ids


def test_a_failing_example_is_reported_with_file_and_index(project: Path) -> None:
    wrong = GOOD.replace(
        'valid: [{code: "sleep(1)\\n"}]',
        'valid: [{code: "sleep(1)\\n"}, {code: "import eventlet\\neventlet.sleep()\\n"}]',
    )
    wrong = wrong.replace(
        "invalid: [",
        'invalid: [{code: "x = 1\\n"}, {code: "import eventlet\\neventlet.sleep(1)\\n", count: 2}, ',
    )
    write_files(project, {"rules/TST001.yaml": wrong})
    result = run_cli(["test-rules", "rules"])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    source = "rules/TST001.yaml"
    assert f"{source}: TST001 invalid example 0: expected a finding, got none" in lines
    assert f"{source}: TST001 invalid example 1: expected 2 findings, got 1" in lines
    assert any(
        line.startswith(f"{source}: TST001 valid example 1: expected no finding, got TST001 at 2:1")
        for line in lines
    )
    assert lines[-1] == "2 passed, 3 failed"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            GOOD.replace("name: good-rule", "name: Good Rule"),
            "TST001.yaml:2: name: 'Good Rule' does not match",
        ),
        (
            GOOD.replace("  call: [eventlet.sleep]", "  calls: [eventlet.sleep]"),
            "TST001.yaml:6: match: Additional properties",
        ),
        (
            GOOD.replace("[eventlet.sleep]", "[eventlet..sleep]"),
            "TST001.yaml:6: match.call.0: 'eventlet..sleep' does not match",
        ),
        (GOOD.replace("id: TST001\n", ""), "TST001.yaml:1: (top level): 'id' is a required property"),
        (GOOD.replace("summary: s", "summary: [s"), "TST001.yaml:4: invalid YAML"),
        (
            GOOD.replace('message: "{matched}"', 'message: "{nope}"'),
            "TST001.yaml:4: message: unknown placeholder {nope}",
        ),
        ("!!python/object/apply:os.system ['echo hacked']\n", "TST001.yaml:1: invalid YAML"),
        (
            GOOD.replace("severity", "x") + "severity: fatal\n",
            "TST001.yaml:10: severity: 'fatal' is not one of",
        ),
        (
            GOOD + "fix: {replace-reference: time.sleep, delete-statement: true, applicability: safe}\n",
            "TST001.yaml:10: fix: declare exactly one fix kind (replace-callee, replace-reference,",
        ),
        (GOOD + "fix: {applicability: safe}\n", "TST001.yaml:10: fix: declare exactly one fix kind"),
        (
            GOOD + "fix: {replace-reference: time.sleep}\n",
            "TST001.yaml:10: fix: 'applicability' is a required",
        ),
        (
            GOOD + "fix: {replace-reference: time.sleep, applicability: always}\n",
            "TST001.yaml:10: fix.applicability: 'always' is not one of",
        ),
        (
            GOOD + 'fix: {replace-reference: "{nope}.sleep", applicability: safe}\n',
            "TST001.yaml:10: fix: unknown placeholder {nope}",
        ),
    ],
)
def test_bad_rule_file_is_one_error_with_line(project: Path, text: str, message: str) -> None:
    write_files(project, {"rules/TST001.yaml": text, "a.py": "import eventlet\n"})
    result = run_cli(["check", "--rules-dir", "rules"])
    assert result.exit_code == 2
    assert message in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "hacked" not in result.output


def test_duplicate_rule_id_across_directories(project: Path) -> None:
    write_files(project, {"one/TST001.yaml": GOOD, "two/TST001.yaml": GOOD})
    result = run_cli(["check", "--rules-dir", "one", "--rules-dir", "two"])
    assert result.exit_code == 2
    assert "two/TST001.yaml:1: rule id TST001 is already defined in" in result.stderr


def test_rule_id_clashing_with_a_bundled_rule(project: Path) -> None:
    write_files(project, {"mine/EVL101.yaml": GOOD.replace("TST001", "EVL101")})
    result = run_cli(["check", "--rules-dir", "mine"])
    assert result.exit_code == 2
    assert "rule id EVL101 is already defined in" in result.stderr


FIXABLE = GOOD.replace("call: [eventlet.sleep]", "reference: [eventlet.sleep]") + (
    "fix: {replace-reference: {eventlet.sleep: time.sleep}, applicability: unsafe}\n"
)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (FIXABLE, "TST001 invalid example 0: the rule declares a fix but no example has `fixed`"),
        (
            GOOD.replace('eventlet.sleep(1)\\n"}]', 'eventlet.sleep(1)\\n", fixed: "x\\n"}]'),
            "TST001 invalid example 0: has `fixed` but the rule declares no fix",
        ),
        (
            FIXABLE.replace('eventlet.sleep(1)\\n"}]', 'eventlet.sleep(1)\\n", fixed: "time.sleep(1)\\n"}]'),
            "TST001 invalid example 0: fixing gives 'import time\\ntime.sleep(1)\\n', expected `fixed`",
        ),
    ],
)
def test_fix_examples_must_match_the_rule(project: Path, text: str, problem: str) -> None:
    write_files(project, {"rules/TST001.yaml": text})
    result = run_cli(["test-rules", "rules"])
    assert result.exit_code == 1
    assert problem in result.stdout, result.stdout


def test_correct_fixed_example_passes(project: Path) -> None:
    fixed = 'eventlet.sleep(1)\\n", fixed: "import time\\ntime.sleep(1)\\n"}]'
    write_files(project, {"rules/TST001.yaml": FIXABLE.replace('eventlet.sleep(1)\\n"}]', fixed)})
    result = run_cli(["test-rules", "rules"])
    assert result.exit_code == 0, result.stdout


def test_docs_rule_example_is_a_valid_rule_whose_examples_pass(project: Path) -> None:
    page = (ROOT / "docs" / "writing-rules.md").read_text(encoding="utf-8")
    section = page[page.index("# Writing a rule") :]
    block = section[
        section.index("```yaml\n") + len("```yaml\n") : section.index("```\n", section.index("```yaml"))
    ]
    write_files(project, {"rules/ORG101.yaml": block})
    result = run_cli(["test-rules", "rules"])
    assert result.exit_code == 0, result.stdout
    assert result.stdout.strip() == "2 passed, 0 failed"
