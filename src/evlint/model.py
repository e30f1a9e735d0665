"""Plain data types shared by every stage of the pipeline."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

# Codes of findings about a file rather than its code.
SYNTAX_ERROR = "EVL000"
DECODE_ERROR = "EVL001"
READ_ERROR = "EVL002"


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
    """Matches a call argument, by keyword or at `position`, that may hold a given literal."""

    name: str
    value: str | int | float | bool | None
    calls: tuple[str, ...] = ()
    position: int | None = None  # 0-based, for a call that passes the argument positionally
    methods: tuple[str, ...] = ()  # or calls of a method of one of these names, on any object


@dataclass(frozen=True)
class SettingSelector:
    """Matches a setting `name` given `value`: assigned, compared, a parameter default, a keyword."""

    name: str
    value: str | int | float | bool | None


@dataclass(frozen=True)
class ArgumentCondition:
    """One argument of a call, found by keyword or position: given (of one of `kinds`, when
    any are named: lambda, nested-function; as one of the literals `values`, when any are
    named), or `absent` (given neither way)."""

    position: int | None = None
    keyword: str | None = None
    kinds: tuple[str, ...] = ()
    absent: bool = False
    values: tuple[str | int | float | bool | None, ...] = ()


@dataclass(frozen=True)
class CallSelector:
    """A call of `name` whose given positional arguments and keywords are these literals."""

    name: str
    args: tuple[str | int | float | bool | None, ...] = ()
    keywords: tuple[tuple[str, str | int | float | bool | None], ...] = ()
    # Where the call must (inside) or must not (outside) be: contexts named in
    # evlint.engine.contexts (async-def, loop, green-code, dual-mode-guard, ...).
    inside: tuple[str, ...] = ()
    outside: tuple[str, ...] = ()
    after_import: tuple[str, ...] = ()  # modules imported at module level before the call
    min_size: int | None = None  # an integer literal size argument at least this
    argument: ArgumentCondition | None = None  # an argument given (of a kind) or absent
    after_call: tuple[str, ...] = ()  # names the module calls at module level before the call
    unless_caught: tuple[str, ...] = ()  # exceptions whose handler around the call exempts it

    @property
    def contextual(self) -> bool:
        """Matched by evlint.engine.contexts rather than by the call table."""
        return bool(
            self.inside
            or self.outside
            or self.after_import
            or self.after_call
            or self.min_size is not None
            or self.argument is not None
        ) or self.name.endswith(".*")


@dataclass(frozen=True)
class ObjectMethod:
    """A method of an eventlet object: what to call instead, and whether the API changes."""

    name: str
    use: str
    api_changes: bool = True
    returns: str | None = None  # the object type the call gives (`pool.spawn()`: a green thread)
    argument: ArgumentCondition | None = None  # reported only when the call's argument holds this


@dataclass(frozen=True)
class ObjectType:
    """An eventlet object: the qualified names that make it and the methods called on it."""

    name: str
    made_by: tuple[str, ...]
    methods: tuple[ObjectMethod, ...]
    enter_returns_self: bool = False  # `with Timeout(5) as t`: `t` is the object
    # Objects whose making call meets this (`get_context('fork')`) are not reported.
    unless_made_with: ArgumentCondition | None = None


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
    setting: tuple[SettingSelector, ...] = ()
    objects: tuple[ObjectType, ...] = ()
    unused_noqa: bool = False


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
class DeclaredVersionMessage:
    """The message a rule gives instead when the project declares `distribution` with a
    lowest allowed version below `below` (see evlint.declared)."""

    distribution: str
    below: str
    message: str
    suggestion: str | None = None


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
    declared_version: DeclaredVersionMessage | None = None
    follow_reexports: bool = True  # whether its packages are the project index's targets
    supersedes: tuple[str, ...] = ()  # generic rules whose findings this one replaces on its sites
    exclusive_group: str | None = None  # alternative policies: ALL or a prefix selects at most one


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
    # A name the fix writes that a rule option chose (M322's `{wrapper-module}.{name}`): the
    # fix is offered as declared only where the project has that module defining that name.
    project_name: ProjectName | None = None


@dataclass(frozen=True)
class ProjectName:
    """`module.name`, written by a fix because option `option` of the rule says so."""

    module: str
    name: str
    option: str


@dataclass(frozen=True)
class Origin:
    """Where an object-flow finding's eventlet object was made: a file shown as diagnostics
    show paths (the finding's own or another module), a 1-based row, and the column when
    known (the project index keeps only the line of another module's constructor)."""

    path: str
    row: int
    column: int | None = None


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
    origin: Location | None = None  # a method finding: where its eventlet object was made
    made_at: Origin | None = None  # the same, in this file or another (object flow)

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.location.row, self.location.column, self.code)


class EvlintError(Exception):
    """A user-facing error (bad config, bad rule file, bad option): exit code 2."""


INTERNAL_ERROR = "EVL003"


@dataclass(frozen=True)
class InternalError:
    """One caught crash: where it happened and the traceback to show with --debug."""

    path: str
    stage: str  # "analysis", "fix", ...
    summary: str  # `ExceptionType: message`
    rule: str | None
    row: int
    traceback: str

    def diagnostic(self) -> Diagnostic:
        where = f" in rule {self.rule}" if self.rule else ""
        message = f"internal error during {self.stage}{where}: {self.summary} (please report)"
        location = Location(self.row, 1)
        return Diagnostic(INTERNAL_ERROR, message, self.path, location, location, Severity.ERROR)

    def debug_text(self) -> str:
        return f"evlint: internal error in {self.path}:{self.row}:\n{self.traceback}"


@dataclass(frozen=True)
class FileResult:
    """What checking one file found: its findings (noqa applied), and what fixing did."""

    path: str  # as shown
    diagnostics: tuple[Diagnostic, ...]
    text: str = ""  # the file's text when it has findings, for code frames
    fixed: int = 0  # fixes applied (or, with --diff, that would be)
    diff: str = ""
    fix_error: str | None = None
    fixed_source: bytes | None = None  # the fixed file's bytes, when fixes changed it
    internal_errors: tuple[InternalError, ...] = ()  # bugs caught on this file (EVL003), for --debug
    fixed_codes: tuple[str, ...] = ()  # the code of each finding the fixes removed (--show-fixes)


@dataclass(frozen=True)
class BaselineOutcome:
    """What a check against a baseline left out and found gone."""

    shown: str  # the baseline file, as paths are shown
    known: int
    fixed: int

    def summary(self) -> str:
        known = f"{self.known} known finding{'s' if self.known != 1 else ''}"
        return f"Baseline {self.shown}: {known} not shown, {self.fixed} fixed since it was written."


@dataclass(frozen=True)
class CheckResult:
    files: tuple[FileResult, ...]
    files_checked: int
    files_parsed: int
    # Every file checked, shown as in diagnostics: a baseline entry for one of them that is
    # not found again was fixed; one for a file outside them was not looked at.
    checked_paths: frozenset[str] = frozenset()
    baseline: BaselineOutcome | None = None  # set when findings were checked against a baseline
    files_cached: int = 0  # files answered from the result cache

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return sorted((d for f in self.files for d in f.diagnostics), key=lambda d: d.sort_key)

    @property
    def fixed(self) -> int:
        return sum(result.fixed for result in self.files)

    def text_of(self, path: str) -> str:
        return self._texts.get(path, "")

    @functools.cached_property
    def _texts(self) -> dict[str, str]:
        return {result.path: result.text for result in self.files if result.text}


def file_error(shown: str, code: str, message: str, row: int = 1, column: int = 1) -> FileResult:
    """A file's one finding when it cannot be read, decoded or parsed."""
    location = Location(row, column)
    return FileResult(shown, (Diagnostic(code, message, shown, location, location, Severity.ERROR),))
