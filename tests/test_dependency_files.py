"""EVL702 reads every place a project declares eventlet: setup.py, tox.ini and the
requirements/ directory besides requirements*.txt, setup.cfg and pyproject.toml."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .conftest import run_cli, write_files

SETUP_PY = """\
    import setuptools

    install_requires = ['oslo.config>=9.0', 'Eventlet>=0.30.1']
    setuptools.setup(
        name='myservice',
        install_requires=install_requires,
        extras_require={'green': ['eventlet!=0.34.3', 'greenlet'], 'other': ['futurist']},
        tests_require='pytest\\neventlet\\n',
        description='eventlet',
    )
    """

TOX_INI = """\
    [tox]
    envlist = py3

    [testenv]
    deps =
      -r{toxinidir}/requirements.txt
      py3: eventlet>=0.30
      pytest
    commands = python -m eventlet.x

    [testenv:green]
    deps = eventlet

    [flake8]
    deps = eventlet
    """


def _found(*paths: str) -> list[tuple[str, int, int, str]]:
    result = run_cli(["check", *paths, "--output-format", "json"])
    assert result.exit_code in (0, 1), result.output
    items: list[dict[str, Any]] = json.loads(result.stdout)
    return sorted(
        (
            Path(i["filename"]).relative_to(Path.cwd()).as_posix(),
            i["location"]["row"],
            i["location"]["column"],
            i["code"],
        )
        for i in items
    )


def test_check_finds_every_declaration_file(project: Path) -> None:
    write_files(
        project,
        {
            "setup.py": SETUP_PY,
            "tox.ini": TOX_INI,
            "requirements/base.txt": "pbr\neventlet>=0.30 # MIT\n",
            "requirements/README.md": "eventlet\n",
            "doc-requirements.txt": "eventlet\n",
            "myservice/__init__.py": "",
        },
    )
    assert _found(".") == [
        ("doc-requirements.txt", 1, 1, "EVL702"),
        ("requirements/base.txt", 2, 1, "EVL702"),
        ("setup.py", 3, 41, "EVL702"),
        ("setup.py", 7, 31, "EVL702"),
        ("setup.py", 8, 19, "EVL702"),
        ("tox.ini", 7, 8, "EVL702"),
        ("tox.ini", 12, 8, "EVL702"),
    ]


def test_a_setup_py_is_still_checked_as_python(project: Path) -> None:
    write_files(
        project,
        {"setup.py": "import eventlet\nimport setuptools\nsetuptools.setup(install_requires=['eventlet'])\n"},
    )
    assert _found("setup.py") == [("setup.py", 1, 1, "EVL501"), ("setup.py", 3, 36, "EVL702")]
