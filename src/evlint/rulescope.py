"""Which of the selected rules apply to a file: rule `paths`, per-file-ignores, and the
compiled tables of each distinct set of active rules."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pathspec

from evlint.config import Settings
from evlint.discover import relative_posix
from evlint.model import Rule
from evlint.patterns import strict_spec
from evlint.ruleset import CompiledRules, expand_paths


class RuleScope:
    """Which of the selected rules apply to a file: rule `paths` and per-file-ignores.

    `known` is every loaded rule: those of a selected catch-all's pack cover its sites
    even where they are not active (see CompiledRules).
    """

    def __init__(self, rules: Sequence[Rule], settings: Settings, known: Sequence[Rule] = ()) -> None:
        fallback_packs = {rule.pack for rule in rules if rule.fallback}
        extra = [r for r in known if r.pack in fallback_packs and not r.fallback and r not in rules]
        self.rules = (*rules, *extra)
        self.selected = len(rules)
        coverage = tuple(i for i, r in enumerate(self.rules) if r.pack in fallback_packs and not r.fallback)
        self.compiled = CompiledCache(self.rules, coverage)
        self.root = settings.project_root
        self._includes = [_rule_spec(rule, rule.include_paths) for rule in self.rules]
        self._excludes = [_rule_spec(rule, rule.exclude_paths) for rule in self.rules]
        self._per_file = [
            (_spec((pattern,), "per-file-ignores"), codes) for pattern, codes in settings.per_file_ignores
        ]
        # The selected rules with `paths`: only theirs differ from file to file.
        self._scoped = [
            index
            for index in range(self.selected)
            if self._includes[index] is not None or self._excludes[index] is not None
        ]
        self._active: dict[tuple[tuple[int, ...], tuple[str, ...]], tuple[int, ...]] = {}

    @property
    def selected_rules(self) -> tuple[Rule, ...]:
        return self.rules[: self.selected]

    def for_file(self, path: Path) -> tuple[int, ...]:
        """The indexes (in `rules`) of the rules active in `path`."""
        relative = relative_posix(path, self.root)
        ignored = tuple(
            code for spec, codes in self._per_file if spec and spec.match_file(relative) for code in codes
        )
        outside = tuple(index for index in self._scoped if not self._applies(index, relative))
        active = self._active.get((outside, ignored))
        if active is None:
            active = self._active[outside, ignored] = tuple(
                index
                for index, rule in enumerate(self.rules[: self.selected])
                if index not in outside and not (ignored and rule.id.startswith(ignored))
            )
        return active

    def _applies(self, index: int, relative: str) -> bool:
        include, exclude = self._includes[index], self._excludes[index]
        if include is not None and not include.match_file(relative):
            return False
        return exclude is None or not exclude.match_file(relative)


class CompiledCache:
    """Compiled tables per distinct set of active rules (files mostly share a few sets)."""

    def __init__(self, rules: tuple[Rule, ...], coverage: tuple[int, ...] = ()) -> None:
        self.rules = rules
        self.coverage = coverage
        self._cache: dict[tuple[int, ...], CompiledRules] = {}

    def __reduce__(self) -> tuple[Any, ...]:
        # A pool worker gets the rules and compiles its own tables.
        return (CompiledCache, (self.rules, self.coverage))

    def get(self, active: tuple[int, ...]) -> CompiledRules:
        compiled = self._cache.get(active)
        if compiled is None:
            reported = [self.rules[index] for index in active]
            covering = []
            if any(rule.fallback for rule in reported):
                covering = [self.rules[index] for index in self.coverage if index not in active]
            compiled = self._cache[active] = CompiledRules(reported, covering)
        return compiled


def _rule_spec(rule: Rule, patterns: Sequence[str]) -> pathspec.GitIgnoreSpec | None:
    return _spec(expand_paths(patterns, rule.options), f"{rule.source}: {rule.id} paths")


def _spec(patterns: Sequence[str], where: str) -> pathspec.GitIgnoreSpec | None:
    return strict_spec(patterns, where) if patterns else None
