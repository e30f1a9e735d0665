"""Dependencies declared in requirements*.txt, setup.cfg and pyproject.toml, with positions.

Line scanners rather than TOML/INI parsers, because findings need the exact line and
column of each name, which `tomllib` and `configparser` do not keep.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterator
from dataclasses import dataclass

_NAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?")
_QUOTED_NAME = re.compile(r"""["']\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)""")
_SECTION = re.compile(r"^\s*\[\s*([^\]]+?)\s*\]")
_KEY = re.compile(r"^([A-Za-z0-9_.\"'-]+)\s*=\s*(.*)$")
_QUOTED = re.compile(r"\"[^\"]*\"|'[^']*'")
_SETUP_CFG_KEYS = frozenset({"install_requires", "setup_requires", "tests_require"})
_SETUP_CFG_EXTRAS = frozenset({"options.extras_require", "extras"})


@dataclass(frozen=True)
class Declaration:
    name: str
    row: int
    column: int  # 1-based
    end_column: int


def is_dependency_file(filename: str) -> bool:
    if filename in ("setup.cfg", "pyproject.toml"):
        return True
    # Asked of every file in the tree: the suffix test spares most of them fnmatch's cost.
    return filename.lower().endswith(".txt") and fnmatch.fnmatch(filename, "*requirements*.txt")


def declarations(filename: str, text: str) -> list[Declaration]:
    lines = text.splitlines()
    if filename == "setup.cfg":
        return list(_setup_cfg(lines))
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
            wanted = section in _SETUP_CFG_EXTRAS or (
                section == "options" and key.group(1) in _SETUP_CFG_KEYS
            )
            in_list = wanted
            value_start = key.start(2)
        elif in_list and line[0].isspace():
            value_start = len(line) - len(line.lstrip())
        else:
            in_list = False
            continue
        if in_list:
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
