"""A tree of hostile files, built here, through the real CLI: no traceback, one finding per
bad file, every other file still checked, the documented exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from urllib.parse import unquote

import pytest

from tests.conftest import MASAKARI_WRAPPER, run_cli, write_files

SPAWN = "import eventlet\neventlet.spawn(f)\n"
GOOD_CODES = ["EVL101", "EVL501"]
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def build_hostile_tree(root: Path) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Bad files (path -> the one code expected) and good ones (path -> their codes)."""
    (root / "pyproject.toml").write_text("[tool.evlint]\nmax-file-size = 200000\n", encoding="utf-8")
    bad: dict[str, str] = {}
    good: dict[str, list[str]] = {}

    def put(name: str, data: bytes) -> Path:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return path

    put("py2.py", b'import eventlet\nprint "hello"\n')
    bad["py2.py"] = "EVL000"
    put("invalid_utf8.py", b'import eventlet\nx = "\xff\xfe"\n')
    bad["invalid_utf8.py"] = "EVL001"
    put("wrong_pep263.py", b'# -*- coding: ascii -*-\nimport eventlet\nx = "\xc3\xa9"\n')
    bad["wrong_pep263.py"] = "EVL001"
    put("unknown_codec.py", b"# coding: klingon\nimport eventlet\n")
    bad["unknown_codec.py"] = "EVL001"
    put("nul_bytes.py", b"import eventlet\x00\neventlet.spawn(f)\n")
    bad["nul_bytes.py"] = "EVL000"
    put("binary.py", b"import eventlet\n" + bytes(range(256)) + bytes(range(255, -1, -1)))
    bad["binary.py"] = "EVL001"
    put("too_big.py", b"import eventlet\n" + b"x = 1\n" * 50_000)
    bad["too_big.py"] = "EVL002"
    put("nested_too_deep.py", b"import eventlet\nx = " + b"-" * 100_000 + b"1\n")
    bad["nested_too_deep.py"] = "EVL000"
    os.symlink("nowhere.py", root / "broken_link.py")
    bad["broken_link.py"] = "EVL002"
    os.symlink("loop.py", root / "loop.py")
    bad["loop.py"] = "EVL002"
    os.mkfifo(root / "fifo.py")
    bad["fifo.py"] = "EVL002"
    if not IS_ROOT:  # root reads anything; the FIFO and the links cover unreadable files there
        os.chmod(put("unreadable.py", SPAWN.encode()), 0)
        bad["unreadable.py"] = "EVL002"

    put("empty.py", b"")
    put("bom.py", b"\xef\xbb\xbf" + SPAWN.encode())
    good["bom.py"] = GOOD_CODES
    put("crlf.py", SPAWN.replace("\n", "\r\n").encode())
    good["crlf.py"] = GOOD_CODES
    put("latin1.py", b"# -*- coding: latin-1 -*-\n" + SPAWN.encode() + b'x = "\xe9"\n')
    good["latin1.py"] = ["EVL101", "EVL501"]
    put("with space/a file.py", SPAWN.encode())
    good["with space/a file.py"] = GOOD_CODES
    put("unicodé/名前.py", SPAWN.encode())
    good["unicodé/名前.py"] = GOOD_CODES
    put("package.py/inside.py", SPAWN.encode())  # a directory named *.py is walked
    good["package.py/inside.py"] = GOOD_CODES
    nested = "".join("    " * depth + "if x:\n" for depth in range(90)) + "    " * 90 + "eventlet.spawn(f)\n"
    put("deep_but_valid.py", ("import eventlet\n" + nested).encode())
    good["deep_but_valid.py"] = GOOD_CODES
    return bad, good


def run_evlint(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "evlint", "check", *args],
        cwd=root,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        check=False,
    )


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str], dict[str, list[str]]]:
    root = tmp_path_factory.mktemp("hostile")
    bad, good = build_hostile_tree(root)
    return root, bad, good


def test_json_has_one_finding_per_bad_file_and_every_good_file(
    hostile: tuple[Path, dict[str, str], dict[str, list[str]]],
) -> None:
    root, bad, good = hostile
    result = run_evlint(root, "--output-format", "json")
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stderr == ""
    assert result.returncode == 1
    by_file: dict[str, list[str]] = {}
    for item in json.loads(result.stdout):
        by_file.setdefault(item["filename"], []).append(item["code"])
    found = {Path(name).relative_to(root).as_posix(): sorted(codes) for name, codes in by_file.items()}
    assert found == {**{name: [code] for name, code in bad.items()}, **good}


def test_text_and_sarif_outputs_survive_the_same_tree(
    hostile: tuple[Path, dict[str, str], dict[str, list[str]]],
) -> None:
    root, bad, good = hostile
    text = run_evlint(root, "--no-color")
    assert text.returncode == 1
    assert "Traceback" not in text.stdout + text.stderr
    for name in [*bad, *good]:
        assert f"{name}:" in text.stdout, name
    assert f"in {len(bad) + len(good)} files." in text.stdout

    sarif = run_evlint(root, "--output-format", "sarif")
    assert sarif.returncode == 1
    assert "Traceback" not in sarif.stdout + sarif.stderr
    results = json.loads(sarif.stdout)["runs"][0]["results"]
    uris = Counter(unquote(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]) for r in results)
    assert {name: uris[name] for name in bad} == dict.fromkeys(bad, 1)
    assert {name: uris[name] for name in good} == {name: len(codes) for name, codes in good.items()}


def test_bad_files_alone_exit_1_and_clean_files_exit_0(
    hostile: tuple[Path, dict[str, str], dict[str, list[str]]],
) -> None:
    root, bad, _ = hostile
    result = run_evlint(root, "--output-format", "concise", *bad)
    assert result.returncode == 1
    lines = result.stdout.splitlines()[: len(bad)]
    assert sorted(line.split(":")[0] for line in lines) == sorted(bad)
    assert run_evlint(root, "empty.py").returncode == 0
    assert run_evlint(root, "--select", "NOPE").returncode == 2


def test_fix_on_the_hostile_tree_changes_only_the_good_files(tmp_path: Path) -> None:
    bad, good = build_hostile_tree(tmp_path)
    write_files(tmp_path, MASAKARI_WRAPPER)  # M322's fix is safe where the project has the wrapper
    before = {name: _content(tmp_path / name) for name in bad}
    result = run_evlint(tmp_path, "--fix", "--extend-select", "M322", "--output-format", "json")
    assert "Traceback" not in result.stdout + result.stderr
    assert {name: _content(tmp_path / name) for name in bad} == before
    for name in good:
        fixed = (tmp_path / name).read_bytes().decode("utf-8-sig" if name != "latin1.py" else "latin-1")
        assert "utils.spawn(f)" in fixed, name
    assert (tmp_path / "crlf.py").read_bytes() == b"from masakari import utils\r\nutils.spawn(f)\r\n"
    assert not [p for p in tmp_path.rglob(".*") if "evlint" in p.name]


def _content(path: Path) -> object:
    """The bytes of a regular file; for anything else (a FIFO would block) what it is."""
    if path.is_symlink() or not path.is_file():
        return os.readlink(path) if path.is_symlink() else "not a regular file"
    try:
        return path.read_bytes()
    except OSError as error:
        return type(error).__name__


def test_max_file_size_must_be_a_positive_integer(project: Path) -> None:
    write_files(project, {"pyproject.toml": '[tool.evlint]\nmax-file-size = "10MB"\n', "a.py": SPAWN})
    result = run_cli(["check"])
    assert result.exit_code == 2
    assert result.stderr == (
        f"evlint: error: {project / 'pyproject.toml'}:2: max-file-size must be a positive number of bytes\n"
    )


def test_parse_warnings_about_the_checked_code_are_not_errors(project: Path) -> None:
    """An invalid escape warns when parsed; under pytest's filterwarnings=error (or -W error)
    the warning would turn into a SyntaxError and a valid file into EVL000."""
    write_files(project, {"a.py": 'import eventlet\nPATTERN = "\\d+"\neventlet.spawn(f)\n'})
    result = run_cli(["check", "--output-format", "concise", "--select", "EVL101"])
    assert result.stdout.splitlines()[0] == ("a.py:3:1: EVL101 eventlet.spawn() starts a green thread")
