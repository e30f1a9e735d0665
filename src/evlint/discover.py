"""Which files to check: walk the paths, honouring .gitignore files and exclude patterns."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pathspec

from evlint.config import Settings
from evlint.requirements import is_dependency_file

PYTHON_SUFFIXES = (".py",)


@dataclass(frozen=True)
class _Ignore:
    """The .gitignore of one directory; its patterns are relative to that directory."""

    directory: Path
    spec: pathspec.GitIgnoreSpec


def relative_posix(path: Path, root: Path) -> str:
    """`path` relative to `root` in POSIX form, for matching gitignore-style patterns."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix().lstrip("/")


class Discoverer:
    def __init__(self, settings: Settings, *, dependency_files: bool = False) -> None:
        self.settings = settings
        self.dependency_files = dependency_files
        self.root = settings.project_root
        self.exclude = pathspec.GitIgnoreSpec.from_lines((*settings.exclude, *settings.extend_exclude))

    def discover(self, paths: Sequence[Path]) -> list[Path]:
        found: dict[Path, None] = {}
        for path in paths:
            absolute = Path(os.path.abspath(path))
            if absolute.is_dir():
                if not self._excluded(absolute, is_dir=True):
                    for file in self._walk(absolute, self._ancestor_ignores(absolute)):
                        found.setdefault(file)
            elif not (self.settings.force_exclude and self._excluded(absolute, is_dir=False)):
                found.setdefault(absolute)  # named explicitly: checked unless --force-exclude
        return list(found)

    def _excluded(self, path: Path, *, is_dir: bool) -> bool:
        relative = relative_posix(path, self.root)
        if relative in ("", "."):
            return False
        return self.exclude.match_file(relative + "/" if is_dir else relative)

    def _ancestor_ignores(self, directory: Path) -> list[_Ignore]:
        """.gitignore files of the directories between the project root and `directory`."""
        if not self.settings.respect_gitignore:
            return []
        ignores: list[_Ignore] = []
        info_exclude = self.root / ".git" / "info" / "exclude"
        if info_exclude.is_file():
            ignores.append(_Ignore(self.root, _read_spec(info_exclude)))
        try:
            parts = directory.relative_to(self.root).parts
        except ValueError:
            return ignores
        current = self.root
        for part in ("", *parts[:-1]) if parts else ():
            current = current / part if part else current
            ignores.extend(_gitignore_of(current))
        return ignores

    def _walk(self, directory: Path, ignores: list[_Ignore]) -> Iterator[Path]:
        if self.settings.respect_gitignore:
            ignores = [*ignores, *_gitignore_of(directory)]
        try:
            entries = sorted(os.scandir(directory), key=lambda entry: entry.name)
        except OSError:
            return
        for entry in entries:
            path = Path(entry.path)
            is_dir = entry.is_dir()
            if self._excluded(path, is_dir=is_dir) or _git_ignored(path, is_dir, ignores):
                continue
            if is_dir and not entry.is_symlink():
                yield from self._walk(path, ignores)
            elif not is_dir and self._wanted(entry.name):
                yield path

    def _wanted(self, name: str) -> bool:
        return name.endswith(PYTHON_SUFFIXES) or (self.dependency_files and is_dependency_file(name))


def _gitignore_of(directory: Path) -> list[_Ignore]:
    gitignore = directory / ".gitignore"
    return [_Ignore(directory, _read_spec(gitignore))] if gitignore.is_file() else []


def _read_spec(path: Path) -> pathspec.GitIgnoreSpec:
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        lines = []
    return pathspec.GitIgnoreSpec.from_lines(lines)


def _git_ignored(path: Path, is_dir: bool, ignores: list[_Ignore]) -> bool:
    """Deeper .gitignore files decide first; a `!pattern` there re-includes a path."""
    for ignore in reversed(ignores):
        relative = relative_posix(path, ignore.directory)
        result = ignore.spec.check_file(relative + "/" if is_dir else relative)
        if result.include is not None:
            return bool(result.include)
    return False
