"""Findings with a code frame: coloured by rich on a terminal, plain text when piped."""

from __future__ import annotations

from typing import TextIO

from rich.console import Console
from rich.text import Text

from evlint.engine import source_lines
from evlint.fix import is_applicable
from evlint.model import Diagnostic
from evlint.output.summary import summary_lines
from evlint.runner import CheckResult

_SEVERITY_STYLE = {"error": "bold red", "warning": "bold yellow", "info": "bold blue"}


def write_text(
    result: CheckResult,
    stream: TextIO,
    *,
    color: bool,
    quiet: bool,
    statistics: bool,
    unsafe_fixes: bool = False,
) -> None:
    console = Console(
        file=stream,
        force_terminal=color,
        no_color=not color,
        highlight=False,
        soft_wrap=True,
        emoji=False,
    )

    def emit(text: Text) -> None:
        if color:
            console.print(text)
        else:  # the same characters, without rich's rendering pass (a tenth of a second on nova)
            stream.write(text.plain + "\n")

    lines_of: dict[str, list[str]] = {}  # a file's lines, split once however many findings it has
    for diagnostic in result.diagnostics:
        lines = lines_of.get(diagnostic.path)
        if lines is None:
            lines = lines_of[diagnostic.path] = source_lines(result.text_of(diagnostic.path))
        emit(_render(diagnostic, lines, unsafe_fixes))
    if not quiet:
        for line in summary_lines(result, statistics=statistics, unsafe_fixes=unsafe_fixes):
            emit(Text(line, style="bold"))


def _render(diagnostic: Diagnostic, lines: list[str], unsafe_fixes: bool) -> Text:
    """`lines`: the file's lines as the engine counts rows (a form feed does not end a line)."""
    d = diagnostic
    out = Text()
    out.append(f"{d.path}:{d.location.row}:{d.location.column}: ", style="bold")
    out.append(d.code, style=_SEVERITY_STYLE[d.severity.value])
    if is_applicable(d.fix, unsafe=unsafe_fixes):
        out.append(" [*]", style="bold cyan")
    out.append(f" {d.message}\n")
    if 0 < d.location.row <= len(lines):
        out.append_text(_frame(d, lines))
    if d.suggestion:
        out.append("  = help: ", style="bold cyan")
        out.append(f"{d.suggestion}\n")
    if d.fix is not None:
        out.append(f"  = fix ({d.fix.applicability.value}): ", style="bold cyan")
        out.append(f"{d.fix.message}\n")
    return out


def _frame(d: Diagnostic, lines: list[str]) -> Text:
    """The reported line and a caret underline of the span (to the line's end if it is longer)."""
    row = d.location.row
    line = lines[row - 1].expandtabs(1)
    gutter = " " * len(str(row))
    start = d.location.column - 1
    end = d.end_location.column - 1 if d.end_location.row == row else len(line)
    width = max(1, end - start)
    frame = Text()
    frame.append(f"{gutter} |\n", style="blue")
    frame.append(f"{row} | ", style="blue")
    frame.append(f"{line}\n")
    frame.append(f"{gutter} | ", style="blue")
    frame.append(" " * start + "^" * width, style=_SEVERITY_STYLE[d.severity.value])
    frame.append(f" {d.code}\n")
    return frame
