"""A linted file's syntax tree is freed by reference counting as soon as the file is done.

A tree held in a reference cycle waits for the cycle collector, which the runner pauses
while a file is linted (see runner._no_cyclic_gc): on nova's largest file, that left a
million dead nodes for the next collection to walk (0.12 s a file)."""

from __future__ import annotations

import ast
import gc
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from evlint.engine import lint_text, module_facts
from evlint.names import ModuleContext
from evlint.rulescope import CompiledCache
from evlint.ruleset import bundled_rules_dir, load_rules

from .conftest import run_cli

SOURCE = textwrap.dedent(
    """\
    import eventlet
    from eventlet import greenthread as gt

    x = eventlet.sleep

    def spawn(fn):
        return gt.spawn(fn)

    class Pool:
        size = eventlet.GreenPool
        def run(self):
            eventlet.spawn(print)
            return [eventlet.sleep(i) for i in range(3)]
    """
)


def _cyclic_garbage_after(work: object) -> list[object]:
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        work()  # type: ignore[operator]
        gc.collect()
        return list(gc.garbage)
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()


def test_linting_leaves_no_syntax_tree_to_the_cycle_collector() -> None:
    rules = load_rules([bundled_rules_dir()])
    compiled = CompiledCache(rules).get(tuple(range(len(rules))))
    garbage = _cyclic_garbage_after(lambda: lint_text("m.py", SOURCE, compiled))
    assert not [item for item in garbage if isinstance(item, ast.AST)]


def test_reading_a_module_for_the_index_leaves_no_syntax_tree_either() -> None:
    garbage = _cyclic_garbage_after(lambda: module_facts("m.py", SOURCE, ModuleContext("m", False)))
    assert not [item for item in garbage if isinstance(item, ast.AST)]


_FROZEN_AT_EXIT = (
    "import atexit, gc, sys\n"
    "atexit.register(lambda: print(gc.get_freeze_count() > 0, file=sys.stderr))\n"
    "sys.argv = ['evlint', 'check', '--no-cache', '-q', '--exit-zero', 'app.py']\n"
    "from evlint.cli import run\n"
    "run()\n"
)


@pytest.mark.parametrize("off", ["", "freeze"])
def test_the_evlint_process_freezes_what_lives_to_its_end(tmp_path: Path, off: str) -> None:
    """Its last collection, at exit, then walks nothing; an in-process caller is left alone."""
    (tmp_path / "app.py").write_text("import eventlet\n")
    environment = {**os.environ, "EVLINT_SPEED_OFF": off}
    done = subprocess.run(
        [sys.executable, "-c", _FROZEN_AT_EXIT],
        check=False,
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip().splitlines()[-1] == ("False" if off else "True")
    assert "EVL501" in done.stdout
    result = run_cli(["check", "--no-cache", "--exit-zero", str(tmp_path / "app.py")])
    assert result.exit_code == 0 and gc.get_freeze_count() == 0
