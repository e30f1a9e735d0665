"""The process pool: lint many jobs on every core, this process included.

Each worker gets its share of the jobs as one task; this process lints its own share
meanwhile (and whatever its caller gives it to do while it waits: see `run_jobs`), then
takes the jobs no worker has started from the back of their shares, through claims in
shared memory, so the processes finish together whatever the shares' guess.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from evlint.interrupt import ignore_interrupts_in_worker, stop_pool
from evlint.runner.jobs import JobResult, Linter, LintJob
from evlint.runner.orphans import die_with_parent
from evlint.speed import TRICKS

# Worker processes are started only when they would save parsing this many bytes of wall
# time: forking one took 10-70 ms here, and the engine reads 2.5-3 MB/s per core (nova, 2
# cores). The parent lints its share meanwhile, so on 2 cores one worker is forked: on nova
# 34 (0.5 MB to save: a 1.5 MB file and 0.5 MB of others) that took 1.13 s to 0.95 s.
POOL_MIN_SAVED_BYTES = 256 * 1024
MAX_WORKERS = 8
WORKER_START_SECONDS = 5.0


@dataclass(frozen=True)
class HereFirst:
    """How this process lints its own jobs: smallest first, each as `prepare` makes it from
    the results so far (in an index round: against an index with the facts of the modules
    linted so far, so that fewer files are linted again once the round's index is known)."""

    prepare: Callable[[LintJob, Mapping[int, JobResult]], LintJob]


def _lint_here(
    linter: Linter, jobs: Sequence[LintJob], mine: Sequence[int], here: HereFirst | None
) -> dict[int, JobResult]:
    if here is None:
        return {i: linter.run(jobs[i]) for i in mine}
    linted: dict[int, JobResult] = {}
    for i in sorted(mine, key=lambda i: len(jobs[i].source)):
        linted[i] = linter.run(here.prepare(jobs[i], linted))
    return linted


def cores() -> int:
    """The cores this process may run on (a container or taskset may allow fewer than exist)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1  # pragma: no cover - macOS and Windows


def pool_size(sizes: Sequence[int]) -> int:
    """Processes that lint files of these sizes, this one included; 1: this one alone.

    Work is proportional to bytes, and one huge file (nova's test_driver.py is 1.5 MB of
    2 MB parsed) bounds what parallel workers can save whatever their number.
    """
    workers = min(cores(), len(sizes), MAX_WORKERS)
    if workers < 2 or not TRICKS.pool:
        return 1
    total = sum(sizes)
    longest = max(sizes)
    saved = total - max(longest, total / workers)
    return workers if saved >= POOL_MIN_SAVED_BYTES else 1


def run_jobs(linter: Linter, jobs: Sequence[LintJob], here: HereFirst | None = None) -> list[JobResult]:
    """Each job's result, in the order of `jobs`."""
    processes = pool_size([len(job.source) for job in jobs]) if jobs else 1
    if processes < 2:
        alone = _lint_here(linter, jobs, range(len(jobs)), here)
        return [alone[i] for i in range(len(jobs))]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor  # not imported by a run that parses little

    *theirs, mine = shares([len(job.source) for job in jobs], processes)
    context = multiprocessing.get_context()
    started = context.Semaphore(0)
    claims = Claims(context.Array("i", [bound for share in theirs for bound in (0, len(share))]))
    worker_state = _Worker(linter, started, claims, os.getpid())
    pool = ProcessPoolExecutor(max_workers=processes - 1, initializer=_init_worker, initargs=(worker_state,))
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
        linted = _lint_here(linter, jobs, mine, here)
        # Then the jobs no worker has started yet, from the small end of their shares.
        while TRICKS.claims and (claimed := claims.take_last()) is not None:
            worker, position = claimed
            i = theirs[worker][position]
            linted[i] = linter.run(jobs[i])
        for share, future in zip(theirs, futures, strict=True):
            linted.update((share[position], result) for position, result in _share_results(future))
    except BaseException:  # Ctrl-C, SIGTERM: the workers go too, without finishing the queue
        stop_pool(pool)
        raise
    pool.shutdown()
    # A worker that died (killed, out of memory) took its results with it: its jobs are
    # linted here, as are those of the workers the broken pool stopped.
    return [linted[i] if i in linted else linter.run(jobs[i]) for i in range(len(jobs))]


def _share_results(future: Any) -> list[tuple[int, JobResult]]:
    """A worker's results; none if the pool broke (a worker process died)."""
    from concurrent.futures.process import BrokenProcessPool

    try:
        return list(future.result())
    except BrokenProcessPool:
        return []


class Claims:
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


def shares(sizes: Sequence[int], processes: int) -> list[list[int]]:
    """Job indexes for each process, the last being this one: each job, largest first, goes
    to the least loaded process (on a tie a worker, so the largest file does not grow this
    one)."""
    loads = [0] * processes
    result: list[list[int]] = [[] for _ in range(processes)]
    for i in sorted(range(len(sizes)), key=lambda i: -sizes[i]):
        least = min(range(processes), key=loads.__getitem__)
        loads[least] += sizes[i]
        result[least].append(i)
    return result


class _Worker:
    """What a pool worker holds for its life: the linter, the semaphore it releases as it
    starts its share, and the claims it takes its jobs through."""

    def __init__(self, linter: Linter, started: Any, claims: Claims, parent: int) -> None:
        self.linter, self.started, self.claims, self.parent = linter, started, claims, parent


_WORKER: _Worker | None = None  # set in each worker process by the pool's initializer


def _init_worker(worker: _Worker) -> None:
    global _WORKER
    die_with_parent(worker.parent)
    ignore_interrupts_in_worker()
    _WORKER = worker


def _lint_share_in_worker(worker: int, jobs: list[LintJob]) -> list[tuple[int, JobResult]]:
    """The jobs of this worker's share that the parent did not take, by position in it."""
    state = _WORKER
    assert state is not None, "the pool's initializer sets it"
    state.started.release()
    return [
        (position, state.linter.run(jobs[position]))
        for position in iter(lambda: state.claims.take_first(worker), None)
    ]
