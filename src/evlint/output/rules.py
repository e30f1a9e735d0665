"""`evlint rules` (table, JSON, the README's Markdown table) and `evlint explain`."""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from typing import TextIO

from rich.console import Console
from rich.table import Table

from evlint.model import Rule


def _fixable(rule: Rule) -> str | None:
    """The fix's applicability (`safe`, `unsafe`, `display-only`), None without a fix."""
    return rule.fix.applicability.value if rule.fix is not None else None


def rule_rows(rules: Sequence[Rule], enabled: Collection[str]) -> list[dict[str, object]]:
    return [
        {
            "code": rule.id,
            "name": rule.name,
            "pack": rule.pack,
            "severity": rule.severity.value,
            "fixable": _fixable(rule),
            "enabled": rule.id in enabled,
            "summary": rule.summary,
        }
        for rule in rules
    ]


def write_rules_json(rules: Sequence[Rule], enabled: Collection[str], stream: TextIO) -> None:
    json.dump(rule_rows(rules, enabled), stream, indent=2)
    stream.write("\n")


def write_rules_table(
    rules: Sequence[Rule], enabled: Collection[str], stream: TextIO, *, color: bool
) -> None:
    table = Table("code", "name", "pack", "severity", "fixable", "enabled", "summary", box=None)
    for row in rule_rows(rules, enabled):
        table.add_row(
            str(row["code"]),
            str(row["name"]),
            str(row["pack"]),
            str(row["severity"]),
            str(row["fixable"] or "no"),
            "yes" if row["enabled"] else "no",
            str(row["summary"]),
        )
    Console(file=stream, force_terminal=color, no_color=not color, width=200).print(table)


def rules_markdown(rules: Sequence[Rule]) -> str:
    """The README's rules table: enabled means enabled by default."""
    lines = [
        "| code | name | pack | severity | enabled by default | fix | what it reports |",
        "|---|---|---|---|---|---|---|",
    ]
    for rule in rules:
        enabled = "yes" if rule.enabled else "no"
        summary = rule.summary.replace("|", "\\|")
        fix = _fixable(rule) or ""
        cells = (rule.id, rule.name, rule.pack, rule.severity.value, enabled, fix, summary)
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def explain(rule: Rule) -> str:
    parts = [
        f"# {rule.id} {rule.name} ({rule.pack} pack)",
        "",
        rule.summary,
        "",
        f"Severity: {rule.severity.value}. Enabled by default: {'yes' if rule.enabled else 'no'}."
        + (" A catch-all: reports only what no other rule reports." if rule.fallback else ""),
        f"Message: {rule.message}",
    ]
    if rule.suggestion:
        parts.append(f"Suggestion: {rule.suggestion}")
    if rule.fix is not None:
        how = "--fix" if rule.fix.applicability.value == "safe" else "--fix --unsafe-fixes"
        if rule.fix.applicability.value == "display-only":
            how = "never applied, shown only"
        parts.append(f"Fix: {rule.fix.kind.value}, {rule.fix.applicability.value} ({how}).")
    if rule.options:
        parts += ["", "Options ([tool.evlint.options." + rule.id + "]):"]
        parts += [f"  {name} = {json.dumps(value)}" for name, value in rule.options.items()]
    if rule.docs:
        parts += ["", rule.docs]
    for kind, examples in (("Invalid", rule.invalid_examples), ("Valid", rule.valid_examples)):
        for index, example in enumerate(examples):
            where = f" ({example.path})" if example.path != "example.py" else ""
            parts += [
                "",
                f"{kind} example {index}{where}:",
                *("    " + line for line in example.code.splitlines()),
            ]
            if example.fixed is not None:
                parts += ["  fixed:", *("    " + line for line in example.fixed.splitlines())]
    return "\n".join(parts) + "\n"
