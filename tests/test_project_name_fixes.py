"""A fix that writes the project's own name (M322's wrapper) is safe only where the project
has that module defining that name; elsewhere it is display-only and says what to set."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.conftest import run_cli, write_files

SPAWN = "import eventlet\n\neventlet.spawn(work)\n"


def _fix(*args: str) -> dict[str, Any]:
    result = run_cli(["check", "--select", "M322", "--output-format", "json", *args])
    items: list[dict[str, Any]] = json.loads(result.stdout)
    assert [item["code"] for item in items] == ["M322"], result.output
    fix: dict[str, Any] = items[0]["fix"]
    return fix


def test_m322_fix_in_a_project_without_the_wrapper_is_display_only(project: Path) -> None:
    write_files(project, {"pkg/__init__.py": "", "pkg/a.py": SPAWN})
    fix = _fix()
    assert fix["applicability"] == "display-only"
    assert "wrapper-module" in fix["message"] and "M322" in fix["message"]
    fixed = run_cli(["check", "--select", "M322", "--fix"])
    assert fixed.exit_code == 1
    assert (project / "pkg" / "a.py").read_text(encoding="utf-8") == SPAWN  # nothing written


def test_m322_fix_is_safe_where_the_wrapper_defines_the_name(project: Path) -> None:
    write_files(
        project,
        {
            "masakari/__init__.py": "",
            "masakari/utils.py": "import eventlet\n\ndef spawn(func, *args):\n    return eventlet.spawn(func, *args)\n",
            "masakari/a.py": SPAWN,
        },
    )
    assert _fix()["applicability"] == "safe"
    assert run_cli(["check", "--select", "M322", "--fix"]).exit_code == 0
    assert "utils.spawn(work)" in (project / "masakari" / "a.py").read_text(encoding="utf-8")


def test_a_wrapper_module_without_the_name_keeps_the_fix_display_only(project: Path) -> None:
    write_files(
        project,
        {
            "masakari/__init__.py": "",
            "masakari/utils.py": "def spawn(func):\n    return func\n",  # no spawn_n
            "masakari/a.py": "import eventlet\n\neventlet.spawn_n(work)\n",
        },
    )
    assert _fix()["applicability"] == "display-only"


def test_setting_the_option_to_the_projects_wrapper_makes_it_safe(project: Path) -> None:
    write_files(
        project,
        {
            "pkg/__init__.py": "",
            "pkg/utils.py": "from eventlet import spawn, spawn_n\n",
            "pkg/a.py": SPAWN,
        },
    )
    assert _fix()["applicability"] == "display-only"
    assert _fix("--config", "options.M322.wrapper-module = 'pkg.utils'")["applicability"] == "safe"
