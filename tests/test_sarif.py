"""`--output-format sarif`: every document is validated against the official SARIF 2.1.0 schema."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tests.conftest import MASAKARI_WRAPPER, run_cli, write_files

SCHEMA_PATH = Path(__file__).parent / "sarif" / "sarif-schema-2.1.0.json"  # see sarif/README.md

INFO_RULE = """\
id: TST900
name: info-rule
severity: info
summary: An informational rule
message: "{matched} seen"
url: https://example.org/rules/TST900
match:
  call: [eventlet.sleep]
examples:
  invalid: [{code: "import eventlet\\neventlet.sleep(1)\\n"}]
  valid: [{code: "import time\\n"}]
"""


@cache
def _validator() -> jsonschema.Draft4Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)


def assert_valid_sarif(document: dict[str, Any]) -> None:
    errors = [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in _validator().iter_errors(document)
    ]
    assert not errors, errors


def sarif(*args: str) -> dict[str, Any]:
    result = run_cli(["check", "--output-format", "sarif", *args])
    assert result.exit_code in (0, 1), result.output
    document: dict[str, Any] = json.loads(result.stdout)
    assert_valid_sarif(document)
    return document


@pytest.fixture
def violating(project: Path) -> Path:
    write_files(
        project,
        {
            "pkg/mod.py": "import eventlet\n\n\ndef start(worker):\n    eventlet.spawn(worker)\n    eventlet.sleep(0)\n",
            "pkg/broken.py": "import eventlet\ndef (:\n",
            "pkg/clean.py": "import threading\n",
            "rules/TST900.yaml": INFO_RULE,
            **MASAKARI_WRAPPER,  # M322's fix is safe where the project has the wrapper
        },
    )
    return project


def test_the_schema_validator_rejects_a_broken_document(violating: Path) -> None:
    document = sarif("pkg/mod.py")
    document["runs"][0]["results"][0]["level"] = "fatal"
    with pytest.raises(AssertionError):
        assert_valid_sarif(document)


def test_rules_results_levels_and_regions(violating: Path) -> None:
    document = sarif("pkg", "--rules-dir", "rules", "--extend-select", "TST900")
    run = document["runs"][0]
    assert document["version"] == "2.1.0"
    assert run["invocations"] == [{"executionSuccessful": True}]
    assert run["columnKind"] == "unicodeCodePoints"
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == violating.as_uri() + "/"
    rules = run["tool"]["driver"]["rules"]
    ids = [rule["id"] for rule in rules]
    assert {"EVL101", "EVL501", "EVL900", "TST900", "EVL000"} <= set(ids)
    assert len(ids) == len(set(ids))
    found = {
        (r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"]): r for r in run["results"]
    }
    assert set(found) == {("EVL000", 2), ("EVL501", 1), ("EVL101", 5), ("EVL201", 6), ("TST900", 6)}
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    spawn = found["EVL101", 5]
    assert spawn["level"] == "error"
    assert spawn["message"]["text"].startswith("eventlet.spawn() starts a green thread")
    assert spawn["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "pkg/mod.py", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 5, "startColumn": 5, "endLine": 5, "endColumn": 19},
    }
    assert found["EVL501", 1]["level"] == "warning"
    assert found["TST900", 6]["level"] == "note"
    syntax = found["EVL000", 2]
    assert rules[syntax["ruleIndex"]]["name"] == "syntax-error"
    assert "endLine" not in syntax["locations"][0]["physicalLocation"]["region"]  # a point


def test_rule_descriptors_carry_the_docs(violating: Path) -> None:
    document = sarif("pkg/mod.py", "--rules-dir", "rules", "--extend-select", "TST900")
    rules = {rule["id"]: rule for rule in document["runs"][0]["tool"]["driver"]["rules"]}
    spawn = rules["EVL101"]
    assert spawn["name"] == "eventlet-spawn"
    assert spawn["shortDescription"]["text"] == "Green threads started with eventlet's spawn functions"
    assert spawn["fullDescription"]["text"].startswith("Reports every use of eventlet's spawn functions")
    assert "## What it does" not in spawn["fullDescription"]["text"]
    assert spawn["help"]["markdown"].startswith("## What it does")
    assert "## Use instead" in spawn["help"]["text"]
    assert spawn["defaultConfiguration"] == {"level": "error"}
    assert spawn["helpUri"] == "https://evlint.readthedocs.io/en/latest/rules/EVL101/"  # the docs site
    assert rules["TST900"]["helpUri"] == "https://example.org/rules/TST900"
    assert rules["TST900"]["defaultConfiguration"] == {"level": "note"}


def test_fingerprints_are_stable_across_lines_added_above(violating: Path) -> None:
    def fingerprints() -> list[str]:
        results = sarif("pkg/mod.py")["runs"][0]["results"]
        return [result["partialFingerprints"]["evlintFingerprint/v1"] for result in results]

    before = fingerprints()
    module = violating / "pkg" / "mod.py"
    module.write_text("# a new first line\n" + module.read_text(encoding="utf-8"), encoding="utf-8")
    assert fingerprints() == before
    assert len(set(before)) == len(before)


def test_clean_run_and_a_path_outside_the_working_directory(
    violating: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    assert sarif("pkg/clean.py")["runs"][0]["results"] == []
    elsewhere = tmp_path_factory.mktemp("elsewhere") / "far away.py"
    elsewhere.write_text("import eventlet\n", encoding="utf-8")
    results = sarif(str(elsewhere))["runs"][0]["results"]
    assert [r["locations"][0]["physicalLocation"]["artifactLocation"] for r in results] == [
        {"uri": elsewhere.as_uri()}
    ]


def test_fixes_are_replacements_of_regions(violating: Path) -> None:
    document = sarif("--select", "M322,EVL201", "pkg/mod.py")
    results = {r["ruleId"]: r for r in document["runs"][0]["results"]}
    (fix,) = results["M322"]["fixes"]
    assert fix["description"]["text"] == "Replace with `utils.spawn`"
    assert fix["properties"]["applicability"] == "safe"
    (change,) = fix["artifactChanges"]
    assert change["artifactLocation"] == {"uri": "pkg/mod.py", "uriBaseId": "%SRCROOT%"}
    assert change["replacements"] == [
        {
            "deletedRegion": {"startLine": 2, "startColumn": 1, "endLine": 2, "endColumn": 1},
            "insertedContent": {"text": "from masakari import utils\n"},
        },
        {
            "deletedRegion": {"startLine": 5, "startColumn": 5, "endLine": 5, "endColumn": 13},
            "insertedContent": {"text": "utils"},
        },
    ]
    assert results["EVL201"]["fixes"][0]["properties"]["applicability"] == "unsafe"
