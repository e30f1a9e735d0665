"""A check's files answered from the results an earlier check in this process kept
(`evlint.cache.results_reuse`), and the results of this one kept for the next.

Each file still to lint after the index is built is looked up by its key; one whose index
answers its questions alike is not linted. The others are linted recording their
questions, which the finished index answers exactly as it would without recording.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from evlint.cache.results_reuse import file_key, rule_texts, scope_key
from evlint.index.model import Questions
from evlint.model import FileResult
from evlint.runner.jobs import IndexRead, JobResult, LintJob

if TYPE_CHECKING:
    from evlint.index.model import ProjectIndex
    from evlint.runner.indexing import IndexBuild
    from evlint.runner.project import ProjectCheck, _Plan


def reuse_results(check: ProjectCheck, plan: _Plan, index: ProjectIndex | None) -> list[FileResult]:
    """The results kept for the plan's jobs that still stand; those jobs leave the plan, and
    the rest are made to record their questions."""
    assert check.reuse is not None
    scope, texts = _scope(check), rule_texts(check.scope.rules)
    reused, jobs = [], []
    for job in plan.jobs:
        found = check.reuse.lookup(_key(scope, job), index, texts)
        if found is not None:
            reused.append(found)
        elif index is not None:
            jobs.append(job.again(IndexRead(index.tops, False, index)))
        else:
            jobs.append(job)
    plan.jobs[:] = jobs
    return reused


def keep_results(
    check: ProjectCheck,
    plan: _Plan,
    job_results: Sequence[JobResult],
    build: IndexBuild | None,
    index: ProjectIndex | None,
) -> None:
    """Keep what this check linted: the results settled while the index was built (with the
    questions they asked then) and those of the plan's jobs."""
    assert check.reuse is not None
    scope, texts = _scope(check), rule_texts(check.scope.rules)
    early = build.early if build is not None else {}
    settled = {result.path for result in plan.settled}
    for entry in early.values():
        if entry.job.shown in settled:
            check.reuse.keep(_key(scope, entry.job), entry.result.result, entry.result.questions, texts)
    for job, job_result in zip(plan.jobs, job_results, strict=True):
        questions = job_result.questions if index is not None else Questions()
        check.reuse.keep(_key(scope, job), job_result.result, questions, texts)


def _scope(check: ProjectCheck) -> str:
    settings = check.settings
    affecting = (
        str(settings.project_root),
        repr(settings.per_file_ignores),
        repr(settings.src),
        str(settings.max_file_size),
        str(settings.project_index),
    )
    return scope_key(check.scope.rules, check.scope.selected, affecting, check.suppress)


def _key(scope: str, job: LintJob) -> str:
    return file_key(scope, job.shown, job.source, job.active, job.module)
