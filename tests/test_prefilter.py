"""The pre-filter is sound: it never drops a file the engine (run without it) reports."""

from __future__ import annotations

import random
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import pytest

from evlint.config import Settings
from evlint.lint_file import lint_python
from evlint.model import Rule
from evlint.prefilter import Prefilter
from evlint.rulescope import RuleScope
from evlint.ruleset import bundled_rules_dir, load_rules
from evlint.runner.pool import pool_size
from tests.test_corpus import fetch

ROOT = Path("/virtual-project")

# Lines that may or may not make a file match; several are there to be skipped.
SNIPPETS = (
    "import eventlet",
    "import eventlet as ev",
    "import os, eventlet",
    "import os, \\\n    eventlet.green.threading",
    "from eventlet import spawn, sleep",
    "from eventlet.green import threading as green_threading",
    "from eventlet import *",
    "from \\\n    eventlet import greenthread",
    "import importlib\nmodule = importlib.import_module('eventlet.green')",
    'hub = __import__("eventlet.hubs")',
    "from oslo_utils import importutils\neventlet = importutils.try_import('eventlet')",
    "from unittest import mock\npatcher = mock.patch('eventlet.spawn')",
    "from unittest import mock\n@mock.patch(f'eventlet.sleep')\ndef test(m):\n    pass",
    "target = r'eventlet.greenthread.spawn_n'",
    "server = get_rpc_server(transport, target, endpoints, executor='eventlet')",
    'server = get_rpc_server(transport, target, endpoints, executor="eventlet")',
    "import time\ntime.sleep(0)",
    "from time import sleep as pause\npause(0)",
    "x = 1; import eventlet.debug",
    "ev.spawn(worker)",
    "eventlet.spawn(worker)",
    "spawn(worker)",
    "sleep(0)",
    "greenthread.spawn_after(1, worker)",
    "# eventlet.spawn(worker) used to be here",
    '"""Docstring: eventlet.spawn is gone."""',
    "fake_eventlet_event = object()",
    "message = 'we no longer use eventlet'",
    "def run(eventlet):\n    eventlet.spawn(worker)",
    "class Pool:\n    import eventlet\n    spawn = eventlet.spawn",
    "def later():\n    from eventlet import queue\n    return queue.LightQueue()",
    "from oslo_utils import eventletutils\nstopped = eventletutils.Event()",
    "import oslo_utils.eventletutils as eu\nok = eu.is_monkey_patched('thread')",
    "from oslo_utils import timeutils\nnow = timeutils.utcnow()",
    "from oslo_service import loopingcall\ntimer = loopingcall.FixedIntervalLoopingCall(f)",
    "import futurist\nex = futurist.GreenThreadPoolExecutor(4)",
    "from oslo_service import service\nlauncher = service.launch(conf, server)",
    "from oslo_service import fixture as service_fixture\nlaunch = service_fixture.launch",
    "import greenlet\ncurrent = greenlet.getcurrent()",
)


@cache
def bundled() -> tuple[Rule, ...]:
    return load_rules([bundled_rules_dir()])


def engine_findings(rules: Sequence[Rule], code: str, path: str = "pkg/mod.py") -> list[str]:
    """What the engine reports on `code`, parsed whatever the pre-filter says."""
    scope = RuleScope(rules, Settings(project_root=ROOT), bundled())
    active = scope.for_file(ROOT / path)
    if not active:
        return []
    result = lint_python(scope.compiled.get(active), path, code.encode()).result
    return [d.code for d in result.diagnostics if d.code not in ("EVL000", "EVL001")]


def may_match(rules: Sequence[Rule], code: str) -> bool:
    return Prefilter.for_rules(rules).may_match(code.encode())


def test_every_rule_example_passes_its_own_prefilter() -> None:
    for rule in bundled():
        for example in rule.invalid_examples:
            if example.path.endswith(".py"):
                assert may_match([rule], example.code), (rule.id, example.code)


def test_generated_files_reported_by_the_engine_are_never_dropped() -> None:
    rules = bundled()
    generator = random.Random(20261124)
    dropped_but_clean = 0
    for _ in range(400):
        lines = generator.sample(SNIPPETS, generator.randint(1, 4))
        code = "\n".join(lines) + "\n"
        for selected in (rules, [generator.choice(rules)]):
            findings = engine_findings(selected, code)
            if findings:
                assert may_match(selected, code), (findings, code)
            elif not may_match(selected, code):
                dropped_but_clean += 1
    assert dropped_but_clean > 0  # the filter does drop files, or this test proves nothing


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("import eventlet\n", True),
        ("import os, \\\n    eventlet\n", True),
        ("from eventlet.green import threading\n", True),
        ("mock.patch('eventlet.spawn')\n", True),
        ('server(executor="eventlet")\n', True),
        ("# eventlet.spawn(f)\n", False),
        ('"""Nova no longer needs eventlet."""\n', False),
        ("fake_eventlet_event = 1\nimport os\n", False),
        ("import os\nx = 'uses eventlet'\n", False),
        ("import os\n\neventlet.spawn(f)\n", False),  # a name never imported is not eventlet
        ("from oslo_utils import timeutils\n\nx = 'eventletutils'\n", True),  # a word, not parsed: sound
        ("from oslo_utils import timeutils\n\nnow = timeutils.utcnow()\n", False),
        ("from oslo_utils import eventletutils\n\nstopped = eventletutils.Event()\n", True),
        ("from oslo_utils import eventletutils\n", False),  # imported, never used: nothing to report
        ("from oslo_service import service\n\nservice.launch(conf, server)\n", True),
        # `service` only inside longer words, `launch` alone: no oslo_service.service.launch
        ("from oslo_service import fixture as service_fixture\n\nlaunch = service_fixture.launch\n", False),
        ("import greenlet\n\ncurrent = greenlet.getcurrent()\n", True),
    ],
)
def test_prefilter_cases(code: str, expected: bool) -> None:
    assert may_match(bundled(), code) is expected


def test_builtin_patterns_and_literal_keyword_values_use_plain_words() -> None:
    prefilter = Prefilter(words=["open"])
    assert prefilter.may_match(b"with open('f') as handle:\n")
    assert not prefilter.may_match(b"import os\n")
    assert not Prefilter().may_match(b"import eventlet\n")


def test_pool_only_when_it_saves_enough_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    import evlint.runner.pool

    monkeypatch.setattr(evlint.runner.pool, "cores", lambda: 2)
    assert pool_size([1_500_000, 500_000]) == 2  # nova 34: saves 0.5 MB, a worker beside this process
    assert pool_size([1_500_000, 1_500_000, 500_000]) == 2
    assert pool_size([100_000, 100_000, 100_000]) == 1  # saves 150 kB: not worth a worker
    assert pool_size([3_000_000]) == 1
    monkeypatch.setattr(evlint.runner.pool, "cores", lambda: 1)
    assert pool_size([1_000_000] * 4) == 1


def test_this_process_lints_its_share_beside_the_workers() -> None:
    from evlint.runner.pool import shares

    # nova 34: the 1.5 MB file goes to the worker, the rest stays here (the last share).
    assert shares([500_000, 1_500_000], 2) == [[1], [0]]
    # Largest first, each to the least loaded process; a tie goes to a worker (the first).
    assert shares([10, 40, 30, 20], 2) == [[1, 0], [2, 3]]  # 40 + 10 there, 30 + 20 here
    assert shares([10, 40, 30, 20, 0], 3) == [[1], [2, 4], [3, 0]]


def test_workers_take_their_shares_from_the_front_and_this_process_from_the_back() -> None:
    import multiprocessing

    from evlint.runner.pool import Claims

    claims = Claims(multiprocessing.get_context().Array("i", [0, 3, 0, 2]))  # shares of 3 and 2 jobs
    assert claims.take_first(0) == 0
    assert claims.take_last() == (0, 2)  # the share with the most left: 2 against 2, the first
    assert claims.take_last() == (1, 1)
    assert claims.take_first(1) == 0
    assert claims.take_first(0) == 1
    assert claims.take_first(0) is None and claims.take_first(1) is None
    assert claims.take_last() is None


def test_a_pool_finds_what_this_process_alone_finds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Files of very different sizes (so this process takes jobs from the worker's share)."""
    import evlint.runner.pool
    from evlint.api import check
    from evlint.config import CliOverrides

    filler = "# A comment the parser skips, only there to make the file weigh in the pool's sums.\n" * 500
    (tmp_path / "pyproject.toml").write_text("[tool.evlint]\n", encoding="utf-8")
    for index in range(12):
        copies = 1 + 3 * (index % 4)
        text = f"import eventlet\n\neventlet.spawn(work, {index})\n\n\n" + filler * copies
        (tmp_path / f"mod_{index}.py").write_text(text, encoding="utf-8")
    monkeypatch.setattr(evlint.runner.pool, "cores", lambda: 2)
    taken: list[object] = []
    take_last = evlint.runner.pool.Claims.take_last
    monkeypatch.setattr(
        evlint.runner.pool.Claims, "take_last", lambda self: taken.append(take_last(self)) or taken[-1]
    )
    pooled = check([tmp_path], CliOverrides())
    assert taken and taken[-1] is None  # a pool ran, and this process asked for jobs until none was left
    monkeypatch.setattr(evlint.runner.pool, "pool_size", lambda sizes: 1)
    alone = check([tmp_path], CliOverrides())
    assert pooled.files == alone.files
    assert all(file.diagnostics for file in pooled.files if file.path.endswith(".py"))


@pytest.mark.corpus
def test_prefilter_never_drops_a_reported_file_on_nova() -> None:
    """Every Python file of nova 31.0.0 through the engine, pre-filter off."""
    tree = fetch("nova==31.0.0")
    rules = bundled()
    prefilter = Prefilter.for_rules(rules)
    reported = dropped = 0
    for path in sorted(tree.rglob("*.py")):
        source = path.read_bytes()
        code = source.decode("utf-8", errors="replace")
        findings = engine_findings(rules, code, path.relative_to(tree).as_posix())
        if findings:
            reported += 1
            assert prefilter.may_match(source), (path, findings)
        elif not prefilter.may_match(source):
            dropped += 1
    assert reported > 20
    assert dropped > 1000
