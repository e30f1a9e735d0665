"""`evlint rules` (table, JSON, the README's Markdown table) and `evlint explain`."""

from __future__ import annotations

import json
import shutil
import textwrap
from collections.abc import Collection, Sequence
from typing import TextIO

from evlint.model import Rule


def _fixable(rule: Rule) -> str | None:
    """The fix's applicability (`safe`, `unsafe`, `display-only`), None without a fix."""
    if rule.selectors.unused_noqa:
        return "safe"  # (a fix built in: the directive removed)
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


_COLUMNS = ("code", "name", "pack", "severity", "fixable", "enabled")


def write_rules_table(
    rules: Sequence[Rule], enabled: Collection[str], stream: TextIO, *, color: bool
) -> None:
    """One rule a row; the summary ends the row on a wide terminal, else it goes below the
    row, indented and wrapped between words, so the table fits the terminal's width."""
    rows: list[tuple[str, ...]] = [
        (
            str(row["code"]),
            str(row["name"]),
            str(row["pack"]),
            str(row["severity"]),
            str(row["fixable"] or "no"),
            "yes" if row["enabled"] else "no",
            str(row["summary"]),
        )
        for row in rule_rows(rules, enabled)
    ]
    width = shutil.get_terminal_size().columns
    columns = list(_COLUMNS)
    if _fixed_width(rows, columns) > width:  # too narrow for every column: the pack goes below
        rows = [(*row[:2], *row[3:-1], f"{row[-1]} ({row[2]} pack)") for row in rows]
        columns.remove("pack")
    widths = [max(len(header), *(len(row[i]) for row in rows)) for i, header in enumerate(columns)]
    inline = width - _fixed_width(rows, columns) >= 40  # room for the summary on the row itself
    header = "  ".join(h.ljust(w) for h, w in zip(columns, widths, strict=True))
    _line(stream, header + ("  summary" if inline else ""), bold=color)
    indent = " " * (widths[0] + 2)
    for row in rows:
        cells = "  ".join(cell.ljust(w) for cell, w in zip(row[:-1], widths, strict=True))
        if inline:
            stream.write(f"{cells}  {row[-1]}".rstrip() + "\n")
            continue
        stream.write(cells.rstrip() + "\n")
        for line in textwrap.wrap(row[-1], width - len(indent), break_long_words=False):
            stream.write(indent + line + "\n")


def _fixed_width(rows: Sequence[tuple[str, ...]], columns: Sequence[str]) -> int:
    """The width of the columns before the summary, with their two-space gaps."""
    return sum(max(len(header), *(len(row[i]) for row in rows)) + 2 for i, header in enumerate(columns))


def _line(stream: TextIO, text: str, *, bold: bool) -> None:
    stream.write((f"\x1b[1m{text.rstrip()}\x1b[0m" if bold else text.rstrip()) + "\n")


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
