"""`evlint rules`, `evlint explain`, and the docs' generated rules table."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path
from types import ModuleType

from evlint.ruleset import bundled_rules_dir, load_rules
from tests.conftest import ROOT, run_cli, write_files

DOCS_HOOKS = ROOT / "docs" / "hooks" / "evlint_docs.py"


def _docs_hooks() -> ModuleType:
    spec = importlib.util.spec_from_file_location("evlint_docs_hooks", DOCS_HOOKS)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_docs_rules_table_is_the_markdown_of_evlint_rules(project: Path) -> None:
    """The rules page's table is generated at build time from what `evlint rules` prints."""
    page = (ROOT / "docs" / "rules" / "index.md").read_text(encoding="utf-8")
    assert "<!-- evlint:rules-table -->" in page, "docs/rules/index.md has no generated rules table"
    table = _docs_hooks().rules_table()
    printed = run_cli(["rules", "--output-format", "markdown"]).stdout
    assert re.sub(r"\[([A-Z]+[0-9]+)\]\(\1\.md\)", r"\1", table) == printed
    assert {rule.id for rule in load_rules([bundled_rules_dir()])} == set(
        re.findall(r"\[([A-Z]+[0-9]+)\]", table)
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
    result = run_cli(["rules"], env={"COLUMNS": "200"})  # wide: the summary on the row
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
