"""The inventory's data: what a project holds (its `Occurrence`s) and the counts made from them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from evlint.report.classify import DOCS, PATTERNS, PRODUCTION, TEST, module_of
from evlint.report.effort import Effort, combined, effort_of, points
from evlint.report.occurrence import Occurrence

TOP_FILES = 10


@dataclass(frozen=True)
class FileError:
    """A file evlint could not analyse (EVL000 syntax, EVL001 decode, EVL002 read)."""

    path: str
    line: int
    code: str
    message: str


@dataclass(frozen=True)
class Counts:
    production: int = 0
    test: int = 0

    @property
    def total(self) -> int:
        return self.production + self.test


@dataclass(frozen=True)
class FileWork:
    project: str
    path: str
    occurrences: int
    points: float


@dataclass(frozen=True)
class Summary:
    occurrences: int
    code: Counts
    docs: int
    files: int
    lines: int
    by_pattern: dict[str, Counts]
    by_rule: dict[str, int]
    by_module: dict[str, Counts]
    top_files: tuple[FileWork, ...]
    effort: Effort


@dataclass(frozen=True)
class ProjectInventory:
    name: str
    root: str
    occurrences: tuple[Occurrence, ...]
    errors: tuple[FileError, ...] = ()
    suggestions: dict[str, str] = field(default_factory=dict)  # rule -> its suggested replacement
    rule_names: dict[str, str] = field(default_factory=dict)  # rule -> its name
    team: str | None = None  # from --governance / --teams
    deliverable: str | None = None
    ref: str | None = None  # the tag, commit or release version read (for links)
    verdict: str | None = None  # the entry-point verdict: eventlet-free | dual-mode | eventlet-only
    blockers: tuple[str, ...] = ()  # what keeps it from the next verdict
    release_notes: int = 0  # release-note lines that mention eventlet: history, never work
    aliases: tuple[str, ...] = ()  # its repository's other names (for --merge's team mapping)

    def summary(self) -> Summary:
        return summarise(self.occurrences, effort_of(self.occurrences))


def team_summary(projects: Sequence[ProjectInventory]) -> Summary:
    occurrences = [o for p in projects for o in p.occurrences]
    qualified = len(projects) > 1
    return summarise(
        occurrences, combined(effort_of(p.occurrences) for p in projects), qualify_modules=qualified
    )


def summarise(occurrences: Iterable[Occurrence], effort: Effort, *, qualify_modules: bool = False) -> Summary:
    items = sorted(occurrences, key=lambda o: o.sort_key)
    code = [o for o in items if o.pattern != DOCS]
    return Summary(
        occurrences=len(items),
        code=_counts(code),
        docs=len(items) - len(code),
        files=len({(o.project, o.path) for o in items}),
        lines=len({(o.project, o.path, o.line) for o in items}),
        by_pattern={p: _counts(o for o in items if o.pattern == p) for p in PATTERNS},
        by_rule=dict(sorted(Counter(o.rule for o in code if o.rule).items())),
        by_module=_by_module(code, qualify_modules),
        top_files=_top_files(code),
        effort=effort,
    )


def _counts(occurrences: Iterable[Occurrence]) -> Counts:
    scopes = Counter(o.scope for o in occurrences)
    return Counts(production=scopes[PRODUCTION], test=scopes[TEST])


def _by_module(code: Sequence[Occurrence], qualify: bool) -> dict[str, Counts]:
    groups: dict[str, list[Occurrence]] = {}
    for occurrence in code:
        module = module_of(occurrence.path)
        groups.setdefault(f"{occurrence.project}: {module}" if qualify else module, []).append(occurrence)
    counted = {module: _counts(group) for module, group in groups.items()}
    return dict(sorted(counted.items(), key=lambda item: (-item[1].total, item[0])))


def _top_files(code: Sequence[Occurrence]) -> tuple[FileWork, ...]:
    groups: dict[tuple[str, str], list[Occurrence]] = {}
    for occurrence in code:
        groups.setdefault((occurrence.project, occurrence.path), []).append(occurrence)
    work = [
        FileWork(project, path, len(group), round(sum(points(o) for o in group), 2))
        for (project, path), group in groups.items()
    ]
    work.sort(key=lambda w: (-w.points, -w.occurrences, w.project, w.path))
    return tuple(work[:TOP_FILES])
