"""Run the engine over many files: per-file rule sets, the text pre-filter, a process pool."""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pathspec

from evlint.config import Settings
from evlint.discover import Discoverer, relative_posix
from evlint.model import Diagnostic, Location, Rule, Severity
from evlint.ruleset import CompiledRules

# Below this many files to parse, a process pool costs more than it saves.
POOL_THRESHOLD = 24
MAX_FILE_BYTES = 10 * 1024 * 1024

SYNTAX_ERROR = "EVL000"
DECODE_ERROR = "EVL001"
READ_ERROR = "EVL002"


@dataclass(frozen=True)
class FileResult:
    path: str
    diagnostics: tuple[Diagnostic, ...]
    text: str = ""


@dataclass(frozen=True)
class CheckResult:
    files: tuple[FileResult, ...]
    files_checked: int
    files_parsed: int

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return sorted((d for f in self.files for d in f.diagnostics), key=lambda d: d.sort_key)

    def text_of(self, path: str) -> str:
        for result in self.files:
            if result.path == path:
                return result.text
        return ""


class RuleScope:
    """Which of the selected rules apply to a file: rule `paths` and per-file-ignores."""

    def __init__(self, rules: Sequence[Rule], settings: Settings) -> None:
        self.rules = tuple(rules)
        self.root = settings.project_root
        self._includes = [_spec(rule.include_paths) for rule in self.rules]
        self._excludes = [_spec(rule.exclude_paths) for rule in self.rules]
        self._per_file = [(_spec((pattern,)), codes) for pattern, codes in settings.per_file_ignores]

    def for_file(self, path: Path) -> tuple[int, ...]:
        relative = relative_posix(path, self.root)
        ignored = tuple(
            code for spec, codes in self._per_file if spec and spec.match_file(relative) for code in codes
        )
        active = []
        for index, rule in enumerate(self.rules):
            include, exclude = self._includes[index], self._excludes[index]
            if include is not None and not include.match_file(relative):
                continue
            if exclude is not None and exclude.match_file(relative):
                continue
            if ignored and rule.id.startswith(ignored):
                continue
            active.append(index)
        return tuple(active)


def _spec(patterns: Sequence[str]) -> pathspec.GitIgnoreSpec | None:
    return pathspec.GitIgnoreSpec.from_lines(patterns) if patterns else None


def display_path(path: Path) -> str:
    """Paths under the working directory are shown relative to it, as ruff and flake8 do."""
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)


def check_paths(paths: Sequence[Path], rules: Sequence[Rule], settings: Settings) -> CheckResult:
    files = Discoverer(settings).discover(paths)
    scope = RuleScope(rules, settings)
    jobs: list[tuple[str, tuple[int, ...], bytes]] = []
    results: list[FileResult] = []
    for path in files:
        active = scope.for_file(path)
        if not active:
            continue
        shown = display_path(path)
        source, error = read_source(path, shown)
        if error is not None:
            results.append(error)
        elif _compiled(scope.rules, active).may_match(source):
            jobs.append((shown, active, source))
    results.extend(_run_jobs(scope.rules, jobs))
    return CheckResult(tuple(results), files_checked=len(files), files_parsed=len(jobs))


def read_source(path: Path, shown: str) -> tuple[bytes, FileResult | None]:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            message = f"File is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB; not checked"
            return b"", file_error(shown, READ_ERROR, message)
        return path.read_bytes(), None
    except OSError as error:
        return b"", file_error(shown, READ_ERROR, f"Cannot read file: {error.strerror or error}")


def file_error(shown: str, code: str, message: str, row: int = 1, column: int = 1) -> FileResult:
    location = Location(row, column)
    return FileResult(shown, (Diagnostic(code, message, shown, location, location, Severity.ERROR),))


@lru_cache(maxsize=256)
def _compiled(rules: tuple[Rule, ...], active: tuple[int, ...]) -> CompiledRules:
    return CompiledRules([rules[index] for index in active])


def _run_jobs(rules: tuple[Rule, ...], jobs: list[tuple[str, tuple[int, ...], bytes]]) -> list[FileResult]:
    workers = min(os.cpu_count() or 1, 8)
    if len(jobs) < POOL_THRESHOLD or workers < 2:
        return [lint_one(rules, *job) for job in jobs]
    with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=(rules,)) as pool:
        chunk = max(1, len(jobs) // (workers * 4))
        return list(pool.map(_lint_in_worker, jobs, chunksize=chunk))


_WORKER_RULES: tuple[Rule, ...] = ()


def _init_worker(rules: tuple[Rule, ...]) -> None:
    global _WORKER_RULES
    _WORKER_RULES = rules


def _lint_in_worker(job: tuple[str, tuple[int, ...], bytes]) -> FileResult:
    return lint_one(_WORKER_RULES, *job)


def lint_one(rules: tuple[Rule, ...], shown: str, active: tuple[int, ...], source: bytes) -> FileResult:
    """Parse and match one file; a file that cannot be parsed becomes one diagnostic."""
    import libcst as cst

    from evlint.engine import lint_source
    from evlint.suppress import apply_noqa

    try:
        report = lint_source(shown, source, _compiled(rules, active))
    except cst.ParserSyntaxError as error:
        message = f"SyntaxError: {error.message}"
        return file_error(shown, SYNTAX_ERROR, message, error.raw_line, error.raw_column + 1)
    except (UnicodeDecodeError, LookupError, SyntaxError) as error:
        return file_error(shown, DECODE_ERROR, f"Cannot decode file: {error}")
    kept = apply_noqa(report.diagnostics, report.text)
    return FileResult(shown, tuple(kept), report.text if kept else "")
