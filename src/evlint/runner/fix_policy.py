"""ruff's `fixable`, `unfixable` and `extend-fixable`: rule selectors (codes, prefixes,
ALL) whose fixes apply. A finding of a rule that is not fixable keeps its fix, shown as
display-only, so `--fix` leaves it and the output says why; between a fixable and an
unfixable selector that both name a code, the more specific wins (as select/ignore)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from evlint.config import Settings
from evlint.model import Applicability, Diagnostic, FileResult


class FixPolicy:
    def __init__(self, settings: Settings) -> None:
        self.fixable = (
            *(settings.fixable if settings.fixable is not None else ("ALL",)),
            *settings.extend_fixable,
        )
        self.unfixable = settings.unfixable
        self._decided: dict[str, bool] = {}

    @property
    def restricts(self) -> bool:
        return bool(self.unfixable) or self.fixable != ("ALL",)

    def allows(self, code: str) -> bool:
        allowed = self._decided.get(code)
        if allowed is None:
            fix, unfix = _strength(code, self.fixable), _strength(code, self.unfixable)
            allowed = self._decided[code] = fix >= 0 and fix > unfix
        return allowed

    def review(self, diagnostics: Iterable[Diagnostic]) -> tuple[Diagnostic, ...]:
        return tuple(self._reviewed(d) for d in diagnostics)

    def review_file(self, result: FileResult) -> FileResult:
        if not self.restricts or all(d.fix is None or self.allows(d.code) for d in result.diagnostics):
            return result
        return replace(result, diagnostics=self.review(result.diagnostics))

    def _reviewed(self, diagnostic: Diagnostic) -> Diagnostic:
        fix = diagnostic.fix
        if fix is None or fix.applicability is Applicability.DISPLAY_ONLY or self.allows(diagnostic.code):
            return diagnostic
        message = f"{fix.message} (display only: {diagnostic.code} is not fixable by the configuration)"
        return replace(
            diagnostic, fix=replace(fix, applicability=Applicability.DISPLAY_ONLY, message=message)
        )


def _strength(code: str, selectors: Sequence[str]) -> int:
    lengths = [0 if s == "ALL" else len(s) for s in selectors if s == "ALL" or code.startswith(s)]
    return max(lengths, default=-1)
