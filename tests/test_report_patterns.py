"""Migration patterns are data: every bundled rule names one in its YAML, checked by the schema."""

from __future__ import annotations

from pathlib import Path

import pytest

from evlint.report.classify import CODE_PATTERNS, module_of, scope_of
from evlint.ruleset import bundled_rules_dir, load_rules
from tests.conftest import ROOT, run_cli, write_files

RULE_FILES = sorted(bundled_rules_dir().rglob("*.yaml"))


@pytest.mark.parametrize("path", RULE_FILES, ids=lambda p: p.stem)
def test_every_bundled_rule_declares_its_pattern_after_severity(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    severity = next(i for i, line in enumerate(lines) if line.startswith("severity:"))
    assert lines[severity + 1].startswith("pattern: ")


def test_rules_load_their_pattern_and_every_pattern_has_rules() -> None:
    rules = load_rules([bundled_rules_dir()])
    by_id = {rule.id: rule.pattern for rule in rules}
    assert by_id["EVL101"] == "threads-pools"
    assert by_id["EVL401"] == "wsgi-networking"
    assert by_id["EVL602"] == "tests-mocks"
    assert by_id["EVL900"] == "other"
    assert set(by_id.values()) == set(CODE_PATTERNS)
    # only the catch-all, and unused-noqa (which an inventory never reports: it counts what noqa hides)
    assert [rule.id for rule in rules if rule.pattern == "other"] == ["EVL100", "EVL900"]


def test_an_unknown_pattern_is_a_schema_error_with_its_line(project: Path) -> None:
    write_files(
        project,
        {
            "rules/BAD001.yaml": """\
                id: BAD001
                name: bad-pattern
                severity: error
                pattern: green-stuff
                summary: s
                message: m
                match: {call: [eventlet.sleep]}
                examples:
                  invalid: [{code: "import eventlet\\neventlet.sleep(1)\\n"}]
                  valid: [{code: "pass\\n"}]
                """
        },
    )
    result = run_cli(["test-rules", "rules"])
    assert result.exit_code == 2
    assert "BAD001.yaml:4: pattern: 'green-stuff' is not one of" in result.stderr


def test_a_rule_without_a_pattern_counts_as_other(project: Path) -> None:
    rules = load_rules([ROOT / "examples" / "custom-rules"])
    assert [rule.pattern for rule in rules] == ["threads-pools"]
    write_files(
        project,
        {
            "rules/ORG200.yaml": """\
                id: ORG200
                name: no-pattern
                summary: s
                message: m
                match: {call: [eventlet.sleep]}
                examples:
                  invalid: [{code: "import eventlet\\neventlet.sleep(1)\\n"}]
                  valid: [{code: "pass\\n"}]
                """
        },
    )
    assert [rule.pattern for rule in load_rules([project / "rules"])] == ["other"]


@pytest.mark.parametrize(
    ("path", "scope"),
    [
        ("nova/tests/unit/test_x.py", "test"),
        ("test/helpers.py", "test"),
        ("pkg/test_api.py", "test"),
        ("pkg/api_test.py", "test"),
        ("conftest.py", "test"),
        ("pkg/test.py", "production"),
        ("pkg/testing.py", "production"),
        ("pkg/contest.py", "production"),
    ],
)
def test_scope_of_a_path(path: str, scope: str) -> None:
    assert scope_of(path) == scope


def test_module_of_a_path() -> None:
    assert module_of("masakari/api/wsgi.py") == "masakari.api"
    assert module_of("requirements.txt") == "(top level)"


def test_docs_pattern_table_agrees_with_the_rules() -> None:
    import re

    page = (ROOT / "docs" / "report.md").read_text(encoding="utf-8")
    table = page.split("| pattern | rules |\n", 1)[1].split("\n\n", 1)[0]
    rows = re.findall(r"^\| `([a-z-]+)` [^|]*\| ([^|]*) \|$", table, re.MULTILINE)
    documented = {pattern: set(re.findall(r"[A-Z]+[0-9]+", codes)) for pattern, codes in rows}
    actual: dict[str, set[str]] = {}
    for rule in load_rules([bundled_rules_dir()]):
        actual.setdefault(rule.pattern, set()).add(rule.id)
    assert {p: codes for p, codes in documented.items() if p != "docs"} == actual
