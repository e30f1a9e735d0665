"""A file to lint and how: the records the runner's stages and the pool's workers share."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from evlint.lint_file import Project, lint_python
from evlint.model import FileResult
from evlint.module_facts import ModuleFacts
from evlint.names import ModuleContext
from evlint.rulescope import CompiledCache

if TYPE_CHECKING:
    from evlint.index.model import ProjectIndex, Questions


@dataclass(frozen=True)
class Pending:
    """A file read and waiting to be linted."""

    path: Path
    shown: str
    active: tuple[int, ...]  # the rules active in it, by index in the scope's rules
    source: bytes


@dataclass(frozen=True)
class IndexRead:
    """How a file is linted while the project index is built: against `known`, the index as
    far as it is built, recording each question about the project's packages (`tops`) with
    its answer; with the module's facts if the index reads this module (`want_facts`)."""

    tops: frozenset[str]
    want_facts: bool
    known: ProjectIndex


@dataclass(frozen=True)
class LintJob:
    """A file to parse: its shown path, active rules, bytes and module, and, while the
    project index is built, how (else it is linted against the finished index)."""

    shown: str
    active: tuple[int, ...]
    source: bytes
    module: ModuleContext | None
    index_read: IndexRead | None = None

    @staticmethod
    def of(pending: Pending, module: ModuleContext | None, index_read: IndexRead | None = None) -> LintJob:
        return LintJob(pending.shown, pending.active, pending.source, module, index_read)

    def again(self, index_read: IndexRead) -> LintJob:
        return replace(self, index_read=index_read)


@dataclass(frozen=True)
class JobResult:
    """A job's result; for a job linted while the index was built, the module's facts and
    what its resolution asked of the unfinished index."""

    result: FileResult
    facts: ModuleFacts | None = None
    questions: Questions | None = None


@dataclass(frozen=True)
class Linter:
    """What every job of one project's run is linted with: the compiled rules, whether
    noqa comments apply, and the finished project index (None: none, or not yet)."""

    compiled: CompiledCache
    suppress: bool = True
    index: ProjectIndex | None = None

    def run(self, job: LintJob) -> JobResult:
        compiled = self.compiled.get(job.active)
        read = job.index_read
        if read is None:
            project = Project(job.module, self.index)
            linted = lint_python(compiled, job.shown, job.source, suppress=self.suppress, project=project)
            return JobResult(linted.result)
        from evlint.index.model import RecordingProject  # only a run that builds an index needs it

        recorder = RecordingProject(read.tops, read.known)
        linted = lint_python(
            compiled,
            job.shown,
            job.source,
            suppress=self.suppress,
            project=Project(job.module, recorder),
            want_facts=read.want_facts,
        )
        return JobResult(linted.result, linted.facts, recorder.questions())
