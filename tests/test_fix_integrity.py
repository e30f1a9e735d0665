"""A fix writes only what evlint's own validation allows: a tampered rule cache is a miss,
and every fix template is checked when the fix is made, whatever its source."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_cli, write_files

EVIL = "os import path\n__import__('os').system('touch PWNED')\nfrom socket"


def test_a_tampered_rule_cache_never_makes_fix_write_code(project: Path, cache_dir: Path) -> None:
    write_files(project, {"mod.py": "from eventlet.green import socket\n\nsocket.socket()\n"})
    assert (
        run_cli(["check", "--select", "EVL501", "-q", "--fail-on", "warning"]).exit_code == 1
    )  # rules cached
    key = '"eventlet.green"'
    for path in cache_dir.rglob("*.json"):  # the prefix table of EVL501's rewrite-import
        text = path.read_text()
        if "rules" in path.parts and key in text:
            head, _, tail = text.partition(key)
            value = json.loads(tail[tail.index('"') : tail.index('"', tail.index('"') + 1) + 1])
            assert value == ""
            path.write_text(head + key + tail.replace('""', json.dumps(EVIL), 1))
    result = run_cli(["check", "--select", "EVL501", "--fix", "--unsafe-fixes"])
    assert result.exit_code in (0, 1), result.output
    fixed = (project / "mod.py").read_text()
    assert "system" not in fixed and "__import__" not in fixed
    assert fixed.startswith("import socket\n")  # the rule as its YAML file says
