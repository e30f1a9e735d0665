"""What each speed trick buys on a cold run: evlint with every trick on, and with each off.

    python3 benchmarks/tricks.py [--runs 5] [--corpus nova==31.0.0 --corpus nova==34.0.0] [--json PATH]

The tricks are those of ``evlint.speed.Tricks``; ``EVLINT_SPEED_OFF=NAME`` turns one off.
Each corpus is fetched with ``../shared/corpus/fetch.sh`` and evlint's modules are
byte-compiled first (as an installed evlint has them). Every run is ``evlint check
--no-cache`` on the whole tree; the variants take turns within each round, so a slow
stretch of the shared machine hits them alike. For each trick the table gives the median
wall time with it off, and what it buys: the share of that time the trick saves,
``1 - on / off``, medians of one run. Each variant's findings must equal those with every
trick on, or the script stops: a trick may change the time, never the result.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run as shared  # benchmarks/run.py: corpora, byte-compiling

DEFAULT_CORPORA = ("nova==31.0.0", "nova==34.0.0")
ALL_ON = "(all on)"
WORTH = 0.05  # a trick buying less than this share of the cold run is to be removed


@dataclass
class Variant:
    corpus: str
    off: str  # the trick turned off, or ALL_ON
    walls: list[float] = field(default_factory=list)
    output: str | None = None


def trick_names(python: Path) -> list[str]:
    code = "from evlint.speed import Tricks; print(','.join(Tricks.names()))"
    found = subprocess.run([str(python), "-c", code], check=True, capture_output=True, text=True)
    return found.stdout.strip().split(",")


def run_once(python: Path, tree: Path, variant: Variant) -> None:
    env = {**os.environ, "EVLINT_SPEED_OFF": "" if variant.off == ALL_ON else variant.off}
    argv = [str(python), "-m", "evlint", "check", "--no-cache", "--exit-zero", "--output-format", "concise"]
    start = time.perf_counter()
    proc = subprocess.run([*argv, str(tree)], capture_output=True, text=True, env=env, check=False)
    variant.walls.append(time.perf_counter() - start)
    if proc.returncode != 0:
        raise SystemExit(f"{variant.off} on {variant.corpus}: exit {proc.returncode}: {proc.stderr[-500:]}")
    if variant.output is None:
        variant.output = proc.stdout
    elif variant.output != proc.stdout:
        raise SystemExit(f"{variant.off} on {variant.corpus}: the findings changed between runs")


def bench(python: Path, corpora: Sequence[str], runs: int) -> list[Variant]:
    names = [ALL_ON, *trick_names(python)]
    variants: list[Variant] = []
    for spec in corpora:
        tree = shared.corpus_dir(spec)
        mine = [Variant(spec, name) for name in names]
        for round_ in range(runs):
            order = mine[round_ % len(mine) :] + mine[: round_ % len(mine)]  # take turns
            for variant in order:
                run_once(python, tree, variant)
            print(f"{spec}: round {round_ + 1}/{runs} done", file=sys.stderr, flush=True)
        reference = mine[0].output
        for variant in mine[1:]:
            if variant.output != reference:
                raise SystemExit(f"turning {variant.off} off changed the findings on {spec}")
        variants.extend(mine)
    return variants


def rows(variants: Sequence[Variant]) -> list[dict[str, object]]:
    base = {v.corpus: statistics.median(v.walls) for v in variants if v.off == ALL_ON}
    found = []
    for variant in variants:
        median = statistics.median(variant.walls)
        buys = 1 - base[variant.corpus] / median if variant.off != ALL_ON else 0.0
        found.append(
            {
                "corpus": variant.corpus,
                "off": variant.off,
                "median_s": round(median, 3),
                "min_s": round(min(variant.walls), 3),
                "max_s": round(max(variant.walls), 3),
                "buys": round(buys, 3),
                "keep": variant.off == ALL_ON or buys >= WORTH,
            }
        )
    return found


def table(found: Sequence[dict[str, object]]) -> str:
    lines = [
        "| corpus | trick off | median s | min-max s | buys (1 - on/off) | worth keeping (>= 5 %) |",
        "|---|---|---|---|---|---|",
    ]
    for row in found:
        buys = "" if row["off"] == ALL_ON else f"{float(str(row['buys'])) * 100:.1f} %"
        keep = "" if row["off"] == ALL_ON else ("yes" if row["keep"] else "no")
        spread = f"{row['min_s']}-{row['max_s']}"
        lines.append(f"| {row['corpus']} | {row['off']} | {row['median_s']} | {spread} | {buys} | {keep} |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--corpus", action="append", help="NAME==VERSION (default: nova 31.0.0 and 34.0.0)")
    parser.add_argument("--python", type=Path, default=Path(sys.executable), help="the Python evlint runs in")
    parser.add_argument("--json", type=Path, help="also write the rows here")
    args = parser.parse_args(argv)
    shared.byte_compile_evlint(args.python.parent / "evlint")
    found = rows(bench(args.python, args.corpus or DEFAULT_CORPORA, args.runs))
    print(table(found))
    if args.json is not None:
        args.json.write_text(json.dumps(found, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
