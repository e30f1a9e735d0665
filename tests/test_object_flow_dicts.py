"""Eventlet objects kept in dicts: `pools[key] = GreenPool()` then `pools[key].spawn(f)`,
`pools.get(key).item()` or `pools.pop(key)`, reported as what "may be" the object (a key
may be missing), and only when every entry the dict is given is an eventlet object."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_cli, write_files


def _sites(project: Path, code: str) -> list[tuple[int, str]]:
    write_files(project, {"mod.py": code})
    result = run_cli(["check", "mod.py", "--select", "EVL8", "--output-format", "json"])
    assert result.exit_code in (0, 1), result.output
    return sorted((i["location"]["row"], i["message"]) for i in json.loads(result.stdout))


# cinder 29.0.0's cisco_fc_san_lookup_service.py: an SSH pool per switch, kept in a dict.
CISCO = """\
from eventlet import pools


class SSHPool(pools.Pool):
    def create(self):
        return object()


class Lookup:
    def __init__(self):
        self.sshpool = {}

    def run(self, ip, command):
        if self.sshpool.get(ip) is None:
            self.sshpool[ip] = SSHPool(ip)
        with self.sshpool.get(ip).item() as ssh:
            return ssh.run(command)
"""


def test_a_pool_kept_in_a_dict_attribute_is_followed_to_its_lookups(project: Path) -> None:
    assert _sites(project, CISCO) == [
        (16, "self.sshpool.get(ip).item() on what may be the SSHPool (an eventlet.Pool) made at line 15"),
    ]


def test_subscripts_get_and_pop_of_a_local_dict_give_its_pools(project: Path) -> None:
    code = """\
import eventlet


def run(keys, f):
    pools = {}
    for key in keys:
        pools[key] = eventlet.GreenPool()
    pools[keys[0]].spawn(f)
    pools.pop(keys[0]).waitall()
"""
    assert _sites(project, code) == [
        (8, "pools[keys[0]].spawn() on what may be the eventlet.GreenPool made at line 7"),
        (9, "pools.pop(keys[0]).waitall() on what may be the eventlet.GreenPool made at line 7"),
    ]


def test_a_dict_that_holds_something_else_too_is_not_followed(project: Path) -> None:
    code = """\
import eventlet


def run(key, f):
    held = {}
    held["pool"] = eventlet.GreenPool()
    held["name"] = "worker"
    held[key].spawn(f)
    held.get(key).waitall()


def kept(key, f):
    held = {}  # beside it, a dict of pools only
    held[key] = eventlet.GreenPool()
    held[key].spawn(f)
"""
    assert _sites(project, code) == [
        (15, "held[key].spawn() on what may be the eventlet.GreenPool made at line 14"),
    ]


def test_other_dicts_slices_and_lists_are_not_mistaken_for_it(project: Path) -> None:
    code = """\
import eventlet


def fill(key):
    pools = {}
    pools[key] = eventlet.GreenPool()


def other(key, f):
    pools = {}  # another function's dict of the same name
    pools[key].spawn(f)


def run(key, f, default):
    pools = {}
    pools[key] = eventlet.GreenPool()
    pools[1:2].spawn(f)  # a slice is not an entry
    pools.get(key, default).spawn(f)  # a default may be anything
    threads = []
    threads.append(eventlet.spawn(f))
    threads[0].wait()  # a list, not a dict of objects
    pools[key].spawn(f)  # (the one site)
"""
    assert _sites(project, code) == [
        (22, "pools[key].spawn() on what may be the eventlet.GreenPool made at line 16"),
    ]
