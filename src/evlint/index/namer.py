"""Module names from the file layout: `src` roots if configured, else `__init__.py` files."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from evlint.names import ModuleContext


class ModuleNamer:
    """Module names from the file layout: `src` roots if configured, else `__init__.py` files."""

    def __init__(self, src: Sequence[Path] = ()) -> None:
        self.roots = sorted((Path(root).absolute() for root in src), key=lambda r: len(r.parts), reverse=True)
        self._directories: dict[Path, tuple[str, ...]] = {}

    def context(self, path: Path) -> ModuleContext | None:
        """The module a `.py` file is, or None if its path is no importable name."""
        if path.suffix != ".py":
            return None
        parts = self._parts(path.absolute())
        is_package = parts[-1] == "__init__"
        if is_package:
            parts = parts[:-1]
        if not parts or not all(part.isidentifier() for part in parts):
            return None
        return ModuleContext(".".join(parts), is_package)

    def top_package_dir(self, path: Path) -> Path | None:
        """The directory of the top-level package `path` is inside, or None for no package."""
        path = path.absolute()
        file = path / "__init__.py" if os.path.isdir(path) else path  # (a file from stdin need not exist)
        context = self.context(file)
        if context is None:
            return None
        depth = context.name.count(".") + (1 if context.is_package else 0)
        return file.parents[depth - 1] if depth > 0 else None

    def _parts(self, path: Path) -> list[str]:
        return [*self._directory_parts(path.parent), path.stem]

    def _directory_parts(self, directory: Path) -> tuple[str, ...]:
        """The package a directory is, as parts (`()` for a root), computed once per directory."""
        known = self._directories.get(directory)
        if known is not None:
            return known
        parts: tuple[str, ...] = ()
        root = next((root for root in self.roots if directory.is_relative_to(root)), None)
        if root is not None:
            parts = directory.relative_to(root).parts
        elif os.path.isfile(directory / "__init__.py") and directory != directory.parent:
            parts = (*self._directory_parts(directory.parent), directory.name)
        self._directories[directory] = parts
        return parts
