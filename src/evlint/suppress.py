"""`# noqa` comments with flake8's semantics, and the file-level `# evlint: noqa`.

- `# noqa` on the reported line suppresses every code there; as in flake8, the "line" of
  a statement continued with a backslash, or of a multi-line string, is all its lines;
- `# noqa: CODE[,CODE...]` suppresses those codes; as in flake8 a code also suppresses the
  codes it is a prefix of (`# noqa: EVL1` covers EVL101); a list flake8 would not read
  as codes (`# noqa: see above`) is a blanket `# noqa`, as in flake8;
- `# evlint: noqa` anywhere in a file suppresses the whole file, `# evlint: noqa: CODE,...`
  those codes in the whole file.

Comments are found as the tokenizer finds them, so `# noqa` inside a string is not a
directive. Python's `tokenize` module costs as much as parsing the file, so on Python < 3.12
a single regular expression finds the strings, comments and backslash continuations
instead, and reproduces what `tokenize` reports (its rows and its quirks, see
`_scanned_comments`); on what the expression does not model it hands over to `tokenize`.
On 3.12+ f-strings may nest their own quotes (PEP 701), which no regular expression can
follow, so `tokenize` is used there.
"""

from __future__ import annotations

import io
import re
import sys
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
    if _ANY_NOQA.search(text) is None:  # most files have no directive
        return Directives({}, None)
    if "\r" in text:  # a lone CR ends a line for Python (and evlint's rows), not for readline
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _directives(_comments(text))


def _directives(comments: Iterable[tuple[range, str]]) -> Directives:
    lines: dict[int, Directive] = {}
    file_directive: Directive | None = None
    for rows, comment in comments:
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
    """The comments (at least those that mention noqa), each with the rows it covers: flake8
    splits lines at NL and NEWLINE tokens, so a backslash continuation or a multi-line string
    is one range."""
    if _SCANNER_MATCHES_TOKENIZE:
        scanned = _scanned_comments(text)
        if scanned is not None:
            return scanned
    return _tokenized_comments(text)


def _tokenized_comments(text: str) -> Iterable[tuple[range, str]]:
    """Every comment with the rows `tokenize` puts in its chunk: the reference the scanner
    reproduces, and what runs where the scanner does not apply."""
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


# PEP 701 (3.12): an f-string may hold its own quote, and comments, in its replacement fields.
_SCANNER_MATCHES_TOKENIZE = sys.version_info < (3, 12)


def _string_alternatives(quote: str) -> dict[str, str]:
    """The string tokens that open with `quote`, as `tokenize` (< 3.12) reads them. Prefix
    letters are left out: they hold no quote, `#` or newline, so they change no row."""
    q = quote
    plain = rf"[^{q}\\\r\n]"
    line = rf"{plain}*(?:\\[^\r\n]{plain}*)*"  # one line of a body: escapes, not of a line end
    return {
        "triple_line": rf"{q}{q}{q}{plain}*(?:(?:\\[^\r\n]|{q}(?!{q}{q})){plain}*)*{q}{q}{q}",
        "triple": rf"{q}{q}{q}[^{q}\\]*(?:(?:\\[\s\S]|{q}(?!{q}{q}))[^{q}\\]*)*{q}{q}{q}",
        "triple_open": q * 3,  # never closed: tokenize raises at the end of the file
        "single": rf"{q}{line}{q}",
        # A backslash-newline continues a single-quoted string; tokenize tests each next line
        # only for ending in a backslash and a newline (an escaped backslash continues it too),
        # and a next line that neither closes nor continues it ends the (erroneous) token.
        # Unclosed on its first line, a quote is an error token and the rest of the line code.
        "continued": rf"{q}{line}\\\r?\n(?:{line}(?:\\|(?<=\\))\r?\n)*{line}\\?(?:{q}|\r?\n|\Z)",
    }


def _tokens_pattern() -> re.Pattern[str]:
    alternatives = {"comment": r"#[^\r\n]*"}
    single, double = _string_alternatives("'"), _string_alternatives('"')
    for kind in single:
        alternatives[kind] = f"{single[kind]}|{double[kind]}"
    alternatives["backslash"] = r"\\\r?\n"
    alternatives["other"] = r"['\"\\]"  # an error token: a quote that opens no string, a stray backslash
    alternatives["end"] = r"\Z"
    tokens = "|".join(f"(?P<{kind}>{pattern})" for kind, pattern in alternatives.items())
    # Each match skips the code before the next token itself: a search for the alternatives
    # would try them all at every character (5 ms instead of 65 on a 740 kB file).
    return re.compile(rf"[^'\"#\\]*(?:{tokens})")


# Each token that may hold a `#`, a quote or a newline the tokenizer does not split at,
# after the code before it: a newline in that code is an NL or NEWLINE token.
_TOKENS = _tokens_pattern()
_LONE_CR = re.compile(r"\r(?!\n)")
_SKIPPED = frozenset(("single", "triple_line", "other", "end"))  # one line, no `#`: no effect on rows


def _scanned_comments(text: str) -> list[tuple[range, str]] | None:
    """What `_tokenized_comments` gives for the comments that mention noqa, found with
    `_TOKENS`; None where that would need more than it models (then tokenize decides):
    a carriage return that ends no line (tokenize reads it as code, the parser as a line
    end), a string never closed, a line of only a backslash continuation at a chunk's start
    (tokenize may put an INDENT there, making that row the chunk's first)."""
    if "\r" in text and _LONE_CR.search(text) is not None:
        return None
    found = _noqa_comment_spans(text)
    if found is None:
        return None
    comments: list[tuple[range, str]] = []
    row, at = 1, 0
    for chunk_start, start, end in found:
        first_row = row + text.count("\n", at, chunk_start)
        row = first_row + text.count("\n", chunk_start, start)
        at = start
        comments.append((range(first_row, row + 1), text[start:end]))
    if found and found[-1][2] == len(text):
        _end_of_file_comment(text, comments, found[-1][1])
    return comments


def _noqa_comment_spans(text: str) -> list[tuple[int, int, int]] | None:
    """(start of its chunk, start, end) of each comment that mentions noqa. A chunk starts
    after the last newline outside strings and continuations; only multi-line strings and
    continuations contain newlines, so just those carry a chunk start forward."""
    found = []
    joined_end = joined_chunk = 0  # the end of the last multi-line token, where its chunk starts
    for match in _TOKENS.finditer(text):
        kind = match.lastgroup or "end"
        if kind in _SKIPPED:
            continue
        start = match.start(kind)
        newline = text.rfind("\n", joined_end, start)
        chunk_start = newline + 1 if newline >= 0 else joined_chunk
        if kind == "comment":
            if _ANY_NOQA.search(text, start, match.end()) is not None:
                found.append((chunk_start, start, match.end()))
            continue
        if kind == "triple_open":
            return None
        chunk_opens_here = newline >= 0 or joined_end == 0
        if kind == "backslash" and chunk_opens_here and not text[chunk_start:start].strip(" \t\f"):
            return None
        if kind == "continued" and match.end() == len(text) and text.endswith(("\\\n", "\\\r\n")):
            return None  # the file ends inside the string: tokenize raises
        joined_end, joined_chunk = match.end(), chunk_start
    return found


def _end_of_file_comment(text: str, comments: list[tuple[range, str]], start: int) -> None:
    """A comment that ends the file, with no newline after it: tokenize still yields an NL
    after it when it stands alone on a line read as a new statement. Otherwise it is pending
    when tokenize stops: inside brackets tokenize raises and the comment is lost; after a
    last line that starts with `#` it adds no NEWLINE and the comment gets the first row of
    its chunk only."""
    line_start = text.rfind("\n") + 1
    depth, before_line = _bracket_depth_and_token_before(text, line_start)
    if depth != 0:
        comments.pop()
        return
    # A line starts a statement after an NL or NEWLINE or after a broken continued string
    # (which tokenize ends with its line), not after a backslash continuation.
    statement_start = before_line in (None, "broken string")
    if statement_start and not text[line_start:start].strip(" \t\f"):
        return
    if text[line_start:].strip().startswith("#"):
        rows, comment = comments[-1]
        comments[-1] = (range(rows.start, rows.start + 1), comment)


def _bracket_depth_and_token_before(text: str, line_start: int) -> tuple[int, str | None]:
    """The brackets left open at the end of the file, and the kind of the token that ends
    right at `line_start` (None: the line starts after a newline in code)."""
    depth, before_line = 0, None
    for match in _TOKENS.finditer(text):
        kind = match.lastgroup or "end"
        depth += _brackets(text, match.start(), match.start(kind))
        if match.end() == line_start and line_start > 0:
            broken = kind == "continued" and text[line_start - 1] == "\n"
            before_line = "broken string" if broken else kind
    return depth, before_line


def _brackets(text: str, start: int, end: int) -> int:
    return sum(
        text.count(opening, start, end) - text.count(closing, start, end)
        for opening, closing in ("()", "[]", "{}")
    )


@dataclass(frozen=True)
class LineDirective:
    """A `# noqa` comment as written: the rows it covers, the comment, where in the comment
    the directive is, and its codes (None: a blanket `# noqa`)."""

    rows: range
    comment: str
    span: tuple[int, int]
    codes: tuple[str, ...] | None


def line_directives(text: str) -> list[LineDirective]:
    """Every line-level `# noqa` comment (for unused-noqa detection)."""
    if _ANY_NOQA.search(text) is None:
        return []
    found = []
    for rows, comment in _comments(text):
        match = None if _FILE_NOQA.match(comment) else _LINE_NOQA.search(comment)
        if match is not None:
            found.append(LineDirective(rows, comment, match.span(), _directive(match).codes))
    return found


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
