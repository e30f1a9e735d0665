"""`# noqa` comments with flake8's semantics, and the file-level `# evlint: noqa`.

- `# noqa` on the reported line suppresses every code there; as in flake8, the "line" of
  a statement continued with a backslash, or of a multi-line string, is all its lines;
- `# noqa: CODE[,CODE...]` suppresses those codes; as in flake8 a code also suppresses the
  codes it is a prefix of (`# noqa: EVL1` covers EVL101); a list flake8 would not read
  as codes (`# noqa: see above`) is a blanket `# noqa`, as in flake8;
- `# evlint: noqa` anywhere in a file suppresses the whole file, `# evlint: noqa: CODE,...`
  those codes in the whole file.

Comments are found with the tokenizer, so `# noqa` inside a string is not a directive.
"""

from __future__ import annotations

import io
import re
import tokenize
from collections.abc import Iterable
from dataclasses import dataclass

from evlint.model import Diagnostic

_LINE_NOQA = re.compile(r"#\s*noqa(?::[\s]?(?P<codes>[A-Z]+[0-9]+(?:[,\s]+[A-Z]+[0-9]+)*))?", re.IGNORECASE)
_FILE_NOQA = re.compile(
    r"#\s*evlint:\s*noqa(?::\s*(?P<codes>[A-Z]+[0-9]+(?:[,\s]+[A-Z]+[0-9]+)*))?\s*$", re.IGNORECASE
)
_CODE_SEPARATOR = re.compile(r"[,\s]+")


@dataclass(frozen=True)
class Directive:
    """A suppression; `codes` None means every code."""

    codes: tuple[str, ...] | None

    def covers(self, code: str) -> bool:
        return self.codes is None or code.startswith(self.codes)


@dataclass(frozen=True)
class Directives:
    lines: dict[int, Directive]
    file: Directive | None


_ANY_NOQA = re.compile("noqa", re.IGNORECASE)


def parse_directives(text: str) -> Directives:
    lines: dict[int, Directive] = {}
    if _ANY_NOQA.search(text) is None:  # the tokenizer is slow; most files have no directive
        return Directives(lines, None)
    file_directive: Directive | None = None
    for rows, comment in _comments(text):
        file_match = _FILE_NOQA.match(comment)
        if file_match is not None:
            file_directive = _merge(file_directive, _directive(file_match))
            continue
        line_match = _LINE_NOQA.search(comment)
        if line_match is not None:
            directive = _directive(line_match)
            for row in rows:
                lines[row] = _merge(lines.get(row), directive)
    return Directives(lines, file_directive)


def _directive(match: re.Match[str]) -> Directive:
    codes = match.group("codes")
    if not codes:
        return Directive(None)
    return Directive(tuple(code.upper() for code in _CODE_SEPARATOR.split(codes.strip()) if code))


def _merge(old: Directive | None, new: Directive) -> Directive:
    if old is None:
        return new
    if old.codes is None or new.codes is None:
        return Directive(None)
    return Directive(old.codes + new.codes)


def _comments(text: str) -> Iterable[tuple[range, str]]:
    """Each comment with the rows it covers: flake8 splits lines at NL and NEWLINE tokens,
    so a backslash continuation or a multi-line string is one range."""
    first_row, comments = 0, []
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type in (tokenize.ENDMARKER, tokenize.DEDENT):
                continue
            first_row = first_row or token.start[0]
            if token.type == tokenize.COMMENT:
                comments.append(token.string)
            elif token.type in (tokenize.NL, tokenize.NEWLINE):
                yield from ((range(first_row, token.end[0] + 1), comment) for comment in comments)
                first_row, comments = 0, []
    except (tokenize.TokenError, SyntaxError):
        return  # the parser accepted the file; a tokenizer quirk only loses directives after it
    yield from ((range(first_row, first_row + 1), comment) for comment in comments)


def apply_noqa(diagnostics: Iterable[Diagnostic], text: str) -> list[Diagnostic]:
    """The diagnostics no directive in `text` suppresses."""
    directives = parse_directives(text)
    kept = []
    for diagnostic in diagnostics:
        if directives.file is not None and directives.file.covers(diagnostic.code):
            continue
        line = directives.lines.get(diagnostic.location.row)
        if line is not None and line.covers(diagnostic.code):
            continue
        kept.append(diagnostic)
    return kept


def apply_line_noqa(diagnostics: Iterable[Diagnostic], text: str) -> list[Diagnostic]:
    """`# noqa` for files that are not Python (requirements, setup.cfg, pyproject.toml)."""
    lines = text.splitlines()
    kept = []
    for diagnostic in diagnostics:
        line = lines[diagnostic.location.row - 1] if diagnostic.location.row <= len(lines) else ""
        comment = line[line.find("#") :] if "#" in line else ""
        match = _LINE_NOQA.search(comment)
        if match is None or not _directive(match).covers(diagnostic.code):
            kept.append(diagnostic)
    return kept
