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
import statistics
import subprocess
import sys
import tempfile
import time
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
    started = time.perf_counter()
    entrypoint_verdicts(tree)
    print(time.perf_counter() - started)
"""


def fetch_corpus(spec: str) -> Path:
    proc = subprocess.run(["bash", str(FETCH_SCRIPT), spec], check=True, capture_output=True, text=True)
    return Path(proc.stdout.strip().splitlines()[-1])


def run_once(tree: Path, variant: str) -> tuple[float, float | None]:
    with tempfile.TemporaryDirectory(prefix="evlint-bench-cache-") as cache:
        env = {**os.environ, "EVLINT_CACHE_DIR": cache}
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", CHILD, str(tree), variant],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        wall = time.perf_counter() - started
    lines = done.stdout.split()
    return wall, float(lines[-1]) if lines else None


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--corpus", default="nova==31.0.0")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    tree = fetch_corpus(args.corpus)
    walls: dict[str, list[float]] = {variant: [] for variant in VARIANTS}
    analysis: list[float] = []
    for round_ in range(args.runs):
        for variant in VARIANTS if round_ % 2 == 0 else reversed(VARIANTS):
            wall, inner = run_once(tree, variant)
            walls[variant].append(wall)
            if inner is not None:
                analysis.append(inner)
            print(f"round {round_ + 1}: {variant} {wall:.2f}s", file=sys.stderr, flush=True)
    medians = {variant: statistics.median(values) for variant, values in walls.items()}
    added = medians["report+entrypoints"] / medians["report"] - 1
    result = {
        "corpus": args.corpus,
        "runs": args.runs,
        "median_seconds": medians,
        "analysis_median_seconds": statistics.median(analysis),
        "added_share": added,
        "walls": walls,
    }
    print(f"{args.corpus}, {args.runs} runs, medians")
    print(f"  report                   {medians['report']:.2f} s")
    print(f"  report+entrypoints       {medians['report+entrypoints']:.2f} s")
    print(f"  the analysis alone       {result['analysis_median_seconds']:.2f} s")
    print(f"  added to the cold report {added:+.1%}")
    if args.json is not None:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
