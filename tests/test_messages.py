"""ruff's message style: a short message (what is wrong) and a separate help line (what to do)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.conftest import run_cli, write_files

LONG_MESSAGE_RULE = """\
id: TST001
name: long-message
summary: s
message: "{matched}() is called here, and this message also says at length what to do instead of it"
match:
  call: [eventlet.sleep]
examples:
  invalid: [{code: "import eventlet\\neventlet.sleep(1)\\n"}]
  valid: [{code: "sleep(1)\\n"}]
"""


def _json_findings(*args: str) -> list[dict[str, Any]]:
    result = run_cli(["check", *args, "--output-format", "json"])
    assert result.exit_code in (0, 1), result.output
    findings: list[dict[str, Any]] = json.loads(result.stdout)
    return findings


def test_test_rules_fails_a_message_over_80_characters(tmp_path: Path) -> None:
    write_files(tmp_path, {"rules/TST001.yaml": LONG_MESSAGE_RULE})
    result = run_cli(["test-rules", str(tmp_path / "rules")])
    assert result.exit_code == 1
    assert "message longer than 80 characters" in result.stdout


def test_every_bundled_message_is_short_and_every_rule_has_help(project: Path) -> None:
    write_files(
        project,
        {
            "mod.py": """\
            import eventlet
            from eventlet import greenthread, tpool, semaphore, debug
            eventlet.spawn(f)
            greenthread.sleep(0)
            tpool.set_num_threads(4)
            tpool.execute(f)
            semaphore.Semaphore(1)
            debug.hub_blocking_detection(True)
            eventlet.GreenPool(4)
            run(eventlet)
            """,
            "requirements.txt": "eventlet>=0.30\n",
        },
    )
    findings = _json_findings("--select", "EVL")
    assert {f["code"] for f in findings} >= {"EVL101", "EVL201", "EVL504", "EVL702", "EVL900"}
    for finding in findings:
        assert len(finding["message"]) <= 80, finding["message"]
        assert finding["suggestion"], finding["code"]


def test_messages_say_what_is_wrong_correctly(project: Path) -> None:
    write_files(
        project,
        {
            "mod.py": """\
            import eventlet
            from eventlet import greenthread, tpool
            tpool.set_num_threads(4)
            greenthread.sleep(0)
            run(eventlet)
            """
        },
    )
    by_code = {f["code"]: f for f in _json_findings("--select", "EVL")}
    assert "which belongs to eventlet" not in by_code["EVL900"]["message"]
    assert "offloads" not in by_code["EVL504"]["message"]  # set_num_threads offloads nothing
    sleep = by_code["EVL201"]
    assert "drop sleep(0)" not in sleep["message"]
    assert "time.sleep" in sleep["fix"]["message"] and "sleep(0)" in sleep["fix"]["message"]
