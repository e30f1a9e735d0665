"""Run the engine over many files: per-file rule sets, the text pre-filter, a process pool."""

from __future__ import annotations

import functools
import gc
import io
import os
import tokenize
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from stat import S_ISREG
from typing import TYPE_CHECKING, Any

import pathspec

from evlint.config import DEFAULT_MAX_FILE_SIZE, Settings
from evlint.discover import Discoverer, relative_posix
from evlint.internal import InternalError, capture
from evlint.interrupt import ignore_interrupts_in_worker, stop_pool
from evlint.model import Diagnostic, Location, Rule, Severity
from evlint.names import ModuleContext, ProjectNames
from evlint.requirements import declarations, is_dependency_file
from evlint.ruleset import CompiledRules, expand_paths, normalize_distribution

if TYPE_CHECKING:
    from evlint.baseline import BaselineOutcome
    from evlint.cache import FactsCache, ResultCache, Stamp
    from evlint.module_facts import ModuleFacts
    from evlint.project_index import Lookahead, ModuleNamer, ProjectIndex, Questions, SourceFile

# Worker processes are started only when they would save parsing this many bytes of wall
# time: forking one took 10-70 ms here, and the engine reads 2.5-3 MB/s per core (nova, 2
# cores). The parent lints its share meanwhile, so on 2 cores one worker is forked: on nova
# 34 (0.5 MB to save: a 1.5 MB file and 0.5 MB of others) that took 1.13 s to 0.95 s.
POOL_MIN_SAVED_BYTES = 256 * 1024
MAX_WORKERS = 8
# This process starts with this much less than a fair share: it also reads the index's next
# round ahead while the workers lint (see `Lookahead`), then takes the jobs no worker has
# started from the small end of their shares, so the processes finish together whatever the
# guess. Half a share hid nova 31's reader scan: 1.28 -> 1.20 s (none: 1.28; 0.3: 1.33, 0.7: 1.39
# before the engine was made faster; the optimum depends on where the hubs are).
PARENT_HEAD_START = 0.5
WORKER_START_SECONDS = 5.0
MAX_FILE_BYTES = DEFAULT_MAX_FILE_SIZE

# A file to parse: its shown path, the indexes of the rules active in it, its bytes, its module,
# and whether it is parsed while the project index is being built (see `_IndexRead`).
Job = tuple[str, tuple[int, ...], bytes, ModuleContext | None, "_IndexRead | None"]
# Work for this process once its own share is linted and the workers are still busy: given
# its results (by job number) and a test of whether the workers still are.
WhileWaiting = Callable[[dict[int, "FileResult"], Callable[[], bool]], None]

SYNTAX_ERROR = "EVL000"
DECODE_ERROR = "EVL001"
READ_ERROR = "EVL002"


@dataclass(frozen=True)
class FileResult:
    path: str
    diagnostics: tuple[Diagnostic, ...]
    text: str = ""
    fixed: int = 0  # fixes applied (or, with --diff, that would be)
    diff: str = ""
    fix_error: str | None = None
    fixed_source: bytes | None = None  # the fixed file's bytes, when fixes changed it
    internal_errors: tuple[InternalError, ...] = ()  # bugs caught on this file (EVL003), for --debug
    # Linted while the project index was being built: what the index needs of the module (if
    # asked), and what the file's resolution asked of an index without hubs.
    facts: ModuleFacts | None = None
    questions: Questions | None = None


@dataclass(frozen=True)
class _IndexRead:
    """A file linted while the project index is built: `tops` are the project's packages (the
    questions to record), `want_facts` whether the index reads this module, `known` the index
    as far as it is built (None: no hubs yet)."""

    tops: frozenset[str]
    want_facts: bool
    known: ProjectIndex | None = None


@dataclass(frozen=True)
class FixMode:
    """--fix (write) or --diff (show, write nothing); unsafe: --unsafe-fixes."""

    unsafe: bool = False
    write: bool = True
    # Where writing is allowed: the paths given, resolved (filled in by check_paths).
    roots: tuple[Path, ...] = ()


@dataclass(frozen=True)
class CheckResult:
    files: tuple[FileResult, ...]
    files_checked: int
    files_parsed: int
    # Every file checked, shown as in diagnostics: a baseline entry for one of them that is
    # not found again was fixed; one for a file outside them was not looked at.
    checked_paths: frozenset[str] = frozenset()
    baseline: BaselineOutcome | None = None  # set when findings were checked against a baseline
    index: ProjectIndex | None = None  # the project index, when it was built
    files_cached: int = 0  # files answered from the result cache

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return sorted((d for f in self.files for d in f.diagnostics), key=lambda d: d.sort_key)

    @property
    def fixed(self) -> int:
        return sum(result.fixed for result in self.files)

    def text_of(self, path: str) -> str:
        return self._texts.get(path, "")

    @functools.cached_property
    def _texts(self) -> dict[str, str]:
        return {result.path: result.text for result in self.files if result.text}


class RuleScope:
    """Which of the selected rules apply to a file: rule `paths` and per-file-ignores.

    `known` is every loaded rule: those of a selected catch-all's pack cover its sites
    even where they are not active (see CompiledRules).
    """

    def __init__(self, rules: Sequence[Rule], settings: Settings, known: Sequence[Rule] = ()) -> None:
        fallback_packs = {rule.pack for rule in rules if rule.fallback}
        extra = [r for r in known if r.pack in fallback_packs and not r.fallback and r not in rules]
        self.rules = (*rules, *extra)
        self.selected = len(rules)
        coverage = tuple(i for i, r in enumerate(self.rules) if r.pack in fallback_packs and not r.fallback)
        self.compiled = CompiledCache(self.rules, coverage)
        self.root = settings.project_root
        self._includes = [_spec(expand_paths(rule.include_paths, rule.options)) for rule in self.rules]
        self._excludes = [_spec(expand_paths(rule.exclude_paths, rule.options)) for rule in self.rules]
        self._per_file = [(_spec((pattern,)), codes) for pattern, codes in settings.per_file_ignores]

    def for_file(self, path: Path) -> tuple[int, ...]:
        relative = relative_posix(path, self.root)
        ignored = tuple(
            code for spec, codes in self._per_file if spec and spec.match_file(relative) for code in codes
        )
        active = []
        for index, rule in enumerate(self.rules[: self.selected]):
            include, exclude = self._includes[index], self._excludes[index]
            if include is not None and not include.match_file(relative):
                continue
            if exclude is not None and exclude.match_file(relative):
                continue
            if ignored and rule.id.startswith(ignored):
                continue
            active.append(index)
        return tuple(active)


class CompiledCache:
    """Compiled tables per distinct set of active rules (files mostly share a few sets)."""

    def __init__(self, rules: tuple[Rule, ...], coverage: tuple[int, ...] = ()) -> None:
        self.rules = rules
        self.coverage = coverage
        self._cache: dict[tuple[int, ...], CompiledRules] = {}

    def get(self, active: tuple[int, ...]) -> CompiledRules:
        compiled = self._cache.get(active)
        if compiled is None:
            reported = [self.rules[index] for index in active]
            covering = []
            if any(rule.fallback for rule in reported):
                covering = [self.rules[index] for index in self.coverage if index not in active]
            compiled = self._cache[active] = CompiledRules(reported, covering)
        return compiled


def _spec(patterns: Sequence[str]) -> pathspec.GitIgnoreSpec | None:
    return pathspec.GitIgnoreSpec.from_lines(patterns) if patterns else None


def display_path(path: Path) -> str:
    """Paths under the working directory are shown relative to it, as ruff and flake8 do."""
    if os.sep == "/" and path.is_absolute():  # normalised: string slicing is what relative_to does
        text, prefix = str(path), os.path.join(os.getcwd(), "")
        return text[len(prefix) :] if text.startswith(prefix) else text
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)


def check_paths(
    paths: Sequence[Path],
    rules: Sequence[Rule],
    settings: Settings,
    known: Sequence[Rule] = (),
    fix_mode: FixMode | None = None,
    *,
    suppress: bool = True,
    cache_dir: Path | None = None,
) -> CheckResult:
    """Check the files under `paths` with the selected `rules` (`known`: every loaded rule).

    With `fix_mode`, files with applicable fixes are fixed (or diffed) and their remaining
    findings reported. `suppress=False` keeps what `# noqa` comments would suppress (an
    inventory counts all). With a `cache_dir`, unchanged files of a plain check (no fixing,
    noqa applied) are answered from the result cache.
    """
    wants_dependencies = any(rule.selectors.dependency for rule in rules)
    files = Discoverer(settings, dependency_files=wants_dependencies).discover(paths)
    if fix_mode is not None or not suppress:
        cache_dir = None  # fixing rewrites files; an inventory keeps what noqa hides
    if fix_mode is not None and fix_mode.write:
        fix_mode = replace(fix_mode, roots=tuple(path.resolve() for path in paths))
    limit = settings.max_file_size

    def read(path: Path, shown: str) -> tuple[bytes, FileResult | None]:
        return read_source(path, shown, limit)

    return _check_files(
        files,
        read,
        rules,
        settings,
        known,
        fix_mode,
        suppress=suppress,
        named=paths,
        cache_dir=cache_dir,
    )


def check_source(
    path: Path,
    source: bytes,
    rules: Sequence[Rule],
    settings: Settings,
    known: Sequence[Rule] = (),
    fix_mode: FixMode | None = None,
) -> CheckResult:
    """`source` (read from standard input) checked as if it were the file `path`: the same
    rule paths, per-file-ignores and, with --force-exclude, excludes. With `fix_mode`
    (which must not write), the fixed bytes are in the result's `fixed_source`."""
    files = Discoverer(settings).discover([path])
    return _check_files(
        files, lambda _path, _shown: (source, None), rules, settings, known, fix_mode, named=[path]
    )


Reader = Callable[[Path, str], tuple[bytes, "FileResult | None"]]
# A file read and waiting to be linted: its path, shown path, active rules and bytes.
Pending = tuple[Path, str, tuple[int, ...], bytes]


def _check_files(
    files: Sequence[Path],
    read: Reader,
    rules: Sequence[Rule],
    settings: Settings,
    known: Sequence[Rule],
    fix_mode: FixMode | None = None,
    *,
    suppress: bool = True,
    named: Sequence[Path] = (),
    cache_dir: Path | None = None,
) -> CheckResult:
    """`named`: the paths given, whose packages the project index reads beyond `files`."""
    scope = RuleScope(rules, settings, known)
    sources = _Sources(files, read, settings, named, scope)
    cache = _open_cache(cache_dir, scope, settings, sources)
    stamps: dict[str, Stamp | None] = {}
    results, pending, shown_paths = _gather(files, scope, sources, cache, stamps, suppress)
    matching = [entry for entry in pending if scope.compiled.get(entry[2]).may_match(entry[3])]
    index = None
    if settings.project_index and pending:
        # Without a cache every file that may match is linted while the index is built: one
        # pool, one parse each (with a cache, the index was built before the cache was read).
        index = sources.index(matching if cache is None else (), suppress)
    matching_paths = {entry[0] for entry in matching}
    early, pending_jobs = _settled(pending, sources.early, index, matching_paths)
    jobs = _jobs(pending_jobs, matching_paths, index, settings)
    linted = [*early, *_run_jobs(scope.compiled, jobs, suppress, index)]
    parsed = {job[0] for job in jobs} | {result.path for result in early}
    for path, shown, _, _ in pending:  # files the pre-filter passed over have no findings
        if shown not in parsed:
            _store(cache, path, stamps.get(shown), FileResult(shown, ()))
    paths = {shown: path for path, shown, _, _ in pending}
    for result in linted:
        _store(cache, paths[result.path], stamps.get(result.path), result)
    results.extend(linted)
    if cache is not None:
        cache.save()
    if sources.facts_cache is not None:
        sources.facts_cache.save()
    if fix_mode is not None:
        results = _with_fixes(results, pending, scope.compiled, fix_mode, settings, index)
    hits = cache.hits if cache is not None else 0
    return CheckResult(
        tuple(results), len(files), len(parsed), frozenset(shown_paths), index=index, files_cached=hits
    )


def _gather(
    files: Sequence[Path],
    scope: RuleScope,
    sources: _Sources,
    cache: ResultCache | None,
    stamps: dict[str, Stamp | None],
    suppress: bool,
) -> tuple[list[FileResult], list[Pending], list[str]]:
    """Results known without parsing (cached, unreadable, dependency files), the Python files
    still to lint, and every file's shown path."""
    results: list[FileResult] = []
    pending: list[Pending] = []
    shown_paths = []
    for path in files:
        shown = display_path(path)
        shown_paths.append(shown)
        stat = _stat(path) if cache is not None else None
        found = cache.by_stat(path, stat) if cache is not None and stat is not None else None
        if found is not None:  # stored under this key, so checked with these rules: no need to ask
            results.append(_cached_result(path, shown, found))
            continue
        active = scope.for_file(path)
        if not active:
            continue  # (a file no rule applies to may still re-export eventlet: _Sources reads it)
        source = _read_or_cached(path, shown, sources, cache, stat, stamps)
        if isinstance(source, FileResult):  # from the cache, or an error reading it
            results.append(source)
        elif is_dependency_file(path.name):  # small files: no pre-filter, no pool
            results.append(lint_file(scope.compiled.get(active), shown, path.name, source, suppress=suppress))
            _store(cache, path, stamps.get(shown), results[-1])
        else:
            pending.append((path, shown, active, source))
    return results, pending, shown_paths


def _with_fixes(
    results: list[FileResult],
    pending: Sequence[Pending],
    compiled: CompiledCache,
    fix_mode: FixMode,
    settings: Settings,
    index: ProjectIndex | None,
) -> list[FileResult]:
    from evlint.project_index import ModuleNamer

    namer = ModuleNamer(settings.src)
    linted = {
        shown: (path, active, source, namer.context(path) if index is not None else None)
        for path, shown, active, source in pending
    }
    return [
        _fixed(result, *linted[result.path], compiled, fix_mode, index) if result.path in linted else result
        for result in results
    ]


def _read_or_cached(
    path: Path,
    shown: str,
    sources: _Sources,
    cache: ResultCache | None,
    stat: os.stat_result | None,
    stamps: dict[str, Stamp | None],
) -> FileResult | bytes:
    """The file's bytes, or its cached result if the cache has one for these bytes (or an
    error reading it). `stat` was taken before reading."""
    source, error = sources.read(path, shown)
    if error is not None:
        return error
    if cache is not None and stat is not None:
        found, stamps[shown] = cache.by_content(path, stat, source)
        if found is not None:
            return _cached_result(path, shown, found, source)
    return source


class _Sources:
    """Reads each file once, and gives the project index every Python file it needs.

    With a result cache, the index's digest is part of the cache key. Building the index
    reads every Python file; a run in which no file's size or mtime changed since the run
    that recorded it reuses that run's digest instead (`cached_index_digest`), so a warm run
    reads nothing, and the index itself is built only if some file must be linted.
    """

    def __init__(
        self, files: Sequence[Path], read: Reader, settings: Settings, named: Sequence[Path], scope: RuleScope
    ) -> None:
        self.files, self._read, self.settings, self.named, self.scope = files, read, settings, named, scope
        self._bytes: dict[Path, tuple[bytes, FileResult | None]] = {}
        self._index: ProjectIndex | None = None
        self.early: dict[Path, FileResult] = {}  # files linted while the index was built
        self.facts_cache: FactsCache | None = None
        self._facts_read: dict[Path, ModuleFacts | None] = {}  # by the files linted for the index
        self._early_jobs: dict[Path, Job] = {}  # how each `early` result was linted

    def read(self, path: Path, shown: str) -> tuple[bytes, FileResult | None]:
        found = self._bytes.get(path)
        if found is None:
            found = self._bytes[path] = self._read(path, shown)
        return found

    def index(self, also_lint: Sequence[Pending] = (), suppress: bool = True) -> ProjectIndex:
        """The project index. The files it parses are linted as they are parsed (`early`),
        together with those of `also_lint`."""
        if self._index is None:
            everything = []
            for path in self.python_files:
                # The rest of a partly checked package is read from disk, never through the
                # reader (which, for standard input, gives the one buffer for any path).
                checked = path in self._checked
                source, error = self.read(path, display_path(path)) if checked else read_source(path, "")
                if error is None:
                    everything.append(_source_file(path, source))
            self._index = self._build_index(everything, also_lint, suppress)
            self._bytes.clear()  # the files still to lint hold their own bytes; forked workers copy less
        return self._index

    def _build_index(self, files: list[SourceFile], extra: Sequence[Pending], suppress: bool) -> ProjectIndex:
        from evlint.project_index import ModuleNamer, build_index, index_targets

        namer = ModuleNamer(self.settings.src)
        extra_jobs = [
            (path, shown, active, source, namer.context(path)) for path, shown, active, source in extra
        ]

        def read_facts(
            modules: Sequence[tuple[SourceFile, ModuleContext]],
            tops: frozenset[str],
            known: ProjectIndex,
            ahead: Lookahead,
        ) -> dict[Path, ModuleFacts | None]:
            also = [job for job in extra_jobs if job[0] not in {file.path for file, _ in modules}]
            extra_jobs.clear()  # linted with the first modules the index reads, in the same pool
            return self._lint_for_facts(modules, also, tops, known, ahead, suppress)

        scans = self.facts_cache.scans(file.path for file in files) if self.facts_cache is not None else None
        return build_index(files, index_targets(self.scope.rules), namer, read_facts, scans)

    def _lint_for_facts(
        self,
        modules: Sequence[tuple[SourceFile, ModuleContext]],
        also: Sequence[tuple[Path, str, tuple[int, ...], bytes, ModuleContext | None]],
        tops: frozenset[str],
        known: ProjectIndex,
        ahead: Lookahead,
        suppress: bool,
    ) -> dict[Path, ModuleFacts | None]:
        """The modules' facts (from an earlier round or the cache, else from linting them), and
        `also` linted too, with their facts kept in case a later round reads them: results kept
        in `early`, to be checked against the finished index."""
        facts, missing = self._known_facts(modules)
        read = _IndexRead(tops, True, known)
        jobs = [self._facts_job(file.path, file.source, context, read) for file, context in missing]
        jobs.extend((shown, active, source, named, read) for _, shown, active, source, named in also)
        paths = [*(file.path for file, _ in missing), *(entry[0] for entry in also)]

        kept: set[int] = set()  # results kept before the round ended (those of this process)

        def look_ahead(mine: dict[int, FileResult], busy: Callable[[], bool]) -> None:
            for i, result in mine.items():
                self._keep(paths[i], jobs[i], result)
            kept.update(mine)
            read_here = {paths[i]: result.facts for i, result in mine.items()}
            self._read_ahead(ahead, {**facts, **read_here}, tops, suppress, busy)

        results = _run_jobs(self.scope.compiled, jobs, suppress, while_waiting=look_ahead)
        for i, (path, job, result) in enumerate(zip(paths, jobs, results, strict=True)):
            if i not in kept:  # (a result of this process may since have been linted again)
                self._keep(path, job, result)
        facts.update((file.path, self._facts_read[file.path]) for file, _ in missing)
        return facts

    def _facts_job(self, path: Path, source: bytes, context: ModuleContext | None, read: _IndexRead) -> Job:
        active = self.scope.for_file(path) if path in self._checked else ()
        return (display_path(path), active, source, context, read)

    def _keep(self, path: Path, job: Job, result: FileResult) -> None:
        """A file linted while the index is built: its facts (if it has a module) and result."""
        if job[3] is not None:
            self._facts_read[path] = result.facts
            if self.facts_cache is not None and not result.internal_errors:
                self.facts_cache.put(
                    self.facts_cache.key(job[2], job[3].name, job[3].is_package), result.facts
                )
        if path in self._checked:
            self.early[path] = replace(result, facts=None)
            self._early_jobs[path] = job

    def _read_ahead(
        self,
        ahead: Lookahead,
        facts: dict[Path, ModuleFacts | None],
        tops: frozenset[str],
        suppress: bool,
        busy: Callable[[], bool],
    ) -> None:
        """While workers finish this round: lint here the files the next rounds would read if
        the workers' files re-exported nothing, then re-lint what that index would answer
        otherwise. Kept as any early result is: each is checked against the finished index."""
        index, modules = ahead.next(facts)
        while modules and busy():
            read = _IndexRead(tops, True, index)
            for file, context in modules:
                if not busy():
                    return
                job = self._facts_job(file.path, file.source, context, read)
                self._keep(file.path, job, _lint_job(self.scope.compiled, job, suppress, None))
                facts[file.path] = self._facts_read[file.path]
            index, modules = ahead.next(facts)
        for path, result in list(self.early.items()):
            if not busy():
                return
            if result.questions is not None and not index.answers_like(result.questions):
                shown, active, source, module, _ = self._early_jobs[path]
                job = (shown, active, source, module, _IndexRead(tops, False, index))
                self.early[path] = _lint_job(self.scope.compiled, job, suppress, None)

    def _known_facts(
        self, modules: Sequence[tuple[SourceFile, ModuleContext]]
    ) -> tuple[dict[Path, ModuleFacts | None], list[tuple[SourceFile, ModuleContext]]]:
        """The facts read in an earlier round or cached for these modules' bytes, and the
        modules still to parse."""
        cache = self.facts_cache
        facts: dict[Path, ModuleFacts | None] = {}
        missing = []
        for file, context in modules:
            if file.path in self._facts_read:
                facts[file.path] = self._facts_read[file.path]
                continue
            found, cached = (
                cache.get(cache.key(file.source, context.name, context.is_package))
                if cache
                else (False, None)
            )
            if found:
                facts[file.path] = cached
            else:
                missing.append((file, context))
        return facts, missing

    @functools.cached_property
    def _checked(self) -> frozenset[Path]:
        return frozenset(path for path in self.files if not is_dependency_file(path.name))

    @functools.cached_property
    def python_files(self) -> list[Path]:
        """Every Python file the index reads: those checked, and the rest of their packages."""
        from evlint.project_index import ModuleNamer

        checked = [path for path in self.files if not is_dependency_file(path.name)]
        rest = _rest_of_packages(self.named, ModuleNamer(self.settings.src), self.settings)
        return [*checked, *(p for p in dict.fromkeys(rest) if p.suffix == ".py" and p not in self._checked)]


def _source_file(path: Path, source: bytes) -> SourceFile:
    from evlint.project_index import SourceFile

    return SourceFile(path, source)


def _settled(
    pending: Sequence[Pending], early: dict[Path, FileResult], index: ProjectIndex | None, matching: set[Path]
) -> tuple[list[FileResult], list[Pending]]:
    """Results of files linted while the index was built that the index would not change (it
    answers their questions as the index they were linted with did), and the files still to lint.

    Only of files that are to be linted (`matching` or read by the index): one linted ahead
    for an index that turned out otherwise (see `Lookahead`) is not.
    """
    if index is None or not early:
        return [], list(pending)
    done, rest = [], []
    for entry in pending:
        to_lint = entry[0] in matching or entry[0] in index.readers
        result = early.get(entry[0]) if to_lint else None
        if result is not None and result.questions is not None and index.answers_like(result.questions):
            done.append(replace(result, questions=None))
        else:
            rest.append(entry)
    return done, rest


def _jobs(
    pending: Sequence[Pending], matching: set[Path], index: ProjectIndex | None, settings: Settings
) -> list[Job]:
    """The files to parse: those a rule may match (`matching`), and those that may use a hub's names."""
    if index is None:
        return [
            (shown, active, source, None, None) for path, shown, active, source in pending if path in matching
        ]
    from evlint.project_index import ModuleNamer

    namer = ModuleNamer(settings.src)
    return [
        (shown, active, source, namer.context(path), None)
        for path, shown, active, source in pending
        if path in index.readers or path in matching
    ]


def _rest_of_packages(named: Sequence[Path], namer: ModuleNamer, settings: Settings) -> list[Path]:
    """Files of the top-level packages that the named paths are only a part of.

    `evlint check myproj/api.py` (as pre-commit runs it) still sees `myproj/concurrency.py`.
    """
    tops = []
    for path in named:
        top = namer.top_package_dir(path)
        if top is not None and top != Path(os.path.abspath(path)) and top not in tops:
            tops.append(top)
    return Discoverer(settings).discover(tops) if tops else []


def _open_cache(
    directory: Path | None, scope: RuleScope, settings: Settings, sources: _Sources
) -> ResultCache | None:
    if directory is None:
        return None
    from evlint.cache import FactsCache, ResultCache, cached_index_digest

    affecting = (str(settings.project_root), repr(settings.per_file_ignores), repr(settings.src))
    index_digest = ""
    if settings.project_index:
        sources.facts_cache = FactsCache.open(directory, settings.project_root)
        index_digest = cached_index_digest(
            directory,
            sources.python_files,
            lambda: sources.index().fingerprint(),
            (*(repr(rule) for rule in scope.rules), *affecting),
        )
    return ResultCache.open(directory, scope.rules, scope.selected, affecting, index_digest)


def _stat(path: Path) -> os.stat_result | None:
    try:
        return path.stat()
    except OSError:
        return None


def _cached_result(path: Path, shown: str, found: tuple[Diagnostic, ...], source: bytes = b"") -> FileResult:
    """A cached file's findings, under the path it is shown by now, with its text for code frames."""
    if not found:
        return FileResult(shown, ())
    diagnostics = tuple(replace(d, path=shown) for d in found)
    try:
        text = _decode_or_blank(source or path.read_bytes())
    except OSError:
        text = ""
    return FileResult(shown, diagnostics, text)


def _decode_or_blank(source: bytes) -> str:
    try:
        return decode_source(source)
    except (UnicodeDecodeError, LookupError, SyntaxError):
        return ""


def _store(cache: ResultCache | None, path: Path, stamp: Stamp | None, result: FileResult) -> None:
    if cache is not None and stamp is not None and not result.internal_errors:  # a crash is not an answer
        cache.store(path, stamp, result.diagnostics)


def read_source(path: Path, shown: str, limit: int | None = None) -> tuple[bytes, FileResult | None]:
    """The file's bytes, or its one-diagnostic result when it cannot be read or is over `limit`."""
    limit = limit or MAX_FILE_BYTES
    try:
        status = path.stat()
        if not S_ISREG(status.st_mode):  # a FIFO or a device would block or never end
            return b"", file_error(shown, READ_ERROR, "Cannot read file: not a regular file")
        if status.st_size > limit:
            size = status.st_size
            message = f"File is {size} bytes, over the {limit} byte limit (max-file-size); not checked"
            return b"", file_error(shown, READ_ERROR, message)
        return path.read_bytes(), None
    except OSError as error:
        return b"", file_error(shown, READ_ERROR, f"Cannot read file: {error.strerror or error}")


def file_error(shown: str, code: str, message: str, row: int = 1, column: int = 1) -> FileResult:
    location = Location(row, column)
    return FileResult(shown, (Diagnostic(code, message, shown, location, location, Severity.ERROR),))


def _cores() -> int:
    """The cores this process may run on (a container or taskset may allow fewer than exist)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1  # pragma: no cover - macOS and Windows


def pool_size(sizes: Sequence[int]) -> int:
    """Processes that lint files of these sizes, this one included; 1: this one alone.

    Work is proportional to bytes, and one huge file (nova's test_driver.py is 1.5 MB of
    2 MB parsed) bounds what parallel workers can save whatever their number.
    """
    workers = min(_cores(), len(sizes), MAX_WORKERS)
    if workers < 2:
        return 1
    total = sum(sizes)
    longest = max(sizes)
    saved = total - max(longest, total / workers)
    return workers if saved >= POOL_MIN_SAVED_BYTES else 1


def _run_jobs(
    compiled: CompiledCache,
    jobs: list[Job],
    suppress: bool = True,
    index: ProjectIndex | None = None,
    while_waiting: WhileWaiting | None = None,
) -> list[FileResult]:
    processes = pool_size([len(job[2]) for job in jobs]) if jobs else 1
    if processes < 2:
        return [_lint_job(compiled, job, suppress, index) for job in jobs]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor  # not imported by a run that parses little

    *theirs, mine = _shares([len(job[2]) for job in jobs], processes)
    context = multiprocessing.get_context()
    started = context.Semaphore(0)
    claims = _Claims(context.Array("i", [bound for share in theirs for bound in (0, len(share))]))
    pool = ProcessPoolExecutor(
        max_workers=processes - 1,
        initializer=_init_worker,
        initargs=(compiled.rules, compiled.coverage, suppress, index, started, claims),
    )
    try:
        # Each worker gets its whole share as one task, and this process starts on its own
        # only once every worker has its task: the pool's threads here that hand tasks out
        # need the interpreter, which a parse here holds for its whole length (handing files
        # out one by one, as they were, cost nova 31 a quarter of a second).
        futures = [
            pool.submit(_lint_share_in_worker, worker, [jobs[i] for i in share])
            for worker, share in enumerate(theirs)
        ]
        for _ in theirs:
            started.acquire(timeout=WORKER_START_SECONDS)  # a worker that never starts: its future says why
        linted = {i: _lint_job(compiled, jobs[i], suppress, index) for i in mine}
        if while_waiting is not None:
            while_waiting(linted, lambda: not all(future.done() for future in futures))
        # Then the jobs no worker has started yet, from the small end of their shares.
        while (claimed := claims.take_last()) is not None:
            worker, position = claimed
            i = theirs[worker][position]
            linted[i] = _lint_job(compiled, jobs[i], suppress, index)
        for share, future in zip(theirs, futures, strict=True):
            linted.update((share[position], result) for position, result in future.result())
    except BaseException:  # Ctrl-C, SIGTERM: the workers go too, without finishing the queue
        stop_pool(pool)
        raise
    pool.shutdown()
    return [linted[i] for i in range(len(jobs))]


class _Claims:
    """Which jobs of each worker's share are still to start, in shared memory: a worker takes
    its share from the front, this process from the back once its own work is done."""

    def __init__(self, bounds: Any) -> None:
        self.bounds = bounds  # front and back of each share; a lock guards them

    def take_first(self, worker: int) -> int | None:
        with self.bounds.get_lock():
            front, back = self.bounds[2 * worker], self.bounds[2 * worker + 1]
            if front >= back:
                return None
            self.bounds[2 * worker] = front + 1
            return int(front)

    def take_last(self) -> tuple[int, int] | None:
        """A job from the share with the most left, or None when every job has started."""
        with self.bounds.get_lock():
            bounds = self.bounds[:]
            worker = max(range(len(bounds) // 2), key=lambda w: bounds[2 * w + 1] - bounds[2 * w])
            front, back = bounds[2 * worker], bounds[2 * worker + 1]
            if front >= back:
                return None
            self.bounds[2 * worker + 1] = back - 1
            return worker, int(back - 1)


def _shares(sizes: Sequence[int], processes: int) -> list[list[int]]:
    """Job indexes for each process, the last being this one: each job, largest first, goes
    to the least loaded process (on a tie a worker, so the largest file does not grow this
    one), this one counted as loaded with `PARENT_HEAD_START` of a fair share already."""
    loads = [0] * processes
    loads[-1] = int(sum(sizes) / processes * PARENT_HEAD_START)
    shares: list[list[int]] = [[] for _ in range(processes)]
    for i in sorted(range(len(sizes)), key=lambda i: -sizes[i]):
        least = min(range(processes), key=loads.__getitem__)
        loads[least] += sizes[i]
        shares[least].append(i)
    return shares


def _lint_job(compiled: CompiledCache, job: Job, suppress: bool, index: ProjectIndex | None) -> FileResult:
    shown, active, source, context, read = job
    return lint_one(
        compiled.get(active), shown, source, suppress, context=context, index=index, index_read=read
    )


_WORKER_CACHE = CompiledCache(())
_WORKER_SUPPRESS = True
_WORKER_INDEX: ProjectIndex | None = None
_WORKER_STARTED: Any = None  # a semaphore the worker releases as it starts its share
_WORKER_CLAIMS: _Claims | None = None


def _init_worker(
    rules: tuple[Rule, ...],
    coverage: tuple[int, ...],
    suppress: bool,
    index: ProjectIndex | None,
    started: Any,
    claims: _Claims,
) -> None:
    global _WORKER_CACHE, _WORKER_SUPPRESS, _WORKER_INDEX, _WORKER_STARTED, _WORKER_CLAIMS
    ignore_interrupts_in_worker()
    _WORKER_STARTED = started
    _WORKER_CLAIMS = claims
    _WORKER_CACHE = CompiledCache(rules, coverage)
    _WORKER_SUPPRESS = suppress
    _WORKER_INDEX = index


def _lint_share_in_worker(worker: int, jobs: list[Job]) -> list[tuple[int, FileResult]]:
    """The jobs of this worker's share that the parent did not take, by position in it."""
    claims, started = _WORKER_CLAIMS, _WORKER_STARTED
    assert claims is not None and started is not None, "the pool's initializer sets them"
    started.release()
    linted = []
    for position in iter(lambda: claims.take_first(worker), None):
        linted.append((position, _lint_job(_WORKER_CACHE, jobs[position], _WORKER_SUPPRESS, _WORKER_INDEX)))
    return linted


def lint_file(
    compiled: CompiledRules, shown: str, filename: str, source: bytes, *, suppress: bool = True
) -> FileResult:
    """One file of any kind evlint reads: Python, or a dependency declaration file."""
    if is_dependency_file(filename):
        try:
            return check_dependency_file(compiled, shown, filename, source, suppress)
        except Exception as error:  # a bug in evlint: this file gets EVL003, the run goes on
            return crashed(shown, capture(error, shown, "analysis"))
    return lint_one(compiled, shown, source, suppress)


def lint_one(
    compiled: CompiledRules,
    shown: str,
    source: bytes,
    suppress: bool = True,
    *,
    context: ModuleContext | None = None,
    index: ProjectIndex | None = None,
    index_read: _IndexRead | None = None,
) -> FileResult:
    """Decode, parse and match one file; a file that cannot be analysed becomes one diagnostic.

    With `index_read`, the file is linted while the project index is built: against the index
    as far as it is built, recording what it asks and the answers (and with the module's
    facts, if wanted).
    """
    try:
        text = decode_source(source)
    except (UnicodeDecodeError, LookupError, SyntaxError) as error:
        result = file_error(shown, DECODE_ERROR, f"Cannot decode file: {_reason(error)}")
        return result if index_read is None else replace(result, questions=_no_questions())
    if index_read is None:
        return lint_decoded(compiled, shown, text, suppress, context=context, index=index)
    from evlint.project_index import RecordingProject

    recorder = RecordingProject(index_read.tops, index_read.known)
    result = lint_decoded(
        compiled, shown, text, suppress, context=context, index=recorder, want_facts=index_read.want_facts
    )
    return replace(result, questions=recorder.questions())


def _no_questions() -> Questions:
    from evlint.project_index import Questions

    return Questions()


def lint_decoded(
    compiled: CompiledRules,
    shown: str,
    text: str,
    suppress: bool = True,
    *,
    context: ModuleContext | None = None,
    index: ProjectNames | None = None,
    want_facts: bool = False,
) -> FileResult:
    """Parse and match one file's text (an editor's buffer, flake8's lines); noqa applied unless
    `suppress` is off. `context` (the file's module) and `index` are the project index's."""
    from evlint.engine import lint_text
    from evlint.suppress import apply_noqa

    try:
        with _no_cyclic_gc():
            report = lint_text(
                shown, text, compiled, context if index is not None else None, index, want_facts=want_facts
            )
    except SyntaxError as error:
        row, column = error.lineno or 1, error.offset or 1
        return file_error(shown, SYNTAX_ERROR, f"SyntaxError: {error.msg}", row, max(column, 1))
    except ValueError as error:  # Python < 3.12: "source code string cannot contain null bytes"
        return file_error(shown, SYNTAX_ERROR, f"SyntaxError: {error}")
    except (RecursionError, MemoryError):
        return file_error(shown, SYNTAX_ERROR, "Code is nested too deeply to analyse")
    except Exception as error:  # a bug in evlint: this file gets EVL003, the run goes on
        return crashed(shown, capture(error, shown, "analysis"))
    # Reading noqa comments scans the whole text: only pay for it when something is reported.
    if suppress and report.diagnostics:
        kept = apply_noqa(report.diagnostics, report.text)
    else:
        kept = list(report.diagnostics)
    crashes = report.internal_errors
    kept.extend(crash.diagnostic() for crash in crashes)
    return FileResult(
        shown, tuple(kept), report.text if kept else "", internal_errors=crashes, facts=report.facts
    )


def crashed(shown: str, crash: InternalError, result: FileResult | None = None) -> FileResult:
    """`result` (or an empty one) with the internal error `crash` added as a finding."""
    result = result or FileResult(shown, ())
    return replace(
        result,
        diagnostics=(*result.diagnostics, crash.diagnostic()),
        internal_errors=(*result.internal_errors, crash),
    )


def _fixed(
    result: FileResult,
    path: Path,
    active: tuple[int, ...],
    source: bytes,
    context: ModuleContext | None,
    compiled: CompiledCache,
    mode: FixMode,
    index: ProjectIndex | None = None,
) -> FileResult:
    """The file (`source`, as checked) after its fixes, written to `path` unless mode.write is
    off (--diff, standard input); refused fixes leave it alone."""
    from evlint.atomic import ChangedSinceReadError, write_atomically
    from evlint.engine import lint_text
    from evlint.fix.apply import (
        MAX_ROUNDS,
        FixRefusedError,
        fix_source,
        is_applicable,
        unified_diff,
    )
    from evlint.suppress import apply_noqa

    if not any(is_applicable(d.fix, unsafe=mode.unsafe) for d in result.diagnostics):
        return result
    rules = compiled.get(active)

    def lint(text: str) -> tuple[Diagnostic, ...]:
        report = lint_text(result.path, text, rules, context if index is not None else None, index)
        return tuple(apply_noqa(report.diagnostics, text))

    try:
        encoding = source_encoding(source)
        original = source.decode(encoding)
        fixed = fix_source(original, lint, unsafe=mode.unsafe, diagnostics=result.diagnostics)
        if not fixed.converged:
            raise FixRefusedError(
                f"the fixes did not settle after {MAX_ROUNDS} rounds (rules that undo each other?)"
            )
        if fixed.text == original:
            return result
        data = fixed.text.encode(encoding)
        if mode.write:
            if path.is_symlink():
                raise FixRefusedError("it is a symbolic link; fix the file it points to")
            if not _inside(path, mode.roots):
                raise FixRefusedError("it is outside the paths given (reached through a symbolic link)")
            write_atomically(path, data, expected=source)
    except ChangedSinceReadError:
        return replace(result, fix_error="fixes not applied: the file changed since it was checked")
    except (FixRefusedError, OSError, UnicodeError, SyntaxError) as error:
        return replace(result, fix_error=f"fixes not applied: {error}")
    except Exception as error:  # a bug in a fix: reported, the file left as it was
        crash = capture(error, result.path, "fixing")
        return replace(crashed(result.path, crash, result), fix_error="fixes not applied: internal error")
    diff = "" if mode.write else unified_diff(result.path, original, fixed.text)
    crashes = result.internal_errors
    kept = (*fixed.diagnostics, *(crash.diagnostic() for crash in crashes))
    text = fixed.text if kept else ""
    return FileResult(
        result.path, kept, text, fixed=fixed.fixes, diff=diff, fixed_source=data, internal_errors=crashes
    )


def _inside(path: Path, roots: Sequence[Path]) -> bool:
    """Whether `path`, symbolic links resolved, is one of `roots` or below one."""
    real = path.resolve()
    return any(real == root or real.is_relative_to(root) for root in roots)


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Pause the cycle collector while one file is parsed and matched.

    A parse allocates hundreds of thousands of AST nodes, which trigger collection after
    collection, each walking every node still alive: `ast.parse` of nova's 1.5 MB
    test_driver.py takes 1.07 s with the collector and 0.66 s without (fresh process, loaded
    machine), and the matching after it gains as much. The tree holds no cycles, so reference
    counting frees it; the few cycles of scopes are collected once the collector runs again.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def check_dependency_file(
    compiled: CompiledRules, shown: str, filename: str, source: bytes, suppress: bool = True
) -> FileResult:
    """Dependencies the rules name, declared in a requirements, setup.cfg or pyproject file."""
    from evlint.engine import diagnostic_for
    from evlint.suppress import apply_line_noqa

    text = source.decode("utf-8", errors="replace")
    diagnostics = [
        diagnostic_for(
            compiled.rules[index],
            declared.name,
            shown,
            Location(declared.row, declared.column),
            Location(declared.row, declared.end_column),
        )
        for declared in declarations(filename, text)
        for index in compiled.dependencies.get(normalize_distribution(declared.name), ())
    ]
    kept = apply_line_noqa(diagnostics, text) if suppress else diagnostics
    return FileResult(shown, tuple(kept), text if kept else "")


def decode_source(source: bytes) -> str:
    """Python's own rules: a BOM or a PEP 263 coding declaration, else UTF-8."""
    return source.decode(source_encoding(source))


def source_encoding(source: bytes) -> str:
    """The codec Python reads the file with (`utf-8-sig` when it starts with a BOM)."""
    encoding, _ = tokenize.detect_encoding(io.BytesIO(source).readline)
    return encoding


def _reason(error: Exception) -> str:
    if isinstance(error, UnicodeDecodeError):
        return f"invalid {error.encoding} byte at offset {error.start}"
    return str(error)
