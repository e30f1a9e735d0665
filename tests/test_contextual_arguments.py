"""Argument conditions (given, absent, unpicklable kinds), after-call, green code through
spawn wrappers and called functions, and the rules built on them, through the real CLI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_cli, write_files
from tests.test_contextual_selectors import RULE, _check


def _codes(
    project: Path, select: str, files: dict[str, str], target: str = "."
) -> list[tuple[str, int, str]]:
    write_files(project, files)
    result = run_cli(["check", target, "--select", select, "--output-format", "json", "--no-cache"])
    assert result.exit_code in (0, 1), result.output
    items: list[dict[str, Any]] = json.loads(result.stdout)
    return sorted(
        (item["filename"].rpartition("/")[2], item["location"]["row"], item["message"]) for item in items
    )


def test_an_absent_argument_is_neither_given_nor_maybe_given(project: Path) -> None:
    code = """\
        import eventlet

        eventlet.sleep()
        eventlet.sleep(1)
        eventlet.sleep(seconds=0.5)
        eventlet.sleep(*delays)
        eventlet.sleep(**options)
        eventlet.sleep(timeout=1)
        """
    selector = "{name: eventlet.sleep, argument: {position: 0, keyword: seconds, absent: true}}"
    assert [row for row, _ in _check(project, selector, code)] == [3, 8]


def test_a_given_argument_names_its_keyword_in_the_context(project: Path) -> None:
    code = """\
        from oslo_service import threadgroup

        threadgroup.ThreadGroup(max_threads=5)
        threadgroup.ThreadGroup(5)
        threadgroup.ThreadGroup(thread_pool_size=5)
        """
    found = _check(
        project, "{name: oslo_service.threadgroup.ThreadGroup, argument: {keyword: max_threads}}", code
    )
    assert found == [(3, "oslo_service.threadgroup.ThreadGroup [max_threads=]")]
    by_position = _check(
        project, "{name: oslo_service.threadgroup.ThreadGroup, argument: {position: 0}}", code
    )
    assert [row for row, _ in by_position] == [4]


def test_unpicklable_kinds_are_lambdas_and_functions_defined_in_functions(project: Path) -> None:
    code = """\
        import multiprocessing

        def module_level():
            pass

        def start(target, options):
            def nested():
                pass
            multiprocessing.Process(target=lambda: None)
            multiprocessing.Process(None, nested)
            multiprocessing.Process(target=module_level)
            multiprocessing.Process(target=target)
            multiprocessing.Process(target=options.run)
            multiprocessing.Process(*options)

        class Service:
            def run(self):
                pass

            def start(self):
                multiprocessing.Process(target=self.run)
        """
    selector = "{name: multiprocessing.Process, argument: {keyword: target, position: 1, kind: [lambda, nested-function]}}"
    assert _check(project, selector, code) == [
        (9, "multiprocessing.Process [a lambda]"),
        (10, "multiprocessing.Process [nested function nested]"),
    ]


def test_a_malformed_argument_condition_is_a_rule_error(project: Path) -> None:
    def run(argument: str) -> int:
        selector = f"{{name: multiprocessing.Process, argument: {argument}}}"
        write_files(
            project, {"rules/t/TST100.yaml": RULE.format(code="100", selector=selector), "mod.py": "x = 1\n"}
        )
        return run_cli(["check", "mod.py", "--rules-dir", "rules", "--select", "TST100"]).exit_code

    assert run("{keyword: target, position: 1, kind: [lambda, nested-function]}") == 0
    assert run("{position: 0, absent: true}") == 0
    assert run("{}") == 2
    assert run("{keyword: target, kind: [lambda], absent: true}") == 2
    assert run("{keyword: target, kind: [bound-method]}") == 2


def test_after_call_counts_the_statements_above_and_for_a_function_the_whole_module(project: Path) -> None:
    code = """\
        from oslo_service import backend

        if threading():
            backend.init_backend(backend.BackendType.THREADING)
        else:
            backend.init_backend(backend.BackendType.EVENTLET)
        backend.init_backend(backend.BackendType.THREADING)

        def main():
            backend.init_backend(backend.BackendType.THREADING)
        """
    selector = "{name: oslo_service.backend.init_backend, after-call: [oslo_service.backend.init_backend]}"
    assert _check(project, selector, code) == [
        (7, "oslo_service.backend.init_backend [init_backend() (line 4)]"),
        (10, "oslo_service.backend.init_backend [init_backend() (line 4)]"),
    ]


def test_evb107_reports_init_backend_after_get_component(project: Path) -> None:
    files = {
        "svc/main.py": """\
            from oslo_service import backend

            TIMER = backend.get_component("FixedIntervalLoopingCall")
            backend.init_backend(backend.BackendType.THREADING)
            """
    }
    ((_, row, message),) = _codes(project, "EVB107", files)
    assert row == 4 and message.startswith("get_component() (line 3) chose the backend")


GREEN = "{name: threading.local, inside: [green-code]}"


def test_green_code_follows_calls_in_the_same_module_three_deep(project: Path) -> None:
    code = """\
        import threading
        import eventlet

        def one():
            threading.local()
            two()

        def two():
            threading.local()
            three()

        def three():
            threading.local()
            four()

        def four():
            threading.local()
            five()

        def five():
            threading.local()

        class Worker:
            def run(self):
                self.step()

            def step(self):
                threading.local()

        class Other:
            def step(self):
                threading.local()

        def unrelated():
            threading.local()

        eventlet.spawn(one)
        eventlet.spawn(Worker().run)
        """
    assert [row for row, _ in _check(project, GREEN, code)] == [5, 9, 13, 17, 28]


def test_green_code_through_the_module_s_own_spawn_wrappers(project: Path) -> None:
    code = """\
        import threading
        import eventlet

        def direct(func, *args):
            return eventlet.spawn(func, *args)

        def with_context(func, *args):
            def context_wrapper(*a):
                return func(*a)
            return eventlet.spawn(context_wrapper, *args)

        def passed_along(func, *args):
            return pass_context(_pool().spawn_n, func, *args)

        def not_a_wrapper(func):
            return func()

        def a():
            threading.local()

        def b():
            threading.local()

        def c():
            threading.local()

        def d():
            threading.local()

        direct(a)
        with_context(b)
        passed_along(c)
        not_a_wrapper(d)
        """
    assert [row for row, _ in _check(project, GREEN, code)] == [19, 22, 25]


def test_the_project_s_utils_spawn_hands_green_code_with_or_without_eventlet(project: Path) -> None:
    files = {
        "svc/__init__.py": "",
        "svc/utils.py": "import eventlet\n\ndef spawn(func, *args):\n    return eventlet.spawn(func, *args)\n",
        "svc/patched.py": """\
            import asyncio
            import eventlet
            from svc.utils import spawn

            def work():
                asyncio.run(fetch())

            spawn(work)
            """,
        "svc/plain.py": """\
            import asyncio
            from svc.utils import spawn

            def work():
                asyncio.run(fetch())

            spawn(work)
            """,
    }
    # The index reads the wrapper's body: a module without eventlet hands green code too.
    found = [(name, row) for name, row, _ in _codes(project, "EVH402", files)]
    assert found == [("patched.py", 6), ("plain.py", 5)]


def test_evh201_reports_a_sleep_with_no_delay(project: Path) -> None:
    files = {
        "mod.py": """\
            import eventlet
            from eventlet import greenthread

            eventlet.sleep()
            greenthread.sleep(seconds=0)
            eventlet.sleep(0.1)
            """
    }
    assert [row for _, row, _ in _codes(project, "EVH201", files)] == [4, 5]


def test_evh603_follows_process_pools_to_the_function_they_are_given(project: Path) -> None:
    files = {
        "mod.py": """\
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

            def digest(path):
                return path

            def run(paths):
                def local(path):
                    return path
                with ProcessPoolExecutor() as pool:
                    pool.submit(lambda: digest(paths[0]))
                    pool.map(local, paths)
                    pool.map(digest, paths)
                with ThreadPoolExecutor() as threads:
                    threads.submit(lambda: digest(paths[0]))

            def start(method):
                def target():
                    pass
                multiprocessing.get_context("fork").Process(target=target)
                multiprocessing.get_context(method).Process(target=target)
                multiprocessing.get_context("forkserver").Process(target=target)
            """
    }
    found = _codes(project, "EVH603", files)
    methods = [(row, message.partition(" is given")[0].rpartition(".")[2]) for _, row, message in found]
    assert methods == [(11, "submit()"), (12, "map()"), (21, "Process()"), (22, "Process()")]


@pytest.mark.parametrize(
    ("requirement", "expected"),
    [
        (
            "oslo.service>=3.6.0\n",
            "tg.max_threads raises AttributeError on the eventlet backend with oslo.service>=3.6.0",
        ),
        ("oslo.service>=4.4.1\n", "tg.max_threads is deprecated since oslo.service 4.4.1"),
    ],
)
def test_evb108_follows_thread_groups_to_max_threads_by_declared_version(
    project: Path, requirement: str, expected: str
) -> None:
    files = {
        "requirements.txt": requirement,
        "svc/manager.py": """\
            from oslo_service import threadgroup

            tg = threadgroup.ThreadGroup(10)
            print(tg.max_threads, tg.thread_pool_size)
            other.max_threads
            """,
    }
    assert _codes(project, "EVB108", files) == [("manager.py", 4, expected)]


def test_evb109_reports_a_size_keyword_only_one_backend_accepts(project: Path) -> None:
    files = {
        "mod.py": """\
            from oslo_service.threadgroup import ThreadGroup

            ThreadGroup(max_threads=8)
            ThreadGroup(thread_pool_size=8)
            ThreadGroup(8)
            """
    }
    assert [(row, message.partition(":")[0]) for _, row, message in _codes(project, "EVB109", files)] == [
        (3, "ThreadGroup(max_threads=...)"),
        (4, "ThreadGroup(thread_pool_size=...)"),
    ]
