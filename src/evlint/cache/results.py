"""The result cache: a file's final diagnostics, by its path, stat and bytes."""

from __future__ import annotations

import dataclasses
import os
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evlint.cache.store import (
    FORMAT,
    RACY_SECONDS,
    code_fingerprint,
    decode,
    digest,
    encode,
    read_document,
    write_document,
)
from evlint.model import Diagnostic, Rule


@dataclass(frozen=True)
class Stamp:
    """What the cache knows a file by: its size, its stat (`stat_key`; None: not trusted) and
    its bytes' digest."""

    size: int
    stat_key: list[int] | None
    digest: str


def stat_key(stat: os.stat_result) -> list[int]:
    """mtime, ctime and inode: a same-size rewrite with the mtime put back (`touch -d`,
    `cp -p`, `tar x`) still changes the ctime, or the inode (a file renamed into place)."""
    return [stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino]


def is_racy(stat: os.stat_result, since_ns: int) -> bool:
    """Whether the file changed (its mtime, or its ctime: a rewrite with the mtime put back)
    within RACY_SECONDS before `since_ns`, or after it. Its stat is then not trusted next time:
    it may change again within the same timestamp tick (a filesystem with whole-second or
    two-second times) and look unchanged, so its bytes decide, as git does for racy entries."""
    return max(stat.st_mtime_ns, stat.st_ctime_ns) >= since_ns - int(RACY_SECONDS * 1e9)


Found = tuple[Diagnostic, ...]


class ResultCache:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.hits = 0
        self._started_ns = time.time_ns()
        self._dirty = False
        self._entries: dict[str, Any] = {}
        document = read_document(path)
        if isinstance(document, dict) and document.get("format") == FORMAT:
            entries = document.get("entries")
            self._entries = entries if isinstance(entries, dict) else {}

    @classmethod
    def open(
        cls, directory: Path, rules: Sequence[Rule], reported: int, settings: Iterable[str], extra: str = ""
    ) -> ResultCache:
        """The cache for these rules (the first `reported` are reported, the others only tell
        a catch-all what they cover) and settings. `extra` is a digest of anything else results
        depend on: the hook for a project-wide index, whose changes must invalidate them."""
        rule_parts = (repr(rule) for rule in rules)
        key = digest(code_fingerprint(), str(reported), *rule_parts, "\0", *settings, "\0", extra)
        return cls(directory / "results" / f"{key}.json")

    def by_stat(self, path: Path, stat: os.stat_result) -> Found | None:
        """The file's diagnostics if its size and mtime are those recorded, without reading it."""
        entry = self._entry(path)
        if entry is None or entry[1] is None or (entry[0], entry[1]) != (stat.st_size, stat_key(stat)):
            return None
        return self._hit(entry[3])

    def by_content(self, path: Path, stat: os.stat_result, source: bytes) -> tuple[Found | None, Stamp]:
        """The diagnostics recorded for these bytes (or None), and the stamp to `store` with new ones.

        `stat` must be taken before `source` was read, so a change in between shows next time.
        """
        stamp = Stamp(stat.st_size, self._trusted_key(stat), digest(source))
        entry = self._entry(path)
        if entry is None or entry[2] != stamp.digest:
            return None, stamp
        found = self._hit(entry[3])
        if found is not None and entry[1] != stamp.stat_key:
            self._entries[str(path)] = [stamp.size, stamp.stat_key, stamp.digest, entry[3]]
            self._dirty = True
        return found, stamp

    def store(self, path: Path, stamp: Stamp, diagnostics: Iterable[Diagnostic]) -> None:
        blank = [encode(dataclasses.replace(d, path="")) for d in diagnostics]
        self._entries[str(path)] = [stamp.size, stamp.stat_key, stamp.digest, blank]
        self._dirty = True

    def save(self) -> None:
        if self._dirty:
            write_document(self.path, {"format": FORMAT, "entries": self._entries})
            self._dirty = False

    def _entry(self, path: Path) -> list[Any] | None:
        entry = self._entries.get(str(path))
        return entry if isinstance(entry, list) and len(entry) == 4 else None

    def _hit(self, diagnostics: object) -> Found | None:
        try:
            found = decode(diagnostics)
        except (ValueError, TypeError, KeyError, AttributeError):
            return None  # a damaged entry is a miss
        if not isinstance(found, tuple) or not all(isinstance(d, Diagnostic) for d in found):
            return None
        self.hits += 1
        return found

    def _trusted_key(self, stat: os.stat_result) -> list[int] | None:
        """None for a file modified or rewritten this close to the run."""
        return None if is_racy(stat, self._started_ns) else stat_key(stat)
