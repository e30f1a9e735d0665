"""One occurrence of eventlet: a finding in code or a mention in docs (the inventory's unit)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from evlint.report.classify import DOCS, normalise_source

CODE, DOCS_KIND = "code", "docs"


@dataclass(frozen=True)
class Occurrence:
    """One eventlet use in code (a finding of `rule`) or one line of docs that mentions eventlet."""

    project: str
    path: str  # POSIX, relative to the project's root
    line: int
    column: int
    rule: str | None  # None for docs
    pattern: str
    scope: str  # production | test
    source: str  # the line, stripped
    message: str
    suggestion: str | None
    origin_line: int | None = None  # a method call on an eventlet object: the line that made it
    origin_path: str | None = None  # ... and its file (POSIX, relative to the root), maybe another

    @property
    def origin(self) -> Occurrence | None:
        """Where its object was made, as a place to link to (the same project)."""
        if self.origin_line is None:
            return None
        return replace(self, path=self.origin_path or self.path, line=self.origin_line, origin_line=None)

    @property
    def kind(self) -> str:
        return DOCS_KIND if self.pattern == DOCS else CODE

    @property
    def match_key(self) -> tuple[str, str, str, str]:
        """What identifies it across reports: line numbers move when code is edited."""
        return (self.project, self.path, self.rule or "", normalise_source(self.source))

    @property
    def sort_key(self) -> tuple[str, str, int, int, str]:
        return (self.project, self.path, self.line, self.column, self.rule or "")
