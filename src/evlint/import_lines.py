"""Finding names on import lines in a file's bytes, without parsing: the one scanner the
pre-filter and the project index share.

A logical line may run over several physical ones through backslash continuations, with
`\\n` or `\\r\\n` line endings alike; a name that starts a continued line belongs to the
import statement the continuation began.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

IDENTIFIER_BYTES = frozenset(  # the characters of a word in a regular expression over bytes
    b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_"
)
_IMPORT_WORD = re.compile(rb"\b(?:import|from)\b")
_IMPORT_STATEMENT = re.compile(rb"(?:^|[;:])[ \t]*(?:import|from)\b")
_IMPORTER_CALL = re.compile(rb"import\w*\(\s*(?:name\s*=\s*)?[rbuRBU]*['\"]$")


def logical_line_start(source: bytes, position: int) -> int:
    """Where the logical line holding `position` starts, backslash continuations followed."""
    line_start = source.rfind(b"\n", 0, position) + 1
    while source[max(0, line_start - 3) : line_start].endswith((b"\\\n", b"\\\r\n")):
        line_start = source.rfind(b"\n", 0, line_start - 1) + 1
    return line_start


def is_whole_word(source: bytes, start: int, end: int) -> bool:
    return (start == 0 or source[start - 1] not in IDENTIFIER_BYTES) and (
        end == len(source) or source[end] not in IDENTIFIER_BYTES
    )


def on_import_line(source: bytes, start: int) -> bool:
    """Whether `import` or `from` comes before `start` on its logical line."""
    return _IMPORT_WORD.search(source, logical_line_start(source, start), start) is not None


def imports_module(source: bytes, tokens: Sequence[bytes], seen: dict[bytes, bool] | None = None) -> bool:
    """Whether the text imports one of the modules `tokens`: only such a file can bind one of
    their names itself.

    Looks at each occurrence of a module's name: in an import statement (`import eventlet`,
    `from eventlet.green import socket`, continued lines too), or as the string given to an
    importer (`importutils.try_import('eventlet')`, `__import__("eventlet")`). `seen` records
    whether each token occurs at all.
    """
    for token in tokens:
        start = source.find(token)
        if seen is not None:
            seen[token] = start != -1
        while start != -1:
            before = source[logical_line_start(source, start) : start]
            if _IMPORT_STATEMENT.search(before) or _IMPORTER_CALL.search(before):
                return True
            start = source.find(token, start + len(token))
    return False


def used_as_attribute(name: bytes, source: bytes) -> bool:
    """`.name` as a whole word (`hub.sleep`)."""
    dotted = b"." + name
    start = source.find(dotted)
    while start != -1:
        end = start + len(dotted)
        if end == len(source) or source[end] not in IDENTIFIER_BYTES:
            return True
        start = source.find(dotted, end)
    return False


def imported_by_name(name: bytes, source: bytes) -> bool:
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
