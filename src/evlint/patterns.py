"""Gitignore-style patterns, compiled without surprises: a `.gitignore` line that git
would ignore (`\\`, `!`, `foo\\`, `[z-a]`) is dropped as git drops it, and the same line in
evlint's own settings is a one-line error naming where it came from."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import pathspec

from evlint.model import EvlintError


def pattern_problem(pattern: str) -> str | None:
    """Why `pattern` is not a valid gitignore pattern, or None if it is."""
    try:
        pathspec.GitIgnoreSpec.from_lines([pattern])
    except (ValueError, re.error) as error:
        message = str(error).splitlines()[0] if str(error) else type(error).__name__
        return re.sub(r" at position \d+$", "", message)  # a position in the regex, not the pattern
    return None


def lenient_spec(lines: Iterable[str]) -> pathspec.GitIgnoreSpec:
    """A .gitignore's lines, those git ignores left out."""
    lines = list(lines)
    try:
        return pathspec.GitIgnoreSpec.from_lines(lines)
    except (ValueError, re.error):
        return pathspec.GitIgnoreSpec.from_lines([line for line in lines if pattern_problem(line) is None])


def strict_spec(patterns: Sequence[str], where: str) -> pathspec.GitIgnoreSpec:
    """`patterns` compiled; an invalid one is an EvlintError that starts with `where`."""
    try:
        return pathspec.GitIgnoreSpec.from_lines(patterns)
    except (ValueError, re.error):
        for pattern in patterns:
            problem = pattern_problem(pattern)
            if problem is not None:
                raise EvlintError(f"{where}: invalid pattern {pattern!r}: {problem}") from None
        raise
