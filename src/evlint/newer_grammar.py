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
And only the statements that need it are handed to libcst (`_by_statement`): `ast` names the
line of the first error, the innermost enclosing statement there that libcst parses alone
(dedented) is lowered, and `ast` parses again, until it accepts the file. libcst over a whole
12,000-line module took seconds (its positions most of them) for a one-line construct; a
file where that fails (a statement boundary the line scan cannot tell, a construct a
statement alone does not show) is lowered whole, as before.
"""

from __future__ import annotations

import ast
import contextlib
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


def parse_lowered(text: str, filename: str, error: SyntaxError) -> ast.Module:
    """The tree of `text`, which the running parser rejected with `error`, once lowered;
    `error` is raised again if it cannot be."""
    lowered = _by_statement(text, error.lineno)
    if lowered is not None:
        with contextlib.suppress(SyntaxError, ValueError):
            return _parse(lowered, filename)
    lowered = _whole(text)
    if lowered is None:
        raise error
    return _parse(lowered, filename)


def lower(text: str) -> str | None:
    """`text` with the constructs of newer grammar rewritten, or None if libcst cannot parse it
    either or the result is still no valid Python for the running interpreter."""
    lowered = _by_statement(text, _error_line(text))
    if lowered is not None and _error_line(lowered) is None:
        return lowered
    return _whole(text)


def _whole(text: str) -> str | None:
    """`lower`, libcst reading the whole module."""
    edits = _edits(text)
    lowered = _apply(text, edits) if edits else None
    return lowered if lowered is not None and _error_line(lowered) is None else None


def _edits(text: str) -> list[_Edit]:
    """The edits that lower `text` (a module, or one statement of it), none if libcst cannot
    parse it."""
    try:
        module = cst.parse_module(text)
    except (cst.ParserSyntaxError, RecursionError, ValueError):
        return []
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    finder = _Finder(wrapper.resolve(PositionProvider), wrapper.module)
    wrapper.module.visit(finder)
    return finder.edits


def _parse(text: str, filename: str) -> ast.Module:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ast.parse(text, filename=filename)


_NOT_PARSED = -1


def _error_line(text: str) -> int | None:
    """The line of the running parser's first error in `text`; None if it parses,
    `_NOT_PARSED` if it fails without a line (null bytes, a parser stack overflow)."""
    try:
        _parse(text, "<lowered>")
    except SyntaxError as error:
        return error.lineno or _NOT_PARSED
    except (ValueError, MemoryError, RecursionError):
        return _NOT_PARSED
    return None


# Rounds of "lower the statement of the first error, parse again" before the whole module is
# handed to libcst instead.
_MAX_ROUNDS = 100


def _by_statement(text: str, line: int | None) -> str | None:
    """`lower`, libcst reading only the statements of the errors `ast` finds, the first at
    `line`; None when that does not work out (the caller then lowers the whole module).

    After each statement is lowered, `ast` parses again from the top-level statement that
    held it (the lines above are whole statements it accepted), blank lines standing for
    those above so that its lines are the file's. What is returned is not checked as a whole.
    """
    lines = [match.group(0) for match in _LINES.finditer(text)]
    previous = 0
    for _ in range(_MAX_ROUNDS):
        if line is None:
            return "".join(lines) if previous else None
        if line <= previous or line > len(lines):  # no progress, or no line to go by
            return None
        # A block of most of the file is the whole file's work: `_whole` does it once.
        blocks = [b for b in _enclosing(lines, line - 1) if 2 * (b.end - b.start) <= len(lines)]
        if not any(_lower_block(lines, block) for block in blocks):
            return None
        previous = line
        top = blocks[-1].start if blocks[-1].indent == "" else 0
        line = _error_line("\n" * top + "".join(lines[top:]))
    return None


@dataclass(frozen=True)
class _Block:
    """Lines `start` to `end` (0-based, end excluded), each indented by at least `indent`."""

    start: int
    end: int
    indent: str


_CONTINUES = ("else", "elif", "except", "finally", ")", "]", "}")


def _enclosing(lines: Sequence[str], at: int) -> list[_Block]:
    """The blocks that may hold the statement at line `at`, innermost first: from each line
    at or above it indented less than every line between (with the decorators right above
    it) to the next line indented as little, which is not a continuation of it. Lines inside
    a string or brackets may make a block that is no statement: libcst will not parse it."""
    blocks = []
    narrowest: int | None = None
    for index in range(at, -1, -1):
        code = lines[index].lstrip(" \t")
        if not code.strip() or code.startswith("#"):
            continue
        width = len(lines[index]) - len(code)
        if narrowest is not None and width >= narrowest:
            continue
        narrowest = width
        indent = lines[index][:width]
        start = index
        while start > 0 and lines[start - 1].startswith(indent + "@"):
            start -= 1
        blocks.append(_Block(start, _block_end(lines, at, width), indent))
        if width == 0:
            break
    return blocks


def _block_end(lines: Sequence[str], at: int, width: int) -> int:
    for index in range(at + 1, len(lines)):
        code = lines[index].lstrip(" \t")
        if not code.strip() or code.startswith("#"):
            continue
        if len(lines[index]) - len(code) <= width and not code.startswith(_CONTINUES):
            return index
    return len(lines)


def _lower_block(lines: list[str], block: _Block) -> bool:
    """Lower the statement in `block` in place, dedented for libcst and indented back;
    False (nothing changed) if it is no statement libcst parses or needs no edit."""
    indent, dedented = block.indent, []
    for line in lines[block.start : block.end]:
        if line.startswith(indent):
            dedented.append(line[len(indent) :])
        elif not line.strip():
            dedented.append(line[len(line.rstrip("\r\n")) :])  # a blank line: its ending alone
        else:
            return False  # less indented (a string's or a bracket's line): no block
    text = "".join(dedented)
    edits = _edits(text)
    lowered = _apply(text, edits) if edits else None
    if lowered is None:
        return False
    indented = []
    # (`_LINES` ends with an empty match, one past the block's lines)
    for original, found in zip(lines[block.start : block.end], _LINES.finditer(lowered), strict=False):
        written = found.group(0)
        if original.startswith(indent):
            indented.append(indent + written)
        elif written.strip():
            return False  # (an edit never writes on a blank line: it keeps its width)
        else:
            indented.append(original)
    lines[block.start : block.end] = indented
    return True


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
