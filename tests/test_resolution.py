"""Name resolution: aliases, scopes and shadowing decide what is eventlet, through the CLI."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.conftest import Findings

Check = Callable[..., Findings]


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        pytest.param("import eventlet\neventlet.spawn(f)\n", [(2, 1)], id="plain-import"),
        pytest.param("import eventlet as ev\nev.spawn(f)\n", [(2, 1)], id="import-as"),
        pytest.param(
            "from eventlet import greenthread as gt\ngt.spawn_n(f)\n", [(2, 1)], id="from-import-as"
        ),
        pytest.param("from eventlet import spawn\nspawn(f)\n", [(2, 1)], id="from-import-name"),
        pytest.param("from eventlet import spawn as go\ngo(f)\n", [(2, 1)], id="from-import-name-as"),
        pytest.param(
            "import eventlet.greenthread\neventlet.greenthread.spawn(f)\n", [(2, 1)], id="dotted-import"
        ),
        pytest.param(
            "import eventlet.greenthread as g\ng.spawn_after(1, f)\n", [(2, 1)], id="dotted-import-as"
        ),
        pytest.param("import os, eventlet\nx = 1; eventlet.spawn(f)\n", [(2, 8)], id="multi-import"),
        pytest.param(
            "from eventlet import (\n    sleep,\n    spawn,\n)\nspawn(f)\n",
            [(5, 1)],
            id="parenthesised-import",
        ),
        pytest.param(
            "def f():\n    import eventlet\n    eventlet.spawn(g)\n", [(3, 5)], id="function-local-import"
        ),
        pytest.param(
            "def f():\n    from eventlet import spawn\n    spawn(g)\nspawn(h)\n",
            [(3, 5)],
            id="local-import-stays-local",
        ),
        pytest.param("import eventlet\nfn = eventlet.spawn\n", [(2, 6)], id="reference-without-call"),
        pytest.param(
            "import eventlet\npool.submit(eventlet.spawn, f)\n", [(2, 13)], id="reference-as-argument"
        ),
        pytest.param(
            "import eventlet\nfn = eventlet.spawn\nfn(f)\n", [(2, 6), (3, 1)], id="call-through-alias"
        ),
        pytest.param(
            "import eventlet\nfn = eventlet.spawn\nuse(fn)\n", [(2, 6)], id="alias-passed-along-once"
        ),
        pytest.param("import eventlet\ng = eventlet.greenthread\ng.spawn(f)\n", [(3, 1)], id="module-alias"),
        pytest.param("import eventlet\na = b\nb = a\na.spawn(f)\n", [], id="alias-cycle-terminates"),
        pytest.param(
            "def later():\n    eventlet.spawn(f)\nimport eventlet\n", [(2, 5)], id="import-below-use"
        ),
        pytest.param(
            "try:\n    import eventlet\nexcept ImportError:\n    eventlet = None\neventlet.spawn(f)\n",
            [(5, 1)],
            id="optional-import",
        ),
        pytest.param(
            "from oslo_utils import importutils\neventlet = importutils.try_import('eventlet')\neventlet.spawn(f)\n",
            [(3, 1)],
            id="try-import",
        ),
        pytest.param(
            "import importlib\ngt = importlib.import_module('eventlet.greenthread')\ngt.spawn(f)\n",
            [(3, 1)],
            id="import-module",
        ),
        pytest.param("ev = __import__('eventlet')\nev.spawn(f)\n", [(2, 1)], id="dunder-import"),
        pytest.param("ev = try_import('eventlet')\nev.spawn(f)\n", [], id="unknown-importer"),
        pytest.param("from eventlet import *\nspawn(f)\nlen(f)\n", [(2, 1)], id="star-import"),
        pytest.param("import eventlet\nx = f'{eventlet.spawn(g)}'\n", [(2, 8)], id="f-string-expression"),
        pytest.param("import eventlet\n@eventlet.spawn\ndef f(): pass\n", [(2, 2)], id="decorator"),
        pytest.param(
            "import eventlet\ndef f(x=eventlet.spawn):\n    pass\n", [(2, 9)], id="default-in-enclosing-scope"
        ),
        pytest.param(
            "import eventlet\nasync def f():\n    await eventlet.spawn(g)\n", [(3, 11)], id="async-function"
        ),
        pytest.param(
            "import eventlet\ndef outer():\n    def inner():\n        eventlet.spawn(f)\n",
            [(4, 9)],
            id="nested-function",
        ),
        pytest.param(
            "import eventlet\ndef outer():\n    ev = eventlet\n    def inner():\n        ev.spawn(f)\n",
            [(5, 9)],
            id="closure-alias",
        ),
        pytest.param("import eventlet\nx: int = eventlet.spawn(f)\n", [(2, 10)], id="annotated-assignment"),
        pytest.param("import eventlet\n[eventlet.spawn(f) for f in fs]\n", [(2, 2)], id="comprehension-body"),
        pytest.param("import eventlet\nresult = eventlet.spawn(f).wait()\n", [(2, 10)], id="call-in-a-chain"),
        pytest.param(
            "import eventlet\nif (s := eventlet.spawn):\n    s(f)\n", [(2, 10), (3, 5)], id="walrus"
        ),
    ],
)
def test_resolves_eventlet_uses(findings: Check, code: str, expected: list[tuple[int, int]]) -> None:
    assert findings(code) == [(row, column, "EVL101") for row, column in expected]


@pytest.mark.parametrize(
    "code",
    [
        pytest.param("import eventlet\ndef f(eventlet):\n    eventlet.spawn(g)\n", id="parameter"),
        pytest.param("import eventlet\ndef f(*, eventlet=None):\n    eventlet.spawn(g)\n", id="kwonly-param"),
        pytest.param("import eventlet\ndef f(*eventlet):\n    eventlet.spawn(g)\n", id="star-param"),
        pytest.param("import eventlet\nf = lambda eventlet: eventlet.spawn(g)\n", id="lambda-param"),
        pytest.param("import eventlet\ndef f():\n    eventlet = Fake()\n    eventlet.spawn(g)\n", id="local"),
        pytest.param(
            "import eventlet\ndef f():\n    eventlet.spawn(g)\n    eventlet = Fake()\n",
            id="local-assigned-later",
        ),
        pytest.param(
            "import eventlet\ndef f():\n    for eventlet in fakes:\n        eventlet.spawn(g)\n",
            id="for-target",
        ),
        pytest.param("import eventlet\n[eventlet.spawn(g) for eventlet in fakes]\n", id="comprehension-var"),
        pytest.param(
            "import eventlet\ndef f():\n    with fake() as eventlet:\n        eventlet.spawn(g)\n",
            id="with-target",
        ),
        pytest.param(
            "import eventlet\ndef f():\n    try:\n        pass\n    except E as eventlet:\n        eventlet.spawn(g)\n",
            id="except-target",
        ),
        pytest.param(
            "from eventlet import greenthread\nclass A:\n    def f(self, greenthread):\n"
            "        greenthread.spawn(g)\n",
            id="method-param",
        ),
        pytest.param(
            "class A:\n    from eventlet import spawn\n    def f(self):\n        spawn(g)\n",
            id="class-scope-invisible",
        ),
        pytest.param("my_eventlet.spawn(f)\n", id="similar-name"),
        pytest.param("import eventlet\nself.greenthread.spawn(f)\n", id="attribute-of-self"),
        pytest.param("import eventlet\nmy_eventlet.spawn(f)\n", id="unbound-similar-name"),
        pytest.param("import eventlet_utils\neventlet_utils.spawn(f)\n", id="eventlet-utils"),
        pytest.param("from . import eventlet\neventlet.spawn(f)\n", id="relative-import"),
        pytest.param("import eventlet\n# eventlet.spawn(f)\n", id="comment"),
        pytest.param("import eventlet\n'''eventlet.spawn(f)'''\n", id="string-statement"),
        pytest.param('import eventlet\ndef f():\n    """eventlet.spawn(f)"""\n', id="docstring"),
        pytest.param("import eventlet\nx = 'eventlet.spawn'\n", id="string-literal"),
        pytest.param("import eventlet\nx = b'eventlet.spawn(f)'\n", id="bytes"),
        pytest.param("import eventlet\nf(spawn=1)\n", id="keyword-name"),
        pytest.param("import eventlet\ndef spawn(): pass\nspawn()\n", id="own-function"),
        pytest.param(
            "import eventlet\ndef f():\n    global eventlet\n    eventlet = None\nother.spawn()\n",
            id="global-decl",
        ),
        pytest.param("import eventlet\nmatch x:\n    case eventlet:\n        pass\n", id="match-capture"),
    ],
)
def test_is_silent_on_what_is_not_eventlet(findings: Check, code: str) -> None:
    assert findings(code) == []


def test_global_declaration_binds_module_name(findings: Check) -> None:
    code = "def setup():\n    global ev\n    import eventlet as ev\ndef run():\n    ev.spawn(f)\n"
    assert findings(code) == [(5, 5, "EVL101")]


def test_nonlocal_declaration_binds_enclosing_function(findings: Check) -> None:
    code = (
        "def outer():\n    ev = None\n    def setup():\n        nonlocal ev\n        import eventlet as ev\n"
        "    ev.spawn(f)\n"
    )
    assert findings(code) == [(6, 5, "EVL101")]


def test_columns_count_characters_after_tabs_and_unicode(findings: Check) -> None:
    code = "import eventlet\nif True:\n\tx = 'é'; eventlet.spawn(f)\n"
    assert findings(code) == [(3, 11, "EVL101")]


def test_end_location_is_end_of_callee(project: object, findings: Check) -> None:
    from tests.conftest import run_cli

    findings("import eventlet\n\neventlet.spawn(f)\n")
    result = run_cli(["check", "mod.py", "--select", "EVL101", "--output-format", "json"])
    import json

    (item,) = json.loads(result.stdout)
    assert item["location"] == {"row": 3, "column": 1}
    assert item["end_location"] == {"row": 3, "column": 15}


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        pytest.param(
            "from eventlet import greenthread\nclass Pool:\n    greenthread = greenthread\n    runner = greenthread.spawn\n",
            [(4, 14)],
            id="class-body-falls-back-to-module",
        ),
        pytest.param(
            "from eventlet import spawn\nclass C:\n    spawn = staticmethod(spawn)\n",
            [(3, 26)],
            id="class-rebinds-import",
        ),
        pytest.param(
            "import eventlet\nif c:\n    a = eventlet\nelse:\n    a = b\nb = a\na.spawn(f)\nb.spawn(f)\n",
            [(7, 1), (8, 1)],
            id="cycle-does-not-hide-other-paths",
        ),
        pytest.param(
            "def a():\n    eventlet = None\n    def b():\n        def c():\n            nonlocal eventlet\n"
            "            import eventlet\n        c()\n    b()\n    eventlet.spawn(f)\n",
            [(9, 5)],
            id="nonlocal-binds-the-owning-function",
        ),
        pytest.param(
            "import eventlet\n"
            + "".join(f"a{i} = {'a' + str(i - 1) if i else 'eventlet'}\n" for i in range(400))
            + "a399.spawn(f)\n",
            [(402, 1)],
            id="long-alias-chain",
        ),
        pytest.param(
            "import eventlet\nx = " + " + ".join(["1"] * 400) + " + eventlet.spawn\n",
            [(2, 1605)],
            id="deep-expression",
        ),
        pytest.param(
            'import eventlet\nx = ("spawned "\n     f"{eventlet.spawn(f)}")\n',
            [(3, 9)],
            id="f-string-in-concatenation",
        ),
        pytest.param("import eventlet\nx = eventlet.spawn.__name__\n", [(2, 5)], id="attribute-of-the-api"),
        pytest.param("import eventlet\n\x0cx = 1; eventlet.spawn(f)\n", [(2, 9)], id="form-feed"),
    ],
)
def test_resolution_regressions(findings: Check, code: str, expected: list[tuple[int, int]]) -> None:
    assert findings(code) == [(row, column, "EVL101") for row, column in expected]


def test_message_names_the_api_not_the_attribute_of_it(project: object, findings: Check) -> None:
    from tests.conftest import run_cli

    findings("import eventlet\nx = eventlet.spawn.__name__\n", "M322")
    result = run_cli(["check", "mod.py", "--select", "M322", "--output-format", "concise"])
    assert (
        result.stdout.splitlines()[0]
        == "mod.py:2:5: M322 Use masakari.utils.spawn() rather than eventlet.spawn()"
    )


def test_keyword_module_argument_of_an_importer(findings: Check) -> None:
    code = "import importlib\nz = importlib.import_module(package='eventlet', name='os')\nz.spawn(f)\nimportlib.import_module(name='eventlet')\n"
    assert findings(code, "EVL") == [(4, 1, "EVL501")]


def test_importer_argument_is_an_import_not_a_string_target(findings: Check) -> None:
    code = "import importlib\nimportlib.import_module('eventlet.greenthread')\n"
    assert findings(code, "EVL") == [(2, 1, "EVL501")]


def test_decorator_is_a_call(findings: Check, project: object) -> None:
    from tests.conftest import write_files

    rule = (
        "id: TST020\nname: t\nsummary: s\nmessage: m\nmatch: {call: [eventlet.spawn]}\n"
        'examples:\n  invalid: [{code: "import eventlet\\n@eventlet.spawn\\ndef f(): pass\\n"}]\n  valid: [{code: "x"}]\n'
    )
    write_files(project, {"rules/TST020.yaml": rule})  # type: ignore[arg-type]
    assert findings(
        "import eventlet\n@eventlet.spawn\ndef f(): pass\n", "TST020", "mod.py", "--rules-dir", "rules"
    ) == [(2, 2, "TST020")]
