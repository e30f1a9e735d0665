"""Messages that follow the versions a project declares: a rule whose API is eventlet-backed
only below some version of its library (oslo.service's `loopingcall` and `threadgroup`
follow the backend from 4.2.0) says so by the lowest version the project's requirements
allow.

Read from the files at the project root that `requirements` scans (requirements.txt,
setup.cfg, pyproject.toml), with `packaging`'s requirement parser. A distribution declared
without a lower bound allows every version, so it is below any `below`; one not declared
at all keeps the rule's own message (the project may get it from elsewhere).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from packaging.requirements import InvalidRequirement, Requirement
from packaging.version import InvalidVersion, Version

from evlint.model import Rule
from evlint.requirements import declarations
from evlint.ruleset import normalize_distribution, render

DECLARATION_FILES = ("requirements.txt", "setup.cfg", "pyproject.toml")
_LOWER_BOUNDS = (">=", "==", "~=", ">", "===")


def for_project(rules: Sequence[Rule], root: Path) -> tuple[Rule, ...]:
    """The rules with the messages the project's declared versions call for."""
    if not any(rule.declared_version is not None for rule in rules):
        return tuple(rules)
    declared = declared_requirements(root)
    return tuple(_adapted(rule, declared) for rule in rules)


def _adapted(rule: Rule, declared: Mapping[str, Requirement]) -> Rule:
    alternative = rule.declared_version
    if alternative is None:
        return rule
    requirement = declared.get(normalize_distribution(alternative.distribution))
    if requirement is None or not _allows_below(requirement, Version(alternative.below)):
        return rule
    values = {"declared": str(requirement)}
    suggestion = render(alternative.suggestion, values) if alternative.suggestion else rule.suggestion
    return replace(rule, message=render(alternative.message, values), suggestion=suggestion)


def _allows_below(requirement: Requirement, version: Version) -> bool:
    lowest = None
    for spec in requirement.specifier:
        if spec.operator in _LOWER_BOUNDS:
            try:
                bound = Version(spec.version)
            except InvalidVersion:
                continue
            lowest = bound if lowest is None else max(lowest, bound)
    return lowest is None or lowest < version


def declared_requirements(root: Path) -> dict[str, Requirement]:
    """Distribution (PEP 503 name) to its first parseable requirement at the project root."""
    found: dict[str, Requirement] = {}
    for filename in DECLARATION_FILES:
        try:
            text = (root / filename).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        lines = text.splitlines()
        for declaration in declarations(filename, text):
            line = lines[declaration.row - 1][declaration.column - 1 :]
            requirement = _requirement(line)
            if requirement is not None:
                found.setdefault(normalize_distribution(requirement.name), requirement)
    return found


def _requirement(text: str) -> Requirement | None:
    """The requirement a declaration line starts with (up to a comment, quote or comma)."""
    for end in ("#", '"', "'", ";"):
        text = text.split(end, 1)[0]
    text = text.strip().rstrip(",")
    try:
        return Requirement(text)
    except InvalidRequirement:
        return None
