"""EVL100, ruff's RUF100: a `# noqa: CODE` of an active evlint rule that suppresses nothing."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_cli, write_files

SOURCE = """\
import threading  # noqa: EVL501
import eventlet  # noqa: EVL501, EVL201, E501
x = 1  # noqa
y = 2  # noqa: E501
eventlet.sleep(1)  # noqa: EVL201
"""


def _found(*args: str) -> list[tuple[int, str, str]]:
    result = run_cli(["check", *args, "--output-format", "json", "--exit-zero"])
    return [(i["location"]["row"], i["code"], i["message"]) for i in json.loads(result.stdout)]


def test_unused_directives_are_reported_and_used_or_foreign_ones_are_not(project: Path) -> None:
    write_files(project, {"a.py": SOURCE})
    assert _found("--extend-select", "EVL100") == [
        (1, "EVL100", "Unused `noqa` directive (unused: EVL501)"),
        (2, "EVL100", "Unused `noqa` directive (unused: EVL201)"),
    ]
    assert _found() == []  # off by default, as RUF100


def test_a_file_without_eventlet_is_still_looked_at(project: Path) -> None:
    write_files(project, {"b.py": "z = compute()  # noqa: EVL101\n"})
    assert [code for _, code, _ in _found("--select", "EVL")] == ["EVL100"]


def test_codes_of_rules_not_selected_are_not_judged(project: Path) -> None:
    write_files(project, {"b.py": "z = compute()  # noqa: EVL101, H905\n"})
    assert [message for _, _, message in _found("--select", "EVL100,EVL5")] == []


def test_fix_removes_the_directive_or_its_unused_codes(project: Path) -> None:
    write_files(project, {"a.py": SOURCE})
    result = run_cli(["check", "--extend-select", "EVL100", "--fix"])
    assert result.exit_code == 0, result.output
    assert (project / "a.py").read_text(encoding="utf-8") == SOURCE.replace(
        "import threading  # noqa: EVL501", "import threading"
    ).replace("# noqa: EVL501, EVL201, E501", "# noqa: EVL501, E501")
