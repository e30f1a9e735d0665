"""Code in a grammar newer than the running Python (PEP 695 type parameters and aliases,
PEP 701 f-strings) is linted, with findings where they are in the file, not one EVL000."""

from __future__ import annotations

import ast
import sys
from collections.abc import Callable

import pytest

Findings = list[tuple[int, int, str]]

NEWER = """\
import eventlet
type Pool[T] = eventlet.GreenPool
def run[T: int](x: T) -> T:
    return eventlet.spawn(x)
class Worker[T](
        object):
    pass
name = f"{d["a"]}" + f'{x}'
eventlet.sleep(0)
label = f"{eventlet.sleep}"
"""


def _parses_here(code: str) -> bool:
    try:
        ast.parse(code)
    except SyntaxError:
        return False
    return True


def test_newer_grammar_is_linted_with_positions_kept(findings: Callable[..., Findings]) -> None:
    if sys.version_info < (3, 12):  # (from 3.12 the running parser reads the example itself)
        assert not _parses_here(NEWER)
    expected = [(2, 16, "EVL102"), (4, 12, "EVL101"), (9, 1, "EVL201"), (10, 12, "EVL201")]
    assert findings(NEWER, "EVL102,EVL101,EVL201") == expected
    # Code no grammar accepts is still one syntax error, with the running parser's position.
    invalid = "import eventlet\nx = f'{a}' +\neventlet.sleep(0)\n"
    with pytest.raises(SyntaxError) as raised:
        ast.parse(invalid)
    error = raised.value
    assert findings(invalid, "EVL201", "bad.py") == [(error.lineno, error.offset, "EVL000")]
