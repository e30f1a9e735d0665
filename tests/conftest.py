"""Helpers that run the real CLI (click's CliRunner) on real files in a temporary project."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from evlint.cli import main

ROOT = Path(__file__).resolve().parents[1]


def run_cli(
    args: Sequence[str], env: dict[str, str] | None = None, input: str | bytes | None = None
) -> Result:
    return CliRunner().invoke(main, list(args), input=input, env=env, catch_exceptions=False)


def write_files(root: Path, files: dict[str, str]) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(content), encoding="utf-8")


@pytest.fixture(autouse=True)
def cache_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test its own result cache: never the user's, never another test's."""
    directory = tmp_path_factory.mktemp("evlint-cache")
    monkeypatch.setenv("EVLINT_CACHE_DIR", str(directory))
    return directory


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty project directory that is also the working directory."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text("[tool.evlint]\n", encoding="utf-8")
    return tmp_path


# masakari's spawn wrapper (without eventlet, so it has no findings of its own): M322's
# fix is safe only in a project whose masakari.utils defines the name it writes.
MASAKARI_WRAPPER = {
    "masakari/__init__.py": "",
    "masakari/utils.py": "def spawn(func, *args, **kwargs):\n    pass\n\n\ndef spawn_n(func, *args, **kwargs):\n    pass\n",
}

Findings = list[tuple[int, int, str]]


@pytest.fixture
def findings(project: Path) -> Callable[..., Findings]:
    """Check one module's code with the given rules; (row, column, code) of each finding."""

    def check(code: str, select: str = "EVL101", path: str = "mod.py", *extra: str) -> Findings:
        write_files(project, {path: code})
        result = run_cli(["check", path, "--select", select, "--output-format", "json", *extra])
        assert result.exit_code in (0, 1), result.output
        items: list[dict[str, Any]] = json.loads(result.stdout)
        return [(i["location"]["row"], i["location"]["column"], i["code"]) for i in items]

    return check
