"""evlint's public API: load a configuration, check paths or one buffer, exit codes.

The command line, the language server, the flake8 plugin and the inventory all go through
here, so a file gets the same settings, rules and project index whoever asks.

    configuration = load_configuration(Path("."), CliOverrides())
    result = check([Path("src")], CliOverrides())
    sys.exit(exit_code(result))
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from evlint import declared
from evlint.config import SEVERITIES, CliOverrides, Settings, find_config, load_settings
from evlint.discover import PROJECT_MARKERS, Discoverer, ProjectRoots, display_path
from evlint.model import READ_ERROR, CheckResult, EvlintError, Rule, file_error
from evlint.rulememo import load_rules_once
from evlint.rulescope import RuleScope
from evlint.ruleset import bundled_rules_dir, select_rules
from evlint.runner.fixing import FixMode
from evlint.runner.project import ProjectCheck, check_project
from evlint.runner.sources import Reader, SourceRead, read_source

if TYPE_CHECKING:
    from evlint.cache.entrypoints import CachedScans
    from evlint.cache.results_reuse import ResultReuse
    from evlint.entrypoints.project import ProjectEntryPoints

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


@dataclass(frozen=True)
class Configuration:
    """What one configuration decides: the settings, every loaded rule, the rules selected."""

    settings: Settings
    known: tuple[Rule, ...]
    rules: tuple[Rule, ...]

    def scope(self) -> RuleScope:
        return RuleScope(self.rules, self.settings, self.known)

    @property
    def wants_dependency_files(self) -> bool:
        return any(rule.selectors.dependency for rule in self.rules)


# Changes a project's settings before its check (the inventory drops the selection).
SettingsAdjust = Callable[[Settings], Settings]


@dataclass(frozen=True)
class CheckOptions:
    fix_mode: FixMode | None = None  # --fix / --diff
    suppress: bool = True  # False: keep what noqa comments hide (an inventory counts all)
    use_cache: bool = False  # answer unchanged files from the result cache
    adjust: SettingsAdjust | None = None
    reuse: ResultReuse | None = None  # results kept across this process's checks (--history)


def load_configuration(
    start: Path,
    overrides: CliOverrides,
    *,
    use_cache: bool = False,
    adjust: SettingsAdjust | None = None,
    rule_filter: Callable[[Rule], bool] | None = None,
) -> Configuration:
    """The settings that apply at `start` (the nearest [tool.evlint], or `overrides.config`),
    the rules they load and those they select; raises EvlintError for a broken one."""
    settings = load_settings(start, overrides)
    if adjust is not None:
        settings = adjust(settings)
    directories = [bundled_rules_dir(), *settings.extend_rules_dirs]
    if use_cache:
        from evlint.cache.rules import load_rules_cached

        known = load_rules_cached(directories, cache_directory(settings))
    else:
        known = load_rules_once(directories)
    if not settings.trusted_rules:  # a third-party pack's safe fixes need --unsafe-fixes
        from evlint.fix.trust import distrust_fixes

        known = distrust_fixes(known, [bundled_rules_dir()])
    known = with_docs_urls(known, settings.docs_url)
    selected = select_rules(known, settings)
    if rule_filter is not None:
        selected = tuple(rule for rule in selected if rule_filter(rule))
    return Configuration(settings, known, selected)


def with_docs_urls(rules: Sequence[Rule], base: str) -> tuple[Rule, ...]:
    """Each bundled rule linked to its page on the docs site at `base` (a rule file's own
    `url` wins); rules from other directories keep the `url` they declare, if any."""
    if not base:
        return tuple(rules)
    bundled = str(bundled_rules_dir())
    page = base.rstrip("/") + "/rules/{}/"
    return tuple(
        replace(rule, url=page.format(rule.id))
        if rule.url is None and rule.source.startswith(bundled)
        else rule
        for rule in rules
    )


def cache_directory(settings: Settings) -> Path:
    from evlint.cache.store import cache_dir

    return cache_dir(settings.cache_dir)


def check(
    paths: Sequence[Path],
    overrides: CliOverrides,
    options: CheckOptions = CheckOptions(),
    first: Configuration | None = None,
) -> CheckResult:
    """Check the files under `paths`, each project (see `ProjectRoots`) with its own
    configuration and project index, exactly as if it had been checked alone. `first`: the
    configuration at the first path, if the caller has loaded it already."""
    if first is None:
        first = load_configuration(paths[0], overrides, use_cache=options.use_cache, adjust=options.adjust)
    for path in paths:
        if _missing(path):
            raise EvlintError(f"{path}: no such file or directory")
    discoverer = Discoverer(first.settings, dependency_files=first.wants_dependency_files)
    files = discoverer.discover(paths)
    fix_mode = options.fix_mode
    if fix_mode is not None and fix_mode.write:
        fix_mode = replace(fix_mode, roots=tuple(path.resolve() for path in paths))
    results = []
    for root, found in ProjectRoots(discoverer.marked).group(files, paths).items():
        configuration = _project_configuration(root, first, overrides, options)
        named = _named_in(root, paths)
        # With a configuration of its own, its own excludes decide which of its files are checked.
        in_project = found if configuration is first else _discover_again(root, configuration, named)
        reader = functools.partial(read_source, limit=configuration.settings.max_file_size)
        project = _project_check(root, in_project, named, configuration, reader, options, fix_mode)
        results.append(check_project(project))
    results.extend(_unlisted(discoverer))
    return merge(results)


def _unlisted(discoverer: Discoverer) -> list[CheckResult]:
    """A directory the walk could not list is an EVL002 finding of its own: the run says
    its files were not checked, and exits 1, as ruff does (E902)."""
    files = tuple(
        file_error(display_path(path), READ_ERROR, f"Cannot read directory: {why}")
        for path, why in discoverer.unlisted.items()
    )
    return [CheckResult(files, 0, 0, frozenset())] if files else []


def check_source(
    path: Path,
    source: bytes,
    overrides: CliOverrides,
    fix_mode: FixMode | None = None,
    configuration: Configuration | None = None,
) -> CheckResult:
    """`source` (read from standard input) checked as if it were the file `path`: the same
    configuration, rule paths, per-file-ignores, project index and, with --force-exclude,
    excludes. With `fix_mode` (which must not write), the fixed bytes are in the result."""
    if configuration is None:
        configuration = load_configuration(path, overrides)
    files = Discoverer(configuration.settings).discover([path])
    root = ProjectRoots().root_of(Path(os.path.abspath(path)))
    options = CheckOptions(fix_mode=fix_mode)

    def reader(_path: Path, _shown: str) -> SourceRead:
        return SourceRead(source)

    return check_project(_project_check(root, files, (path,), configuration, reader, options, fix_mode))


def exit_code(result: CheckResult, *, exit_zero: bool = False, fail_on: str = "error") -> int:
    """1 when a finding is at least as severe as `fail_on` (error, warning, info), else 0."""
    failing = failing_severities(fail_on)
    failed = any(d.severity.value in failing for d in result.diagnostics)
    return EXIT_FINDINGS if failed and not exit_zero else EXIT_CLEAN


def failing_severities(fail_on: str) -> tuple[str, ...]:
    """The severities at least as severe as `fail_on` (SEVERITIES is ordered most severe first)."""
    return SEVERITIES[: SEVERITIES.index(fail_on) + 1]


def merge(results: Sequence[CheckResult]) -> CheckResult:
    """One result of the checks of several projects."""
    if len(results) == 1:
        return results[0]
    return CheckResult(
        tuple(file for result in results for file in result.files),
        sum(result.files_checked for result in results),
        sum(result.files_parsed for result in results),
        frozenset(path for result in results for path in result.checked_paths),
        files_cached=sum(result.files_cached for result in results),
    )


def _project_check(
    root: Path,
    files: Sequence[Path],
    named: Sequence[Path],
    configuration: Configuration,
    reader: Reader,
    options: CheckOptions,
    fix_mode: FixMode | None,
) -> ProjectCheck:
    settings = configuration.settings
    return ProjectCheck(
        root=root,
        files=tuple(files),
        named=tuple(named),
        settings=settings,
        scope=replace(configuration, rules=declared.for_project(configuration.rules, root)).scope(),
        reader=reader,
        fix_mode=fix_mode,
        suppress=options.suppress,
        cache_dir=cache_directory(settings) if options.use_cache else None,
        reuse=options.reuse,
    )


def _project_configuration(
    root: Path, first: Configuration, overrides: CliOverrides, options: CheckOptions
) -> Configuration:
    """The configuration of the project at `root`: the one given with --config, else its own
    nearest [tool.evlint] (the first path's, unless the project has another)."""
    if overrides.config is not None or overrides.isolated or find_config(root) == first.settings.config_path:
        return first
    return load_configuration(root, overrides, use_cache=options.use_cache, adjust=options.adjust)


def _named_in(root: Path, paths: Sequence[Path]) -> tuple[Path, ...]:
    """The paths given as they reach into the project at `root`: those inside it, and the
    root itself for a path that holds the whole project."""
    named: list[Path] = []
    for path in paths:
        absolute = Path(os.path.abspath(path))
        if absolute.is_relative_to(root):
            named.append(path)
        elif root.is_relative_to(absolute) and root not in named:
            named.append(root)
    return tuple(named)


def _discover_again(root: Path, configuration: Configuration, named: Sequence[Path]) -> list[Path]:
    discoverer = Discoverer(configuration.settings, dependency_files=configuration.wants_dependency_files)
    roots = ProjectRoots()
    directories = [Path(os.path.abspath(path)) for path in named if os.path.isdir(path)]
    return [file for file in discoverer.discover(named) if roots.root_of(file, directories) == root]


# --------------------------------------------------------------------------- entry points


def entrypoint_verdicts(
    root: Path, overrides: CliOverrides | None = None, files: Sequence[Path] | None = None
) -> ProjectEntryPoints:
    """The entry points of the project at `root` (a directory holding its packaging metadata),
    each with its verdict (`eventlet-free`, `dual-mode`, `eventlet-only`, or `unresolved` for
    another package's command) and evidence, and the project's verdict with its blockers.
    The project's [tool.evlint] settings decide which files are its own (`exclude`, `src`);
    `files`: the project's files, if the caller has discovered them already.
    """
    from evlint.entrypoints.project import analyze_project
    from evlint.index.namer import ModuleNamer

    root = Path(os.path.abspath(root))
    settings = load_settings(root, overrides or CliOverrides())
    if files is None:
        files = Discoverer(settings).discover([root])
    store = _entrypoint_store(settings, root)
    result = analyze_project(root, files, ModuleNamer(settings.src).context, store)
    store.save()
    return result


def entrypoint_projects(paths: Sequence[Path], overrides: CliOverrides) -> list[ProjectEntryPoints]:
    """`entrypoint_verdicts` of the project each path is (or is in)."""
    roots: dict[Path, None] = {}
    for path in paths:
        if not path.exists():
            raise EvlintError(f"{path}: no such file or directory")
        absolute = Path(os.path.abspath(path))
        inside = absolute / "__init__.py" if absolute.is_dir() else absolute
        roots.setdefault(absolute if _has_project_marker(absolute) else ProjectRoots().root_of(inside))
    return [entrypoint_verdicts(root, overrides) for root in roots]


def _has_project_marker(directory: Path) -> bool:
    return directory.is_dir() and any((directory / name).is_file() for name in PROJECT_MARKERS)


def _entrypoint_store(settings: Settings, root: Path) -> CachedScans:
    from evlint.cache.entrypoints import CachedScans

    return CachedScans.open(cache_directory(settings), root)


def _missing(path: Path) -> bool:
    """No such file; one in a directory evlint may not search is reported as unreadable."""
    try:
        os.lstat(path)
    except FileNotFoundError:
        return True
    except OSError:
        return False
    return False
