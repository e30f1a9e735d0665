"""Findings with a code frame: coloured by rich on a terminal, plain text when piped."""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from evlint.engine import source_lines
from evlint.fix.apply import is_applicable
from evlint.model import CheckResult, Diagnostic
from evlint.output.safe import printable
from evlint.output.summary import summary_lines

_SEVERITY_STYLE = {"error": "bold red", "warning": "bold yellow", "info": "bold blue"}

# Text in pieces, each with its rich style ("": none). Piped output writes the pieces as they
# are, without importing rich or building its Text objects (a tenth of a second on nova).
Segments = list[tuple[str, str]]


def write_text(
    result: CheckResult,
    stream: TextIO,
    *,
    color: bool,
    quiet: bool,
    statistics: bool,
    unsafe_fixes: bool = False,
) -> None:
    emit = _coloured(stream) if color else _plain(stream)
    lines_of: dict[str, list[str]] = {}  # a file's lines, split once however many findings it has
    for diagnostic in result.diagnostics:
        lines = lines_of.get(diagnostic.path)
        if lines is None:
            lines = lines_of[diagnostic.path] = source_lines(result.text_of(diagnostic.path))
        emit(_render(diagnostic, lines, unsafe_fixes))
    if not quiet:
        for line in summary_lines(result, statistics=statistics, unsafe_fixes=unsafe_fixes):
            emit([(line, "bold")])


def _plain(stream: TextIO) -> Callable[[Segments], None]:
    def write(segments: Segments) -> None:
        stream.write("".join(text for text, _ in segments) + "\n")

    return write


def _coloured(stream: TextIO) -> Callable[[Segments], None]:
    from rich.console import Console
    from rich.text import Text

    console = Console(file=stream, force_terminal=True, highlight=False, soft_wrap=True, emoji=False)
    return lambda segments: console.print(Text.assemble(*segments))


def _render(diagnostic: Diagnostic, lines: list[str], unsafe_fixes: bool) -> Segments:
    """`lines`: the file's lines as the engine counts rows (a form feed does not end a line)."""
    d = diagnostic
    out: Segments = [(f"{printable(d.path)}:{d.location.row}:{d.location.column}: ", "bold")]
    out.append((d.code, _SEVERITY_STYLE[d.severity.value]))
    if is_applicable(d.fix, unsafe=unsafe_fixes):
        out.append((" [*]", "bold cyan"))
    out.append((f" {printable(d.message)}\n", ""))
    if 0 < d.location.row <= len(lines):
        out.extend(_frame(d, lines))
    if d.suggestion:
        out.append(("  = help: ", "bold cyan"))
        out.append((f"{printable(d.suggestion)}\n", ""))
    if d.fix is not None:
        out.append((f"  = fix ({d.fix.applicability.value}): ", "bold cyan"))
        out.append((f"{printable(d.fix.message)}\n", ""))
    return out


def _frame(d: Diagnostic, lines: list[str]) -> Segments:
    """The reported line and a caret underline of the span (to the line's end if it is longer)."""
    row = d.location.row
    raw = lines[row - 1].expandtabs(1)
    line = printable(raw)
    gutter = " " * len(str(row))
    # columns of the escaped line: an escape before or inside the span widens it
    start = len(printable(raw[: d.location.column - 1]))
    end = len(printable(raw[: d.end_location.column - 1])) if d.end_location.row == row else len(line)
    width = max(1, end - start)
    return [
        (f"{gutter} |\n", "blue"),
        (f"{row} | ", "blue"),
        (f"{line}\n", ""),
        (f"{gutter} | ", "blue"),
        (" " * start + "^" * width, _SEVERITY_STYLE[d.severity.value]),
        (f" {d.code}\n", ""),
    ]
