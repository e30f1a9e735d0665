"""What `evlint entrypoints` keeps between runs: each module's scanned imports, by the
module's bytes and name. One file per project, written with just the entries this run used
(so it holds one tree's modules and does not grow); a damaged entry is a miss."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from evlint.cache.store import FORMAT, code_fingerprint, digest, read_document, write_document
from evlint.entrypoints.graph import ScanStore
from evlint.entrypoints.scan import ImportEdge, ModuleScan
from evlint.names import ModuleContext


class CachedScans(ScanStore):
    def __init__(self, path: Path) -> None:
        self.path = path
        self._used: dict[str, Any] = {}

    @classmethod
    def open(cls, directory: Path, project_root: Path) -> CachedScans:
        return cls(directory / "entrypoints" / f"{digest(code_fingerprint(), str(project_root))}.json")

    @functools.cached_property
    def _loaded(self) -> dict[str, Any]:
        document = read_document(self.path)
        if not isinstance(document, dict) or document.get("format") != FORMAT:
            return {}
        entries = document.get("entries")
        return entries if isinstance(entries, dict) else {}

    def scan(self, source: bytes, context: ModuleContext) -> ModuleScan:
        key = digest(source, context.name, str(context.is_package))
        found = _decoded(self._loaded.get(key))
        if found is None:
            found = super().scan(source, context)
        self._used[key] = _encoded(found)
        return found

    def save(self) -> None:
        if self._used and self._used != self._loaded:
            write_document(self.path, {"format": FORMAT, "entries": self._used})


def _encoded(scan: ModuleScan) -> list[Any]:
    edges = [[e.module, list(e.names), e.line, e.scope, e.conditional] for e in scan.imports]
    return [edges, scan.has_main_guard]


def _decoded(data: Any) -> ModuleScan | None:
    try:
        edges, has_main = data
        imports = tuple(
            ImportEdge(str(module), tuple(str(n) for n in names), int(line), str(scope), bool(conditional))
            for module, names, line, scope, conditional in edges
        )
        return ModuleScan(imports, bool(has_main))
    except (TypeError, ValueError):
        return None
