"""A file's text and the contexts it can hold: never "no" where the parsed file has one, and
a file that may call a spawn wrapper is linted for green code only if it can hold the
selector's other contexts."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evlint.context_text import holds_while_true, may_hold_contexts
from evlint.engine import lint

from .conftest import run_cli, write_files

_TESTS = [
    "True",
    "1",
    "0",
    "2.5",
    ".5",
    "...",
    "'x'",
    '"x"',
    "b'x'",
    "rb'x'",
    "u'x'",
    "f'x'",
    "None",
    "False",
    "x",
    "not x",
    "-1",
    "True_ish",
    "self.running",
    "(True)",
    "(\n    True\n)",
    "(  # forever\n    1)",
    "((1))",
    "[1]",
    "x == 1",
]
_SPACES = [" ", "  ", "\t", " \\\n    ", "\\\n", " \\\r\n "]


def _forever(node: ast.AST) -> bool:
    return isinstance(node, ast.While) and isinstance(node.test, ast.Constant) and bool(node.test.value)


@settings(max_examples=500, derandomize=True, deadline=None)
@given(st.sampled_from(_TESTS), st.sampled_from(_SPACES), st.sampled_from(["", "# while\n", "s = 'while'\n"]))
def test_a_while_on_a_true_constant_is_never_missed(test: str, space: str, before: str) -> None:
    source = f"{before}def f():\n    while{space}{test}:\n        pass\n"
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return
    if any(_forever(node) for node in ast.walk(tree)):
        assert holds_while_true(source.encode())


def test_texts_without_the_keywords_hold_no_such_context() -> None:
    assert not holds_while_true(b"while x:\n    pass\n# runs while\nfor i in y: pass\n")
    assert not may_hold_contexts(["async-def"])(b"def f():\n    asyncio.run(g())\n")
    assert may_hold_contexts(["loop"])(b"[x for x in y]\n")
    assert may_hold_contexts(["green-code"])(b"")  # no keyword of its own: no test


WRAPPER = """\
    import eventlet

    def spawn(func, *args):
        return eventlet.spawn(func, *args)
    """
# A wrapper of that wrapper, in a module that is no hub (nova.context's shape): its callers
# are linted for green code because they may call a wrapper, not as readers of a hub.
SCATTER = """\
    from app import utils

    def scatter(func):
        utils.spawn(func)
    """


def _caller(loop: str) -> str:
    return f"""\
        import time
        from app import context

        def beat():
            {loop}
                time.sleep(1)

        def start():
            context.scatter(beat)
        """


@pytest.mark.parametrize(("loop", "found"), [("while True:", True), ("for _ in range(3):", False)])
def test_a_caller_of_a_wrapper_is_parsed_for_green_code_only_if_it_can_hold_the_context(
    project: Path, monkeypatch: pytest.MonkeyPatch, loop: str, found: bool
) -> None:
    files = {
        "app/__init__.py": "",
        "app/utils.py": WRAPPER,
        "app/context.py": SCATTER,
        "app/beat.py": _caller(loop),
    }
    write_files(project, files)
    parsed: list[str] = []
    real_parse = lint._parse

    def counting_parse(path: str, text: str) -> Any:
        parsed.append(Path(path).name)
        return real_parse(path, text)

    monkeypatch.setattr(lint, "_parse", counting_parse)
    result = run_cli(["check", "--no-cache", "--select", "EVL,EVH202", "--output-format", "concise", "app"])
    assert result.exit_code == 1, result.output
    # EVH202 needs `while True:` around the sleep: a text without one is not even parsed.
    assert ("app/beat.py:6:9: EVH202" in result.stdout) is found
    assert ("beat.py" in parsed) is found
