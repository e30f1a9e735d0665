"""`evlint check - --stdin-filename PATH`: standard input checked as if it were PATH."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import MASAKARI_WRAPPER, run_cli, write_files

SPAWN = "import eventlet\neventlet.spawn(f)\n"


def codes_of(stdout: str) -> list[tuple[str, str, int]]:
    return [(i["code"], Path(i["filename"]).name, i["location"]["row"]) for i in json.loads(stdout)]


def stdin_check(text: str, *args: str) -> tuple[int, str, str]:
    result = run_cli(["check", "--output-format", "concise", *args], input=text)
    return result.exit_code, result.stdout, result.stderr


def test_reports_the_given_name(project: Path) -> None:
    code, out, _ = stdin_check(SPAWN, "-", "--stdin-filename", "pkg/mod.py")
    assert code == 1
    assert out.splitlines()[:2] == [
        "pkg/mod.py:1:1: EVL501 Import of eventlet",
        "pkg/mod.py:2:1: EVL101 eventlet.spawn() starts a green thread",
    ]
    assert not (project / "pkg").exists()  # the file need not exist


def test_stdin_filename_alone_reads_standard_input(project: Path) -> None:
    assert stdin_check(SPAWN, "--stdin-filename", "mod.py")[0] == 1
    assert stdin_check("import threading\n", "--stdin-filename", "mod.py")[:2] == (
        0,
        "All checks passed! (1 files checked)\n",
    )


def test_without_a_name_it_is_shown_as_dash(project: Path) -> None:
    assert stdin_check(SPAWN, "-", "--select", "EVL101")[1].startswith("-:2:1: EVL101")


def test_config_of_the_named_file_and_its_per_file_ignores(project: Path) -> None:
    write_files(
        project,
        {
            "sub/pyproject.toml": '[tool.evlint]\nignore = ["EVL501"]\n[tool.evlint.per-file-ignores]\n"tests/*" = ["EVL1"]\n',
        },
    )
    _, out, _ = stdin_check(SPAWN, "-", "--stdin-filename", "sub/mod.py", "-q")
    assert [line.split()[1] for line in out.splitlines()] == ["EVL101"]  # sub/pyproject.toml ignores EVL501
    assert stdin_check(SPAWN, "-", "--stdin-filename", "sub/tests/test_mod.py")[0] == 0


def test_excludes_apply_with_force_exclude(project: Path) -> None:
    write_files(project, {"pyproject.toml": '[tool.evlint]\nextend-exclude = ["generated/"]\n'})
    assert stdin_check(SPAWN, "-", "--stdin-filename", "generated/mod.py", "--force-exclude")[:2] == (
        0,
        "All checks passed! (0 files checked)\n",
    )
    assert stdin_check(SPAWN, "-", "--stdin-filename", "generated/mod.py")[0] == 1  # named: checked


def test_a_dependency_file_and_a_syntax_error(project: Path) -> None:
    result = run_cli(
        ["check", "-", "--stdin-filename", "requirements.txt", "--output-format", "json"],
        input="eventlet>=0.30\n",
    )
    assert codes_of(result.stdout) == [("EVL702", "requirements.txt", 1)]
    result = run_cli(
        ["check", "-", "--stdin-filename", "mod.py", "--output-format", "json"],
        input="import eventlet\ndef (:\n",
    )
    assert codes_of(result.stdout) == [("EVL000", "mod.py", 2)]


def test_misuse_is_a_usage_error(project: Path) -> None:
    write_files(project, {"mod.py": SPAWN})
    both = run_cli(["check", "-", "mod.py"], input=SPAWN)
    assert (both.exit_code, both.stderr) == (
        2,
        "evlint: error: '-' (standard input) cannot be combined with other paths\n",
    )
    named = run_cli(["check", "mod.py", "--stdin-filename", "x.py"])
    assert (named.exit_code, named.stderr) == (
        2,
        "evlint: error: --stdin-filename needs PATH '-' (standard input)\n",
    )


def test_a_real_pipe(project: Path) -> None:
    """Bytes through a real pipe, as an editor sends them (a PEP 263 declaration is honoured)."""
    source = "# -*- coding: latin-1 -*-\nimport eventlet\nname = 'caf\xe9'\neventlet.spawn(f)\n".encode(
        "latin-1"
    )
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "evlint",
            "check",
            "-",
            "--stdin-filename",
            "mod.py",
            "--select",
            "EVL101",
            "-q",
            "--output-format",
            "concise",
        ],
        input=source,
        capture_output=True,
        check=False,
    )
    assert completed.returncode == 1, completed.stderr
    assert completed.stdout.decode().startswith("mod.py:4:1: EVL101")


def test_fix_with_standard_input_prints_the_fixed_code_and_writes_no_file(project: Path) -> None:
    write_files(project, {"mod.py": "import threading\n", **MASAKARI_WRAPPER})
    args = ["check", "-", "--stdin-filename", "mod.py", "--select", "M322,EVL201", "--fix", "--no-color"]
    result = run_cli(args, input=SPAWN + "eventlet.sleep(1)\n")
    assert result.stdout == "import eventlet\nfrom masakari import utils\nutils.spawn(f)\neventlet.sleep(1)\n"
    assert "mod.py:4:1: EVL201" in result.stderr  # the findings go to stderr; EVL201's fix is unsafe
    assert "Found 2 errors (1 fixed, 1 remaining)." in result.stderr
    assert result.exit_code == 1
    assert (project / "mod.py").read_text(encoding="utf-8") == "import threading\n"  # never written


def test_fix_with_standard_input_and_nothing_to_fix_echoes_the_input(project: Path) -> None:
    result = run_cli(["check", "-", "--stdin-filename", "mod.py", "--fix", "-q"], input="import threading\n")
    assert (result.exit_code, result.stdout) == (0, "import threading\n")


def test_diff_with_standard_input(project: Path) -> None:
    write_files(project, MASAKARI_WRAPPER)  # M322's fix is safe where the wrapper exists
    result = run_cli(["check", "-", "--stdin-filename", "mod.py", "--select", "M322", "--diff"], input=SPAWN)
    assert result.exit_code == 1
    assert "--- a/mod.py\n+++ b/mod.py\n" in result.stdout
    assert "+utils.spawn(f)\n" in result.stdout
