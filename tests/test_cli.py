"""The check command's options, output formats and exit codes, through the real CLI."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_cli, write_files

VIOLATION = "import eventlet\n\n\ndef start(worker):\n    eventlet.spawn(worker)\n"


@pytest.fixture
def violating(project: Path) -> Path:
    write_files(project, {"pkg/mod.py": VIOLATION, "pkg/clean.py": "import threading\n"})
    return project


def test_exit_codes(violating: Path) -> None:
    assert run_cli(["check", "pkg/clean.py"]).exit_code == 0
    assert run_cli(["check"]).exit_code == 1
    assert run_cli(["check", "--exit-zero"]).exit_code == 0
    assert run_cli(["check", "--select", "NOPE"]).exit_code == 2
    assert run_cli(["check", "missing.py"]).exit_code == 2


def test_concise_output(violating: Path) -> None:
    result = run_cli(["check", "--output-format", "concise", "--select", "EVL101"])
    assert result.stdout.splitlines() == [
        "pkg/mod.py:5:5: EVL101 eventlet.spawn() starts a green thread",
        "Found 1 error in 1 file.",
    ]


def test_text_output_has_code_frame_and_help_without_colour_when_piped(violating: Path) -> None:
    result = run_cli(["check", "--select", "EVL101"])
    assert result.stdout.splitlines()[:5] == [
        "pkg/mod.py:5:5: EVL101 eventlet.spawn() starts a green thread",
        "  |",
        "5 |     eventlet.spawn(worker)",
        "  |     ^^^^^^^^^^^^^^ EVL101",
        "  = help: Start a threading.Thread or submit to a ThreadPoolExecutor (threading.Timer for spawn_after)",
    ]
    assert "\x1b[" not in result.stdout


def test_json_output_has_ruffs_shape(violating: Path) -> None:
    result = run_cli(["check", "--output-format", "json"])
    items = json.loads(result.stdout)
    assert [item["code"] for item in items] == ["EVL501", "EVL101"]
    spawn = items[1]
    assert spawn["filename"] == str(violating / "pkg" / "mod.py")
    assert spawn["location"] == {"row": 5, "column": 5}
    assert spawn["end_location"] == {"row": 5, "column": 19}
    assert spawn["noqa_row"] == 5
    assert spawn["fix"] is None
    assert set(spawn) >= {"code", "message", "filename", "location", "end_location", "fix", "url", "noqa_row"}


def test_json_output_is_an_empty_list_when_clean(violating: Path) -> None:
    result = run_cli(["check", "pkg/clean.py", "--output-format", "json"])
    assert json.loads(result.stdout) == []


def test_select_ignore_extend_select(violating: Path) -> None:
    def codes(*args: str) -> list[str]:
        result = run_cli(["check", "--output-format", "json", *args])
        return [item["code"] for item in json.loads(result.stdout)]

    assert codes() == ["EVL501", "EVL101"]
    assert codes("--select", "EVL1") == ["EVL101"]
    assert codes("--ignore", "EVL501") == ["EVL101"]
    assert codes("--select", "EVL", "--ignore", "EVL5") == ["EVL101"]
    assert codes("--select", "EVL101", "--ignore", "EVL") == ["EVL101"]  # the more specific wins
    assert codes("--extend-select", "M322") == ["EVL501", "M322"]  # M322 supersedes EVL101 on its site
    assert codes("--select", "M322,EVL501") == ["EVL501", "M322"]
    # ALL selects no one of alternative policies (M322 and N340 name different wrappers)...
    assert codes("--select", "ALL", "--ignore", "EVL") == []
    assert codes("--select", "ALL,N340", "--ignore", "EVL") == ["N340"]  # ...unless named
    assert not [code for code in codes("--select", "ALL", "--ignore", "EVL") if code.startswith("EVL")]


def test_unknown_selector_is_a_usage_error(violating: Path) -> None:
    result = run_cli(["check", "--ignore", "XYZ9"])
    assert result.exit_code == 2
    assert "unknown rule selector 'XYZ9'" in result.stderr
    assert "Traceback" not in result.output


def test_statistics(violating: Path) -> None:
    result = run_cli(["check", "--statistics", "--output-format", "concise"])
    assert "1\tEVL101\t[ ] eventlet-spawn" in result.stdout.splitlines()
    assert "1\tEVL501\t[ ] eventlet-import" in result.stdout.splitlines()


def test_quiet_prints_findings_only(violating: Path) -> None:
    result = run_cli(["check", "--quiet", "--output-format", "concise"])
    assert len(result.stdout.splitlines()) == 2
    assert "Found" not in result.stdout
    clean = run_cli(["check", "--quiet", "pkg/clean.py"])
    assert clean.stdout == ""


def test_all_checks_passed_message(violating: Path) -> None:
    result = run_cli(["check", "pkg/clean.py"])
    assert result.stdout.strip() == "All checks passed! (1 files checked)"


def _run_in_terminal(args: list[str], cwd: Path, env: dict[str, str]) -> str:
    """Run the installed CLI with a pseudo-terminal as stdout, as a user's shell would."""
    import pty

    main_fd, child_fd = pty.openpty()
    command = [sys.executable, "-m", "evlint", *args]
    with subprocess.Popen(command, cwd=cwd, stdout=child_fd, stderr=subprocess.PIPE, env=env) as process:
        os.close(child_fd)
        chunks = []
        while True:
            try:
                chunk = os.read(main_fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        process.wait()
    os.close(main_fd)
    return b"".join(chunks).decode()


def test_colour_on_a_terminal_unless_disabled(violating: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    args = ["check", "--select", "EVL101"]
    coloured = _run_in_terminal(args, violating, env)
    plain = _run_in_terminal([*args, "--no-color"], violating, env)
    assert "\x1b[" in coloured
    assert "\x1b[" not in plain
    # the same text, only coloured (and the docs URL a terminal hyperlink, OSC 8)
    assert re.sub(r"\x1b\[[0-9;]*m|\x1b\]8;[^\x1b]*\x1b\\", "", coloured) == plain
    assert "\x1b[" not in _run_in_terminal(args, violating, {**env, "NO_COLOR": "1"})


def test_syntax_error_is_a_finding_and_others_still_report(violating: Path) -> None:
    write_files(violating, {"pkg/broken.py": "import eventlet\nprint 'python 2'\n"})
    result = run_cli(["check", "--output-format", "concise", "--select", "EVL101"])
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "pkg/broken.py:2:1: EVL000 SyntaxError: Missing parentheses in call to 'print'. Did you mean print(...)?"
    )
    assert lines[1].startswith("pkg/mod.py:5:5: EVL101")
    assert result.exit_code == 1


def test_syntax_error_position_counts_characters(violating: Path) -> None:
    write_files(
        violating, {"u.py": 'import eventlet\nx = "é" b c\n', "nul.py": "import eventlet\nx = 1\x00\n"}
    )
    result = run_cli(["check", "u.py", "nul.py", "--output-format", "concise"])
    assert result.stdout.splitlines()[:2] == [
        "nul.py:1:1: EVL000 SyntaxError: source code string cannot contain null bytes",
        "u.py:2:9: EVL000 SyntaxError: invalid syntax",
    ]


def test_undecodable_file_is_reported(violating: Path) -> None:
    (violating / "pkg" / "latin.py").write_bytes(b"import eventlet\nx = '\xe9'\n")
    result = run_cli(["check", "pkg/latin.py", "--output-format", "concise"])
    assert result.stdout.splitlines()[0].startswith("pkg/latin.py:1:1: EVL001 Cannot decode file")


def test_encoding_declaration_and_bom_are_honoured(violating: Path) -> None:
    (violating / "latin.py").write_bytes(
        b"# -*- coding: latin-1 -*-\nimport eventlet\nx = '\xe9'; eventlet.spawn(f)\n"
    )
    (violating / "bom.py").write_bytes(b"\xef\xbb\xbfimport eventlet\neventlet.spawn(f)\n")
    (violating / "crlf.py").write_bytes(b"import eventlet\r\n\r\neventlet.spawn(f)\r\n")
    result = run_cli(
        ["check", "latin.py", "bom.py", "crlf.py", "--select", "EVL101", "--output-format", "concise"]
    )
    assert result.stdout.splitlines()[:3] == [
        "bom.py:2:1: EVL101 eventlet.spawn() starts a green thread",
        "crlf.py:3:1: EVL101 eventlet.spawn() starts a green thread",
        "latin.py:3:10: EVL101 eventlet.spawn() starts a green thread",
    ]


def test_version_and_module_entry_point() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "evlint", "--version"], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert result.stdout.startswith("evlint, version ")


def test_process_pool_gives_the_same_findings(violating: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import evlint.runner.pool

    for index in range(6):
        write_files(violating, {f"pkg/m{index}.py": VIOLATION * (index + 1)})
    serial = run_cli(["check", "--output-format", "json", "--no-cache"]).stdout
    monkeypatch.setattr(evlint.runner.pool, "POOL_MIN_SAVED_BYTES", 0)
    monkeypatch.setattr(evlint.runner.pool, "cores", lambda: 2)
    pooled = run_cli(["check", "--output-format", "json", "--no-cache"]).stdout
    assert json.loads(pooled) == json.loads(serial)
    assert len(json.loads(serial)) == 2 + 2 * sum(range(1, 7))


def test_file_over_the_size_limit_is_reported_not_read(violating: Path) -> None:
    write_files(violating, {"pyproject.toml": "[tool.evlint]\nmax-file-size = 10\n"})
    result = run_cli(["check", "pkg/mod.py", "--output-format", "concise"])
    assert (
        result.stdout.splitlines()[0]
        == "pkg/mod.py:1:1: EVL002 File is 64 bytes, over the 10 byte limit (max-file-size); not checked"
    )


def test_code_frame_shows_the_reported_line_after_a_form_feed(violating: Path) -> None:
    write_files(violating, {"ff.py": "import eventlet\n\x0c\neventlet.spawn(f)\n"})
    result = run_cli(["check", "ff.py", "--select", "EVL101"])
    assert result.stdout.splitlines()[2] == "3 | eventlet.spawn(f)"
