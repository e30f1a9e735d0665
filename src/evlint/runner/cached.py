"""The result cache's glue: a file answered from the cache, by stat or by content, and a
file's result stored once it is known."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from evlint.model import Diagnostic, FileResult
from evlint.pyparse import decode_source

if TYPE_CHECKING:
    from evlint.cache.results import ResultCache, Stamp


@dataclass
class CachedRun:
    """One project's result cache during a run, with each read file's stamp (size, mtime and
    digest of the bytes it was read with) to store its result under."""

    cache: ResultCache
    stamps: dict[str, Stamp | None]

    def by_stat(self, path: Path, shown: str) -> tuple[FileResult | None, os.stat_result | None]:
        """The file's cached result if its size and mtime say it is unchanged, and its stat."""
        stat = _stat(path)
        found = self.cache.by_stat(path, stat) if stat is not None else None
        # Stored under this key, so checked with these rules: no need to ask which apply.
        return (cached_result(path, shown, found) if found is not None else None), stat

    def by_content(self, path: Path, shown: str, stat: os.stat_result, source: bytes) -> FileResult | None:
        """The file's cached result if its bytes are those of the stored entry (a fresh clone
        changes every mtime, not the contents); `stat` was taken before reading."""
        found, self.stamps[shown] = self.cache.by_content(path, stat, source)
        return cached_result(path, shown, found, source) if found is not None else None

    def store(self, path: Path, result: FileResult) -> None:
        stamp = self.stamps.get(result.path)
        if stamp is not None and not result.internal_errors:  # a crash is not an answer
            self.cache.store(path, stamp, result.diagnostics)


def _stat(path: Path) -> os.stat_result | None:
    try:
        return path.stat()
    except OSError:
        return None


def cached_result(path: Path, shown: str, found: tuple[Diagnostic, ...], source: bytes = b"") -> FileResult:
    """A cached file's findings, under the path it is shown by now, with its text for code frames."""
    if not found:
        return FileResult(shown, ())
    diagnostics = tuple(replace(d, path=shown) for d in found)
    try:
        text = _decode_or_blank(source or path.read_bytes())
    except OSError:
        text = ""
    return FileResult(shown, diagnostics, text)


def _decode_or_blank(source: bytes) -> str:
    try:
        return decode_source(source)
    except (UnicodeDecodeError, LookupError, SyntaxError):
        return ""
