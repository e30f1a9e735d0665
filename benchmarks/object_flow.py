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
import compileall
import json
import resource
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


def variants(
    evlint: Path, ruff: Path, corpus: Path, config: Path, baseline: Path | None = None
) -> dict[str, list[str]]:
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
    found = {
        "evlint (object flow on)": [*check, "--select", "EVL"],
        "evlint (object flow off)": [*check, "--select", "EVL", "--ignore", "EVL8"],
        "ruff": [str(ruff), "check", str(corpus), "--config", str(config), *RUFF_FLAGS],
    }
    if baseline is not None:  # another checkout's evlint, run by the same Python
        python = evlint.parent / "python"
        other = ["env", f"PYTHONPATH={baseline}", str(python), "-m", "evlint", *check[1:]]
        found["baseline (object flow on)"] = [*other, "--select", "EVL"]
        found["baseline (object flow off)"] = [*other, "--select", "EVL", "--ignore", "EVL8"]
    return found


def timed(argv: Sequence[str]) -> tuple[float, float]:
    """Wall time, and the CPU time (user + system) of the process and its workers: on a
    shared, loaded machine the CPU time is the steadier measure of the work done."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, check=True, capture_output=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--corpus", default="nova==31.0.0")
    parser.add_argument("--evlint", type=Path, default=Path(sys.executable).parent / "evlint")
    parser.add_argument("--json", type=Path, default=HERE / "object_flow.json")
    parser.add_argument(
        "--baseline",
        type=Path,
        help="the src/ directory of another checkout (e.g. main's), timed in the same rounds",
    )
    args = parser.parse_args(argv)
    corpus = bench.corpus_dir(args.corpus)
    bench.byte_compile_evlint(args.evlint)
    ruff = args.evlint.parent / "ruff"
    with tempfile.TemporaryDirectory() as scratch:
        config = Path(scratch) / "ruff.toml"
        config.write_text(bench.RUFF_CONFIG)
        if args.baseline is not None:
            compileall.compile_dir(str(args.baseline), quiet=1)
        commands = variants(args.evlint, ruff, corpus, config, args.baseline)
        walls: dict[str, list[float]] = {name: [] for name in commands}
        cpus: dict[str, list[float]] = {name: [] for name in commands}
        names = list(commands)
        for round_index in range(args.runs):
            turn = names[round_index % len(names) :] + names[: round_index % len(names)]
            for name in turn:
                wall, cpu = timed(commands[name])
                walls[name].append(wall)
                cpus[name].append(cpu)
    cpu_medians = {name: statistics.median(times) for name, times in cpus.items()}
    medians = {name: statistics.median(times) for name, times in walls.items()}
    ruff_time = medians["ruff"]
    rows = [
        {
            "variant": name,
            "median_s": round(median, 3),
            "x_ruff": round(median / ruff_time, 2),
            "median_cpu_s": round(cpu_medians[name], 3),
        }
        for name, median in medians.items()
    ]
    on, off = medians["evlint (object flow on)"], medians["evlint (object flow off)"]
    print(f"{'variant':28} {'median s':>9} {'x ruff':>7} {'CPU s':>7}")
    for row in rows:
        print(
            f"{row['variant']:28} {row['median_s']:>9.3f} {row['x_ruff']:>7.2f} {row['median_cpu_s']:>7.3f}"
        )
    print(f"object flow adds {on - off:+.3f} s ({(on / off - 1) * 100:+.1f} %) on {args.corpus}")
    if args.baseline is not None:
        base_on, base_off = medians["baseline (object flow on)"], medians["baseline (object flow off)"]
        print(
            f"baseline: object flow adds {(base_on / base_off - 1) * 100:+.1f} %; this checkout / baseline,"
        )
        print(f"  flow on: {on / base_on:.3f}, flow off: {off / base_off:.3f} (wall)")
        cpu_on, cpu_off = cpu_medians["evlint (object flow on)"], cpu_medians["evlint (object flow off)"]
        base_cpu_on = cpu_medians["baseline (object flow on)"]
        base_cpu_off = cpu_medians["baseline (object flow off)"]
        print(f"  flow on: {cpu_on / base_cpu_on:.3f}, flow off: {cpu_off / base_cpu_off:.3f} (CPU)")
    document = {
        **bench.run_stamp(),
        "corpus": args.corpus,
        "runs": args.runs,
        "rows": rows,
        "walls": walls,
        "cpus": cpus,
    }
    args.json.write_text(json.dumps(document, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
