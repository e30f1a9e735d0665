"""A project's entry points, each analysed, and the project's verdict: the worst of its
declared scripts' (of every entry point when it declares none) with the blockers behind it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from evlint.entrypoints.graph import ModuleFile, ProjectModules, ScanStore
from evlint.entrypoints.metadata import SCRIPT_GROUPS, EntryPoint, declared_entry_points
from evlint.entrypoints.verdict import MAIN_GROUP, ONLY, SEVERITY, TESTS_GROUP, EntryPointResult, analyze
from evlint.names import ModuleContext

_TEST_DIRECTORIES = ("tests", "test")


@dataclass(frozen=True)
class ProjectEntryPoints:
    """What `evlint entrypoints` finds in one project.

    `verdict`: the worst verdict of the declared scripts (console, GUI and WSGI scripts),
    or of every entry point when none is declared; None when the project has none.
    `blockers`: for an `eventlet-only` verdict, what makes it so, most common first, e.g.
    "nova.utils imports eventlet at import time (nova/utils.py:31; 12 entry points)".
    """

    root: Path
    entry_points: tuple[EntryPointResult, ...]
    verdict: str | None
    blockers: tuple[str, ...]
    problems: tuple[str, ...] = ()  # metadata that could not be read, one line each


def analyze_project(
    root: Path,
    files: Sequence[Path],
    context_of: Callable[[Path], ModuleContext | None],
    store: ScanStore | None = None,
) -> ProjectEntryPoints:
    modules = {
        context.name: ModuleFile(_shown(path, root), context)
        for path in files
        if path.suffix == ".py" and (context := context_of(path)) is not None
    }
    absolute = {_shown(path, root): path for path in files}
    graph = ProjectModules(modules, lambda shown: _read(absolute.get(shown, shown)), store or ScanStore())
    declared = declared_entry_points(root)
    points = [*declared.entry_points, *_runnable_modules(modules, graph)]
    results = tuple(analyze(point, graph) for point in points)
    verdict, blockers = summarize(results)
    return ProjectEntryPoints(root, results, verdict, blockers, declared.problems)


def summarize(results: Sequence[EntryPointResult]) -> tuple[str | None, tuple[str, ...]]:
    scripts = [r for r in results if r.entry_point.group in SCRIPT_GROUPS and SEVERITY[r.verdict] >= 0]
    counted = scripts or [r for r in results if SEVERITY[r.verdict] >= 0]
    if not counted:
        return None, ()
    worst = max((r.verdict for r in counted), key=SEVERITY.__getitem__)
    if worst != ONLY:
        return worst, ()
    reasons = Counter(reason for r in counted if r.verdict == ONLY for reason in dict.fromkeys(_blockers(r)))
    return worst, tuple(
        f"{reason} ({count} entry point{'s' if count > 1 else ''})" for reason, count in reasons.most_common()
    )


def _blockers(result: EntryPointResult) -> list[str]:
    found = [f"unconditional monkey patch at {p.location}" for p in result.patches if not p.switchable]
    found.extend(
        f"{chain.split(' → ')[-2]} imports {chain.split(' → ')[-1]}" for chain in result.eventlet_imports
    )
    return found


def _runnable_modules(modules: dict[str, ModuleFile], graph: ProjectModules) -> list[EntryPoint]:
    """Modules with an `if __name__ == "__main__":` block (outside tests), `__main__` modules,
    and the test packages (`tests` and those right below it) whose `__init__` sets up patching,
    which a test runner imports first."""
    found = []
    for name, file in sorted(modules.items()):
        parts = name.split(".")
        in_tests = any(part in _TEST_DIRECTORIES for part in parts)
        if in_tests:
            is_test_package = file.context.is_package and (
                parts[-1] in _TEST_DIRECTORIES or (len(parts) > 1 and parts[-2] in _TEST_DIRECTORIES)
            )
            if is_test_package and graph.decides_patching(name):
                found.append(EntryPoint(name, TESTS_GROUP, name, None, str(file.path)))
            continue
        if parts[-1] == "__main__" or b"__main__" in (graph.source(name) or b""):
            scan = graph.scan(name)
            if parts[-1] == "__main__" or (scan is not None and scan.has_main_guard):
                found.append(EntryPoint(name, MAIN_GROUP, name, None, str(file.path)))
    return found


def _shown(path: Path, root: Path) -> Path:
    try:
        return path.relative_to(root)
    except ValueError:
        return path


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None
