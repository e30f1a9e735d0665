"""A baseline: today's findings recorded in a file, so that a check reports only new ones.

A finding is identified by a fingerprint that does not contain its row:

- its code and its file (relative to the baseline file's directory);
- the flagged source text with all whitespace removed (the whole line when the finding has
  no width), so lines added above it, a reformatted file or renamed unrelated names leave
  it alone;
- its occurrence index among the findings of the file with the same code and text, in
  file order, so a second identical violation is new.

An entry not found again counts as fixed when its file was checked with its rule selected,
or when its file no longer exists; entries for files or rules outside the run are neither.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evlint.atomic import write_atomically
from evlint.discover import display_path
from evlint.engine import source_lines
from evlint.fsnames import escape_undecodable, hashable
from evlint.jsonfile import read_json
from evlint.model import (
    DECODE_ERROR,
    READ_ERROR,
    SYNTAX_ERROR,
    BaselineOutcome,
    CheckResult,
    Diagnostic,
    EvlintError,
    Rule,
)

FORMAT_VERSION = 1
FILE_ERROR_CODES = (SYNTAX_ERROR, DECODE_ERROR, READ_ERROR)


@dataclass(frozen=True, order=True)
class Fingerprint:
    path: str
    code: str
    text: str
    occurrence: int

    def digest(self) -> str:
        """A short stable hash of the fingerprint (for SARIF partialFingerprints)."""
        key = "\0".join((self.code, self.path, self.text, str(self.occurrence)))
        return hashlib.sha256(hashable(key)).hexdigest()[:32]


def flagged_text(diagnostic: Diagnostic, lines: Sequence[str]) -> str:
    """The source the diagnostic points at, without whitespace; a point means its whole line."""
    start, end = diagnostic.location, diagnostic.end_location
    if not 0 < start.row <= len(lines):
        return ""
    if (end.row, end.column) <= (start.row, start.column) or end.row > len(lines):
        span = lines[start.row - 1]
    elif start.row == end.row:
        span = lines[start.row - 1][start.column - 1 : end.column - 1]
    else:
        middle = lines[start.row : end.row - 1]
        span = "".join(
            (lines[start.row - 1][start.column - 1 :], *middle, lines[end.row - 1][: end.column - 1])
        )
    return "".join(span.split())


def fingerprints(
    diagnostics: Iterable[Diagnostic], text_of: Callable[[str], str], relative_path: Callable[[str], str]
) -> list[tuple[Diagnostic, Fingerprint]]:
    """Each diagnostic with its fingerprint; `diagnostics` must be in file order."""
    lines_of: dict[str, list[str]] = {}
    seen: Counter[tuple[str, str, str]] = Counter()
    pairs = []
    for diagnostic in diagnostics:
        if diagnostic.path not in lines_of:
            lines_of[diagnostic.path] = source_lines(text_of(diagnostic.path))
        key = (
            relative_path(diagnostic.path),
            diagnostic.code,
            flagged_text(diagnostic, lines_of[diagnostic.path]),
        )
        pairs.append((diagnostic, Fingerprint(*key, seen[key])))
        seen[key] += 1
    return pairs


def result_fingerprints(result: CheckResult, base: Path) -> list[tuple[Diagnostic, Fingerprint]]:
    """Fingerprints of a check's findings, their paths relative to the directory `base`."""
    texts = {file.path: file.text for file in result.files}
    return fingerprints(
        result.diagnostics, lambda path: texts.get(path, ""), lambda path: _relative(path, base)
    )


def _relative(shown: str, base: Path) -> str:
    return Path(os.path.relpath(os.path.abspath(shown), base)).as_posix()


@dataclass(frozen=True)
class Baseline:
    path: Path
    entries: frozenset[Fingerprint]

    @property
    def directory(self) -> Path:
        return Path(os.path.abspath(self.path)).parent

    def apply(self, result: CheckResult, codes: Collection[str]) -> tuple[CheckResult, BaselineOutcome]:
        """The check without the findings recorded here; `codes` are those the check looked for."""
        pairs = result_fingerprints(result, self.directory)
        found = {fingerprint for _, fingerprint in pairs}
        known = [diagnostic for diagnostic, fingerprint in pairs if fingerprint in self.entries]
        checked = {_relative(path, self.directory) for path in result.checked_paths}
        fixed = sum(
            1
            for entry in self.entries - found
            if (entry.path in checked and entry.code in codes)
            or not os.path.exists(self.directory / entry.path)
        )
        new_only = _without(result, {id(diagnostic) for diagnostic in known})
        return new_only, BaselineOutcome(display_path(self.path), known=len(known), fixed=fixed)


def _without(result: CheckResult, dropped: set[int]) -> CheckResult:
    files = tuple(
        dataclasses.replace(file, diagnostics=tuple(d for d in file.diagnostics if id(d) not in dropped))
        for file in result.files
    )
    return dataclasses.replace(result, files=files)


def load_baseline(path: Path) -> Baseline:
    """Read a baseline file; a missing or malformed one is an error naming the file."""
    document = read_json(path, "baseline")
    return Baseline(path, frozenset(_entries(path, document)))


def _entries(path: Path, document: Any) -> Iterable[Fingerprint]:
    if not isinstance(document, dict) or document.get("version") != FORMAT_VERSION:
        raise EvlintError(
            f"{path}: not an evlint baseline (version {FORMAT_VERSION}); write it with --write-baseline"
        )
    findings = document.get("findings")
    if not isinstance(findings, list):
        raise EvlintError(f"{path}: baseline has no 'findings' list")
    for index, entry in enumerate(findings):
        try:
            yield Fingerprint(
                path=_typed(entry, "path", str),
                code=_typed(entry, "code", str),
                text=_typed(entry, "text", str),
                occurrence=_typed(entry, "occurrence", int),
            )
        except (TypeError, KeyError) as error:
            raise EvlintError(f"{path}: baseline finding {index}: {error.args[0]}") from None


def _typed(entry: Any, key: str, kind: type[Any]) -> Any:
    if not isinstance(entry, dict) or key not in entry:
        raise KeyError(f"missing {key!r}")
    value = entry[key]
    if not isinstance(value, kind) or isinstance(value, bool):
        raise TypeError(f"{key!r} must be a {kind.__name__}")
    return value


def write_baseline(path: Path, result: CheckResult) -> int:
    """Record the check's findings in `path` (replaced atomically); the number recorded."""
    base = Path(os.path.abspath(path)).parent
    entries = sorted(fingerprint for _, fingerprint in result_fingerprints(result, base))
    document = {
        "version": FORMAT_VERSION,
        "tool": "evlint",
        "findings": [dataclasses.asdict(entry) for entry in entries],
    }
    atomic_write(path, escape_undecodable(json.dumps(document, indent=2, ensure_ascii=False)) + "\n")
    return len(entries)


def atomic_write(path: Path, text: str) -> None:
    try:
        write_atomically(path, text.encode("utf-8"))
    except OSError as error:
        raise EvlintError(f"{path}: cannot write baseline: {error.strerror or error}") from None


def suppress_known(result: CheckResult, path: Path, rules: Sequence[Rule]) -> CheckResult:
    """The check without the findings recorded in the baseline at `path`, with the outcome."""
    codes = {rule.id for rule in rules} | set(FILE_ERROR_CODES)
    kept, outcome = load_baseline(path).apply(result, codes)
    return dataclasses.replace(kept, baseline=outcome)
