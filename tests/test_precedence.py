"""A project's policy wins over the generic rule on its sites; ALL selects no alternative policies."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.conftest import ROOT, run_cli, write_files

SOURCE = """\
import eventlet
from eventlet import greenthread

eventlet.spawn(work)
greenthread.spawn_after(3, work)
"""


def _findings(*args: str) -> set[tuple[int, str]]:
    result = run_cli(["check", *args, "--output-format", "json", "--exit-zero"])
    assert result.exit_code == 0, result.output
    items: list[dict[str, Any]] = json.loads(result.stdout)
    return {(item["location"]["row"], item["code"]) for item in items}


def test_a_selected_policy_replaces_the_generic_finding_on_its_sites(project: Path) -> None:
    write_files(project, {"mod.py": SOURCE})
    found = _findings("--extend-select", "M322")
    assert (4, "M322") in found and (4, "EVL101") not in found
    assert (5, "EVL101") in found  # spawn_after: M322 does not cover it, the generic rule does
    assert (1, "EVL501") in found  # no import policy selected: the generic rule reports


def test_the_bundled_example_gives_one_piece_of_advice_per_spawn(monkeypatch: Any) -> None:
    monkeypatch.chdir(ROOT / "examples" / "masakari-style")
    found = _findings()
    spawn_rows = {row for row, code in found if code == "M322"}
    assert spawn_rows
    assert not {(row, "EVL101") for row in spawn_rows} & found


def test_all_selects_no_alternative_policies(project: Path) -> None:
    write_files(project, {"mod.py": SOURCE})
    found = _findings("--select", "ALL")
    on_import = {code for row, code in found if row == 1}
    on_spawn = {code for row, code in found if row == 4}
    assert on_import == {"EVL501"}  # not H905, I319, N535 and O345 at once
    assert on_spawn == {"EVL101"}  # not both masakari's and nova's wrapper


def test_a_policy_named_by_its_code_is_selected_even_with_its_alternatives(project: Path) -> None:
    write_files(project, {"mod.py": SOURCE})
    found = _findings("--select", "ALL,H905")
    assert {code for row, code in found if row == 1} == {"H905"}
    both = _findings("--select", "M322,N340")
    assert {code for row, code in both if row == 4} == {"M322", "N340"}


def test_a_prefix_that_selects_one_member_of_a_group_selects_it(project: Path) -> None:
    write_files(project, {"mod.py": SOURCE})
    found = _findings("--select", "EVL,I")  # I319 is the only import policy under I
    assert {code for row, code in found if row == 1} == {"I319"}


def test_supersedes_is_data_in_a_custom_rule(project: Path) -> None:
    write_files(
        project,
        {
            "rules/ORG001.yaml": """\
            id: ORG001
            name: org-sleep
            summary: s
            message: "Use org.sleep() rather than {matched}()"
            supersedes: [EVL201]
            match:
              reference: [eventlet.sleep]
            examples:
              invalid: [{code: "import eventlet\\neventlet.sleep(1)\\n"}]
              valid: [{code: "sleep(1)\\n"}]
            """,
            "mod.py": "import eventlet\neventlet.sleep(1)\n",
        },
    )
    assert (2, "EVL201") in _findings("--select", "EVL")
    found = _findings("--select", "EVL,ORG", "--rules-dir", "rules")
    assert (2, "ORG001") in found and (2, "EVL201") not in found
