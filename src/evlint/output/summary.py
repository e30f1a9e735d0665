"""The closing lines every human-readable format shares."""

from __future__ import annotations

from collections import Counter

from evlint.runner import CheckResult


def summary_lines(result: CheckResult, *, statistics: bool) -> list[str]:
    diagnostics = result.diagnostics
    lines: list[str] = []
    if statistics and diagnostics:
        counts = Counter(d.code for d in diagnostics)
        width = len(str(max(counts.values())))
        lines.extend(f"{count:>{width}}\t{code}" for code, count in sorted(counts.items()))
    if diagnostics:
        noun = "error" if len(diagnostics) == 1 else "errors"
        files = len({d.path for d in diagnostics})
        lines.append(f"Found {len(diagnostics)} {noun} in {files} file{'s' if files != 1 else ''}.")
    else:
        lines.append(f"All checks passed! ({result.files_checked} files checked)")
    return lines
