"""The closing lines every human-readable format shares."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from evlint.fix.apply import is_applicable
from evlint.model import Applicability, CheckResult, Diagnostic, Severity


def summary_lines(result: CheckResult, *, unsafe_fixes: bool = False) -> list[str]:
    diagnostics = result.diagnostics
    lines: list[str] = []
    if result.fixed:
        noun = "error" if result.fixed + len(diagnostics) == 1 else "errors"
        total = result.fixed + len(diagnostics)
        lines.append(f"Found {total} {noun} ({result.fixed} fixed, {len(diagnostics)} remaining).")
    elif diagnostics:
        files = len({d.path for d in diagnostics})
        lines.append(f"Found {_by_severity(diagnostics)} in {files} file{'s' if files != 1 else ''}.")
    else:
        lines.append(f"All checks passed! ({result.files_checked} files checked)")
    fixable_line = _fixable_line(result, unsafe_fixes=unsafe_fixes)
    if fixable_line:
        lines.append(fixable_line)
    if result.baseline is not None:
        lines.append(result.baseline.summary())
    return lines


_NOUNS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _by_severity(diagnostics: Sequence[Diagnostic]) -> str:
    """`3 errors, 2 warnings and 1 note`: a warning is not counted as an error."""
    counts = Counter(d.severity for d in diagnostics)
    parts = [
        f"{counts[severity]} {noun}{'s' if counts[severity] != 1 else ''}"
        for severity, noun in _NOUNS.items()
        if counts[severity]
    ]
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


def _fixable_line(result: CheckResult, *, unsafe_fixes: bool) -> str | None:
    """ruff's hint: how many findings `--fix` would fix, and how many need --unsafe-fixes."""
    fixes = [d.fix for d in result.diagnostics if d.fix is not None]
    fixable = sum(is_applicable(fix, unsafe=unsafe_fixes) for fix in fixes)
    hidden = 0 if unsafe_fixes else sum(fix.applicability is Applicability.UNSAFE for fix in fixes)
    hint = ""
    if hidden:
        plural = "fix" if hidden == 1 else "fixes"
        hint = f"{hidden} hidden {plural} can be enabled with the `--unsafe-fixes` option"
    if fixable:
        flags = "`--fix --unsafe-fixes` options" if unsafe_fixes else "`--fix` option"
        return f"[*] {fixable} fixable with the {flags}" + (f" ({hint})." if hint else ".")
    return f"No fixes available ({hint})." if hint else None
