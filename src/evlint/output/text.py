"""Findings with a code frame: coloured by rich on a terminal, plain text when piped."""

from __future__ import annotations

import os
import re
import shutil
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


class CodeLine(list[tuple[str, str]]):
    """A line of the code frame: never wrapped."""


def write_text(
    result: CheckResult,
    stream: TextIO,
    *,
    color: bool,
    quiet: bool,
    unsafe_fixes: bool = False,
) -> None:
    emit = _coloured(stream) if color else _plain(stream)
    width = terminal_width(stream)
    lines_of: dict[str, list[str]] = {}  # a file's lines, split once however many findings it has
    linked: set[str] = set()  # codes whose documentation link was shown (once per code)
    for diagnostic in result.diagnostics:
        lines = lines_of.get(diagnostic.path)
        if lines is None:
            lines = lines_of[diagnostic.path] = source_lines(result.text_of(diagnostic.path))
        show_url = diagnostic.code not in linked
        linked.add(diagnostic.code)
        for line in _render(diagnostic, lines, unsafe_fixes, show_url=show_url):
            emit(line if width is None or isinstance(line, CodeLine) else wrap_segments(line, width))
    if not quiet:
        for summary in summary_lines(result, unsafe_fixes=unsafe_fixes):
            emit([(summary, "bold")])


def terminal_width(stream: TextIO) -> int | None:
    """The width to wrap at, between words: the terminal's, or COLUMNS when piped; None: no
    wrapping (piped output stays one finding a line for grep)."""
    if "COLUMNS" not in os.environ and not stream.isatty():
        return None
    return shutil.get_terminal_size().columns


def wrap_segments(segments: Segments, width: int) -> Segments:
    """One line wrapped at spaces to `width`, continued under its first word after `=` or
    indented by two; a word longer than the line is left whole."""
    text = "".join(piece for piece, _ in segments)
    if len(text) <= width:
        return segments
    marker = text.find("= ")
    indent = " " * (text.index(":", marker) + 2 if 0 <= marker < 4 and ":" in text[marker:] else 2)
    out: Segments = []
    column = 0
    pending: list[tuple[str, str]] = []  # spaces before the next word
    for piece, style in segments:
        for token in re.findall(r"\s+|\S+", piece):
            if token.isspace():
                pending.append((token, style))
                continue
            spaces = sum(len(space) for space, _ in pending)
            if column > len(indent) and column + spaces + len(token) > width:
                out.append(("\n" + indent, ""))
                column = len(indent)
            else:
                out.extend(pending)
                column += spaces
            pending = []
            out.append((token, style))
            column += len(token)
    return out


def _plain(stream: TextIO) -> Callable[[Segments], None]:
    def write(segments: Segments) -> None:
        stream.write("".join(text for text, _ in segments) + "\n")

    return write


def _coloured(stream: TextIO) -> Callable[[Segments], None]:
    from rich.console import Console
    from rich.text import Text

    console = Console(file=stream, force_terminal=True, highlight=False, soft_wrap=True, emoji=False)
    return lambda segments: console.print(Text.assemble(*segments))


def _render(
    diagnostic: Diagnostic, lines: list[str], unsafe_fixes: bool, *, show_url: bool
) -> list[Segments]:
    """The finding's lines. `lines`: the file's lines as the engine counts rows (a form feed
    does not end a line)."""
    d = diagnostic
    header: Segments = [(f"{printable(d.path)}:{d.location.row}:{d.location.column}: ", "bold")]
    header.append((d.code, _SEVERITY_STYLE[d.severity.value]))
    if is_applicable(d.fix, unsafe=unsafe_fixes):
        header.append((" [*]", "bold cyan"))
    header.append((f" {printable(d.message)}", ""))
    out = [header]
    if 0 < d.location.row <= len(lines):
        out.extend(_frame(d, lines))
    if d.suggestion:
        out.append([("  = help: ", "bold cyan"), (printable(d.suggestion), "")])
    if d.fix is not None:
        out.append(
            [(f"  = fix ({d.fix.applicability.value}): ", "bold cyan"), (printable(d.fix.message), "")]
        )
    if d.url and show_url:
        out.append([("  = docs: ", "bold cyan"), (printable(d.url), f"link {d.url}")])
    out.append([("", "")])
    return out


def _frame(d: Diagnostic, lines: list[str]) -> list[Segments]:
    """The reported line and a caret underline of the span (to the line's end if it is longer);
    code is never wrapped."""
    row = d.location.row
    raw = lines[row - 1].expandtabs(1)
    line = printable(raw)
    gutter = " " * len(str(row))
    # columns of the escaped line: an escape before or inside the span widens it
    start = len(printable(raw[: d.location.column - 1]))
    end = len(printable(raw[: d.end_location.column - 1])) if d.end_location.row == row else len(line)
    width = max(1, end - start)
    return [
        CodeLine([(f"{gutter} |", "blue")]),
        CodeLine([(f"{row} | ", "blue"), (line, "")]),
        CodeLine(
            [
                (f"{gutter} | ", "blue"),
                (" " * start + "^" * width, _SEVERITY_STYLE[d.severity.value]),
                (f" {d.code}", ""),
            ]
        ),
    ]
