"""The imports a fix needs added, and the ones it left unused removed, with libcst's codemod helpers.

libcst's AddImportsVisitor and RemoveImportsVisitor resolve scopes over the whole module:
on nova/compute/manager.py (11k lines) that is 13 s to add one import and 30 s to remove
one. Both only ever touch import statements, so they run on small modules instead:
- addition: AddImportsVisitor runs on the file's leading import block (where it inserts,
  after the docstring and `from __future__`; after the opening comments if there are no
  imports), merging into a `from x import ...` there;
- removal: whether a bound name is still used anywhere is decided on the whole file with
  `ast` (milliseconds); RemoveImportsVisitor then edits just that import statement, parsed
  alone, so an unused name in `from eventlet import (spawn,  # comment\n sleep)` goes the
  way libcst removes it, comments and parentheses kept.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from evlint.fix.propose import SourceText, statement_bodies, statement_deletion
from evlint.model import ImportRef
from evlint.pyparse import parse

if TYPE_CHECKING:
    import libcst


class ImportEditError(Exception):
    """libcst could not parse the code it was given."""


def manage_imports(
    text: str, tree: ast.Module | None = None, *, add: Sequence[ImportRef], remove: Sequence[ImportRef]
) -> str:
    """Add the `add` imports, then remove the `remove` ones that nothing uses any more.

    `tree` is `text` parsed, if the caller has it. Adding first puts a new import beside
    the old ones, where the removed one was.
    """
    if not add and not remove:
        return text
    tree = tree or parse(text)
    used = _used_names(tree) if remove else set()
    unused = [ref for ref in remove if _bound_name(ref) not in used]  # adding uses no name
    if add:
        text = _add(text, tree, add)
        if unused:
            tree = None  # (let the old tree go before parsing the new text)
            tree = parse(text)
    if unused:
        text = _remove_unused(text, tree, unused)
    return text


def _bound_name(ref: ImportRef) -> str:
    if ref.asname:
        return ref.asname
    return ref.obj if ref.obj else ref.module.split(".", 1)[0]


def _used_names(tree: ast.Module) -> set[str]:
    """Every name loaded anywhere, and the first word of every dotted string (`__all__`,
    string annotations), so an import is only called unused when nothing can reach it."""
    used: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            used.add(node.id)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            used.add(node.value.split(".", 1)[0].strip())
    return used


def _imports_of(statement: ast.stmt, refs: Sequence[ImportRef]) -> list[ImportRef]:
    if isinstance(statement, ast.Import):
        names = {ImportRef(alias.name, None, alias.asname) for alias in statement.names}
    elif isinstance(statement, ast.ImportFrom) and not statement.level and statement.module:
        names = {ImportRef(statement.module, alias.name, alias.asname) for alias in statement.names}
    else:
        return []
    return [ref for ref in refs if ref in names]


def _remove_unused(text: str, tree: ast.Module, unused: Sequence[ImportRef]) -> str:
    source = SourceText(text)
    spans: list[tuple[int, int, str]] = []
    for owner in _statement_owners(tree):
        for body in statement_bodies(owner):
            for statement in body:
                refs = _imports_of(statement, unused)
                if refs:
                    span = _removal(source, statement, body, owner, refs)
                    if span is not None:
                        spans.append(span)
    for start, end, content in sorted(spans, reverse=True):
        text = text[:start] + content + text[end:]
    return text


def _statement_owners(tree: ast.Module) -> Iterator[ast.AST]:
    """The module and every node under it that holds statements: statements never sit
    inside an expression, so expressions (most of a file's nodes) are not visited."""
    pending: list[ast.AST] = [tree]
    while pending:
        owner = pending.pop()
        yield owner
        for body in statement_bodies(owner):
            pending.extend(body)
        pending.extend(getattr(owner, "handlers", ()))  # `try`: its `except` clauses
        pending.extend(getattr(owner, "cases", ()))  # `match`: its `case` clauses


def _removal(
    source: SourceText,
    statement: ast.stmt,
    body: Sequence[ast.stmt],
    owner: ast.AST,
    refs: Sequence[ImportRef],
) -> tuple[int, int, str] | None:
    """The edit that drops `refs` from one import statement (the whole line if nothing is left)."""
    start, end = source.span(statement)
    remaining = _without(source.text[start:end], refs)
    if remaining.strip():
        return start, end, remaining
    return statement_deletion(source, statement, body, owner)


def _without(statement_text: str, refs: Sequence[ImportRef]) -> str:
    """One import statement's source with the given names removed, by RemoveImportsVisitor."""
    from libcst.codemod import CodemodContext
    from libcst.codemod.visitors import RemoveImportsVisitor

    module = _parse(statement_text, _newline(statement_text))
    context = CodemodContext()
    for ref in refs:
        RemoveImportsVisitor.remove_unused_import(context, ref.module, ref.obj, ref.asname)
    code: str = RemoveImportsVisitor(context).transform_module(module).code
    return code


def _add(text: str, tree: ast.Module, add: Sequence[ImportRef]) -> str:
    from libcst.codemod import CodemodContext
    from libcst.codemod.visitors import AddImportsVisitor

    end = _leading_imports_end(text, tree)
    newline = _newline(text)
    module = _parse(text[:end], newline)
    context = CodemodContext()
    for ref in add:
        AddImportsVisitor.add_needed_import(context, ref.module, ref.obj, ref.asname)
    header: str = AddImportsVisitor(context).transform_module(module).code
    if end == len(text) and text and not text.endswith(("\n", "\r")):
        header = header.rstrip("\r\n")  # a file without a final newline keeps it that way
    elif header and not header.endswith(("\n", "\r")):
        header += newline
    return header + text[end:]


def _leading_imports_end(text: str, tree: ast.Module) -> int:
    """Where the file's first block of import lines ends (after a docstring), as libcst counts it."""
    source = SourceText(text)
    body = tree.body
    index = 1 if body and _is_docstring(body[0]) else 0
    last: ast.stmt | None = body[0] if index else None
    previous_row = 0
    for statement in body[index:]:
        if not isinstance(statement, (ast.Import, ast.ImportFrom)) or statement.lineno == previous_row:
            break
        last, previous_row = statement, statement.end_lineno or statement.lineno
    if last is None:
        return _header_comments_end(source, body[0].lineno if body else None)
    row = last.end_lineno or last.lineno
    return source.line_starts[row] if row < len(source.line_starts) else len(text)


def _header_comments_end(source: SourceText, first_row: int | None) -> int:
    """With no imports, new ones go after the file's opening comments (shebang, licence):
    up to the last blank line before the first statement, or all comment lines if none."""
    if first_row is None:
        return len(source.text)
    rows = range(1, first_row)
    blank = [row for row in rows if not source.line(row).strip()]
    if blank:
        return source.line_starts[blank[-1]]
    if all(source.line(row).lstrip().startswith("#") for row in rows):
        return source.line_starts[first_row - 1]
    return 0


def _is_docstring(statement: ast.stmt) -> bool:
    return (
        isinstance(statement, ast.Expr)
        and isinstance(statement.value, ast.Constant)
        and isinstance(statement.value.value, str)
    )


def _newline(text: str) -> str:
    for ending in ("\r\n", "\n", "\r"):
        if ending in text:
            return ending
    return "\n"


def _parse(code: str, newline: str) -> libcst.Module:
    import libcst

    try:
        return libcst.parse_module(code, config=libcst.PartialParserConfig(default_newline=newline))
    except libcst.ParserSyntaxError as error:
        reason = str(error.message).splitlines()[0]
        raise ImportEditError(f"libcst cannot parse the fixed code: {reason}") from None
