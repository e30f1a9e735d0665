"""`evlint lsp` driven over stdio with real JSON-RPC LSP messages, in a subprocess."""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import pytest

from tests.conftest import write_files
from tests.test_object_origin import FILES as ORIGIN_FILES
from tests.test_object_origin import LOCAL, REMOTE

# Generous: only a wedged server ever waits this long (the machine is shared and slow).
REPLY_TIMEOUT = 120

URL_RULE = """\
id: TST902
name: with-url
severity: info
summary: A rule with documentation online
message: "{matched} used"
url: https://example.org/rules/TST902
match:
  call: [eventlet.sleep]
examples:
  invalid: [{code: "import eventlet\\neventlet.sleep(1)\\n"}]
  valid: [{code: "import time\\n"}]
"""


class Client:
    """A minimal LSP client: Content-Length framed JSON-RPC over the server's stdin/stdout."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        assert process.stdin is not None and process.stdout is not None
        self.process = process
        self.stdin: IO[bytes] = process.stdin
        self.messages: queue.Queue[dict[str, Any]] = queue.Queue()
        self.next_id = 0
        threading.Thread(target=self._read, args=(process.stdout,), daemon=True).start()

    def _read(self, stream: IO[bytes]) -> None:
        while True:
            headers = {}
            while (line := stream.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode("ascii").partition(":")
                headers[name.strip().lower()] = value.strip()
            if not headers:
                return
            self.messages.put(json.loads(stream.read(int(headers["content-length"]))))

    def send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        self.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.stdin.flush()

    def notify(self, method: str, params: dict[str, Any] | None = None) -> None:
        self.send({"method": method, "params": params} if params is not None else {"method": method})

    def request(self, method: str, params: dict[str, Any] | None) -> Any:
        self.next_id += 1
        self.send({"id": self.next_id, "method": method, "params": params})
        reply = self.wait(lambda m: m.get("id") == self.next_id and "method" not in m)
        assert "error" not in reply, reply
        return reply.get("result")

    def wait(self, wanted: Any) -> dict[str, Any]:
        while True:
            message = self.messages.get(timeout=REPLY_TIMEOUT)
            if wanted(message):
                return message

    def diagnostics(self, uri: str) -> list[dict[str, Any]]:
        message = self.wait(
            lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri
        )
        found: list[dict[str, Any]] = message["params"]["diagnostics"]
        return found


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Client]:
    """`evlint lsp` started in tmp_path, not yet initialised; killed if still running at the end."""
    process = subprocess.Popen(
        [sys.executable, "-m", "evlint", "lsp"],
        cwd=tmp_path,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        yield Client(process)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        for stream in (process.stdin, process.stdout, process.stderr):
            if stream is not None:
                stream.close()


@pytest.fixture
def client(server: Client, tmp_path: Path) -> Iterator[Client]:
    """An initialised session, shut down cleanly at the end."""
    result = server.request(
        "initialize",
        {
            "processId": None,
            "rootUri": tmp_path.as_uri(),
            "capabilities": {"general": {"positionEncodings": ["utf-16"]}},
        },
    )
    assert result["serverInfo"]["name"] == "evlint"
    server.notify("initialized", {})
    yield server
    assert server.request("shutdown", None) is None
    server.notify("exit")
    assert server.process.wait(timeout=REPLY_TIMEOUT) == 0


def open_document(client: Client, path: Path, text: str) -> str:
    uri = path.as_uri()
    client.notify(
        "textDocument/didOpen",
        {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}},
    )
    return uri


def test_open_change_save_close(client: Client, tmp_path: Path) -> None:
    write_files(tmp_path, {"pyproject.toml": "[tool.evlint]\n"})
    # Not on disk: the server lints the editor's text. The emoji is two UTF-16 code units.
    uri = open_document(client, tmp_path / "pkg" / "mod.py", "import eventlet\nx = '😀'; eventlet.spawn(f)\n")
    found = client.diagnostics(uri)
    assert [(d["code"], d["severity"], d["source"]) for d in found] == [
        ("EVL501", 2, "evlint"),
        ("EVL101", 1, "evlint"),
    ]
    spawn = found[1]
    # evlint: row 2, columns 10..24 in characters; LSP: line 1 from 0, UTF-16 units (the emoji counts 2)
    assert spawn["range"] == {"start": {"line": 1, "character": 10}, "end": {"line": 1, "character": 24}}
    assert spawn["message"].startswith("eventlet.spawn() starts a green thread")
    assert "\nhelp: Start a threading.Thread" in spawn["message"]
    assert spawn["codeDescription"] == {
        "href": "https://evlint.readthedocs.io/en/latest/rules/EVL101/"
    }  # its page on the docs site

    client.notify(
        "textDocument/didChange",
        {
            "textDocument": {"uri": uri, "version": 2},
            "contentChanges": [
                {
                    "range": {"start": {"line": 1, "character": 10}, "end": {"line": 1, "character": 24}},
                    "text": "threading.Thread(target=f).start",
                }
            ],
        },
    )
    assert [d["code"] for d in client.diagnostics(uri)] == ["EVL501"]

    client.notify("textDocument/didSave", {"textDocument": {"uri": uri}})
    assert [d["code"] for d in client.diagnostics(uri)] == ["EVL501"]

    client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    assert client.diagnostics(uri) == []


def test_configuration_noqa_and_code_description(client: Client, tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "pyproject.toml": '[tool.evlint]\nextend-select = ["TST902"]\nextend-rules-dirs = ["rules"]\n'
            '[tool.evlint.per-file-ignores]\n"tests/*" = ["EVL"]\n',
            "rules/TST902.yaml": URL_RULE,
        },
    )
    uri = open_document(client, tmp_path / "mod.py", "import eventlet  # noqa\neventlet.sleep(1)\n")
    found = client.diagnostics(uri)
    assert [(d["code"], d["severity"]) for d in found] == [("EVL201", 1), ("TST902", 3)]
    assert found[1]["codeDescription"] == {"href": "https://example.org/rules/TST902"}
    assert found[1]["range"] == {"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": 14}}

    test_uri = open_document(
        client, tmp_path / "tests" / "test_mod.py", "import eventlet\neventlet.sleep(1)\n"
    )
    assert [d["code"] for d in client.diagnostics(test_uri)] == ["TST902"]  # per-file-ignores: EVL


def test_saving_the_configuration_relints_open_files(client: Client, tmp_path: Path) -> None:
    write_files(tmp_path, {"pyproject.toml": "[tool.evlint]\n"})
    uri = open_document(client, tmp_path / "mod.py", "import eventlet\n")
    assert [d["code"] for d in client.diagnostics(uri)] == ["EVL501"]
    config = tmp_path / "pyproject.toml"
    config.write_text('[tool.evlint]\nignore = ["EVL501"]\n', encoding="utf-8")
    config_uri = open_document(client, config, config.read_text(encoding="utf-8"))
    client.notify("textDocument/didSave", {"textDocument": {"uri": config_uri}})
    assert client.diagnostics(uri) == []


def test_a_broken_configuration_is_shown_to_the_user(client: Client, tmp_path: Path) -> None:
    write_files(tmp_path, {"pyproject.toml": "[tool.evlint]\nbogus = 1\n"})
    open_document(client, tmp_path / "mod.py", "import eventlet\n")
    shown = client.wait(lambda m: m.get("method") == "window/showMessage")
    assert shown["params"]["type"] == 1
    assert "pyproject.toml:2: unknown configuration key 'bogus'" in shown["params"]["message"]


def test_safe_fixes_are_quick_fixes(client: Client, tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "pyproject.toml": '[tool.evlint]\nselect = ["M322", "EVL201"]\n'
        },  # M322's fix is safe, EVL201's unsafe
    )
    text = "import eventlet\n\n\ndef start(f):\n    eventlet.spawn(f)\n    eventlet.sleep(1)\n"
    uri = open_document(client, tmp_path / "svc.py", text)
    found = client.diagnostics(uri)
    assert [d["code"] for d in found] == ["M322", "EVL201"]

    def actions(line: int) -> Any:
        return client.request(
            "textDocument/codeAction",
            {
                "textDocument": {"uri": uri},
                "range": {"start": {"line": line, "character": 0}, "end": {"line": line, "character": 0}},
                "context": {"diagnostics": [d for d in found if d["range"]["start"]["line"] == line]},
            },
        )

    quick_fixes = [a for a in actions(4) if a["kind"] == "quickfix" and "Disable" not in a["title"]]
    [action] = quick_fixes
    assert action["title"] == "Replace with `utils.spawn` (M322)"
    assert action["kind"] == "quickfix"
    assert action["isPreferred"] is True
    assert action["diagnostics"] == [found[0]]
    # eventlet stays imported (eventlet.sleep still uses it): the wrapper's import is added below it
    assert action["edit"]["changes"][uri] == [
        {
            "range": {"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": 0}},
            "newText": "from masakari import utils\n",
        },
        {
            "range": {"start": {"line": 4, "character": 4}, "end": {"line": 4, "character": 12}},
            "newText": "utils",
        },
    ]


def _actions(client: Client, uri: str, line: int, only: list[str] | None = None) -> Any:
    context: dict[str, Any] = {"diagnostics": []}
    if only is not None:
        context["only"] = only
    return client.request(
        "textDocument/codeAction",
        {
            "textDocument": {"uri": uri},
            "range": {"start": {"line": line, "character": 0}, "end": {"line": line, "character": 0}},
            "context": context,
        },
    )


def _apply(text: str, edits: list[dict[str, Any]]) -> str:
    """Apply LSP edits (ASCII text: UTF-16 units are characters) from the last to the first."""
    lines = text.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))

    def at(position: dict[str, int]) -> int:
        return offsets[position["line"]] + position["character"]

    for edit in sorted(edits, key=lambda e: at(e["range"]["start"]), reverse=True):
        text = text[: at(edit["range"]["start"])] + edit["newText"] + text[at(edit["range"]["end"]) :]
    return text


def test_unsafe_fixes_noqa_and_fix_all_are_offered(client: Client, tmp_path: Path) -> None:
    write_files(tmp_path, {"pyproject.toml": '[tool.evlint]\nselect = ["M322", "EVL201"]\n'})
    text = "import eventlet\n\n\ndef start(f):\n    eventlet.spawn(f)\n    eventlet.sleep(1)  # noqa: M322\n"
    uri = open_document(client, tmp_path / "svc.py", text)
    assert [d["code"] for d in client.diagnostics(uri)] == ["M322", "EVL201"]

    by_title = {a["title"]: a for a in _actions(client, uri, 5)}
    unsafe = by_title["Replace with `time.sleep` (a sleep(0) kept this way can be deleted) (EVL201, unsafe)"]
    assert unsafe["kind"] == "quickfix"
    assert unsafe["isPreferred"] is False
    disable = by_title["Disable EVL201 for this line"]
    assert _apply(text, disable["edit"]["changes"][uri]).splitlines()[5] == (
        "    eventlet.sleep(1)  # noqa: M322, EVL201"
    )
    [spawn_noqa] = [a for a in _actions(client, uri, 4) if a["title"] == "Disable M322 for this line"]
    assert (
        _apply(text, spawn_noqa["edit"]["changes"][uri]).splitlines()[4]
        == "    eventlet.spawn(f)  # noqa: M322"
    )

    [fix_all] = _actions(client, uri, 0, only=["source.fixAll"])
    assert fix_all["kind"] == "source.fixAll.evlint"
    fixed = _apply(text, fix_all["edit"]["changes"][uri])
    assert "utils.spawn(f)" in fixed  # M322's safe fix
    assert "eventlet.sleep(1)" in fixed  # EVL201's unsafe fix is not part of fix-all


def test_a_burst_of_changes_is_linted_once(client: Client, tmp_path: Path) -> None:
    write_files(tmp_path, {"pyproject.toml": "[tool.evlint]\n"})
    text = "import eventlet\n" + "x = 1\n" * 2_000
    uri = open_document(client, tmp_path / "mod.py", text)
    client.diagnostics(uri)
    for version in range(2, 22):  # twenty keystrokes, faster than any lint
        client.notify(
            "textDocument/didChange",
            {
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [
                    {
                        "range": {"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": 0}},
                        "text": "y",
                    }
                ],
            },
        )
    published = []
    while not published or published[-1]["params"]["version"] != 21:
        published.append(client.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"))
    assert len(published) < 5, [m["params"]["version"] for m in published]
    assert [d["code"] for d in published[-1]["params"]["diagnostics"]] == ["EVL501"]


def test_a_buffer_over_max_file_size_is_reported_not_linted(client: Client, tmp_path: Path) -> None:
    write_files(tmp_path, {"pyproject.toml": "[tool.evlint]\nmax-file-size = 1000\n"})
    uri = open_document(client, tmp_path / "big.py", "import eventlet\n" + "x = 1\n" * 500)
    [found] = client.diagnostics(uri)
    assert found["code"] == "EVL002"
    assert "over the 1000 byte limit (max-file-size)" in found["message"]
    small = open_document(client, tmp_path / "small.py", "import eventlet\n")
    assert [d["code"] for d in client.diagnostics(small)] == ["EVL501"]


def test_a_huge_content_length_is_not_allocated(server: Client, tmp_path: Path) -> None:
    server.request("initialize", {"processId": None, "rootUri": tmp_path.as_uri(), "capabilities": {}})
    # 10**13 bytes announced: the server reads what comes (here: nothing more) without
    # allocating it, and ends quietly when the client closes the stream.
    server.stdin.write(b"Content-Length: 10000000000000\r\n\r\n" + b"x" * 100_000)
    server.stdin.close()
    assert server.process.wait(timeout=REPLY_TIMEOUT) == 0
    assert server.process.stderr is not None
    stderr = server.process.stderr.read().decode()
    assert "internal error" not in stderr and "MemoryError" not in stderr, stderr


def _related(diagnostic: dict[str, Any]) -> list[tuple[str, int, int]]:
    return [
        (
            r["location"]["uri"],
            r["location"]["range"]["start"]["line"],
            r["location"]["range"]["start"]["character"],
        )
        for r in diagnostic.get("relatedInformation") or []
    ]


def test_the_language_server_relates_each_method_site_to_its_constructor(
    client: Client, tmp_path: Path
) -> None:
    write_files(tmp_path, {"pyproject.toml": "[tool.evlint]\nselect = ['EVL8']\n", **ORIGIN_FILES})
    uri = open_document(client, tmp_path / "app" / "server.py", ORIGIN_FILES["app/server.py"])
    found = {d["range"]["start"]["line"]: d for d in client.diagnostics(uri)}
    assert _related(found[LOCAL[0] - 1]) == [(uri, LOCAL[1] - 1, LOCAL[2] - 1)]
    utils_uri = (tmp_path / "app" / "utils.py").as_uri()
    assert _related(found[REMOTE[0] - 1]) == [(utils_uri, REMOTE[1] - 1, 0)]
    assert found[REMOTE[0] - 1]["relatedInformation"][0]["message"] == "the eventlet object is made here"
