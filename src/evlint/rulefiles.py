"""Finding the YAML files of a rules directory, within bounds: a pack is `DIR/RULE.yaml` or
`DIR/PACK/RULE.yaml`, so a directory configured by mistake (`extend-rules-dirs = ["/"]`,
a home directory) is an error after a bounded look, not a walk of the whole file system."""

from __future__ import annotations

import os
from pathlib import Path

from evlint.model import EvlintError

MAX_DEPTH = 4  # directories below the rules directory that are searched
MAX_ENTRIES = 20_000  # entries seen before the directory is taken for something else


def rule_files(directory: Path) -> list[Path]:
    """The .yaml/.yml files below `directory`, sorted; symbolic links to directories are not
    followed, unreadable directories are passed over."""
    found: list[Path] = []
    seen = 0
    top = len(directory.parts)
    for current, directories, files in os.walk(directory):
        seen += len(directories) + len(files)
        if seen > MAX_ENTRIES:
            raise EvlintError(
                f"{directory}: not a rules directory: over {MAX_ENTRIES} entries below it"
                f" (rule files are YAML files at most {MAX_DEPTH} levels down)"
            )
        if len(Path(current).parts) - top >= MAX_DEPTH:
            directories.clear()
        directories.sort()
        found.extend(Path(current) / name for name in files if name.endswith((".yaml", ".yml")))
    return sorted(path for path in found if path.is_file())
