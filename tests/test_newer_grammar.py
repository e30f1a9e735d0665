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


# Newer grammar deep in a long module: in methods, a nested function, a decorated class, a
# multi-line call's argument, and at the top level; eventlet used around each.
NESTED = """\
import eventlet


class Service:
    def start[T](self, item: T) -> T:
        eventlet.spawn(self.run)
        return item

    def label(self, d):
        name = f"{d["name"]}"
        eventlet.sleep(0)
        return name

    def report(self, d):
        def inner():
            return eventlet.spawn(
                print,
                f"{d["a"]} and {d['b']}",
            )
        return inner


type Pools = list[eventlet.GreenPool]


@staticmethod
class Box[T]:
    pool = eventlet.GreenPool()


eventlet.sleep(1)
"""
FILLER = "".join(f"def filler_{i}(x):\n    return x + {i}\n\n\n" for i in range(300))


def test_lowering_statement_by_statement_keeps_the_findings(findings: Callable[..., Findings]) -> None:
    text = NESTED + FILLER
    if sys.version_info < (3, 12):
        assert not _parses_here(text)
    expected = [
        (6, 9, "EVL101"),
        (11, 9, "EVL201"),
        (16, 20, "EVL101"),
        (23, 19, "EVL102"),
        (28, 12, "EVL102"),
        (31, 1, "EVL201"),
    ]
    assert findings(text, "EVL101,EVL102,EVL201") == expected


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="the running parser reads PEP 695/701 itself")
def test_libcst_reads_only_the_statements_that_need_lowering(monkeypatch: pytest.MonkeyPatch) -> None:
    import libcst

    from evlint import newer_grammar
    from evlint.pyparse import parse

    text = NESTED + FILLER
    read: list[str] = []
    real = libcst.parse_module

    def spy(code: str) -> libcst.Module:
        read.append(code)
        return real(code)

    monkeypatch.setattr(newer_grammar.cst, "parse_module", spy)
    tree = parse(text, "nested.py")
    assert read and all(len(code) < len(NESTED) for code in read), [len(code) for code in read]
    assert any(code.startswith("def start[T](self, item: T)") for code in read)
    assert any(code.startswith("type Pools") for code in read)
    # The same tree as lowering the whole module gives.
    whole = newer_grammar._whole(text)
    assert whole is not None and ast.dump(tree) == ast.dump(ast.parse(whole))
