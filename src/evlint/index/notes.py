"""Notes about the project index on standard error: a module the index had to leave out."""

from __future__ import annotations

import sys
from pathlib import Path

from evlint.discover import display_path
from evlint.output.safe import printable

_noted: set[Path] = set()  # the index is built again each round: one note per module and run


def note_left_out(path: Path) -> None:
    """Say once that `path`'s re-exports are not in the project index; the run goes on, the
    module itself is still checked (its own findings), other modules without its names."""
    if path in _noted:
        return
    _noted.add(path)
    print(
        f"evlint: note: {printable(display_path(path))}: left out of the project index (its names"
        " nest too deeply to resolve); other modules are checked without what it re-exports",
        file=sys.stderr,
    )
