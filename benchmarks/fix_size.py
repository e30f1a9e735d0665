#!/usr/bin/env python3
"""Time and peak memory of `--fix` on one file made of fixable lines, and of the check alone.

Run from the repository root:

    python3 benchmarks/fix_size.py [--lines 10000,50000] [--runs 1] [--evlint-src DIR] [--json PATH]

For each size N it writes `big.py` (`import eventlet`, then one function of N lines
`eventlet.sleep(1)`: issue 21's case, 432,000 lines are 9.5 MB) into a scratch directory and
runs, in a fresh interpreter each, `evlint check --no-cache --select EVL201` (the check) and
the same with `--fix --unsafe-fixes` (every line fixed to `time.sleep(1)`), the file written
anew before each run. It reports each run's wall time and the child's peak RSS (from wait4's
rusage), the median over `--runs`, and checks that the fixed file is exactly the expected
text. `--evlint-src DIR` runs another tree's `src` (for example `git archive` of an older
commit, unpacked) through PYTHONPATH, so two versions can be compared in one session.
Only ratios within one session mean anything on a shared machine.
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

FLAGS = ("check", "--no-cache", "--output-format", "concise", "--select", "EVL201")
FIX_FLAGS = (*FLAGS, "--fix", "--unsafe-fixes")


def source(lines: int) -> str:
    return "import eventlet\n\n\ndef f():\n" + "    eventlet.sleep(1)\n" * lines


def expected(lines: int) -> str:
    return "import time\n\n\ndef f():\n" + "    time.sleep(1)\n" * lines


def run_once(directory: Path, lines: int, flags: tuple[str, ...], src: str | None) -> tuple[float, float]:
    """(seconds, peak RSS in MiB) of one evlint run on a freshly written file."""
    (directory / "big.py").write_text(source(lines))
    env = dict(os.environ)
    if src:
        env["PYTHONPATH"] = src
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "evlint", *flags, "big.py"],
        cwd=directory,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"evlint {' '.join(flags)} failed on {lines} lines")
    if "--fix" in flags and (directory / "big.py").read_text() != expected(lines):
        raise SystemExit(f"the fixed file of {lines} lines is not the expected text")
    return seconds, usage.ru_maxrss / 1024


def main() -> None:
    formatter = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=formatter)
    parser.add_argument("--lines", default="10000,50000", help="comma-separated sizes (fixable lines)")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--evlint-src", default=None, help="another tree's src directory (PYTHONPATH)")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="evlint-fix-size-") as scratch:
        for lines in (int(size) for size in args.lines.split(",")):
            for mode, flags in (("check", FLAGS), ("fix", FIX_FLAGS)):
                runs = [run_once(Path(scratch), lines, flags, args.evlint_src) for _ in range(args.runs)]
                seconds = statistics.median(run[0] for run in runs)
                peak = statistics.median(run[1] for run in runs)
                rows.append({"lines": lines, "mode": mode, "seconds": seconds, "peak_mib": peak})
                print(f"{lines:>8} lines  {mode:<5}  {seconds:8.1f} s  {peak:8.0f} MiB", flush=True)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n")


if __name__ == "__main__":
    main()
