"""A project's narrative: facts from its inventory in plain sentences, the same every run.

What it uses and how much, where the work concentrates, what is only in tests, the entry-point
verdict and its blockers, and the first steps in the removal guide's order (the WSGI server
first, then pools and green threads, timed work and primitives, monkey patching, imports and
requirements; tests last).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from evlint.report.classify import DOCS, PATTERN_TITLES, PRODUCTION, REMOVAL_STEP, TEST, module_of
from evlint.report.inventory import ProjectInventory
from evlint.report.occurrence import Occurrence

TOP_PATTERNS, TOP_MODULES, FIRST_STEPS = 3, 3, 3


def narrative(project: ProjectInventory) -> list[str]:
    """The sentences about one project, in reading order."""
    code = [o for o in project.occurrences if o.pattern != DOCS]
    docs = len(project.occurrences) - len(code)
    if not code:
        sentences = [f"{project.name} has no eventlet use in code."]
        if docs:
            sentences.append(f"{_count(docs, 'line')} of its docs still mention eventlet.")
        return sentences + _verdict(project)
    production = [o for o in code if o.scope == PRODUCTION]
    sentences = [_uses(project.name, code, production, docs), _patterns(code)]
    if production:
        sentences.append(_concentration(production))
    sentences.append(_tests_only(code, production))
    sentences += _verdict(project)
    sentences.append(_first_steps(code))
    return sentences


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _uses(name: str, code: Sequence[Occurrence], production: Sequence[Occurrence], docs: int) -> str:
    files = len({o.path for o in code})
    mentions = f" and mentions it on {_count(docs, 'line')} of docs" if docs else ""
    return (
        f"{name} uses eventlet in {_count(len(code), 'place')} of code across {_count(files, 'file')}"
        f" ({len(production)} in production, {len(code) - len(production)} in tests){mentions}."
    )


def _patterns(code: Sequence[Occurrence]) -> str:
    counted = Counter(o.pattern for o in code).most_common()
    ordered = sorted(counted, key=lambda item: (-item[1], item[0]))
    parts = [f"{PATTERN_TITLES.get(p, p).lower()} ({n})" for p, n in ordered[:TOP_PATTERNS]]
    rest = sum(n for _, n in ordered[TOP_PATTERNS:])
    tail = f", and {rest} of other kinds" if rest else ""
    return f"Most of it is {_join(parts)}{tail}."


def _concentration(production: Sequence[Occurrence]) -> str:
    modules = Counter(module_of(o.path) for o in production)
    top = sorted(modules.items(), key=lambda item: (-item[1], item[0]))[:TOP_MODULES]
    share = round(100 * sum(n for _, n in top) / len(production))
    where = _join([f"{module} ({n})" for module, n in top])
    return f"{share} % of the production uses are in {where}."


def _tests_only(code: Sequence[Occurrence], production: Sequence[Occurrence]) -> str:
    if not production:
        return "Only tests use eventlet: the production code is already free of it."
    in_production = {o.pattern for o in production}
    only = sorted({o.pattern for o in code if o.scope == TEST} - in_production)
    if not only:
        return "No pattern is confined to tests."
    return f"Only tests use {_join([PATTERN_TITLES.get(p, p).lower() for p in only])}."


def _verdict(project: ProjectInventory) -> list[str]:
    if project.verdict is None:
        return []
    blockers = f"; blockers: {'; '.join(project.blockers)}" if project.blockers else ""
    return [f"Entry points: {project.verdict}{blockers}."]


def _first_steps(code: Sequence[Occurrence]) -> str:
    production = [o for o in code if o.scope == PRODUCTION]
    work = production or list(code)
    where = "in production" if production else "in tests"
    counted = Counter(o.pattern for o in work)
    ordered = sorted(counted, key=lambda p: (REMOVAL_STEP.get(p, max(REMOVAL_STEP.values())), -counted[p], p))
    steps = []
    for number, pattern in enumerate(ordered[:FIRST_STEPS], start=1):
        first = min((o for o in work if o.pattern == pattern), key=lambda o: o.sort_key)
        title = PATTERN_TITLES.get(pattern, pattern).lower()
        steps.append(f"({number}) {title}, {counted[pattern]} {where}, starting at {first.path}:{first.line}")
    tests = " Tests follow the code they cover." if production and len(production) < len(code) else ""
    return f"First steps in the removal guide's order: {'; '.join(steps)}.{tests}"


def _join(parts: Sequence[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} and {parts[-1]}"
