#!/usr/bin/env python3
"""The floor under a cold evlint run: parsing what it lints, with `ast`, on every core.

evlint's engine matches on the standard library's `ast` (the design's choice), and a file
with a syntax error anywhere is one finding, so every file it lints is parsed whole. This
script does that and nothing else: no imports of evlint, no rules, no reading of the other
files, no pre-filter, index or analysis. `benchmarks/cold.py --floor` runs it in the same
rounds as ruff and evlint, so the table shows how much of a multiple of ruff is the parse.

    python3 benchmarks/parse_floor.py list CORPUS_DIR [EVLINT CHECK OPTIONS...] > FILES
    python3 benchmarks/parse_floor.py parse FILES [--processes N]

`list` runs `evlint check` in this process and prints each file it parsed (once, however
often it was linted); `parse` parses those files in N processes (default: the cores this
process may use), the largest first, each to the least loaded process, as evlint's pool
shares them, with the cycle collector paused as evlint pauses it.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import gc
import io
import os
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path


def list_parsed(corpus: Path, options: Sequence[str]) -> list[str]:
    """The files `evlint check CORPUS OPTIONS` parses, in the order first parsed."""
    os.environ["EVLINT_SPEED_OFF"] = "pool"  # (every lint in this process, to be seen here)
    from evlint.cli import main
    from evlint.runner import jobs

    parsed: dict[str, None] = {}
    real_run = jobs.Linter.run

    def recording_run(linter: jobs.Linter, job: jobs.LintJob) -> jobs.JobResult:
        parsed[str(Path(job.shown).resolve())] = None
        return real_run(linter, job)

    jobs.Linter.run = recording_run  # type: ignore[method-assign]
    os.chdir(corpus)
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):
            main(["check", ".", "-q", "--exit-zero", "--no-cache", *options], standalone_mode=False)
    finally:
        jobs.Linter.run = real_run  # type: ignore[method-assign]
    return list(parsed)


def shares(sizes: Sequence[int], processes: int) -> list[list[int]]:
    """Largest first, each to the least loaded process, as evlint's `runner.pool.shares`
    (written again, not imported: importing evlint would be part of what is timed)."""
    loads = [0] * processes
    found: list[list[int]] = [[] for _ in range(processes)]
    for i in sorted(range(len(sizes)), key=lambda i: -sizes[i]):
        least = min(range(processes), key=loads.__getitem__)
        loads[least] += sizes[i]
        found[least].append(i)
    return found


def parse_all(paths: Sequence[str], processes: int) -> None:
    sources = [Path(path).read_bytes() for path in paths]
    *theirs, mine = shares([len(source) for source in sources], max(1, processes))
    children = []
    for share in theirs:
        pid = os.fork()
        if pid == 0:  # a worker: parse its share, and go without tearing anything down
            _parse(sources, share)
            os._exit(0)
        children.append(pid)
    _parse(sources, mine)
    for pid in children:
        _, status = os.waitpid(pid, 0)
        if status:
            raise SystemExit(f"a worker failed: status {status}")


def _parse(sources: Sequence[bytes], share: Sequence[int]) -> None:
    gc.disable()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for i in share:
            # (evlint reports a file that does not parse; its parse was done all the same)
            with contextlib.suppress(SyntaxError, ValueError):
                ast.parse(sources[i])
    gc.enable()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    modes = parser.add_subparsers(dest="mode", required=True)
    listing = modes.add_parser("list", help="print the files evlint check parses")
    listing.add_argument("corpus", type=Path)
    listing.add_argument("options", nargs=argparse.REMAINDER, help="more evlint check options")
    parsing = modes.add_parser("parse", help="parse the files listed in FILES on every core")
    parsing.add_argument("files", type=Path)
    default = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    parsing.add_argument("--processes", type=int, default=default)
    args = parser.parse_args(argv)
    if args.mode == "list":
        found = list_parsed(args.corpus.resolve(), args.options)
        sys.stdout.write("".join(f"{path}\n" for path in found))
    else:
        parse_all(args.files.read_text(encoding="utf-8").splitlines(), args.processes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
