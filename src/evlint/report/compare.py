"""`--compare OLD.json`: what was removed and added since an earlier report.

Occurrences are matched by project, path, rule and source line (whitespace runs collapsed),
never by line number, so code that moved is neither removed nor added.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evlint.jsonfile import read_json
from evlint.model import EvlintError
from evlint.report.occurrence import Occurrence


@dataclass(frozen=True)
class Comparison:
    against: str
    removed: tuple[Occurrence, ...]
    added: tuple[Occurrence, ...]


def load_report(path: Path) -> tuple[Occurrence, ...]:
    """The occurrences of a JSON report written by `evlint report --output-format json`."""
    import jsonschema

    from evlint.report.json import report_schema

    document = read_json(path, "report")
    validator = jsonschema.Draft202012Validator(report_schema())
    problem = jsonschema.exceptions.best_match(validator.iter_errors(document))
    if problem is not None:
        where = "/".join(str(part) for part in problem.absolute_path) or "(top level)"
        raise EvlintError(f"{path}: not an evlint JSON report: {where}: {problem.message}")
    return tuple(_occurrence(item) for project in document["projects"] for item in project["occurrences"])


def _occurrence(item: Mapping[str, Any]) -> Occurrence:
    return Occurrence(
        project=item["project"],
        path=item["path"],
        line=item["line"],
        column=item["column"],
        rule=item["rule"],
        pattern=item["pattern"],
        scope=item["scope"],
        source=item["source"],
        message=item["message"],
        suggestion=item["suggestion"],
        origin_line=item.get("origin_line"),
    )


def compare(against: str, old: Sequence[Occurrence], new: Sequence[Occurrence]) -> Comparison:
    return Comparison(against, removed=_missing_from(old, new), added=_missing_from(new, old))


def _missing_from(these: Iterable[Occurrence], others: Iterable[Occurrence]) -> tuple[Occurrence, ...]:
    """Those of `these` with no partner in `others` (as many partners as copies)."""
    available = Counter(o.match_key for o in others)
    missing = []
    for occurrence in sorted(these, key=lambda o: o.sort_key):
        if available[occurrence.match_key] > 0:
            available[occurrence.match_key] -= 1
        else:
            missing.append(occurrence)
    return tuple(missing)
