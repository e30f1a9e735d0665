"""Every trick evlint plays for speed, in one place, each with a switch.

A trick earns its place by what it buys on a cold run: `benchmarks/tricks.py` runs
`evlint check --no-cache` on nova 31.0.0 and 34.0.0 with each trick turned off in turn and
prints what each buys (medians, ratios in one run); the docs' benchmarks page records the
table. A trick that buys under 5 % of the cold run is removed rather than kept.

The switches exist for that measurement alone: `EVLINT_SPEED_OFF=pool,claims` turns
tricks off. No trick changes a finding (the suite checks that results agree with each off).
The caches (results, rules, the index's facts and digest) are not tricks of a cold run:
they make warm runs, and `benchmarks/run.py` measures those.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields

ENVIRONMENT = "EVLINT_SPEED_OFF"


@dataclass(frozen=True)
class Tricks:
    # The text pre-filter: a file in which no rule can match is never parsed (`prefilter.py`).
    prefilter: bool = True
    # Worker processes beside this one, when they save enough parsing (`runner/pool.py`).
    pool: bool = True
    # Once its own share is done, this process takes the jobs no worker has started.
    claims: bool = True
    # In an index round, this process lints its files smallest first, each against the
    # index the facts read so far make, so fewer are linted again (`runner/indexing.py`).
    facts_so_far: bool = True
    # The files the project index reads are linted in that same parse (`runner/indexing.py`).
    one_parse: bool = True
    # The cycle collector is paused while a file is parsed and matched (`lint_file.py`).
    no_gc: bool = True
    # The modules imported at start (they live to the end) are frozen out of the cycle
    # collector's walks, and everything else at exit (`gcpause.py`).
    freeze: bool = True

    @staticmethod
    def names() -> tuple[str, ...]:
        return tuple(field.name.replace("_", "-") for field in fields(Tricks))

    @staticmethod
    def from_environment(value: str | None = None) -> Tricks:
        value = os.environ.get(ENVIRONMENT, "") if value is None else value
        off = {name.strip().replace("-", "_") for name in value.split(",") if name.strip()}
        return Tricks(**{field.name: field.name not in off for field in fields(Tricks)})


TRICKS = Tricks.from_environment()
