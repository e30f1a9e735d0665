"""The bundled examples stay what the README and the docs say they are."""

from __future__ import annotations

import json
import re
import shlex
import shutil
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_cli


def test_masakari_style_example_findings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = run_cli(["check", "examples/masakari-style", "--output-format", "json"])
    assert result.exit_code == 1
    items = json.loads(result.stdout)
    assert Counter(item["code"] for item in items) == {
        "EVL101": 3,  # spawn_after, and 2 in the tests; M322 supersedes it on the other 3 sites
        "EVL501": 5,  # minimasakari/cmd is exempt from it by per-file-ignores
        "EVL502": 1,
        "EVL601": 2,
        "EVL701": 1,
        "EVL702": 1,
        "M322": 3,  # the aliases and the reference; utils.py and tests are exempt by option
    }
    m322 = [item["message"] for item in items if item["code"] == "M322"]
    assert m322[0] == "Use minimasakari.utils.spawn() rather than eventlet.spawn()"


def test_custom_rule_example(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = run_cli(["test-rules", "examples/custom-rules"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "6 passed, 0 failed"
    explained = run_cli(["explain", "ORG101", "--rules-dir", "examples/custom-rules"])
    assert explained.stdout.startswith("# ORG101 use-project-pool (ourproject pack)")


def test_hacking_recipe_reports_only_the_replaced_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """docs/hacking.md's pep8 command, run as written on a copy of the masakari-style example."""
    doc = (ROOT / "docs" / "hacking.md").read_text(encoding="utf-8")
    commands = re.findall(r"^\s*(evlint check\b.*)$", doc, flags=re.MULTILINE)
    assert commands, "docs/hacking.md shows no `evlint check` command for the pep8 environment"
    shutil.copytree(ROOT / "examples" / "masakari-style", tmp_path / "example")
    monkeypatch.chdir(tmp_path / "example")
    everything = json.loads(run_cli(["check", "--output-format", "json"]).stdout)
    result = run_cli([*shlex.split(commands[0])[1:], "--output-format", "json"])
    items = json.loads(result.stdout)
    assert {item["code"] for item in items} == {"M322"}
    assert len(items) == sum(item["code"] == "M322" for item in everything) < len(everything)
