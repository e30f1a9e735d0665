"""`index.function_text` reads a file's text as the spawn-wrapper search read it before.

The search used to walk every module-level `def` of a file holding a needle and look for
the needle in each one's block (below, as it was); it now places each occurrence of a needle
under the module-level line before it. These differential tests ask both for the same
answer on random texts made of the pieces that matter: defs at the margin and indented,
`async def`, comments, closing brackets and other code at the margin, blank lines, `\\r\\n`
line ends, a def on a last line without a line end, and needles inside each other.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from evlint.index.function_text import Needles, in_module_function

_MODULE_DEF = re.compile(rb"^(?:async[ \t]+)?def[ \t]", re.MULTILINE)
_MODULE_CODE = re.compile(rb"^[^\s#)\]}]", re.MULTILINE)


def _old_defines_with(source: bytes, needles: tuple[bytes, ...]) -> bool:
    if not any(needle in source for needle in needles):
        return False
    for match in _MODULE_DEF.finditer(source):
        line_end = source.find(b"\n", match.end())
        if line_end == -1:
            return False
        after = _MODULE_CODE.search(source, line_end + 1)
        end = after.start() if after is not None else len(source)
        if any(source.find(needle, match.start(), end) != -1 for needle in needles):
            return True
    return False


PIECES = [
    b"def ",
    b"def\t",
    b"async def ",
    b"async\t def ",
    b"class C:",
    b"x = 1",
    b"    ",
    b"\t",
    b"#",
    b")",
    b"]",
    b"}",
    b"(",
    b"\n",
    b"\r\n",
    b"\r",
    b"\x0c",
    b"spawn",
    b"spawn(",
    b"spawn_n(",
    b"pawn",
    b"add_thread",
    b"f",
    b"'''",
]
NEEDLES = [b"spawn", b"spawn(", b"spawn_n(", b"add_thread", b"wn(", b"f"]

texts = st.lists(st.sampled_from(PIECES), max_size=40).map(b"".join)
needle_sets = st.lists(st.sampled_from(NEEDLES), min_size=1, max_size=3).map(tuple)


@settings(max_examples=3000, deadline=None)
@given(texts, needle_sets)
def test_a_needle_lies_in_a_module_level_function_as_the_def_walk_said(
    source: bytes, needles: tuple[bytes, ...]
) -> None:
    assert in_module_function(source, needles) == _old_defines_with(source, needles)


@settings(max_examples=1000, deadline=None)
@given(texts, needle_sets)
def test_the_needles_a_text_holds_are_those_it_holds(source: bytes, needles: tuple[bytes, ...]) -> None:
    absent: set[bytes] = set()
    search = Needles.of(needles)
    assert sorted(search.held_by(source, absent)) == sorted({n for n in needles if n in source})
    assert sorted(search.held_by(source, absent)) == sorted({n for n in needles if n in source})  # memo
    assert all(needle not in source for needle in absent)


def test_the_examples_of_the_old_walk() -> None:
    cases = {
        b"def f(x):\n    spawn(x)\n": True,
        b"class C:\n    def f(self):\n        spawn(x)\n": False,
        b"def f(x):\n    pass\nx = spawn(1)\n": False,
        b"def f(x,\n)  :\n    spawn(x)\n": True,  # a bracket at the margin closes the signature
        b"def f(x):\n# note\n    spawn(x)\n": True,
        b"def f(x): spawn(x)": False,  # a def on the last line, no line end after it
        b"x = 1\ndef f(x): spawn(x)": False,
        b"def g(): spawn\ndef f(x): spawn(x)": False,
        b"def g(): spawn(1)\ndef f(x): spawn(x)": True,
        b"async def f(x):\r\n    spawn(x)\r\n": True,
    }
    for source, expected in cases.items():
        assert in_module_function(source, (b"spawn(",)) is expected, source
        assert _old_defines_with(source, (b"spawn(",)) is expected, source


def test_wrappers_and_their_callers_found_together_are_those_found_apart() -> None:
    from evlint.index.spawn_wrappers import WrapperSearch, callers, project_wrappers, wrappers_and_callers
    from evlint.names import ModuleContext

    files = [
        (
            ModuleContext("app.utils", False),
            b"import eventlet\n\ndef spawn(func, *args):\n    eventlet.spawn(func)\n",
        ),
        (
            ModuleContext("app.cells", False),
            b"from app import utils\n\ndef scatter(fn):\n    utils.spawn(fn)\n",
        ),
        (ModuleContext("app.a", False), b"from app import utils\nimport asyncio\nutils.spawn(job)\n"),
        (ModuleContext("app.b", False), b"from app import cells\nimport asyncio\ncells.scatter(job)\n"),
        (ModuleContext("app.c", False), b"import asyncio\nspawn(job)\n"),
    ]
    search = WrapperSearch(frozenset({"eventlet"}), lambda source: b"asyncio" in source)
    wrappers = project_wrappers(files, search.roots)
    assert wrappers == {"app.utils.spawn": 0, "app.cells.scatter": 0}
    assert wrappers_and_callers(files, search) == (wrappers, callers(files, wrappers, search.may_matter))
    assert wrappers_and_callers(files, search)[1] == ["app.a", "app.b"]
