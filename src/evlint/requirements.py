"""Dependencies declared in requirements*.txt (and any .txt file in a `requirements/`
directory), setup.cfg, tox.ini (`deps` of each test environment) and pyproject.toml, with
positions. A setup.py is Python, read by the engine (`evlint.setup_py`).

Line scanners rather than TOML/INI parsers, because findings need the exact line and
column of each name, which `tomllib` and `configparser` do not keep.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import PurePath

_NAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?")
_QUOTED_NAME = re.compile(r"""["']\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)""")
_SECTION = re.compile(r"^\s*\[\s*([^\]]+?)\s*\]")
_KEY = re.compile(r"^([A-Za-z0-9_.\"'-]+)\s*=\s*(.*)$")
_QUOTED = re.compile(r"\"[^\"]*\"|'[^']*'")
_SETUP_CFG_KEYS = frozenset({"install_requires", "setup_requires", "tests_require"})
_SETUP_CFG_EXTRAS = frozenset({"options.extras_require", "extras"})
_TOX_FACTORS = re.compile(r"[\w.,!-]+:\s*")


@dataclass(frozen=True)
class Declaration:
    name: str
    row: int
    column: int  # 1-based
    end_column: int


def is_dependency_file(path: str | PurePath) -> bool:
    """Whether the file at `path` (a name alone, or with its directories) declares dependencies."""
    directory, _, filename = str(path).replace("\\", "/").rpartition("/")
    if filename in ("setup.cfg", "pyproject.toml", "tox.ini"):
        return True
    # Asked of every file in the tree: the suffix test spares most of them fnmatch's cost.
    if not filename.lower().endswith(".txt"):
        return False
    return fnmatch.fnmatch(filename, "*requirements*.txt") or directory.rpartition("/")[2] == "requirements"


def declarations(path: str | PurePath, text: str) -> list[Declaration]:
    lines = text.splitlines()
    filename = PurePath(path).name
    if filename == "setup.cfg":
        return list(_setup_cfg(lines))
    if filename == "tox.ini":
        return list(_tox_ini(lines))
    if filename == "pyproject.toml":
        return list(_pyproject(lines))
    return list(_requirements_txt(lines))


def _at(name_match: re.Match[str], row: int, group: int = 0) -> Declaration:
    start, end = name_match.span(group)
    return Declaration(name_match.group(group), row, start + 1, end + 1)


def _requirements_txt(lines: list[str]) -> Iterator[Declaration]:
    for row, line in enumerate(lines, start=1):
        code = line.split(" #", 1)[0]
        stripped = code.lstrip()
        if not stripped or stripped.startswith(("#", "-", "git+", "http:", "https:", "file:")):
            continue
        found = _NAME.match(code, len(code) - len(stripped))
        if found is not None:
            yield _at(found, row)


def _setup_cfg(lines: list[str]) -> Iterator[Declaration]:
    def wanted(section: str, key: str) -> bool:
        return section in _SETUP_CFG_EXTRAS or (section == "options" and key in _SETUP_CFG_KEYS)

    return _ini_lists(lines, wanted)


def _tox_ini(lines: list[str]) -> Iterator[Declaration]:
    """`deps` of `[testenv]` and `[testenv:name]`, factor prefixes (`py3: eventlet`) skipped."""

    def wanted(section: str, key: str) -> bool:
        return key == "deps" and (section == "testenv" or section.startswith("testenv:"))

    return _ini_lists(lines, wanted, _TOX_FACTORS)


def _ini_lists(
    lines: list[str], wanted: Callable[[str, str], bool], prefix: re.Pattern[str] | None = None
) -> Iterator[Declaration]:
    """Requirement names in the values of the INI keys `wanted` (section, key), one a line."""
    section, in_list = "", False
    for row, line in enumerate(lines, start=1):
        header = _SECTION.match(line)
        if header is not None:
            section, in_list = header.group(1).strip().lower(), False
            continue
        if not line.strip() or line.lstrip().startswith(("#", ";")):
            continue
        key = _KEY.match(line) if not line[0].isspace() else None
        if key is not None:
            in_list = wanted(section, key.group(1).strip())
            value_start = key.start(2)
        elif in_list and line[0].isspace():
            value_start = len(line) - len(line.lstrip())
        else:
            in_list = False
            continue
        if in_list:
            factors = prefix.match(line, value_start) if prefix is not None else None
            value_start = factors.end() if factors is not None else value_start
            if line.startswith(("-", "{"), value_start):  # `-r file`, `{[testenv]deps}`
                continue
            found = _NAME.match(line, value_start)
            if found is not None and line[value_start:].strip():
                yield _at(found, row)


def _pyproject(lines: list[str]) -> Iterator[Declaration]:
    table, in_array = "", False
    for row, line in enumerate(lines, start=1):
        header = _SECTION.match(line)
        if header is not None and not in_array:
            table = header.group(1).strip().strip("[]").strip()
            continue
        code = line.split("#", 1)[0]
        if table.startswith("tool.poetry") and table.endswith("dependencies"):
            key = _KEY.match(code.strip())
            if key is not None and key.group(1).strip("\"'") != "python":
                found = _NAME.search(code)
                if found is not None:
                    yield _at(found, row)
            continue
        key = _KEY.match(code.strip())
        if key is not None and not in_array:
            wanted = (table == "project" and key.group(1) == "dependencies") or (
                table == "project.optional-dependencies"
            )
            if not wanted:
                continue
            in_array = True
        if in_array:
            for found in _QUOTED_NAME.finditer(code):
                yield _at(found, row, 1)
            if "]" in _QUOTED.sub("", code):  # `]` inside "pkg[extra]" does not close the array
                in_array = False
