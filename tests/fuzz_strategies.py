"""Hypothesis strategies for the fuzz suite: modules built from a grammar of eventlet uses.

A module is a list of statements: imports of eventlet under several spellings and aliases,
uses of its API (calls, references, assignments, keyword arguments, mock.patch strings),
unrelated code, and the scopes Python resolves names in (functions, classes, lambdas,
comprehensions, try/except ImportError, parameters that shadow an import). The fix
suite runs every rule's fix on them, so the shapes the fixes must handle or refuse
(a statement sharing its line, a comment inside a name, a parenthesised callee) are there too.
"""

from __future__ import annotations

import json
import textwrap

import yaml
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


# -- configuration files, rule files, file names and line endings (tests/test_fuzz_inputs.py)

_SCALARS = (
    st.text(max_size=12)
    | st.integers(min_value=-(10**6), max_value=10**6)
    | st.booleans()
    | st.floats(allow_nan=False, allow_infinity=False)
)
JSON_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
CONFIG_KEYS = (
    "select", "ignore", "extend-select", "exclude", "extend-exclude", "extend-rules-dirs", "src",
    "per-file-ignores", "options", "baseline", "cache-dir", "max-file-size", "respect-gitignore",
    "project-index", "bogus",
)  # fmt: skip
CODES = st.sampled_from(("EVL", "EVL201", "EVL1", "ALL", "", "XYZ9", "M322", "evl201", "EVL201\n"))


def toml_value(value: object) -> str:
    """`value` as a TOML value (inline tables and arrays)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    assert isinstance(value, dict)
    return "{" + ", ".join(f"{json.dumps(k)} = {toml_value(v)}" for k, v in value.items()) + "}"


@st.composite
def evlint_tables(draw: st.DrawFn) -> str:
    """A pyproject.toml with a [tool.evlint] table of known and unknown keys, plausible
    values (code lists, globs) and arbitrary ones."""
    lines = ["[tool.evlint]"]
    for key in draw(st.lists(st.sampled_from(CONFIG_KEYS), unique=True, max_size=5)):
        plausible = st.lists(CODES, max_size=3) | st.dictionaries(
            st.sampled_from(("*.py", "tests/*", "[z-a]", "\\", "!", "**")),
            st.lists(CODES, max_size=2),
            max_size=2,
        )
        lines.append(f"{json.dumps(key)} = {toml_value(draw(plausible | JSON_VALUES))}")
    return "\n".join(lines) + "\n"


YAML_ODDITIES = (
    "2020-01-01",
    "!!binary aGVsbG8=",
    "!!set {a, b}",
    "&a [1]",
    "*a",
    "[" * 40 + "]" * 40,
    "!!python/object:os.system {}",
    '"EVL201\\n"',
    "~",
    "1e400",
    "0x1F",
)


@st.composite
def rule_files(draw: st.DrawFn, base: dict[str, object]) -> str:
    """A valid rule (`base`) with keys dropped, replaced by arbitrary values or by YAML
    oddities (dates, sets, binary, aliases, tags, deep nesting), as YAML text."""
    data = dict(base)
    data["id"] = "ORG201"
    for key in draw(st.lists(st.sampled_from(sorted(data)), unique=True, max_size=3)):
        action = draw(st.sampled_from(("drop", "replace", "oddity")))
        if action == "drop":
            del data[key]
        elif action == "replace":
            data[key] = draw(JSON_VALUES)
        else:
            data[key] = f"@@{key}@@"
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    for key in list(data):
        if data[key] == f"@@{key}@@":
            text = text.replace(f"'@@{key}@@'", draw(st.sampled_from(YAML_ODDITIES)))
    return text


_NAME_CHARS = st.characters(blacklist_characters="/\0", blacklist_categories=("Cs",))
FILE_NAMES = st.text(_NAME_CHARS, min_size=1, max_size=40).filter(lambda n: n not in (".", ".."))
LINE_ENDINGS = st.sampled_from(("\n", "\r\n", "\r"))
_LINES = st.sampled_from(
    (
        "import eventlet",
        "eventlet.sleep(1)  # noqa: EVL201",
        "eventlet.spawn(f)",
        "x = 1",
        "",
        "def f():",
        "    return eventlet.sleep(0)",
        "\x0c",
        "s = '\\x1b[31m'",
    )
)


@st.composite
def sources_with_line_endings(draw: st.DrawFn) -> str:
    """A module whose lines end in LF, CRLF or a lone CR, mixed."""
    lines = draw(st.lists(_LINES, min_size=1, max_size=8))
    return "".join(line + draw(LINE_ENDINGS) for line in lines)
