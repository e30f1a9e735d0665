#!/usr/bin/env python3
"""`evlint report` over many projects: one run for all of them, cold, against its 30 s budget,
and `--merge` of each project's own JSON report, which must give the same documents.

Run from the repository root:

    python3 benchmarks/report_projects.py --governance GOV/projects.yaml [--governance ...]
        [--projects benchmarks/openstack_projects.txt | --tree DIR] [--teams FILE] [--json OUT]

The projects are fetched and assembled as ``benchmarks/many_projects.py`` does (``TREE/NAME``,
hard links). Timed (wall and CPU of the child processes): ONE ``evlint report TREE/* -o DIR``
with the team map (cold: `report` uses no cache); then, untimed, one ``evlint report TREE/NAME
--output-format json`` per project, and ``evlint report --merge *.json`` with the same team map,
also timed. Printed: a Markdown table (one row per timed run), the teams and the repositories
left in "Unknown Team", and whether the merged documents equal the single run's, file by file.
Exit status 1 if they differ or a run fails.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import resource
import subprocess
import sys
import tempfile
import time
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


def timed(argv: Sequence[str]) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(argv[:4])} ... failed: {done.stderr[-2000:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def documents(directory: Path) -> dict[str, str]:
    return {path.name: path.read_text(encoding="utf-8") for path in sorted(directory.iterdir())}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=Path, default=HERE / "openstack_projects.txt")
    parser.add_argument("--tree", type=Path, help="every subdirectory is a project; nothing is fetched")
    parser.add_argument("--governance", type=Path, action="append", default=[])
    parser.add_argument("--teams", type=Path, action="append", default=[])
    parser.add_argument("--json", type=Path)
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
        rows = {"report, one run": timed(one_run)}
        reports = scratch / "json"
        reports.mkdir()
        for name in names:
            target = str(reports / f"{name}.json")
            timed([evlint, "report", str(tree / name), "--output-format", "json", "-o", target])
        merge = [evlint, "report", "--merge", *(str(reports / f"{n}.json") for n in names), *mapping]
        rows["--merge of per-project JSON"] = timed([*merge, "-o", str(scratch / "merged")])
        one, merged = documents(scratch / "one"), documents(scratch / "merged")
        index = one.get("index.md", "")
    same = one == merged
    print(f"{len(names)} projects, {len(one) - 1} team documents\n")
    print("| run | wall (s) | CPU (s) |\n|---|---|---|")
    for label, (wall, cpu) in rows.items():
        print(f"| {label} | {wall:.1f} | {cpu:.1f} |")
    unknown = [line.split(" | ")[2] for line in index.splitlines() if line.startswith("| Unknown Team | ")]
    print(f"\nmerged documents equal the one run's: {same}")
    print(f"repositories in Unknown Team: {len(unknown)} {' '.join(unknown)}")
    if args.json is not None:
        result = {"projects": len(names), "rows": rows, "same": same, "unknown": unknown}
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
