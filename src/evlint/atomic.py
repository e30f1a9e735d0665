"""Writing a file so that a reader, or a crash, only ever sees the old or the whole new content."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from evlint.interrupt import signals_deferred


class ChangedSinceReadError(OSError):
    """The file no longer has the content a change was computed from."""


class NotWritableError(OSError):
    """Replacing the file would do what writing it in place could not: write a file the user
    may not write (0444), or change its owner or group."""


def write_atomically(path: Path, data: bytes, *, expected: bytes | None = None) -> None:
    """Write `data` to a temporary file beside `path`, fsync it and rename it over `path`.

    The file keeps the mode, owner and group of the one it replaces; a file the user could
    not write in place (read-only to them), or whose owner or group they could not keep
    (another user's, in a directory they may write), is NotWritableError and untouched. A
    new file gets 0666 less the umask, as `open()` would give it. On any failure (or
    interruption) the temporary file is removed and `path` is untouched. SIGINT and SIGTERM
    wait until the rename is done, so an interrupted run leaves the old or the new file and
    no temporary one. `expected`: the
    content `data` was computed from; if `path` no longer has it (an editor or another run
    changed it meanwhile), ChangedSinceReadError and nothing is written. Raises OSError.
    """
    with signals_deferred():
        if expected is not None and path.read_bytes() != expected:
            raise ChangedSinceReadError(f"{path}: the file changed since it was checked")
        temporary = path.parent / f".{path.name}.{secrets.token_hex(4)}.evlint-tmp"
        old = path.stat() if path.is_file() else None
        if old is not None and not os.access(path, os.W_OK):
            raise NotWritableError(f"it is not writable (mode {old.st_mode & 0o7777:o})")
        # The user's alone until it has the old file's owner and mode (which may be 0600).
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600 if old else 0o666)
        try:
            with os.fdopen(descriptor, "wb") as handle:
                if old is not None:
                    _keep_owner(handle.fileno(), old)
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            if old is not None:
                os.chmod(temporary, old.st_mode & 0o7777)  # after the chown, which clears set-id bits
            os.replace(temporary, path)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise


def _keep_owner(descriptor: int, old: os.stat_result) -> None:
    """Give the temporary file the owner and group of the file it replaces (a no-op for the
    user's own file; root keeps any), or NotWritableError."""
    created = os.fstat(descriptor)
    if (created.st_uid, created.st_gid) == (old.st_uid, old.st_gid):
        return
    try:
        os.fchown(descriptor, old.st_uid, old.st_gid)
    except PermissionError:
        raise NotWritableError(
            f"replacing it would change its owner or group (uid {old.st_uid}, gid {old.st_gid})"
        ) from None
