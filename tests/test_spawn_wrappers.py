"""Green code through the project's spawn wrappers in other modules: the index reads each
wrapper's body (`index.spawn_wrappers`), so a function handed to `utils.spawn` is green in
any module, eventlet import or not, and a function merely named `spawn` hands nothing."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

from tests.conftest import run_cli, write_files

NOVA_UTILS = """\
    import functools
    import eventlet

    def _pool():
        return eventlet.GreenPool()

    def pass_context(runner, func, *args, **kwargs):
        @functools.wraps(func)
        def context_wrapper(*args, **kwargs):
            return func(*args, **kwargs)
        return runner(context_wrapper, *args, **kwargs)

    def spawn(func, *args, **kwargs):
        return pass_context(_pool().spawn, func, *args, **kwargs)

    def tpool_execute(func, *args, **kwargs):
        return pass_context(run_natively, func, *args, **kwargs)
    """
MASAKARI_UTILS = """\
    import eventlet

    def spawn_n(func, *args, **kwargs):
        def context_wrapper(*args, **kwargs):
            func(*args, **kwargs)
        eventlet.spawn_n(context_wrapper, *args, **kwargs)
    """
# A wrapper of a wrapper, in a module that never imports eventlet (nova.context's shape).
SCATTER = """\
    from app import utils

    def scatter_gather(context, cells, timeout, fn, *args):
        for cell in cells:
            utils.spawn(fn, context, cell, *args)
    """


def _found(*extra: str) -> list[tuple[str, int]]:
    result = run_cli(["check", ".", "--select", "EVH402", "--output-format", "json", *extra])
    assert result.exit_code in (0, 1), result.output
    items: list[dict[str, Any]] = json.loads(result.stdout)
    return sorted(
        (Path(i["filename"]).relative_to(Path.cwd()).as_posix(), i["location"]["row"]) for i in items
    )


def _user(call: str) -> str:
    return textwrap.dedent(f"""\
        import asyncio
        from app import context, utils

        def job(*args):
            asyncio.run(fetch())

        def plain():
            asyncio.run(fetch())

        def start():
            {call}
        """)


def test_functions_handed_to_wrappers_of_other_modules_are_green_without_eventlet(project: Path) -> None:
    write_files(
        project,
        {
            "app/__init__.py": "",
            "app/utils.py": NOVA_UTILS,
            "app/context.py": SCATTER,
            "app/masakari.py": MASAKARI_UTILS,
            "app/a.py": _user("utils.spawn(job)"),
            "app/b.py": _user("context.scatter_gather(None, [], 10, job)"),
            "app/c.py": _user("context.scatter_gather(job, [], 10, plain)").replace(
                "def job(*args):\n    asyncio.run(fetch())", "def job(*args):\n    pass"
            ),
            "app/d.py": _user("masakari.spawn_n(job)").replace(
                "from app import context, utils", "from app import masakari"
            ),
            "app/e.py": _user("utils.tpool_execute(job)"),
        },
    )
    # c.py: the wrapper spawns its fourth parameter (`plain`, line 8), not its first.
    assert _found("--no-cache") == [("app/a.py", 5), ("app/b.py", 5), ("app/c.py", 8), ("app/d.py", 5)]


def test_a_project_function_named_spawn_that_spawns_nothing_hands_no_green_code(project: Path) -> None:
    write_files(
        project,
        {
            "app/__init__.py": "",
            "app/context.py": "",
            "app/utils.py": "import eventlet\n\ndef spawn(func, *args):\n    return func(*args)\n",
            "app/b.py": "import eventlet\n"
            + _user("spawn(job)").replace("from app import context, utils", "from app.utils import spawn"),
            "app/c.py": "import eventlet\n" + _user("eventlet.spawn(plain)"),
        },
    )
    # (`utils.spawn(job)` in an eventlet module stays green: it may be a pool's method.)
    assert _found("--no-cache") == [("app/c.py", 9)]


def test_a_wrapper_that_stops_spawning_rechecks_its_callers(project: Path) -> None:
    files = {
        "app/__init__.py": "",
        "app/context.py": "",
        "app/utils.py": NOVA_UTILS,
        "app/a.py": _user("utils.spawn(job)"),
    }
    write_files(project, files)
    assert _found() == [("app/a.py", 5)]
    write_files(project, {"app/utils.py": NOVA_UTILS.replace("_pool().spawn", "run_natively")})
    assert _found() == []


def test_wrappers_of_wrappers_are_found_round_after_round_past_a_file_that_does_not_parse(
    project: Path,
) -> None:
    """Each round looks only for the names the round before found: `run_later` (round 2)
    calls `scatter_gather` (found in round 2 from `utils.spawn`, round 1), and `later_still`
    calls `run_later`; a broken file naming them all is tried once and never stops the search."""
    write_files(
        project,
        {
            "app/__init__.py": "",
            "app/utils.py": NOVA_UTILS,
            "app/context.py": SCATTER,
            "app/later.py": "from app import context\n\n"
            "def run_later(cells, fn):\n    context.scatter_gather(None, cells, 10, fn)\n",
            "app/still.py": "from app import later\n\n"
            "class Holder:\n    def later_still(self, fn):\n        later.run_later([], fn)\n\n"
            "def later_still(fn, *args):\n    later.run_later([], fn)\n",
            "app/broken.py": "def f(x):\n    spawn(x); scatter_gather(x); run_later(x)\n    (\n",
            "app/a.py": _user("still.later_still(job)").replace(
                "from app import context, utils", "from app import still"
            ),
            "app/b.py": _user("still.Holder().later_still(job)").replace(
                "from app import context, utils", "from app import still"
            ),
        },
    )
    assert _found("--no-cache") == [("app/a.py", 5)]
