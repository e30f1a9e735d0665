"""EVB107 across modules: a package's `__init__` runs before its submodules, so what it does
at import (before it imports the project) has run before them (`index.module_order`); and a
call in a `try` that handles `BackendAlreadySelected` is deliberate (`unless-caught`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.conftest import run_cli, write_files

BACKEND = "from oslo_service import backend\n"
INIT = "backend.init_backend(backend.BackendType.THREADING)\n"
GUARDED = (
    "try:\n"
    "    backend.init_backend(backend.BackendType.THREADING)\n"
    "except backend.exceptions.BackendAlreadySelected:\n"
    "    pass\n"
)


def _found(*extra: str) -> list[tuple[str, int, str]]:
    result = run_cli(["check", ".", "--select", "EVB107", "--output-format", "json", *extra])
    assert result.exit_code in (0, 1), result.output
    items: list[dict[str, Any]] = json.loads(result.stdout)
    return [
        (Path(i["filename"]).relative_to(Path.cwd()).as_posix(), i["location"]["row"], i["message"])
        for i in items
    ]


def test_a_second_init_backend_below_the_packages_own_is_reported_naming_it(project: Path) -> None:
    write_files(
        project,
        {
            "app/__init__.py": BACKEND + GUARDED,
            "app/cmd/__init__.py": "",
            "app/cmd/server/__init__.py": BACKEND + INIT,
        },
    )
    found = _found("--no-cache")
    assert [(p, row) for p, row, _ in found] == [("app/cmd/server/__init__.py", 2)]
    assert "init_backend() (app/__init__.py:3)" in found[0][2]


def test_a_parent_import_that_selects_the_backend_makes_the_submodules_call_late(project: Path) -> None:
    write_files(
        project,
        {
            "app/__init__.py": "from oslo_service import service\n",
            "app/cmd.py": BACKEND + "def main():\n    " + INIT,
        },
    )
    found = _found("--no-cache")
    assert [(p, row) for p, row, _ in found] == [("app/cmd.py", 3)]
    assert "oslo_service.service (app/__init__.py:1)" in found[0][2]


def test_only_what_a_parent_does_before_importing_the_project_and_outside_branches_counts(
    project: Path,
) -> None:
    write_files(
        project,
        {
            # `app.util` may import `app.cmd` itself: from there on the order is not exact.
            "app/__init__.py": "from app import util\nfrom oslo_service import service\n",
            "app/util.py": "",
            "app/cmd.py": BACKEND + INIT,
            "other/__init__.py": BACKEND + "if ready():\n    " + INIT,
            "other/cmd.py": BACKEND + INIT,
            "third/__init__.py": BACKEND + "from . import sub\n" + INIT,
            "third/sub.py": BACKEND + INIT,
            "fifth/__init__.py": BACKEND + "if ready():\n    from fifth import sub\n" + INIT,
            "fifth/sub.py": BACKEND + INIT,
            "fourth/__init__.py": BACKEND + INIT + "from . import sub\n",
            "fourth/sub.py": BACKEND + INIT,
        },
    )
    assert [(p, row) for p, row, _ in _found("--no-cache")] == [("fourth/sub.py", 2)]


def test_a_call_that_handles_backend_already_selected_is_not_reported(project: Path) -> None:
    write_files(
        project,
        {
            "app/__init__.py": BACKEND + INIT,
            "app/cmd.py": BACKEND + GUARDED,
            "one.py": BACKEND + INIT + GUARDED,
            "two.py": BACKEND + "from oslo_service import service\n" + GUARDED,
        },
    )
    assert _found("--no-cache") == []


def test_a_change_in_the_parent_package_rechecks_the_submodule(project: Path) -> None:
    write_files(project, {"app/__init__.py": BACKEND + INIT, "app/cmd.py": BACKEND + INIT})
    assert [(p, row) for p, row, _ in _found()] == [("app/cmd.py", 2)]
    write_files(project, {"app/__init__.py": BACKEND})
    assert _found() == []
    write_files(project, {"app/__init__.py": BACKEND + "\n" + INIT})
    assert "(app/__init__.py:3)" in _found()[0][2]
