"""Rules from outside evlint (`extend-rules-dirs`, `--rules-dir`) are third-party code in
effect: a schema-valid pack could declare `replace-callee: {json.loads: pickle.loads}`
safe. Their safe fixes are applied only with --unsafe-fixes, unless the configuration
says `trusted-rules = true`; `evlint test-rules` names every safe fix that sends a call
to another module, so a pack's author and its reviewers see it."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from evlint.fix.project_module import option_chosen_name
from evlint.model import Applicability, FixKind, Rule
from evlint.ruleset import render


def distrust_fixes(rules: Sequence[Rule], trusted: Sequence[Path]) -> tuple[Rule, ...]:
    """`rules` with the safe fixes of those not from a `trusted` directory made unsafe."""
    return tuple(rule if _from(rule, trusted) else _unsafe(rule) for rule in rules)


def _from(rule: Rule, directories: Sequence[Path]) -> bool:
    source = Path(rule.source)
    return any(source.is_relative_to(directory) for directory in directories)


def _unsafe(rule: Rule) -> Rule:
    if rule.fix is None or rule.fix.applicability is not Applicability.SAFE:
        return rule
    return dataclasses.replace(rule, fix=dataclasses.replace(rule.fix, applicability=Applicability.UNSAFE))


@dataclass(frozen=True)
class ModuleChange:
    """A safe fix that makes a use of `matched` one of `target`, in another module."""

    rule: Rule
    matched: str
    target: str

    def __str__(self) -> str:
        return (
            f"{self.rule.source}: {self.rule.id}: warning: its safe fix sends {self.matched} to another"
            f" module ({self.target}); review it, and declare it unsafe if that changes what the code does"
        )


def module_changes(rule: Rule) -> list[ModuleChange]:
    """Each name the rule's safe replace-callee/replace-reference fix moves to another module
    (not to the project's own module that an option names: see `fix.project_module`)."""
    fix = rule.fix
    if fix is None or fix.applicability is not Applicability.SAFE:
        return []
    if fix.kind not in (FixKind.REPLACE_CALLEE, FixKind.REPLACE_REFERENCE):
        return []
    pairs: list[tuple[str, str]] = []
    if isinstance(fix.replacement, dict):
        pairs = list(fix.replacement.items())
    elif isinstance(fix.replacement, str):
        for matched in (*rule.selectors.call, *rule.selectors.reference):
            if not matched.endswith(".*"):
                module, _, name = matched.rpartition(".")
                values = {**rule.options, "matched": matched, "module": module, "name": name}
                pairs.append((matched, render(fix.replacement, values)))
    return [
        ModuleChange(rule, matched, target)
        for matched, target in pairs
        if matched.rpartition(".")[0] != target.rpartition(".")[0]
        and option_chosen_name(fix.replacement, rule.options, target) is None  # (the project's own)
    ]
