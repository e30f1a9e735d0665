#!/usr/bin/env python3
"""Cold evlint against cold ruff, in the same rounds: the ratio the issues' "within 5x" means.

Run from the repository root (an idle machine gives the numbers to quote):

    python3 benchmarks/cold.py [--runs 7] [--corpus nova==31.0.0] [--evlint PATH] [--ruff PATH]
                               [--baseline PATH]

Four variants take turns within each round (the order rotating from round to round), so a
slow stretch of a shared machine hits them alike:

* ``ruff``: ``ruff check --no-cache --select TID251`` with benchmarks/run.py's banned-API config;
* ``evlint (eventlet pack)``: ``evlint check --no-cache --ignore EVB,EVH``, the eventlet pack alone;
* ``evlint (defaults)``: ``evlint check --no-cache``, the eventlet and eventlet-libs packs;
* ``evlint (both new packs)``: ``--extend-select EVB,EVH``, migration-hazards on too.

With ``--floor``, ``python: parse only`` joins them: ``benchmarks/parse_floor.py`` parsing,
with ``ast`` on every core, the files evlint with both new packs parses, and nothing else
(the list is made once, before the rounds, by the evlint this Python imports): the floor
under evlint's design.

With ``--baseline PATH`` (another evlint, e.g. a script running an older checkout's
``src``) its three variants join the same rounds, named ``baseline: ...``: before and after
in one run. The table gives each variant's median, min and max wall time and evlint's median as a multiple
of ruff's median in the same run; each run is measured as benchmarks/run.py measures (wall
time, the process tree's peak PSS). evlint's modules are byte-compiled first, as an installed
evlint has them; evlint and ruff default to the ones beside this Python. ``--json`` writes the
samples too.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run as bench  # benchmarks/run.py: the measuring, the corpora

EVLINT_FLAGS = ("-q", "--output-format", "concise", "--exit-zero", "--no-cache")
PACKS = {
    "evlint (eventlet pack)": ("--ignore", "EVB,EVH"),
    "evlint (defaults)": (),
    "evlint (both new packs)": ("--extend-select", "EVB,EVH"),
}


def variants(
    evlint: Path, ruff: Path, corpus: Path, scratch: Path, baseline: Path | None = None
) -> list[bench.Variant]:
    ruff_argv = (str(ruff), "check", str(corpus), "--config", str(scratch / "ruff.toml"), "--no-cache")
    ruff_argv += ("--select", "TID251", "--output-format", "concise", "--quiet", "--exit-zero")
    cache = {"EVLINT_CACHE_DIR": str(scratch / "evlint-cache")}  # (unused: --no-cache)
    found = [bench.Variant("ruff", "cold", ruff_argv)]
    tools = [("", evlint)] + ([("baseline: ", baseline)] if baseline is not None else [])
    for prefix, exe in tools:
        for name, extra in PACKS.items():
            argv = (str(exe), "check", str(corpus), *EVLINT_FLAGS, *extra)
            found.append(bench.Variant(prefix + name, "cold", argv, env=cache))
    return found


def parse_floor(corpus: Path, scratch: Path) -> bench.Variant:
    """`parse_floor.py parse` of the files evlint parses with both new packs, listed now by
    the evlint this Python imports (not `--evlint`, which may be another install)."""
    script = Path(__file__).resolve().parent / "parse_floor.py"
    listing = subprocess.run(
        [sys.executable, str(script), "list", str(corpus), *PACKS["evlint (both new packs)"]],
        check=True,
        capture_output=True,
        text=True,
    )
    files = scratch / "parsed-files.txt"
    files.write_text(listing.stdout, encoding="utf-8")
    return bench.Variant("python: parse only", "cold", (sys.executable, str(script), "parse", str(files)))


def rows(results: Sequence[bench.Result]) -> list[dict[str, object]]:
    ruff = next(statistics.median(s.wall_s for s in r.samples) for r in results if r.tool == "ruff")
    found: list[dict[str, object]] = []
    for result in results:
        walls = [sample.wall_s for sample in result.samples]
        median = statistics.median(walls)
        found.append(
            {
                "variant": result.tool,
                "runs": len(walls),
                "median_s": round(median, 3),
                "min_s": round(min(walls), 3),
                "max_s": round(max(walls), 3),
                "x_ruff": round(median / ruff, 2),
                "peak_pss_mib": round(max(s.tree_pss_kib for s in result.samples) / 1024, 1),
                "findings": result.samples[-1].findings,
            }
        )
    return found


def table(corpus: str, found: Sequence[dict[str, object]]) -> str:
    lines = [
        f"| {corpus}, cold | median s | min-max s | x ruff (medians) | peak PSS MiB | findings |",
        "|---|---|---|---|---|---|",
    ]
    for row in found:
        spread = f"{row['min_s']:.2f}-{row['max_s']:.2f}"
        lines.append(
            f"| {row['variant']} | {row['median_s']:.2f} | {spread} | {row['x_ruff']:.2f}x"
            f" | {row['peak_pss_mib']} | {row['findings']} |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="timed runs of each variant (default 7)")
    parser.add_argument("--corpus", default="nova==31.0.0", metavar="NAME==VER")
    here = Path(sys.executable).parent
    parser.add_argument("--evlint", type=Path, default=here / "evlint")
    parser.add_argument("--ruff", type=Path, default=here / "ruff")
    parser.add_argument("--baseline", type=Path, help="another evlint measured in the same rounds")
    parser.add_argument("--json", type=Path, help="also write the rows and samples here")
    parser.add_argument("--floor", action="store_true", help="also time parsing alone (parse_floor.py)")
    args = parser.parse_args(argv)
    corpus = bench.corpus_dir(args.corpus)
    bench.byte_compile_evlint(args.evlint)
    schedule = bench.Schedule(args.runs, args.runs, float("inf"), 600.0, 50)
    with tempfile.TemporaryDirectory(prefix="evlint-cold-") as tmp:
        scratch = Path(tmp)
        bench.write_configs(scratch)
        chosen = variants(args.evlint, args.ruff, corpus, scratch, args.baseline)
        if args.floor:
            chosen.insert(1, parse_floor(corpus, scratch))
        results = bench.bench_corpus(args.corpus, chosen, schedule, scratch)
    failed = [r for r in results if r.error is not None]
    if failed:
        raise SystemExit("; ".join(f"{r.tool}: {r.error}" for r in failed))
    found = rows(results)
    print(table(args.corpus, found))
    if args.json is not None:
        samples = {r.tool: [s.wall_s for s in r.samples] for r in results}
        document = {**bench.run_stamp(), "corpus": args.corpus, "rows": found, "walls": samples}
        args.json.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
