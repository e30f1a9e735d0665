"""Writing a file so that a reader, or a crash, only ever sees the old or the whole new content."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def write_atomically(path: Path, data: bytes) -> None:
    """Write `data` to a temporary file beside `path`, fsync it and rename it over `path`.

    The file keeps the mode of the one it replaces; a new file gets 0666 less the umask, as
    `open()` would give it. On any failure (or interruption) the temporary file is removed
    and `path` is untouched. Raises OSError.
    """
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
