"""Entry points declared in packaging metadata, each resolved to its module and function.

Read, in this order (the first declaration of a name in a group wins): pyproject.toml
(`[project.scripts]`, `[project.gui-scripts]`, `[project.entry-points.<group>]`), setup.cfg
(`[entry_points]`) and a literal `entry_points=` in setup.py's `setup(...)` call. Only the
groups that start a process are kept by default (`SCRIPT_GROUPS`); plugin groups
(`oslo.config.opts`, a driver registry) are loaded inside some other process.
"""

from __future__ import annotations

import ast
import configparser
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from evlint.pyparse import decode_source, parse

SCRIPT_GROUPS = frozenset({"console_scripts", "gui_scripts", "wsgi_scripts"})
_PYPROJECT_TABLES = {"scripts": "console_scripts", "gui-scripts": "gui_scripts"}


@dataclass(frozen=True)
class EntryPoint:
    """One entry point: `name` in `group`, running `function` of `module` (no function: the
    module itself runs, as `__main__` or when a test runner imports a test package)."""

    name: str
    group: str
    module: str
    function: str | None
    declared_in: str  # the file (relative to the project root) that declares it, with its line

    @property
    def target(self) -> str:
        return f"{self.module}:{self.function}" if self.function else self.module


@dataclass(frozen=True)
class Declared:
    """The entry points the metadata declares, and what could not be read (one line each)."""

    entry_points: tuple[EntryPoint, ...]
    problems: tuple[str, ...]


def declared_entry_points(root: Path, groups: frozenset[str] = SCRIPT_GROUPS) -> Declared:
    found: list[EntryPoint] = []
    problems: list[str] = []
    for reader in (_from_pyproject, _from_setup_cfg, _from_setup_py):
        try:
            found.extend(point for point in reader(root) if point.group in groups)
        except _UnreadableError as error:
            problems.append(str(error))
    seen: set[tuple[str, str]] = set()
    unique = []
    for point in found:
        if (point.group, point.name) not in seen:
            seen.add((point.group, point.name))
            unique.append(point)
    return Declared(tuple(unique), tuple(problems))


def parse_target(name: str, group: str, value: str, declared_in: str) -> EntryPoint | None:
    """`module.sub:function [extra]` (the function is optional)."""
    spec = value.split("[", 1)[0].strip()
    module, _, function = spec.partition(":")
    module, function = module.strip(), function.strip()
    if not module or not all(part.isidentifier() for part in module.split(".")):
        return None
    return EntryPoint(name.strip(), group, module, function or None, declared_in)


class _UnreadableError(Exception):
    """A metadata file that does not parse: `file:line: why`."""


def _from_pyproject(root: Path) -> Iterator[EntryPoint]:
    path = root / "pyproject.toml"
    if not path.is_file():
        return
    try:
        project = tomllib.loads(path.read_text(encoding="utf-8")).get("project", {})
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise _UnreadableError(f"pyproject.toml: {error}") from error
    if not isinstance(project, dict):
        return
    tables: list[tuple[str, Any]] = [(group, project.get(key)) for key, group in _PYPROJECT_TABLES.items()]
    others = project.get("entry-points")
    if isinstance(others, dict):
        tables.extend(others.items())
    for group, table in tables:
        if isinstance(table, dict):
            yield from _points(table.items(), group, "pyproject.toml")


def _from_setup_cfg(root: Path) -> Iterator[EntryPoint]:
    path = root / "setup.cfg"
    if not path.is_file():
        return
    parser = _ini_parser()
    try:
        parser.read_string(path.read_text(encoding="utf-8"), str(path))
    except (OSError, UnicodeDecodeError, configparser.Error) as error:
        raise _UnreadableError(f"setup.cfg: {error}".replace("\n", " ")) from error
    for section in ("entry_points", "options.entry_points"):  # pbr's, setuptools'
        if parser.has_section(section):
            for group, value in parser.items(section):
                yield from _points(_ini_lines(value), group, "setup.cfg")


def _from_setup_py(root: Path) -> Iterator[EntryPoint]:
    path = root / "setup.py"
    if not path.is_file():
        return
    try:
        tree = parse(decode_source(path.read_bytes()), str(path))
    except (OSError, SyntaxError, ValueError, UnicodeDecodeError) as error:
        raise _UnreadableError(f"setup.py: {error}") from error
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        for keyword in node.keywords:
            if keyword.arg == "entry_points":
                yield from _setup_py_points(keyword.value)


def _setup_py_points(node: ast.expr) -> Iterator[EntryPoint]:
    where = f"setup.py:{node.lineno}"
    try:
        value = ast.literal_eval(node)
    except ValueError as error:
        raise _UnreadableError(f"{where}: entry_points= is not a literal; skipped") from error
    if isinstance(value, str):  # the ini form, as in setup.cfg
        parser = _ini_parser()
        try:
            parser.read_string(value)
        except configparser.Error as error:
            raise _UnreadableError(f"{where}: entry_points= {error}".replace("\n", " ")) from error
        value = {section: [f"{k} = {v}" for k, v in parser.items(section)] for section in parser.sections()}
    if not isinstance(value, dict):
        raise _UnreadableError(f"{where}: entry_points= is not a dict; skipped")
    for group, lines in value.items():
        items = [lines] if isinstance(lines, str) else lines
        pairs = [(name, target) for line in items for name, _, target in [str(line).partition("=")]]
        yield from _points(pairs, str(group), where)


def _ini_parser() -> configparser.RawConfigParser:
    parser = configparser.RawConfigParser(strict=False, delimiters=("=",))
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # names keep their case
    return parser


def _ini_lines(value: str) -> list[tuple[str, str]]:
    pairs = []
    for line in value.splitlines():
        name, equals, target = line.partition("=")
        if equals and name.strip():
            pairs.append((name, target))
    return pairs


def _points(
    items: Iterable[tuple[Any, Any]] | Mapping[Any, Any], group: str, where: str
) -> Iterator[EntryPoint]:
    for name, value in items:
        if isinstance(name, str) and isinstance(value, str):
            point = parse_target(name, group, value, where)
            if point is not None:
                yield point
