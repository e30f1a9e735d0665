"""Property-based fuzzing of what evlint reads besides Python: configuration files, rule
files, file names and line endings, through the real CLI.

(d) a pyproject.toml whose [tool.evlint] table holds known and unknown keys with plausible
    and arbitrary values: `check` exits 0 or 1, or 2 with one `evlint: error:` line; never
    an internal error.
(e) a rule file derived from a bundled one with keys dropped or replaced by arbitrary
    values and YAML oddities (dates, sets, binary, aliases, tags, deep nesting): the same.
(f) files with arbitrary names (any character but `/` and NUL) and mixed LF/CRLF/CR line
    endings: no internal error, every finding names a file that exists, the JSON and the
    concise output agree, and no control character but a tab reaches the terminal.

Fast with a fixed seed in every run; `pytest -m soak` runs many more examples.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, note, settings

from evlint.engine import RECURSION_LIMIT
from tests.conftest import ROOT, run_cli
from tests.fuzz_strategies import FILE_NAMES, evlint_tables, rule_files, sources_with_line_endings

# The engine raises the limit on first use; hypothesis warns when it changes mid-test.
sys.setrecursionlimit(max(sys.getrecursionlimit(), RECURSION_LIMIT))
_COMMON = {
    "deadline": None,
    "database": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
}
FAST = settings(max_examples=25, derandomize=True, **_COMMON)  # type: ignore[arg-type]
SOAK = settings(max_examples=500, **_COMMON)  # type: ignore[arg-type]
BASE_RULE = yaml.safe_load((ROOT / "rules" / "eventlet" / "EVL201.yaml").read_text(encoding="utf-8"))
CODE = "import eventlet\neventlet.sleep(1)\n"


@contextmanager
def project_dir() -> Iterator[Path]:
    """A fresh project, also the working directory (hypothesis runs many in one test)."""
    root = Path(tempfile.mkdtemp(prefix="evlint-fuzz-"))
    old = Path.cwd()
    os.chdir(root)
    try:
        yield root
    finally:
        os.chdir(old)
        shutil.rmtree(root, ignore_errors=True)


def clean_exit(args: list[str]) -> str:
    """Run the CLI: 0/1, or 2 with exactly one `evlint: error:` line. Its stdout."""
    result = run_cli(args)
    note(f"exit {result.exit_code}; stderr: {result.stderr!r}")
    assert "internal error" not in result.output
    assert "Traceback" not in result.output
    if result.exit_code == 2:
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith("evlint: error: "), result.stderr
    else:
        assert result.exit_code in (0, 1), result.output
    return result.stdout


def configuration_is_checked(document: str) -> None:
    with project_dir() as root:
        (root / "pyproject.toml").write_text(document, encoding="utf-8")
        (root / "a.py").write_text(CODE, encoding="utf-8")
        clean_exit(["check", "--no-cache", "--output-format", "concise", "."])


def rule_file_is_checked(text: str) -> None:
    with project_dir() as root:
        (root / "rules").mkdir()
        (root / "rules" / "ORG201.yaml").write_text(text, encoding="utf-8")
        (root / "a.py").write_text(CODE, encoding="utf-8")
        clean_exit(["check", "--no-cache", "--rules-dir", "rules", "--output-format", "concise", "."])


def names_and_line_endings_are_handled(name: str, source: str) -> None:
    with project_dir() as root:
        try:
            (root / (name + ".py")).write_bytes(source.encode("utf-8"))
        except OSError:  # a name the file system refuses (too long in bytes)
            return
        findings = json.loads(clean_exit(["check", "--no-cache", "--output-format", "json", "."]) or "[]")
        for finding in findings:
            assert Path(finding["filename"]).name == name + ".py"
            assert finding["code"] != "EVL003", finding
        concise = clean_exit(["check", "--no-cache", "--output-format", "concise", "."])
        assert not any((ord(c) < 32 and c not in "\n\t") or 0x7F <= ord(c) <= 0x9F for c in concise), concise
        assert len([line for line in concise.splitlines() if ": EVL" in line]) == len(findings)


@FAST
@given(evlint_tables())
def test_configuration_files(document: str) -> None:
    configuration_is_checked(document)


@FAST
@given(rule_files(BASE_RULE))
def test_rule_files(text: str) -> None:
    rule_file_is_checked(text)


@FAST
@given(FILE_NAMES, sources_with_line_endings())
def test_file_names_and_line_endings(name: str, source: str) -> None:
    names_and_line_endings_are_handled(name, source)


@pytest.mark.soak
@SOAK
@given(evlint_tables())
def test_soak_configuration_files(document: str) -> None:
    configuration_is_checked(document)


@pytest.mark.soak
@SOAK
@given(rule_files(BASE_RULE))
def test_soak_rule_files(text: str) -> None:
    rule_file_is_checked(text)


@pytest.mark.soak
@SOAK
@given(FILE_NAMES, sources_with_line_endings())
def test_soak_file_names_and_line_endings(name: str, source: str) -> None:
    names_and_line_endings_are_handled(name, source)
