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
from types import TracebackType

from evlint.model import INTERNAL_ERROR, InternalError, Rule

__all__ = ["INTERNAL_ERROR", "InternalError", "capture"]


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
