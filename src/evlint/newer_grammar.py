"""Code in a grammar newer than the running Python, lowered to one it parses, positions kept.

`ast` parses only the running interpreter's grammar: under Python 3.11 a file with a PEP 695
`type X = ...` statement or `def f[T]()`, or a PEP 701 f-string (`f"{d["key"]}"`, a
comment or backslash inside the braces), is a SyntaxError. libcst's native parser reads
those. For a file `ast` rejects, libcst parses it and each construct the running grammar
lacks is rewritten in place, every other character staying on its line and column, so the
engine's findings point into the file as written:

- `type X[T] = value` becomes `X         = value` (the alias binds its name);
- `def f[T](...)`, `class C[T](...)`: the type parameter list becomes spaces;
- an f-string the running parser rejects becomes an empty string (`(""   )`): the names used
  inside its braces are not seen.

Only files that fail `ast.parse` pay for this: this module, and so libcst, is imported then.
"""

from __future__ import annotations

import ast
import re
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import libcst as cst
from libcst.metadata import CodeRange, MetadataWrapper, PositionProvider

_LINES = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")
# What ends a blanked range's line, by (last line, bracketed): a closing bracket, or a
# backslash continuation that keeps an unbracketed statement on one logical line.
_TAILS = {(True, True): ")", (True, False): "", (False, True): "", (False, False): "\\"}


@dataclass(frozen=True)
class _Edit:
    """Replace the text between two (line, column) positions (1-based lines, 0-based columns)."""

    start: tuple[int, int]
    end: tuple[int, int]
    replacement: str  # written at the start; the rest of the range becomes blank


def lower(text: str) -> str | None:
    """`text` with the constructs of newer grammar rewritten, or None if libcst cannot parse it
    either or the result is still no valid Python for the running interpreter."""
    try:
        module = cst.parse_module(text)
    except (cst.ParserSyntaxError, RecursionError, ValueError):
        return None
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    finder = _Finder(wrapper.resolve(PositionProvider), wrapper.module)
    wrapper.module.visit(finder)
    if not finder.edits:
        return None
    lowered = _apply(text, finder.edits)
    if lowered is None:
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(lowered)
    except (SyntaxError, ValueError):
        return None
    return lowered


class _Finder(cst.CSTVisitor):
    """The edits that lower a module: type aliases, type parameter lists, new f-strings."""

    def __init__(self, positions: Mapping[cst.CSTNode, CodeRange], module: cst.Module) -> None:
        super().__init__()
        self.positions = positions
        self.module = module
        self.edits: list[_Edit] = []

    def _range(self, node: cst.CSTNode) -> tuple[tuple[int, int], tuple[int, int]]:
        where = self.positions[node]
        return (where.start.line, where.start.column), (where.end.line, where.end.column)

    def visit_TypeAlias(self, node: cst.TypeAlias) -> None:
        start, _ = self._range(node)
        _, end = self._range(node.type_parameters if node.type_parameters is not None else node.name)
        self.edits.append(_Edit(start, end, node.name.value))

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if node.type_parameters is not None:
            self.edits.append(_Edit(*self._range(node.type_parameters), ""))

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        if node.type_parameters is not None:
            self.edits.append(_Edit(*self._range(node.type_parameters), ""))

    def visit_ConcatenatedString(self, node: cst.ConcatenatedString) -> bool:
        self._string(node)
        return False  # its parts are judged as a whole

    def visit_FormattedString(self, node: cst.FormattedString) -> bool:
        self._string(node)
        return False

    def _string(self, node: cst.CSTNode) -> None:
        code = self.module.code_for_node(node)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                ast.parse(f"(\n{code}\n)", mode="eval")
        except SyntaxError:
            start, end = self._range(node)
            self.edits.append(
                _Edit(start, end, '(""' if end[0] > start[0] or end[1] - start[1] >= 4 else '""')
            )


def _apply(text: str, edits: Sequence[_Edit]) -> str | None:
    """The text with each edit's range blanked behind its replacement; None if one cannot keep
    the positions."""
    lines = [match.group(0) for match in _LINES.finditer(text)]
    for edit in sorted(edits, key=lambda e: e.start, reverse=True):
        if not _blank(lines, edit):
            return None
    return "".join(lines)


def _blank(lines: list[str], edit: _Edit) -> bool:
    """Blank one range in place. A bracketed replacement (`(""`) closes on the last line, so
    the lines between may be anything; otherwise each line but the last ends in a backslash
    continuation, which needs a character of room on each."""
    (first, start), (last, end) = edit.start, edit.end
    bracketed = edit.replacement.startswith("(")
    for number in range(first, last + 1):
        line = lines[number - 1]
        body = line.rstrip("\r\n")
        left = start if number == first else 0
        right = end if number == last else len(body)
        width = right - left
        piece = edit.replacement if number == first else ""
        tail = _TAILS[number == last, bracketed]
        if len(piece) + len(tail) > width:
            return False
        piece = piece.ljust(width - len(tail)) + tail
        lines[number - 1] = body[:left] + piece + body[right:] + line[len(body) :]
    return True
