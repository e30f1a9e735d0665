"""Gitignore-style patterns, compiled without surprises: a `.gitignore` line that git
would ignore (`\\`, `!`, `foo\\`, `[z-a]`) is dropped as git drops it, and the same line in
evlint's own settings is a one-line error naming where it came from.

Every pattern is matched by RE2 (pathspec's `re2` backend, google-re2), which runs in time
linear in the path: Python's `re` backtracks, and a `.gitignore` line like `*a*a*a…*b`
against a 200-character name took minutes. The patterns' meaning is pathspec's
translation of git's wildmatch either way; only the engine that runs it differs."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

import pathspec

from evlint.model import EvlintError

BACKEND = "re2"


class _Re2Spec(pathspec.GitIgnoreSpec):
    """RE2 reads UTF-8: a path that is not (a file name in undecodable bytes, carried as lone
    surrogates) is matched with those bytes as U+FFFD, as `.gitignore` lines are read."""

    @staticmethod
    def _make_backend(name: Any, patterns: Any) -> Any:
        return _Utf8Backend(pathspec.GitIgnoreSpec._make_backend(name, patterns))


class _Utf8Backend:
    def __init__(self, backend: Any) -> None:
        self._backend = backend

    def match_file(self, file: str) -> Any:
        if not file.isascii():
            file = file.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        return self._backend.match_file(file)


def compile_spec(lines: Iterable[str]) -> pathspec.GitIgnoreSpec:
    """Gitignore-style `lines` compiled for RE2; ValueError or re.error for an invalid one."""
    return _Re2Spec.from_lines(lines, backend=BACKEND)


def pattern_problem(pattern: str) -> str | None:
    """Why `pattern` is not a valid gitignore pattern, or None if it is."""
    try:
        compile_spec([pattern])
    except (ValueError, re.error) as error:
        message = str(error).splitlines()[0] if str(error) else type(error).__name__
        return re.sub(r" at position \d+$", "", message)  # a position in the regex, not the pattern
    return None


def lenient_spec(lines: Iterable[str]) -> pathspec.GitIgnoreSpec:
    """A .gitignore's lines, those git ignores left out."""
    lines = list(lines)
    try:
        return compile_spec(lines)
    except (ValueError, re.error):
        return compile_spec([line for line in lines if pattern_problem(line) is None])


def strict_spec(patterns: Sequence[str], where: str) -> pathspec.GitIgnoreSpec:
    """`patterns` compiled; an invalid one is an EvlintError that starts with `where`."""
    try:
        return compile_spec(patterns)
    except (ValueError, re.error):
        for pattern in patterns:
            problem = pattern_problem(pattern)
            if problem is not None:
                raise EvlintError(f"{where}: invalid pattern {pattern!r}: {problem}") from None
        raise
