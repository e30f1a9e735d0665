#!/usr/bin/env python3
"""What object flow (EVL801-EVL809) costs on a cold run, against ruff's cold run in the same run.

    python3 benchmarks/object_flow.py [--runs 5] [--corpus nova==31.0.0] [--json PATH]

Three variants take turns within each round, so a slow stretch of the shared machine hits
them alike: `evlint check --no-cache --select EVL` (object flow on), the same with
`--ignore EVL8` (object flow off: with no object rule selected the pass never runs), and
`ruff check --no-cache --select TID251` with benchmarks/run.py's banned-API config. The
table gives each variant's median wall time, evlint's as a multiple of ruff's, and what the
flow pass adds. ruff is the dev venv's (beside the evlint run), evlint's modules are
byte-compiled first, as an installed evlint has them.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run as bench  # benchmarks/run.py: measuring, corpora, byte-compiling

HERE = Path(__file__).resolve().parent

RUFF_FLAGS = ("--select", "TID251", "--output-format", "concise", "--quiet", "--exit-zero", "--no-cache")


def variants(evlint: Path, ruff: Path, corpus: Path, config: Path) -> dict[str, list[str]]:
    check = [
        str(evlint),
        "check",
        str(corpus),
        "-q",
        "--output-format",
        "concise",
        "--exit-zero",
        "--no-cache",
    ]
    return {
        "evlint (object flow on)": [*check, "--select", "EVL"],
        "evlint (object flow off)": [*check, "--select", "EVL", "--ignore", "EVL8"],
        "ruff": [str(ruff), "check", str(corpus), "--config", str(config), *RUFF_FLAGS],
    }


def timed(argv: Sequence[str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, check=True, capture_output=True)
    return time.perf_counter() - start


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--corpus", default="nova==31.0.0")
    parser.add_argument("--evlint", type=Path, default=Path(sys.executable).parent / "evlint")
    parser.add_argument("--json", type=Path, default=HERE / "object_flow.json")
    args = parser.parse_args(argv)
    corpus = bench.corpus_dir(args.corpus)
    bench.byte_compile_evlint(args.evlint)
    ruff = args.evlint.parent / "ruff"
    with tempfile.TemporaryDirectory() as scratch:
        config = Path(scratch) / "ruff.toml"
        config.write_text(bench.RUFF_CONFIG)
        commands = variants(args.evlint, ruff, corpus, config)
        walls: dict[str, list[float]] = {name: [] for name in commands}
        names = list(commands)
        for round_index in range(args.runs):
            turn = names[round_index % len(names) :] + names[: round_index % len(names)]
            for name in turn:
                walls[name].append(timed(commands[name]))
    medians = {name: statistics.median(times) for name, times in walls.items()}
    ruff_time = medians["ruff"]
    rows = [
        {"variant": name, "median_s": round(median, 3), "x_ruff": round(median / ruff_time, 2)}
        for name, median in medians.items()
    ]
    on, off = medians["evlint (object flow on)"], medians["evlint (object flow off)"]
    print(f"{'variant':28} {'median s':>9} {'x ruff':>7}")
    for row in rows:
        print(f"{row['variant']:28} {row['median_s']:>9.3f} {row['x_ruff']:>7.2f}")
    print(f"object flow adds {on - off:+.3f} s ({(on / off - 1) * 100:+.1f} %) on {args.corpus}")
    document = {**bench.run_stamp(), "corpus": args.corpus, "runs": args.runs, "rows": rows, "walls": walls}
    args.json.write_text(json.dumps(document, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
