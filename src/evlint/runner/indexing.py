"""Building one project's index in the same parse that lints its files.

The index reads its modules in rounds (see `evlint.index.build`). Here each module a round
reads is linted in the pool against the index as far as it is built, recording what its
resolution asks of the index (`IndexRead`); the result is kept (`early`) and used if the
finished index answers those questions alike, so each file is parsed once.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from evlint.discover import display_path
from evlint.model import FileResult
from evlint.module_facts import ModuleFacts
from evlint.names import ModuleContext
from evlint.pyparse import decode_source
from evlint.runner.jobs import IndexRead, JobResult, Linter, LintJob, Pending
from evlint.runner.pool import HereFirst, run_jobs
from evlint.runner.sources import Sources
from evlint.speed import TRICKS

# A file of this process is linted against a newer index (see `_FactsSoFar`) only when
# linting it takes this many times longer than building that index took.
_REBUILD_FACTOR = 10
_BYTES_PER_SECOND = 3_000_000

if TYPE_CHECKING:
    from evlint.cache.index import FactsCache
    from evlint.index.build import IndexRound
    from evlint.index.model import ProjectIndex, SourceFile
    from evlint.rulescope import RuleScope


@dataclass(frozen=True)
class Early:
    """A file linted while the index was built, and the job that linted it."""

    job: LintJob
    result: JobResult


class IndexBuild:
    """The project index of `sources`, built once; `early` holds the results of the files it
    linted on the way. With a facts cache, unchanged modules' facts come from there."""

    def __init__(
        self, sources: Sources, scope: RuleScope, linter: Linter, facts_cache: FactsCache | None
    ) -> None:
        self.sources, self.scope, self.linter, self.facts_cache = sources, scope, linter, facts_cache
        self.early: dict[Path, Early] = {}
        self._index: ProjectIndex | None = None
        self._facts_read: dict[Path, ModuleFacts | None] = {}
        self._also: Sequence[Pending] = ()
        self._candidates: Sequence[Pending] = ()

    def index(self, also_lint: Sequence[Pending] = (), candidates: Sequence[Pending] = ()) -> ProjectIndex:
        """The project index; `also_lint` are linted with the first modules it reads, in the
        same pool, and so are those of `candidates` the first round's index already has among
        its readers (the files that may call a spawn wrapper, known before any round)."""
        if self._index is None:
            from evlint.index.build import build_index
            from evlint.index.model import SourceFile, index_makers, index_targets
            from evlint.index.module_order import order_names
            from evlint.index.spawn_wrappers import wants_wrappers

            files = [
                SourceFile(path, source)
                for path in self.sources.python_files
                if (source := self.sources.read_for_index(path)) is not None
            ]
            namer = self.sources.namer
            self._also, self._candidates = also_lint, candidates
            scans = self.facts_cache.scans(f.path for f in files) if self.facts_cache is not None else None
            targets = index_targets(self.scope.rules)
            read = self._read_round if TRICKS.one_parse else parse_facts
            makers = index_makers(self.scope.selected_rules)  # (objects of rules not selected: no facts)
            order = order_names(self.scope.selected_rules)  # (index.module_order)
            spawns = wants_wrappers(self.scope.selected_rules)  # (index.spawn_wrappers)
            self._index = build_index(files, targets, namer, read, scans, makers, order, spawns)
            self.sources.forget()
        return self._index

    def settled(self, path: Path, index: ProjectIndex) -> FileResult | None:
        """The early result of `path` if the finished `index` would not change it."""
        early = self.early.get(path)
        questions = early.result.questions if early is not None else None
        if early is None or questions is None or not index.answers_like(questions):
            return None
        return early.result.result

    def _read_round(self, round_: IndexRound) -> dict[Path, ModuleFacts | None]:
        """The round's modules' facts (from an earlier round or the cache, else from linting
        them), with the files to `also` lint linted too, the first time."""
        facts, missing = self._known_facts(round_.modules)
        read = IndexRead(round_.tops, True, round_.known)
        jobs = [self._job(file.path, file.source, context, read) for file, context in missing]
        paths = [file.path for file, _ in missing]
        reading = set(paths)
        for entry in (*self._also, *(e for e in self._candidates if e.path in round_.known.readers)):
            if entry.path not in reading:
                reading.add(entry.path)
                jobs.append(LintJob.of(entry, self.sources.namer.context(entry.path), read))
                paths.append(entry.path)
        self._also, self._candidates = (), ()
        here = _FactsSoFar(round_, paths, len(missing)).here() if TRICKS.facts_so_far else None
        for path, job, result in zip(paths, jobs, run_jobs(self.linter, jobs, here), strict=True):
            self._keep(path, job, result)
        facts.update((file.path, self._facts_read[file.path]) for file, _ in missing)
        return facts

    def _job(self, path: Path, source: bytes, module: ModuleContext | None, read: IndexRead) -> LintJob:
        active = self.scope.for_file(path) if path in self.sources.checked else ()
        return LintJob(display_path(path), active, source, module, read)

    def _keep(self, path: Path, job: LintJob, result: JobResult) -> None:
        """A file linted while the index is built: its facts (if it has a module) and result."""
        if job.module is not None:
            self._facts_read[path] = result.facts
            if self.facts_cache is not None and not result.result.internal_errors:
                key = self.facts_cache.key(job.source, job.module.name, job.module.is_package)
                self.facts_cache.put(key, result.facts)
        if path in self.sources.checked:
            self.early[path] = Early(job, replace(result, facts=None))

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


class _FactsSoFar:
    """This process lints its jobs of a round against the index the rounds before make with
    the facts of the round's modules it has linted so far (it lints its smallest first): a
    file that asks about a hub read in the same round is then linted again only if the hub
    was read elsewhere. The index is built again only for a file that takes much longer to
    lint than the build (the engine reads about 3 MB/s)."""

    def __init__(self, round_: IndexRound, paths: Sequence[Path], modules: int) -> None:
        self.round, self.paths, self.modules = round_, paths, modules
        self._used: set[int] = set()
        self._known = round_.known
        self._build_seconds = 0.0

    def here(self) -> HereFirst:
        return HereFirst(self._prepare)

    def _prepare(self, job: LintJob, linted: Mapping[int, JobResult]) -> LintJob:
        read = job.index_read
        if read is None:
            return job
        new = [i for i in linted if i < self.modules and i not in self._used]
        if new and len(job.source) / _BYTES_PER_SECOND > _REBUILD_FACTOR * self._build_seconds:
            self._used.update(new)
            start = time.perf_counter()
            self._known = self.round.so_far.index({self.paths[i]: linted[i].facts for i in self._used})
            self._build_seconds = time.perf_counter() - start
        return job if self._known is read.known else job.again(replace(read, known=self._known))


def parse_facts(round_: IndexRound) -> dict[Path, ModuleFacts | None]:
    """The facts of each module, parsed here for the index alone."""
    from evlint.engine import module_facts  # (a warm run answered from the cache never parses)

    found: dict[Path, ModuleFacts | None] = {}
    for file, context in round_.modules:
        try:
            found[file.path] = module_facts(str(file.path), decode_source(file.source), context)
        except (SyntaxError, ValueError, UnicodeDecodeError, LookupError, RecursionError, MemoryError):
            found[file.path] = None  # the file's own check reports it; it re-exports nothing
    return found
