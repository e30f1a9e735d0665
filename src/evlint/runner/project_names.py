"""A fix that writes a name of the project's own (M322's `masakari.utils.spawn`, from the
rule's `wrapper-module` option) keeps its applicability only where the project has that
module and it defines that name; elsewhere (the option left at masakari's default in
another project) the fix is display-only, with a message saying which option to set.
Which fixes write such a name is `fix.project_module`'s one notion, shared with
`test-rules`, which therefore does not warn of them as redirections.

The module is found as the project index finds modules (the same `ModuleNamer`: `src`
roots, else `__init__.py` packages under the project root), and its top-level bindings
are read with `ast`. Decided per run, after the result cache, so a changed wrapper or
option is seen at once.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path

from evlint.index.namer import ModuleNamer
from evlint.model import Applicability, Diagnostic, FileResult, ProjectName


class ProjectNameCheck:
    def __init__(self, root: Path, namer: ModuleNamer, src: Sequence[Path] = ()) -> None:
        self.roots = tuple(src) or (root,)
        self.namer = namer
        self._defines: dict[tuple[str, str], bool] = {}

    def review(self, diagnostics: Iterable[Diagnostic]) -> tuple[Diagnostic, ...]:
        """The findings, each fix that names what the project lacks made display-only."""
        return tuple(self._reviewed(diagnostic) for diagnostic in diagnostics)

    def review_file(self, result: FileResult) -> FileResult:
        if not any(d.fix is not None and d.fix.project_name is not None for d in result.diagnostics):
            return result
        return replace(result, diagnostics=self.review(result.diagnostics))

    def _reviewed(self, diagnostic: Diagnostic) -> Diagnostic:
        fix = diagnostic.fix
        if fix is None or fix.project_name is None or fix.applicability is Applicability.DISPLAY_ONLY:
            return diagnostic
        wanted = fix.project_name
        if self.defines(wanted):
            return diagnostic
        message = (
            f"{fix.message} (display only: this project has no {wanted.module} defining"
            f" {wanted.name}; set `{wanted.option}` in [tool.evlint.options.{diagnostic.code}])"
        )
        return replace(
            diagnostic, fix=replace(fix, applicability=Applicability.DISPLAY_ONLY, message=message)
        )

    def defines(self, wanted: ProjectName) -> bool:
        key = (wanted.module, wanted.name)
        known = self._defines.get(key)
        if known is None:
            known = self._defines[key] = self._module_defines(wanted.module, wanted.name)
        return known

    def _module_defines(self, module: str, name: str) -> bool:
        parts = module.split(".")
        for root in self.roots:
            for path in (root.joinpath(*parts).with_suffix(".py"), root.joinpath(*parts, "__init__.py")):
                context = self.namer.context(path) if path.is_file() else None
                if context is not None and context.name == module:
                    return name in _top_level_names(path)
        return False


def _top_level_names(path: Path) -> frozenset[str]:
    """The names a module binds at its top level (in `if`/`try` blocks too); none if it
    cannot be read or parsed."""
    try:
        tree = ast.parse(path.read_bytes())
    except (OSError, SyntaxError, ValueError):
        return frozenset()
    names: set[str] = set()
    pending: list[ast.stmt] = list(tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names.update(n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name))
        elif isinstance(node, (ast.If, ast.Try, ast.With)):
            pending.extend(_blocks(node))
    return frozenset(names)


def _blocks(node: ast.If | ast.Try | ast.With) -> list[ast.stmt]:
    statements = [*node.body, *getattr(node, "orelse", ()), *getattr(node, "finalbody", ())]
    for handler in getattr(node, "handlers", ()):
        statements.extend(handler.body)
    return statements
