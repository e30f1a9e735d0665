#!/usr/bin/env python3
"""`evlint report` over many projects: one run for all of them, cold, against its 30 s budget,
and `--merge` of each project's own JSON report, which must give the same documents.

Run from the repository root:

    python3 benchmarks/report_projects.py --governance GOV/projects.yaml [--governance ...]
        [--projects benchmarks/openstack_projects.txt | --tree DIR] [--teams FILE] [--json OUT]
        [--rounds N] [--skip-merge]

The 30 s budget, on an idle machine (the tree and governance files of issue 19's note):

    python3 benchmarks/report_projects.py --tree /work/tree19 --skip-merge --rounds 3 \
        --governance /work/gov19/projects.yaml --governance /work/gov19/technical-committee-repos.yaml \
        --governance /work/gov19/sigs-repos.yaml --governance /work/gov19/legacy.yaml \
        --teams /work/gov19/x-namespace.yaml

The projects are fetched and assembled as ``benchmarks/many_projects.py`` does (``TREE/NAME``,
hard links). Timed (wall and CPU of the child processes): ONE ``evlint report TREE/* -o DIR``
with the team map, cold (an empty EVLINT_CACHE_DIR each time: `report` reads no result
cache, but the entry-point analysis keeps its scans); CPU is user + system of evlint and
every process it started, and CPU / 2 is what the run takes on two idle cores if both are
kept busy (under load, wall time is noise). Then, untimed, one ``evlint report TREE/NAME
--output-format json`` per project, and ``evlint report --merge *.json`` with the same team map,
also timed. Printed: a Markdown table (one row per timed run), the teams and the repositories
left in "Unknown Team", and whether the merged documents equal the single run's, file by file.
Exit status 1 if they differ or a run fails.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parent


def _many_projects() -> ModuleType:
    spec = importlib.util.spec_from_file_location("evlint_bench_many", HERE / "many_projects.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def timed(many: ModuleType, argv: Sequence[str], scratch: Path) -> tuple[float, float]:
    """(wall, CPU) of one cold run: its own empty cache directory (the entry-point scans'
    cache would otherwise make the next run warm)."""
    cache = Path(tempfile.mkdtemp(prefix="cache-", dir=scratch))
    run = many.bench.timed_child(argv, env={**os.environ, "EVLINT_CACHE_DIR": str(cache)})
    return run.wall_s, run.cpu_s


def python_size(tree: Path) -> tuple[int, int]:
    """(Python files, their lines) under `tree`."""
    files = lines = 0
    for path in tree.rglob("*.py"):
        if path.is_file() and not path.is_symlink():
            files += 1
            with path.open("rb") as handle:
                lines += sum(1 for _ in handle)
    return files, lines


def _median(timings: Sequence[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(w for w, _ in timings), statistics.median(c for _, c in timings)


def documents(directory: Path) -> dict[str, str]:
    return {path.name: path.read_text(encoding="utf-8") for path in sorted(directory.iterdir())}


def merge_run(
    many: ModuleType, evlint: str, tree: Path, names: Sequence[str], mapping: Sequence[str], scratch: Path
) -> tuple[dict[str, str], tuple[float, float]]:
    """Each project's JSON report (untimed), then `--merge` of them all (timed): its documents."""
    reports = scratch / "json"
    reports.mkdir()
    for name in names:
        target = str(reports / f"{name}.json")
        timed(many, [evlint, "report", str(tree / name), "--output-format", "json", "-o", target], scratch)
    merge = [evlint, "report", "--merge", *(str(reports / f"{n}.json") for n in names), *mapping]
    timing = timed(many, [*merge, "-o", str(scratch / "merged")], scratch)
    return documents(scratch / "merged"), timing


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=Path, default=HERE / "openstack_projects.txt")
    parser.add_argument("--tree", type=Path, help="every subdirectory is a project; nothing is fetched")
    parser.add_argument("--governance", type=Path, action="append", default=[])
    parser.add_argument("--teams", type=Path, action="append", default=[])
    parser.add_argument("--json", type=Path)
    parser.add_argument("--rounds", type=int, default=1, help="timed one-run reports (the median is shown)")
    parser.add_argument("--skip-merge", action="store_true", help="time the one run only")
    args = parser.parse_args(argv)
    many = _many_projects()
    evlint = str(Path(sys.executable).with_name("evlint"))
    mapping = [arg for path in args.governance for arg in ("--governance", str(path))]
    mapping += [arg for path in args.teams for arg in ("--teams", str(path))]
    with tempfile.TemporaryDirectory(prefix="evlint-bench-report-") as scratch_name:
        scratch = Path(scratch_name)
        if args.tree is not None:
            tree = args.tree.resolve()
        else:
            projects, failures = many.fetch_projects(many.read_pins(args.projects))
            if failures:
                print(f"not fetched: {', '.join(failures)}", file=sys.stderr)
                return 1
            tree = scratch / "tree"
            many.assemble(projects, tree)
        names = sorted(p.name for p in tree.iterdir() if p.is_dir() and not p.name.startswith("."))
        one_run = [evlint, "report", *(str(tree / n) for n in names), *mapping, "-o", str(scratch / "one")]
        timings = [timed(many, one_run, scratch) for _ in range(max(1, args.rounds))]
        rows = {"report, one run": _median(timings)}
        one = documents(scratch / "one")
        merged = one
        if not args.skip_merge:
            merged, rows["--merge of per-project JSON"] = merge_run(
                many, evlint, tree, names, mapping, scratch
            )
        index = one.get("index.md", "")
        files, lines = python_size(tree)
    same = one == merged
    print(f"{len(names)} projects, {files} Python files, {lines} lines; {len(one) - 1} team documents\n")
    print(f"cores: {len(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity') else os.cpu_count()}")
    print("| run | wall (s) | CPU, user + system (s) | CPU / 2 (s) |\n|---|---|---|---|")
    for label, (wall, cpu) in rows.items():
        print(f"| {label} | {wall:.1f} | {cpu:.1f} | {cpu / 2:.1f} |")
    unknown = [line.split(" | ")[2] for line in index.splitlines() if line.startswith("| Unknown Team | ")]
    if not args.skip_merge:
        print(f"\nmerged documents equal the one run's: {same}")
    print(f"repositories in Unknown Team: {len(unknown)} {' '.join(unknown)}")
    if args.json is not None:
        result = {
            "projects": len(names),
            "python_files": files,
            "lines": lines,
            "rows": rows,
            "same": same if not args.skip_merge else None,
            "unknown": unknown,
        }
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
