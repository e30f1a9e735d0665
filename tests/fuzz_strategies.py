"""Hypothesis strategies for the fuzz suite: modules built from a grammar of eventlet uses.

A module is a list of statements: imports of eventlet under several spellings and aliases,
uses of its API (calls, references, assignments, keyword arguments, mock.patch strings),
unrelated code, and the scopes Python resolves names in (functions, classes, lambdas,
comprehensions, try/except ImportError, parameters that shadow an import). The fix
suite runs every rule's fix on them, so the shapes the fixes must handle or refuse
(a statement sharing its line, a comment inside a name, a parenthesised callee) are there too.
"""

from __future__ import annotations

import textwrap

from hypothesis import strategies as st

# (import statement, the name it binds, the module that name stands for)
IMPORTS = (
    ("import eventlet", "eventlet", "eventlet"),
    ("import eventlet as ev", "ev", "eventlet"),
    ("import eventlet.greenthread", "eventlet", "eventlet"),
    ("from eventlet import greenthread", "greenthread", "eventlet.greenthread"),
    ("from eventlet import greenthread as gt", "gt", "eventlet.greenthread"),
    ("from eventlet import event", "event", "eventlet.event"),
    ("from eventlet import semaphore as sem", "sem", "eventlet.semaphore"),
    ("from eventlet import queue", "queue", "eventlet.queue"),
    ("from eventlet import patcher", "patcher", "eventlet.patcher"),
)
FROM_IMPORTS = (
    "from eventlet import sleep",
    "from eventlet import spawn, sleep",
    "from eventlet import (spawn,  # a comment\n    sleep)",
    "from eventlet.green import threading",
    "from eventlet.green import socket as gsocket",
    "from eventlet.greenthread import spawn_n as fire",
    "from eventlet import *",
)
# Attributes of each module the uses pick from.
API = {
    "eventlet": (
        "spawn",
        "spawn_n",
        "spawn_after",
        "sleep",
        "Event",
        "Semaphore",
        "Queue",
        "monkey_patch",
        "GreenPool",
        "Timeout",
        "listen",
        "getcurrent",
        "tpool.execute",
    ),
    "eventlet.greenthread": ("spawn", "spawn_n", "sleep", "kill", "GreenThread"),
    "eventlet.event": ("Event",),
    "eventlet.semaphore": ("Semaphore", "BoundedSemaphore"),
    "eventlet.queue": ("Queue", "LightQueue", "LifoQueue", "Empty"),
    "eventlet.patcher": ("monkey_patch", "original", "is_monkey_patched"),
}
OTHER_STATEMENTS = (
    "pass",
    "x = 1",
    "import time",
    "import threading",
    "from masakari import utils",
    "time.sleep(1)",
    "utils.spawn(work)",
    "LOG.info('eventlet.spawn(x) is gone')",
    "server = messaging.get_rpc_server(t, s, executor='eventlet')",
    "mock.patch('eventlet.sleep')",
    "mock.patch.object(eventlet, 'sleep')",
    "fn = helper  # noqa",
    "sleep = None",
    "greenthread = self.greenthread",
    "def work(): return 1",
    "x = [1, 2,\n     3]",
    "if x:\n    pass\nelse:\n    y = 2",
)

_IDENT = st.sampled_from(("work", "f", "self.run", "lambda: None", "*args", "x, y=1", "eventlet.sleep"))


# How a statement uses a name: {name} is the eventlet name, {arg} an argument.
USE_SHAPES = (
    "{name}({arg})",
    "handle = {name}({arg})",
    "launcher = {name}",
    "retry(sleep={name})",
    "x = 1; {name}({arg})",  # two statements on a line
    "({name})({arg})",  # a parenthesised callee
    "{name}(  # noqa\n    {arg})",
    "{name}({arg})  # noqa: EVL101",
    "result = [{name}(i) for i in items]",
    "if {name}:\n    {name}()",
    "{name}(\n    {arg},\n)",
)


@st.composite
def eventlet_use(draw: st.DrawFn, bound: str, module: str) -> str:
    """One statement that uses `bound` (which stands for `module`)."""
    attribute = draw(st.sampled_from(API.get(module, API["eventlet"])))
    shape = draw(st.sampled_from(USE_SHAPES))
    return shape.format(name=f"{bound}.{attribute}", arg=draw(_IDENT))


@st.composite
def statements(draw: st.DrawFn, bindings: list[tuple[str, str]], depth: int = 0) -> list[str]:
    """Statements for one block; `bindings` are the eventlet names visible in it."""
    count = draw(st.integers(1, 5))
    block: list[str] = []
    for _ in range(count):
        kind = draw(st.integers(0, 9 if depth < 2 else 5))
        if kind <= 2 and bindings:
            bound, module = draw(st.sampled_from(bindings))
            block.append(draw(eventlet_use(bound, module)))
        elif kind == 3:
            block.append(draw(st.sampled_from(OTHER_STATEMENTS)))
        elif kind == 4:
            statement, bound, module = draw(st.sampled_from(IMPORTS))
            block.append(statement)
            bindings = [*bindings, (bound, module)]
        elif kind == 5:
            block.append(draw(st.sampled_from(FROM_IMPORTS)))
            bindings = [*bindings, ("sleep", "eventlet.greenthread")] if "sleep" in block[-1] else bindings
        elif kind == 6:  # a function, maybe with a parameter that shadows an import
            shadowed = [b for b in bindings if draw(st.booleans())]
            params = ", ".join(b for b, _ in shadowed) or ""
            visible = [b for b in bindings if b not in shadowed]
            body = draw(statements(visible or bindings, depth + 1))
            block.append(f"def fn_{depth}({params}):\n" + _indent(body))
        elif kind == 7:
            body = draw(statements(bindings, depth + 1))
            block.append(f"class Thing{depth}(object):\n" + _indent(body))
        elif kind == 8:
            statement, bound, module = draw(st.sampled_from(IMPORTS))
            block.append(f"try:\n    {statement}\nexcept ImportError:\n    {bound} = None")
            bindings = [*bindings, (bound, module)]
        else:
            body = draw(statements(bindings, depth + 1))
            header = draw(st.sampled_from(("if x:", "while True:", "with lock:", "for item in items:")))
            block.append(header + "\n" + _indent(body))
    return block


def _indent(block: list[str]) -> str:
    return textwrap.indent("\n".join(block), "    ") + "\n"


@st.composite
def eventlet_modules(draw: st.DrawFn) -> str:
    """A whole module: a docstring or not, leading imports, then statements."""
    head: list[str] = []
    if draw(st.booleans()):
        head.append('"""A module."""')
    if draw(st.booleans()):
        head.append("from __future__ import annotations")
    statement, bound, module = draw(st.sampled_from(IMPORTS))
    head.append(statement)
    body = draw(statements([(bound, module)]))
    return "\n".join([*head, *body]) + "\n"
