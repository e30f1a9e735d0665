"""Plain data types shared by every stage of the pipeline."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Location:
    """A 1-based row and column (columns count characters, as ruff does)."""

    row: int
    column: int


@dataclass(frozen=True)
class KeywordSelector:
    """Matches a call keyword argument whose value is a given literal."""

    name: str
    value: str | int | float | bool | None
    calls: tuple[str, ...] = ()


@dataclass(frozen=True)
class CallSelector:
    """A call of `name` whose given positional arguments and keywords are these literals."""

    name: str
    args: tuple[str | int | float | bool | None, ...] = ()
    keywords: tuple[tuple[str, str | int | float | bool | None], ...] = ()


@dataclass(frozen=True)
class Selectors:
    """Qualified-name patterns a rule matches; a pattern ending in `.*` matches below it."""

    call: tuple[str, ...] = ()
    call_with: tuple[CallSelector, ...] = ()
    dependency: tuple[str, ...] = ()
    reference: tuple[str, ...] = ()
    import_: tuple[str, ...] = ()
    string_target: tuple[str, ...] = ()
    keyword: tuple[KeywordSelector, ...] = ()


class Applicability(str, Enum):
    """ruff's levels: `safe` fixes apply with --fix, `unsafe` ones also need --unsafe-fixes."""

    SAFE = "safe"
    UNSAFE = "unsafe"
    DISPLAY_ONLY = "display-only"


class FixKind(str, Enum):
    REPLACE_CALLEE = "replace-callee"
    REPLACE_REFERENCE = "replace-reference"
    REPLACE_KEYWORD_VALUE = "replace-keyword-value"
    DELETE_STATEMENT = "delete-statement"
    REWRITE_IMPORT = "rewrite-import"


@dataclass(frozen=True)
class FixSpec:
    """A rule's declared fix. `replacement` is a template, or a table keyed by matched name."""

    kind: FixKind
    applicability: Applicability
    replacement: str | dict[str, str] | None = field(default=None, hash=False, compare=False)
    message: str | None = None


@dataclass(frozen=True)
class RuleExample:
    code: str
    fixed: str | None = None
    count: int | None = None
    path: str = "example.py"


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    pack: str
    severity: Severity
    summary: str
    message: str
    selectors: Selectors
    source: str
    enabled: bool = True
    fallback: bool = False
    pattern: str = "other"
    suggestion: str | None = None
    docs: str = ""
    url: str | None = None
    exclude_paths: tuple[str, ...] = ()
    include_paths: tuple[str, ...] = ()
    options: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    invalid_examples: tuple[RuleExample, ...] = ()
    valid_examples: tuple[RuleExample, ...] = ()
    fix: FixSpec | None = None


@dataclass(frozen=True)
class Edit:
    """Replace the text between two locations (end exclusive) with `content`."""

    content: str
    location: Location
    end_location: Location


@dataclass(frozen=True)
class ImportRef:
    """An import as libcst's codemod helpers name it: `import module` or `from module import obj`."""

    module: str
    obj: str | None = None
    asname: str | None = None


@dataclass(frozen=True)
class Fix:
    """A proposed change for one finding.

    `edits` are the change at the finding itself; the imports it needs are added and the
    ones it may leave unused are removed when the fix is applied (fix/apply.py, with libcst).
    `last_use` says the edits remove the last use of a `remove_if_unused` import.
    """

    applicability: Applicability
    message: str
    edits: tuple[Edit, ...]
    add_imports: tuple[ImportRef, ...] = ()
    remove_if_unused: tuple[ImportRef, ...] = ()
    last_use: bool = False


@dataclass(frozen=True)
class Diagnostic:
    code: str
    message: str
    path: str
    location: Location
    end_location: Location
    severity: Severity = Severity.ERROR
    suggestion: str | None = None
    url: str | None = None
    noqa_row: int | None = None
    fix: Fix | None = None

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.location.row, self.location.column, self.code)


class EvlintError(Exception):
    """A user-facing error (bad config, bad rule file, bad option): exit code 2."""
