"""Results kept in memory across the checks of one process, keyed on what each depends on.

`report --history` checks the same project at revision after revision, and most files are
the same blobs each time. Keying a file's result on the whole project index (as the result
cache on disk does) re-lints every file whenever any hub changes what it re-exports, which
happens at nearly every release. Here a file's result is keyed on its bytes, its path and
module, the rules active in it and the settings (`scope`), and it is kept with the texts
of the rules it found (a release that raises a declared version changes them), and with the
questions its resolution asked of the project index and the answers it got (as a file
linted while the index is built records them, `RecordingProject`). A later check reuses it
when the file is the same and its index answers those questions alike (`answers_like`):
then linting it again would give the same findings. The index's own reading of modules is
kept the same way, by bytes and module (`facts`), so an unchanged module is not parsed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from evlint.cache.index import FactsCache
from evlint.cache.store import code_fingerprint, digest
from evlint.model import FileResult, Rule

if TYPE_CHECKING:
    from evlint.index.model import ProjectIndex, Questions
    from evlint.module_facts import ModuleFacts
    from evlint.names import ModuleContext


# Each rule's message and suggestion by code: the only parts of a rule the project's declared
# versions change (`declared`), and which reach a file's result only through its findings.
RuleTexts = Mapping[str, tuple[str, str | None]]


@dataclass(frozen=True)
class _Kept:
    result: FileResult
    questions: Questions
    texts: RuleTexts  # of the rules with findings in `result`


class MemoryFacts(FactsCache):
    """The index's module facts by bytes and module name, in memory for the process's life."""

    def __init__(self) -> None:
        super().__init__(Path())
        self._kept: dict[str, ModuleFacts | None] = {}

    def get(self, key: str) -> tuple[bool, ModuleFacts | None]:
        return (True, self._kept[key]) if key in self._kept else (False, None)

    def put(self, key: str, facts: ModuleFacts | None) -> None:
        self._kept[key] = facts

    def scans(self, files: Iterable[Path]) -> dict[Path, dict[bytes, bool]]:
        return {}

    def save(self) -> None:
        """Nothing to write: it lives as long as the process."""


@dataclass
class ResultReuse:
    """What one process keeps between the checks it runs (see the module doc); `reused`
    and `linted` count the current check's files (`start` resets them)."""

    facts: MemoryFacts = field(default_factory=MemoryFacts)
    reused: int = 0
    linted: int = 0
    _kept: dict[str, _Kept] = field(default_factory=dict)

    def start(self) -> None:
        self.reused = self.linted = 0

    def lookup(self, key: str, index: ProjectIndex | None, texts: RuleTexts) -> FileResult | None:
        kept = self._kept.get(key)
        if kept is None or any(texts.get(code) != text for code, text in kept.texts.items()):
            return None
        if index is not None and not index.answers_like(kept.questions):
            return None
        self.reused += 1
        return kept.result

    def keep(self, key: str, result: FileResult, questions: Questions | None, texts: RuleTexts) -> None:
        self.linted += 1
        if questions is not None and not result.internal_errors:  # a crash is not an answer
            found = {d.code: texts.get(d.code, ("", None)) for d in result.diagnostics}
            self._kept[key] = _Kept(result, questions, found)


def scope_key(rules: Sequence[Rule], reported: int, settings: Iterable[str], suppress: bool) -> str:
    """What every file's result in one check depends on besides the file itself (the rules'
    messages and suggestions are compared per file, see `RuleTexts`)."""
    rule_parts = (repr(replace(rule, message="", suggestion=None)) for rule in rules)
    return digest(code_fingerprint(), str(reported), *rule_parts, "\0", *settings, str(suppress))


def file_key(
    scope: str, shown: str, source: bytes, active: Sequence[int], module: ModuleContext | None
) -> str:
    """A file's key within a scope: its bytes, where it is shown, its active rules and module."""
    name = f"{module.name}:{module.is_package}" if module is not None else ""
    return digest(scope, shown, source, ",".join(map(str, active)), name)


def rule_texts(rules: Iterable[Rule]) -> dict[str, tuple[str, str | None]]:
    return {rule.id: (rule.message, rule.suggestion) for rule in rules}
