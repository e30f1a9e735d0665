"""`--add-noqa` (ruff's): a `# noqa: CODE` on each line with findings, merged into a
directive already there, so a codebase can adopt evlint and fail only on new code.

A file is rewritten only if it still parses afterwards (a line that ends inside a
multi-line string cannot take a comment), atomically and only if unchanged since the check.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from evlint.model import DECODE_ERROR, INTERNAL_ERROR, READ_ERROR, SYNTAX_ERROR, CheckResult, Diagnostic
from evlint.pyparse import parse, source_encoding
from evlint.requirements import is_dependency_file

_FILE_CODES = (SYNTAX_ERROR, DECODE_ERROR, READ_ERROR, INTERNAL_ERROR)
_DIRECTIVE = re.compile(r"#\s*noqa(?::\s?(?P<codes>[A-Z]+[0-9]+(?:[,\s]+[A-Z]+[0-9]+)*))?", re.IGNORECASE)
_LINE_END = re.compile(r"(\r\n|\r|\n)?\Z")


def add_noqa(result: CheckResult) -> tuple[int, list[str]]:
    """Add the directives; the number added and a warning for each file left alone."""
    added, warnings = 0, []
    for file in result.files:
        rows = _codes_by_row(file.diagnostics)
        if not rows or is_dependency_file(Path(file.path).name):
            continue
        try:
            added += _add_to_file(Path(file.path), rows)
        except (OSError, UnicodeError, SyntaxError, ValueError) as error:
            warnings.append(f"evlint: warning: {file.path}: no noqa directives added: {error}")
    return added, warnings


def _codes_by_row(diagnostics: Iterable[Diagnostic]) -> dict[int, set[str]]:
    rows: dict[int, set[str]] = {}
    for diagnostic in diagnostics:
        if diagnostic.code not in _FILE_CODES:
            rows.setdefault(diagnostic.noqa_row or diagnostic.location.row, set()).add(diagnostic.code)
    return rows


def _add_to_file(path: Path, rows: dict[int, set[str]]) -> int:
    from evlint.atomic import write_atomically

    source = path.read_bytes()
    encoding = source_encoding(source)
    lines = source.decode(encoding).splitlines(keepends=True)
    added = 0
    for row, codes in rows.items():
        if row <= len(lines):
            new = _with_directive(lines[row - 1], codes)
            added += new != lines[row - 1]
            lines[row - 1] = new
    text = "".join(lines)
    parse(text, filename=str(path))  # raises SyntaxError: the file is left as it was
    if added:
        write_atomically(path, text.encode(encoding), expected=source)
    return added


def _with_directive(line: str, codes: set[str]) -> str:
    ending = _LINE_END.search(line)
    end = ending.start() if ending is not None else len(line)
    body, newline = line[:end], line[end:]
    existing = _DIRECTIVE.search(body)
    if existing is None:
        return f"{body.rstrip()}  # noqa: {', '.join(sorted(codes))}{newline}"
    if existing.group("codes") is None:
        return line  # a blanket noqa already covers them
    listed = [code.upper() for code in re.split(r"[,\s]+", existing.group("codes")) if code]
    missing = sorted(code for code in codes if not code.startswith(tuple(listed)))
    if not missing:
        return line
    merged = f"# noqa: {', '.join([*listed, *missing])}"
    return body[: existing.start()] + merged + body[existing.end() :] + newline
