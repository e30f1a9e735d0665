"""Collecting many projects: each one's inventory and entry-point verdict, the projects
spread over one process per core.

Each worker process is pinned to a core of its own, so a project's check sees one core and
lints in its process alone: a pool started per project cost more than it saved once the
projects themselves run side by side. A worker takes the next project as soon as it is done
with one; the largest projects (by the size of their Python files) go first, so that the
processes finish together.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evlint.interrupt import ignore_interrupts_in_worker, stop_pool
from evlint.model import EvlintError
from evlint.report.collect import inspect_project
from evlint.report.inventory import ProjectInventory
from evlint.report.teams import TeamMap
from evlint.report.verdicts import with_verdict_of
from evlint.runner.orphans import die_with_parent

OnProject = Callable[[str], None]


@dataclass(frozen=True)
class CollectSettings:
    """What every project of a run is collected with."""

    rules_dirs: tuple[Path, ...] = ()
    project_index: bool = True  # False: --no-project-index
    teams: TeamMap | None = None


def collect_projects(
    paths: Sequence[Path], how: CollectSettings, on_project: OnProject | None = None
) -> tuple[ProjectInventory, ...]:
    """One inventory per project directory, with its verdict, in the order given; names
    must differ. `on_project` is called with each project's name as it is done."""
    cores = allowed_cores()
    if len(paths) < 2 or len(cores) < 2:
        found = []
        for path in paths:
            found.append(collect_one(how, path))
            if on_project is not None:
                on_project(found[-1].name)
    else:
        found = _in_parallel(paths, how, cores[: len(paths)], on_project)
    _check_names(paths, found)
    return tuple(found)


def collect_one(how: CollectSettings, path: Path) -> ProjectInventory:
    """One project's inventory and its entry-point verdict, which reads the files the
    project's check discovered (one walk of the project, not two)."""
    inspected = inspect_project(path, how.rules_dirs, project_index=how.project_index, teams=how.teams)
    return with_verdict_of(inspected.inventory, inspected.files)


def allowed_cores() -> list[int]:
    """The cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return sorted(os.sched_getaffinity(0))
    return [0]  # pragma: no cover - macOS and Windows: one process


def _in_parallel(
    paths: Sequence[Path], how: CollectSettings, cores: list[int], on_project: OnProject | None
) -> list[ProjectInventory]:
    context = multiprocessing.get_context("fork" if sys.platform == "linux" else None)
    counter = context.Value("i", 0)
    pool = ProcessPoolExecutor(
        len(cores), mp_context=context, initializer=_start_worker, initargs=(cores, counter, os.getpid())
    )
    try:
        # Largest first, so that no large project starts last while the other cores idle.
        order = sorted(range(len(paths)), key=lambda i: -python_bytes(paths[i]))
        submitted = {i: pool.submit(collect_one, how, paths[i]) for i in order}
        futures = [submitted[i] for i in range(len(paths))]
        if on_project is not None:
            for future in futures:
                future.add_done_callback(_reporting(on_project))
        found = [future.result() for future in futures]
    except Exception:  # a project's error: the projects under way finish, no others start
        pool.shutdown(cancel_futures=True)
        raise
    except BaseException:  # Ctrl-C, SIGTERM: the workers go at once
        stop_pool(pool)
        raise
    pool.shutdown()
    return found


def python_bytes(top: Path) -> int:
    """The size of the Python files under `top` (hidden directories left out): a project's
    cost, roughly. Over 228 OpenStack projects this costs a second of CPU."""
    total, stack = 0, [str(top)]
    while stack:
        try:
            entries = os.scandir(stack.pop())
        except OSError:
            continue
        with entries:
            for entry in entries:
                try:
                    if entry.name.endswith(".py"):
                        total += entry.stat(follow_symlinks=False).st_size
                    elif entry.is_dir(follow_symlinks=False) and not entry.name.startswith("."):
                        stack.append(entry.path)
                except OSError:
                    continue
    return total


def _reporting(on_project: OnProject) -> Callable[[Future[ProjectInventory]], None]:
    def done(future: Future[ProjectInventory]) -> None:
        if not future.cancelled() and future.exception() is None:
            on_project(future.result().name)

    return done


def _start_worker(cores: list[int], counter: Any, parent: int) -> None:
    """Pin this worker to the next core: its projects' checks then lint in this process."""
    die_with_parent(parent)
    ignore_interrupts_in_worker()
    with counter.get_lock():
        index = counter.value
        counter.value += 1
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {cores[index % len(cores)]})


def _check_names(paths: Sequence[Path], found: Sequence[ProjectInventory]) -> None:
    seen: dict[str, ProjectInventory] = {}
    for path, project in zip(paths, found, strict=True):
        other = seen.setdefault(project.name, project)
        if other is not project:
            raise EvlintError(f"{path}: project name {project.name!r} is also {other.root}")
