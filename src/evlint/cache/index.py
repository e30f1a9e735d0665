"""What the project index keeps between runs: its digest for an unchanged tree
(`cached_index_digest`) and each module's facts and token scans (`FactsCache`)."""

from __future__ import annotations

import functools
import os
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from evlint.cache.results import is_racy, stat_key
from evlint.cache.store import FORMAT, code_fingerprint, digest, read_document, write_document

if TYPE_CHECKING:
    from evlint.module_facts import ModuleFacts


def cached_index_digest(
    directory: Path, files: Sequence[Path], compute: Callable[[], str], key_parts: Iterable[str]
) -> str:
    """The project index's digest: the one recorded for this exact tree, or `compute()`'s.

    The tree is known by every Python file's path, size, mtime, ctime and inode: if none changed since
    the run that recorded the digest, the index is what it was, and nothing is read. A tree
    with a file modified (or rewritten: its ctime) in the last RACY_SECONDS is not recorded
    (it may change again within the same timestamp tick).
    """
    now, racy, stamps = time.time_ns(), False, []
    for path in sorted(files):
        try:
            stat = path.stat()
        except OSError:
            racy = True
            continue
        racy = racy or is_racy(stat, now)
        stamps.append(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\0{stat.st_ctime_ns}\0{stat.st_ino}")
    tree = digest(*stamps)
    state_path = directory / "index" / f"{digest(code_fingerprint(), *key_parts)}.json"
    state = read_document(state_path)
    if (
        not racy
        and isinstance(state, dict)
        and state.get("tree") == tree
        and isinstance(state.get("index"), str)
    ):
        return str(state["index"])
    value = compute()
    if not racy:
        write_document(state_path, {"tree": tree, "index": value})
    return value


class FactsCache:
    """What the project index read of each module (`ModuleFacts`), by the module's bytes and name.

    A run in which any file changed builds the index again, but parses only the modules
    whose bytes changed; the others' facts come from here (nova 31: 32 modules, about a
    second of parsing). One file per project, written with just the entries this run used,
    so it holds one tree's modules and does not grow. A module that does not parse is
    recorded as such (None). A damaged entry is a miss.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._used: dict[str, Any] = {}
        self._scans: dict[Path, tuple[int, list[int], dict[bytes, bool]]] = {}  # by stamp, as handed out

    @functools.cached_property
    def _document(self) -> dict[str, Any]:
        """The file, read when first needed (a run that builds no index does not)."""
        document = read_document(self.path)
        return document if isinstance(document, dict) and document.get("format") == FORMAT else {}

    @property
    def _loaded(self) -> dict[str, Any]:
        entries = self._document.get("entries")
        return entries if isinstance(entries, dict) else {}

    @property
    def _loaded_scans(self) -> dict[str, Any]:
        scans = self._document.get("scans")
        return scans if isinstance(scans, dict) else {}

    @classmethod
    def open(cls, directory: Path, project_root: Path) -> FactsCache:
        return cls(directory / "facts" / f"{digest(code_fingerprint(), str(project_root))}.json")

    @staticmethod
    def key(source: bytes, module: str, is_package: bool) -> str:
        return digest(source, module, str(is_package))

    def get(self, key: str) -> tuple[bool, ModuleFacts | None]:
        """(found, the facts: None for a module that does not parse)."""
        from evlint.module_facts import facts_from_json

        if key not in self._loaded:
            return False, None
        data = self._loaded[key]
        try:
            facts = facts_from_json(data) if data is not None else None
        except (ValueError, TypeError, KeyError, IndexError, AttributeError):
            return False, None
        self._used[key] = data
        return True, facts

    def put(self, key: str, facts: ModuleFacts | None) -> None:
        from evlint.module_facts import facts_to_json

        self._used[key] = facts_to_json(facts) if facts is not None else None

    def scans(self, files: Iterable[Path]) -> dict[Path, dict[bytes, bool]]:
        """What scanning each file's text for a token found (`token in text`), as recorded for
        the file's size and mtime, or nothing; filled in by the index and kept by `save`.

        The index tests every file's text for the names its hubs re-export: after one file
        changed, the others' answers come from here (nova 31: 0.11 s of scanning).
        """
        started, found = time.time_ns(), {}
        for path in files:
            try:
                stat = path.stat()
            except OSError:
                continue
            seen = found[path] = _recorded_scan(self._loaded_scans.get(str(path)), stat)
            if not is_racy(stat, started):  # else not kept: see RACY_SECONDS
                self._scans[path] = (stat.st_size, stat_key(stat), seen)
        return found

    def save(self) -> None:
        """Keep the entries this run used; a run that built no index leaves the file alone."""
        if not self._used:
            return
        scans = {
            str(path): [size, mtime, {token.decode("latin-1"): value for token, value in seen.items()}]
            for path, (size, mtime, seen) in self._scans.items()
        }
        if self._used != self._loaded or scans != self._loaded_scans:
            write_document(self.path, {"format": FORMAT, "entries": self._used, "scans": scans})


def _recorded_scan(recorded: Any, stat: os.stat_result) -> dict[bytes, bool]:
    """The answers recorded for a file if its size and mtime are those recorded (else none)."""
    if not (isinstance(recorded, list) and len(recorded) == 3 and isinstance(recorded[2], dict)):
        return {}
    if recorded[:2] != [stat.st_size, stat_key(stat)]:
        return {}
    return {str(token).encode("latin-1"): bool(value) for token, value in recorded[2].items()}
