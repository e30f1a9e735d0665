"""Linting one in-memory text at a time, for tools that hand evlint a file's contents
(the language server's open buffers, flake8's lines) rather than paths to walk.

A buffer is linted as `evlint check` would lint that file: the configuration of its
project, its rule paths, per-file-ignores and excludes, noqa, and the project's index,
built once per project root (from the files on disk) and built again when the tool says
files changed. Configurations and indexes are kept, so a long-lived server or a flake8
run loads each once.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from evlint.api import Configuration, cache_directory, load_configuration
from evlint.config import CliOverrides
from evlint.discover import Discoverer, ProjectRoots, display_path
from evlint.index.namer import ModuleNamer
from evlint.lint_file import Project, lint_dependency_file, lint_python_text
from evlint.model import READ_ERROR, FileResult, Rule, file_error
from evlint.requirements import is_dependency_file
from evlint.rulescope import RuleScope

if TYPE_CHECKING:
    from evlint.index.model import ProjectIndex


@dataclass(frozen=True)
class SessionProject:
    """One project as the session lints it: its root, configuration, rule scope, and a
    discoverer that applies its excludes to a buffer (as --force-exclude does a named file)."""

    root: Path
    configuration: Configuration
    scope: RuleScope
    discoverer: Discoverer
    namer: ModuleNamer


class LintSession:
    """`rule_filter` narrows the rules the configuration selects (flake8 takes only EVL codes);
    `use_cache`: take unchanged modules' facts for the index from the cache directory."""

    def __init__(self, rule_filter: Callable[[Rule], bool] | None = None, *, use_cache: bool = True) -> None:
        self._rule_filter = rule_filter
        self._use_cache = use_cache
        self._roots = ProjectRoots()
        self._projects: dict[Path, SessionProject] = {}
        self._indexes: dict[Path, ProjectIndex] = {}

    def project(self, path: Path) -> SessionProject:
        """The project `path` belongs to; raises EvlintError for a broken configuration."""
        root = self._roots.root_of(Path(os.path.abspath(path)))
        project = self._projects.get(root)
        if project is None:
            project = self._projects[root] = self._load(root)
        return project

    def _load(self, root: Path) -> SessionProject:
        configuration = load_configuration(root, CliOverrides(), rule_filter=self._rule_filter)
        settings = configuration.settings
        discoverer = Discoverer(dataclasses.replace(settings, force_exclude=True))
        return SessionProject(
            root, configuration, configuration.scope(), discoverer, ModuleNamer(settings.src)
        )

    def forget(self) -> None:
        """Drop what was loaded (a configuration or rule file changed)."""
        self._roots = ProjectRoots()
        self._projects.clear()
        self._indexes.clear()

    def files_changed(self, paths: Iterable[Path]) -> None:
        """Python files changed on disk: the indexes of their projects are built again."""
        for path in paths:
            self._indexes.pop(self._roots.root_of(Path(os.path.abspath(path))), None)

    def index(self, project: SessionProject) -> ProjectIndex | None:
        """The project's index, None when the configuration turns it off."""
        settings = project.configuration.settings
        if not settings.project_index:
            return None
        index = self._indexes.get(project.root)
        if index is None:
            from evlint.runner.project import build_project_index

            cache = cache_directory(settings) if self._use_cache else None
            index = self._indexes[project.root] = build_project_index(
                project.root, settings, project.scope, cache
            )
        return index

    def lint(self, path: Path, text: str) -> FileResult:
        """`text` checked as the contents of `path`, with `# noqa` applied."""
        absolute = Path(os.path.abspath(path))
        shown = display_path(absolute)
        project = self.project(absolute)
        if not project.discoverer.discover([absolute]):
            return FileResult(shown, ())
        size, limit = (
            len(text.encode("utf-8", errors="surrogatepass")),
            project.configuration.settings.max_file_size,
        )
        if size > limit:  # as `evlint check` reads the file on disk (runner/sources.py)
            message = f"File is {size} bytes, over the {limit} byte limit (max-file-size); not checked"
            return file_error(shown, READ_ERROR, message)
        active = project.scope.for_file(absolute)
        if not active:
            return FileResult(shown, ())
        compiled = project.scope.compiled.get(active)
        if is_dependency_file(absolute):
            return lint_dependency_file(compiled, shown, str(absolute), text.encode("utf-8"))
        index = self.index(project)
        if (index is None or not index.modules) and not compiled.may_match(
            text.encode("utf-8", errors="surrogatepass")
        ):
            return FileResult(shown, ())  # (with hubs, a file may use their names: it is linted)
        context = project.namer.context(absolute) if index is not None else None
        return lint_python_text(compiled, shown, text, project=Project(context, index)).result
