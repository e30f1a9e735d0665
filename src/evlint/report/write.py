"""Write a finished document: to standard output, or to a file replaced atomically."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from evlint.atomic import write_atomically
from evlint.model import EvlintError


def write_document(text: str, output: Path | None, stdout: TextIO) -> None:
    if output is None:
        stdout.write(text)
        return
    write_report_file(output, text)


def write_report_file(path: Path, text: str) -> None:
    """A reader sees the old file or the whole new one, never half of it."""
    try:
        write_atomically(path, text.encode("utf-8", "backslashreplace"))  # a name that is not UTF-8: escaped
    except OSError as error:
        raise EvlintError(f"{path}: cannot write: {error.strerror or error}") from None
