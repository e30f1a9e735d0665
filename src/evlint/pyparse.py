"""Python source as Python reads it: bytes decoded by its rules, `ast.parse` without the
compiler's warnings.

Parsing a file can warn about the code in it (an invalid escape sequence such as `"\\d"`
is a DeprecationWarning on Python 3.11 and a SyntaxWarning from 3.12): printed, that is
noise about someone else's code in evlint's output, and under `-W error` (or pytest's
`filterwarnings = error`) the warning becomes a SyntaxError, so a valid file would be
reported as EVL000. Those warnings are about the checked code, never about evlint.
"""

from __future__ import annotations

import ast
import io
import tokenize
import warnings


def parse(text: str, filename: str = "<unknown>") -> ast.Module:
    """The module's tree; code in a grammar newer than the running Python's is lowered first
    (`evlint.newer_grammar`), else its SyntaxError is raised. Code nested deeper than the
    parser's own stack allows is a RecursionError, as for the tree walks: CPython's parser
    reports it as a MemoryError (bare on 3.11, "Parser stack overflowed" from 3.12), which is
    not a lack of memory."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return ast.parse(text, filename=filename)
        except MemoryError as error:
            if error.args and "stack overflow" not in str(error):
                raise
            raise RecursionError("the parser's stack overflowed") from error
        except SyntaxError as error:
            from evlint.newer_grammar import parse_lowered  # (imports libcst: only for such files)

            return parse_lowered(text, filename, error)


def decode_source(source: bytes) -> str:
    """Python's own rules: a BOM or a PEP 263 coding declaration, else UTF-8."""
    return source.decode(source_encoding(source))


def source_encoding(source: bytes) -> str:
    """The codec Python reads the file with (`utf-8-sig` when it starts with a BOM)."""
    encoding, _ = tokenize.detect_encoding(io.BytesIO(source).readline)
    return encoding
