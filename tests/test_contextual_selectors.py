"""Contextual call selectors (inside/outside a context, after-import, min-size) and messages
that follow the project's declared versions, through the real CLI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from evlint.prefilter import Prefilter
from evlint.ruleset import bundled_rules_dir, load_rules
from tests.conftest import run_cli, write_files

RULE = """
    id: TST{code}
    name: contextual-{code}
    summary: s
    message: "{{matched}} [{{context}}]"
    match:
      call:
        - {selector}
    examples:
      invalid: [{{code: "x()\\n"}}]
      valid: [{{code: "y()\\n"}}]
"""


def _check(project: Path, selector: str, code: str, *extra: str) -> list[tuple[int, str]]:
    write_files(project, {"rules/t/TST100.yaml": RULE.format(code="100", selector=selector), "mod.py": code})
    result = run_cli(
        ["check", "mod.py", "--rules-dir", "rules", "--select", "TST100", "--output-format", "json", *extra]
    )
    assert result.exit_code in (0, 1), result.output
    items: list[dict[str, Any]] = json.loads(result.stdout)
    return [(item["location"]["row"], item["message"]) for item in items]


def test_inside_async_def_looks_at_the_nearest_function(project: Path) -> None:
    code = """\
        import eventlet

        async def handler():
            eventlet.sleep(1)
            def inner():
                eventlet.sleep(2)
            lam = lambda: eventlet.sleep(3)

        def plain():
            eventlet.sleep(4)
        """
    found = _check(project, "{name: eventlet.*, inside: [async-def]}", code)
    assert found == [(4, "eventlet.sleep []")]


def test_loop_and_while_true_stop_at_a_function_boundary(project: Path) -> None:
    code = """\
        import eventlet

        for x in xs:
            eventlet.spawn(f, x)
            def later():
                eventlet.spawn(g)
        while True:
            eventlet.spawn(h)
            for y in ys:
                eventlet.spawn(k)
        else:
            eventlet.spawn(m)
        """
    assert [row for row, _ in _check(project, "{name: eventlet.spawn, inside: [loop]}", code)] == [4, 8, 10]
    assert [row for row, _ in _check(project, "{name: eventlet.spawn, inside: [while-true]}", code)] == [8]


def test_green_code_is_what_the_module_hands_to_a_spawn(project: Path) -> None:
    code = """\
        import threading
        import eventlet
        from eventlet import greenthread

        def green():
            threading.local()

        def native():
            threading.local()

        class Agent:
            def run(self):
                threading.local()

            def start(self, pool):
                pool.spawn_n(self.run)
                greenthread.spawn_after(5, lambda: threading.local())

        eventlet.spawn(green)
        threading.Thread(target=native).start()
        """
    found = _check(project, "{name: threading.local, inside: [green-code]}", code)
    assert [row for row, _ in found] == [6, 13, 17]


def test_green_code_by_pool_methods_needs_an_eventlet_module(project: Path) -> None:
    code = """\
        import threading

        def work():
            threading.local()

        def start(pool):
            pool.spawn(work)
        """
    assert _check(project, "{name: threading.local, inside: [green-code]}", code) == []


def test_dual_mode_guard_branches_are_outside(project: Path) -> None:
    code = """\
        import eventlet
        from eventlet import patcher
        from oslo_utils import eventletutils as eu

        if patcher.is_monkey_patched("thread"):
            eventlet.sleep(0)
        else:
            eventlet.sleep(0)
        x = eventlet.sleep(0) if eu.EVENTLET_AVAILABLE else None
        if is_monkey_patched("thread"):  # not resolved to a guard: reported
            eventlet.sleep(0)
        eventlet.sleep(0)
        """
    found = _check(project, "{name: eventlet.sleep, args: [0], outside: [dual-mode-guard]}", code)
    assert [row for row, _ in found] == [11, 12]


def test_after_import_names_the_first_import_that_ran_before(project: Path) -> None:
    code = """\
        import os
        try:
            from oslo_log import log
        except ImportError:
            pass
        import eventlet
        eventlet.monkey_patch()
        import threading
        """
    found = _check(project, "{name: eventlet.monkey_patch, after-import: [threading, oslo_log]}", code)
    assert found == [(7, "eventlet.monkey_patch [oslo_log (line 3)]")]


def test_after_import_counts_every_module_import_for_a_call_in_a_function(project: Path) -> None:
    code = """\
        import eventlet

        def main():
            eventlet.monkey_patch()

        import threading
        """
    found = _check(project, "{name: eventlet.monkey_patch, after-import: [threading]}", code)
    assert found == [(4, "eventlet.monkey_patch [threading (line 6)]")]


def test_min_size_reads_the_first_argument_or_a_size_keyword(project: Path) -> None:
    code = """\
        import eventlet

        eventlet.GreenPool(1000)
        eventlet.GreenPool(size=64)
        eventlet.GreenPool(63)
        eventlet.GreenPool(size=CONF.size)
        eventlet.GreenPool("1000")
        """
    found = _check(project, "{name: eventlet.GreenPool, min-size: 64}", code)
    assert found == [(3, "eventlet.GreenPool [1000]"), (4, "eventlet.GreenPool [64]")]


def test_eventlet_module_context_lets_the_prefilter_skip_other_files(project: Path) -> None:
    selector = "{name: os.fork, inside: [eventlet-module]}"
    assert _check(project, selector, "import os\nos.fork()\n") == []
    assert [row for row, _ in _check(project, selector, "import os\nimport eventlet\nos.fork()\n")] == [3]
    (rule,) = [rule for rule in load_rules([bundled_rules_dir()]) if rule.id == "EVH601"]
    prefilter = Prefilter.for_rules([rule])
    assert not prefilter.may_match(b"import os\nimport multiprocessing\nos.fork()\n")
    assert prefilter.may_match(b"import os\nfrom eventlet import tpool\nos.fork()\n")


def test_an_unknown_context_is_a_rule_error(project: Path) -> None:
    def run(contexts: str) -> int:
        selector = f"{{name: eventlet.sleep, inside: [{contexts}]}}"
        write_files(
            project, {"rules/t/TST100.yaml": RULE.format(code="100", selector=selector), "mod.py": "x = 1\n"}
        )
        return run_cli(["check", "mod.py", "--rules-dir", "rules", "--select", "TST100"]).exit_code

    assert run("loop, green-code") == 0
    assert run("loop, in-a-hurry") == 2


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (
            {"requirements.txt": "oslo.service>=3.6.0 # Apache-2.0\n"},
            "always green threads with oslo.service>=3.6.0",
        ),
        ({"requirements.txt": "oslo.service\n"}, "always green threads with oslo.service"),
        (
            {"requirements.txt": "oslo.service>=4.2.0\n"},
            "runs green threads on oslo.service's eventlet backend",
        ),
        ({"setup.cfg": "[options]\ninstall_requires =\n    oslo.service>=3.1\n"}, "always green threads"),
        (
            {"pyproject.toml": '[tool.evlint]\n[project]\ndependencies = ["oslo.service>=4.8.0"]\n'},
            "runs green threads on oslo.service's eventlet backend",
        ),
        ({}, "runs green threads on oslo.service's eventlet backend"),
    ],
)
def test_message_follows_the_declared_oslo_service_version(
    project: Path, files: dict[str, str], expected: str
) -> None:
    write_files(
        project,
        {
            **files,
            "svc/manager.py": "from oslo_service import threadgroup\n\ntg = threadgroup.ThreadGroup()\n",
        },
    )
    result = run_cli(
        ["check", "svc", "--select", "EVB101", "--output-format", "json", "--fail-on", "warning"]
    )
    assert result.exit_code == 1, result.output
    (item,) = json.loads(result.stdout)
    assert expected in item["message"]


def test_libs_are_on_by_default_and_hazards_only_when_selected(project: Path) -> None:
    write_files(
        project,
        {
            "mod.py": "import futurist\nimport eventlet\n\nex = futurist.GreenThreadPoolExecutor(max_workers=4)\neventlet.sleep(0)\n"
        },
    )
    default = {
        item["code"] for item in json.loads(run_cli(["check", "mod.py", "--output-format", "json"]).stdout)
    }
    assert "EVB201" in default and not any(code.startswith("EVH") for code in default)
    extended = run_cli(["check", "mod.py", "--extend-select", "EVH", "--output-format", "json"])
    assert "EVH201" in {item["code"] for item in json.loads(extended.stdout)}


def test_report_counts_library_apis_and_hazards(project: Path) -> None:
    write_files(
        project,
        {
            "setup.cfg": "[metadata]\nname = svc\n",
            "svc/agent.py": """\
                import eventlet
                from oslo_service import loopingcall

                def beat():
                    while True:
                        eventlet.sleep(10)

                timer = loopingcall.FixedIntervalLoopingCall(beat)
                """,
        },
    )
    result = run_cli(["report", ".", "--output-format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    patterns = {occurrence["rule"]: occurrence["pattern"] for occurrence in _occurrences(report)}
    assert patterns["EVB102"] == "library-apis"
    assert patterns["EVH202"] == "hazards"


def _occurrences(report: dict[str, Any]) -> list[dict[str, Any]]:
    return [occurrence for project in report["projects"] for occurrence in project["occurrences"]]


def test_decorators_and_multi_line_calls_are_found_where_they_are(project: Path) -> None:
    code = """\
        import eventlet
        from oslo_concurrency import lockutils

        class Manager:
            @lockutils.synchronized(
                "refresh")
            def refresh(self):
                pass

        async def run():
            value = compute(
                eventlet.sleep(
                    0))
        """
    found = _check(project, "{name: oslo_concurrency.lockutils.*, inside: [eventlet-module]}", code)
    assert [row for row, _ in found] == [5]
    assert [row for row, _ in _check(project, "{name: eventlet.sleep, inside: [async-def]}", code)] == [12]


def test_a_while_true_loop_that_breaks_or_returns_is_no_forever_loop(project: Path) -> None:
    code = """\
        import eventlet

        def retry():
            while True:
                if send():
                    break
                eventlet.sleep(1)

        def poll():
            while True:
                for item in items():
                    if item:
                        break
                eventlet.sleep(1)

        def wait():
            while 1:
                if done():
                    return
                eventlet.sleep(1)
        """
    found = _check(project, "{name: eventlet.sleep, inside: [while-true]}", code)
    assert [row for row, _ in found] == [14]


def test_two_selectors_of_one_rule_on_one_call_give_one_finding(project: Path) -> None:
    write_files(
        project,
        {
            "rules/t/TST100.yaml": RULE.format(
                code="100",
                selector="{name: eventlet.sleep, inside: [loop]}\n        - {name: eventlet.*, inside: [loop]}",
            ),
            "mod.py": "import eventlet\n\nfor x in xs:\n    eventlet.sleep(0)\n",
        },
    )
    result = run_cli(
        ["check", "mod.py", "--rules-dir", "rules", "--select", "TST100", "--output-format", "json"]
    )
    assert [item["location"]["row"] for item in json.loads(result.stdout)] == [4]
