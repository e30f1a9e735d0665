"""Object flow across modules: project classes derived from eventlet classes, project
functions returning eventlet objects and module names holding one, followed through the
project index to the method calls other modules make on them; and value following in
statement order."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from tests.conftest import run_cli, write_files


def _check(
    project: Path, files: dict[str, str], select: str = "EVL8", *extra: str
) -> list[tuple[str, int, str]]:
    """(path, row, message) of each finding of the selected rules in the project."""
    write_files(project, files)
    result = run_cli(["check", ".", "--select", select, "--output-format", "json", *extra])
    assert result.exit_code in (0, 1), result.output
    found = [
        (Path(i["filename"]).relative_to(project.resolve()).as_posix(), i["location"]["row"], i["message"])
        for i in json.loads(result.stdout)
    ]
    return sorted(found)


# cinder 29.0.0's shape: the class is defined once, made and used in driver modules.
CINDER = {
    "cinder/__init__.py": "",
    "cinder/ssh_utils.py": """
        from eventlet import pools


        class SSHPool(pools.Pool):
            def create(self):
                return object()
    """,
    "cinder/volume/__init__.py": "",
    "cinder/volume/san.py": """
        from cinder import ssh_utils


        class SanDriver:
            def _run_ssh(self, command):
                if not self.sshpool:
                    self.sshpool = ssh_utils.SSHPool(1, 2, 3)
                with self.sshpool.item() as ssh:
                    return ssh.exec_command(command)
    """,
    "cinder/volume/cli.py": """
        from cinder.ssh_utils import SSHPool as Pool


        def run(command):
            pool = Pool(1)
            conn = pool.get()
            pool.put(conn)
    """,
}


def test_a_project_class_derived_from_an_eventlet_class_is_followed_in_other_modules(project: Path) -> None:
    assert _check(project, CINDER) == [
        ("cinder/volume/cli.py", 7, "pool.get() on the SSHPool (an eventlet.Pool) made at line 6"),
        ("cinder/volume/cli.py", 8, "pool.put() on the SSHPool (an eventlet.Pool) made at line 6"),
        ("cinder/volume/san.py", 9, "self.sshpool.item() on the SSHPool (an eventlet.Pool) made at line 8"),
    ]


def test_a_subclass_of_a_derived_class_and_a_class_of_the_same_module_are_followed(project: Path) -> None:
    files = {
        **CINDER,
        "cinder/volume/mine.py": """
            from cinder import ssh_utils


            class MyPool(ssh_utils.SSHPool):
                pass


            pool = MyPool()
            pool.resize(4)
        """,
        "cinder/volume/other.py": """
            from cinder.volume import mine

            mine.MyPool().free()
        """,
    }
    found = _check(project, files)
    assert (
        "cinder/volume/mine.py",
        10,
        "pool.resize() on the MyPool (an eventlet.Pool) made at line 9",
    ) in found
    assert (
        "cinder/volume/other.py",
        4,
        "mine.MyPool().free() on the MyPool (an eventlet.Pool) made at line 4",
    ) in found


def test_a_same_named_class_not_derived_from_eventlet_is_not_followed(project: Path) -> None:
    files = {
        **CINDER,
        "cinder/other_utils.py": """
            class SSHPool:
                def item(self):
                    pass
        """,
        "cinder/volume/plain.py": """
            from cinder import other_utils

            pool = other_utils.SSHPool()
            pool.item()
        """,
    }
    found = {path for path, _, _ in _check(project, files)}
    assert found == {"cinder/volume/cli.py", "cinder/volume/san.py"}  # not plain.py


POOLS = {
    "app/__init__.py": "",
    "app/pools.py": """
        import eventlet

        POOL = eventlet.GreenPool(10)
        _SINGLE = None


        def make_pool(size=4):
            pool = eventlet.GreenPool(size)
            return pool


        def maybe_pool(flag):
            if flag:
                return eventlet.GreenPool()
            return object()


        def get_single():
            global _SINGLE
            if _SINGLE is None:
                _SINGLE = eventlet.GreenPool()
            return _SINGLE


        def make_other():
            return object()
    """,
}


def test_returns_and_module_names_of_another_module_name_the_constructor_there(project: Path) -> None:
    user = """
        from app import pools
        from app.pools import POOL, make_pool


        def run(f):
            p = make_pool()
            p.spawn_n(f)
            pools.POOL.waitall()
            POOL.resize(3)
            s = pools.get_single()
            s.waitall()
    """
    assert _check(project, {**POOLS, "app/user.py": user}) == [
        ("app/user.py", 8, "p.spawn_n() on the eventlet.GreenPool made at app/pools.py:9"),
        ("app/user.py", 9, "pools.POOL.waitall() on the eventlet.GreenPool made at app/pools.py:4"),
        ("app/user.py", 10, "POOL.resize() on the eventlet.GreenPool made at app/pools.py:4"),
        ("app/user.py", 12, "s.waitall() on the eventlet.GreenPool made at app/pools.py:22"),
    ]


def test_a_function_returning_something_else_on_another_path_gives_a_may_be(project: Path) -> None:
    user = """
        from app import pools

        q = pools.maybe_pool(True)
        q.spawn_n(print)
    """
    assert _check(project, {**POOLS, "app/user.py": user}) == [
        ("app/user.py", 5, "q.spawn_n() on what may be the eventlet.GreenPool made at app/pools.py:15"),
    ]


def test_a_rebound_name_and_a_function_returning_no_object_are_not_followed(project: Path) -> None:
    user = """
        from app import pools

        r = pools.make_pool()
        r = object()
        r.spawn_n(print)
        o = pools.make_other()
        o.spawn_n(print)
        kept = pools.make_pool()
        kept.spawn_n(print)
    """
    assert _check(project, {**POOLS, "app/user.py": user}) == [
        ("app/user.py", 10, "kept.spawn_n() on the eventlet.GreenPool made at app/pools.py:9"),
    ]


def test_a_changed_module_is_never_answered_from_the_cache(project: Path) -> None:
    user = "from app import pools\n\np = pools.make_pool()\np.spawn_n(print)\n"
    files = {**POOLS, "app/user.py": user}
    assert len(_check(project, files)) == 1
    assert len(_check(project, files)) == 1  # from the cache
    pools = project / "app" / "pools.py"
    pools.write_text(pools.read_text().replace("pool = eventlet.GreenPool(size)", "pool = object()"))
    stamp = time.time() - 60  # (older than the cache's racy window)
    os.utime(pools, (stamp, stamp))
    assert _check(project, {"app/user.py": user}) == []


def test_the_index_reads_only_with_object_rules_selected(project: Path) -> None:
    """`--select EVL8` alone (no name rule) still builds the index the object facts live in."""
    user = "from app import pools\n\npools.POOL.waitall()\n"
    found = _check(project, {**POOLS, "app/user.py": user}, "EVL802")
    assert found == [
        ("app/user.py", 3, "pools.POOL.waitall() on the eventlet.GreenPool made at app/pools.py:4")
    ]


# -- value following in statement order (EVL701, EVL703) ----------------------------------

RPC = """
import oslo_messaging


def reassigned(transport, target, endpoints):
    executor = 'eventlet'
    executor = 'threading'
    return oslo_messaging.get_rpc_server(transport, target, endpoints, executor=executor)


def default_overridden(transport, target, endpoints, executor='eventlet'):
    executor = 'threading'
    return oslo_messaging.get_rpc_server(transport, target, endpoints, executor=executor)


def assigned_after(transport, target, endpoints):
    executor = 'threading'
    server = oslo_messaging.get_rpc_server(transport, target, endpoints, executor=executor)
    executor = 'eventlet'
    return server


def one_branch(transport, target, endpoints, flag):
    executor = 'eventlet'
    if flag:
        executor = 'threading'
    return oslo_messaging.get_rpc_server(transport, target, endpoints, executor=executor)


def default_kept(transport, target, endpoints, executor='eventlet'):
    return oslo_messaging.get_rpc_server(transport, target, endpoints, executor=executor)


def next_iteration(transport, target, endpoints, items):
    executor = 'threading'
    for item in items:
        oslo_messaging.get_rpc_server(transport, target, endpoints, executor=executor)
        executor = 'eventlet'


def before_the_exception(transport, target, endpoints):
    executor = 'eventlet'
    try:
        executor = 'threading'
    except Exception:
        pass
    return oslo_messaging.get_rpc_server(transport, target, endpoints, executor=executor)
"""


def test_values_are_followed_in_statement_order(project: Path) -> None:
    rows = [row for _, row, _ in _check(project, {"rpc.py": RPC}, "EVL701")]
    # reported: a branch that keeps 'eventlet', a default not overridden, the next loop
    # iteration, an exception before the reassignment; not: a reassignment before the call
    # (also of a parameter's default), an assignment after it.
    assert rows == [27, 31, 37, 47]


def test_a_module_read_with_the_maker_in_the_same_round_is_linted_again(project: Path) -> None:
    """A module that imports eventlet itself is read in the index's first round, beside the
    module whose function makes the pool: its early result, made before that fact was
    known, is not kept."""
    user = "import eventlet\nfrom app import pools\n\npools.make_pool().waitall()\neventlet.sleep()\n"
    found = _check(project, {**POOLS, "app/user.py": user}, "EVL802", "--no-cache")
    assert found == [
        ("app/user.py", 4, "pools.make_pool().waitall() on the eventlet.GreenPool made at app/pools.py:9")
    ]
