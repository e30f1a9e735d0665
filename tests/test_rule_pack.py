"""The bundled packs as a whole: coverage of the eventlet API, one finding per site."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from evlint.ruleset import bundled_rules_dir, load_rules
from tests.conftest import run_cli, write_files

RULES = load_rules([bundled_rules_dir()])
EVENTLET_PACK = [rule for rule in RULES if rule.pack == "eventlet"]
FALLBACK = {rule.id for rule in RULES if rule.fallback}

# Every row of the API table in shared/domain/eventlet.md, as the name a use resolves to.
API_ROWS = [
    "eventlet.spawn",
    "eventlet.spawn_n",
    "eventlet.greenthread.spawn",
    "eventlet.greenthread.spawn_n",
    "eventlet.spawn_after",
    "eventlet.sleep",
    "eventlet.greenthread.sleep",
    "eventlet.GreenPool",
    "eventlet.GreenPile",
    "eventlet.greenpool.GreenPool",
    "eventlet.event.Event",
    "eventlet.semaphore.Semaphore",
    "eventlet.semaphore.BoundedSemaphore",
    "eventlet.queue.Queue",
    "eventlet.queue.LightQueue",
    "eventlet.queue.LifoQueue",
    "eventlet.queue.PriorityQueue",
    "eventlet.Timeout",
    "eventlet.timeout.Timeout",
    "eventlet.with_timeout",
    "eventlet.monkey_patch",
    "eventlet.patcher.monkey_patch",
    "eventlet.patcher.original",
    "eventlet.patcher.is_monkey_patched",
    "eventlet.tpool.execute",
    "eventlet.tpool.Proxy",
    "eventlet.wsgi.server",
    "eventlet.listen",
    "eventlet.wrap_ssl",
    "eventlet.wsgi.MAX_HEADER_LINE",
    "eventlet.green.socket",
    "eventlet.green.subprocess",
    "eventlet.green.threading",
    "eventlet.greenthread.getcurrent",
    "eventlet.greenthread.GreenThread",
    "eventlet.hubs.use_hub",
    "eventlet.debug.hub_blocking_detection",
    "eventlet.backdoor.backdoor_server",
    "eventlet.websocket.WebSocketWSGI",
]


def _codes_at(project: Path, path: str, code: str) -> dict[tuple[int, int], list[str]]:
    write_files(project, {path: code})
    result = run_cli(["check", path, "--select", "EVL", "--output-format", "json"])
    sites: dict[tuple[int, int], list[str]] = {}
    for item in json.loads(result.stdout):
        sites.setdefault((item["location"]["row"], item["location"]["column"]), []).append(item["code"])
    return sites


@pytest.mark.parametrize("qname", API_ROWS)
def test_every_api_row_has_a_specific_rule(project: Path, qname: str) -> None:
    module, _, name = qname.rpartition(".")
    sites = _codes_at(project, "pkg/mod.py", f"import {module} as m\n\nvalue = m.{name}\n")
    use = sites.get((3, 9), [])
    assert len(use) == 1, f"{qname}: {use}"
    assert use[0] not in FALLBACK, f"{qname} is only caught by the catch-all {use[0]}"


def test_the_catch_all_reports_what_no_rule_covers(project: Path) -> None:
    if not FALLBACK:
        pytest.skip("no catch-all rule yet")
    sites = _codes_at(project, "pkg/mod.py", "import eventlet\n\neventlet.greenio.shutdown_safe(sock)\n")
    assert sites[(3, 1)] == sorted(FALLBACK)


@pytest.mark.parametrize(
    ("rule_id", "index"),
    [(rule.id, index) for rule in EVENTLET_PACK for index in range(len(rule.invalid_examples))],
)
def test_one_finding_per_site_in_the_eventlet_pack(project: Path, rule_id: str, index: int) -> None:
    rule = next(rule for rule in EVENTLET_PACK if rule.id == rule_id)
    example = rule.invalid_examples[index]
    sites = _codes_at(project, example.path, example.code)
    crowded = {site: codes for site, codes in sites.items() if len(codes) > 1}
    assert not crowded, f"{rule_id} invalid example {index}: several findings at one site: {crowded}"
    assert rule_id in Counter(code for codes in sites.values() for code in codes)
