"""One project index per project, and every way in agreeing on it: `check`, standard input,
the language server and the flake8 plugin report the same findings on a file that reaches
eventlet through its project's wrapper module; a run over several projects reports, for
each, exactly what a run on it alone reports."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_cli
from tests.test_lsp import Client, client, open_document, server

__all__ = ["client", "server"]  # the language server fixtures, used here too

Finding = tuple[int, int, str]

# The wrapper imports eventlet on a continued line; the module using it imports the
# wrapper's name on a continued line too.
WRAPPER_PROJECT = {
    "pyproject.toml": "[tool.evlint]\n",
    "myproj/__init__.py": "",
    "myproj/green.py": "import os, \\\n    eventlet\n\nspawn = eventlet.spawn\nPATH = os.sep\n",
    "myproj/api.py": "from myproj.green import \\\n    spawn\n\n\ndef start(work):\n    spawn(work)\n",
}
API = "myproj/api.py"


def write_tree(root: Path, files: dict[str, str], newline: str = "\n") -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.replace("\n", newline).encode("utf-8"))


def check_json(*args: str) -> list[dict[str, Any]]:
    result = run_cli(["check", "--output-format", "json", *args])
    assert result.exit_code in (0, 1), result.output
    items: list[dict[str, Any]] = json.loads(result.stdout)
    return items


def findings_in(items: list[dict[str, Any]], name: str) -> list[Finding]:
    return sorted(
        (i["location"]["row"], i["location"]["column"], i["code"])
        for i in items
        if Path(i["filename"]).as_posix().endswith(name)
    )


@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["LF", "CRLF"])
def test_a_continued_import_of_the_wrapper_is_followed(project: Path, newline: str) -> None:
    write_tree(project, WRAPPER_PROJECT, newline)
    items = check_json(".")
    assert findings_in(items, API) == [(6, 5, "EVL101")]
    message = next(i["message"] for i in items if i["filename"].endswith(API))
    assert "via myproj.green" in message


@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["LF", "CRLF"])
def test_check_stdin_language_server_and_flake8_agree(project: Path, client: Client, newline: str) -> None:
    write_tree(project, WRAPPER_PROJECT, newline)
    text = (project / API).read_bytes().decode("utf-8")
    by_check = findings_in(check_json("."), API)
    by_file = findings_in(check_json(API), API)
    stdin = run_cli(["check", "--output-format", "json", "-", "--stdin-filename", API], input=text.encode())
    by_stdin = findings_in(json.loads(stdin.stdout), API)
    completed = subprocess.run(
        [sys.executable, "-m", "flake8", "--isolated", "--enable-extensions", "EVL", "--select", "EVL", API],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode in (0, 1), completed.stderr
    by_flake8 = sorted(
        (int(row), int(column), rest.split()[0])
        for _, row, column, rest in (line.split(":", 3) for line in completed.stdout.splitlines())
    )
    uri = open_document(client, project / API, text)
    by_editor = sorted(
        (d["range"]["start"]["line"] + 1, d["range"]["start"]["character"] + 1, d["code"])
        for d in client.diagnostics(uri)
    )
    assert by_check == [(6, 5, "EVL101")]
    assert by_file == by_stdin == by_flake8 == by_editor == by_check


ALPHA = {
    "alpha/pyproject.toml": "[tool.evlint]\n",
    "alpha/alpha/__init__.py": "",
    # A wrapper: its names are eventlet's, for alpha's modules only.
    "alpha/alpha/utils.py": "from eventlet import spawn\n",
    "alpha/alpha/service.py": "from alpha.utils import spawn\n\nspawn(print)\n",
}
BETA = {
    # Beta's own configuration: no import findings.
    "beta/pyproject.toml": '[tool.evlint]\nignore = ["EVL501"]\n',
    "beta/beta/__init__.py": "",
    "beta/beta/tasks.py": "import eventlet\n\neventlet.sleep(0)\n",
    # Python 2, and it names a `utils` module's `spawn`: nothing of alpha's concerns it.
    "beta/beta/legacy.py": 'from utils import spawn\n\nprint "spawn", spawn\n',
}


def _by_file(items: list[dict[str, Any]]) -> set[tuple[str, int, str]]:
    return {
        (Path(i["filename"]).relative_to(Path.cwd()).as_posix(), i["location"]["row"], i["code"])
        for i in items
    }


def test_several_projects_give_each_what_it_gives_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_tree(tmp_path, {**ALPHA, **BETA})
    alone = _by_file(check_json("--no-cache", "alpha")) | _by_file(check_json("--no-cache", "beta"))
    assert ("beta/beta/tasks.py", 1, "EVL501") not in alone  # beta's configuration holds
    assert ("alpha/alpha/service.py", 3, "EVL101") in alone
    assert not any(path.endswith("legacy.py") for path, _, _ in alone)
    for args in (["alpha", "beta"], ["beta", "alpha"], ["."]):
        assert _by_file(check_json("--no-cache", *args)) == alone, args
        assert _by_file(check_json(*args)) == alone, args  # with the cache, cold then warm
        assert _by_file(check_json(*args)) == alone, args


def test_several_projects_parse_only_what_each_run_alone_parses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_tree(tmp_path, {**ALPHA, **BETA})

    def parsed(*args: str) -> int:
        result = run_cli(["check", "--no-cache", "-q", *args], env={"EVLINT_DEBUG_STATS": "1"})
        return int(result.stderr.rsplit(",", 1)[1].split()[0])

    assert parsed("alpha", "beta") == parsed("alpha") + parsed("beta")


@pytest.mark.parametrize("how", ["didSave", "didChangeWatchedFiles"])
def test_the_language_server_rebuilds_the_index_when_a_module_changes(
    project: Path, client: Client, how: str
) -> None:
    write_tree(project, {**WRAPPER_PROJECT, "myproj/green.py": "spawn = print\n"})
    uri = open_document(client, project / API, (project / API).read_text(encoding="utf-8"))
    assert client.diagnostics(uri) == []  # the wrapper is no eventlet yet
    green = project / "myproj" / "green.py"
    write_tree(project, {"myproj/green.py": WRAPPER_PROJECT["myproj/green.py"]})
    if how == "didSave":
        client.notify("textDocument/didSave", {"textDocument": {"uri": green.as_uri()}})
    else:
        client.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": green.as_uri(), "type": 2}]})
    found = client.diagnostics(uri)
    assert [(d["range"]["start"]["line"] + 1, d["code"]) for d in found] == [(6, "EVL101")]
