"""One file in, one result out: the only way evlint lints a file, whoever asks (`check`,
standard input, the language server, flake8, `test-rules`).

Python files are decoded, parsed and matched by the engine, then `# noqa` comments are
applied; dependency declaration files (requirements, setup.cfg, pyproject.toml) are read
for the distributions the rules name. A file that cannot be analysed becomes one finding;
a bug in evlint on one file becomes EVL003 on that file, and the run goes on.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from evlint.deepstack import with_deep_stack
from evlint.gcpause import no_cyclic_gc
from evlint.internal import capture
from evlint.model import (
    DECODE_ERROR,
    READ_ERROR,
    SYNTAX_ERROR,
    FileResult,
    InternalError,
    Location,
    file_error,
)
from evlint.module_facts import ModuleFacts
from evlint.names import ModuleContext, ProjectNames
from evlint.pyparse import decode_source
from evlint.requirements import declarations, is_dependency_file
from evlint.ruleset import CompiledRules, normalize_distribution

if TYPE_CHECKING:
    from evlint.engine import FileReport


@dataclass(frozen=True)
class Linted:
    """A Python file's result, with the module facts the project index needs of it (when asked)."""

    result: FileResult
    facts: ModuleFacts | None = None


@dataclass(frozen=True)
class Project:
    """What a file is linted against besides its own text: its module name and the project
    index (which answers questions about the project's other modules)."""

    module: ModuleContext | None = None
    names: ProjectNames | None = None


def lint_file(
    compiled: CompiledRules,
    shown: str,
    filename: str,
    source: bytes,
    *,
    suppress: bool = True,
    project: Project = Project(),
) -> FileResult:
    """One file of any kind evlint reads: Python, or a dependency declaration file."""
    if is_dependency_file(filename):
        try:
            return lint_dependency_file(compiled, shown, filename, source, suppress=suppress)
        except Exception as error:  # a bug in evlint: this file gets EVL003, the run goes on
            return crashed(shown, capture(error, shown, "analysis"))
    return lint_python(compiled, shown, source, suppress=suppress, project=project).result


def lint_python(
    compiled: CompiledRules,
    shown: str,
    source: bytes,
    *,
    suppress: bool = True,
    project: Project = Project(),
    want_facts: bool = False,
) -> Linted:
    """Decode, parse and match one Python file's bytes."""
    try:
        text = decode_source(source)
    except (UnicodeDecodeError, LookupError, SyntaxError) as error:
        return Linted(file_error(shown, DECODE_ERROR, f"Cannot decode file: {_reason(error)}"))
    return lint_python_text(compiled, shown, text, suppress=suppress, project=project, want_facts=want_facts)


def lint_python_text(
    compiled: CompiledRules,
    shown: str,
    text: str,
    *,
    suppress: bool = True,
    project: Project = Project(),
    want_facts: bool = False,
) -> Linted:
    """Parse and match one Python file's text (an editor's buffer, flake8's lines); noqa
    applied unless `suppress` is off (an inventory counts what noqa hides)."""
    from evlint.engine import lint_text  # (a warm run answered from the cache never parses)
    from evlint.unused_noqa import apply_noqa_checked, wants_unused_noqa

    module = project.module if project.names is not None else None

    def analyse() -> FileReport:
        with no_cyclic_gc():
            return lint_text(shown, text, compiled, module, project.names, want_facts=want_facts)

    try:
        try:
            report = analyse()
        except RecursionError:
            report = with_deep_stack(analyse)
    except SyntaxError as error:
        row, column = error.lineno or 1, error.offset or 1
        return Linted(file_error(shown, SYNTAX_ERROR, f"SyntaxError: {error.msg}", row, max(column, 1)))
    except ValueError as error:  # Python < 3.12: "source code string cannot contain null bytes"
        return Linted(file_error(shown, SYNTAX_ERROR, f"SyntaxError: {error}"))
    except RecursionError:
        return Linted(file_error(shown, SYNTAX_ERROR, "Code is nested too deeply to analyse"))
    except MemoryError:
        return Linted(file_error(shown, READ_ERROR, "Cannot analyse the file: out of memory"))
    except Exception as error:  # a bug in evlint: this file gets EVL003, the run goes on
        return Linted(crashed(shown, capture(error, shown, "analysis")))
    # Reading noqa comments scans the whole text: only pay for it when something is reported
    # (or when unused directives are).
    active = compiled.rules[: compiled.reportable]
    if suppress and (report.diagnostics or wants_unused_noqa(active)):
        kept = apply_noqa_checked(report.diagnostics, report.text, active, shown)
    else:
        kept = list(report.diagnostics)
    crashes = report.internal_errors
    kept.extend(crash.diagnostic() for crash in crashes)
    result = FileResult(shown, tuple(kept), report.text if kept else "", internal_errors=crashes)
    return Linted(result, report.facts)


def lint_dependency_file(
    compiled: CompiledRules, shown: str, filename: str, source: bytes, *, suppress: bool = True
) -> FileResult:
    """Dependencies the rules name, declared in a requirements, setup.cfg or pyproject file."""
    from evlint.engine import diagnostic_for
    from evlint.suppress import apply_line_noqa

    text = source.decode("utf-8", errors="replace")
    diagnostics = [
        diagnostic_for(
            compiled.rules[index],
            declared.name,
            shown,
            Location(declared.row, declared.column),
            Location(declared.row, declared.end_column),
        )
        for declared in declarations(filename, text)
        for index in compiled.dependencies.get(normalize_distribution(declared.name), ())
    ]
    kept = apply_line_noqa(diagnostics, text) if suppress else diagnostics
    return FileResult(shown, tuple(kept), text if kept else "")


def crashed(shown: str, crash: InternalError, result: FileResult | None = None) -> FileResult:
    """`result` (or an empty one) with the internal error `crash` added as a finding."""
    result = result or FileResult(shown, ())
    return replace(
        result,
        diagnostics=(*result.diagnostics, crash.diagnostic()),
        internal_errors=(*result.internal_errors, crash),
    )


def _reason(error: Exception) -> str:
    if isinstance(error, UnicodeDecodeError):
        return f"invalid {error.encoding} byte at offset {error.start}"
    return str(error)
