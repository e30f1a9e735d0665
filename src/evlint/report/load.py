"""Read a saved JSON report back into inventories (for --merge, --compare and --history)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from evlint.jsonfile import read_json
from evlint.model import EvlintError
from evlint.report.inventory import FileError, ProjectInventory
from evlint.report.json import report_schema
from evlint.report.occurrence import Occurrence


def load_document(path: Path) -> dict[str, Any]:
    """A JSON report written by `evlint report --output-format json`, checked against its schema."""
    import jsonschema

    document: dict[str, Any] = read_json(path, "report")
    validator = jsonschema.Draft202012Validator(report_schema())
    problem = jsonschema.exceptions.best_match(validator.iter_errors(document))
    if problem is not None:
        where = "/".join(str(part) for part in problem.absolute_path) or "(top level)"
        raise EvlintError(f"{path}: not an evlint JSON report: {where}: {problem.message}")
    return document


def load_projects(path: Path) -> tuple[ProjectInventory, ...]:
    return projects_of(load_document(path))


def projects_of(document: Mapping[str, Any]) -> tuple[ProjectInventory, ...]:
    return tuple(_project(item) for item in document["projects"])


def _project(item: Mapping[str, Any]) -> ProjectInventory:
    return ProjectInventory(
        name=item["name"],
        root=item["root"],
        occurrences=tuple(occurrence_of(o, item["suggestions"]) for o in item["occurrences"]),
        errors=tuple(FileError(e["path"], e["line"], e["code"], e["message"]) for e in item["errors"]),
        suggestions=dict(item["suggestions"]),
        rule_names=dict(item.get("rule_names", {})),
        team=item.get("team"),
        deliverable=item.get("deliverable"),
        ref=item.get("ref"),
        verdict=item.get("verdict"),
        blockers=tuple(item.get("blockers", ())),
        release_notes=item.get("release_notes", 0),
        aliases=tuple(item.get("aliases", ())),
    )


def occurrence_of(item: Mapping[str, Any], suggestions: Mapping[str, str] | None = None) -> Occurrence:
    """An occurrence; a null suggestion is its rule's, from the project's `suggestions`."""
    suggestion = item["suggestion"]
    if suggestion is None and item["rule"] is not None:
        suggestion = (suggestions or {}).get(item["rule"])
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
        suggestion=suggestion,
        origin_line=item.get("origin_line"),
        origin_path=item.get("origin_path"),
    )
