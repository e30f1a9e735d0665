"""Checking one project's files: read them (or take their results from the cache), build
the project's index in the same parse that lints, lint the rest in the pool, fix on request.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from evlint.config import Settings
from evlint.discover import display_path
from evlint.lint_file import lint_file
from evlint.model import CheckResult, Diagnostic, FileResult
from evlint.requirements import is_dependency_file
from evlint.rulescope import RuleScope
from evlint.runner.cached import CachedRun
from evlint.runner.fix_policy import FixPolicy
from evlint.runner.indexing import IndexBuild
from evlint.runner.jobs import Linter, LintJob, Pending
from evlint.runner.pool import run_jobs
from evlint.runner.project_names import ProjectNameCheck
from evlint.runner.sources import Reader, Sources, read_source
from evlint.speed import TRICKS

if TYPE_CHECKING:
    from evlint.cache.index import FactsCache
    from evlint.cache.results_reuse import ResultReuse
    from evlint.index.model import ProjectIndex
    from evlint.runner.fixing import FixMode


@dataclass(frozen=True)
class ProjectCheck:
    """One project's check: its root (whose files alone its index is built from), the files
    to check, the paths given that lie in it, its settings and rules, and how to run."""

    root: Path
    files: tuple[Path, ...]
    named: tuple[Path, ...]
    settings: Settings
    scope: RuleScope
    reader: Reader
    fix_mode: FixMode | None = None
    suppress: bool = True  # False: keep what noqa comments would hide (an inventory counts all)
    cache_dir: Path | None = None  # unchanged files of a plain check are answered from here
    reuse: ResultReuse | None = None  # results kept across this process's checks (--history)

    @property
    def covers_root(self) -> bool:
        """Whether a path given holds the whole project, so the files checked are all of it."""
        return any(self.root.is_relative_to(os.path.abspath(path)) for path in self.named)


@dataclass
class _Gathered:
    """Results known without parsing (cached, unreadable, dependency files), the Python files
    still to lint, and every file's shown path."""

    results: list[FileResult]
    pending: list[Pending]
    shown_paths: list[str]


def check_project(check: ProjectCheck) -> CheckResult:
    settings, scope = check.settings, check.scope
    sources = Sources(check.files, check.reader, settings, check.root, check.covers_root)
    linter = Linter(scope.compiled, check.suppress)
    directory = _cache_directory(check)
    facts_cache = check.reuse.facts if check.reuse is not None else _facts_cache(directory, check)
    build = IndexBuild(sources, scope, linter, facts_cache) if settings.project_index else None
    cached = _results_cache(directory, check, sources, build)
    gathered = _gather(check, sources, linter, cached)
    pending = gathered.pending
    matching = [
        entry
        for entry in pending
        if not TRICKS.prefilter or scope.compiled.get(entry.active).may_match(entry.source)
    ]
    index = None
    if build is not None and pending:
        # Without a cache every file that may match is linted while the index is built: one
        # pool, one parse each (with a cache, the index was built before the cache was read).
        one_pool = cached is None and check.reuse is None
        index = build.index(matching if one_pool else (), pending if one_pool else ())
    plan = _plan(pending, {entry.path for entry in matching}, build, index, sources)
    reused: list[FileResult] = []
    if check.reuse is not None:
        from evlint.runner.reusing import reuse_results

        reused = reuse_results(check, plan, index)
    parsed = {job.shown for job in plan.jobs} | {result.path for result in plan.settled}
    final = Linter(scope.compiled, check.suppress, index)
    job_results = run_jobs(final, plan.jobs)
    if check.reuse is not None:
        from evlint.runner.reusing import keep_results

        keep_results(check, plan, job_results, build, index)
    linted = [*plan.settled, *reused, *(job_result.result for job_result in job_results)]
    if cached is not None:
        _store_all(cached, pending, parsed, linted)
        cached.cache.save()
    if facts_cache is not None:
        facts_cache.save()
    names, policy = ProjectNameCheck(check.root, sources.namer, settings.src), FixPolicy(settings)
    results = [policy.review_file(names.review_file(result)) for result in (*gathered.results, *linted)]
    if check.fix_mode is not None:
        from evlint.runner.fixing import with_fixes

        def review(found: Iterable[Diagnostic]) -> tuple[Diagnostic, ...]:
            return policy.review(names.review(found))

        results = with_fixes(results, pending, final, sources.namer, check.fix_mode, review=review)
    return CheckResult(
        tuple(results),
        len(check.files),
        len(parsed),
        frozenset(gathered.shown_paths),
        files_cached=(cached.cache.hits if cached is not None else 0) + len(reused),
    )


@dataclass(frozen=True)
class _Plan:
    """The files linted while the index was built whose results stand, and those to lint."""

    settled: list[FileResult]
    jobs: list[LintJob]


def _plan(
    pending: Sequence[Pending],
    matching: set[Path],
    build: IndexBuild | None,
    index: ProjectIndex | None,
    sources: Sources,
) -> _Plan:
    """A file is linted if a rule may match in it (`matching`) or it may use a hub's names;
    one linted while the index was built is not linted again if the finished index would
    not change its result."""
    plan = _Plan([], [])
    for entry in pending:
        if entry.path not in matching and (index is None or entry.path not in index.readers):
            continue  # the pre-filter passed over it, and it uses no hub's names: no findings
        settled = build.settled(entry.path, index) if build is not None and index is not None else None
        if settled is not None:
            plan.settled.append(settled)
        else:
            plan.jobs.append(
                LintJob.of(entry, sources.namer.context(entry.path) if index is not None else None)
            )
    return plan


def _gather(check: ProjectCheck, sources: Sources, linter: Linter, cached: CachedRun | None) -> _Gathered:
    gathered = _Gathered([], [], [])
    for path in check.files:
        shown = display_path(path)
        gathered.shown_paths.append(shown)
        stat = None
        if cached is not None:
            found, stat = cached.by_stat(path, shown)
            if found is not None:
                gathered.results.append(found)
                continue
        active = check.scope.for_file(path)
        if not active:
            continue  # (a file no rule applies to may still re-export eventlet: the index reads it)
        read = sources.read(path, shown)
        source, error = read.source, read.error
        if error is None and cached is not None and stat is not None:
            error = cached.by_content(path, shown, stat, source)
        if error is not None:  # from the cache, or an error reading it
            gathered.results.append(error)
        elif is_dependency_file(path):  # small files: no pre-filter, no pool
            result = lint_file(
                linter.compiled.get(active), shown, str(path), source, suppress=linter.suppress
            )
            gathered.results.append(result)
            if cached is not None:
                cached.store(path, result)
        else:
            gathered.pending.append(Pending(path, shown, active, source))
    return gathered


def _store_all(
    cached: CachedRun, pending: Sequence[Pending], parsed: set[str], linted: Sequence[FileResult]
) -> None:
    for entry in pending:  # files the pre-filter passed over have no findings
        if entry.shown not in parsed:
            cached.store(entry.path, FileResult(entry.shown, ()))
    paths = {entry.shown: entry.path for entry in pending}
    for result in linted:
        cached.store(paths[result.path], result)


def _cache_directory(check: ProjectCheck) -> Path | None:
    """This project's part of the cache directory, for a plain check (fixing rewrites files;
    an inventory keeps what noqa hides). Each project has its own, so that pruning one
    project's entries never drops another's in a run over many."""
    if check.cache_dir is None or check.fix_mode is not None or not check.suppress:
        return None
    from evlint.cache.store import digest

    return check.cache_dir / "projects" / digest(str(check.root))[:32]


def _facts_cache(directory: Path | None, check: ProjectCheck) -> FactsCache | None:
    if directory is None or not check.settings.project_index:
        return None
    from evlint.cache.index import FactsCache

    return FactsCache.open(directory, check.root)


def _results_cache(
    directory: Path | None, check: ProjectCheck, sources: Sources, build: IndexBuild | None
) -> CachedRun | None:
    """The results cache, keyed on the rules, the settings that change results and, with a
    project index, the index's digest (a run in which no file's size or mtime changed reuses
    the digest it recorded, so a warm run neither reads nor parses)."""
    if directory is None:
        return None
    from evlint.cache.index import cached_index_digest
    from evlint.cache.results import ResultCache

    settings, scope = check.settings, check.scope
    affecting = (
        str(settings.project_root),
        repr(settings.per_file_ignores),
        repr(settings.src),
        str(settings.max_file_size),  # a file over it is EVL002, under it linted
    )
    index_digest = ""
    if build is not None:
        key_parts = (*(repr(rule) for rule in scope.rules), *affecting)
        index_digest = cached_index_digest(
            directory, sources.python_files, lambda: build.index().fingerprint(), key_parts
        )
    return CachedRun(ResultCache.open(directory, scope.rules, scope.selected, affecting, index_digest), {})


def build_project_index(
    root: Path, settings: Settings, scope: RuleScope, cache_dir: Path | None
) -> ProjectIndex:
    """The project index of the project at `root` alone, its modules parsed for the index
    (with a cache directory, unchanged modules' facts come from the cache): for tools that
    lint one buffer at a time."""
    check = ProjectCheck(
        root,
        (),
        (),
        settings,
        scope,
        functools.partial(read_source, limit=settings.max_file_size),
        cache_dir=cache_dir,
    )
    facts_cache = _facts_cache(_cache_directory(check), check)
    sources = Sources((), check.reader, settings, root, False)
    index = IndexBuild(sources, scope, Linter(scope.compiled), facts_cache).index()
    if facts_cache is not None:
        facts_cache.save()
    return index
