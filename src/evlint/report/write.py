"""Write a finished document: to standard output, or to a file replaced atomically."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TextIO

from evlint.model import EvlintError


def write_document(text: str, output: Path | None, stdout: TextIO) -> None:
    if output is None:
        stdout.write(text)
        return
    write_atomically(output, text)


def write_atomically(path: Path, text: str) -> None:
    """A reader sees the old file or the whole new one, never half of it."""
    try:
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise EvlintError(f"{path}: cannot write: {error.strerror or error}") from None
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise EvlintError(f"{path}: cannot write: {error.strerror or error}") from None
