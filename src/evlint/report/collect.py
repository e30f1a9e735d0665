"""Collect every eventlet occurrence of a project: the `check` engine for code, a scan for docs.

An inventory counts everything: `# noqa` comments and per-file-ignores are not applied, the
project's rule selection is replaced by every rule enabled by default (which includes the
catch-all) and the migration-hazards pack, and docs are read whole.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from evlint.api import CheckOptions, check, load_configuration
from evlint.config import CliOverrides, Settings
from evlint.discover import Discoverer, relative_posix
from evlint.engine import source_lines
from evlint.model import Diagnostic, EvlintError, FileResult, Rule
from evlint.report.classify import DOCS, EVENTLET_WORD, RELEASE_NOTES, scope_of
from evlint.report.identity import Identity, identify
from evlint.report.inventory import FileError, ProjectInventory
from evlint.report.occurrence import Occurrence
from evlint.report.teams import UNKNOWN_TEAM, TeamMap
from evlint.runner.sources import read_source

if TYPE_CHECKING:
    from evlint.cache.results_reuse import ResultReuse

DOC_SUFFIXES = (".rst", ".md")
DOCS_MESSAGE = "The documentation mentions eventlet"
DOCS_SUGGESTION = "update the text when the code it describes stops using eventlet"

# Off in `check` (review points, not uses to remove), counted by every inventory.
INVENTORY_EXTRA = ("EVH",)  # the migration-hazards pack


def collect_project(
    path: Path,
    rules_dirs: Sequence[Path] = (),
    *,
    project_index: bool = True,
    teams: TeamMap | None = None,
    identity: Identity | None = None,
    reuse: ResultReuse | None = None,
) -> ProjectInventory:
    """One project's inventory; `reuse`: results kept from this process's earlier checks."""
    return inspect_project(
        path, rules_dirs, project_index=project_index, teams=teams, identity=identity, reuse=reuse
    ).inventory


@dataclass(frozen=True)
class Inspected:
    """A project's inventory, and the files its check discovered (absolute paths): what
    the entry-point analysis reads, so that it need not walk the project again."""

    inventory: ProjectInventory
    files: tuple[Path, ...]


def inspect_project(
    path: Path,
    rules_dirs: Sequence[Path] = (),
    *,
    project_index: bool = True,
    teams: TeamMap | None = None,
    identity: Identity | None = None,
    reuse: ResultReuse | None = None,
) -> Inspected:
    root = Path(os.path.abspath(path))
    if not root.is_dir():
        raise EvlintError(f"{path}: not a project directory")
    overrides = CliOverrides(rules_dirs=tuple(rules_dirs), project_index=None if project_index else False)
    adjust = functools.partial(_inventory_settings, root)
    configuration = load_configuration(root, overrides, adjust=adjust)
    settings, rules = configuration.settings, configuration.rules
    identity = identity or identify(root)
    owner = teams.owner(identity.candidates) if teams is not None else None
    name = owner.repository if owner is not None else identity.name
    result = check([root], overrides, CheckOptions(suppress=False, adjust=adjust, reuse=reuse), configuration)
    by_id = {rule.id: rule for rule in configuration.known}
    occurrences: list[Occurrence] = []
    errors: list[FileError] = []
    for file_result in result.files:
        _add_file(name, root, file_result, by_id, occurrences, errors)
    docs = scan_docs(name, root, settings)
    occurrences.extend(o for o in docs if not is_release_note(o.path))
    suggestions = {rule.id: _advice(rule) for rule in rules if rule.suggestion}
    inventory = ProjectInventory(
        name=name,
        root=str(path),
        occurrences=tuple(sorted(occurrences, key=lambda o: o.sort_key)),
        errors=tuple(sorted(errors, key=lambda e: (e.path, e.line, e.code))),
        suggestions=suggestions,
        rule_names={
            code: by_id[code].name for code in sorted({o.rule or "" for o in occurrences}) if code in by_id
        },
        team=owner.team if owner is not None else (UNKNOWN_TEAM if teams is not None else None),
        deliverable=owner.deliverable if owner is not None else None,
        ref=identity.ref,
        aliases=tuple(c for c in identity.candidates if c != name),
        release_notes=sum(1 for o in docs if is_release_note(o.path)),
    )
    return Inspected(inventory, tuple(sorted(Path(os.path.abspath(shown)) for shown in result.checked_paths)))


def _advice(rule: Rule) -> str:
    """A rule's suggestion for the whole rule: an object-flow rule's depends on the method."""
    if rule.selectors.objects:
        return "the replacement depends on the method: see each site's suggestion"
    return rule.suggestion or ""


def is_release_note(path: str) -> bool:
    return RELEASE_NOTES.search(path) is not None


def _inventory_settings(root: Path, settings: Settings) -> Settings:
    """The project's own settings (excludes, rule options, extra rules) without its selection."""
    if settings.config_path is None:
        settings = replace(settings, project_root=root)
    return replace(settings, select=None, extend_select=INVENTORY_EXTRA, ignore=(), per_file_ignores=())


def _add_file(
    project: str,
    root: Path,
    file_result: FileResult,
    rules: dict[str, Rule],
    occurrences: list[Occurrence],
    errors: list[FileError],
) -> None:
    path = relative_posix(Path(os.path.abspath(file_result.path)), root)
    lines = source_lines(file_result.text)
    for diagnostic in file_result.diagnostics:
        rule = rules.get(diagnostic.code)
        if rule is None:  # EVL000-EVL002: the file could not be analysed
            errors.append(FileError(path, diagnostic.location.row, diagnostic.code, diagnostic.message))
            continue
        occurrences.append(_occurrence(project, path, lines, diagnostic, rule, root))


def _occurrence(
    project: str, path: str, lines: list[str], diagnostic: Diagnostic, rule: Rule, root: Path
) -> Occurrence:
    row, made_at = diagnostic.location.row, diagnostic.made_at
    return Occurrence(
        project=project,
        path=path,
        line=row,
        column=diagnostic.location.column,
        rule=diagnostic.code,
        pattern=rule.pattern,
        scope=scope_of(path),
        source=lines[row - 1].strip() if row <= len(lines) else "",
        message=diagnostic.message,
        suggestion=diagnostic.suggestion,
        origin_line=made_at.row if made_at is not None else None,
        origin_path=None if made_at is None else relative_posix(Path(os.path.abspath(made_at.path)), root),
    )


class _DocsDiscoverer(Discoverer):
    """The project's documentation files, with the same excludes and .gitignore handling."""

    def _wanted(self, name: str, directory: str = "") -> bool:
        return name.endswith((*DOC_SUFFIXES, ".yaml", ".yml"))


def doc_files(root: Path, settings: Settings) -> list[Path]:
    found = _DocsDiscoverer(settings).discover([root])
    return [p for p in found if p.suffix in DOC_SUFFIXES or RELEASE_NOTES.search(relative_posix(p, root))]


def scan_docs(project: str, root: Path, settings: Settings) -> list[Occurrence]:
    """Each line of a doc file (.rst, .md, release notes) that has the word eventlet."""
    occurrences = []
    for path in doc_files(root, settings):
        relative = relative_posix(path, root)
        read = read_source(path, relative)
        if read.error is not None:
            continue
        text = read.source.decode("utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), start=1):
            match = EVENTLET_WORD.search(line)
            if match is not None:
                occurrences.append(
                    Occurrence(
                        project=project,
                        path=relative,
                        line=number,
                        column=match.start() + 1,
                        rule=None,
                        pattern=DOCS,
                        scope=scope_of(relative),
                        source=line.strip(),
                        message=DOCS_MESSAGE,
                        suggestion=DOCS_SUGGESTION,
                    )
                )
    return occurrences
