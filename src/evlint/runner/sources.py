"""Reading a project's files: each once, and every Python file the project index needs
(those checked, and the rest of the packages they belong to)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from evlint.config import DEFAULT_MAX_FILE_SIZE, Settings
from evlint.discover import Discoverer, display_path
from evlint.index.namer import ModuleNamer
from evlint.model import READ_ERROR, FileResult, file_error
from evlint.requirements import is_dependency_file
from evlint.runner.reading import UnreadableError, read_bounded


@dataclass(frozen=True)
class SourceRead:
    """A file's bytes, or (`error`) its one-finding result when it cannot be read."""

    source: bytes
    error: FileResult | None = None


# Reads a file, given its path and the path it is shown by.
Reader = Callable[[Path, str], SourceRead]


def read_source(path: Path, shown: str, limit: int | None = None) -> SourceRead:
    """The file's bytes, or its one-diagnostic result when it cannot be read or is over `limit`."""
    limit = limit or DEFAULT_MAX_FILE_SIZE
    try:
        return SourceRead(read_bounded(path, limit))
    except UnreadableError as error:
        return SourceRead(b"", file_error(shown, READ_ERROR, str(error)))
    except OSError as error:
        return SourceRead(b"", file_error(shown, READ_ERROR, f"Cannot read file: {error.strerror or error}"))


class Sources:
    """One project's files: `files` are checked; the project index reads every Python file of
    the project at `root` (unless `files` are all of them: `whole`). Each file is read once,
    through `reader` for those checked."""

    def __init__(
        self, files: Sequence[Path], reader: Reader, settings: Settings, root: Path, whole: bool
    ) -> None:
        self.files, self._reader, self.settings = files, reader, settings
        self.root, self.whole = root, whole
        self.namer = ModuleNamer(settings.src)
        self._read: dict[Path, SourceRead] = {}

    def read(self, path: Path, shown: str) -> SourceRead:
        found = self._read.get(path)
        if found is None:
            found = self._read[path] = self._reader(path, shown)
        return found

    def read_for_index(self, path: Path) -> bytes | None:
        """A Python file's bytes for the index, None if it cannot be read. The rest of a partly
        checked project is read from disk, never through the reader (which, for standard
        input, gives the one buffer for any path)."""
        if path in self.checked:
            read = self.read(path, display_path(path))
        else:
            read = read_source(path, "", self.settings.max_file_size)
        return read.source if read.error is None else None

    def forget(self) -> None:
        """Drop the bytes read: the files still to lint hold their own (forked workers copy less)."""
        self._read.clear()

    @functools.cached_property
    def checked(self) -> frozenset[Path]:
        """The Python files checked (dependency declaration files are no modules)."""
        return frozenset(path for path in self.files if not is_dependency_file(path))

    @functools.cached_property
    def python_files(self) -> list[Path]:
        """Every Python file the index reads: those checked, and the rest of the project's."""
        checked = [path for path in self.files if path in self.checked]
        if self.whole:
            return checked
        rest = Discoverer(self.settings).discover([self.root])
        return [*checked, *(path for path in rest if path.suffix == ".py" and path not in self.checked)]
