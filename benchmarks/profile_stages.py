#!/usr/bin/env python3
"""Where one cold `evlint check` spends its CPU, stage by stage, in this one process.

    python3 benchmarks/profile_stages.py [--repeat 3] -- check PATH --no-cache [EVLINT OPTIONS]

Runs evlint's CLI in this process with the worker pool off (`EVLINT_SPEED_OFF=pool`, so
every file is linted here and counted), timing each stage with `time.process_time` by
wrapping the function that does it: interpreter start and imports, configuration and rule
loading (schema validation included), discovery, reading, the text pre-filter, the project
index's text scans and the facts it reads from the text of a few files before its rounds
(the spawn wrappers, the packages' order), then linting (parse, the traversal that
collects, matching, object flow;
what is left of a file's lint is the noqa pass, diagnostics, fixes and freeing its tree) and
the output. Each stage is the sum over its calls; a stage inside another (the pre-filter is
not) is indented. With ``--repeat N`` the run is made in N fresh processes and each stage's
minimum is shown (CPU time is what a loaded machine inflates least; the minimum, least).
The wall time a pool saves, and what starting it costs, is benchmarks/tricks.py's to measure.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

START = time.process_time()  # the interpreter's own start is in it: CPU since the process began

STAGES = (
    ("interpreter + imports", ""),
    ("config + rules", ""),
    ("discovery", ""),
    ("reading", ""),
    ("pre-filter", ""),
    ("index scans", ""),
    ("index text facts (spawn wrappers, order)", ""),
    ("lint", ""),
    ("parse", "  "),
    ("collect", "  "),
    ("match", "  "),
    ("object flow", "  "),
    ("output", ""),
)


def _timed(owner: Any, name: str, stage: str, spent: dict[str, float]) -> None:
    """Wrap `owner.name` so that its CPU time adds to `spent[stage]` (outermost calls only)."""
    inner: Callable[..., Any] = getattr(owner, name)
    depth = [0]

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        depth[0] += 1
        start = time.process_time()
        try:
            return inner(*args, **kwargs)
        finally:
            depth[0] -= 1
            if depth[0] == 0:
                spent[stage] = spent.get(stage, 0.0) + time.process_time() - start

    setattr(owner, name, wrapper)


def profile_once(argv: Sequence[str]) -> dict[str, float]:
    """Stage -> CPU seconds of one run of `evlint ARGV` in this process."""
    os.environ["EVLINT_SPEED_OFF"] = ",".join(filter(None, (os.environ.get("EVLINT_SPEED_OFF"), "pool")))
    import evlint.cli

    spent = {"interpreter + imports": time.process_time() - START}
    from evlint import api, check_output, discover, ruleset
    from evlint.engine import collect, flow_findings, lint, match
    from evlint.index import build
    from evlint.runner import jobs, sources

    wrapped = (
        (api, "load_configuration", "config + rules"),
        (discover.Discoverer, "discover", "discovery"),
        (sources.Sources, "read", "reading"),
        (ruleset.CompiledRules, "may_match", "pre-filter"),
        (build._Rounds, "first", "index scans"),
        (build._Rounds, "readers", "index scans"),
        (build, "_extra_facts", "index text facts (spawn wrappers, order)"),
        (jobs.Linter, "run", "lint"),
        (lint, "_parse", "parse"),
        (collect._Collector, "visit", "collect"),
        (match._Matcher, "run", "match"),
        (check_output, "present", "output"),
    )
    for owner, name, stage in wrapped:
        _timed(owner, name, stage, spent)
    _timed(flow_findings, "object_findings", "object flow", spent)
    lint.object_findings = flow_findings.object_findings  # (bound by name in engine.lint)
    started = time.process_time()
    with contextlib.suppress(SystemExit):
        evlint.cli.main(list(argv), standalone_mode=False)
    spent["total"] = spent["interpreter + imports"] + time.process_time() - started
    return spent


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["--one"]:  # a child: one run, its stages as JSON on the last line of stderr
        found = profile_once(args[1:])
        print(json.dumps(found), file=sys.stderr)
        return 0
    repeat = 3
    if args[:1] == ["--repeat"]:
        repeat, args = int(args[1]), args[2:]
    if args[:1] == ["--"]:
        args = args[1:]
    runs = []
    for _ in range(repeat):
        done = subprocess.run(
            [sys.executable, __file__, "--one", *args], capture_output=True, text=True, check=False
        )
        runs.append(json.loads(done.stderr.strip().splitlines()[-1]))
    best = {stage: min(run.get(stage, 0.0) for run in runs) for stage in {*runs[0], "total"}}
    print(f"| stage (CPU, min of {repeat}) | ms | share |")
    print("|---|---|---|")
    rows = [(f"{indent}{stage}", best.get(stage, 0.0)) for stage, indent in STAGES]
    inside = sum(best.get(stage, 0.0) for stage, indent in STAGES if indent)
    rows.insert(-1, ("  rest: noqa, diagnostics, fixes, freeing the tree", best.get("lint", 0.0) - inside))
    outside = sum(best.get(stage, 0.0) for stage, indent in STAGES if not indent)
    rows.append(("the rest: gathering, planning, lazy imports, exit", best["total"] - outside))
    rows.append(("total", best["total"]))
    for name, seconds in rows:
        print(f"| {name} | {seconds * 1000:.0f} | {seconds / best['total']:.0%} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
