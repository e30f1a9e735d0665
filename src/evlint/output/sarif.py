"""SARIF 2.1.0, as GitHub code scanning and other SARIF viewers read it.

Rows and columns are 1-based and count characters (`columnKind: unicodeCodePoints`), and a
region's end column is the column after its last character, as in evlint's own locations.
Paths under the working directory are relative URIs against `%SRCROOT%` (the working
directory, given in `originalUriBaseIds`), which is how upload-sarif maps them to the repository.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from evlint import __version__
from evlint.baseline import result_fingerprints
from evlint.fix.apply import fix_edits
from evlint.fsnames import escape_undecodable, uri_path
from evlint.model import (
    DECODE_ERROR,
    READ_ERROR,
    SYNTAX_ERROR,
    CheckResult,
    Diagnostic,
    Origin,
    Rule,
    Severity,
)

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SOURCE_ROOT = "%SRCROOT%"
FINGERPRINT_KEY = "evlintFingerprint/v1"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}

# Files evlint could not analyse are findings with codes of their own, not rules from a pack.
_FILE_ERRORS = {
    SYNTAX_ERROR: ("syntax-error", "A file that Python cannot parse; it was not checked"),
    DECODE_ERROR: (
        "decode-error",
        "A file that cannot be decoded as its declared encoding; it was not checked",
    ),
    READ_ERROR: ("read-error", "A file that cannot be read, or is over the size limit; it was not checked"),
}


def write_sarif(result: CheckResult, rules: Sequence[Rule], stream: TextIO) -> None:
    document = json.dumps(sarif_log(result, rules, Path.cwd()), indent=2, ensure_ascii=False)
    stream.write(escape_undecodable(document))
    stream.write("\n")


def sarif_log(result: CheckResult, rules: Sequence[Rule], source_root: Path) -> dict[str, Any]:
    """The SARIF log of a check whose `rules` ran, paths relative to `source_root`."""
    diagnostics = result.diagnostics
    descriptors = [rule_descriptor(rule) for rule in rules]
    known = {rule.id for rule in rules}
    for code in sorted({d.code for d in diagnostics} - known):
        descriptors.append(_file_error_descriptor(code))
    index = {descriptor["id"]: position for position, descriptor in enumerate(descriptors)}
    fingerprints = {id(d): fingerprint for d, fingerprint in result_fingerprints(result, source_root)}
    results = [
        _result(diagnostic, index[diagnostic.code], fingerprints[id(diagnostic)].digest())
        | _fixes(diagnostic, result.text_of(diagnostic.path))
        for diagnostic in diagnostics
    ]
    run = {
        "tool": {
            "driver": {
                "name": "evlint",
                "version": __version__,
                "semanticVersion": __version__,
                "rules": descriptors,
            }
        },
        "invocations": [{"executionSuccessful": True}],
        "originalUriBaseIds": {SOURCE_ROOT: {"uri": source_root.absolute().as_uri().rstrip("/") + "/"}},
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def rule_descriptor(rule: Rule) -> dict[str, Any]:
    """A reportingDescriptor: the rule's summary, the first section of its docs, its docs as help."""
    descriptor: dict[str, Any] = {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": first_section(rule.docs) or rule.summary},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"tags": [rule.pack]},
    }
    if rule.docs:
        descriptor["help"] = {"text": rule.docs, "markdown": rule.docs}
    if rule.url:
        descriptor["helpUri"] = rule.url
    return descriptor


_HEADING = re.compile(r"^#+\s.*$", re.MULTILINE)


def first_section(docs: str) -> str:
    """The text under the docs' first heading ("What it does"), lines joined."""
    sections = [part.strip() for part in _HEADING.split(docs) if part.strip()]
    return " ".join(sections[0].split()) if sections else ""


def _file_error_descriptor(code: str) -> dict[str, Any]:
    name, description = _FILE_ERRORS.get(code, ("unknown", f"Findings with code {code}"))
    return {
        "id": code,
        "name": name,
        "shortDescription": {"text": description},
        "fullDescription": {"text": description},
        "defaultConfiguration": {"level": "error"},
    }


def _result(diagnostic: Diagnostic, rule_index: int, fingerprint: str) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": diagnostic.code,
        "ruleIndex": rule_index,
        "level": LEVELS[diagnostic.severity],
        "message": {"text": diagnostic.message},
        "locations": [{"physicalLocation": physical_location(diagnostic)}],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
    }
    if diagnostic.suggestion:
        result["properties"] = {"suggestion": diagnostic.suggestion}
    if diagnostic.made_at is not None:
        result["relatedLocations"] = [_made_at(diagnostic.made_at)]
    return result


def _made_at(origin: Origin) -> dict[str, Any]:
    """An object-flow finding's constructor (its column when known: another module's is not)."""
    region = {"startLine": origin.row} | ({"startColumn": origin.column} if origin.column else {})
    return {
        "id": 1,
        "physicalLocation": {"artifactLocation": artifact_location(origin.path), "region": region},
        "message": {"text": "the eventlet object is made here"},
    }


def _fixes(diagnostic: Diagnostic, text: str) -> dict[str, Any]:
    """SARIF `fixes`: the finding's fix as replacements of regions (imports included)."""
    fix = diagnostic.fix
    if fix is None:
        return {}
    replacements = [
        {
            "deletedRegion": {
                "startLine": edit.location.row,
                "startColumn": edit.location.column,
                "endLine": edit.end_location.row,
                "endColumn": edit.end_location.column,
            },
            "insertedContent": {"text": edit.content},
        }
        for edit in fix_edits(text, fix)
    ]
    change = {"artifactLocation": artifact_location(diagnostic.path), "replacements": replacements}
    return {
        "fixes": [
            {
                "description": {"text": fix.message},
                "artifactChanges": [change],
                "properties": {"applicability": fix.applicability.value},
            }
        ]
    }


def physical_location(diagnostic: Diagnostic) -> dict[str, Any]:
    start, end = diagnostic.location, diagnostic.end_location
    region = {"startLine": start.row, "startColumn": start.column}
    if (end.row, end.column) > (start.row, start.column):  # a point has no end: SARIF's default
        region.update(endLine=end.row, endColumn=end.column)
    return {"artifactLocation": artifact_location(diagnostic.path), "region": region}


def artifact_location(path: str) -> dict[str, str]:
    """A path shown relative to the working directory is relative to %SRCROOT%."""
    if Path(path).is_absolute():
        return {"uri": Path(path).as_uri()}
    return {"uri": uri_path(Path(path).as_posix()), "uriBaseId": SOURCE_ROOT}
