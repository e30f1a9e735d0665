"""The cache directory and its files: where it is, the key parts every file shares
(evlint's code), the JSON codec for the model's types, and JSON documents written whole
to a temporary file and renamed (the directory pruned to the KEEP newest files).

The configured directory may be anything (`cache-dir = "."`, `~`): evlint writes only
inside its own NAMESPACE directory below it, and deletes only what it can prove it wrote:
files named like its own (a digest and `.json`), regular files, in a namespace directory
that evlint created itself (it holds the CACHEDIR.TAG evlint wrote when creating it)."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import os
import re
import stat
from enum import Enum
from pathlib import Path
from typing import Any

from evlint import __version__, model
from evlint.fsnames import hashable

FORMAT = 1
CACHE_DIR_ENV = "EVLINT_CACHE_DIR"
# A file modified this close to the run may be modified again within the same mtime tick:
# its stat is not trusted next time (the digest decides), as git does for racy entries.
RACY_SECONDS = 2.0
KEEP = 16  # cache files per directory (results/, rules/)
NAMESPACE = "evlint-cache"  # below the configured directory: everything evlint writes
TAG_NAME = "CACHEDIR.TAG"  # https://bford.info/cachedir/: also tells backup tools to skip it
TAG = (
    b"Signature: 8a477f597d28d172789f06886806bc55\n"
    b"# This directory was created by evlint (its cache); evlint may delete the files in it.\n"
)
_OWN_NAME = re.compile(r"[0-9a-f]{32}\.json")


def cache_dir(configured: Path | None) -> Path:
    """evlint's NAMESPACE directory in the configured one (--cache-dir, else EVLINT_CACHE_DIR,
    else the `cache-dir` setting: `config`), else in EVLINT_CACHE_DIR, else in the platform's
    user cache dir."""
    if configured is not None:
        return configured / NAMESPACE
    from_env = os.environ.get(CACHE_DIR_ENV)
    if from_env:
        return Path(from_env) / NAMESPACE
    import platformdirs

    return Path(platformdirs.user_cache_dir("evlint")) / NAMESPACE


def digest(*parts: bytes | str) -> str:
    hasher = hashlib.blake2b(digest_size=16)
    for part in parts:
        data = hashable(part) if isinstance(part, str) else part  # a path may hold lone surrogates
        hasher.update(len(data).to_bytes(8, "little"))
        hasher.update(data)
    return hasher.hexdigest()


@functools.cache
def code_fingerprint() -> str:
    """evlint's version and the size and mtime of its modules: an edited checkout is new code."""
    package = Path(__file__).parent.parent  # evlint/, this module being evlint/cache/store.py
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
    except (OSError, ValueError, RecursionError):
        return None


def write_document(path: Path, document: object) -> bool:
    """Write atomically (temporary file, then rename); False if the directory is unwritable.

    A new file (a new key: another evlint, other rules or settings) prunes its directory to
    the KEEP most recently written files, so the cache does not grow without bound.
    """
    from evlint.atomic import write_atomically

    try:
        namespace = _namespace_of(path)
        if namespace is not None and not namespace.exists():
            _create_namespace(namespace)
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() and namespace is not None and _created_by_evlint(namespace):
            _prune(path.parent, KEEP - 1)
        write_atomically(path, json.dumps(document, separators=(",", ":")).encode())
    except OSError:
        return False
    return True


def _namespace_of(path: Path) -> Path | None:
    """The NAMESPACE directory `path` is in (None: a path outside one, which is never pruned)."""
    return next((parent for parent in path.parents if parent.name == NAMESPACE), None)


def _create_namespace(namespace: Path) -> None:
    """Create the namespace directory and, only if this call created it, its tag."""
    namespace.parent.mkdir(parents=True, exist_ok=True)
    try:
        namespace.mkdir()
    except FileExistsError:
        return  # a concurrent run's, or not ours: `_created_by_evlint` decides
    descriptor = os.open(namespace / TAG_NAME, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(TAG)


def _created_by_evlint(namespace: Path) -> bool:
    try:
        tag = namespace / TAG_NAME
        return stat.S_ISREG(tag.lstat().st_mode) and tag.read_bytes() == TAG
    except OSError:
        return False


def _prune(directory: Path, keep: int) -> None:
    """Delete all but the `keep` newest of evlint's own cache files (regular files, own names)."""
    stamped = []
    for path in directory.iterdir():
        if not _OWN_NAME.fullmatch(path.name):
            continue
        try:
            status = path.lstat()
        except OSError:
            continue  # removed by a concurrent run
        if stat.S_ISREG(status.st_mode):
            stamped.append((status.st_mtime_ns, path))
    for _, path in sorted(stamped, reverse=True)[keep:]:
        path.unlink(missing_ok=True)
