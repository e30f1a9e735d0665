"""`--compare OLD.json`: what was removed and added since an earlier report.

Occurrences are matched by project, path, rule and source line (whitespace runs collapsed),
never by line number; those left are then matched without the path, so code that moved to
another file (or a file renamed) is neither removed nor added. The headline counts code;
docs are counted apart. Release notes are history, not work: the mentions an older report
still counted in them are left out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from evlint.report.classify import DOCS, RELEASE_NOTES
from evlint.report.inventory import ProjectInventory
from evlint.report.load import load_projects
from evlint.report.occurrence import Occurrence


@dataclass(frozen=True)
class Comparison:
    against: str
    removed: tuple[Occurrence, ...]
    added: tuple[Occurrence, ...]

    def headline(self) -> str:
        """Code first: docs never make progress look negative."""
        removed = sum(1 for o in self.removed if o.pattern != DOCS)
        added = sum(1 for o in self.added if o.pattern != DOCS)
        docs_removed, docs_added = len(self.removed) - removed, len(self.added) - added
        return (
            f"Code: {removed} occurrences removed, {added} added (net {added - removed:+d})."
            f" Docs: {docs_removed} lines removed, {docs_added} added."
        )

    def removed_code(self) -> dict[str, int]:
        """Code occurrences removed, per project."""
        return dict(Counter(o.project for o in self.removed if o.pattern != DOCS))


def compare_with(path: Path, projects: Sequence[ProjectInventory]) -> Comparison:
    """Against the report at `path`, for the projects it has (a project it did not cover is
    not progress in either direction)."""
    old = load_projects(path)
    covered = {project.name for project in old}
    new = [o for project in projects if project.name in covered for o in project.occurrences]
    return compare(str(path), _without_release_notes(old), new)


def _without_release_notes(projects: Sequence[ProjectInventory]) -> tuple[Occurrence, ...]:
    occurrences = (o for project in projects for o in project.occurrences)
    return tuple(o for o in occurrences if not RELEASE_NOTES.search(o.path))


def load_report(path: Path) -> tuple[Occurrence, ...]:
    """The occurrences of a JSON report, without release notes (an older report counted them)."""
    return _without_release_notes(load_projects(path))


def compare(against: str, old: Sequence[Occurrence], new: Sequence[Occurrence]) -> Comparison:
    removed, added = _unmatched(old, new, lambda o: o.match_key)
    removed, added = _unmatched(removed, added, _moved_key)
    return Comparison(against, removed=removed, added=added)


def _moved_key(occurrence: Occurrence) -> tuple[str, str, str]:
    project, _path, rule, source = occurrence.match_key
    return (project, rule, source)


def _unmatched(
    old: Iterable[Occurrence], new: Iterable[Occurrence], key: Callable[[Occurrence], Hashable]
) -> tuple[tuple[Occurrence, ...], tuple[Occurrence, ...]]:
    """(old without a partner in new, new without a partner in old), as many partners as copies."""
    olds, news = sorted(old, key=lambda o: o.sort_key), sorted(new, key=lambda o: o.sort_key)
    available = Counter(key(o) for o in news)
    removed = []
    for occurrence in olds:
        if available[key(occurrence)] > 0:
            available[key(occurrence)] -= 1
        else:
            removed.append(occurrence)
    available = Counter(key(o) for o in olds)
    added = []
    for occurrence in news:
        if available[key(occurrence)] > 0:
            available[key(occurrence)] -= 1
        else:
            added.append(occurrence)
    return tuple(removed), tuple(added)
