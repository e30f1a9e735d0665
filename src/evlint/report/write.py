"""Write a finished document: to standard output, or to a file replaced atomically."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import TextIO

from evlint.model import EvlintError


def write_document(text: str, output: Path | None, stdout: TextIO) -> None:
    if output is None:
        stdout.write(text)
        return
    write_atomically(output, text)


def write_atomically(path: Path, text: str) -> None:
    """A reader sees the old file or the whole new one, never half of it.

    The temporary file is created with mode 0666 less the umask, as `open()` would create the
    report (mkstemp's 0600 would hide it from the team), or with the mode of the file replaced.
    """
    temporary = path.parent / f".{path.name}.{secrets.token_hex(4)}.tmp"
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as error:
        raise EvlintError(f"{path}: cannot write: {error.strerror or error}") from None
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if path.is_file():
            os.chmod(temporary, path.stat().st_mode & 0o7777)
        os.replace(temporary, path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise EvlintError(f"{path}: cannot write: {error.strerror or error}") from None
