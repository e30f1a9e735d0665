"""`evlint entrypoints` on real projects (run with `pytest -m corpus`); each verdict was
checked by reading the code (see the issue-18 note)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_cli
from tests.test_corpus import fetch

pytestmark = pytest.mark.corpus


def _entrypoints(tree: Path) -> dict[str, dict[str, Any]]:
    result = run_cli(["entrypoints", str(tree), "--output-format", "json"])
    assert result.exit_code == 0, result.stderr
    return {item["name"]: item for item in json.loads(result.stdout)}


def test_masakari_22_console_scripts_patch_unconditionally_in_cmd_init() -> None:
    items = _entrypoints(fetch("masakari==22.0.0"))
    scripts = {name: item for name, item in items.items() if item["group"] == "console_scripts"}
    assert set(scripts) == {"masakari-api", "masakari-engine", "masakari-manage", "masakari-status"}
    for item in scripts.values():
        assert item["verdict"] == "eventlet-only"
        [patch] = item["patches"]
        assert patch["location"] == "masakari/cmd/__init__.py:18"
        assert not patch["switchable"]


def test_nova_34_services_are_dual_mode_behind_the_environment_variable_and_the_option() -> None:
    items = _entrypoints(fetch("nova==34.0.0"))
    services = {
        name: item
        for name, item in items.items()
        if item["group"] == "console_scripts" and item["module"].startswith("nova.")
    }
    assert {"nova-compute", "nova-conductor", "nova-scheduler", "nova-manage"} <= set(services)
    for item in services.values():
        assert item["verdict"] == "dual-mode", item["evidence"]
        guards = {(g["kind"], g["name"]) for patch in item["patches"] for g in patch["guards"]}
        assert {("env", "OS_NOVA_DISABLE_EVENTLET_PATCHING"), ("config", "concurrency_backend")} <= guards
        assert all(patch["location"] == "nova/monkey_patch.py:94" for patch in item["patches"])
    assert items["nova-rootwrap"]["verdict"] == "unresolved"  # oslo.rootwrap's command


def test_nova_31_services_are_switched_but_still_import_eventlet() -> None:
    items = _entrypoints(fetch("nova==31.0.0"))
    compute = items["nova-compute"]
    assert compute["verdict"] == "eventlet-only"
    assert compute["patches"][0]["switchable"]
    assert (
        "nova-compute → nova.cmd.compute → nova.utils → eventlet (nova/utils.py:31)"
        in compute["eventlet_imports"]
    )


def test_a_client_that_never_used_eventlet_is_eventlet_free() -> None:
    items = _entrypoints(fetch("python-novaclient==18.13.1"))
    assert items["nova"]["verdict"] == "eventlet-free"
    assert {item["verdict"] for item in items.values()} == {"eventlet-free"}
