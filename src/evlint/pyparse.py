"""`ast.parse` without the compiler's warnings.

Parsing a file can warn about the code in it (an invalid escape sequence such as `"\\d"`
is a DeprecationWarning on Python 3.11 and a SyntaxWarning from 3.12): printed, that is
noise about someone else's code in evlint's output, and under `-W error` (or pytest's
`filterwarnings = error`) the warning becomes a SyntaxError, so a valid file would be
reported as EVL000. Those warnings are about the checked code, never about evlint.
"""

from __future__ import annotations

import ast
import warnings


def parse(text: str, filename: str = "<unknown>") -> ast.Module:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ast.parse(text, filename=filename)
