"""The project index: which names of the project's own modules are eventlet's.

Projects hide eventlet behind a module of their own (`from myproj.concurrency import
GreenPool`, `utils.get_eventlet().spawn`); per-file resolution sees only that module. The
index is built once per run from the checked tree, without parsing every file:

1. Files that import a target package (the packages the rules' patterns name, for the
   bundled rules `eventlet`; found by a scan of the text, see `imports_module`) are read
   for their module facts (`ModuleFacts`: the module scope's bindings and `__all__`); those
   that bind a target name at module level (`from eventlet import sleep`, `sleep =
   eventlet.sleep`, `import eventlet as ev`, a function that returns `eventlet`, a star
   import of eventlet) are hubs.
2. Files whose text could use a hub's name (see `HubTokens`) are read too; those that
   re-export a hub's name become hubs themselves (chains), and so on until no file is added.

Reading a module is the caller's to do (`FactsReader`): the runner lints the file in that
same parse, against the index as far as it is built (`RecordingProject`; at first, one
without hubs), and keeps the findings unless the finished index would answer the file's
questions otherwise; with a cache it
also takes the facts of unchanged modules from there. So each file the index reads is
parsed once, in the pool, and a run after one file changed parses only that file.

Each module's names are resolved with the engine's own scopes and resolver, which asks the
index about other modules lazily, so chains, aliases, relative imports and `__init__`
re-exports need no special case, and a cycle of imports resolves to nothing new.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Container, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from evlint.discover import display_path
from evlint.import_lines import imports_module
from evlint.index.model import IndexInput, ProjectIndex, SourceFile, empty_index
from evlint.index.module_order import OrderStep, package_order
from evlint.index.namer import ModuleNamer
from evlint.index.readers import HubTokens, ReaderTest
from evlint.index.resolve import Builder
from evlint.index.spawn_wrappers import WrapperSearch, wrappers_and_callers
from evlint.module_facts import ModuleFacts
from evlint.names import ModuleContext


@dataclass(frozen=True)
class IndexRound:
    """One round of the index's build: the modules to read (each with its module name), the
    project's top-level packages, the index the rounds before made, and what a reader of
    part of the round may lint the rest against (`RoundSoFar`)."""

    modules: Sequence[tuple[SourceFile, ModuleContext]]
    tops: frozenset[str]
    known: ProjectIndex
    so_far: RoundSoFar


# Reads the facts of a round's modules; a file that cannot be parsed has none (None).
FactsReader = Callable[[IndexRound], Mapping[Path, "ModuleFacts | None"]]


def build_index(
    files: Sequence[SourceFile],
    targets: frozenset[str],
    namer: ModuleNamer,
    read_facts: FactsReader,
    scans: dict[Path, dict[bytes, bool]] | None = None,
    makers: Mapping[str, str] | None = None,
    order_names: frozenset[str] = frozenset(),
    spawns: WrapperSearch | None = None,
) -> ProjectIndex:
    """Parse the files that may define or use re-exported target names; see the module doc.

    `read_facts` parses them (`evlint.runner.indexing.parse_facts` does just that); a caller
    that lints those files anyway can lint them there and then, keeping the findings, so that
    each is parsed once. `scans`: what scanning each
    file's text for a token found, known from before and filled in here. `makers`: the
    qualified names whose call makes an eventlet object the rules follow, with its type
    (for the index's object facts; none: no object facts). `order_names`: the names whose
    module-level calls and imports in packages' `__init__`s the index's order facts keep.
    `spawns`: the spawn wrappers to look for (None: no wrapper facts).
    """
    rounds = _Rounds(files, targets, namer, scans, makers, order_names, spawns)
    candidates = rounds.first()
    while candidates:
        round_ = IndexRound(
            rounds.modules(candidates), rounds.tops, rounds.index, RoundSoFar(rounds, candidates)
        )
        facts = read_facts(round_)
        rounds.add(candidates, facts)
        candidates = rounds.readers(rounds.index, rounds.inputs)
    return rounds.index


class _Rounds:
    """The files read so far with their facts, and the index they make."""

    def __init__(
        self,
        files: Sequence[SourceFile],
        targets: frozenset[str],
        namer: ModuleNamer,
        scans: dict[Path, dict[bytes, bool]] | None = None,
        makers: Mapping[str, str] | None = None,
        order_names: frozenset[str] = frozenset(),
        spawns: WrapperSearch | None = None,
    ) -> None:
        self.files, self.targets, self.makers = files, targets, makers
        self.contexts = {f.path: namer.context(f.path) for f in files}
        self.tops = frozenset(c.name.partition(".")[0] for c in self.contexts.values() if c is not None)
        self._known_modules = frozenset(c.name for c in self.contexts.values() if c is not None)
        self.facts: dict[Path, ModuleFacts | None] = {}  # of each file read, in the order read
        self.inputs: dict[Path, IndexInput] = {}
        self._extra = _extra_facts(files, self.contexts, self.tops, order_names, spawns)
        self.index = self._extra.added_to(empty_index(targets))
        self._seen = {} if scans is None else scans  # each text's tokens found and not (`passes`)
        self._verdicts: dict[tuple[HubTokens, ...], dict[Path, bool]] = {}  # `readers`' tests, by hubs

    def first(self) -> list[SourceFile]:
        tokens = tuple(target.encode() for target in sorted(self.targets))
        seen = self._seen
        return [f for f in self.files if imports_module(f.source, tokens, seen.setdefault(f.path, {}))]

    def modules(self, files: Iterable[SourceFile]) -> list[tuple[SourceFile, ModuleContext]]:
        return [(f, context) for f in files if (context := self.contexts[f.path]) is not None]

    def add(self, files: Sequence[SourceFile], facts: Mapping[Path, ModuleFacts | None]) -> None:
        for file in files:
            context = self.contexts[file.path]
            self.inputs[file.path] = IndexInput(
                str(file.path), context.name if context else "", hashlib.sha256(file.source).hexdigest()
            )
            self.facts[file.path] = facts.get(file.path)
        self.index = self.index_with({})

    def index_with(self, more: Mapping[Path, ModuleFacts | None]) -> ProjectIndex:
        """The index of the files read, and of those in `more` as if they had been read too."""
        builder = Builder(self.targets, self._known_modules, self.makers)
        for path, facts in (*self.facts.items(), *more.items()):
            context = self.contexts[path]
            if context is not None and facts is not None:
                builder.add(path, context, facts, display_path(path))
        return self._extra.added_to(builder.finish(frozenset(self.inputs), tuple(self.inputs.values())))

    def readers(self, index: ProjectIndex, read: Container[Path]) -> list[SourceFile]:
        """The files not `read` whose text may use one of the index's hubs' names.

        (A file is tested against every hub each round, not only the new ones: the answers
        for the tokens it was tested for are remembered, so that costs a lookup.)
        """
        if not index._tokens:
            return []
        verdicts = self._verdicts.setdefault(index._tokens, {})
        test = ReaderTest.of(index._tokens)
        found = []
        for file in self.files:
            if file.path in read:
                continue
            verdict = verdicts.get(file.path)
            if verdict is None:
                verdict = verdicts[file.path] = test.passes(file.source, self._seen.setdefault(file.path, {}))
            if verdict:
                found.append(file)
        return found


@dataclass(frozen=True)
class _ExtraFacts:
    """The index's facts read from the text of a few files before the rounds, complete from
    the start: the packages' order (`module_order`) and the spawn wrappers with the files
    that may call them, which the runner lints (as `readers`) whatever the pre-filter says."""

    order: Mapping[str, tuple[OrderStep, ...]]
    wrappers: Mapping[str, int]
    callers: frozenset[Path]

    def added_to(self, index: ProjectIndex) -> ProjectIndex:
        if not self.order and not self.wrappers:
            return index
        return replace(index, order=self.order, wrappers=self.wrappers, readers=index.readers | self.callers)


def _extra_facts(
    files: Sequence[SourceFile],
    contexts: Mapping[Path, ModuleContext | None],
    tops: frozenset[str],
    order_names: frozenset[str],
    spawns: WrapperSearch | None,
) -> _ExtraFacts:
    named = [(f, context) for f in files if (context := contexts[f.path]) is not None]
    packages = [(c.name, display_path(f.path), f.source) for f, c in named if c.is_package]
    modules = [(c, f.source) for f, c in named]
    wrappers, calling = wrappers_and_callers(modules, spawns) if spawns is not None else ({}, [])
    callers = set(calling)
    return _ExtraFacts(
        package_order(packages, order_names, tops),
        wrappers,
        frozenset(f.path for f, c in named if c.name in callers),
    )


class RoundSoFar:
    """The round being read, as far as one reader has read it: the index the rounds before
    make with the facts of some of this round's files. A reader may lint the round's other
    files against it; each result is still checked against the finished index."""

    def __init__(self, rounds: _Rounds, reading: Sequence[SourceFile]) -> None:
        self._rounds = rounds
        self._reading = frozenset(f.path for f in reading)

    def index(self, facts: Mapping[Path, ModuleFacts | None]) -> ProjectIndex:
        """The index the rounds read so far make with the `facts` of some of this round's
        files (any other is left out): what the rest of the round may be linted against."""
        return self._rounds.index_with({path: f for path, f in facts.items() if path in self._reading})
