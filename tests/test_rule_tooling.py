"""`evlint rules`, `evlint explain`, and the README's generated rules table."""

from __future__ import annotations

import json
import re
from pathlib import Path

from evlint.output.rules import rules_markdown
from evlint.ruleset import bundled_rules_dir, load_rules
from tests.conftest import ROOT, run_cli, write_files

README_TABLE = re.compile(r"<!-- rules-table:[^\n]*-->\n(.*?)<!-- end rules-table -->", re.DOTALL)


def test_readme_rules_table_is_generated_and_current() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    found = README_TABLE.search(readme)
    assert found is not None, "README has no generated rules table"
    expected = rules_markdown(load_rules([bundled_rules_dir()]))
    assert found.group(1) == expected, (
        "README rules table is stale: paste `evlint rules --output-format markdown`"
    )


def test_rules_json_lists_every_rule_with_enabled_by_config(project: Path) -> None:
    write_files(project, {"pyproject.toml": '[tool.evlint]\nextend-select = ["M322"]\nignore = ["EVL501"]\n'})
    rows = {row["code"]: row for row in json.loads(run_cli(["rules", "--output-format", "json"]).stdout)}
    assert set(rows) == {rule.id for rule in load_rules([bundled_rules_dir()])}
    assert rows["M322"]["enabled"] is True and rows["M322"]["pack"] == "openstack"
    assert rows["EVL501"]["enabled"] is False
    assert rows["EVL101"]["enabled"] is True and rows["EVL101"]["severity"] == "error"
    assert set(rows["EVL101"]) == {"code", "name", "pack", "severity", "fixable", "enabled", "summary"}


def test_rules_table(project: Path) -> None:
    result = run_cli(["rules"])
    assert result.exit_code == 0
    header = result.stdout.splitlines()[0].split()
    assert header == ["code", "name", "pack", "severity", "fixable", "enabled", "summary"]
    assert any(
        line.split()[:3] == ["M322", "use-utils-spawn", "openstack"] for line in result.stdout.splitlines()
    )


def test_explain_shows_docs_message_options_and_examples(project: Path) -> None:
    result = run_cli(["explain", "M322"])
    assert result.exit_code == 0
    out = result.stdout
    assert out.startswith("# M322 use-utils-spawn (openstack pack)\n")
    assert "Message: Use {wrapper-module}.{name}() rather than {matched}()" in out
    assert '  wrapper-module = "masakari.utils"' in out
    assert "## What it does" in out
    assert "Invalid example 0:" in out and "Valid example 0:" in out


def test_explain_unknown_code(project: Path) -> None:
    result = run_cli(["explain", "NOPE1"])
    assert result.exit_code == 2
    assert "unknown rule code 'NOPE1'" in result.stderr
