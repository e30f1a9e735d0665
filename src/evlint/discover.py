"""Which files to check: walk the paths, honouring .gitignore files and exclude patterns."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pathspec

from evlint.config import Settings
from evlint.patterns import compile_spec, lenient_spec, strict_spec
from evlint.requirements import is_dependency_file

PYTHON_SUFFIXES = (".py",)
PROJECT_MARKERS = ("pyproject.toml", "setup.cfg", "setup.py")  # a directory holding one is a project root


@dataclass(frozen=True)
class _Ignore:
    """The .gitignore of one directory; its patterns are relative to that directory."""

    directory: Path
    spec: pathspec.GitIgnoreSpec

    def relative(self, path: str) -> str:
        """`path` (absolute, below this directory when walking) relative to the directory."""
        prefix = str(self.directory).rstrip("/") + "/"
        return path[len(prefix) :] if path.startswith(prefix) else relative_posix(Path(path), self.directory)


_GLOB_OR_SLASH = re.compile(r"[*?\[\]\\/]")


class _Exclude:
    """exclude + extend-exclude. Without negations a gitignore-style list matches when any
    pattern does, and a plain name (`build`, `.tox`, `legacy/`) matches by the entry's own
    name once the walk has pruned excluded parents: a set lookup instead of every pattern's
    regular expression on every entry of the tree."""

    def __init__(self, patterns: Sequence[str]) -> None:
        self.spec = strict_spec(patterns, "exclude")
        self.rest: pathspec.GitIgnoreSpec | None = self.spec
        lines = [p.strip() for p in patterns if p.strip() and not p.strip().startswith("#")]
        if any(line.startswith("!") for line in lines):
            self.names: frozenset[str] = frozenset()
            self.dir_names: frozenset[str] = frozenset()
            return
        plain = [line for line in lines if not _GLOB_OR_SLASH.search(line.removesuffix("/"))]
        self.names = frozenset(line for line in plain if not line.endswith("/"))
        self.dir_names = frozenset(line.removesuffix("/") for line in plain if line.endswith("/"))
        others = [line for line in lines if line not in plain]
        self.rest = compile_spec(others) if others else None

    def match_entry(self, name: str, relative: str, is_dir: bool) -> bool:
        """Whether an entry found by the walk (its parents not excluded) is excluded."""
        if name in self.names or (is_dir and name in self.dir_names):
            return True
        return self.rest is not None and self.rest.match_file(relative + "/" if is_dir else relative)


def relative_posix(path: Path, root: Path) -> str:
    """`path` relative to `root` in POSIX form, for matching gitignore-style patterns.

    Paths here are absolute and normalised, so on POSIX plain string slicing gives what
    `Path.relative_to` would, without its parsing (it showed in the profile of a warm run).
    """
    if os.sep == "/" and path.is_absolute() and root.is_absolute():
        text, prefix = str(path), str(root).rstrip("/") + "/"
        if text.startswith(prefix):
            return text[len(prefix) :]
        return "." if text == str(root) else text.lstrip("/")
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix().lstrip("/")


def display_path(path: Path) -> str:
    """Paths under the working directory are shown relative to it, as ruff and flake8 do."""
    if os.sep == "/" and path.is_absolute():  # normalised: string slicing is what relative_to does
        text, prefix = str(path), os.path.join(os.getcwd(), "")
        return text[len(prefix) :] if text.startswith(prefix) else text
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)


class Discoverer:
    def __init__(self, settings: Settings, *, dependency_files: bool = False) -> None:
        self.settings = settings
        self.dependency_files = dependency_files
        self.root = settings.project_root
        self.exclude = _Exclude((*settings.exclude, *settings.extend_exclude))
        # Each directory walked: whether it holds a project marker (seen in the walk for free).
        self.marked: dict[str, bool] = {}
        # Directories the walk could not list (no permission), with why: their files are not
        # checked, which the run must say (ruff reports them as E902).
        self.unlisted: dict[Path, str] = {}

    def discover(self, paths: Sequence[Path]) -> list[Path]:
        found: dict[Path, None] = {}
        for path in paths:
            absolute = Path(os.path.abspath(path))
            if os.path.isdir(absolute):
                if not self._excluded(absolute, is_dir=True):
                    relative = relative_posix(absolute, self.root)
                    relative = "" if relative == "." else relative
                    for file in self._walk(str(absolute), relative, self._ancestor_ignores(absolute)):
                        found.setdefault(Path(file))
            elif not (self.settings.force_exclude and self._excluded(absolute, is_dir=False)):
                found.setdefault(absolute)  # named explicitly: checked unless --force-exclude
        return list(found)

    def _excluded(self, path: Path, *, is_dir: bool) -> bool:
        relative = relative_posix(path, self.root)
        if relative in ("", "."):
            return False
        return self.exclude.spec.match_file(relative + "/" if is_dir else relative)

    def _ancestor_ignores(self, directory: Path) -> list[_Ignore]:
        """.gitignore files of the directories between the project root and `directory`."""
        if not self.settings.respect_gitignore:
            return []
        ignores: list[_Ignore] = []
        info_exclude = self.root / ".git" / "info" / "exclude"
        if os.path.isfile(info_exclude):
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

    def _walk(self, directory: str, relative: str, ignores: list[_Ignore]) -> Iterator[str]:
        """Files below `directory` (`relative`: its path relative to the project root), as
        strings: Path objects for the thousands of entries of a large tree cost more than
        the matching."""
        if self.settings.respect_gitignore:
            ignores = [*ignores, *_gitignore_of(Path(directory))]
        try:
            entries = sorted(os.scandir(directory), key=lambda entry: entry.name)
        except FileNotFoundError:  # removed while walking: nothing to check
            return
        except OSError as error:
            self.unlisted[Path(directory)] = error.strerror or str(error)
            return
        self.marked[directory] = any(e.name in PROJECT_MARKERS and os.path.isfile(e.path) for e in entries)
        for entry in entries:
            try:
                is_dir = entry.is_dir()
            except OSError:  # a symlink loop: not walked; read as a file, it is reported (EVL002)
                is_dir = False
            if not is_dir and not self._wanted(entry.name, directory):
                continue  # cheaper than any pattern, and most entries of a tree are not Python
            entry_relative = f"{relative}/{entry.name}" if relative else entry.name
            if self.exclude.match_entry(entry.name, entry_relative, is_dir):
                continue
            if ignores and _git_ignored(entry.path, is_dir, ignores):
                continue
            if is_dir and not entry.is_symlink():
                yield from self._walk(entry.path, entry_relative, ignores)
            elif not is_dir:
                yield entry.path

    def _wanted(self, name: str, directory: str) -> bool:
        if name.endswith(PYTHON_SUFFIXES):
            return True
        return self.dependency_files and is_dependency_file(f"{directory}/{name}")


def _gitignore_of(directory: Path) -> list[_Ignore]:
    gitignore = directory / ".gitignore"
    # os.path.isfile: False, not PermissionError, in a directory the user may not search
    return [_Ignore(directory, _read_spec(gitignore))] if os.path.isfile(gitignore) else []


def _read_spec(path: Path) -> pathspec.GitIgnoreSpec:
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        lines = []
    return lenient_spec(lines)  # a line git ignores is ignored here too


def _git_ignored(path: str, is_dir: bool, ignores: list[_Ignore]) -> bool:
    """Deeper .gitignore files decide first; a `!pattern` there re-includes a path."""
    for ignore in reversed(ignores):
        relative = ignore.relative(path)
        result = ignore.spec.check_file(relative + "/" if is_dir else relative)
        if result.include is not None:
            return bool(result.include)
    return False


class ProjectRoots:
    """Which project a file belongs to: the nearest directory at or above it that holds a
    pyproject.toml, setup.cfg or setup.py. A tree with none is one project per path given
    (a file given alone belongs with its top-level package). Answers are kept per directory,
    as strings: a tree has far fewer directories than files. `walked`: whether each directory
    a discovery walked holds a marker, so those need no look on disk."""

    def __init__(self, walked: Mapping[str, bool] | None = None) -> None:
        self._walked = walked or {}
        self._marked: dict[str, str | None] = {}

    def group(self, files: Sequence[Path], named: Sequence[Path]) -> dict[Path, list[Path]]:
        """`files` (found under `named`) by project root, in the order found."""
        given = [Path(os.path.abspath(path)) for path in named]
        directories = sorted((path for path in given if os.path.isdir(path)), key=lambda p: -len(p.parts))
        roots: dict[str, Path] = {}
        groups: dict[Path, list[Path]] = {}
        for file in files:
            directory = os.path.dirname(file)
            root = roots.get(directory)
            if root is None:
                root = roots[directory] = self._root_of_directory(directory, directories)
            groups.setdefault(root, []).append(file)
        return groups

    def root_of(self, file: Path, directories: Sequence[Path] = ()) -> Path:
        """`directories`: the directories given, deepest first."""
        return self._root_of_directory(os.path.dirname(file), directories)

    def _root_of_directory(self, directory: str, given: Sequence[Path]) -> Path:
        marked = self._marked_dir(directory)
        if marked is not None:
            return Path(marked)
        path = Path(directory)
        for root in given:
            if path.is_relative_to(root):
                return root
        return _package_parent(path)

    def _marked_dir(self, directory: str) -> str | None:
        if directory in self._marked:
            return self._marked[directory]
        found: str | None
        has_marker = self._walked.get(directory)
        if has_marker is None:
            has_marker = any(os.path.isfile(os.path.join(directory, marker)) for marker in PROJECT_MARKERS)
        if has_marker:
            found = directory
        else:
            parent = os.path.dirname(directory)
            found = None if parent == directory else self._marked_dir(parent)
        self._marked[directory] = found
        return found


def _package_parent(directory: Path) -> Path:
    """The directory holding the top-level package `directory` is part of (itself if none)."""
    while os.path.isfile(directory / "__init__.py") and directory.parent != directory:
        directory = directory.parent
    return directory
