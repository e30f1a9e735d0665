"""Object flow: eventlet objects followed from where they are made to their method calls."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_cli, write_files


def _messages(project: Path, code: str, path: str = "mod.py") -> list[tuple[int, str, str]]:
    """(row, code, message) of each object-flow finding (EVL8xx) in one module."""
    write_files(project, {path: code})
    result = run_cli(["check", path, "--select", "EVL8", "--output-format", "json"])
    assert result.exit_code in (0, 1), result.output
    items = json.loads(result.stdout)
    return [(i["location"]["row"], i["code"], i["message"]) for i in items]


# The examples of issue 16, as the real code writes them.
CINDER_MANAGER = """
import eventlet

class VolumeManager:
    def __init__(self):
        self._tp = eventlet.GreenPool(size=CONF.backend_native_threads_pool_size)

    def _sync(self, items):
        for item in items:
            self._tp.spawn_n(self._update, item)
"""

OSLO_THREADGROUP = """
import eventlet
from eventlet import greenpool

class ThreadGroup:
    def __init__(self, thread_pool_size=10):
        self.pool = greenpool.GreenPool(thread_pool_size)

    def add_thread(self, callback, *args):
        gt = self.pool.spawn(callback, *args)
        gt.link(self._on_done)
        return gt

    def wait(self):
        self.pool.waitall()
"""

OSLO_WSGI = """
import eventlet

class Server:
    def __init__(self):
        self._pool = eventlet.GreenPool(1000)

    def start(self):
        self._server = eventlet.spawn(self._run)

    def stop(self):
        self._pool.resize(0)
        self._server.kill()
"""

OSLO_LOOPINGCALL = """
from eventlet import event
import eventlet

class LoopingCallBase:
    def start(self):
        self.done = event.Event()

    def _run_loop(self, func):
        try:
            self.done.send(func())
        except Exception as error:
            self.done.send_exception(error)

    def wait(self):
        return self.done.wait()

def with_timeout(t, func):
    to = eventlet.Timeout(t)
    try:
        return func()
    finally:
        to.cancel()
"""

TEST_KILL = """
import eventlet

def test_stops():
    thread = eventlet.spawn(worker)
    thread.kill()
"""

GUNICORN_WORKER = """
import eventlet

def _eventlet_serve(sock, handle, concurrency):
    pool = eventlet.greenpool.GreenPool(concurrency)
    server_gt = eventlet.greenthread.getcurrent()
    while True:
        conn, addr = sock.accept()
        gt = pool.spawn(handle, conn, addr)
        gt.link(_eventlet_stop, server_gt, conn)
    pool.waitall()
"""


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (CINDER_MANAGER, [(10, "EVL802", "self._tp.spawn_n() on the eventlet.GreenPool made at line 6")]),
        (
            OSLO_THREADGROUP,
            [
                (10, "EVL802", "self.pool.spawn() on the eventlet.GreenPool made at line 7"),
                (11, "EVL801", "gt.link() on the eventlet.GreenThread made at line 10"),
                (15, "EVL802", "self.pool.waitall() on the eventlet.GreenPool made at line 7"),
            ],
        ),
        (
            OSLO_WSGI,
            [
                (12, "EVL802", "self._pool.resize() on the eventlet.GreenPool made at line 6"),
                (13, "EVL801", "self._server.kill() on the eventlet.GreenThread made at line 9"),
            ],
        ),
        (
            OSLO_LOOPINGCALL,
            [
                (11, "EVL803", "self.done.send() on the eventlet.Event made at line 7"),
                (13, "EVL803", "self.done.send_exception() on the eventlet.Event made at line 7"),
                (16, "EVL803", "self.done.wait() on the eventlet.Event made at line 7"),
                (23, "EVL806", "to.cancel() on the eventlet.Timeout made at line 19"),
            ],
        ),
        (TEST_KILL, [(6, "EVL801", "thread.kill() on the eventlet.GreenThread made at line 5")]),
        (
            GUNICORN_WORKER,
            [
                (9, "EVL802", "pool.spawn() on the eventlet.GreenPool made at line 5"),
                (10, "EVL801", "gt.link() on the eventlet.GreenThread made at line 9"),
                (11, "EVL802", "pool.waitall() on the eventlet.GreenPool made at line 5"),
            ],
        ),
    ],
    ids=["cinder-manager", "oslo-threadgroup", "oslo-wsgi", "oslo-loopingcall", "test-kill", "gunicorn"],
)
def test_the_issue_examples_name_the_constructor_line(
    project: Path, code: str, expected: list[tuple[int, str, str]]
) -> None:
    assert _messages(project, code) == expected


BINDING_FORMS = {
    "module global": (
        "import eventlet\n\nPOOL = eventlet.GreenPool()\n\ndef run():\n    POOL.waitall()\n",
        [(6, "the eventlet.GreenPool made at line 3")],
    ),
    "with as": (
        "import eventlet\n\nwith eventlet.Timeout(5) as timeout:\n    timeout.cancel()\n",
        [(4, "the eventlet.Timeout made at line 3")],
    ),
    "return value": (
        "import eventlet\n\ndef make():\n    return eventlet.Event()\n\nmake().send(1)\n",
        [(6, "the eventlet.Event made at line 4")],
    ),
    "method return": (
        "import eventlet\n\nclass A:\n    def _pool(self):\n        return eventlet.GreenPool()\n\n"
        "    def run(self):\n        self._pool().waitall()\n",
        [(8, "the eventlet.GreenPool made at line 5")],
    ),
    "property": (
        "import eventlet\n\nclass A:\n    @property\n    def pool(self):\n        return eventlet.GreenPool()\n\n"
        "    def run(self):\n        self.pool.waitall()\n",
        [(9, "the eventlet.GreenPool made at line 6")],
    ),
    "subclass": (
        "import eventlet\n\nclass Base:\n    def __init__(self):\n        self.done = eventlet.Event()\n\n"
        "class Child(Base):\n    def stop(self):\n        self.done.send()\n",
        [(9, "the eventlet.Event made at line 5")],
    ),
    "class attribute": (
        "import eventlet\n\nclass A:\n    lock = eventlet.Semaphore()\n\n    @classmethod\n"
        "    def run(cls):\n        cls.lock.locked()\n",
        [(8, "the eventlet.Semaphore made at line 4")],
    ),
    "parameter annotation": (
        "from eventlet.greenpool import GreenPool\n\ndef run(pool: GreenPool | None = None):\n    pool.waitall()\n",
        [(4, "the eventlet.GreenPool annotated at line 3")],
    ),
    "parameter default": (
        "import eventlet\n\ndef run(pool=eventlet.GreenPool()):\n    pool.waitall()\n",
        [(4, "what may be the eventlet.GreenPool made at line 3")],
    ),
    "bound method alias": (
        "import eventlet\n\npool = eventlet.GreenPool()\nspawn = pool.spawn\ngt = spawn(work)\ngt.wait()\n",
        [(4, "the eventlet.GreenPool made at line 3"), (6, "the eventlet.GreenThread made at line 5")],
    ),
    "getattr": (
        "import eventlet\n\nspawn = getattr(eventlet, 'spawn')\nspawn(work).kill()\n",
        [(4, "the eventlet.GreenThread made at line 4")],
    ),
    "another path": (
        "import eventlet\n\nif fast:\n    pool = eventlet.GreenPool()\nelse:\n    pool = Other()\npool.waitall()\n",
        [(7, "what may be the eventlet.GreenPool made at line 4")],
    ),
    "two constructors": (
        "import eventlet\n\nclass A:\n    def start(self):\n        self.done = eventlet.Event()\n\n"
        "    def restart(self):\n        self.done = eventlet.Event()\n\n    def stop(self):\n"
        "        self.done.send()\n",
        [(11, "the eventlet.Event made at lines 5, 8")],
    ),
    "none first": (
        "import eventlet\n\nclass A:\n    def __init__(self):\n        self.pool = None\n\n"
        "    def start(self):\n        self.pool = eventlet.GreenPool()\n\n    def stop(self):\n"
        "        if self.pool:\n            self.pool.waitall()\n",
        [(12, "the eventlet.GreenPool made at line 8")],
    ),
    "closure": (
        "import eventlet\n\ndef serve():\n    done = eventlet.Event()\n\n    def finish():\n"
        "        done.send()\n    return finish\n",
        [(7, "the eventlet.Event made at line 4")],
    ),
}


@pytest.mark.parametrize("form", BINDING_FORMS)
def test_each_binding_form_is_followed(project: Path, form: str) -> None:
    code, expected = BINDING_FORMS[form]
    found = [(row, message.partition(" on ")[2]) for row, _, message in _messages(project, code)]
    assert found == expected


NOT_FOLLOWED = {
    "rebound": "import eventlet\n\npool = eventlet.GreenPool()\npool = Other()\npool.waitall()\n",
    "shadowing parameter": (
        "import eventlet\n\npool = eventlet.GreenPool()\n\ndef run(pool):\n    pool.waitall()\n"
    ),
    "same-named method elsewhere": (
        "import eventlet\n\npool = eventlet.GreenPool()\nexecutor.waitall()\nfuture.wait()\n"
    ),
    "other class's attribute": (
        "import eventlet\n\nclass A:\n    def start(self):\n        self.done = eventlet.Event()\n\n"
        "class B:\n    def stop(self):\n        self.done.send()\n"
    ),
    "not a method of the type": "import eventlet\n\nevent = eventlet.Event()\nevent.set()\n",
    "loop variable": (
        "import eventlet\n\ngt = eventlet.spawn(work)\nfor gt in others:\n    pass\nelse:\n    gt = None\n"
        "gt2 = make()\ngt2.kill()\n"
    ),
    "staticmethod first argument": (
        "import eventlet\n\nclass A:\n    pool = eventlet.GreenPool()\n\n    @staticmethod\n"
        "    def run(pool):\n        pool.waitall()\n"
    ),
}


@pytest.mark.parametrize("case", NOT_FOLLOWED)
def test_what_may_not_hold_the_object_is_not_reported(project: Path, case: str) -> None:
    assert _messages(project, NOT_FOLLOWED[case]) == []


def test_the_finding_points_at_the_method_and_names_the_replacement(project: Path) -> None:
    write_files(project, {"mod.py": "import eventlet\n\npool = eventlet.GreenPool()\npool.waitall()\n"})
    result = run_cli(["check", "mod.py", "--select", "EVL802", "--output-format", "json"])
    [item] = json.loads(result.stdout)
    assert (item["location"], item["end_location"]) == ({"row": 4, "column": 6}, {"row": 4, "column": 13})
    text = run_cli(["check", "mod.py", "--select", "EVL802"]).output
    assert "executor.shutdown(wait=True)" in text and "the API changes" in text


def test_object_findings_are_suppressed_like_any_other(project: Path) -> None:
    code = "import eventlet\n\npool = eventlet.GreenPool()\npool.waitall()  # noqa: EVL802\n"
    assert _messages(project, code) == []


def test_a_file_without_eventlet_objects_has_no_object_findings(project: Path) -> None:
    code = "import eventlet\n\neventlet.sleep(0)\npool.waitall()\n"
    assert _messages(project, code) == []


def test_the_report_counts_method_sites_and_links_them_to_their_constructor(project: Path) -> None:
    write_files(project, {"svc/manager.py": CINDER_MANAGER})
    result = run_cli(["report", ".", "--output-format", "json"])
    assert result.exit_code in (0, 1), result.output
    [inventory] = json.loads(result.stdout)["projects"]
    sites = [o for o in inventory["occurrences"] if o["rule"] == "EVL802"]
    assert [(o["line"], o["origin_line"], o["pattern"]) for o in sites] == [(10, 6, "threads-pools")]
    assert inventory["summary"]["by_pattern"]["threads-pools"]["total"] == 2  # the pool and its use
    markdown = run_cli(["report", "."]).stdout
    assert "self._tp.spawn_n(self._update, item) (object made at line 6)" in markdown


def test_an_attribute_set_only_in_the_subclass_is_not_a_may_be(project: Path) -> None:
    code = (
        "from typing import Optional\nfrom eventlet import greenpool\n\nclass Manager:\n    pass\n\n"
        "class ThreadPoolManager(Manager):\n    def __init__(self):\n"
        "        self._tp: Optional[greenpool.GreenPool] = None\n        if patched():\n"
        "            self._tp = greenpool.GreenPool()\n\n    def add(self, func):\n"
        "        self._tp.spawn_n(func)\n"
    )
    assert _messages(project, code) == [
        (14, "EVL802", "self._tp.spawn_n() on the eventlet.GreenPool made at line 11")
    ]


def test_an_object_passed_to_a_class_of_the_file_reaches_its_methods(project: Path) -> None:
    code = """
from eventlet import greenpool

class Thread:
    def __init__(self, thread, group):
        self.thread = thread

    def stop(self):
        self.thread.kill()

class ThreadGroup:
    def __init__(self):
        self.pool = greenpool.GreenPool(10)

    def add_thread(self, callback):
        gt = self.pool.spawn(callback)
        return Thread(gt, self)
"""
    found = [(row, message) for row, _, message in _messages(project, code)]
    assert found == [
        (9, "self.thread.kill() on what may be the eventlet.GreenThread made at line 16"),
        (16, "self.pool.spawn() on the eventlet.GreenPool made at line 13"),
    ]


def test_objects_kept_in_a_list_reach_the_loops_over_it(project: Path) -> None:
    code = """
import eventlet

class Worker:
    def run(self):
        acceptors = []
        for sock in self.sockets:
            acceptor = eventlet.spawn(serve, sock)
            acceptors.append(acceptor)
        for a in acceptors[:]:
            a.kill()
        self.threads = set()
        self.threads.add(eventlet.spawn(serve, None))

    def stop(self):
        [t.wait() for t in list(self.threads)]
        for name in self.names:
            name.wait()
"""
    found = [(row, message) for row, _, message in _messages(project, code)]
    assert found == [
        (11, "a.kill() on the eventlet.GreenThread made at line 8"),
        (16, "t.wait() on the eventlet.GreenThread made at line 13"),
    ]
