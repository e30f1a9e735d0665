"""The effort score: a documented formula over the occurrences, so two runs agree on it.

    effort = code_points x spread + docs_points
    code_points = sum over code occurrences of WEIGHTS[pattern] x (1 in production, TEST_FACTOR in tests)
    spread = 1 + SPREAD_PER_DOUBLING x log2(modules)   (modules: packages with code occurrences; 1 if none)
    docs_points = DOCS_WEIGHT x docs mentions

A pattern's weight is how much rework one occurrence usually needs (an import goes with
its uses; a WSGI server is replaced by a deployment). Work spread over many packages costs
more than the same count in one. A team's score is the sum of its projects' scores.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from evlint.report.classify import DOCS, PATTERN_KINDS, PRODUCTION, module_of
from evlint.report.occurrence import Occurrence

WEIGHTS: Mapping[str, float] = {kind.name: kind.weight for kind in PATTERN_KINDS}
TEST_FACTOR = 0.5
DOCS_WEIGHT = 0.25
SPREAD_PER_DOUBLING = 0.25

FORMULA = (
    "effort = code_points * (1 + 0.25 * log2(modules)) + 0.25 * docs_mentions; "
    "code_points = sum of weight[pattern] * (1 in production, 0.5 in test code) over code occurrences; "
    "modules = packages with code occurrences (at least 1); a team's effort is the sum of its projects'"
)


@dataclass(frozen=True)
class Effort:
    score: float
    code_points: float
    modules: int
    spread: float
    docs_points: float


def points(occurrence: Occurrence) -> float:
    """What one occurrence adds before the spread factor."""
    if occurrence.pattern == DOCS:
        return DOCS_WEIGHT
    factor = 1.0 if occurrence.scope == PRODUCTION else TEST_FACTOR
    return WEIGHTS.get(occurrence.pattern, WEIGHTS["other"]) * factor


def effort_of(occurrences: Iterable[Occurrence]) -> Effort:
    """One project's effort."""
    items = list(occurrences)
    code = [o for o in items if o.pattern != DOCS]
    code_points = sum(points(o) for o in code)
    docs_points = sum(points(o) for o in items if o.pattern == DOCS)
    modules = len({module_of(o.path) for o in code})
    spread = 1 + SPREAD_PER_DOUBLING * math.log2(max(modules, 1))
    score = code_points * spread + docs_points
    return Effort(round(score, 1), round(code_points, 2), modules, round(spread, 3), round(docs_points, 2))


def combined(efforts: Iterable[Effort]) -> Effort:
    """A team's effort: its projects' summed (the spread factor is each project's own)."""
    items = list(efforts)
    code_points = sum(e.code_points for e in items)
    spread = sum(e.code_points * e.spread for e in items) / code_points if code_points else 1.0
    return Effort(
        score=round(sum(e.score for e in items), 1),
        code_points=round(code_points, 2),
        modules=sum(e.modules for e in items),
        spread=round(spread, 3),
        docs_points=round(sum(e.docs_points for e in items), 2),
    )


def weights_table() -> dict[str, float]:
    return {**WEIGHTS, DOCS: DOCS_WEIGHT}
