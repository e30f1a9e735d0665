"""Rules are validated by jsonschema-rs first and python-jsonschema only when that says no,
so the verdict is python-jsonschema's as long as jsonschema-rs never accepts what it
rejects. (The other way round happens: Python's `$` also matches before a final newline,
so python-jsonschema accepts a name "x\n" that jsonschema-rs rejects; then python-jsonschema
decides, as before.)"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import jsonschema
import jsonschema_rs
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evlint.ruleset import bundled_rules_dir
from evlint.ruleyaml import rule_schema

RULE_DOCUMENTS = [
    yaml.safe_load(path.read_text("utf-8")) for path in sorted(bundled_rules_dir().rglob("*.yaml"))
]
REFERENCE = jsonschema.Draft202012Validator(rule_schema())
QUICK = jsonschema_rs.validator_for(rule_schema())

# Values a mutation puts somewhere: of every JSON type, and strings near the schema's patterns.
VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(
        [
            "",
            "EVL101",
            "evl101",
            "EVL",
            "eventlet.spawn",
            "eventlet..spawn",
            "a b",
            "x\n",
            "safe",
            "unsafe",
            "display-only",
            "error",
            "warning",
            "replace-callee",
            "{name}",
            "https://example.org",
            "nope",
        ]
    ),
    st.lists(st.sampled_from(["eventlet.spawn", "", 1, None]), max_size=3),
    st.dictionaries(
        st.sampled_from(["kind", "call", "code", "valid", "x"]), st.sampled_from(["a", 1, []]), max_size=2
    ),
)


def _paths(document: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(document, dict):
        for key, value in document.items():
            found.extend(_paths(value, (*prefix, key)))
    elif isinstance(document, list):
        for index, value in enumerate(document):
            found.extend(_paths(value, (*prefix, index)))
    return found


def _mutate(document: Any, path: tuple[Any, ...], action: str, value: Any) -> Any:
    mutated = copy.deepcopy(document)
    if not path:
        return value if action == "replace" else mutated
    parent = mutated
    for part in path[:-1]:
        parent = parent[part]
    last = path[-1]
    if action == "delete":
        del parent[last]
    elif action == "add" and isinstance(parent, dict):
        parent[f"{last}_extra"] = value
    else:
        parent[last] = value
    return mutated


def test_every_bundled_rule_is_valid_to_both() -> None:
    for document in RULE_DOCUMENTS:
        assert QUICK.is_valid(document)
        assert REFERENCE.is_valid(document)


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_the_quick_validator_accepts_no_mutated_rule_the_reference_rejects(data: st.DataObject) -> None:
    document = data.draw(st.sampled_from(RULE_DOCUMENTS))
    path = data.draw(st.sampled_from(_paths(document)))
    action = data.draw(st.sampled_from(["replace", "delete", "add"]))
    mutated = _mutate(document, path, action, data.draw(VALUES))
    assert not QUICK.is_valid(mutated) or REFERENCE.is_valid(mutated), (path, action, mutated)


@pytest.mark.parametrize("name", ["bad.yaml"])
def test_an_invalid_rule_still_gets_the_reference_message(project: Path, name: str) -> None:
    from .conftest import run_cli

    rules = project / "rules"
    rules.mkdir()
    (rules / name).write_text("id: EVL999\nname: x\nseverity: loud\n", encoding="utf-8")
    result = run_cli(["check", "--rules-dir", str(rules), "."])
    assert result.exit_code == 2
    assert f"{rules / name}:" in result.output


def test_the_quick_validator_accepts_no_rule_with_a_field_deleted_or_nulled_the_reference_rejects() -> None:
    invalid = 0
    for document in RULE_DOCUMENTS:
        for path in _paths(document)[1:]:
            for action in ("replace", "delete"):
                mutated = _mutate(document, path, action, None)
                expected = REFERENCE.is_valid(mutated)
                assert not QUICK.is_valid(mutated) or expected, (path, action)
                invalid += not expected
    assert invalid > 1000  # the mutations do reach the schema's constraints
