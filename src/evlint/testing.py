"""Run rules' own valid/invalid examples: the rule pack's tests, and `evlint test-rules`."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

from evlint.config import Settings
from evlint.engine import lint_text
from evlint.fix.apply import FixedSource, FixRefusedError, fix_source
from evlint.lint_file import lint_file
from evlint.model import DECODE_ERROR, SYNTAX_ERROR, Diagnostic, FileResult, Rule, RuleExample
from evlint.rulescope import RuleScope
from evlint.ruleset import CompiledRules
from evlint.unused_noqa import apply_noqa_checked

_VIRTUAL_ROOT = Path("/evlint-example-project")
FILE_ERROR_CODES = (SYNTAX_ERROR, DECODE_ERROR)
# ruff's style: the message says what is wrong in one short line; what to do is the suggestion.
MAX_MESSAGE_LENGTH = 80


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
    compiled = _compiled_for(rule, example, known)
    if compiled is None:
        return FileResult(example.path, ())
    result = lint_file(compiled, example.path, example.path, example.code.encode("utf-8"))
    return replace(result, diagnostics=_own(rule, result.diagnostics))


def _own(rule: Rule, diagnostics: Sequence[Diagnostic]) -> tuple[Diagnostic, ...]:
    """An unused-noqa rule's examples run with every rule of its pack (a directive is unused
    only with respect to the others): only its own findings, and file errors, count."""
    if not rule.selectors.unused_noqa:
        return tuple(diagnostics)
    return tuple(d for d in diagnostics if d.code == rule.id or d.code in FILE_ERROR_CODES)


def fix_example(rule: Rule, code: str, path: str, known: Sequence[Rule] = ()) -> FixedSource:
    """`code` after every fix of `rule` (unsafe and display-only ones too), as --fix would loop."""
    compiled = _compiled_for(rule, RuleExample(code, path=path), known)
    if compiled is None:
        return FixedSource(code, 0, ())

    def lint(text: str) -> tuple[Diagnostic, ...]:
        reportable = compiled.rules[: compiled.reportable]
        found = apply_noqa_checked(lint_text(path, text, compiled).diagnostics, text, reportable, path)
        return _own(rule, found)

    return fix_source(code, lint, unsafe=True, display_only=True)


def _compiled_for(rule: Rule, example: RuleExample, known: Sequence[Rule]) -> CompiledRules | None:
    others = (
        [r for r in known if r.pack == rule.pack and r.id != rule.id] if rule.selectors.unused_noqa else []
    )
    scope = RuleScope([rule, *others], Settings(project_root=_VIRTUAL_ROOT), known)
    active = scope.for_file(_VIRTUAL_ROOT / PurePosixPath(example.path))
    return scope.compiled.get(active) if active else None


def run_examples(rules: Sequence[Rule], known: Sequence[Rule] | None = None) -> list[ExampleFailure]:
    """The failing examples of `rules`; `known`: every rule loaded with them (default: `rules`)."""
    failures: list[ExampleFailure] = []
    known = rules if known is None else known
    for rule in rules:
        if rule.fix is not None and all(example.fixed is None for example in rule.invalid_examples):
            failures.append(
                ExampleFailure(rule, "invalid", 0, "the rule declares a fix but no example has `fixed`")
            )
        failures.extend(_invalid_failures(rule, known))
        failures.extend(_valid_failures(rule, known))
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
        elif long := [d.message for d in found if len(d.message) > MAX_MESSAGE_LENGTH]:
            problem = f"message longer than {MAX_MESSAGE_LENGTH} characters (put what to do in `suggestion`)"
            yield ExampleFailure(rule, "invalid", index, f"{problem}: {long[0]!r}")
        else:
            fix_problem = _fix_problem(rule, example, known)
            if fix_problem:
                yield ExampleFailure(rule, "invalid", index, fix_problem)


def _fix_problem(rule: Rule, example: RuleExample, known: Sequence[Rule]) -> str | None:
    """An example's `fixed` is exactly what fixing gives, and a second fix changes nothing.

    In a rule with a fix, an example without `fixed` is one the fix must leave alone.
    """
    if rule.fix is None and not rule.selectors.unused_noqa:  # (whose fix is built in)
        return "has `fixed` but the rule declares no fix" if example.fixed is not None else None
    try:
        first = fix_example(rule, example.code, example.path, known)
        second = fix_example(rule, first.text, example.path, known)
    except FixRefusedError as error:
        return f"the fix was refused: {error}"
    expected = example.code if example.fixed is None else example.fixed
    if first.text != expected:
        shown = "the code unchanged" if example.fixed is None else "`fixed`"
        return f"fixing gives {first.text!r}, expected {shown}: {expected!r}"
    if second.text != first.text:
        return f"fixing is not idempotent: a second round gives {second.text!r}"
    return None


def _valid_failures(rule: Rule, known: Sequence[Rule]) -> Iterable[ExampleFailure]:
    for index, example in enumerate(rule.valid_examples):
        diagnostics = check_example(rule, example, known).diagnostics
        if diagnostics:
            first = diagnostics[0]
            problem = f"expected no finding, got {first.code} at {first.location.row}:{first.location.column}"
            yield ExampleFailure(rule, "valid", index, f"{problem}: {first.message}")
