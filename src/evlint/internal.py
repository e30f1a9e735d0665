"""Crash isolation: a bug that fires on one file (or one rule on one file) becomes a finding.

A linter in a CI gate must not abort the whole run because one file trips a bug in it.
The engine, the fix stage and each rule's fix proposal catch unexpected exceptions at
their boundary and turn them into an `EVL003` diagnostic that names the rule (when the
crash happened inside one), the file and the line, with a request to report it. The
traceback travels with the result (across the process pool too) and `evlint check
--debug` prints it on standard error. Only exceptions that are bugs are caught here:
the expected failures (syntax errors, undecodable files, refused fixes) have their own
codes, and KeyboardInterrupt/SystemExit are never caught.
"""

from __future__ import annotations

import ast
import traceback
from dataclasses import dataclass
from types import TracebackType

from evlint.model import Diagnostic, Location, Rule, Severity

INTERNAL_ERROR = "EVL003"


@dataclass(frozen=True)
class InternalError:
    """One caught crash: where it happened and the traceback to show with --debug."""

    path: str
    stage: str  # "analysis", "fix", ...
    summary: str  # `ExceptionType: message`
    rule: str | None
    row: int
    traceback: str

    def diagnostic(self) -> Diagnostic:
        where = f" in rule {self.rule}" if self.rule else ""
        message = f"internal error during {self.stage}{where}: {self.summary} (please report)"
        location = Location(self.row, 1)
        return Diagnostic(INTERNAL_ERROR, message, self.path, location, location, Severity.ERROR)

    def debug_text(self) -> str:
        return f"evlint: internal error in {self.path}:{self.row}:\n{self.traceback}"


def capture(
    error: Exception, path: str, stage: str, *, rule: str | None = None, row: int | None = None
) -> InternalError:
    """`error`, just caught, as an InternalError; rule and row are looked up in the
    traceback's frames when the caller does not know them."""
    found_rule, found_row = _context(error.__traceback__)
    summary = f"{type(error).__name__}: {error}".rstrip(": ").splitlines()[0]
    return InternalError(
        path=path,
        stage=stage,
        summary=summary,
        rule=rule or found_rule,
        row=row or found_row or 1,
        traceback="".join(traceback.format_exception(type(error), error, error.__traceback__)),
    )


def _context(tb: TracebackType | None) -> tuple[str | None, int | None]:
    """The rule and source line the innermost frames were working on, if any held one:
    a `Rule` in a local variable, an `ast` node with a line number."""
    frames = []
    while tb is not None:
        frames.append(tb.tb_frame)
        tb = tb.tb_next
    rule: str | None = None
    row: int | None = None
    for frame in reversed(frames):
        for value in frame.f_locals.values():
            if rule is None and isinstance(value, Rule):
                rule = value.id
            if row is None and isinstance(value, ast.AST) and not isinstance(value, ast.Module):
                row = getattr(value, "lineno", None)
        if rule is not None and row is not None:
            break
    return rule, row
