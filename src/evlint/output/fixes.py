"""`--show-fixes`: ruff's list of the fixes applied, by file and rule."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TextIO

from evlint.model import CheckResult, Rule


def write_fixes(result: CheckResult, rules: Sequence[Rule], stream: TextIO) -> None:
    names = {rule.id: rule.name for rule in rules}
    fixed = [file for file in sorted(result.files, key=lambda f: f.path) if file.fixed]
    if not fixed:
        return
    noun = "error" if result.fixed == 1 else "errors"
    stream.write(f"Fixed {result.fixed} {noun}:\n")
    for file in fixed:
        stream.write(f"- {file.path}:\n")
        for code, count in sorted(Counter(file.fixed_codes).items()):
            stream.write(f"    {count} × {code} ({names.get(code, code)})\n")  # noqa: RUF001 (ruff's sign)
    stream.write("\n")
