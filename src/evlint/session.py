"""Linting one in-memory text at a time, for tools that hand evlint a file's contents
(the language server's open buffers, flake8's lines) rather than paths to walk.

A `LintSession` finds each file's configuration as `evlint check` would (the nearest
pyproject.toml with [tool.evlint]), and keeps the settings and compiled rules of every
configuration it has seen, so a long-lived server or a flake8 run loads them once.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from evlint.config import CliOverrides, Settings, find_config, load_settings
from evlint.discover import Discoverer
from evlint.model import Rule
from evlint.requirements import is_dependency_file
from evlint.ruleset import bundled_rules_dir, load_rules, select_rules
from evlint.runner import FileResult, RuleScope, check_dependency_file, display_path, lint_decoded


@dataclass(frozen=True)
class Project:
    """What one configuration file decides: the settings, the selected rules, their scope."""

    settings: Settings
    rules: tuple[Rule, ...]
    scope: RuleScope
    discoverer: Discoverer


class LintSession:
    """`rule_filter` narrows the rules the configuration selects (flake8 takes only EVL codes)."""

    def __init__(self, rule_filter: Callable[[Rule], bool] = lambda _rule: True) -> None:
        self._rule_filter = rule_filter
        self._configs: dict[Path, Path | None] = {}
        self._projects: dict[Path | None, Project] = {}

    def project(self, path: Path) -> Project:
        """The configuration that applies to `path`; raises EvlintError for a broken one."""
        directory = Path(os.path.abspath(path)).parent
        if directory not in self._configs:
            self._configs[directory] = find_config(directory)
        config = self._configs[directory]
        if config not in self._projects:
            self._projects[config] = self._load(directory, config)
        return self._projects[config]

    def _load(self, directory: Path, config: Path | None) -> Project:
        settings = load_settings(directory, CliOverrides(config=config))
        known = load_rules([bundled_rules_dir(), *settings.extend_rules_dirs])
        rules = tuple(rule for rule in select_rules(known, settings) if self._rule_filter(rule))
        # A buffer is like a file named on the command line with --force-exclude: excludes apply.
        discoverer = Discoverer(dataclasses.replace(settings, force_exclude=True))
        return Project(settings, rules, RuleScope(rules, settings, known), discoverer)

    def forget(self) -> None:
        """Drop what was loaded (a configuration or rule file changed)."""
        self._configs.clear()
        self._projects.clear()

    def lint(self, path: Path, text: str) -> FileResult:
        """`text` checked as the contents of `path`, with `# noqa` applied."""
        absolute = Path(os.path.abspath(path))
        shown = display_path(absolute)
        project = self.project(absolute)
        if not project.discoverer.discover([absolute]):
            return FileResult(shown, ())
        active = project.scope.for_file(absolute)
        if not active:
            return FileResult(shown, ())
        compiled = project.scope.compiled.get(active)
        if is_dependency_file(absolute.name):
            return check_dependency_file(compiled, shown, absolute.name, text.encode("utf-8"))
        if not compiled.may_match(text.encode("utf-8", errors="surrogatepass")):
            return FileResult(shown, ())
        return lint_decoded(compiled, shown, text)
