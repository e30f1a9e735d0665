"""M322 against masakari's own hacking test cases, the forms its regex misses, and its false positives."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from tests.conftest import Findings

# masakari/hacking/checks.py, the regex evlint's M322 replaces.
MASAKARI_SPAWN_RE = re.compile(r".*(eventlet|greenthread)\.(?P<spawn_part>spawn(_n)?)\(.*\)")

# masakari/tests/unit/test_hacking.py::test_check_greenthread_spawns, each with the import
# a real file would have.
MASAKARI_FLAGGED = [
    ("from eventlet import greenthread\n", "greenthread.spawn(func, arg1, kwarg1=kwarg1)"),
    ("from eventlet import greenthread\n", "greenthread.spawn_n(func, arg1, kwarg1=kwarg1)"),
    ("import eventlet\n", "eventlet.greenthread.spawn(func, arg1, kwarg1=kwarg1)"),
    ("import eventlet\n", "eventlet.spawn(func, arg1, kwarg1=kwarg1)"),
    ("import eventlet\n", "eventlet.spawn_n(func, arg1, kwarg1=kwarg1)"),
]
MASAKARI_ALLOWED = [("from masakari import utils\n", "utils.spawn(func, arg1, kwarg1=kwarg1)")]

REGEX_MISSES = [
    ("import eventlet as ev\n", "ev.spawn(func)"),
    ("from eventlet import greenthread as gt\n", "gt.spawn_n(func)"),
    ("from eventlet import spawn\n", "spawn(func)"),
    ("import eventlet\n", "fn = eventlet.spawn"),
    ("import eventlet\n", "pool.submit(eventlet.spawn_n, func)"),
    ("from eventlet import (\n    sleep,\n    spawn_n,\n)\n", "spawn_n(func)"),
]
REGEX_FALSE_POSITIVES = [
    ("import eventlet\n", "my_eventlet.spawn(func)"),
    ("import eventlet\n", "self.greenthread.spawn(func)"),
    ("import eventlet\n", "LOG.debug('eventlet.spawn(func) is deprecated')"),
    ("from eventlet import greenthread\n", "def f(greenthread):\n    greenthread.spawn(func)"),
]


def _m322(
    findings: Callable[..., Findings], imports: str, line: str, path: str = "masakari/api/mod.py"
) -> Findings:
    return findings(imports + line + "\n", "M322", path)


@pytest.mark.parametrize(("imports", "line"), MASAKARI_FLAGGED)
def test_flags_what_masakari_flags(findings: Callable[..., Findings], imports: str, line: str) -> None:
    assert MASAKARI_SPAWN_RE.match(line)
    row = imports.count("\n") + 1
    assert _m322(findings, imports, line) == [(row, 1, "M322")]


@pytest.mark.parametrize(("imports", "line"), MASAKARI_ALLOWED)
def test_allows_what_masakari_allows(findings: Callable[..., Findings], imports: str, line: str) -> None:
    assert not MASAKARI_SPAWN_RE.match(line)
    assert _m322(findings, imports, line) == []


@pytest.mark.parametrize(("imports", "line"), REGEX_MISSES)
def test_flags_what_the_regex_misses(findings: Callable[..., Findings], imports: str, line: str) -> None:
    assert not any(MASAKARI_SPAWN_RE.match(logical) for logical in line.splitlines())
    assert len(_m322(findings, imports, line)) == 1


@pytest.mark.parametrize(("imports", "line"), REGEX_FALSE_POSITIVES)
def test_silent_where_the_regex_fires(findings: Callable[..., Findings], imports: str, line: str) -> None:
    assert any(MASAKARI_SPAWN_RE.match(logical) for logical in line.splitlines())
    assert _m322(findings, imports, line) == []


@pytest.mark.parametrize(
    ("path", "reported"),
    [
        ("masakari/utils.py", False),
        ("masakari/tests/unit/test_utils.py", False),
        ("masakari/engine/manager.py", True),
        ("masakari/utils/other.py", True),
    ],
)
def test_exempts_the_wrapper_and_tests_as_masakari_does(
    findings: Callable[..., Findings], path: str, reported: bool
) -> None:
    assert bool(_m322(findings, "import eventlet\n", "eventlet.spawn(func)", path)) is reported


def test_message_names_the_wrapper_function(findings: Callable[..., Findings]) -> None:
    from tests.conftest import run_cli

    findings("import eventlet\neventlet.greenthread.spawn_n(f)\n", "M322", "masakari/a.py")
    result = run_cli(["check", "masakari/a.py", "--select", "M322", "--output-format", "concise"])
    assert result.stdout.splitlines()[0] == (
        "masakari/a.py:2:1: M322 Use masakari.utils.spawn_n() rather than eventlet.greenthread.spawn_n()"
    )
