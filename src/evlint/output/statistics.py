"""`--statistics`, as ruff prints it: one line per rule code, most frequent first, with the
rule's name and whether `--fix` would fix its findings; a JSON list with `--output-format json`."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TextIO

from evlint.fix.apply import is_applicable
from evlint.model import DECODE_ERROR, INTERNAL_ERROR, READ_ERROR, SYNTAX_ERROR, CheckResult, Rule

# Codes of findings about a file rather than its code: no rule file names them.
_FILE_CODE_NAMES = {
    SYNTAX_ERROR: "syntax-error",
    DECODE_ERROR: "decode-error",
    READ_ERROR: "read-error",
    INTERNAL_ERROR: "internal-error",
}


@dataclass(frozen=True)
class CodeCount:
    code: str
    name: str
    count: int
    fixable: bool


def code_counts(result: CheckResult, rules: Sequence[Rule], *, unsafe_fixes: bool) -> list[CodeCount]:
    names = {**_FILE_CODE_NAMES, **{rule.id: rule.name for rule in rules}}
    counts: dict[str, int] = {}
    fixable: set[str] = set()
    for diagnostic in result.diagnostics:
        counts[diagnostic.code] = counts.get(diagnostic.code, 0) + 1
        if is_applicable(diagnostic.fix, unsafe=unsafe_fixes):
            fixable.add(diagnostic.code)
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [CodeCount(code, names.get(code, ""), count, code in fixable) for code, count in ordered]


def write_statistics(
    result: CheckResult,
    rules: Sequence[Rule],
    stream: TextIO,
    *,
    as_json: bool,
    unsafe_fixes: bool = False,
) -> None:
    counts = code_counts(result, rules, unsafe_fixes=unsafe_fixes)
    if as_json:
        items = [{"code": c.code, "name": c.name, "count": c.count, "fixable": c.fixable} for c in counts]
        json.dump(items, stream, indent=2)
        stream.write("\n")
        return
    if not counts:
        return
    count_width = max(len(str(c.count)) for c in counts)
    code_width = max(len(c.code) for c in counts)
    for c in counts:
        mark = "[*]" if c.fixable else "[ ]"
        stream.write(f"{c.count:>{count_width}}\t{c.code:<{code_width}}\t{mark} {c.name}\n")
    if any(c.fixable for c in counts):
        flags = "--fix --unsafe-fixes" if unsafe_fixes else "--fix"
        stream.write(f"[*] fixable with `evlint check {flags}`\n")
