#!/usr/bin/env python3
"""What the entry-point analysis adds to a cold `evlint report`.

    python3 benchmarks/entrypoints.py [--runs 7] [--corpus nova==31.0.0] [--json PATH]

Two variants take turns within each round (the order alternates), each in a fresh Python
process with an empty cache directory: `report` runs `evlint report TREE` in-process;
`report+entrypoints` runs the same report and then `evlint.api.entrypoint_verdicts(TREE)`,
as the report will when it shows each project's verdict. The table gives the median wall
time of each (process start-up included, the same in both), the median time of the
analysis alone (measured inside the second variant), and the share it adds:
`report+entrypoints / report - 1`, medians of the same run. The corpus is fetched with
`../shared/corpus/fetch.sh`; evlint runs from this interpreter's environment.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FETCH_SCRIPT = REPO.parent / "shared" / "corpus" / "fetch.sh"
VARIANTS = ("report", "report+entrypoints")

# Run in the child: the report (its output thrown away), then, for the second variant, the
# analysis; prints the analysis's own time.
CHILD = """
import os, sys, time
from pathlib import Path
from evlint.cli import main
tree = Path(sys.argv[1])
try:
    main(["report", str(tree), "-o", os.devnull], standalone_mode=False)
except SystemExit:
    pass
if sys.argv[2] == "report+entrypoints":
    from evlint.api import entrypoint_verdicts
    started, cpu = time.perf_counter(), time.process_time()
    entrypoint_verdicts(tree)
    print(time.perf_counter() - started, time.process_time() - cpu)
"""


def fetch_corpus(spec: str) -> Path:
    proc = subprocess.run(["bash", str(FETCH_SCRIPT), spec], check=True, capture_output=True, text=True)
    return Path(proc.stdout.strip().splitlines()[-1])


@dataclass(frozen=True)
class Run:
    wall: float  # seconds, the whole process
    cpu: float  # user + system seconds of the process and its workers
    analysis_wall: float | None  # the analysis alone, inside the process
    analysis_cpu: float | None


def run_once(tree: Path, variant: str) -> Run:
    with tempfile.TemporaryDirectory(prefix="evlint-bench-cache-") as cache:
        env = {**os.environ, "EVLINT_CACHE_DIR": cache}
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", CHILD, str(tree), variant],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    inner = [float(value) for value in done.stdout.split()]
    return Run(wall, cpu, inner[0] if inner else None, inner[1] if inner else None)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--corpus", default="nova==31.0.0")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    tree = fetch_corpus(args.corpus)
    runs: dict[str, list[Run]] = {variant: [] for variant in VARIANTS}
    for round_ in range(args.runs):
        for variant in VARIANTS if round_ % 2 == 0 else reversed(VARIANTS):
            run = run_once(tree, variant)
            runs[variant].append(run)
            print(
                f"round {round_ + 1}: {variant} {run.wall:.2f}s wall, {run.cpu:.2f}s cpu",
                file=sys.stderr,
                flush=True,
            )
    inner = runs["report+entrypoints"]
    result = {
        "corpus": args.corpus,
        "runs": args.runs,
        "median_wall": {v: statistics.median(r.wall for r in found) for v, found in runs.items()},
        "median_cpu": {v: statistics.median(r.cpu for r in found) for v, found in runs.items()},
        "analysis_median_wall": statistics.median(r.analysis_wall or 0.0 for r in inner),
        "analysis_median_cpu": statistics.median(r.analysis_cpu or 0.0 for r in inner),
        "runs_detail": {v: [asdict(r) for r in found] for v, found in runs.items()},
    }
    wall, cpu = result["median_wall"], result["median_cpu"]
    print(f"{args.corpus}, {args.runs} runs, medians        wall      cpu")
    for variant in VARIANTS:
        print(f"  {variant:<30}{wall[variant]:7.2f} s {cpu[variant]:7.2f} s")
    alone = f"{result['analysis_median_wall']:7.2f} s {result['analysis_median_cpu']:7.2f} s"
    print(f"  {'the analysis alone':<30}{alone}")
    added_wall = wall["report+entrypoints"] / wall["report"] - 1
    added_cpu = cpu["report+entrypoints"] / cpu["report"] - 1
    print(f"  {'added to the cold report':<30}{added_wall:+7.1%}   {added_cpu:+7.1%}")
    print(
        f"  {'analysis / report':<30}{result['analysis_median_wall'] / wall['report']:7.1%}   "
        f"{result['analysis_median_cpu'] / cpu['report']:7.1%}"
    )
    if args.json is not None:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
