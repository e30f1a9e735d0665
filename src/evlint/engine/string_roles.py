"""What a dotted string literal is, by where it stands: a name (a mock target, an annotation)
or only a key (a WSGI environ key, a logger name, a dict key, a compared value).

`'eventlet.input'` indexes a WSGI environ and `'eventlet.wsgi.server'` names a logger; such
strings look like eventlet's names and are not. A string annotation (`pool:
'eventlet.GreenPool'`) is a reference written as a string: its names are uses.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from evlint.engine.sites import dotted_chain

# Methods whose first argument is a key, not a name: `environ.get('eventlet.input')`,
# `logging.getLogger('eventlet.wsgi.server')`.
KEY_TAKING_CALLS = frozenset({"get", "pop", "setdefault", "getLogger", "getChild", "__contains__"})


def key_strings(node: ast.AST) -> Iterator[ast.expr]:
    """The operands of `node` that are keys when they are string literals."""
    kind = type(node)
    if kind is ast.Subscript:
        yield node.slice  # type: ignore[attr-defined]
    elif kind is ast.Dict:
        yield from (key for key in node.keys if key is not None)  # type: ignore[attr-defined]
    elif kind is ast.Compare:
        yield node.left  # type: ignore[attr-defined]
        yield from node.comparators  # type: ignore[attr-defined]


def key_argument(call: ast.Call, callee: tuple[str, ...]) -> ast.expr | None:
    """The first argument of a key-taking call (`environ.get(...)`, `getLogger(...)`)."""
    if callee[-1] in KEY_TAKING_CALLS and call.args:
        return call.args[0]
    return None


def annotation_chains(text: str) -> list[tuple[str, ...]]:
    """The dotted names a string annotation (`'eventlet.GreenPool'`, `'list[gt.GreenThread]'`)
    refers to; none if it is no expression."""
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except (SyntaxError, ValueError):
        return []
    chains = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Name, ast.Attribute)):
            chain = dotted_chain(node)
            if chain is not None:
                chains.append(chain)
    return _maximal(chains)


def _maximal(chains: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """`a.b.c` only, not also its parts `a.b` and `a` that ast.walk finds inside it."""
    return [c for c in chains if not any(o != c and o[: len(c)] == c for o in chains)]
