"""A linted file's syntax tree is freed by reference counting as soon as the file is done.

A tree held in a reference cycle waits for the cycle collector, which the runner pauses
while a file is linted (see runner._no_cyclic_gc): on nova's largest file, that left a
million dead nodes for the next collection to walk (0.12 s a file)."""

from __future__ import annotations

import ast
import gc
import textwrap

from evlint.engine import lint_text, module_facts
from evlint.names import ModuleContext
from evlint.rulescope import CompiledCache
from evlint.ruleset import bundled_rules_dir, load_rules

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
