"""The result cache and the rule cache, in the user's cache directory.

Results: one JSON file per *key*: evlint's code, the rules in force (with their options
and paths), the per-file-ignores and the project root, plus the project index's digest
(what the project's own modules re-export from eventlet: a change there re-checks every
file; see `cached_index_digest`). Inside, one entry per absolute path: the file's size and
mtime_ns, a digest of its bytes, and its final diagnostics (after noqa, which depends on
the file's own text only; the path is stored blank and filled in as the file is shown
now). A file whose stat matches is a hit without being read; one whose stat differs is
read and hashed, and a matching digest is still a hit (a fresh clone or checkout changes
every mtime, not the contents).

Rules: the loaded, schema-validated `Rule`s, keyed by evlint's code and the paths and
bytes of every rule file, so a warm run neither parses YAML nor validates the schema.

Both are written whole to a temporary file and renamed over the old one, so concurrent
runs never see a partial file (the last writer wins; a lost entry is only recomputed). A
file that cannot be read or decoded is a miss, never an error; neither is an unwritable
cache directory.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import os
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from evlint import __version__, model
from evlint.model import Diagnostic, Rule

if TYPE_CHECKING:
    from evlint.module_facts import ModuleFacts

FORMAT = 1
CACHE_DIR_ENV = "EVLINT_CACHE_DIR"
# A file modified this close to the run may be modified again within the same mtime tick:
# its stat is not trusted next time (the digest decides), as git does for racy entries.
RACY_SECONDS = 2.0
KEEP = 16  # cache files per directory (results/, rules/)


def cache_dir(configured: Path | None) -> Path:
    """EVLINT_CACHE_DIR, else the `cache-dir` setting, else the platform's user cache dir."""
    from_env = os.environ.get(CACHE_DIR_ENV)
    if from_env:
        return Path(from_env)
    if configured is not None:
        return configured
    import platformdirs

    return Path(platformdirs.user_cache_dir("evlint"))


def digest(*parts: bytes | str) -> str:
    hasher = hashlib.blake2b(digest_size=16)
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "little"))
        hasher.update(data)
    return hasher.hexdigest()


@functools.cache
def code_fingerprint() -> str:
    """evlint's version and the size and mtime of its modules: an edited checkout is new code."""
    package = Path(__file__).parent
    stamps = [__version__, str(FORMAT)]
    for path in sorted((*package.glob("*.py"), *package.glob("*/*.py"), *package.glob("schema/*.json"))):
        stat = path.stat()
        stamps.append(f"{path.relative_to(package)}:{stat.st_size}:{stat.st_mtime_ns}")
    return digest(*stamps)


# --------------------------------------------------------------------------- JSON codec


def encode(value: object) -> Any:
    """Plain JSON for the frozen dataclasses and enums of evlint.model (and what they hold)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {"__type__": type(value).__name__, **fields}
    if isinstance(value, Enum):
        return {"__enum__": type(value).__name__, "value": value.value}
    if isinstance(value, (list, tuple)):
        return [encode(item) for item in value]
    if isinstance(value, dict):
        return {"__dict__": [[key, encode(item)] for key, item in value.items()]}
    return value


def decode(value: Any) -> Any:
    """The inverse of `encode`; lists become tuples, as the model's fields are."""
    if isinstance(value, list):
        return tuple(decode(item) for item in value)
    if not isinstance(value, dict):
        return value
    if "__dict__" in value:
        return {key: _thaw(decode(item)) for key, item in value["__dict__"]}
    if "__enum__" in value:
        return _model_type(value["__enum__"], Enum)(value["value"])
    cls = _model_type(value["__type__"], object)
    return cls(**{key: decode(item) for key, item in value.items() if key != "__type__"})


def _thaw(value: Any) -> Any:
    """Rule options keep the lists the YAML gave them."""
    return [_thaw(item) for item in value] if isinstance(value, tuple) else value


def _model_type(name: str, base: type) -> Any:
    cls = getattr(model, name, None)
    if (
        not isinstance(cls, type)
        or not issubclass(cls, base)
        or not (issubclass(cls, Enum) or dataclasses.is_dataclass(cls))
    ):
        raise ValueError(f"not a model type: {name!r}")
    return cls


def read_document(path: Path) -> Any:
    """The document in `path`, or None when it is missing, unreadable or not JSON."""
    try:
        with path.open("rb") as handle:
            return json.load(handle)
    except (OSError, ValueError):
        return None


def write_document(path: Path, document: object) -> bool:
    """Write atomically (temporary file, then rename); False if the directory is unwritable.

    A new file (a new key: another evlint, other rules or settings) prunes its directory to
    the KEEP most recently written files, so the cache does not grow without bound.
    """
    from evlint.atomic import write_atomically

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            _prune(path.parent, KEEP - 1)
        write_atomically(path, json.dumps(document, separators=(",", ":")).encode())
    except OSError:
        return False
    return True


def _prune(directory: Path, keep: int) -> None:
    stamped = []
    for path in directory.glob("*.json"):
        try:
            stamped.append((path.stat().st_mtime_ns, path))
        except OSError:
            continue  # removed by a concurrent run
    for _, path in sorted(stamped, reverse=True)[keep:]:
        path.unlink(missing_ok=True)


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Stamp:
    """What the cache knows a file by: its stat (mtime None: not trusted) and its bytes' digest."""

    size: int
    mtime_ns: int | None
    digest: str


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
        if entry is None or entry[1] is None or (entry[0], entry[1]) != (stat.st_size, stat.st_mtime_ns):
            return None
        return self._hit(entry[3])

    def by_content(self, path: Path, stat: os.stat_result, source: bytes) -> tuple[Found | None, Stamp]:
        """The diagnostics recorded for these bytes (or None), and the stamp to `store` with new ones.

        `stat` must be taken before `source` was read, so a change in between shows next time.
        """
        stamp = Stamp(stat.st_size, self._trusted_mtime(stat), digest(source))
        entry = self._entry(path)
        if entry is None or entry[2] != stamp.digest:
            return None, stamp
        found = self._hit(entry[3])
        if found is not None and entry[1] != stamp.mtime_ns:
            self._entries[str(path)] = [stamp.size, stamp.mtime_ns, stamp.digest, entry[3]]
            self._dirty = True
        return found, stamp

    def store(self, path: Path, stamp: Stamp, diagnostics: Iterable[Diagnostic]) -> None:
        blank = [encode(dataclasses.replace(d, path="")) for d in diagnostics]
        self._entries[str(path)] = [stamp.size, stamp.mtime_ns, stamp.digest, blank]
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

    def _trusted_mtime(self, stat: os.stat_result) -> int | None:
        racy = stat.st_mtime_ns >= self._started_ns - int(RACY_SECONDS * 1e9)
        return None if racy else stat.st_mtime_ns


# --------------------------------------------------------------------------- rules


def cached_index_digest(
    directory: Path, files: Sequence[Path], compute: Callable[[], str], key_parts: Iterable[str]
) -> str:
    """The project index's digest: the one recorded for this exact tree, or `compute()`'s.

    The tree is known by every Python file's path, size and mtime: if none changed since
    the run that recorded the digest, the index is what it was, and nothing is read. A tree
    with a file modified in the last RACY_SECONDS is not recorded (it may change again
    within the same mtime tick).
    """
    now, racy, stamps = time.time_ns(), False, []
    for path in sorted(files):
        try:
            stat = path.stat()
        except OSError:
            racy = True
            continue
        racy = racy or now - stat.st_mtime_ns < RACY_SECONDS * 1e9
        stamps.append(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}")
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
        self._scans: dict[Path, tuple[int, int, dict[bytes, bool]]] = {}  # by stamp, as handed out

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
            if stat.st_mtime_ns < started - int(RACY_SECONDS * 1e9):  # else not kept: see RACY_SECONDS
                self._scans[path] = (stat.st_size, stat.st_mtime_ns, seen)
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
    if recorded[:2] != [stat.st_size, stat.st_mtime_ns]:
        return {}
    return {str(token).encode("latin-1"): bool(value) for token, value in recorded[2].items()}


def load_rules_cached(directories: Sequence[Path], directory: Path) -> tuple[Rule, ...]:
    """`ruleset.load_rules`, skipping YAML and schema validation when the rule files are unchanged."""
    from evlint.ruleset import load_rules, rule_files

    if not all(d.is_dir() for d in directories):
        return load_rules(directories)  # which reports the missing directory
    parts: list[bytes | str] = [code_fingerprint()]
    try:
        for rules_dir in directories:
            for path in rule_files(rules_dir):
                parts.extend((str(rules_dir), str(path), path.read_bytes()))
    except OSError:
        return load_rules(directories)  # which reports the unreadable file
    path = directory / "rules" / f"{digest(*parts)}.json"
    document = read_document(path)
    if isinstance(document, dict) and document.get("format") == FORMAT:
        try:
            rules = decode(document["rules"])
            if all(isinstance(rule, Rule) for rule in rules):
                return tuple(rules)
        except (ValueError, TypeError, KeyError, AttributeError):
            pass
    rules = load_rules(directories)
    write_document(path, {"format": FORMAT, "rules": encode(rules)})
    return rules
