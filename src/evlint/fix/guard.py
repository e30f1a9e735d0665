"""What a fix may write, checked when the fix is made, whatever the rule's source (a rule
file, the rule cache, a third-party pack): qualified names only, and literals of one
token (or a negative number). A template that is anything else gets no fix."""

from __future__ import annotations

import ast
import io
import re
import tokenize

_QUALIFIED = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")
_LITERAL_TOKENS = frozenset({tokenize.STRING, tokenize.NUMBER, tokenize.NAME, tokenize.OP})


def qualified_name(name: object) -> bool:
    """A dotted name of identifiers (`os.path`, never code; a keyword among them is left
    to the parse check of the fixed file)."""
    return isinstance(name, str) and _QUALIFIED.fullmatch(name) is not None


def plain_literal(text: str) -> bool:
    """One literal token (`30`, `'x'`, `True`, `None`), or a negative number: never code."""
    try:
        tokens = [
            token
            for token in tokenize.generate_tokens(io.StringIO(text).readline)
            if token.type not in (tokenize.NEWLINE, tokenize.ENDMARKER)
        ]
        value = ast.literal_eval(text)
    except (tokenize.TokenError, SyntaxError, ValueError, TypeError, MemoryError, RecursionError):
        return False
    if (
        not tokens
        or any(token.type not in _LITERAL_TOKENS for token in tokens)
        or "\n" in text
        or "\r" in text
    ):
        return False
    kinds = [(token.type, token.string) for token in tokens]
    if kinds[0] == (tokenize.OP, "-"):
        kinds = kinds[1:]
    return (
        len(kinds) == 1
        and kinds[0][0] != tokenize.OP
        and isinstance(value, (str, bytes, int, float, bool, type(None)))
    )
