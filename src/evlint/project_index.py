"""The project index: which names of the project's own modules are eventlet's.

Projects hide eventlet behind a module of their own (`from myproj.concurrency import
GreenPool`, `utils.get_eventlet().spawn`); per-file resolution sees only that module. The
index is built once per run from the checked tree, without parsing every file:

1. Files that import a target package (the packages the rules' patterns name, for the
   bundled rules `eventlet`; found by a scan of the text, see `_imports_target`) are read
   for their module facts (`ModuleFacts`: the module scope's bindings and `__all__`); those
   that bind a target name at module level (`from eventlet import sleep`, `sleep =
   eventlet.sleep`, `import eventlet as ev`, a function that returns `eventlet`, a star
   import of eventlet) are hubs.
2. Files whose text could use a hub's name (see `_HubTokens`) are read too; those that
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

import functools
import hashlib
import json
import re
from collections.abc import Callable, Container, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from evlint.model import Rule
from evlint.module_facts import ModuleFacts
from evlint.names import CALL, Function, ModuleContext, Resolver, Scope
from evlint.prefilter import IDENTIFIER_BYTES

_CALL_SUFFIX = "." + CALL
_RELATIVE_IMPORT = b"from ."
# A cycle that keeps widening a name past this many passes is cut short (never seen in practice).
_MAX_FIXPOINT_PASSES = 10


@dataclass(frozen=True)
class SourceFile:
    path: Path
    source: bytes


@dataclass(frozen=True)
class IndexInput:
    """A file the index read in full, with its content hash (for a results cache)."""

    path: str
    module: str
    sha256: str


@dataclass(frozen=True)
class ModuleExports:
    """What one hub module re-exports."""

    exports: Mapping[str, frozenset[str]]  # attribute (or `func.()`) -> target names
    bound: frozenset[str]  # every name bound at module level, eventlet's or not
    star_sources: tuple[str, ...]  # modules it star-imports (absolute)
    all_names: frozenset[str] | None  # a literal `__all__`, if any
    submodules: frozenset[str] = frozenset()  # a package's own modules, which are not its names
    is_package: bool = False

    def visible(self, name: str) -> bool:
        """Whether `from <this module> import *` binds `name`."""
        return name in self.all_names if self.all_names is not None else not name.startswith("_")


class ModuleNamer:
    """Module names from the file layout: `src` roots if configured, else `__init__.py` files."""

    def __init__(self, src: Sequence[Path] = ()) -> None:
        self.roots = sorted((Path(root).absolute() for root in src), key=lambda r: len(r.parts), reverse=True)
        self._directories: dict[Path, tuple[str, ...]] = {}

    def context(self, path: Path) -> ModuleContext | None:
        """The module a `.py` file is, or None if its path is no importable name."""
        if path.suffix != ".py":
            return None
        parts = self._parts(path.absolute())
        is_package = parts[-1] == "__init__"
        if is_package:
            parts = parts[:-1]
        if not parts or not all(part.isidentifier() for part in parts):
            return None
        return ModuleContext(".".join(parts), is_package)

    def top_package_dir(self, path: Path) -> Path | None:
        """The directory of the top-level package `path` is inside, or None for no package."""
        path = path.absolute()
        file = path / "__init__.py" if path.is_dir() else path  # (a file read from stdin need not exist)
        context = self.context(file)
        if context is None:
            return None
        depth = context.name.count(".") + (1 if context.is_package else 0)
        return file.parents[depth - 1] if depth > 0 else None

    def _parts(self, path: Path) -> list[str]:
        return [*self._directory_parts(path.parent), path.stem]

    def _directory_parts(self, directory: Path) -> tuple[str, ...]:
        """The package a directory is, as parts (`()` for a root), computed once per directory."""
        known = self._directories.get(directory)
        if known is not None:
            return known
        parts: tuple[str, ...] = ()
        root = next((root for root in self.roots if directory.is_relative_to(root)), None)
        if root is not None:
            parts = directory.relative_to(root).parts
        elif (directory / "__init__.py").is_file() and directory != directory.parent:
            parts = (*self._directory_parts(directory.parent), directory.name)
        self._directories[directory] = parts
        return parts


@dataclass(frozen=True)
class _HubTokens:
    """Text any file that uses a hub's names contains.

    A use of a re-exported name names the attribute (`from m import GreenPool`, `m.GreenPool`,
    a star import then `GreenPool`), and the module: its last component in an absolute or
    `from .m import` relative import, or `from .` when importing from a package relatively.
    A hub with star imports can re-export any name, so only its module is a token.
    """

    modules: tuple[bytes, ...]
    names: tuple[bytes, ...] | None


@dataclass(frozen=True)
class _ReaderTest:
    """`_HubTokens` of many hubs, regrouped so a file is scanned for each token once.

    The names come first: a hub's names are few and rare (`eventlet`, `tpool`), while its
    module tokens are common words (`utils`, `manager`); most files hold none of the names.
    """

    star_modules: tuple[bytes, ...]  # module tokens of hubs that may re-export any name
    modules_by_name: Mapping[bytes, tuple[bytes, ...]]  # a name -> module tokens of hubs naming it
    # A name -> the longer names that contain it: absent from a text if it is.
    longer: Mapping[bytes, tuple[bytes, ...]]

    @staticmethod
    @functools.cache
    def of(hubs: tuple[_HubTokens, ...]) -> _ReaderTest:
        star = sorted({token for hub in hubs if hub.names is None for token in hub.modules})
        by_name: dict[bytes, set[bytes]] = {}
        for hub in hubs:
            for name in hub.names or ():
                by_name.setdefault(name, set()).update(hub.modules)
        names = sorted(by_name, key=lambda name: (len(name), name))  # shorter names first: see `passes`
        longer = {name: tuple(other for other in names if name in other and other != name) for name in names}
        by_name_sorted = {name: tuple(sorted(by_name[name])) for name in names}
        return _ReaderTest(tuple(star), by_name_sorted, {name: more for name, more in longer.items() if more})

    def passes(self, source: bytes, seen: dict[bytes, bool] | None = None) -> bool:
        """`seen`: what `token in source` gave for the tokens tested so far (filled in here),
        so a text tested again, against other hubs, is not scanned again for the same token."""
        seen = {} if seen is None else seen
        if any(self._has(token, source, seen) for token in self.star_modules):
            return True
        for name, modules in self.modules_by_name.items():
            found = seen.get(name)
            if found is None:
                found = seen[name] = name in source
                if not found:
                    seen.update(dict.fromkeys(self.longer.get(name, ()), False))
            if not found or not any(self._has(token, source, seen) for token in modules):
                continue
            # `from hub import *`, then the bare name; otherwise the name is used as an
            # attribute (`hub.sleep`) or imported by name (`from hub import sleep`, also in a
            # parenthesised list), never merely mentioned.
            if self._has(b"import *", source, seen) or self._used(name, source, seen):
                return True
        return False

    @staticmethod
    def _has(token: bytes, source: bytes, seen: dict[bytes, bool]) -> bool:
        found = seen.get(token)
        if found is None:
            found = seen[token] = token in source
        return found

    @staticmethod
    def _used(name: bytes, source: bytes, seen: dict[bytes, bool]) -> bool:
        key = b"\0" + name  # (no token starts with a NUL byte)
        found = seen.get(key)
        if found is None:
            found = seen[key] = _as_attribute(name, source) or _imported(name, source)
        return found


def _as_attribute(name: bytes, source: bytes) -> bool:
    """`.name` as a whole word (`hub.sleep`)."""
    dotted = b"." + name
    start = source.find(dotted)
    while start != -1:
        end = start + len(dotted)
        if end == len(source) or source[end] not in IDENTIFIER_BYTES:
            return True
        start = source.find(dotted, end)
    return False


def _imported(name: bytes, source: bytes) -> bool:
    """`name` imported by name: after `import` on its (continued) line or in its parentheses.

    The expression starts with the literal `import`, which the regex engine finds quickly;
    the word boundary before it is checked here (as `\\b` first, it made the engine try
    every position of the text).
    """
    pattern = _import_pattern(name)
    found = pattern.search(source)
    while found is not None:
        start = found.start()
        if start == 0 or source[start - 1] not in IDENTIFIER_BYTES:
            return True
        found = pattern.search(source, start + 1)
    return False


@functools.cache
def _import_pattern(name: bytes) -> re.Pattern[bytes]:
    word = re.escape(name)
    return re.compile(rb"import\s+(?:\([^)]*|(?:\\\r?\n|[^\n#])*)\b" + word + rb"\b")


@dataclass(frozen=True)
class ProjectIndex:
    """The project's hub modules; answers the resolver's questions about project names."""

    targets: frozenset[str]
    modules: Mapping[str, ModuleExports]
    readers: frozenset[Path] = frozenset()  # every file parsed to build the index
    inputs: tuple[IndexInput, ...] = ()
    _tokens: tuple[_HubTokens, ...] = field(default=(), compare=False)
    _tops: frozenset[str] = field(default=frozenset(), compare=False)

    def expand(self, qname: str) -> tuple[frozenset[str], str] | None:
        """`myproj.concurrency.GreenPool` -> ({'eventlet.GreenPool'}, 'myproj.concurrency')."""
        if qname.partition(".")[0] not in self._tops:
            return None
        parts = qname.split(".")
        for end in range(len(parts) - 1, 0, -1):
            module = ".".join(parts[:end])
            if module not in self.modules:
                continue
            attribute, rest = _attribute_and_rest(parts, end)
            names = self._attribute(module, attribute, frozenset())
            if not names:
                return None
            suffix = "".join("." + part for part in rest)
            return frozenset(name + suffix for name in names), module
        return None

    @property
    def tops(self) -> frozenset[str]:
        return self._tops

    def star_visible(self, module: str, name: str) -> bool:
        exports = self.modules.get(module)
        return exports is None or exports.visible(name)

    def answers_like(self, questions: Questions) -> bool:
        """Whether this index answers each question as `RecordingProject` did."""
        return all(self.expand(name) == answer for name, answer in questions.expanded) and all(
            self.star_visible(module, name) == answer for module, name, answer in questions.star_visible
        )

    def fingerprint(self) -> str:
        """A hash of everything the index tells the engine: equal hashes, equal resolution.

        A results cache keys each file's result on this (with the file's own content, its
        module name and the settings): a change in a hub that changes what it re-exports
        re-checks every file; any other change in a hub re-checks only the hub.
        """
        content = {
            "targets": sorted(self.targets),
            "modules": {
                name: {
                    "exports": {key: sorted(value) for key, value in sorted(exports.exports.items())},
                    # A module's other names and submodules only stop a lookup that would
                    # go on into its star imports (`_attribute`): without those, a new
                    # function in a hub changes nothing the engine is told.
                    "bound": sorted(exports.bound) if exports.star_sources else [],
                    "star": list(exports.star_sources),
                    "all": sorted(exports.all_names) if exports.all_names is not None else None,
                    "submodules": sorted(exports.submodules) if exports.star_sources else [],
                }
                for name, exports in sorted(self.modules.items())
            },
        }
        return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()

    def _attribute(self, module: str, attribute: str, seen: frozenset[str]) -> frozenset[str]:
        exports = self.modules[module]
        found = exports.exports.get(attribute)
        if found is not None:
            return found
        if attribute in exports.bound or attribute in exports.submodules or attribute.endswith(_CALL_SUFFIX):
            return frozenset()
        names: set[str] = set()
        for source in exports.star_sources:
            if source.partition(".")[0] in self.targets:
                if not attribute.startswith("_"):
                    names.add(f"{source}.{attribute}")
            elif source in self.modules and source not in seen and self.modules[source].visible(attribute):
                names.update(self._attribute(source, attribute, seen | {module}))
        return frozenset(names)


Expansion = tuple[frozenset[str], str] | None  # what `ProjectNames.expand` answers


@dataclass(frozen=True)
class Questions:
    """What resolving one file asked of a project index that was not finished yet, with the
    answers it got."""

    expanded: tuple[tuple[str, Expansion], ...] = ()
    star_visible: tuple[tuple[str, str, bool], ...] = ()


class RecordingProject:
    """Answers as `known` (the index as far as it is built; None: an index without hubs)
    does, and notes each question about the project's modules (those under `tops`) with
    its answer, so the answers can be checked against the finished index.

    The engine consults the index only through these two questions. If the finished index
    answers each of them as this one did (`ProjectIndex.answers_like`), linting with it
    would give the same findings; so a file linted before the index was finished is linted
    again only if the index changed what it was told.
    """

    def __init__(self, tops: frozenset[str], known: ProjectIndex | None = None) -> None:
        self.tops = tops
        self.known = known
        self._expanded: dict[str, Expansion] = {}
        self._star_visible: dict[tuple[str, str], bool] = {}

    def expand(self, qname: str) -> Expansion:
        answer = self.known.expand(qname) if self.known is not None else None
        if answer is not None or qname.partition(".")[0] in self.tops:
            self._expanded[qname] = answer
        return answer

    def star_visible(self, module: str, name: str) -> bool:
        answer = self.known.star_visible(module, name) if self.known is not None else True
        if not answer or module.partition(".")[0] in self.tops:
            self._star_visible[(module, name)] = answer
        return answer

    def questions(self) -> Questions:
        return Questions(
            tuple(self._expanded.items()),
            tuple((module, name, answer) for (module, name), answer in self._star_visible.items()),
        )


def index_targets(rules: Iterable[Rule]) -> frozenset[str]:
    """The top-level packages the rules' name patterns are about (`eventlet`)."""
    targets = set()
    for rule in rules:
        s = rule.selectors
        for pattern in (*s.call, *s.reference, *s.import_, *(c.name for c in s.call_with)):
            root = pattern.partition(".")[0]
            if root and root not in ("builtins", "*"):
                targets.add(root)
    return frozenset(targets)


# Reads the facts of modules (each with its module name) for the index; `tops` are the
# project's top-level packages, the index is the one built from the modules read so far. A
# file that cannot be parsed has no facts (None). The `Lookahead` tells a reader that has
# time to spare while it reads which files the next rounds would read.
FactsReader = Callable[
    [Sequence[tuple["SourceFile", ModuleContext]], frozenset[str], "ProjectIndex", "Lookahead"],
    Mapping[Path, "ModuleFacts | None"],
]


def parse_facts(
    modules: Sequence[tuple[SourceFile, ModuleContext]],
    tops: frozenset[str],
    known: ProjectIndex,
    ahead: Lookahead | None = None,
) -> dict[Path, ModuleFacts | None]:
    """The facts of each module, parsed here for the index alone."""
    from evlint.engine import module_facts
    from evlint.runner import decode_source

    found: dict[Path, ModuleFacts | None] = {}
    for file, context in modules:
        try:
            found[file.path] = module_facts(str(file.path), decode_source(file.source), context)
        except (SyntaxError, ValueError, UnicodeDecodeError, LookupError, RecursionError, MemoryError):
            found[file.path] = None  # the file's own check reports it; it re-exports nothing
    return found


def build_index(
    files: Sequence[SourceFile],
    targets: frozenset[str],
    namer: ModuleNamer,
    read_facts: FactsReader = parse_facts,
    scans: dict[Path, dict[bytes, bool]] | None = None,
) -> ProjectIndex:
    """Parse the files that may define or use re-exported target names; see the module doc.

    `read_facts` parses them: a caller that lints those files anyway can lint them there and
    then, keeping the findings, so that each is parsed once. `scans`: what scanning each
    file's text for a token found, known from before and filled in here.
    """
    rounds = _Rounds(files, targets, namer, scans)
    candidates = rounds.first()
    while candidates:
        facts = read_facts(
            rounds.modules(candidates), rounds.tops, rounds.index, Lookahead(rounds, candidates)
        )
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
    ) -> None:
        self.files, self.targets = files, targets
        self.contexts = {f.path: namer.context(f.path) for f in files}
        self.tops = frozenset(c.name.partition(".")[0] for c in self.contexts.values() if c is not None)
        self._known_modules = frozenset(c.name for c in self.contexts.values() if c is not None)
        self.facts: dict[Path, ModuleFacts | None] = {}  # of each file read, in the order read
        self.inputs: dict[Path, IndexInput] = {}
        self.index = _empty_index(targets)
        self._seen = {} if scans is None else scans  # each text's tokens found and not (`passes`)
        self._verdicts: dict[tuple[_HubTokens, ...], dict[Path, bool]] = {}  # `readers`' tests, by hubs

    def first(self) -> list[SourceFile]:
        tokens = tuple(target.encode() for target in sorted(self.targets))
        seen = self._seen
        return [f for f in self.files if _imports_target(f.source, tokens, seen.setdefault(f.path, {}))]

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
        builder = _Builder(self.targets, self._known_modules)
        for path, facts in (*self.facts.items(), *more.items()):
            context = self.contexts[path]
            if context is not None and facts is not None:
                builder.add(path, context, facts)
        return builder.finish(frozenset(self.inputs), tuple(self.inputs.values()))

    def readers(self, index: ProjectIndex, read: Container[Path]) -> list[SourceFile]:
        """The files not `read` whose text may use one of the index's hubs' names.

        (A file is tested against every hub each round, not only the new ones: the answers
        for the tokens it was tested for are remembered, so that costs a lookup.)
        """
        if not index._tokens:
            return []
        verdicts = self._verdicts.setdefault(index._tokens, {})
        test = _ReaderTest.of(index._tokens)
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


class Lookahead:
    """The rounds after the one being read, as they would be if the files of this round not
    read yet (by other processes) re-exported nothing.

    A reader with nothing left to do while others finish the round can read those files
    ahead: if the guess holds, as it mostly does, the next rounds find their files read.
    Only the reader's time depends on the guess, never the index: each round still reads
    exactly the files the finished rounds before it say.
    """

    def __init__(self, rounds: _Rounds, reading: Sequence[SourceFile]) -> None:
        self._rounds = rounds
        self._reading = frozenset(f.path for f in reading)
        self._offered: set[Path] = set()

    def next(
        self, facts: Mapping[Path, ModuleFacts | None]
    ) -> tuple[ProjectIndex, list[tuple[SourceFile, ModuleContext]]]:
        """The index the facts read so far make (`facts`: of this round's files and of those
        offered before; any other is left out), and the files that index would read next
        that were not offered before."""
        index = self._rounds.index_with(
            {path: found for path, found in facts.items() if path in self._reading or path in self._offered}
        )
        skip = {*self._rounds.inputs, *self._reading, *self._offered}
        new = self._rounds.readers(index, skip)
        self._offered.update(f.path for f in new)
        return index, self._rounds.modules(new)


_IMPORT_STATEMENT = re.compile(rb"(?:^|[;:])[ \t]*(?:import|from)\b")
_IMPORTER_CALL = re.compile(rb"import\w*\(\s*(?:name\s*=\s*)?[rbuRBU]*['\"]$")


def _imports_target(source: bytes, tokens: Sequence[bytes], seen: dict[bytes, bool] | None = None) -> bool:
    """Whether the text imports a target: only such a file can bind a target name itself.

    Looks at each occurrence of a target's name: in an import statement (`import eventlet`,
    `from eventlet.green import socket`, continued lines too), or as the string given to an
    importer (`importutils.try_import('eventlet')`, `__import__("eventlet")`).
    """
    for token in tokens:
        start = source.find(token)
        if seen is not None:
            seen[token] = start != -1  # (a hub may re-export the target under its own name)
        while start != -1:
            line_start = source.rfind(b"\n", 0, start) + 1
            while line_start >= 2 and source[line_start - 2 : line_start] == b"\\\n":  # a continued line
                line_start = source.rfind(b"\n", 0, line_start - 2) + 1
            before = source[line_start:start]
            if _IMPORT_STATEMENT.search(before) or _IMPORTER_CALL.search(before):
                return True
            start = source.find(token, start + len(token))
    return False


def _empty_index(targets: frozenset[str]) -> ProjectIndex:
    return ProjectIndex(targets, {})


def _attribute_and_rest(parts: Sequence[str], end: int) -> tuple[str, Sequence[str]]:
    """`m.f.().x` split after module `m`: the attribute `f.()` (a call result) and the rest."""
    attribute, rest = parts[end], parts[end + 1 :]
    if rest and rest[0] == CALL:
        return attribute + _CALL_SUFFIX, rest[1:]
    return attribute, rest


@dataclass
class _Parsed:
    path: Path
    scope: Scope
    all_names: frozenset[str] | None
    is_package: bool
    resolver: Resolver = field(init=False)


class _Builder:
    """Resolves hub modules' names lazily, asking itself about other project modules."""

    def __init__(self, targets: frozenset[str], known_modules: frozenset[str]) -> None:
        self.targets = targets
        self.known_modules = known_modules
        self._children: dict[str, set[str]] = {}
        for name in known_modules:
            parent, _, child = name.rpartition(".")
            self._children.setdefault(parent, set()).add(child)
        self.parsed: dict[str, list[_Parsed]] = {}
        self._cache: dict[tuple[str, str], frozenset[str]] = {}
        self._busy: set[tuple[str, str]] = set()
        self._previous: dict[tuple[str, str], frozenset[str]] = {}
        self._cycle_seen = False

    def add(self, path: Path, context: ModuleContext, facts: ModuleFacts) -> None:
        parsed = _Parsed(path, facts.scope, facts.all_names, context.is_package)
        self.parsed.setdefault(context.name, []).append(parsed)

    # -- the resolver's questions (ProjectNames) -------------------------------------

    @property
    def tops(self) -> frozenset[str]:
        return frozenset(module.partition(".")[0] for module in self.parsed)

    def expand(self, qname: str) -> tuple[frozenset[str], str] | None:
        parts = qname.split(".")
        for end in range(len(parts) - 1, 0, -1):
            module = ".".join(parts[:end])
            if module in self.parsed:
                attribute, rest = _attribute_and_rest(parts, end)
                names = self.attribute(module, attribute)
                suffix = "".join("." + part for part in rest)
                return (frozenset(name + suffix for name in names), module) if names else None
            if module in self.known_modules:  # a project module that re-exports nothing
                return None
        return None

    def star_visible(self, module: str, name: str) -> bool:
        entries = self.parsed.get(module, ())
        return not entries or any(_visible(entry.all_names, name) for entry in entries)

    # -- resolution --------------------------------------------------------------------

    def attribute(self, module: str, attribute: str) -> frozenset[str]:
        """The target names `module.attribute` may be (`f.()`: what calling `module.f` gives)."""
        key = (module, attribute)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        if key in self._busy:  # a cycle: what the previous pass found, nothing at first
            self._cycle_seen = True
            return self._previous.get(key, frozenset())
        self._busy.add(key)
        try:
            chain = (
                (attribute.removesuffix(_CALL_SUFFIX), CALL)
                if attribute.endswith(_CALL_SUFFIX)
                else (attribute,)
            )
            found = frozenset(
                name
                for entry in self.parsed[module]
                for name in entry.resolver.resolve(entry.scope, chain)
                if name.partition(".")[0] in self.targets
            )
        finally:
            self._busy.discard(key)
        self._cache[key] = found
        return found

    def finish(self, readers: frozenset[Path], inputs: tuple[IndexInput, ...]) -> ProjectIndex:
        """Every parsed module's exports, iterated to a fixpoint when imports form cycles."""
        self._previous = {}
        for _ in range(_MAX_FIXPOINT_PASSES):
            self._cache = {}
            self._cycle_seen = False
            for entries in self.parsed.values():
                for entry in entries:
                    entry.resolver = Resolver(self)
            modules = {name: self._exports(name) for name in sorted(self.parsed)}
            if not self._cycle_seen or self._cache == self._previous:
                break
            self._previous = dict(self._cache)
        hubs = _hubs(modules, self.targets)
        return ProjectIndex(
            self.targets,
            hubs,
            readers,
            inputs,
            tuple(_tokens(name, hubs[name]) for name in sorted(hubs)),
            frozenset(name.partition(".")[0] for name in hubs),
        )

    def _exports(self, module: str) -> ModuleExports:
        entries = self.parsed[module]
        bound = frozenset(name for entry in entries for name in entry.scope.bindings)
        functions = {
            name
            for entry in entries
            for name, bindings in entry.scope.bindings.items()
            if any(isinstance(binding, Function) for binding in bindings)
        }
        keys = sorted(bound) + sorted(name + _CALL_SUFFIX for name in functions)
        exports = {key: found for key in keys if (found := self.attribute(module, key))}
        alls = [entry.all_names for entry in entries]
        return ModuleExports(
            exports,
            bound,
            tuple(dict.fromkeys(source for entry in entries for source in entry.scope.star_imports)),
            None
            if any(names is None for names in alls)
            else frozenset(n for names in alls if names for n in names),
            frozenset(self._children.get(module, ())),
            any(entry.is_package for entry in entries),
        )


def _hubs(modules: Mapping[str, ModuleExports], targets: frozenset[str]) -> dict[str, ModuleExports]:
    """Modules with exports, or star imports that lead to a target package or another hub."""
    hubs = {name: exports for name, exports in modules.items() if exports.exports}
    changed = True
    while changed:
        changed = False
        for name, exports in modules.items():
            if name in hubs:
                continue
            if any(s.partition(".")[0] in targets or s in hubs for s in exports.star_sources):
                hubs[name] = exports
                changed = True
    return hubs


def _tokens(module: str, exports: ModuleExports) -> _HubTokens:
    modules = (module.rpartition(".")[2].encode(), *((_RELATIVE_IMPORT,) if exports.is_package else ()))
    names: tuple[bytes, ...] | None = None
    if not exports.star_sources:
        attributes = {key.removesuffix(_CALL_SUFFIX) for key in exports.exports}
        names = tuple(sorted(name.encode() for name in attributes))
    return _HubTokens(modules, names)


def _visible(all_names: frozenset[str] | None, name: str) -> bool:
    return name in all_names if all_names is not None else not name.startswith("_")
