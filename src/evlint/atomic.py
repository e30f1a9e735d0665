"""Writing a file so that a reader, or a crash, only ever sees the old or the whole new content."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from evlint.interrupt import signals_deferred


class ChangedSinceReadError(OSError):
    """The file no longer has the content a change was computed from."""


def write_atomically(path: Path, data: bytes, *, expected: bytes | None = None) -> None:
    """Write `data` to a temporary file beside `path`, fsync it and rename it over `path`.

    The file keeps the mode of the one it replaces; a new file gets 0666 less the umask, as
    `open()` would give it. On any failure (or interruption) the temporary file is removed
    and `path` is untouched. SIGINT and SIGTERM wait until the rename is done, so an
    interrupted run leaves the old or the new file and no temporary one. `expected`: the
    content `data` was computed from; if `path` no longer has it (an editor or another run
    changed it meanwhile), ChangedSinceReadError and nothing is written. Raises OSError.
    """
    with signals_deferred():
        if expected is not None and path.read_bytes() != expected:
            raise ChangedSinceReadError(f"{path}: the file changed since it was checked")
        temporary = path.parent / f".{path.name}.{secrets.token_hex(4)}.evlint-tmp"
        mode = path.stat().st_mode & 0o7777 if path.is_file() else None
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        try:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            if mode is not None:
                os.chmod(temporary, mode)
            os.replace(temporary, path)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
