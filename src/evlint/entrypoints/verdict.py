"""One entry point followed from its module: where it patches, what it imports before that,
what still needs eventlet with the patch switched off, and the verdict.

- `eventlet-free`: nothing on the way patches, nothing imports eventlet at import time.
- `dual-mode`: every patch on the way sits behind a switch (an environment variable, a
  config option, a backend selection) and, with it off, nothing on the way imports eventlet.
- `eventlet-only`: a patch with no switch, or a module on the way imports eventlet at import
  time (the chain of imports is the evidence).
- `unresolved`: the target module is not part of the project (another package's command).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from evlint.entrypoints.graph import PatchPath, ProjectModules
from evlint.entrypoints.metadata import EntryPoint
from evlint.entrypoints.patching import EVENTLET, SWITCHES, Guard
from evlint.entrypoints.scan import MAIN_SCOPE, MODULE_SCOPE, ImportEdge

FREE, DUAL, ONLY, UNRESOLVED = "eventlet-free", "dual-mode", "eventlet-only", "unresolved"
ScopeTest = Callable[[str], bool]
SEVERITY = {UNRESOLVED: -1, FREE: 0, DUAL: 1, ONLY: 2}
MAIN_GROUP, TESTS_GROUP = "__main__", "tests"


@dataclass(frozen=True)
class PatchSite:
    """A monkey patch on an entry point's way: the call that asks for it, the wrappers it
    goes through, eventlet's call, and its guards."""

    location: str  # file:line of eventlet's monkey_patch call
    call: str  # the first call on the way (in the entry point's code), with its location
    reached_by: str  # the imports that run that call: `nova-compute → nova.cmd.compute → nova.cmd`
    via: tuple[str, ...]  # every call from there to eventlet's, `file:line code`
    how: str  # "full", or "partial (thread=False)"
    guards: tuple[Guard, ...]

    @property
    def switchable(self) -> bool:
        return any(guard.kind in SWITCHES for guard in self.guards)


@dataclass(frozen=True)
class EntryPointResult:
    entry_point: EntryPoint
    verdict: str
    evidence: tuple[str, ...]
    patches: tuple[PatchSite, ...] = ()
    imported_before_patch: tuple[str, ...] = ()
    eventlet_imports: tuple[str, ...] = ()  # import chains, with the patch off
    lazy_eventlet: tuple[str, ...] = ()  # reachable functions that import eventlet when called


def analyze(point: EntryPoint, modules: ProjectModules) -> EntryPointResult:
    if point.module not in modules:
        return EntryPointResult(point, UNRESOLVED, (f"{point.module} is not a module of this project",))
    run = _Run(point, modules)
    try:
        run.start()
    except RecursionError:  # an import chain deeper than Python's stack: say so, go on
        return EntryPointResult(point, UNRESOLVED, ("its import chain is too deep to follow",))
    chains = tuple(_eventlet_chains(point, modules, _switched_off(run.patches)))
    lazy = tuple(_lazy_uses(run.reached, modules))
    before = tuple(run.before_patch) if run.patches else ()
    evidence: list[str] = []
    unguarded = [p for p in run.patches if not p.switchable]
    for patch in run.patches:
        called = f"called by {patch.call} ({patch.reached_by})"
        evidence.append(f"patches ({patch.how}) at {patch.location}, {called}; {_switches(patch)}")
    evidence.extend(f"imports eventlet with the patch off: {chain}" for chain in chains)
    if unguarded or chains:
        verdict = ONLY
    elif run.patches:
        verdict = DUAL
    else:
        verdict = FREE
        evidence.append("nothing on the way patches or imports eventlet at import time")
    return EntryPointResult(point, verdict, tuple(evidence), tuple(run.patches), before, chains, lazy)


def _switches(patch: PatchSite) -> str:
    switches = dict.fromkeys(g.describe() for g in patch.guards if g.kind in SWITCHES)
    if switches:
        return "switched by " + ", ".join(switches)
    if any(g.kind == "is_monkey_patched" for g in patch.guards):
        return "no switch (only skipped when already patched)"
    return "no switch"


def _module_scopes(as_main: bool) -> ScopeTest:
    return lambda scope: scope == MODULE_SCOPE or (as_main and scope == MAIN_SCOPE)


def _in_function(function: str | None) -> ScopeTest:
    return lambda scope: function is not None and (scope == function or scope.startswith(function + "."))


class _Run:
    """The imports and patches an entry point runs, in the order it runs them."""

    def __init__(self, point: EntryPoint, modules: ProjectModules) -> None:
        self.point, self.modules = point, modules
        self.imported: set[str] = set()
        self.patches: list[PatchSite] = []
        self.before_patch: list[str] = []
        self.reached: list[str] = []
        self.importer: dict[str, str | None] = {}
        self._running: list[str] = []

    def start(self) -> None:
        as_main = self.point.group == MAIN_GROUP
        self._import(self.point.module, as_main=as_main)
        if self.point.function:
            self._running.append(self.point.module)
            self._execute(self.point.module, _in_function(self.point.function))
            self._running.pop()

    def _import(self, module: str, *, as_main: bool = False) -> None:
        parts = module.split(".")
        for end in range(1, len(parts) + 1):
            name = ".".join(parts[:end])
            if name in self.imported:
                continue
            self.imported.add(name)
            self.importer[name] = self._running[-1] if self._running else None
            if not self.patches and name.partition(".")[0] != EVENTLET:
                self.before_patch.append(name)
            if name in self.modules:
                self.reached.append(name)
                main = as_main and name == module
                self._running.append(name)
                self._execute(name, _module_scopes(main), "main" if main else "module")
                self._running.pop()

    def _execute(self, module: str, in_scope: ScopeTest, key: str | None = None) -> None:
        for event in self.modules.events(module, in_scope, key):
            if isinstance(event, PatchPath):
                self.patches.append(self._site(event))
            else:
                for target in event:
                    self._import(target)

    def _site(self, path: PatchPath) -> PatchSite:
        shown = [f"{self.modules.display(module)}:{site.line} {site.text}" for module, site in path.sites]
        module, last = path.sites[-1]
        how = f"partial ({', '.join(last.excluded)})" if last.excluded else "full"
        first_module = path.sites[0][0]
        names = [first_module]
        while (up := self.importer.get(names[-1])) is not None:
            names.append(up)
        start = [] if names[-1] == self.point.name else [self.point.name]
        reached_by = " → ".join([*start, *reversed(names)])
        location = f"{self.modules.display(module)}:{last.line}"
        return PatchSite(location, shown[0], reached_by, tuple(shown), how, path.guards)


def _static_scopes(point: EntryPoint, module: str) -> ScopeTest:
    main = point.group == MAIN_GROUP and module == point.module
    in_function = _in_function(point.function if module == point.module else None)
    return lambda scope: scope == MODULE_SCOPE or (main and scope == MAIN_SCOPE) or in_function(scope)


def _switched_off(patches: list[PatchSite]) -> dict[str, list[tuple[int, int]]]:
    """The code each switch skips when it turns patching off, by file: an import of eventlet
    in there (`if not os.environ.get(X): import eventlet; eventlet.monkey_patch()`) goes
    with the patch."""
    blocks: dict[str, list[tuple[int, int]]] = {}
    for patch in patches:
        for guard in patch.guards:
            if guard.kind in SWITCHES and guard.file:
                blocks.setdefault(guard.file, []).append(guard.block)
    return blocks


def _eventlet_chains(
    point: EntryPoint, modules: ProjectModules, switched_off: dict[str, list[tuple[int, int]]]
) -> Iterator[str]:
    """With the patch off: each module on the way that imports eventlet at import time (or in
    the entry point's function), with the shortest chain of imports that reaches it."""
    parent: dict[str, tuple[str, str] | None] = {}  # module -> (importer, the importer as shown)
    queue: deque[str] = deque()
    reported: set[str] = set()

    def reach(module: str, via: tuple[str, str] | None) -> None:
        parts = module.split(".")
        for end in range(1, len(parts) + 1):
            name = ".".join(parts[:end])
            if name not in parent:
                parent[name] = via
                if name in modules:
                    queue.append(name)

    reach(point.module, None)
    while queue:
        module = queue.popleft()
        for edge in modules.edges(module, _static_scopes(point, module)):
            shown = module if edge.scope in (MODULE_SCOPE, MAIN_SCOPE) else f"{module}.{edge.scope}()"
            if edge.module.partition(".")[0] != EVENTLET:
                for target in modules.imported(edge):
                    reach(target, (module, shown))
            elif module not in reported and not _skipped(edge, switched_off.get(modules.display(module), ())):
                reported.add(module)
                names = [shown]
                up = parent.get(module)
                while up is not None:
                    names.append(up[1])
                    up = parent.get(up[0])
                where = f"{modules.display(module)}:{edge.line}"
                start = [] if names[-1] == point.name else [point.name]
                yield " → ".join([*start, *reversed(names), f"{edge.module} ({where})"])


def _skipped(edge: ImportEdge, blocks: Sequence[tuple[int, int]]) -> bool:
    return any(first <= edge.line <= last for first, last in blocks)


def _lazy_uses(reached: list[str], modules: ProjectModules) -> Iterator[str]:
    for module in reached:
        for edge in modules.edges(module, lambda scope: scope not in (MODULE_SCOPE, MAIN_SCOPE)):
            if edge.module.partition(".")[0] == EVENTLET:
                yield f"{module}.{edge.scope}() ({modules.display(module)}:{edge.line})"
