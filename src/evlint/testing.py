"""Run rules' own valid/invalid examples: the rule pack's tests, and `evlint test-rules`."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from evlint.config import Settings
from evlint.model import Rule, RuleExample
from evlint.runner import FileResult, RuleScope, lint_file

_VIRTUAL_ROOT = Path("/evlint-example-project")


@dataclass(frozen=True)
class ExampleFailure:
    rule: Rule
    kind: str  # "invalid" or "valid"
    index: int
    problem: str

    def __str__(self) -> str:
        return f"{self.rule.source}: {self.rule.id} {self.kind} example {self.index}: {self.problem}"


def check_example(rule: Rule, example: RuleExample, known: Sequence[Rule] = ()) -> FileResult:
    """Lint an example's code with the rule alone, as if it were the file at its path.

    `known` rules only tell a catch-all rule what the rest of its pack covers.
    """
    scope = RuleScope([rule], Settings(project_root=_VIRTUAL_ROOT), known)
    path = _VIRTUAL_ROOT / PurePosixPath(example.path)
    active = scope.for_file(path)
    if not active:
        return FileResult(example.path, ())
    return lint_file(scope.compiled.get(active), example.path, path.name, example.code.encode("utf-8"))


def run_examples(rules: Sequence[Rule]) -> list[ExampleFailure]:
    failures: list[ExampleFailure] = []
    for rule in rules:
        failures.extend(_invalid_failures(rule, rules))
        failures.extend(_valid_failures(rule, rules))
    return failures


def _invalid_failures(rule: Rule, known: Sequence[Rule]) -> Iterable[ExampleFailure]:
    for index, example in enumerate(rule.invalid_examples):
        diagnostics = check_example(rule, example, known).diagnostics
        found = [d for d in diagnostics if d.code == rule.id]
        errors = [d for d in diagnostics if d.code != rule.id]
        if errors:
            yield ExampleFailure(rule, "invalid", index, f"does not parse: {errors[0].message}")
        elif example.count is not None and len(found) != example.count:
            yield ExampleFailure(
                rule, "invalid", index, f"expected {example.count} findings, got {len(found)}"
            )
        elif not found:
            yield ExampleFailure(rule, "invalid", index, "expected a finding, got none")


def _valid_failures(rule: Rule, known: Sequence[Rule]) -> Iterable[ExampleFailure]:
    for index, example in enumerate(rule.valid_examples):
        diagnostics = check_example(rule, example, known).diagnostics
        if diagnostics:
            first = diagnostics[0]
            problem = f"expected no finding, got {first.code} at {first.location.row}:{first.location.column}"
            yield ExampleFailure(rule, "valid", index, f"{problem}: {first.message}")
