"""Each selector kind, through rules written for the test in a --rules-dir."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_cli, write_files

RULES = {
    "rules/test/TST001.yaml": """
        id: TST001
        name: call-only
        summary: s
        message: "called {matched} ({name} in {module})"
        match: {call: [eventlet.sleep]}
        examples:
          invalid: [{code: "import eventlet\\neventlet.sleep(1)\\n"}]
          valid: [{code: "import eventlet\\nx = eventlet.sleep\\n"}]
    """,
    "rules/test/TST002.yaml": """
        id: TST002
        name: below-only
        summary: s
        message: "{matched}"
        match: {reference: [eventlet.green.*]}
        examples:
          invalid: [{code: "import eventlet.green.socket\\neventlet.green.socket.socket()\\n"}]
          valid: [{code: "import eventlet\\neventlet.green\\n"}]
    """,
    "rules/test/TST003.yaml": """
        id: TST003
        name: import-any
        summary: s
        message: "{matched}"
        match: {import: [eventlet]}
        examples:
          invalid: [{code: "import eventlet\\n"}]
          valid: [{code: "import eventlet_utils\\n"}]
    """,
    "rules/test/TST004.yaml": """
        id: TST004
        name: keyword-in-call
        summary: s
        message: "{matched}"
        match:
          keyword:
            - {name: executor, value: eventlet, call: [oslo_messaging.get_rpc_server]}
            - {name: workers, value: 0}
            - {name: green, value: true}
        examples:
          invalid: [{code: "f(workers=0)\\n"}]
          valid: [{code: "f(workers=False)\\n"}]
    """,
    "rules/test/TST005.yaml": """
        id: TST005
        name: strings
        summary: s
        message: "{matched}"
        match: {string-target: [eventlet.greenthread]}
        examples:
          invalid: [{code: "p('eventlet.greenthread.sleep')\\n"}]
          valid: [{code: "p('eventlet.greenthreads')\\n"}]
    """,
}


def check(project: Path, code: str, select: str) -> list[tuple[int, int, str]]:
    write_files(project, {**RULES, "mod.py": code})
    result = run_cli(
        ["check", "mod.py", "--rules-dir", "rules", "--select", select, "--output-format", "json"]
    )
    assert result.exit_code in (0, 1), result.output
    items: list[dict[str, Any]] = json.loads(result.stdout)
    return [(i["location"]["row"], i["location"]["column"], i["message"]) for i in items]


def test_call_selector_needs_a_call(project: Path) -> None:
    code = "import eventlet\neventlet.sleep(1)\nx = eventlet.sleep\neventlet.sleep.__doc__\n"
    assert check(project, code, "TST001") == [(2, 1, "called eventlet.sleep (sleep in eventlet)")]


def test_star_pattern_matches_only_below(project: Path) -> None:
    code = "import eventlet.green.socket\neventlet.green\neventlet.green.socket.socket()\nfrom eventlet.green import os\n"
    assert check(project, code, "TST002") == [(3, 1, "eventlet.green.socket.socket")]


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("import eventlet\n", [(1, 1, "eventlet")]),
        ("import os, eventlet\n", [(1, 12, "eventlet")]),
        ("import os, eventlet, eventlet.wsgi\n", [(1, 12, "eventlet"), (1, 22, "eventlet.wsgi")]),
        ("import eventlet.green.socket as s\n", [(1, 1, "eventlet.green.socket")]),
        ("from eventlet import (event, semaphore)\n", [(1, 1, "eventlet")]),
        ("from eventlet import (\n    event,\n    semaphore,\n)\n", [(1, 1, "eventlet")]),
        ("from eventlet.green import socket\n", [(1, 1, "eventlet.green")]),
        ("from eventlet import *\n", [(1, 1, "eventlet")]),
        ("def f():\n    import eventlet\n", [(2, 5, "eventlet")]),
        ("import importlib\nm = importlib.import_module('eventlet.hubs')\n", [(2, 5, "eventlet.hubs")]),
        ("import eventlet_utils\nimport my_eventlet\nfrom eventlet_utils import x\n", []),
        ("from . import eventlet\nfrom .eventlet import spawn\n", []),
        ("x = 'import eventlet'\n# import eventlet\n", []),
    ],
)
def test_import_selector_sees_every_form(
    project: Path, code: str, expected: list[tuple[int, int, str]]
) -> None:
    assert check(project, code, "TST003") == expected


def test_keyword_selector_compares_literal_and_callee(project: Path) -> None:
    code = (
        "import oslo_messaging as messaging\n"
        "messaging.get_rpc_server(t, executor='eventlet')\n"
        "other(executor='eventlet')\n"
        "f(workers=0)\n"
        "f(workers=0.0)\n"
        "f(workers=False)\n"
        "f(green=True)\n"
        "f(green=1)\n"
        "f(executor=eventlet)\n"
    )
    assert [row for row, _, _ in check(project, code, "TST004")] == [2, 4, 7]


def test_string_target_matches_names_and_attribute_pairs(project: Path) -> None:
    code = (
        "from unittest import mock\n"
        "import eventlet\n"
        "mock.patch('eventlet.greenthread.sleep')\n"
        "mock.patch('eventlet.greenthreads.sleep')\n"
        "mock.patch.object(eventlet.greenthread, 'sleep')\n"
        "mock.patch.object(eventlet, 'greenthread')\n"
        "setattr(eventlet.greenthread, 'sleep', fake)\n"
        "mock.patch.object(self.greenthread, 'sleep')\n"
        "other.object(eventlet.greenthread, 'sleep')\n"
        "mock.patch('eventlet.greenthread' '.sleep')\n"
        "LOG.info('uses eventlet.greenthread.sleep')\n"
        "'eventlet.greenthread.sleep'\n"
    )
    assert check(project, code, "TST005") == [
        (3, 12, "eventlet.greenthread.sleep"),
        (5, 19, "eventlet.greenthread.sleep"),
        (6, 19, "eventlet.greenthread"),
        # (7: setattr() is a reference to eventlet.greenthread.sleep, not a string target)
        (10, 12, "eventlet.greenthread.sleep"),
    ]


def test_selectors_combine_one_finding_per_site(project: Path) -> None:
    rule = """
        id: TST010
        name: both
        summary: s
        message: "{matched}"
        match: {call: [eventlet.spawn], reference: [eventlet.spawn]}
        examples:
          invalid: [{code: "import eventlet\\neventlet.spawn()\\n"}]
          valid: [{code: "spawn()\\n"}]
    """
    write_files(project, {"rules/t/TST010.yaml": rule, "mod.py": "import eventlet\neventlet.spawn(f)\n"})
    result = run_cli(
        ["check", "mod.py", "--rules-dir", "rules", "--select", "TST010", "--output-format", "concise"]
    )
    assert result.stdout.splitlines()[0] == "mod.py:2:1: TST010 eventlet.spawn"
    assert "Found 1 error in 1 file." in result.stdout


def test_test_rules_runs_a_user_rule_directory(project: Path) -> None:
    write_files(project, RULES)
    result = run_cli(["test-rules", "rules"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().splitlines()[-1] == "10 passed, 0 failed"


def _rule(code: str, match: str, extra: str = "") -> str:
    return (
        f"id: {code}\nname: t\nsummary: s\nmessage: '{{matched}}'\nmatch: {match}\n{extra}"
        'examples:\n  invalid: [{code: "x"}]\n  valid: [{code: "y"}]\n'
    )


def test_call_with_literal_arguments(project: Path) -> None:
    write_files(
        project,
        {
            "rules/TST030.yaml": _rule(
                "TST030", "{call: [{name: time.sleep, args: [0]}, {name: f.g, keywords: {k: true}}]}"
            )
        },
    )
    code = (
        "import time\nfrom time import sleep\nimport f\n"
        "time.sleep(0)\nsleep(0)\ntime.sleep(0.0)\ntime.sleep(1)\ntime.sleep(x)\ntime.sleep()\n"
        "f.g(k=True)\nf.g(k=1)\nf.g()\n"
    )
    write_files(project, {"mod.py": code})
    result = run_cli(
        ["check", "mod.py", "--rules-dir", "rules", "--select", "TST030", "--output-format", "json"]
    )
    assert [item["location"]["row"] for item in json.loads(result.stdout)] == [4, 5, 10]


def test_fallback_rule_reports_only_uncovered_sites(project: Path) -> None:
    write_files(
        project,
        {
            "rules/TST040.yaml": _rule("TST040", "{reference: [eventlet.spawn]}"),
            "rules/TST041.yaml": _rule("TST041", "{reference: [eventlet]}", "fallback: true\n"),
            "mod.py": "import eventlet\neventlet.spawn(f)\neventlet.greenio.shutdown_safe(s)\nx = eventlet\n",
        },
    )
    result = run_cli(
        ["check", "mod.py", "--rules-dir", "rules", "--select", "TST04", "--output-format", "concise"]
    )
    assert result.stdout.splitlines()[:3] == [
        "mod.py:2:1: TST040 eventlet.spawn",
        "mod.py:3:1: TST041 eventlet",
        "mod.py:4:5: TST041 eventlet",
    ]
    # Ignoring the specific rule does not hand its sites to the catch-all of the same pack.
    only_catch_all = ["check", "mod.py", "--rules-dir", "rules", "--output-format", "concise"]
    alone = run_cli([*only_catch_all, "--select", "TST041"])
    assert alone.stdout.splitlines()[:2] == ["mod.py:3:1: TST041 eventlet", "mod.py:4:5: TST041 eventlet"]
    write_files(project, {"pyproject.toml": '[tool.evlint.per-file-ignores]\n"mod.py" = ["TST040"]\n'})
    ignored = run_cli([*only_catch_all, "--select", "TST04"])
    assert ignored.stdout.splitlines()[:2] == ["mod.py:3:1: TST041 eventlet", "mod.py:4:5: TST041 eventlet"]


def test_dependency_selector_in_requirements_setup_cfg_and_pyproject(project: Path) -> None:
    write_files(
        project,
        {
            "rules/TST050.yaml": _rule("TST050", "{dependency: [eventlet]}"),
            "requirements.txt": "pbr>=2.0 # Apache-2.0\neventlet>=0.30.1 # MIT\nEventlet_Extra>=1\n# eventlet\n",
            "test-requirements.txt": "-r requirements.txt\n  eventlet[dev]==0.33  # noqa\n",
            "doc/requirements.txt": "sphinx\n",
            "setup.cfg": (
                "[metadata]\nname = x\ndescription = uses eventlet\n[options]\npython_requires = >=3.9\n"
                "install_requires =\n    pbr\n    eventlet>=0.30\n[options.extras_require]\ngreen = eventlet\n"
            ),
            "pyproject.toml": (
                '[tool.evlint]\n[project]\nname = "eventlet-free"\ndependencies = [\n    "oslo.messaging[amqp1]>=1",\n'
                '    "eventlet>=0.30",  # green\n]\n[project.optional-dependencies]\ntest = ["eventlet"]\n'
                '[tool.poetry.dependencies]\npython = "^3.9"\neventlet = "^0.33"\n'
            ),
        },
    )
    result = run_cli(
        ["check", ".", "--rules-dir", "rules", "--select", "TST050", "--output-format", "concise"]
    )
    assert result.stdout.splitlines()[:-1] == [
        "pyproject.toml:6:6: TST050 eventlet",
        "pyproject.toml:9:10: TST050 eventlet",
        "pyproject.toml:12:1: TST050 eventlet",
        "requirements.txt:2:1: TST050 eventlet",
        "setup.cfg:8:5: TST050 eventlet",
        "setup.cfg:10:9: TST050 eventlet",
    ]
