"""A package that re-exports a hub with `from .impl import *` is a hub too (README: the
index follows names the project's own modules re-export), within the hub's `__all__`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .conftest import run_cli, write_files


def _found(path: str) -> set[tuple[int, str, str]]:
    result = run_cli(["check", ".", "--output-format", "json"])
    assert result.exit_code in (0, 1), result.output
    items: list[dict[str, Any]] = json.loads(result.stdout)
    return {
        (i["location"]["row"], i["code"], i["message"].rpartition("(via ")[2].rstrip(")"))
        for i in items
        if Path(i["filename"]).relative_to(Path.cwd()).as_posix() == path
    }


def test_a_relative_star_import_of_a_hub_re_exports_its_public_names(project: Path) -> None:
    write_files(
        project,
        {
            "myproj/__init__.py": "",
            "myproj/conc/__init__.py": "from .impl import *\n",
            "myproj/conc/impl.py": "from eventlet import sleep, GreenPool\n__all__ = ['sleep']\n",
            "myproj/user.py": "from myproj import conc\nconc.sleep(1)\nconc.GreenPool()\n",
        },
    )
    assert _found("myproj/user.py") == {(2, "EVL201", "myproj.conc")}


def test_an_absolute_star_import_chain_is_followed(project: Path) -> None:
    write_files(
        project,
        {
            "myproj/__init__.py": "from myproj.green import *\n",
            "myproj/green.py": "import eventlet\nspawn = eventlet.spawn\n_private = eventlet.sleep\n",
            "myproj/user.py": "import myproj\nmyproj.spawn(print)\nmyproj._private(1)\n",
        },
    )
    assert _found("myproj/user.py") == {(2, "EVL101", "myproj")}
