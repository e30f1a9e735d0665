"""A rule's declared fix, turned into edits for one finding (the fix stage's first half).

Runs on the engine's `ast` tree and bindings, so proposing a fix costs no extra parse.
Each proposal is conservative: when the source is not the plain shape the fix kind
expects (a parenthesised or commented name, two statements on a line, a name the
replacement would shadow), the finding keeps its suggestion and gets no fix.
Imports are only *requested* here; `apply` adds and removes them with libcst (`imports`).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import accumulate
from typing import TypeVar

from evlint.fix.guard import plain_literal, qualified_name
from evlint.fix.project_module import option_chosen_name
from evlint.model import Edit, Fix, FixKind, FixSpec, ImportRef, Location, Rule
from evlint.names import QName, Resolver, Scope, ScopeKind
from evlint.ruleset import render

T = TypeVar("T")

_SIMPLE_STRING = re.compile(r"""(?P<q>['"])[^'"\\\r\n]*(?P=q)""")
_DOTTED = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+")
# Only CR, LF and CRLF end a line, as Python counts them (not form feeds): engine.source_lines too.
LINE_BREAK = re.compile(r"\r\n|\r|\n")


class SourceText:
    """Offsets, 1-based character locations and `ast` byte columns of one text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.line_starts = _line_starts(text)

    def offset(self, location: Location) -> int:
        return self.line_starts[location.row - 1] + location.column - 1

    def location(self, offset: int) -> Location:
        row = _bisect_right(self.line_starts, offset)
        return Location(row, offset - self.line_starts[row - 1] + 1)

    def line(self, row: int) -> str:
        start = self.line_starts[row - 1]
        end = self.line_starts[row] if row < len(self.line_starts) else len(self.text)
        return self.text[start:end]

    def node_offset(self, row: int, byte_column: int) -> int:
        line = self.line(row)
        return self.line_starts[row - 1] + len(line.encode("utf-8")[:byte_column].decode("utf-8", "replace"))

    def span(self, node: ast.AST) -> tuple[int, int]:
        start = self.node_offset(node.lineno, node.col_offset)  # type: ignore[attr-defined]
        end = self.node_offset(node.end_lineno, node.end_col_offset)  # type: ignore[attr-defined]
        return start, end

    def edit(self, start: int, end: int, content: str) -> Edit:
        return Edit(content, self.location(start), self.location(end))


def _line_starts(text: str) -> list[int]:
    """The offset each line starts at (only CR, LF and CRLF end a line)."""
    if "\r" in text:
        return [0, *(match.end() for match in LINE_BREAK.finditer(text))]
    # (the same offsets from the lengths of the lines: several times quicker than the regex)
    return [0, *accumulate(len(line) + 1 for line in text.split("\n"))][:-1]


def _bisect_right(starts: Sequence[int], offset: int) -> int:
    low, high = 0, len(starts)
    while low < high:
        middle = (low + high) // 2
        if starts[middle] <= offset:
            low = middle + 1
        else:
            high = middle
    return low


def statement_bodies(owner: ast.AST) -> list[list[ast.stmt]]:
    """The statement lists a node holds (`body`, `orelse`, `finalbody`)."""
    found = []
    for name in ("body", "orelse", "finalbody"):
        body = getattr(owner, name, None)
        if isinstance(body, list) and body and isinstance(body[0], ast.stmt):
            found.append(body)
    return found


def statement_deletion(
    source: SourceText, statement: ast.stmt, body: Sequence[ast.stmt], owner: ast.AST
) -> tuple[int, int, str] | None:
    """The edit (start, end, content) that deletes a statement: its whole lines, or `pass`
    for the only statement of a block; None if it shares a line with other code."""
    start, end = source.span(statement)
    first = source.line_starts[statement.lineno - 1]
    last_row = statement.end_lineno or statement.lineno
    line_end = source.line_starts[last_row] if last_row < len(source.line_starts) else len(source.text)
    after = source.text[end:line_end]
    if source.text[first:start].strip() or not (after.strip() == "" or after.lstrip().startswith("#")):
        return None  # `import eventlet; x = 1`, `if x: eventlet.monkey_patch()`
    if len(body) == 1 and not isinstance(owner, ast.Module):
        return start, end, "pass"
    return first, line_end, ""


@dataclass(frozen=True)
class UseSite:
    """A dotted name the engine resolved to exactly one qualified name."""

    node: ast.expr
    chain: tuple[str, ...]
    scope: Scope
    qname: str
    call: ast.Call | None


@dataclass(frozen=True)
class KeywordSite:
    keyword: ast.keyword


@dataclass(frozen=True)
class ImportSite:
    node: ast.AST  # ast.Import, ast.ImportFrom or, in `import a, b`, the ast.alias


Site = UseSite | KeywordSite | ImportSite


@dataclass
class FixContext:
    """What one file offers every fix: its text, tree, bindings and names in use."""

    source: SourceText
    tree: ast.Module
    resolver: Resolver
    module_scope: Scope
    import_refs: Mapping[str, Sequence[ImportRef]]  # import bindings by bound name
    imported_modules: frozenset[str]  # `import a.b` statements: `a.b` is loaded
    root_uses: Mapping[str, int]  # how many uses start with each name
    _statements: dict[int, tuple[ast.stmt, Sequence[ast.stmt], ast.AST]] | None = field(default=None)
    _module_imports: dict[str, list[tuple[int, int]]] | None = field(default=None)
    # One object for each equal message, spelling and import list the file's fixes use: a
    # file of 400,000 `eventlet.sleep(1)` lines holds one `time.sleep`, not 400,000 copies.
    _shared: dict[object, object] = field(default_factory=dict)

    def share(self, value: T) -> T:
        """`value`, or an equal one this file's fixes already hold."""
        return self._shared.setdefault(value, value)  # type: ignore[return-value]

    def module_import_positions(self) -> dict[str, list[tuple[int, int]]]:
        """Where module-level import statements bind each name (line, column)."""
        if self._module_imports is None:
            self._module_imports = {}
            pending: list[ast.AST] = list(self.tree.body)
            while pending:
                node = pending.pop()
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
                    continue  # their imports bind in their own scope
                if isinstance(node, (ast.Import, ast.ImportFrom)):
                    for alias in node.names:
                        bound = alias.asname or (
                            alias.name.split(".", 1)[0] if isinstance(node, ast.Import) else alias.name
                        )
                        self._module_imports.setdefault(bound, []).append((node.lineno, node.col_offset))
                elif isinstance(node, ast.stmt | ast.excepthandler | ast.match_case):
                    pending.extend(ast.iter_child_nodes(node))
        return self._module_imports

    def statement_of(self, call: ast.Call) -> tuple[ast.stmt, Sequence[ast.stmt], ast.AST] | None:
        """The expression statement that is exactly `call`, its body list and the body's owner."""
        if self._statements is None:
            self._statements = {}
            for owner in ast.walk(self.tree):
                for body in statement_bodies(owner):
                    for statement in body:
                        if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):
                            self._statements[id(statement.value)] = (statement, body, owner)
        return self._statements.get(id(call))


def propose(rule: Rule, matched: str, site: Site, context: FixContext) -> Fix | None:
    """The fix `rule` declares, made concrete for this finding; None where it cannot apply."""
    spec = rule.fix
    if spec is None:
        return None
    values: dict[str, object] = {**rule.options, "matched": matched}
    values["module"], _, values["name"] = matched.rpartition(".")
    kind = spec.kind
    if isinstance(site, UseSite):
        if kind is FixKind.REPLACE_REFERENCE or (kind is FixKind.REPLACE_CALLEE and site.call is not None):
            return _replace_use(spec, values, site, context)
        if kind is FixKind.DELETE_STATEMENT and site.call is not None:
            return _delete_statement(spec, values, site, context)
    elif isinstance(site, KeywordSite) and kind is FixKind.REPLACE_KEYWORD_VALUE:
        return _replace_keyword_value(spec, values, site, context)
    elif isinstance(site, ImportSite) and kind is FixKind.REWRITE_IMPORT:
        return _rewrite_import(spec, values, site, context)
    return None


def _make_fix(
    spec: FixSpec,
    values: dict[str, object],
    default: str,
    edits: Sequence[Edit],
    context: FixContext,
    **extra: object,
) -> Fix:
    message = context.share(render(spec.message, values) if spec.message else default)
    return Fix(spec.applicability, message, tuple(edits), **extra)  # type: ignore[arg-type]


# -- replace a use by another qualified name -------------------------------------------


def _target(spec: FixSpec, values: Mapping[str, object]) -> str | None:
    matched = str(values["matched"])
    if isinstance(spec.replacement, dict):
        target = spec.replacement.get(matched)
    elif isinstance(spec.replacement, str):
        target = render(spec.replacement, values)
    else:
        target = None
    return target if target is not None and _DOTTED.fullmatch(target) and qualified_name(target) else None


def _replace_use(spec: FixSpec, values: dict[str, object], site: UseSite, context: FixContext) -> Fix | None:
    target = _target(spec, values)
    matched = str(values["matched"])
    if target is None or not (site.qname == matched or site.qname.startswith(matched + ".")):
        return None
    if not isinstance(getattr(site.node, "ctx", None), ast.Load):
        return None
    start, end = context.source.span(site.node)
    written = context.source.text[start:end]
    if "".join(written.split()) != ".".join(site.chain) or "\\" in written:
        return None  # parenthesised, split or commented: leave it to a human
    position = (site.node.lineno, site.node.col_offset)
    spelled = _spelling(target, site.scope, context, position)
    if spelled is None:
        return None
    expression, needed = spelled
    expression = context.share(expression + site.qname[len(matched) :])
    root = site.chain[0]
    removable = context.share(tuple(context.import_refs.get(root, ())))
    values["replacement"] = expression
    return _make_fix(
        spec,
        values,
        f"Replace with `{expression}`",
        [context.source.edit(start, end, expression)],
        context,
        add_imports=context.share(needed),
        remove_if_unused=removable,
        last_use=bool(removable) and context.root_uses.get(root, 0) <= 1,
        project_name=option_chosen_name(spec.replacement, values, target),
    )


def _spelling(
    target: str, scope: Scope, context: FixContext, site_position: tuple[int, int]
) -> tuple[str, tuple[ImportRef, ...]] | None:
    """How code in `scope` at `site_position` names `target`: through a name already bound
    there, or a new import."""
    existing = _existing_spelling(target, scope, context, site_position)
    if existing is not None:
        return existing, ()
    module, _, attribute = target.rpartition(".")
    parent, _, last = module.rpartition(".")
    if not parent:
        if _is_free(module, scope):
            return f"{module}.{attribute}", (ImportRef(module),)
        return None
    if _is_free(last, scope):
        return f"{last}.{attribute}", (ImportRef(parent, last),)
    root = module.split(".", 1)[0]
    if _is_free(root, scope):
        return target, (ImportRef(module),)
    return None


def _existing_spelling(
    target: str, scope: Scope, context: FixContext, site_position: tuple[int, int]
) -> str | None:
    """The shortest spelling through an import binding that `scope` really sees at `site_position`."""
    module, _, attribute = target.rpartition(".")
    candidates: list[tuple[str, str, str]] = []  # (spelling, name, the qualified name it binds)
    current: Scope | None = scope
    while current is not None:
        for name, bindings in current.bindings.items():
            if len(bindings) != 1 or not isinstance(bindings[0], QName):
                continue
            qname = bindings[0].name
            if qname == target:
                candidates.append((name, name, qname))
            elif qname == module:
                candidates.append((f"{name}.{attribute}", name, qname))
            elif name == qname and module.startswith(qname + ".") and module in context.imported_modules:
                candidates.append((target, name, qname))  # `import a.b` binds `a`: `a.b.c` works
        current = current.parent
    for spelling, name, qname in sorted(candidates, key=lambda c: (len(c[0]), c[0])):
        if context.resolver.resolve(scope, (name,)) == {qname} and _bound_in_time(
            name, site_position, scope, context
        ):
            return spelling
    return None


def _bound_in_time(name: str, position: tuple[int, int], scope: Scope, context: FixContext) -> bool:
    """Whether `name` is bound when code at `position` in `scope` runs: code that runs at
    import time (module level, class bodies, comprehensions there) sees only the module's
    imports above it; a function body runs later and sees them all."""
    if name in scope.bindings and scope.kind is not ScopeKind.MODULE:
        return True  # a local import: the engine's resolution already decided
    current: Scope | None = scope
    while current is not None and current.kind is not ScopeKind.MODULE:
        if current.kind is ScopeKind.FUNCTION:
            return True
        current = current.parent
    return any(bound < position for bound in context.module_import_positions().get(name, ()))


def _is_free(name: str, scope: Scope) -> bool:
    """Nothing by this name is visible from `scope` or bound at module level."""
    return scope.lookup(name) is None and name not in scope.module.bindings and not scope.module.star_imports


# -- other fix kinds -------------------------------------------------------------------


def _replace_keyword_value(
    spec: FixSpec, values: dict[str, object], site: KeywordSite, context: FixContext
) -> Fix | None:
    start, end = context.source.span(site.keyword.value)
    written = context.source.text[start:end]
    literal = str(spec.replacement)
    if not plain_literal(literal):
        return None
    replacement = ast.literal_eval(literal)
    if isinstance(site.keyword.value, ast.Constant) and isinstance(site.keyword.value.value, str):
        if not _SIMPLE_STRING.fullmatch(written):
            return None  # prefixes, escapes, implicit concatenation: not a plain literal
        if isinstance(replacement, str) and written.startswith('"'):
            literal = '"' + repr(replacement)[1:-1].replace('"', '\\"').replace("\\'", "'") + '"'
    values["replacement"] = literal
    edit = context.source.edit(start, end, literal)
    return _make_fix(spec, values, f"Replace `{written}` with `{literal}`", [edit], context)


def _delete_statement(
    spec: FixSpec, values: dict[str, object], site: UseSite, context: FixContext
) -> Fix | None:
    assert site.call is not None
    found = context.statement_of(site.call)
    if found is None:
        return None
    deletion = statement_deletion(context.source, *found)
    if deletion is None:
        return None
    extra: dict[str, object] = {
        "remove_if_unused": _root_imports(site, context),
        "last_use": _is_last_use(site, context),
    }
    values["replacement"] = ""
    start, end, content = deletion
    message = "Replace the statement with `pass`" if content else "Delete the statement"
    return _make_fix(spec, values, message, [context.source.edit(start, end, content)], context, **extra)


def _root_imports(site: UseSite, context: FixContext) -> tuple[ImportRef, ...]:
    return tuple(context.import_refs.get(site.chain[0], ()))


def _is_last_use(site: UseSite, context: FixContext) -> bool:
    return bool(_root_imports(site, context)) and context.root_uses.get(site.chain[0], 0) <= 1


def _rewrite_import(
    spec: FixSpec, values: dict[str, object], site: ImportSite, context: FixContext
) -> Fix | None:
    assert isinstance(spec.replacement, dict)
    prefixes = spec.replacement
    if not all(
        qualified_name(key) and (value == "" or qualified_name(value)) for key, value in prefixes.items()
    ):
        return None
    node = site.node
    if isinstance(node, ast.ImportFrom):
        content = _rewritten_from(node, prefixes, context)
    elif isinstance(node, ast.Import) and len(node.names) == 1:
        alias = _rewritten_alias(node.names[0], prefixes)
        content = None if alias is None else f"import {alias}"
    elif isinstance(node, ast.alias):
        content = _rewritten_alias(node, prefixes)
    else:
        content = None
    if content is None:
        return None
    start, end = context.source.span(node)
    values["replacement"] = content
    return _make_fix(
        spec, values, f"Rewrite as `{content}`", [context.source.edit(start, end, content)], context
    )


def _mapped(qname: str, prefixes: Mapping[str, str]) -> str | None:
    for prefix in sorted(prefixes, key=len, reverse=True):
        if qname == prefix or qname.startswith(prefix + "."):
            rest = qname[len(prefix) :].lstrip(".")
            return ".".join(part for part in (prefixes[prefix], rest) if part) or None
    return None


def _rewritten_alias(alias: ast.alias, prefixes: Mapping[str, str]) -> str | None:
    new = _mapped(alias.name, prefixes)
    if new is None:
        return None
    if alias.asname is None:
        # `import a.b` binds `a`: only a rewrite that keeps the bound name is equivalent.
        return new if new.split(".")[0] == alias.name.split(".")[0] else None
    return new if new == alias.asname else f"{new} as {alias.asname}"


def _rewritten_from(node: ast.ImportFrom, prefixes: Mapping[str, str], context: FixContext) -> str | None:
    if node.level or node.module is None or any(alias.name == "*" for alias in node.names):
        return None
    start, end = context.source.span(node)
    written = context.source.text[start:end]
    if "#" in written or "\\" in written:
        return None
    names = ", ".join(a.name if a.asname is None else f"{a.name} as {a.asname}" for a in node.names)
    module = _mapped(node.module, prefixes)
    if module is not None:
        return f"from {module} import {names}"
    if all(_mapped(f"{node.module}.{a.name}", prefixes) == a.name for a in node.names):
        return f"import {names}"  # `from eventlet.green import socket` is `import socket`
    return None
