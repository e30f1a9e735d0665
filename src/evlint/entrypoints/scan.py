"""A module's import statements read from its text, without parsing.

A cold `evlint report` parses only the files the pre-filter lets through (those that name
eventlet); the import graph needs every module on the way from an entry point, and
`ast.parse` of all of nova costs most of what the whole report does. So the graph reads
the import statements from the text, with the blocks that hold them: a line-level scan
(one regular expression) that follows indentation through `def`, `class`, `if`, `try`
and the like, and skips the insides of triple-quoted strings.

What it cannot see, as any line scan: a compound statement on one line (`if x: import y`),
a block header spread over lines that does not start with its keyword, a triple quote
inside a one-line string or a comment. The modules whose code decides a patch are parsed
for real (`patching`).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from evlint.names import ModuleContext

MODULE_SCOPE = ""
MAIN_SCOPE = "__main__"  # the body of `if __name__ == "__main__":`

# Imports and `def`/`class` at any depth, other block headers at module level. Each starts
# with a newline (a literal the regular expression engine searches for quickly): the text
# is scanned with one prepended.
_LINE = re.compile(
    rb"\n(?:([ \t]*)(?:(import|from)[ \t]+([^\n]*)|(async[ \t]+def|def|class)[ \t]+(\w+))"
    rb"|(if|elif|else|try|except|finally|with|for|while|async[ \t]+with|async[ \t]+for)\b([^\n]*))"
)
_IMPORT_LINE = re.compile(rb"\n([ \t]*)(import|from)[ \t]+([^\n]*)")
_MAIN_LINE = re.compile(rb"\nif[ \t(]+(?:__name__[ \t]*==[ \t]*['\"]__main__|['\"]__main__['\"][ \t]*==)")
_TRIPLE_QUOTE = re.compile(rb'"""|\'\'\'')
_MAIN_TEST = re.compile(r"""__name__\s*==\s*['"]__main__['"]|['"]__main__['"]\s*==\s*__name__""")
_CONDITIONAL = {"if", "elif", "else", "try", "except", "finally", "with", "for", "while"}


@dataclass(frozen=True)
class ImportEdge:
    """One import statement's module: `import a.b` (names ()) or `from a import b, c`."""

    module: str  # absolute
    names: tuple[str, ...]
    line: int
    scope: str  # MODULE_SCOPE, MAIN_SCOPE, or the qualified name of the function it is in
    conditional: bool  # at module level, but inside an `if`, `try`, `with` or loop


@dataclass(frozen=True)
class ModuleScan:
    imports: tuple[ImportEdge, ...]
    has_main_guard: bool


@dataclass(frozen=True)
class _Block:
    indent: int
    kind: str  # "def", "class", "main", or a conditional keyword
    name: str


def scan_module(source: bytes, context: ModuleContext) -> ModuleScan:
    """Most modules import only at the top, unindented, and have no main block: their import
    lines are all there is to read (those inside a triple-quoted string left out). The
    others are read with their blocks (`_scan_blocks`)."""
    text = b"\n" + source
    found = list(_IMPORT_LINE.finditer(text))
    if any(match.group(1) for match in found) or (b"__main__" in text and _MAIN_LINE.search(text)):
        return _scan_blocks(text, context)
    imports: list[ImportEdge] = []
    line, counted = 0, 0
    for match in found:
        if _in_triple_quotes(text, match.start()):
            continue
        line, counted = line + text.count(b"\n", counted, match.start() + 1), match.start() + 1
        statement = _statement(text, match.start(3), match.group(3))
        imports.extend(_edges(match.group(2), statement, context, line, MODULE_SCOPE, False))
    return ModuleScan(tuple(imports), False)


def _in_triple_quotes(text: bytes, position: int) -> bool:
    """Whether an odd number of triple quotes comes before `position` (of either kind: a
    docstring holding the other kind is rare)."""
    return (text.count(b'"""', 0, position) % 2 == 1) or (text.count(b"'''", 0, position) % 2 == 1)


def _scan_blocks(text: bytes, context: ModuleContext) -> ModuleScan:
    strings = _string_spans(text)
    imports: list[ImportEdge] = []
    has_main = False
    stack: list[_Block] = []
    line, counted = 0, 0
    for match in _LINE.finditer(text):
        if strings and _inside(strings, match.start()):
            continue
        indent = len(match.group(1).expandtabs(8)) if match.group(1) is not None else 0
        while stack and stack[-1].indent >= indent:
            stack.pop()
        line, counted = line + text.count(b"\n", counted, match.start() + 1), match.start() + 1
        if match.group(2):
            statement = _statement(text, match.start(3), match.group(3))
            scope, conditional = _scope(stack)
            imports.extend(_edges(match.group(2), statement, context, line, scope, conditional))
        elif match.group(4):
            name = match.group(5).decode()
            stack.append(_Block(indent, "class" if match.group(4) == b"class" else "def", name))
        else:
            keyword = match.group(6).decode().split()[-1]
            test = match.group(7).decode("utf-8", "replace")
            is_main = keyword == "if" and bool(_MAIN_TEST.search(test))
            has_main = has_main or is_main
            stack.append(_Block(indent, "main" if is_main else keyword, ""))
    return ModuleScan(tuple(imports), has_main)


def _string_spans(text: bytes) -> list[int]:
    """Where triple-quoted strings start and end, flattened: [start, end, start, end, ...]."""
    if b'"""' not in text and b"'''" not in text:
        return []
    spans: list[int] = []
    opened: bytes | None = None
    for match in _TRIPLE_QUOTE.finditer(text):
        if opened is None:
            opened = match.group(0)
            spans.append(match.start())
        elif match.group(0) == opened:
            opened = None
            spans.append(match.end())
    if opened is not None:
        spans.append(len(text))
    return spans


def _inside(spans: list[int], position: int) -> bool:
    return bisect.bisect_right(spans, position) % 2 == 1


def _scope(stack: list[_Block]) -> tuple[str, bool]:
    names: list[str] = []
    function = ""
    for block in stack:
        if block.kind in ("def", "class"):
            names.append(block.name)
            function = ".".join(names) if block.kind == "def" else function
    if function:
        return function, False
    if any(block.kind == "main" for block in stack):
        return MAIN_SCOPE, False
    return MODULE_SCOPE, any(block.kind in _CONDITIONAL for block in stack)


def _statement(text: bytes, start: int, first_line: bytes) -> str:
    """The import statement from `start`: with its parenthesized names or continued lines, up
    to a `;` or a comment."""
    statement = first_line
    if b"(" in first_line and b")" not in first_line:
        end = text.find(b")", start)
        statement = text[start : end if end != -1 else len(text)]
    elif first_line.rstrip().endswith(b"\\"):
        end = start
        while True:
            end = text.find(b"\n", end + 1)
            if end == -1 or not text[:end].rstrip(b"\r").endswith(b"\\"):
                break
        statement = text[start : end if end != -1 else len(text)]
    decoded = statement.decode("utf-8", "replace").replace("\r", "")
    decoded = re.sub(r"#[^\n]*", "", decoded).split(";", 1)[0]
    return decoded.replace("\\\n", " ").replace("(", " ").replace(")", " ")


def _edges(
    keyword: bytes, statement: str, context: ModuleContext, line: int, scope: str, conditional: bool
) -> list[ImportEdge]:
    if keyword == b"import":
        modules = [_alias_target(part) for part in statement.split(",")]
        return [ImportEdge(m, (), line, scope, conditional) for m in modules if m]
    source, found, names_text = statement.partition(" import ")
    if not found:
        return []
    source = source.strip()
    level = len(source) - len(source.lstrip("."))
    module: str | None = source[level:].strip() or None
    if level:
        module = context.absolute(level, module)
    if not module or not all(part.isidentifier() for part in module.split(".")):
        return []
    names = tuple(name for part in names_text.split(",") if (name := _alias_target(part)) and name != "*")
    return [ImportEdge(module, names, line, scope, conditional)]


def _alias_target(part: str) -> str:
    name = part.split(" as ", 1)[0].strip()
    return name if name and all(piece.isidentifier() for piece in name.split(".")) else ""
